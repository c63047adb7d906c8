"""Settings for Newsroom, read from the environment (12-factor).

The embedded default (no variables set but SECRET_KEY) is SQLite, the database meter, a
filesystem Celery broker and emails written to a folder. Production sets DATABASE_URL,
REDIS_URL, EMAIL_URL, ALLOWED_HOSTS and SECRET_KEY.
"""

from pathlib import Path

import environ
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from newsroom.csp import static_file_headers
from newsroom.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")
# The embedded set-up's files: SQLite database, secret key, mail, broker. `make` creates the
# folder owner-only, and the processes it and bin/serve start write there with umask 077.
VAR_DIR = BASE_DIR / env("VAR_DIR", default="var")

DEBUG = env.bool("DEBUG", default=False)
# The secret comes from SECRET_KEY, or from the file SECRET_KEY_FILE names (a Docker secret,
# or var/secret_key that the local run generates once). Without either, and unless DEBUG is
# on, it is empty: commands that sign nothing (makemigrations, check) still run, and the web
# and Celery processes refuse to start (newsroom/secret.py).
SECRET_KEY_FILE = Path(env("SECRET_KEY_FILE", default=str(VAR_DIR / "secret_key")))
if "SECRET_KEY" in env or not SECRET_KEY_FILE.is_file():
    SECRET_KEY = env("SECRET_KEY", default="dev-insecure" if DEBUG else "")
else:
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
# Proxies of our own in front of the app (a load balancer, nginx): the client is the N-th
# address from the right of X-Forwarded-For (newsroom/client.py); 0 trusts no header. The
# header is believed only from the nearest proxy's addresses, the list gunicorn reads for
# X-Forwarded-Proto under the same name (networks allowed, "*" for any).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
FORWARDED_ALLOW_IPS = env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"])
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env("SITE_NAME", default="The Newsroom Ledger")
# Canonical scheme and host for feeds, sitemaps and emails; empty means the request's own.
SITE_URL = env("SITE_URL", default="").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_prose_editor",
    "simple_history",
    "newsroom",
    "articles",
    "accounts",
    "alerts",
    "paywall",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.csp.admin_importmap_csp",
    "allauth.account.middleware.AccountMiddleware",
    "paywall.middleware.PaywallMiddleware",
    "accounts.middleware.EditorTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "newsroom.limiter_middleware.LimiterUnavailableMiddleware",
    # Last, so that it sees the 404 of any view and the home page's query first.
    "articles.redirects.RedirectMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]

# Database: SQLite by default, tuned for several gunicorn workers writing at once.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

REDIS_URL = env("REDIS_URL", default="")
CACHE_DIR = Path(env("CACHE_DIR", default=str(VAR_DIR / "cache")))

if REDIS_URL:
    # Fails soft (newsroom/cache.py): with Redis away, cache reads miss and pages still serve.
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    # On disk, so that the web workers share it: a change made in one is seen by all.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR / "default",
        }
    }
# Rendered article pages, on each web node's own disk: a read costs no round trip and no
# worker memory, and a node that lacks a page renders it. Each follows the versions of the
# scopes it shows (newsroom/page_cache.py).
CACHES["pages"] = {
    "BACKEND": "newsroom.page_cache.PlainFileCache",
    "LOCATION": CACHE_DIR / "pages",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}
# Sessions are read from the cache and written through to the database: a signed-in reader's
# page costs no session query, and a cache that is lost or unreachable loses no session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How long a web worker trusts the scopes' versions it last read (newsroom/page_cache.py): a
# publication or an edit reaches every worker within this time.
CONTENT_VERSION_TRUST_SECONDS = env.float("CONTENT_VERSION_TRUST_SECONDS", default=1.0)
# How often an open live story's page asks what is new while it is seen (four times as
# seldom while its tab is hidden).
LIVE_POLL_SECONDS = env.int("LIVE_POLL_SECONDS", default=15)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]

# django-allauth: email only. A new reader types the code we email and is in; sign-up answers
# the same for an address that has an account, whose owner is told by mail (README, Accounts).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# login_failed: 10 a minute per client, over all addresses, and 5 in five minutes per address
# *and client* (the key, accounts/adapters.py): a stranger's wrong passwords lock out no owner.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# And wrong passwords for one address from any number of clients, per window in seconds:
# past this the address signs in by emailed code or a reset (accounts/adapters.py). Above
# what one client may try in the window (60 an hour), so that no single client reaches it.
ACCOUNTS_LOGIN_FAILED_PER_ADDRESS = (100, 3600)
# Mail a stranger can make us send (codes, resets, sign-ups, alert confirmations), per inbox
# (newsroom/mail_caps.py).
MAIL_CAP_PER_INBOX_HOUR = env.int("MAIL_CAP_PER_INBOX_HOUR", default=5)
MAIL_CAP_PER_INBOX_DAY = env.int("MAIL_CAP_PER_INBOX_DAY", default=10)
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
ACCOUNT_ADAPTER = "accounts.adapters.ReaderAccountAdapter"
# Editors publish and send alerts: with this on, they use the admin only with TOTP set up.
ACCOUNTS_EDITOR_MFA_REQUIRED = env.bool("ACCOUNTS_EDITOR_MFA_REQUIRED", default=False)

