# Two commands do everything on a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
RASA      := $(VENV)/bin/rasa
MODEL     := models/safeguard.tar.gz
TRAIN_SRC := config.yml domain.yml $(shell find data/nlu data/stories -name '*.yml' 2>/dev/null)

export ACTION_ENDPOINT_URL ?= http://localhost:5055/webhook
export TF_CPP_MIN_LOG_LEVEL ?= 3
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export PYTHONDONTWRITEBYTECODE ?= 1

.PHONY: help run shell test bench eval lock validate train clean screenshots

help:
	@echo "make run    start the bot on SQLite: Rasa :5005, actions :5055, web app and widget :8000,"
	@echo "            alerts and outbox workers; the Telegram bridge too when TELEGRAM_BOT_TOKEN is set"
	@echo "make test   set up, validate data, run pytest and Rasa test stories"
	@echo "make shell  chat with the bot in this terminal"
	@echo "make bench  measure reply times"
	@echo "make eval   how often fresh messages reach the right route (and guidance questions the right answer)"

# Find Python 3.10 (Rasa 3.6 supports 3.8-3.10 only), make the venv, install the lock.
$(VENV)/.installed: requirements.lock scripts/find-python
	@set -e; PYTHON310="$$(scripts/find-python)"; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then \
		rm -rf $(VENV); echo "Creating $(VENV) with $$PYTHON310"; "$$PYTHON310" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==24.0" "setuptools==70.3.0" "wheel==0.45.1"
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . --config-settings editable_mode=compat
	$(PY) -m pip check
	@touch $@

# Retrain only when training data, domain or config changed.
$(MODEL): $(VENV)/.installed $(TRAIN_SRC)
	$(RASA) train --fixed-model-name safeguard --out models --quiet
	@touch $@

train: $(MODEL)

validate: $(VENV)/.installed
	$(PY) -m bot orgs validate
	$(RASA) data validate --fail-on-warnings --quiet

run: $(MODEL)
	$(PY) -m bot serve

shell: $(MODEL)
	$(PY) -m bot serve --shell

test: $(MODEL) validate
	scripts/with-chromium scripts/with-postgres $(PY) -m pytest -q
	$(RASA) test core --stories tests/stories --model $(MODEL) --out results --fail-on-prediction-errors

bench: $(MODEL)
	$(PY) scripts/bench.py

# docs/widget-desktop.png and docs/widget-phone.png, from the real bot in headless Chromium.
screenshots: $(MODEL)
	scripts/with-chromium $(PY) scripts/screenshots.py

eval: $(MODEL)
	$(PY) -m bot.nlu_eval

# Re-resolve the direct dependencies in requirements.in and pin the whole tree.
lock: $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements.in
	$(PY) -m pip check
	$(PY) -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) models results .rasa
