"""Queue an attempt for every message still waiting for delivery that has none queued.

Run before starting the mail worker (`make run` and production do): a worker that crashed
mid-task leaves its task "RUNNING" forever, and such a message would otherwise wait for good.
Duplicated attempts are harmless: only one of them can claim the message.

Other apps' e-mails (events' e-mails to residents) are resumed by their "resume_deliveries"
Wagtail hooks, each returning a line for the output, so contact does not import them.
"""

from django.core.management.base import BaseCommand
from wagtail import hooks

from contact.tasks import close_abandoned_attempts, resume_deliveries


class Command(BaseCommand):
    help = "Queue delivery for residents' messages that are waiting without a queued attempt."

    def handle(self, *args, **options):
        abandoned = close_abandoned_attempts()
        if abandoned:
            self.stdout.write(f"Marked {abandoned} abandoned delivery task(s) as failed.")
        self.stdout.write(f"Queued delivery of {resume_deliveries()} waiting message(s).")
        for resume in hooks.get_hooks("resume_deliveries"):
            self.stdout.write(resume())
