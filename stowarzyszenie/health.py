"""/healthz for load balancers and Docker's HEALTHCHECK.

A middleware rather than a URL so that it answers before the host check (load
balancers call it by IP address) and without sessions, templates or the page cache.
SecurityMiddleware exempts it from the HTTPS redirect (SECURE_REDIRECT_EXEMPT).
"""

import logging

from django.core.cache import cache
from django.db import Error as DatabaseError
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from .logs import HEALTH_PATH

logger = logging.getLogger(__name__)


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # A broken connection must not be reused by the next request.
        connection.close()
        return False
    return True


def cache_answers():
    # The default cache is always the degrading one (settings.CACHES), which probes the real one.
    return cache.probe()


def health_report():
    """Healthy while the database answers. Without the cache the site still works, only
    slower (pages render uncached), so a broken cache is reported "degraded", not a failure.
    """
    database_ok = database_answers()
    cache_ok = cache_answers()
    parts = {
        "database": "ok" if database_ok else "unavailable",
        "cache": "ok" if cache_ok else "degraded",
    }
    status = ("ok" if cache_ok else "degraded") if database_ok else "unavailable"
    return database_ok, {"status": status, **parts}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        healthy, report = health_report()
        if not healthy:
            failed = [part for part, state in report.items() if part != "status" and state != "ok"]
            logger.warning("health check failed", extra={"failed": failed})
        elif report["status"] != "ok":
            logger.warning("health check: cache degraded")
        response = JsonResponse(report, status=200 if healthy else 503)
        add_never_cache_headers(response)
        return response
