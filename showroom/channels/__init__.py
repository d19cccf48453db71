"""The WhatsApp gateway: Twilio in, Rasa's REST channel in the middle, Twilio out.

See docs/gateway.md. Module map: webhook (HTTP endpoints) → signature → inbound (store) →
worker (order, leases, retries) → turn (media, options, Rasa) → rendering → outbound
(24-hour rule, local outbox, Twilio) → status_callbacks.
"""
