"""Queue an attempt for every message still waiting for delivery that has none queued.

Run before starting the mail worker (`make run` and production do): a worker that crashed
mid-task leaves its task "RUNNING" forever, and such a message would otherwise wait for good.
Duplicated attempts are harmless: only one of them can claim the message.

Other apps' e-mails (events' e-mails to residents) are resumed by their "resume_deliveries"
Wagtail hooks, each returning a line for the output, so contact does not import them.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail import hooks

from contact.models import ContactMessage
from contact.tasks import close_abandoned_attempts, deliver_message, stale_claim

State = ContactMessage.DeliveryState


class Command(BaseCommand):
    help = "Queue delivery for residents' messages that are waiting without a queued attempt."

    def handle(self, *args, **options):
        now = timezone.now()
        abandoned = close_abandoned_attempts()
        if abandoned:
            self.stdout.write(f"Marked {abandoned} abandoned delivery task(s) as failed.")
        queued = 0
        waiting = ContactMessage.objects.filter(
            is_spam=False, delivery_state__in=[State.PENDING, State.SENDING]
        )
        for message in waiting:
            has_attempt = DBTaskResult.objects.filter(
                status="READY",
                task_path=deliver_message.module_path,
                args_kwargs__kwargs__message_id=message.pk,
            ).exists()
            if has_attempt:
                continue
            run_after = now
            if message.delivery_state == State.SENDING and message.delivery_claimed_at:
                # Perhaps still being sent by a live worker: take over only once stale.
                run_after = max(now, message.delivery_claimed_at + stale_claim())
            deliver_message.using(run_after=run_after).enqueue(
                message_id=message.pk,
                attempt=message.delivery_attempts + 1,
                since=now.isoformat(),
            )
            queued += 1
        self.stdout.write(f"Queued delivery of {queued} waiting message(s).")
        for resume in hooks.get_hooks("resume_deliveries"):
            self.stdout.write(resume())
