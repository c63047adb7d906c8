# The Newsroom app image: web (gunicorn), Celery worker and beat all run from it.
# Build: docker compose build   (or: docker build -t newsroom .)

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml constraints.txt ./
# Dependencies only, pinned by constraints.txt: a code change does not reinstall them.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install -c constraints.txt -r requirements.txt

FROM python:3.11-slim-bookworm
# pg_dump/pg_restore for bin/backup and bin/restore; version 15 matches the compose database.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 newsroom \
    && useradd --system --uid 10001 --gid newsroom --home-dir /app --shell /usr/sbin/nologin newsroom
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MEDIA_ROOT=/app/media
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The code stays owned by root: the app user can write only media/ and var/.
COPY . .
RUN python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p media var \
    && chown newsroom:newsroom media var
USER newsroom
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8000/healthz/', timeout=4)"
# Workers come from WEB_CONCURRENCY (gunicorn reads it); logs go to stdout.
CMD ["gunicorn", "newsroom.wsgi", "--config", "python:newsroom.gunicorn_conf", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--forwarded-allow-ips", "*"]
