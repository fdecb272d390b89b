"""The mail worker's health check: the database answers and no e-mail waits past its time.

Run by `docker/entrypoint.sh healthcheck` in the worker container. A worker that is
alive but stuck (or cannot reach the database) leaves due e-mails waiting; after
STALE_MINUTES the container is reported unhealthy, so the orchestrator can restart it.
"""

import os
import sys
from datetime import timedelta

import django

STALE_MINUTES = int(os.environ.get("WORKER_HEALTH_STALE_MINUTES", "5"))


def main():
    django.setup()
    from django.db import Error
    from django.db.models import Q
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = timezone.now() - timedelta(minutes=STALE_MINUTES)
    # Tasks without a time of their own carry the largest date; their enqueue time counts.
    due_long_ago = Q(run_after__lt=cutoff) | Q(run_after=get_date_max(), enqueued_at__lt=cutoff)
    try:
        overdue = DBTaskResult.objects.ready().filter(due_long_ago, backend_name="mail").count()
    except Error as error:
        sys.exit(f"unhealthy: the database does not answer: {error}")
    if overdue:
        sys.exit(
            f"unhealthy: {overdue} e-mail(s) waiting more than {STALE_MINUTES} min past their time"
        )


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
