"""Delivery of residents' messages to the board, run by `manage.py db_worker --backend mail`.

django-tasks has no automatic retries, so `deliver_message` schedules its own next attempt.
The claim, the retries and the takeover of a dead worker's claim are contact/durable_mail.py's;
here is what is particular to the board's e-mail:
- spam is never sent;
- `resume_deliveries` (run before the worker starts) queues an attempt for every message that
  has none, and marks failed the task rows a killed worker left "RUNNING";
- a permanent failure (an SMTP 5xx answer, an address that cannot be written) ends the round
  at once: the message shows "not delivered" to the board instead of retrying for a day.
"""

import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_tasks import task

from . import durable_mail, mail
from .models import ContactMessage

logger = logging.getLogger(__name__)

State = ContactMessage.DeliveryState
OUTBOX = durable_mail.Outbox(
    ContactMessage,
    id_kwarg="message_id",
    next_attempt_at="delivery_next_attempt_at",
    only=(("is_spam", False),),
)


def close_abandoned_attempts(message_id=None):
    """Mark failed the delivery task rows a killed worker left RUNNING (for one message if
    given); returns how many."""
    kwargs = {} if message_id is None else {"message_id": message_id}
    return durable_mail.close_abandoned_attempts(deliver_message, **kwargs)


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
    if not OUTBOX.claim(message_id, attempt, timezone.now()):
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

    OUTBOX.mark_sent(message_id)
    logger.info("Message %s delivered to the board (attempt %s).", message_id, attempt)
    return "sent"


def _after_failure(message, attempt, retry, since, exc):
    started = (since and parse_datetime(since)) or message.received_at
    # Only the id and the kind of error go to the log: no resident's data.
    logger.warning(
        "Delivery of message %s failed (attempt %s): %s",
        message.pk,
        attempt,
        type(exc).__name__,
    )
    outcome = OUTBOX.after_failure(
        message.pk,
        attempt,
        retry,
        exc,
        started=started,
        queue_next=lambda next_at: deliver_message.using(run_after=next_at).enqueue(
            message_id=message.pk,
            attempt=attempt + 1,
            retry=retry + 1,
            since=started.isoformat(),
        ),
    )
    if outcome == "failed":
        logger.error("Gave up delivering message %s after %s attempts.", message.pk, attempt)
    return outcome


def resume_deliveries():
    """Queue an attempt for every message still waiting that has none queued; returns how many.
    The round of attempts starts again now: the worker was down, not the board's mailbox."""
    return OUTBOX.resume(
        deliver_message,
        lambda message, now: {
            "attempt": message.delivery_attempts + 1,
            "since": now.isoformat(),
        },
    )


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
        send_email.using(run_after=timezone.now() + durable_mail.pause_after(attempt - 1)).enqueue(
            subject=subject,
            body=body,
            to=to,
            from_email=from_email,
            html=html,
            attempt=attempt + 1,
        )
        return "retry"
    return "sent"
