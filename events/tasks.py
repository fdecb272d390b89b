"""Residents' e-mails about events, sent by the mail worker (`db_worker --backend mail`).

The same exactly-once-as-far-as-SMTP-allows scheme as the board's e-mails
(contact/durable_mail.py): a task claims the stored e-mail with one conditional UPDATE before
talking to SMTP, failures schedule the next attempt with growing pauses, and a claim older
than stale_claim() belongs to a worker that died and may be taken over.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from contact import durable_mail
from contact import mail as contact_mail

from . import mail
from .models import EventMail, Registration

logger = logging.getLogger(__name__)
State = EventMail.State
OUTBOX = durable_mail.Outbox(
    EventMail,
    id_kwarg="mail_id",
    state="state",
    attempts="attempts",
    claimed_at="claimed_at",
    last_error="last_error",
    sent_at="sent_at",
)


@task(backend="mail")
def deliver_event_mail(mail_id, attempt=1, retry=0):
    if not OUTBOX.claim(mail_id, attempt, timezone.now()):
        return "not mine"  # sent already, erased, or another attempt has it
    stored = EventMail.objects.get(pk=mail_id)
    try:
        contact_mail.send(mail.build_email(stored))
    except Exception as exc:
        return _after_failure(stored, attempt, retry, exc)
    OUTBOX.mark_sent(mail_id)
    return "sent"


def _after_failure(stored, attempt, retry, exc):
    logger.warning(
        "Event e-mail %s failed (attempt %s): %s", stored.pk, attempt, type(exc).__name__
    )
    return OUTBOX.after_failure(
        stored.pk,
        attempt,
        retry,
        exc,
        started=stored.created_at,
        queue_next=lambda next_at: deliver_event_mail.using(run_after=next_at).enqueue(
            mail_id=stored.pk, attempt=attempt + 1, retry=retry + 1
        ),
    )


def resume(now=None):
    """Queue an attempt for every e-mail still waiting that has none queued; returns how many.

    Called by `manage.py resume_deliveries` (through the "resume_deliveries" Wagtail hook,
    events/wagtail_hooks.py) before the mail worker starts: a worker killed mid-task leaves
    its task "RUNNING" for good, and django-tasks-db never runs it again.
    """
    durable_mail.close_abandoned_attempts(deliver_event_mail)
    return OUTBOX.resume(
        deliver_event_mail, lambda stored, now: {"attempt": stored.attempts + 1}, now=now
    )


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
