"""`showroom serve`: the web app (webhooks, /health, simulator) with the gateway worker."""

from __future__ import annotations

import click

from showroom.channels.signature import SignatureConfigError
from showroom.settings import get_settings


def register(main: click.Group) -> None:
    @main.command("serve")
    @click.option("--host", help="Interface to listen on (default: WEB_HOST).")
    @click.option("--port", type=int, help="Port (default: WEB_PORT).")
    def serve(host: str | None, port: int | None) -> None:
        """Run the web app and the WhatsApp gateway worker (Ctrl-C stops both)."""
        from showroom.channels.gateway import SchemaMissingError, ensure_schema
        from showroom.console.app import create_app

        settings = get_settings()
        try:
            app = create_app(settings)  # refuses an unsafe configuration first
            ensure_schema(settings.database_url)
        except (SignatureConfigError, SchemaMissingError) as exc:
            raise click.ClickException(str(exc)) from exc
        shown_host = host or settings.web_host
        if shown_host in ("0.0.0.0", "::", ""):  # noqa: S104 - a wildcard is not a URL to open
            shown_host = "localhost"
        click.echo(
            f"showroom web app on http://{shown_host}:{port or settings.web_port} "
            f"(mode: {'local outbox' if settings.local_outbox else 'twilio'})"
        )
        app.run(
            host=host or settings.web_host,
            port=port or settings.web_port,
            single_process=True,
            access_log=False,
            motd=False,
        )
