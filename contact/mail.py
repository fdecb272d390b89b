"""The e-mail that tells the board about a resident's message.

Small functions so that a fork can change who gets the e-mail or how it looks without
touching the delivery logic in contact/tasks.py.
"""

import re
import smtplib
from email.utils import formataddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from pages.models import AssociationSettings

# Line breaks, other control characters and Unicode line/paragraph separators: none of them
# may travel from what a resident typed into a header line.
HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]+")
# Bidirectional embeddings, overrides and isolates: an unclosed one reverses how the rest of
# a subject line or an admin list row is displayed.
BIDI_CONTROLS = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class NoBoardRecipients(Exception):
    """The site settings list no board addresses: the e-mail waits until someone adds one."""


def header_safe(value, max_length=80):
    """One line of text fit for a header: control characters become a space, length capped."""
    value = BIDI_CONTROLS.sub("", value or "")
    value = HEADER_UNSAFE.sub(" ", value).strip()
    value = re.sub(r"\s{2,}", " ", value)
    if len(value) > max_length:
        value = value[: max_length - 1].rstrip() + "…"
    return value


def board_recipients(site=None):
    """The board's addresses from the association's settings (editable in the admin)."""
    site = site or Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return []
    return AssociationSettings.for_site(site).board_recipient_list


def fallback_recipients():
    """Who gets residents' messages while no board address is set: the superusers' e-mail
    addresses, else ADMINS. A fresh install then still delivers to the person who set it up.
    """
    from django.contrib.auth import get_user_model

    addresses = (
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    found = list(dict.fromkeys(addresses)) or [address for _name, address in settings.ADMINS]
    return found


def delivery_recipients(site=None):
    """(addresses, True when they are the fallback rather than the board's own)."""
    board = board_recipients(site)
    if board:
        return board, False
    return fallback_recipients(), True


def ascii_address(email):
    """The address with its domain IDNA-encoded (jan@żółw.pl → jan@xn--w-uga1v8h.pl), as
    headers and the SMTP envelope need it; raises UnicodeError for a domain IDNA refuses.
    """
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}"


class PermanentFailure(Exception):
    """A failure that no retry will cure: the board should see it at once."""


def is_permanent(exc):
    """An SMTP 5xx answer, or an e-mail that cannot even be written: retrying cannot help."""
    if isinstance(exc, PermanentFailure | UnicodeError):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in exc.recipients.values())
    code = getattr(exc, "smtp_code", None)
    return isinstance(exc, smtplib.SMTPResponseException) and code is not None and code >= 500


def resident_reply_to(message):
    """`Reply-To` for the resident, or None when the stored address is not a valid one.

    formataddr quotes or RFC 2047-encodes the name, so a comma in "Żółć, Łukasz" stays part
    of one display name instead of splitting it into two addresses.
    """
    email = (message.sender_email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        return None
    if HEADER_UNSAFE.search(email):
        return None
    return formataddr((header_safe(message.sender_name, max_length=200), ascii_address(email)))


def admin_url(message):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("contact_messages:inspect", args=[message.pk])


def message_id_header(message):
    """A Message-ID stable for this message, so that a copy sent twice (see
    contact/durable_mail.py on the crash window) can be recognised and folded by mail programs.
    The time of receipt keeps it unique even if message numbers start over in a new database.
    """
    sender = settings.DEFAULT_FROM_EMAIL
    domain = sender.rsplit("@", 1)[-1].strip(" >") if "@" in sender else "localhost"
    stamp = int(message.received_at.timestamp())
    return f"<contact-{message.pk}.{stamp}@{header_safe(domain)}>"


def build_board_email(message, recipients):
    name = header_safe(message.sender_name, max_length=60)
    subject = _("Question from the website from %(name)s [%(reference)s]") % {
        "name": name,
        "reference": message.reference,
    }
    context = {
        "message": message,
        "received_at": timezone.localtime(message.received_at),
        "admin_url": admin_url(message),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    reply_to = resident_reply_to(message)
    email = EmailMultiAlternatives(
        subject=subject,
        # Plain text is the e-mail itself; the resident's text appears exactly as typed.
        body=render_to_string("contact/email/board_message.txt", context),
        # Always the site's own address: sending "from" the resident would fail SPF/DMARC.
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[reply_to] if reply_to else None,
        headers={"Message-ID": message_id_header(message)},
    )
    # The HTML part is rendered with autoescaping: markup typed by a resident is shown, never run.
    email.attach_alternative(
        render_to_string("contact/email/board_message.html", context), "text/html"
    )
    return email


def send(email):
    """Send through the configured backend; any refusal raises, so the task can retry."""
    if not email.send(fail_silently=False):
        raise RuntimeError("The mail backend sent nothing.")
