"""The e-mails residents get about their registration, rendered into the outbox (EventMail).

Small functions, so that a fork can change the wording or the attachments without touching
the registration rules (events/registration.py) or the delivery (events/tasks.py).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from contact.mail import header_safe

from . import calendar
from .models import EventMail
from .registration_tokens import cancel_token

SUBJECTS = {
    EventMail.Kind.CONFIRMATION: _("Registration confirmed: %(title)s"),
    EventMail.Kind.WAITLIST: _("You are on the waitlist: %(title)s"),
    EventMail.Kind.PROMOTION: _("A place is yours: %(title)s"),
    EventMail.Kind.REMINDER: _("Reminder: %(title)s"),
    EventMail.Kind.CHANGE: _("Change: %(title)s"),
    EventMail.Kind.CANCELLATION: _("Cancelled: %(title)s"),
}


def site_root(event):
    site = event.get_site()
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def event_url(event):
    return event.get_full_url() or site_root(event) + event.url_path


def cancel_url(registration):
    event = registration.event_date.event
    return site_root(event) + reverse("events:cancel", args=[cancel_token(registration)])


def attaches_calendar(kind, registration):
    """The .ics goes with everything that puts (or keeps) a place in the calendar."""
    if kind == EventMail.Kind.WAITLIST:
        return False
    return kind == EventMail.Kind.CANCELLATION or registration.status == "confirmed"


def compose(registration, kind, *, sequence=None):
    """Render one e-mail about `registration` into the outbox and queue it after commit."""
    event_date = registration.event_date
    event = event_date.event
    url = event_url(event)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "registration": registration,
            "event": event,
            "event_date": event_date,
            "start": timezone.localtime(event_date.start),
            "end": timezone.localtime(event_date.end),
            "url": url,
            "cancel_url": cancel_url(registration) if registration.is_active else "",
            "kind": kind,
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = str(SUBJECTS[kind]) % {"title": header_safe(event.title, max_length=120)}
        body = render_to_string("events/email/registration.txt", context)
    ics = ""
    if attaches_calendar(kind, registration):
        ics = calendar.date_calendar(
            event_date,
            url=url,
            for_registered=True,
            sequence=sequence,
            cancelled=kind == EventMail.Kind.CANCELLATION,
        ).decode()
    mail = EventMail.objects.create(
        registration=registration if registration.pk else None,
        kind=kind,
        recipient=registration.email,
        subject=subject,
        body=body,
        ics=ics,
    )
    mail.queue()
    return mail


def message_id(mail):
    """Stable per stored e-mail: a copy sent twice after a worker crash folds into one."""
    return f"<event-mail-{mail.pk}.{int(mail.created_at.timestamp())}@plac-nzs>"


def build_email(mail):
    """The stored e-mail as Django sends it, with the .ics attached as text/calendar."""
    email = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.recipient],
        headers={"Message-ID": message_id(mail)},
    )
    if mail.ics:
        method = "CANCEL" if "METHOD:CANCEL" in mail.ics else "PUBLISH"
        email.attach("wydarzenie.ics", mail.ics, f"text/calendar; charset=utf-8; method={method}")
    return email
