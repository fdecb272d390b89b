"""RODO housekeeping: delete residents' messages past the retention period.

Meant to run daily (cron or a systemd timer). Also removes expired captcha challenges and
finished mail-queue rows, which hold no personal data but would pile up.
"""

import calendar
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contact.models import ContactMessage


def months_before(moment, months):
    """The same day and time `months` calendar months earlier (clamped to the month's end)."""
    years, month_index = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + years, month_index + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


class Command(BaseCommand):
    help = (
        "Delete residents' messages received more than --months months ago "
        "(default CONTACT_RETENTION_MONTHS), expired captcha challenges and old mail-queue rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=getattr(settings, "CONTACT_RETENTION_MONTHS", 24),
            help="Keep messages this many months (default: %(default)s).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say what would be deleted."
        )

    def handle(self, *args, months, dry_run, **options):
        if months < 1:
            raise CommandError("--months must be at least 1.")
        cutoff = months_before(timezone.now(), months)
        old = ContactMessage.objects.filter(received_at__lt=cutoff)
        count = old.count()
        when = timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M")
        if dry_run:
            self.stdout.write(f"Would delete {count} message(s) received before {when}.")
            return
        old.delete()
        self.stdout.write(f"Deleted {count} message(s) received before {when} ({months} months).")

        from captcha.models import CaptchaStore

        expired = CaptchaStore.objects.filter(expiration__lte=timezone.now())
        captchas = expired.count()
        expired.delete()
        self.stdout.write(f"Deleted {captchas} expired captcha challenge(s).")

        from contact.throttle import delete_ended

        self.stdout.write(f"Deleted {delete_ended()} ended rate-limit window(s).")

        # What `prune_db_task_results` does, counted here so that the summary stays in one place.
        from django_tasks_db.models import DBTaskResult

        finished = DBTaskResult.objects.finished().filter(
            backend_name="mail", finished_at__lte=timezone.now() - timedelta(days=14)
        )
        tasks = finished.count()
        finished.delete()
        self.stdout.write(f"Deleted {tasks} finished mail-queue row(s) older than 14 days.")
