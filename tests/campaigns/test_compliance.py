"""Do-not-contact: opt-outs by channel, honoured whatever way the number is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from showroom.campaigns.compliance import is_opted_out, opt_out
from showroom.conversations.customers import get_or_create_customer
from showroom.db.models.customers import OptOut


def test_opt_out_is_idempotent(session: Session) -> None:
    customer = get_or_create_customer(session, phone="whatsapp:+5218112345678")
    first = opt_out(session, customer)
    assert opt_out(session, customer, source="call").id == first.id
    assert session.scalar(select(func.count()).select_from(OptOut)) == 1
    assert (first.channel, first.source) == ("all", "chat")


def test_all_blocks_every_channel(session: Session) -> None:
    customer = get_or_create_customer(session, phone="81 1234 5678")
    assert not is_opted_out(session, "+528112345678")
    opt_out(session, customer)
    for channel in ("all", "voice", "whatsapp"):
        assert is_opted_out(session, "+52 1 81 1234 5678", channel)


def test_a_channel_opt_out_blocks_only_that_channel(session: Session) -> None:
    customer = get_or_create_customer(session, phone="81 1234 5678")
    opt_out(session, customer, channel="voice", source="call")
    assert is_opted_out(session, "8112345678", "voice")
    assert not is_opted_out(session, "8112345678", "whatsapp")
    assert is_opted_out(session, "8112345678", "all")  # "opted out of anything?"
    other = get_or_create_customer(session, phone="81 8765 4321")
    assert not is_opted_out(session, other.phone or "", "voice")


def test_unknown_numbers_and_channels(session: Session) -> None:
    assert not is_opted_out(session, "+528199999999")
    assert not is_opted_out(session, "not a phone")
    customer = get_or_create_customer(session, phone="81 1234 5678")
    with pytest.raises(ValueError, match="unknown channel"):
        opt_out(session, customer, channel="sms")
    with pytest.raises(ValueError, match="unknown channel"):
        is_opted_out(session, "8112345678", "fax")
