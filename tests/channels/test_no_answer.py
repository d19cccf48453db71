"""A Rasa turn that gave no reply is no answer; an answer Rasa did give is never lost.

The action server dying between the gateway's health check and Rasa's action call, a
timed-out turn the tracker shows without a reply, an answer found in the tracker when the
message's retry window is over. The real app and database; loopback stand-ins for Rasa
(with its tracker) and Twilio. The same with the real Rasa: tests/e2e.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from showroom.channels import texts

from .conftest import GatewayFactory, messages
from .support.rasa_standin import RasaStandin, Reply, echo
from .support.twilio_standin import TwilioStandin


def no_reply_the_first_time(rasa: RasaStandin) -> Callable[[str], Reply]:
    """Rasa's answer to a turn whose actions failed: nothing (the first turn only)."""

    def responder(message: str) -> Reply:
        return [] if len(rasa.received) == 1 else echo(message)

    return responder


async def test_a_turn_rasa_ran_while_the_action_server_died_is_asked_again_not_left_silent(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
    action_server: RasaStandin,
) -> None:
    """The action server was healthy when checked, then died during the turn: Rasa logs
    the failed action and answers nothing. That is no answer: once the actions are back,
    the message goes to Rasa again and the customer gets the real reply."""
    await action_server.start()

    async def the_action_server_dies(payload: dict[str, Any]) -> None:
        if len(rasa.received) == 1:
            await action_server.stop()

    rasa.responder = no_reply_the_first_time(rasa)
    rasa.before_reply = the_action_server_dies
    async with gateway_factory(action_endpoint_url=action_server.url + "/webhook") as app:
        await app.send_whatsapp(body="quiero agendar", to=branches["MTY"])
        [notice] = await twilio_api.wait_for(1)
        await action_server.start()
        sent = await twilio_api.wait_for(2)
    assert notice.body == texts.HOLDING
    assert sent[1].body == "eco: quiero agendar"
    assert rasa.messages == ["quiero agendar", "quiero agendar"]
    [inbound] = messages(db_url, "in")
    assert inbound.status == "done"


async def test_a_timed_out_turn_found_without_a_reply_in_the_tracker_is_asked_again(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
) -> None:
    """The call timed out; Rasa saved the turn, but with no reply (its actions were
    down). The tracker has the message and nothing after it: asked again, answered."""

    async def slow_first_answer(payload: dict[str, Any]) -> None:
        if len(rasa.received) == 1:
            await asyncio.sleep(1.0)  # the turn is saved; the answer comes too late

    rasa.responder = no_reply_the_first_time(rasa)
    rasa.before_reply = slow_first_answer
    async with gateway_factory(rasa_timeout_s=0.5, holding_notice_after_s=0.2) as app:
        await app.send_whatsapp(body="hola", to=branches["CDMX"])
        sent = await twilio_api.wait_for(2)
    assert [m.body for m in sent] == [texts.HOLDING, "eco: hola"]
    assert rasa.messages == ["hola", "hola"]


async def test_an_answer_in_the_tracker_is_sent_even_when_the_retry_window_is_over(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    """The turn outlived the call and the message's retry window ran out meanwhile; Rasa
    did answer it: that answer is sent instead of "perdón, tuve un problema"."""
    rasa.delay_s = 0.6
    settings = {"rasa_timeout_s": 0.2, "holding_notice_after_s": 0.1}
    async with gateway_factory(gateway_give_up_after_s=1.0, **settings) as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        sent = await twilio_api.wait_for(2)
        await asyncio.sleep(0.5)  # a wrong "gave up" would arrive by now
    assert [m.body for m in twilio_api.sent] == [texts.HOLDING, "eco: hola"]
    assert rasa.messages == ["hola"]
    [inbound] = messages(db_url, "in")
    assert inbound.status == "done"
    assert sent[1].from_ == "whatsapp:" + branches["MTY"]
