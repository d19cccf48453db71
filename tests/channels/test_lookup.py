"""Which of Twilio's recent messages is the one a lost answer was about (`find_ours`)."""

from __future__ import annotations

from datetime import timedelta

from showroom.channels.outbound import find_ours
from showroom.channels.outbox import OutboundWork
from showroom.channels.twilio_client import TwilioMessage
from showroom.db.base import utcnow

STARTED = utcnow()


def work(body: str = "eco: hola", template_use: str | None = None) -> OutboundWork:
    return OutboundWork(
        message_id=7,
        conversation_id=1,
        channel="whatsapp",
        body=body,
        media_urls=[],
        attempts=1,
        next_attempt_at=None,
        template_use=template_use,
        template_variables=None,
        last_inbound_at=STARTED,
        from_number="+528180001000",
        to_number="+528112345678",
        status="submitting",
        submit_started_at=STARTED,
    )


def twilio(
    sid: str, body: str, seconds: float = 1, direction: str = "outbound-api"
) -> TwilioMessage:
    return TwilioMessage(
        sid=sid,
        status="queued",
        direction=direction,
        body=body,
        num_media=0,
        date_created=STARTED + timedelta(seconds=seconds),
    )


def test_the_oldest_unrecorded_message_with_our_body_since_the_attempt_is_ours() -> None:
    found = [  # newest first, as Twilio lists them
        twilio("SMnewer", "eco: hola", seconds=5),
        twilio("SMours", "eco: hola", seconds=1),
        twilio("SMother", "otra cosa", seconds=0),
        twilio("SMinbound", "eco: hola", direction="inbound"),
    ]
    assert find_ours(work(), found, known=set()) == found[1]


def test_recorded_sids_old_messages_and_other_bodies_are_not_ours() -> None:
    found = [
        twilio("SMrecorded", "eco: hola"),  # another of our messages with the same text
        twilio("SMold", "eco: hola", seconds=-600),  # before this attempt
        twilio("SMdifferent", "eco: adiós"),
    ]
    assert find_ours(work(), found, known={"SMrecorded"}) is None


def test_a_templates_rendered_body_is_matched_by_time_and_sid_only() -> None:
    found = [twilio("SMtemplate", "Hola Juan, ¿sigues interesado en la Hilux?")]
    assert find_ours(work(body="", template_use="followup"), found, known=set()) == found[0]
