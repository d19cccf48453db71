# WhatsApp gateway: its tests and benchmark (see docs/gateway.md).
.PHONY: bench-gateway test-gateway

# e.g. make bench-gateway BENCH_GATEWAY_ARGS="--conversations 40 --turns 6"
BENCH_GATEWAY_ARGS ?=

bench: bench-gateway

bench-gateway: $(APP_VENV)/.installed ## N concurrent WhatsApp conversations: webhook -> Rasa -> Twilio latency (needs a model)
	$(APP)/python bench/gateway/run.py $(BENCH_GATEWAY_ARGS)

test-gateway: $(APP_VENV)/.installed ## gateway, web app and end-to-end tests (e2e needs a model)
	$(APP)/pytest tests/channels tests/console tests/e2e
