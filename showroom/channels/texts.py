"""What the gateway itself says to customers (es-MX, WhatsApp-short)."""

from __future__ import annotations

# Rasa or the action server is down or slow: sent once per outage, then the real answer.
HOLDING = "Dame un momento, en seguida te respondo 🙏"
# Over the per-sender rate limit: sent once per window; the messages are kept for an agent.
THROTTLED = "Recibí muchos mensajes seguidos 😅. Dame un minuto y te sigo atendiendo."
# Only media we cannot read (video, audio, stickers, locations) and no text.
UNSUPPORTED_MEDIA = (
    "Por ahora solo puedo leer texto, fotos (JPG o PNG) y PDF 🙏. ¿Me lo escribes, por favor?"
)
# Under numbered options.
OPTIONS_HINT = "Responde con el número de tu opción."
# Rasa stayed unavailable for the whole retry window (GATEWAY_GIVE_UP_AFTER_S).
GAVE_UP = (
    "Perdón, tuve un problema técnico y no pude responderte a tiempo 🙏. ¿Me escribes de nuevo?"
)
# A photo or file we could not download from Twilio after several tries, and no text.
MEDIA_FAILED = "No pude descargar tu archivo 😕. ¿Me lo mandas otra vez, por favor?"
