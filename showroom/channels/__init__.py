"""The WhatsApp gateway: Twilio in, Rasa's REST channel in the middle, Twilio out.

See docs/gateway.md. Module map: webhook (HTTP endpoints) → signature → inbound (store) →
worker (dispatch, retries) with leases (one process per conversation) → queue (inbound
work) → turn (media, options, Rasa) → rendering → outbound (24-hour rule, local outbox,
Twilio, lookups) with outbox (outbound work) → status_callbacks. db: the threads and
pools the database work runs on.
"""
