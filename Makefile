# The two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PY := .venv/bin/python
PYTEST := .venv/bin/pytest
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve-prod test install lint migrations-check deploy-check test-sqlite test-postgres test-e2e test-load-smoke test-browser-and-load demo-large bench clean

install:
	@scripts/bootstrap.sh

run: export DJANGO_DEBUG ?= 1
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --scale small --if-empty
	$(PY) manage.py runserver $(HOST):$(PORT)

serve-prod: install
	scripts/serve-prod.sh

test: install lint migrations-check deploy-check test-sqlite test-postgres test-browser-and-load
	@echo "==> 全部测试通过"

# The browser tests keep less than one core busy, so the load smoke runs
# beside them: 5.0 min for both, against 6.8 min one after the other. Each
# one's output is printed whole when it ends; either failing fails the run.
test-browser-and-load: install
	$(MAKE) --no-print-directory -j2 --output-sync=target test-e2e test-load-smoke

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# The production profile must pass Django's deployment checklist.
deploy-check: install
	PORTAL_PROFILE=production DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=portal.example.com \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))')" \
	$(PY) manage.py check --deploy --fail-level WARNING

test-sqlite: install
	$(PYTEST) -n auto --no-migrations --ignore=tests/e2e --ignore=tests/pg -q

test-postgres: install
	scripts/with-postgres.sh $(PYTEST) -n 2 --no-migrations --ignore=tests/e2e -q

test-e2e: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PYTEST) tests/e2e -q

# A short load run against 2 gunicorn workers on PostgreSQL: fails on any
# error, 5xx or lost post (tests/load; figures in docs/operations.md).
test-load-smoke: install
	PG_TEST_PORT=$${PG_LOAD_PORT:-55433} scripts/with-postgres.sh $(PY) -m tests.load.smoke

demo-large: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --scale large

# Large demo (cached in var/demo-cache), each page as each role, heavy tasks;
# writes bench/results.json. Figures and budgets: docs/performance.md.
bench: install
	$(PY) -m bench

clean:
	rm -rf .venv db.sqlite3* staticfiles .pytest_cache .ruff_cache
