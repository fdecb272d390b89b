"""Delivery of residents' messages to the board, run by `manage.py db_worker --backend mail`.

django-tasks has no automatic retries, so `deliver_message` schedules its own next attempt.

Exactly once, as far as SMTP allows:
- Before talking to SMTP, the task claims the message with one conditional UPDATE
  (pending → sending, only if the attempt number is the one it expects). A duplicate task, a
  retry racing a "resend", or a task re-run after a crash finds nothing to claim and stops, so
  a message already marked "sent" is never sent again.
- The remaining window: if the worker dies after the SMTP server accepted the e-mail but
  before "sent" is written (milliseconds), the message stays "sending". Losing a resident's
  question is worse than a duplicate, so after stale_claim() another attempt takes it over and
  sends it again (at least once). The copy has the same Message-ID and subject number.
- A task row left "RUNNING" by a crashed worker is never run again by django-tasks-db; the
  `resume_deliveries` command (run before the worker starts) queues an attempt for every
  message that has none, and marks such rows failed.
- A permanent failure (an SMTP 5xx answer, an address that cannot be written) ends the round
  at once: the message shows "not delivered" to the board instead of retrying for a day.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_tasks import task

from . import mail
from .models import ContactMessage

logger = logging.getLogger(__name__)


def stale_claim():
    """Longer than any SMTP conversation (connect, a few commands and DATA, each bounded by
    EMAIL_TIMEOUT): a claim this old belongs to a worker that died. 2 minutes by default.
    """
    return timedelta(seconds=max(settings.EMAIL_TIMEOUT, 10) * 3 + 30)


State = ContactMessage.DeliveryState


def pause_after(retry):
    """The pause after the 1st, 2nd, … failed attempt (CONTACT_DELIVERY_BACKOFF_SECONDS); the
    last one repeats until giving up."""
    pauses = settings.CONTACT_DELIVERY_BACKOFF_SECONDS
    return timedelta(seconds=pauses[min(retry, len(pauses) - 1)])


def describe(exc):
    """What the board sees as the last error: the kind of failure and the server's answer."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def close_abandoned_attempts(message_id=None):
    """Mark failed the delivery task rows a killed worker left RUNNING: django-tasks-db never
    runs or ends them, and no live worker spends this long on one e-mail."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        status="RUNNING",
        task_path=deliver_message.module_path,
        started_at__lt=timezone.now() - stale_claim(),
    )
    if message_id is not None:
        rows = rows.filter(args_kwargs__kwargs__message_id=message_id)
    return rows.update(status="FAILED", finished_at=timezone.now())


@task(backend="mail")
def deliver_message(message_id, attempt=None, retry=0, since=None):
    """Send one message to the board, or schedule the next try.

    attempt: the delivery attempt number this task is for (the claim checks it);
    retry: how many attempts of this round have failed (chooses the pause);
    since: ISO time this round of attempts began (gives up CONTACT_DELIVERY_GIVE_UP_HOURS later).
    """
    message = ContactMessage.objects.filter(pk=message_id).first()
    if message is None:
        return "gone"  # erased by the board or the retention command
    if attempt is None:
        attempt = message.delivery_attempts + 1
    now = timezone.now()

    claimed = (
        ContactMessage.objects.filter(pk=message_id, is_spam=False, delivery_attempts=attempt - 1)
        .filter(
            Q(delivery_state=State.PENDING)
            | Q(delivery_state=State.SENDING, delivery_claimed_at__lt=now - stale_claim())
        )
        .update(
            delivery_state=State.SENDING,
            delivery_attempts=attempt,
            delivery_claimed_at=now,
            delivery_next_attempt_at=None,
        )
    )
    if not claimed:
        return "not mine"  # sent already, spam, or another attempt has it
    if message.delivery_state == State.SENDING:
        close_abandoned_attempts(message_id)  # the claim taken over was a dead worker's

    message.refresh_from_db()
    try:
        # The worker has no request: speak the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            recipients, fallback = mail.delivery_recipients()
            if fallback and recipients:
                logger.warning(
                    "No board addresses set: message %s goes to the administrators.", message_id
                )
            if not recipients:
                raise mail.NoBoardRecipients(
                    _("No board e-mail addresses in the site settings (Settings → Association).")
                )
            mail.send(mail.build_board_email(message, recipients))
    except Exception as exc:
        return _after_failure(message, attempt, retry, since, exc)

    ContactMessage.objects.filter(pk=message_id).update(
        delivery_state=State.SENT,
        delivered_at=timezone.now(),
        delivery_last_error="",
        delivery_claimed_at=None,
    )
    logger.info("Message %s delivered to the board (attempt %s).", message_id, attempt)
    return "sent"


def _after_failure(message, attempt, retry, since, exc):
    now = timezone.now()
    started = (since and parse_datetime(since)) or message.received_at
    give_up_at = started + timedelta(hours=settings.CONTACT_DELIVERY_GIVE_UP_HOURS)
    # Only the id and the kind of error go to the log: no resident's data.
    logger.warning(
        "Delivery of message %s failed (attempt %s): %s",
        message.pk,
        attempt,
        type(exc).__name__,
    )
    mine = ContactMessage.objects.filter(
        pk=message.pk, delivery_state=State.SENDING, delivery_attempts=attempt
    )
    with transaction.atomic():
        if now >= give_up_at or mail.is_permanent(exc):
            mine.update(
                delivery_state=State.FAILED,
                delivery_last_error=describe(exc),
                delivery_claimed_at=None,
                delivery_next_attempt_at=None,
            )
            logger.error("Gave up delivering message %s after %s attempts.", message.pk, attempt)
            return "failed"
        next_at = now + pause_after(retry)
        if mine.update(
            delivery_state=State.PENDING,
            delivery_last_error=describe(exc),
            delivery_claimed_at=None,
            delivery_next_attempt_at=next_at,
        ):
            # Same transaction as the state change: the next attempt exists iff "pending" does.
            deliver_message.using(run_after=next_at).enqueue(
                message_id=message.pk,
                attempt=attempt + 1,
                retry=retry + 1,
                since=started.isoformat(),
            )
    return "retry"


# --- Other e-mails the site sends (e.g. the admin's password reset) ---

# An e-mail that holds a one-time link is worth a few tries, not a day's.
OTHER_EMAIL_ATTEMPTS = 5


@task(backend="mail")
def send_email(subject, body, to, from_email=None, html=None, attempt=1):
    """Send one e-mail from the mail queue, not the web request: a slow or absent SMTP server
    then delays it instead of blocking a server worker, and a failure is tried again."""
    from django.core.mail import EmailMultiAlternatives

    email = EmailMultiAlternatives(subject, body, from_email or settings.DEFAULT_FROM_EMAIL, to)
    if html:
        email.attach_alternative(html, "text/html")
    try:
        mail.send(email)
    except Exception as exc:
        logger.warning("Queued e-mail failed (attempt %s): %s", attempt, type(exc).__name__)
        if attempt >= OTHER_EMAIL_ATTEMPTS or mail.is_permanent(exc):
            return "failed"
        send_email.using(run_after=timezone.now() + pause_after(attempt - 1)).enqueue(
            subject=subject,
            body=body,
            to=to,
            from_email=from_email,
            html=html,
            attempt=attempt + 1,
        )
        return "retry"
    return "sent"