# Paywall (defaults in paywall/conf.py). The donation secret is shared with the payment
# platform, which signs its return link with it.
PAYWALL_DONATION_SECRET = env("PAYWALL_DONATION_SECRET", default="")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# PostgreSQL's text search configuration (stemming, stop words) for the newsroom's language;
# run `manage.py rebuild_search` after changing it.
SEARCH_LANGUAGE = env("SEARCH_LANGUAGE", default="english")

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
# Uploaded media is served by the app on the one-box set-up; a CDN or web server takes it over
# when scaling out (see the README).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# `make bench` sets this to a saved article page, which /bench/floor/ then serves from memory.
BENCH_FLOOR_FILE = env("BENCH_FLOOR_FILE", default="")

# The body editor's own extensions (static/admin/editor/), each loaded by django-prose-editor
# where a field turns it on (articles/models/content.py). They make only what the body's
# sanitiser keeps (articles/sanitize.py): figures of pictures, and embeds; the others (keep a
# selected picture while typing, clean a paste, count words) make no markup of their own.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("admin/editor/pictures.js")],
        "extensions": {"BodyPictures": html_tags(["figure", "img", "figcaption"])},
    },
    {
        "js": [static_lazy("admin/editor/embeds.js")],
        "extensions": {"BodyEmbeds": html_tags(["figure", "a"])},
    },
    {"js": [static_lazy("admin/editor/counts.js")], "extensions": {"WritingAids": html_tags([])}},
    {
        "js": [static_lazy("admin/editor/keep_pictures.js"), static_lazy("admin/editor/paste.js")],
        "extensions": {"KeepPictures": html_tags([]), "CleanPaste": html_tags([])},
    },
]

# Email: EMAIL_URL (smtp://user:pass@host:587, consolemail://), else files in var/mail.
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <news@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when configured, else a broker in the filesystem that needs no server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "control_folder": str(VAR_DIR / "broker-control"),
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# On TERM (remapped to a cold shutdown where the worker is started: bin/serve, the image), a
# running task gets this long to finish; then it goes back to the broker (acks late) and the
# alert ledger's claims hand its unsent rows to the next worker. Within a supervisor's 10 s.
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 5.0
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "articles-go-live": {"task": "articles.tasks.go_live_task", "schedule": 30.0},
    "paywall-funnel-flush": {"task": "paywall.tasks.funnel_flush_task", "schedule": 60.0},
    "alerts-requeue-expired": {
        "task": "articles.tasks.alert_requeue_expired_task",
        "schedule": 15.0,
    },
}

# Breaking alerts (defaults in alerts/conf.py): sending rate per worker process
# (0 = as fast as the SMTP server accepts) and how long a silent worker's claim lasts.
ALERTS_RATE_PER_SECOND = env.float("ALERTS_RATE_PER_SECOND", default=0.0)
ALERTS_CLAIM_SECONDS = env.int("ALERTS_CLAIM_SECONDS", default=120)

# Uploads: refuse what no newsroom photo needs, before Pillow decodes it.
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=20 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=50_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Moving a site in (articles/importers/). Exports uploaded in the admin are kept out of
# MEDIA_ROOT (they hold drafts), in a folder the web and the worker share.
IMPORT_ROOT = Path(env("IMPORT_ROOT", default=str(VAR_DIR / "imports")))
IMPORT_MAX_EXPORT_BYTES = env.int("IMPORT_MAX_EXPORT_BYTES", default=500 * 1024 * 1024)
IMPORT_MAX_MEDIA_ZIP_BYTES = env.int("IMPORT_MAX_MEDIA_ZIP_BYTES", default=2 * 1024**3)
IMPORT_MAX_MEDIA_UNPACKED_BYTES = env.int("IMPORT_MAX_MEDIA_UNPACKED_BYTES", default=4 * 1024**3)
IMPORT_MAX_MEDIA_FILES = env.int("IMPORT_MAX_MEDIA_FILES", default=100_000)
# A running import that has not said it is alive for this long is shown stalled, and may be
# started again (it changes nothing twice).
IMPORT_STALLED_SECONDS = env.int("IMPORT_STALLED_SECONDS", default=120)
IMPORT_FETCH_TIMEOUT_SECONDS = env.int("IMPORT_FETCH_TIMEOUT_SECONDS", default=10)
# Networks a picture may be fetched from although they are not public (an intranet media
# host), e.g. "10.1.2.0/24"; empty: public addresses only.
IMPORT_FETCH_ALLOWED_NETWORKS = env.list("IMPORT_FETCH_ALLOWED_NETWORKS", default=[])
IMPORT_FETCH_RESOLVER = "articles.importers.fetch.SystemResolver"

# HTTPS-only settings: on by default, off only for the local plain-HTTP run.
SECURE = env.bool("SECURE", default=True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
# Whether a request came over HTTPS is the proxy's word, which gunicorn takes (as the
# request's scheme) only from FORWARDED_ALLOW_IPS: Django reads no header of its own for it.
SECURE_PROXY_SSL_HEADER = None
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The players of the providers a story may embed (articles/embeds.py, checked at
        # start-up), each loaded only when a reader clicks to play.
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://platform.twitter.com",
        ],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# LOG_FORMAT=json in production: one JSON object per line, for the log shipper.
LOGGING = logging_config(
    log_format=env.str("LOG_FORMAT", default="plain"), level=env("LOG_LEVEL", default="INFO")
)

# Errors go to Sentry when a DSN is configured; without one, sentry-sdk is not even imported
# (it adds some 18 MB to every process).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=None),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
