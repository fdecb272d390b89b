"""Residents' e-mails about events, sent by the mail worker (`db_worker --backend mail`).

The same exactly-once-as-far-as-SMTP-allows scheme as the board's e-mails (contact/tasks.py):
a task claims the stored e-mail with one conditional UPDATE before talking to SMTP, failures
schedule the next attempt with growing pauses, and a claim older than stale_claim() belongs to
a worker that died and may be taken over.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from contact import mail as contact_mail
from contact.tasks import describe, pause_after, stale_claim

from . import mail
from .models import EventMail, Registration

logger = logging.getLogger(__name__)
State = EventMail.State


@task(backend="mail")
def deliver_event_mail(mail_id, attempt=1, retry=0):
    now = timezone.now()
    claimed = (
        EventMail.objects.filter(pk=mail_id, attempts=attempt - 1)
        .filter(Q(state=State.PENDING) | Q(state=State.SENDING, claimed_at__lt=now - stale_claim()))
        .update(state=State.SENDING, attempts=attempt, claimed_at=now)
    )
    if not claimed:
        return "not mine"  # sent already, erased, or another attempt has it
    stored = EventMail.objects.get(pk=mail_id)
    try:
        contact_mail.send(mail.build_email(stored))
    except Exception as exc:
        return _after_failure(stored, attempt, retry, exc)
    EventMail.objects.filter(pk=mail_id).update(
        state=State.SENT, sent_at=timezone.now(), last_error="", claimed_at=None
    )
    return "sent"


def _after_failure(stored, attempt, retry, exc):
    logger.warning(
        "Event e-mail %s failed (attempt %s): %s", stored.pk, attempt, type(exc).__name__
    )
    give_up_at = stored.created_at + timedelta(hours=settings.CONTACT_DELIVERY_GIVE_UP_HOURS)
    now = timezone.now()
    mine = EventMail.objects.filter(pk=stored.pk, state=State.SENDING, attempts=attempt)
    with transaction.atomic():
        if now >= give_up_at:
            mine.update(state=State.FAILED, last_error=describe(exc), claimed_at=None)
            return "failed"
        next_at = now + pause_after(retry)
        if mine.update(state=State.PENDING, last_error=describe(exc), claimed_at=None):
            deliver_event_mail.using(run_after=next_at).enqueue(
                mail_id=stored.pk, attempt=attempt + 1, retry=retry + 1
            )
    return "retry"


def resume(now=None):
    """Queue an attempt for every e-mail still waiting that has none queued; returns how many.

    Called by `manage.py resume_deliveries` (through the "resume_deliveries" Wagtail hook,
    events/wagtail_hooks.py) before the mail worker starts: a worker killed mid-task leaves
    its task "RUNNING" for good, and django-tasks-db never runs it again. Duplicated
    attempts are harmless: the claim lets only one of them send.
    """
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    DBTaskResult.objects.filter(
        status="RUNNING",
        task_path=deliver_event_mail.module_path,
        started_at__lt=now - stale_claim(),
    ).update(status="FAILED", finished_at=now)
    queued = 0
    for stored in EventMail.objects.filter(state__in=[State.PENDING, State.SENDING]):
        has_attempt = DBTaskResult.objects.filter(
            status="READY",
            task_path=deliver_event_mail.module_path,
            args_kwargs__kwargs__mail_id=stored.pk,
        ).exists()
        if has_attempt:
            continue
        run_after = now
        if stored.state == State.SENDING and stored.claimed_at:
            # Perhaps still being sent by a live worker: take over only once stale.
            run_after = max(now, stored.claimed_at + stale_claim())
        deliver_event_mail.using(run_after=run_after).enqueue(
            mail_id=stored.pk, attempt=stored.attempts + 1
        )
        queued += 1
    return queued


@task(backend="mail")
def remind_registration(registration_id, start):
    """The reminder, unless the registration was cancelled or the date has moved since.

    A moved date queues a new reminder for its new start (events/signals.py), so the old
    one ends here quietly.
    """
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event_date__event")
            .filter(pk=registration_id, status=Registration.Status.CONFIRMED)
            .first()
        )
        if registration is None or registration.reminded_at is not None:
            return "not needed"
        event_date = registration.event_date
        if event_date.start != parse_datetime(start) or event_date.is_cancelled:
            return "date changed"
        if event_date.start <= timezone.now():
            return "too late"
        registration.reminded_at = timezone.now()
        registration.save(update_fields=["reminded_at"])
        mail.compose(registration, EventMail.Kind.REMINDER)
    return "reminded"
