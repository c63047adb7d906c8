# Newsroom: `make run` serves the site with demo content, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The local run is production-like (DEBUG off, gunicorn, WhiteNoise) but plain HTTP on loopback.
# Emails link to SITE_URL (they have no request to take the address from).
LOCAL_ENV = SECURE=false DEBUG=false ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL=http://127.0.0.1:$(PORT)
# The local database, mail, broker messages and secret key live here, the owner's only: the
# folder is mode 700 and the processes that write in it run with umask 077 (so does bin/serve).
VAR_DIR ?= var
OWNER_ONLY = umask 077 &&

.PHONY: install run dev migrate test lint format seed browser clean bench bench-alerts bench-archive var image-test

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

# Also closes a folder that an older checkout made readable to all.
var:
	install -d -m 700 $(VAR_DIR)

$(VAR_DIR)/secret_key: | var
	$(OWNER_ONLY) $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

migrate: install var
	$(OWNER_ONLY) $(BIN)/python manage.py migrate --noinput --verbosity 0

run: install $(VAR_DIR)/secret_key migrate
	$(LOCAL_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(OWNER_ONLY) $(LOCAL_ENV) $(BIN)/python manage.py seed_demo
	$(LOCAL_ENV) PORT=$(PORT) bin/serve

dev: install migrate
	$(OWNER_ONLY) DEBUG=true SECURE=false $(BIN)/python manage.py seed_demo
	$(OWNER_ONLY) DEBUG=true SECURE=false SITE_URL=http://127.0.0.1:$(PORT) CELERY_TASK_ALWAYS_EAGER=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production settings, PostgreSQL (newsroom_bench) and Redis (db 9) on this machine, measured
# with wrk; see docs/benchmarks.md. BENCH_ARGS="--seconds 60" for longer runs.
bench: install
	command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# One breaking alert to 20,000 subscribers: PostgreSQL (newsroom_bench_alerts), Redis broker
# (db 10), a worker with 2 processes, a local SMTP sink; against a plain smtplib loop.
bench-alerts: install
	$(BIN)/python -m bench.alerts $(BENCH_ARGS)

# Search, lists, sitemaps, a feed and the admin over 200,000 stories on PostgreSQL
# (newsroom_bench_archive) and 20,000 on SQLite; see docs/benchmarks.md. CI: BENCH_ARGS=--smoke.
bench-archive: install
	command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.archive $(BENCH_ARGS)

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
	rm -rf $(VENV) $(VAR_DIR) staticfiles media node_modules test-artifacts
