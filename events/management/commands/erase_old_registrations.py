"""RODO: registrants' personal data is erased EVENTS_RETENTION_DAYS after their date.

Run it daily (cron, or the container's scheduler); the counts of people stay for reports.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from events.erasure import erase_old_registrations


class Command(BaseCommand):
    help = "Erase the personal data of registrations for dates that ended long enough ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days after the date (default: EVENTS_RETENTION_DAYS, 30).",
        )

    def handle(self, *args, days, **options):
        days = settings.EVENTS_RETENTION_DAYS if days is None else days
        erased = erase_old_registrations(days)
        self.stdout.write(f"Erased the personal data of {erased} registration(s).")
