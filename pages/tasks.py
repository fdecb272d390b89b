"""Scheduled publishing without cron: the mail worker runs Wagtail's `publish_scheduled`
every minute.

Editors set "go live" and "expiry" times on pages; Wagtail only acts on them when its
`publish_scheduled` command runs. A fresh server has no cron job for it, but it always runs
the mail worker (`db_worker --backend mail`), so the check is a task on that queue that
queues its own next run a minute later. `manage.py schedule_publishing`, run before the
worker starts, queues the first one unless one is waiting.
"""

import logging
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

EVERY = timedelta(minutes=1)
# Finished runs are deleted after this; one a minute would otherwise fill the queue table.
KEEP_FINISHED = timedelta(hours=1)


def queue_next_check(run_after=None):
    return publish_scheduled_pages.using(run_after=run_after or timezone.now() + EVERY).enqueue()


def next_check_waiting():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status="READY", task_path=publish_scheduled_pages.module_path
    ).exists()


def forget_finished_checks():
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        task_path=publish_scheduled_pages.module_path,
        status__in=["SUCCESSFUL", "FAILED"],
        finished_at__lt=timezone.now() - KEEP_FINISHED,
    ).delete()


@task(backend="mail")
def publish_scheduled_pages():
    """Publish pages whose time has come and unpublish expired ones; then wait a minute."""
    # The next run is queued first: if this one fails or the worker dies, the clock goes on.
    if not next_check_waiting():
        queue_next_check()
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    forget_finished_checks()
    return out.getvalue().strip()
