"""Request body limits per route, enforced before the body is read.

Sanic reads a route's whole body (up to the app's REQUEST_MAX_SIZE) before its handler
runs. Routes that want their own, smaller or larger, limit are declared `stream=True`
and call `read_body(request, limit)` first: a Content-Length over the limit is refused
without reading a byte, a chunked body is cut off at the limit, and Sanic then closes
the connection instead of draining what was not read.
"""

from __future__ import annotations

from sanic import Request
from sanic.exceptions import PayloadTooLarge

# every route that does not declare its own (the app's REQUEST_MAX_SIZE)
DEFAULT_MAX_BODY = 1024 * 1024


async def read_body(request: Request, limit: int) -> bool:
    """Receive the body of a streaming route if it is at most `limit` bytes; False when
    it is larger (`request.body` is then not to be used)."""
    stream = request.stream
    if stream is None:  # already received (not a streaming route)
        return len(request.body or b"") <= limit
    # also what Sanic reads at most of a body left unread before it closes the connection
    stream.request_max_size = limit
    declared = request.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        # refused as announced: a client waiting for "100 Continue" is not invited to
        # send the body after all (Sanic would put one before our answer)
        if hasattr(stream, "expecting_continue"):
            stream.expecting_continue = False
        return False
    try:
        await request.receive_body()
    except PayloadTooLarge:
        return False
    return len(request.body or b"") <= limit
