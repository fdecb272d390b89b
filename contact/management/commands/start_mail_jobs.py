"""Run before the mail worker starts: queue what a crashed worker left behind, and the
worker's regular jobs (reading the mailbox, the daily digest) where they are switched on."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from contact import digest, inbound, replies


class Command(BaseCommand):
    help = "Resume unsent replies; queue the mailbox reading and the daily digest if configured."

    def handle(self, *args, **options):
        resumed = replies.resume_replies()
        self.stdout.write(f"{resumed} reply/replies queued again.")
        if inbound.schedule_next_poll(delay=timedelta(0)):
            self.stdout.write("Mailbox reading queued.")
        if digest.schedule_digest():
            self.stdout.write("Daily digest queued.")
