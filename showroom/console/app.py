"""The Sanic application: one per process, built by `create_app`.

Areas add their routes as blueprints here (the agent console will add its own). The
gateway (webhooks + worker) starts with the server and stops with it.
"""

from __future__ import annotations

from pathlib import Path

from sanic import Sanic

from showroom.channels import webhook
from showroom.channels.gateway import Gateway
from showroom.channels.request_size import DEFAULT_MAX_BODY
from showroom.console import health, simulator
from showroom.sales.quotes import http as quote_documents
from showroom.settings import Settings, get_settings

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(
    settings: Settings | None = None, *, name: str = "showroom", run_worker: bool = True
) -> Sanic:
    """The web app. Raises `SignatureConfigError` for an unsafe gateway configuration."""
    settings = settings or get_settings()
    app = Sanic(name, configure_logging=False)  # our root handler prints Sanic logs too
    # routes with a limit of their own (Twilio's webhooks: smaller; the simulator's photo
    # upload: larger) stream their body and check it first (channels/request_size.py)
    app.config.REQUEST_MAX_SIZE = DEFAULT_MAX_BODY
    app.config.ACCESS_LOG = False  # URLs and IPs stay out of the logs
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings
    app.ctx.gateway = Gateway(settings)

    app.blueprint(webhook.bp)
    app.blueprint(health.bp)
    app.blueprint(simulator.bp)
    app.blueprint(quote_documents.bp)  # signed, expiring quote/ticket PDF links
    app.static("/static", STATIC_DIR, name="static")

    @app.before_server_start
    async def _start_gateway(app: Sanic) -> None:
        await app.ctx.gateway.start(run_worker=run_worker)

    @app.after_server_stop
    async def _stop_gateway(app: Sanic) -> None:
        await app.ctx.gateway.stop()

    return app
