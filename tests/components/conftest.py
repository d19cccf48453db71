"""Fixtures for components/ tests (run in Rasa's environment)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest


@dataclass
class DucklingStub:
    """A loopback HTTP server that answers POST /parse the way Duckling does.

    `responses` maps a message text to the JSON list Duckling would return for it
    (texts not listed get `[]`); `status` and `delay` simulate a broken or slow server;
    `requests` records the form fields of every call.
    """

    url: str = ""
    responses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    status: int = 200
    delay: float = 0.0
    requests: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def duckling() -> Iterator[DucklingStub]:
    stub = DucklingStub()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode("utf-8"))
            fields = {key: values[0] for key, values in form.items()}
            stub.requests.append({"path": self.path, **fields})
            if stub.delay:
                time.sleep(stub.delay)
            body = json.dumps(stub.responses.get(fields.get("text", ""), []))
            if stub.status != 200:
                body = "Internal Server Error"
            try:
                self.send_response(stub.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode("utf-8"))
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
