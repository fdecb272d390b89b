"""Start the minute-by-minute publishing check on the mail worker's queue (pages.tasks).

Run before every worker start, next to `resume_deliveries`: a worker that died mid-check
leaves no next check behind, and this queues one. It never queues a second one.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from pages.tasks import next_check_waiting, queue_next_check


class Command(BaseCommand):
    help = "Queue the check that publishes scheduled pages every minute, unless one is waiting."

    def handle(self, *args, **options):
        if next_check_waiting():
            self.stdout.write("Scheduled publishing: the next check is already queued.")
            return
        queue_next_check(run_after=timezone.now())
        self.stdout.write("Scheduled publishing: the first check is queued.")
