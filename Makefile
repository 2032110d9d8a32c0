# Two commands for a newcomer: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
REQ_HASH := $(shell cat requirements.txt requirements-dev.txt 2>/dev/null | sha1sum | cut -c1-12)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: test-deploy restore-drill image run test test-quick test-next next-venv bench loadtest screenshots install install-dev system-deps system-deps-test messages upstream-po lint checks pytest pytest-quick services-start services-stop clean

run: system-deps install messages ## install, migrate, seed the demo and serve on http://127.0.0.1:8000/
	$(PY) manage.py migrate --noinput
	$(PY) manage.py private_files_move --forget-missing  # PDFs an older checkout left under media/
	$(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)"
	scripts/serve.sh

test: system-deps-test install-dev messages lint checks pytest ## the complete suite, on SQLite and on PostgreSQL + S3 + Redis

# The forward-compatibility leg: the same checks and both test passes on Python 3.13 with the newest
# Django Wagtail supports (requirements-next.txt), in their own venv. Not part of `make test`.
NEXT_VENV ?= .venv-next
test-next: system-deps-test next-venv ## the suite on Python 3.13 + the newest Django Wagtail supports (.venv-next)
	$(MAKE) --no-print-directory VENV=$(NEXT_VENV) messages checks pytest

next-venv:
	NEXT_VENV=$(NEXT_VENV) scripts/next-venv.sh

test-quick: system-deps-test install-dev messages lint checks pytest-quick ## lint, checks and the SQLite pass only

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip

$(VENV)/.runtime-$(REQ_HASH): $(PY)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-$(REQ_HASH): $(PY)
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-$(REQ_HASH)

install: $(VENV)/.runtime-$(REQ_HASH)

install-dev: $(VENV)/.dev-$(REQ_HASH)

system-deps:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

messages: ## compile the Thai and English translation catalogs
	$(PY) manage.py compilemessages --ignore='.venv*' --ignore=staticfiles -v0

upstream-po: install-dev ## the project's Thai for Wagtail as Wagtail's own catalogs, for its translators (build/upstream-po/)
	scripts/upstream-po.sh

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $$(git ls-files 'templates/*.html' '*/templates/*.html')

checks:
	DJANGO_SETTINGS_MODULE=training.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=training.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest:
	scripts/test-suite.sh

pytest-quick:
	PASSES=embedded scripts/test-suite.sh

test-deploy: system-deps-test install-dev ## the image, deploy/compose.yaml over HTTPS, a browser journey through it, the restore drill (docs/deploy.md)
	scripts/test-deploy.sh

restore-drill: ## restore a backup into a scratch stack and check it: DEPLOY=deploy IDENTITY=<age identity> [BACKUP=<name>]
	deploy/restore-drill.sh $(or $(DEPLOY),deploy) $(IDENTITY) $(BACKUP)

image: ## the container image (deploy/Containerfile; see docs/deploy.md)
	deploy/build-image.sh

bench: install-dev messages ## benchmarks against a bare-Django baseline (see bench/README.md)
	@scripts/system-deps.sh bench
	$(PY) bench/run.py $(BENCH_ARGS)

loadtest: system-deps-test install-dev messages ## 200 volunteers for 60 s against gunicorn on PostgreSQL; nothing lost (see README)
	$(PY) loadtest/run.py $(LOADTEST_ARGS)

screenshots: system-deps-test install-dev messages ## phone-size pictures of the demo for the README
	$(PY) scripts/screenshots.py

services-start:
	scripts/services.sh start

services-stop:
	scripts/services.sh stop

clean:
	rm -rf staticfiles .collected-static .test-media* .test-private* .services .test-db.sqlite3*
