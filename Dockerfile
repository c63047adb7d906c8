# The Newsroom app image: web (gunicorn), Celery worker and beat all run from it.
# Build: docker compose build   (or: docker build -t newsroom .)
# Without a registry or the package index (bin/image-test, docs/deployment.md):
#   BASE=a Debian bookworm with python3, python3-venv and postgresql-client, APT_PACKAGES=
#   and PIP_ARGS="--no-index --find-links <a wheelhouse>".
ARG BASE=python:3.11-slim-bookworm

FROM ${BASE} AS build
ARG PIP_ARGS=
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml constraints.txt ./
# Dependencies only, pinned by constraints.txt: a code change does not reinstall them.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install $PIP_ARGS -c constraints.txt -r requirements.txt

FROM ${BASE}
# pg_dump/pg_restore for bin/backup and bin/restore; version 15 matches the compose database.
# Empty when the base already has them (a local build cannot reach Debian's mirror).
ARG APT_PACKAGES=postgresql-client
RUN if [ -n "$APT_PACKAGES" ]; then \
        apt-get update \
        && apt-get install -y --no-install-recommends $APT_PACKAGES \
        && rm -rf /var/lib/apt/lists/*; \
    fi
RUN groupadd --system --gid 10001 newsroom \
    && useradd --system --uid 10001 --gid newsroom --home-dir /app --shell /usr/sbin/nologin newsroom
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MEDIA_ROOT=/app/media \
    PORT=8000
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The code stays owned by root: the app user can write only media/, imports/ and var/.
COPY . .
RUN python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p media imports var \
    && chown newsroom:newsroom media imports var
USER newsroom
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://localhost:{os.environ[\"PORT\"]}/healthz/', timeout=4)"
# Workers come from WEB_CONCURRENCY (gunicorn reads it); logs go to stdout. gunicorn believes
# X-Forwarded-Proto, and the app X-Forwarded-For, only from FORWARDED_ALLOW_IPS (both read the
# variable; default 127.0.0.1,::1); the app finds the client TRUSTED_PROXY_COUNT proxies back.
CMD ["sh", "-c", "exec gunicorn newsroom.wsgi --config python:newsroom.gunicorn_conf --bind \"0.0.0.0:${PORT}\" --access-logfile -"]
