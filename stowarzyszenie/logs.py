"""Logging for production: one JSON line per event on stdout, no personal data.

Used by Django (settings.LOGGING) and by gunicorn (gunicorn.conf.py), so the web
server's own lines and the application's lines look the same to a log collector.
"""

import logging
import re

from pythonjsonlogger.json import JsonFormatter

# Residents' e-mail addresses must never reach a log file, not even inside an SMTP
# error message or a traceback; the mail worker logs the message id instead.
EMAIL_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
HEALTH_PATH = "/healthz"


class RedactingJsonFormatter(JsonFormatter):
    """JSON lines with anything that looks like an e-mail address replaced."""

    def format(self, record):
        return EMAIL_ADDRESS.sub("[e-mail]", super().format(record))


class SkipHealthChecks(logging.Filter):
    """Drops access-log lines for /healthz (a load balancer calls it every few seconds)
    and gives the others separate fields for a log collector to filter on."""

    def filter(self, record):
        atoms = record.args if isinstance(record.args, dict) else {}
        # gunicorn passes its access-log atoms as a mapping: m method, U path without the
        # query string, s status, M duration in ms. The client address is left out.
        if atoms.get("U") == HEALTH_PATH:
            return False
        if atoms:
            record.method, record.path = atoms.get("m"), atoms.get("U")
            record.status, record.duration_ms = atoms.get("s"), atoms.get("M")
        return True


def logging_config(level="INFO"):
    """The dictConfig shared by Django and gunicorn."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"skip_health_checks": {"()": SkipHealthChecks}},
        "formatters": {
            "json": {
                "()": RedactingJsonFormatter,
                "fmt": "%(levelname)s %(name)s %(message)s",
                # ISO 8601 in UTC, whatever TIME_ZONE the site shows.
                "timestamp": "time",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "json_ensure_ascii": False,
            },
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            },
            "access": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
                "filters": ["skip_health_checks"],
            },
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Django's defaults print to the console only with DEBUG and mail the (absent)
            # ADMINS otherwise; here everything goes to stdout through the root logger.
            "django": {"handlers": [], "level": level, "propagate": True},
            "gunicorn.error": {"handlers": [], "level": level, "propagate": True},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            # axes names the client address and username in its lines; the lockout itself
            # is visible in the access log as a 429.
            "axes": {"handlers": [], "level": "ERROR", "propagate": True},
            # Two lines per background task (Wagtail's search index, reference index…) would
            # bury everything else; deliveries log their outcome in contact.tasks.
            "django_tasks": {"handlers": [], "level": "WARNING", "propagate": True},
            "django_tasks_db": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }
