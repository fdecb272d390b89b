"""Read residents' answers from the association's mailbox (IMAP_URL) into their threads.

`poll_mailbox` reads once (cron, or by hand); `poll_mailbox --schedule` only makes sure the
mail worker reads the mailbox every IMAP_POLL_SECONDS (run before the worker starts).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from contact import inbound


class Command(BaseCommand):
    help = "Read residents' answers from the mailbox in IMAP_URL into their threads."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Only queue the worker's regular reading of the mailbox.",
        )

    def handle(self, *args, schedule, **options):
        if not settings.IMAP_URL:
            self.stdout.write("IMAP_URL is not set: no mailbox to read.")
            return
        if schedule:
            queued = inbound.schedule_next_poll(delay=timedelta(0))
            self.stdout.write("Mailbox reading queued." if queued else "Already queued.")
            return
        filed, left = inbound.poll_mailbox()
        self.stdout.write(f"{filed} mail(s) filed into threads, {left} left in the mailbox.")
