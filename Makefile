# Showroom — every task a developer, a designer or CI runs.
# `make run` starts the assistant on embedded defaults; `make test` runs the whole suite.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PY311 ?= python3.11
APP_VENV := .venv
RASA_VENV := .venv-rasa
APP := $(APP_VENV)/bin
RASA := $(RASA_VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export REQUIRE_SYSTEM_DEPS ?= $(if $(filter true 1 yes,$(CI)),1,0)


.PHONY: help setup run shell train test lint typecheck format test-app test-components \
        validate test-stories test-nlu lookups lock clean bench

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

# ---------------------------------------------------------------------------- set-up
# Stamps make a second `make setup` a no-op; a changed lock file reinstalls.
setup: $(APP_VENV)/.installed $(RASA_VENV)/.installed .env var/.system-deps ## build both environments

$(APP_VENV)/.installed: requirements/app.lock pyproject.toml
	@command -v $(PY311) >/dev/null || { echo "Python 3.11 not found. Install it (pyenv install 3.11, uv python install 3.11, or your package manager) or point to one: make setup PY311=/path/to/python3.11"; exit 1; }
	@[ -x $(APP)/python ] || $(PY311) -m venv $(APP_VENV)
	$(APP)/pip install -q --upgrade pip
	$(APP)/pip install -q -r requirements/app.lock
	$(APP)/pip install -q --no-deps -e .
	@touch $@

$(RASA_VENV)/.installed: requirements/rasa.lock
	@[ -x $(RASA)/python ] || "$$(scripts/find-python310.sh)" -m venv $(RASA_VENV)
	$(RASA)/pip install -q --upgrade pip
	$(RASA)/pip install -q -r requirements/rasa.lock
	@# `source .venv-rasa/bin/activate` also loads .env, so `rasa shell` finds endpoints.yml's variables
	@grep -q showroom-env $(RASA)/activate || printf '\n# showroom-env\nset -a; [ -f "%s/.env" ] && . "%s/.env"; set +a\n' "$(CURDIR)" "$(CURDIR)" >> $(RASA)/activate
	@touch $@

.env:
	cp .env.example .env
	@# this machine's own secrets: the example's placeholder is refused once Twilio or Redis is set
	sed -i "s/^SECRET_KEY=change-me$$/SECRET_KEY=$$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')/" .env
	printf 'RASA_TOKEN=%s\n' "$$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" >> .env

var/.system-deps: scripts/system-deps.sh
	scripts/system-deps.sh runtime
	@touch $@

# Only the tests need a browser and PDF tools: `make run` does not install them.
var/.system-deps-test: scripts/system-deps.sh
	scripts/system-deps.sh
	@touch $@

lock: ## re-resolve requirements/*.in into the lock files
	rm -rf /tmp/showroom-lock && $(PY311) -m venv /tmp/showroom-lock/app
	/tmp/showroom-lock/app/bin/pip install -q -r requirements/app.in
	/tmp/showroom-lock/app/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements/app.lock
	"$$(scripts/find-python310.sh)" -m venv /tmp/showroom-lock/rasa
	/tmp/showroom-lock/rasa/bin/pip install -q -r requirements/rasa.in
	/tmp/showroom-lock/rasa/bin/pip freeze > requirements/rasa.lock

# ---------------------------------------------------------------------------- run
run: setup ## set up, import demo data, train if needed, start everything (Ctrl-C stops it)
	$(APP)/showroom db upgrade
	$(APP)/showroom demo load
	$(MAKE) --no-print-directory train
	$(APP)/honcho start -f Procfile

train: $(RASA_VENV)/.installed ## train the assistant (skipped when nothing changed); prints the time
	@start=$$(date +%s); \
	$(RASA)/rasa train --quiet --num-threads 2 --augmentation 0 ; \
	echo "train: $$(( $$(date +%s) - start )) s"

shell: setup ## talk to the assistant in the terminal (rasa shell + the action server)
	@set -a; . ./.env; set +a; \
	$(APP)/python -m rasa_sdk --actions actions --port 5055 >var/actions.log 2>&1 & pid=$$!; \
	trap "kill $$pid" EXIT; $(RASA)/rasa shell --endpoints endpoints.yml

lookups: $(APP_VENV)/.installed ## regenerate brand/model lookup tables from the inventory database
	$(APP)/showroom nlu lookups --out data/lookups

# ---------------------------------------------------------------------------- checks
lint: $(APP_VENV)/.installed ## ruff + mypy
	$(APP)/ruff check .
	$(APP)/ruff format --check .
	$(APP)/mypy

format: $(APP_VENV)/.installed
	$(APP)/ruff format .
	$(APP)/ruff check --fix .

validate: $(RASA_VENV)/.installed ## rasa data validate
	$(RASA)/rasa data validate --fail-on-warnings

test: setup var/.system-deps-test lint validate train test-components test-app test-stories test-nlu ## the whole suite

test-app: $(APP_VENV)/.installed var/.system-deps-test ## pytest: services, actions, gateway, integration (needs a model)
	$(APP)/pytest

test-components: $(RASA_VENV)/.installed ## pytest for components/ inside Rasa's environment
	$(RASA)/pytest -q -p no:cacheprovider -c tests/components/pytest.ini tests/components

test-stories: $(RASA_VENV)/.installed ## conversation test stories, fail on any wrong prediction
	SHOWROOM_NLU_FROZEN_NOW=2026-11-25T10:00:00 $(RASA)/rasa test core --e2e --stories tests/stories --fail-on-prediction-errors --out results/core

test-nlu: $(RASA_VENV)/.installed ## NLU evaluation on a held-out split, printed per intent
	$(APP)/python scripts/nlu_eval.py --rasa $(RASA)/rasa

clean:
	rm -rf results .rasa var/*.db

-include mk/*.mk
