# Dialogue (domain, rules, stories, actions): docs/dialogue.md
.PHONY: test-actions actions

test-actions: $(APP_VENV)/.installed ## action unit tests (tests/actions, SQLite + PostgreSQL)
	$(APP)/pytest tests/actions

actions: $(APP_VENV)/.installed ## run the action server alone (ACTION_PORT, default 5055)
	$(APP)/python -m rasa_sdk --actions actions --port $${ACTION_PORT:-5055}
