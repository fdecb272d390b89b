"""The optional daily e-mail to the board listing questions still waiting for an answer.

Off unless CONTACT_DIGEST_HOUR is set (e.g. 8 = every day at 8:00 Warsaw time). The mail
worker runs it: each run sends the digest (only when something waits) and queues the next day's.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import mail
from .board_views import local_time, person, unanswered_days, waiting_too_long
from .models import ContactMessage

logger = logging.getLogger(__name__)


def digest_hour():
    hour = getattr(settings, "CONTACT_DIGEST_HOUR", None)
    return hour if hour is not None and 0 <= hour <= 23 else None


def next_run(now=None):
    """The next CONTACT_DIGEST_HOUR:00 in the site's time zone, after `now`."""
    now = timezone.localtime(now or timezone.now())
    run = now.replace(hour=digest_hour(), minute=0, second=0, microsecond=0)
    if run <= now:
        run = datetime.combine(run.date() + timedelta(days=1), run.time())
        run = timezone.make_aware(run.replace(tzinfo=None))
    return run


def build_digest(waiting, recipients):
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "contact/email/board_digest.txt",
            {
                "waiting": [
                    {
                        "message": message,
                        "received": local_time(message.received_at),
                        "url": mail.admin_url(message),
                        "assigned": person(message.assigned_to) if message.assigned_to else "",
                    }
                    for message in waiting
                ],
                "days": unanswered_days(),
                "site_name": settings.WAGTAIL_SITE_NAME,
            },
        )
        subject = _("Questions waiting for an answer: %(count)s") % {"count": len(waiting)}
    return EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients
    )


def send_digest():
    """Send today's digest now; returns how many questions it listed (0: nothing sent)."""
    waiting = list(
        waiting_too_long(ContactMessage.objects.select_related("assigned_to")).order_by(
            "received_at"
        )
    )
    # The same people as residents' messages: the board, or the administrators while the
    # settings list no board address.
    recipients, _fallback = mail.delivery_recipients()
    if not waiting or not recipients:
        return 0
    mail.send(build_digest(waiting, recipients))
    return len(waiting)


@task(backend="mail")
def send_daily_digest():
    try:
        result = f"listed {send_digest()}"
    except Exception as exc:
        logger.warning("The daily digest failed: %s", type(exc).__name__)
        result = "failed"
    schedule_digest()
    return result


def schedule_digest():
    """Queue the next digest unless one is queued already, or the digest is off."""
    from django_tasks_db.models import DBTaskResult

    if digest_hour() is None:
        return None
    if DBTaskResult.objects.filter(
        task_path=send_daily_digest.module_path, status="READY"
    ).exists():
        return None
    return send_daily_digest.using(run_after=next_run()).enqueue()
