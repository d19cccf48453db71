"""Text from outside (Twilio's form fields, the simulator, agents) made safe to store.

PostgreSQL's text types cannot hold U+0000: one NUL in a message body would make every
insert of it fail — a 500 to Twilio on each retry, and the message lost. Control
characters other than tab and line breaks carry nothing a person wrote, so they are
dropped from everything we store; SQLite and PostgreSQL then store the same text.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls except \t \n \r, DEL, and the C1 controls; lone surrogates (not encodable
# as UTF-8, so not storable either)
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """`value` without control characters (tab and line breaks are kept)."""
    return _UNSAFE.sub("", value)


def clean_value(value: Any) -> Any:
    """`clean_text` applied to every string in a JSON-like value (keys included)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(v) for v in value]
    return value
