"""Read residents' answers from the association's mailbox (IMAP_URL) into their threads, once.

The mail worker does this every IMAP_POLL_SECONDS (queued by `start_mail_jobs`); this command
is for cron or for trying the settings by hand.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from contact import inbound


class Command(BaseCommand):
    help = "Read residents' answers from the mailbox in IMAP_URL into their threads, once."

    def handle(self, *args, **options):
        if not settings.IMAP_URL:
            self.stdout.write("IMAP_URL is not set: no mailbox to read.")
            return
        filed, left = inbound.poll_mailbox()
        self.stdout.write(f"{filed} mail(s) filed into threads, {left} left in the mailbox.")
