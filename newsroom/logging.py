"""Logging set-up: readable lines on a terminal, one JSON object per line in production.

Log shippers (Loki, CloudWatch, Datadog) index JSON fields without parsing rules, so
production sets LOG_FORMAT=json. Gunicorn's access log goes through the same handler, with
the request's method, path, status and duration as fields of their own.
"""

from typing import Any

from pythonjsonlogger.json import JsonFormatter

# Gunicorn's access-log atoms (its `args` dict) worth a field of their own.
ACCESS_FIELDS = {"m": "method", "U": "path", "s": "status", "M": "duration_ms", "h": "remote"}


class NewsroomJsonFormatter(JsonFormatter):
    def add_fields(self, log_record: dict[str, Any], record, message_dict) -> None:
        super().add_fields(log_record, record, message_dict)
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            for atom, field in ACCESS_FIELDS.items():
                if atom in record.args:
                    log_record[field] = record.args[atom]


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The LOGGING setting: `log_format` is "json" or "plain"."""
    if log_format not in ("json", "plain"):
        raise ValueError(f"LOG_FORMAT must be 'json' or 'plain', not {log_format!r}")
    handler = {"class": "logging.StreamHandler", "formatter": log_format}
    # Gunicorn configures its loggers before Django starts; naming them here moves them onto
    # our handler in every worker, so access lines share the format of the application's.
    gunicorn = {"handlers": ["console"], "level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {
                "()": NewsroomJsonFormatter,
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
        },
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "gunicorn.access": gunicorn,
            "gunicorn.error": gunicorn,
        },
    }
