# Newsroom: `make run` serves the site with demo content, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The local run is production-like (DEBUG off, gunicorn, WhiteNoise) but plain HTTP on loopback.
LOCAL_ENV = SECURE=false DEBUG=false ALLOWED_HOSTS=127.0.0.1,localhost

.PHONY: install run dev test lint format seed browser clean bench bench-alerts image-test

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

run: install var/secret_key
	$(LOCAL_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(LOCAL_ENV) $(BIN)/python manage.py migrate --noinput --verbosity 0
	$(LOCAL_ENV) $(BIN)/python manage.py seed_demo
	$(LOCAL_ENV) PORT=$(PORT) bin/serve

dev: install
	DEBUG=true SECURE=false $(BIN)/python manage.py migrate --noinput --verbosity 0
	DEBUG=true SECURE=false $(BIN)/python manage.py seed_demo
	DEBUG=true SECURE=false CELERY_TASK_ALWAYS_EAGER=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production settings, PostgreSQL (newsroom_bench) and Redis (db 9) on this machine, measured
# with wrk; see docs/benchmarks.md. BENCH_ARGS="--seconds 60" for longer runs.
bench: install
	command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# One breaking alert to 20,000 subscribers: PostgreSQL (newsroom_bench_alerts), Redis broker
# (db 10), a worker with 2 processes, a local SMTP sink; against a plain smtplib loop.
bench-alerts: install
	$(BIN)/python -m bench.alerts $(BENCH_ARGS)

browser:
	bin/install-browser

# Builds the image without a registry (Debian base by debootstrap, wheels from this host) and
# boots web, worker and beat against this machine's PostgreSQL and Redis; needs root and Docker.
image-test: install
	bin/image-test

test: install browser
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles media node_modules test-artifacts
