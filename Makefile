# Factsapi developer commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Tests and checks run with DEBUG off, as production does, with a throwaway key.
TEST_ENV := DEBUG=false SECRET_KEY=test-only-not-secret

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

# What running needs (requirements.txt), then the test tools on top (requirements-dev.txt): `make run`
# installs only the first, `make test` both.
$(BIN)/.installed-run: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed: $(BIN)/.installed-run requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install-run: $(BIN)/.installed-run ## Create .venv and install what running needs (requirements.txt)

install: $(BIN)/.installed ## Create .venv and install the pinned requirements, test tools included

run: install-run ## Migrate, load the seed into an empty database, serve on PORT (default 8000)
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --no-input
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py seed --if-empty
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver $(PORT)

serve: install-run ## Serve with gunicorn (gunicorn.conf.py): PORT (8000), WEB_CONCURRENCY workers; migrate and collectstatic first
	$(BIN)/gunicorn factsapi.wsgi

loadtest: install ## HTTP load test (locust) of gunicorn on 127.0.0.1; needs DATABASE_URL naming a *load* database
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/factsapi_load" >&2; exit 1; }
	$(BIN)/python loadtest/run.py

faults: install ## The failure-mode table (README): gunicorn on a private Redis and PostgreSQL, each stopped and frozen under light load
	$(BIN)/python loadtest/faults.py

test: install lint typecheck check ## Lint, types, Django checks, migrations and schema checks, then the whole test suite
	$(TEST_ENV) $(BIN)/pytest -n auto --dist loadfile

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install ## mypy with the Django and DRF plugins over apps/ and factsapi/
	$(BIN)/mypy

check: install ## manage.py check, makemigrations --check, OpenAPI schema validation
	$(TEST_ENV) $(BIN)/python manage.py check --fail-level WARNING
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/python manage.py spectacular --api-version v1 --validate --fail-on-warn --file /dev/null

intake-eval: install ## Intake extraction scored on the corpus (dev and test halves, per style) and the seed article (SEED_ARTICLE)
	SEED_ARTICLE=$${SEED_ARTICLE:-../shared/seed/000_523b97ff8a7a0c19.txt} $(BIN)/python -m tests.intake.evaluate

# The benchmark reads the database it is given; throttling is off so that hundreds of requests per second pass.
BENCH_ENV := DEBUG=false SECRET_KEY=bench-only-not-secret THROTTLE_ANON_BURST=none THROTTLE_ANON_SUSTAINED=none

bench: install ## Time every list, filter, ordering, q, deep page, item, history, as_of and the changes feed against hand-written pages (DATABASE_URL; fill it with generate_synthetic first)
	$(BENCH_ENV) $(BIN)/python -m tests.bench.run

bench-webhooks: install ## Webhook delivery rate (1 and 4 workers) and commit-to-delivery lag p50/p99, to a local receiver (DATABASE_URL: a throwaway database)
	$(BENCH_ENV) $(BIN)/python -m tests.bench.webhooks

schema: install ## Refresh the committed OpenAPI snapshot after a deliberate API change (and record a new representation's shape)
	$(TEST_ENV) $(BIN)/python manage.py spectacular --api-version v1 --validate --fail-on-warn --file tests/snapshots/openapi-v1.yaml
	$(TEST_ENV) $(BIN)/python -m tests.record.representations write

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

superuser: install-run ## Create an admin user interactively
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py createsuperuser

clean: ## Remove the virtualenv and the local SQLite database
	rm -rf $(VENV) db.sqlite3

.PHONY: help install-run install run serve loadtest faults test lint typecheck check intake-eval bench bench-webhooks schema format superuser clean
