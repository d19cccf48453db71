"""Which of Twilio's recent messages is the one a lost answer was about (`find_ours`)."""

from __future__ import annotations

from datetime import timedelta

from showroom.channels.outbound import find_ours
from showroom.channels.outbox import OutboundWork
from showroom.channels.twilio_client import TwilioMessage
from showroom.db.base import utcnow

STARTED = utcnow()
ENDED = STARTED + timedelta(seconds=13)  # the call's timeout and grace


def work(
    body: str = "eco: hola",
    *,
    media_urls: list[str] | None = None,
    template_sid: str | None = None,
    variables: dict[str, str] | None = None,
    template_use: str | None = None,
) -> OutboundWork:
    return OutboundWork(
        message_id=7,
        conversation_id=1,
        channel="whatsapp",
        body=body,
        media_urls=media_urls or [],
        attempts=1,
        next_attempt_at=None,
        template_use=template_use or ("followup" if template_sid else None),
        template_variables=variables,
        last_inbound_at=STARTED,
        from_number="+528180001000",
        to_number="+528112345678",
        status="submitting",
        submit_started_at=STARTED,
        template_sid=template_sid,
    )


def twilio(
    sid: str,
    body: str,
    seconds: float = 1,
    direction: str = "outbound-api",
    num_media: int = 0,
) -> TwilioMessage:
    return TwilioMessage(
        sid=sid,
        status="queued",
        direction=direction,
        body=body,
        num_media=num_media,
        date_created=STARTED + timedelta(seconds=seconds),
    )


def test_the_oldest_unrecorded_message_with_our_body_since_the_attempt_is_ours() -> None:
    found = [  # newest first, as Twilio lists them
        twilio("SMnewer", "eco: hola", seconds=5),
        twilio("SMours", "eco: hola", seconds=1),
        twilio("SMother", "otra cosa", seconds=0),
        twilio("SMinbound", "eco: hola", direction="inbound"),
    ]
    assert find_ours(work(), found, known=set(), until=ENDED) == found[1]


def test_twilios_second_resolution_and_a_small_clock_difference_are_allowed() -> None:
    found = [twilio("SMours", "eco: hola", seconds=-2.5)]
    assert find_ours(work(), found, known=set(), until=ENDED) == found[0]


def test_recorded_sids_old_messages_and_other_bodies_are_not_ours() -> None:
    found = [
        twilio("SMrecorded", "eco: hola"),  # another of our messages with the same text
        twilio("SMold", "eco: hola", seconds=-600),  # long before this attempt
        twilio("SMdifferent", "eco: adiós"),
    ]
    assert find_ours(work(), found, known={"SMrecorded"}, until=ENDED) is None


def test_the_same_text_sent_half_a_minute_earlier_is_not_this_attempts() -> None:
    """ "Dame un momento" went out in the last outage too: its copy (a message Twilio got
    twice, before its sid was recorded) must not be taken for this one's."""
    earlier = twilio("SMearlier", "Dame un momento, en seguida te respondo 🙏", seconds=-30)
    later = twilio("SMlater", "Dame un momento, en seguida te respondo 🙏", seconds=40)
    mine = work("Dame un momento, en seguida te respondo 🙏")
    assert find_ours(mine, [later, earlier], known=set(), until=ENDED) is None


def test_media_count_must_match_too() -> None:
    photo = work("Jetta 2021", media_urls=["https://fotos.example.mx/jetta.jpg"])
    text_only = twilio("SMtext", "Jetta 2021")
    with_photo = twilio("SMphoto", "Jetta 2021", num_media=1)
    assert find_ours(photo, [text_only], known=set(), until=ENDED) is None
    assert find_ours(photo, [with_photo, text_only], known=set(), until=ENDED) == with_photo
    assert find_ours(work("Jetta 2021"), [with_photo], known=set(), until=ENDED) is None


def test_a_template_is_matched_by_its_variables_in_twilios_rendering() -> None:
    template = work("", template_sid="HX123", variables={"1": "Juan", "2": "Hilux"})
    ours = twilio("SMtemplate", "Hola Juan, ¿sigues interesado en la Hilux?")
    other = twilio("SMother", "Hola Ana, ¿sigues interesado en el Jetta?", seconds=2)
    assert find_ours(template, [other, ours], known=set(), until=ENDED) == ours
    assert find_ours(template, [other], known=set(), until=ENDED) is None


def test_a_template_whose_body_was_also_given_is_compared_as_what_was_sent() -> None:
    """Queued with a body and a template use: inside the window the body went out, so a
    lookup compares the body (the attempt recorded no Content SID)."""
    queued = work("¿Sigues interesado en la Hilux?", template_use="followup")
    agents = twilio("SMagent", "Te marco en 5 minutos")  # someone else's message meanwhile
    assert find_ours(queued, [agents], known=set(), until=ENDED) is None
    same = twilio("SMsame", "¿Sigues interesado en la Hilux?")
    assert find_ours(queued, [agents, same], known=set(), until=ENDED) == same


def test_nothing_created_after_the_attempt_surely_ended_is_ours() -> None:
    found = [twilio("SMlate", "eco: hola", seconds=60)]
    assert find_ours(work(), found, known=set(), until=ENDED) is None
