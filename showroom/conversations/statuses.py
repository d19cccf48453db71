"""Message statuses and the order delivery statuses may move in.

Twilio's status callbacks can arrive late, twice or out of order (`delivered` before
`sent`). A message only moves forward: queued → sent → delivered → read, and `failed` /
`undelivered` / `read` are final.
"""

from __future__ import annotations

# inbound
IN_PENDING = "pending"  # stored, waiting for the gateway worker
IN_DONE = "done"  # handed to Rasa, its answer stored
IN_AGENT = "agent"  # the conversation is in human mode: an agent answers
IN_THROTTLED = "throttled"  # over the sender's rate limit: stored, not answered
IN_FAILED = "failed"  # given up after the retry window (see docs/gateway.md)

# outbound
OUT_PENDING = "pending"  # waiting to be sent
# handed to Twilio, answer not recorded yet (a crash or a timeout leaves it here: the
# gateway then looks the message up at Twilio before it would send it again)
OUT_SUBMITTING = "submitting"
OUT_LOCAL = "local"  # local outbox mode: stored instead of sent
OUT_REFUSED = "refused"  # our code refused to send it (24-hour rule, no number, ...)
OUT_FAILED = "failed"
OUT_UNDELIVERED = "undelivered"
# outbound work still open: to send, or sent with its outcome still to be looked up
OUT_OPEN = (OUT_PENDING, OUT_SUBMITTING)
# outbound without a Twilio sid of its own yet (a failed send may still turn up at Twilio)
OUT_AWAITING_SID = (*OUT_OPEN, OUT_FAILED)

# Twilio's delivery statuses in the order they happen
DELIVERY_RANK = {
    "accepted": 1,
    "scheduled": 1,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "read": 5,
}
FINAL = frozenset({"read", "canceled", OUT_FAILED, OUT_UNDELIVERED, OUT_REFUSED, OUT_LOCAL})
FAILURES = frozenset({OUT_FAILED, OUT_UNDELIVERED})
CALLBACK_STATUSES = frozenset(DELIVERY_RANK) | FAILURES | {"canceled"}


def may_advance(current: str, new: str) -> bool:
    """True when a message in `current` may take status `new` from a callback.

    Final statuses never change. A failure may replace any status short of `delivered`
    (a delivered message did reach the phone). Otherwise only a higher rank wins.
    """
    if current in FINAL or current == new:
        return False
    if new in FAILURES or new == "canceled":
        return DELIVERY_RANK.get(current, 0) < DELIVERY_RANK["delivered"]
    if new not in DELIVERY_RANK:
        return False
    return DELIVERY_RANK[new] > DELIVERY_RANK.get(current, 0)
