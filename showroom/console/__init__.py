"""The web app (Sanic): gateway webhooks, /health, the WhatsApp simulator; later the agent
console. `create_app` in app.py assembles it; `showroom serve` runs it."""
