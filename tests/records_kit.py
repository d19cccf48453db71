"""Records as the gateway stores them, for the tests of any folder.

Importable as `records_kit` everywhere: pytest puts tests/ on sys.path for the root
conftest.py (as tests/actions/ is, for `actions_kit`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from showroom.conversations.conversations import find_or_start_conversation
from showroom.conversations.customers import get_or_create_customer
from showroom.db.models.conversations import Conversation

CUSTOMER_PHONE = "+528112345678"
BUSINESS_NUMBER = "+528180001000"  # the Monterrey test branch's WhatsApp number


def whatsapp_conversation(
    session: Session, phone: str = CUSTOMER_PHONE, name: str | None = None
) -> Conversation:
    """The customer's WhatsApp conversation with BUSINESS_NUMBER (no branch linked yet),
    both created when new, as the gateway's intake does."""
    customer = get_or_create_customer(session, phone=phone, name=name)
    return find_or_start_conversation(
        session,
        customer=customer,
        channel="whatsapp",
        business_number=BUSINESS_NUMBER,
        branch_id=None,
    )
