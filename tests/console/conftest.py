"""The web app tests reuse the gateway fixtures (branches, stand-ins, the real app)."""

from channels.conftest import (  # noqa: F401 - fixtures are registered by import
    branches,
    gateway_factory,
    rasa,
    twilio_api,
)
