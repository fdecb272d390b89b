"""The board's replies to a resident, written in the admin and sent by the mail worker.

A reply is stored first (with its author, time and Message-ID), then sent through the same
durable "mail" queue as the e-mails to the board (contact/durable_mail.py): claimed with one
conditional UPDATE, retried with growing pauses, never sent twice once marked "sent".

Threading (RFC 5322): every outgoing mail has its own Message-ID; `In-Reply-To` names the
latest mail in the thread and `References` the whole chain, starting from the board's e-mail
about the question. Mail programs (Gmail, Outlook, Thunderbird) thread on these, and the
resident's answer carries them back, which is how contact/inbound.py finds the thread.
"""

import logging
import re
import secrets

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import Site

from pages.models import AssociationSettings

from . import durable_mail, mail
from .models import ContactMessage, ThreadEntry

logger = logging.getLogger(__name__)

Entry = ThreadEntry
State = ThreadEntry.DeliveryState
# Enough for every mail program; a long thread keeps its root and latest mails.
MAX_REFERENCES = 20
OUTBOX = durable_mail.Outbox(ThreadEntry, id_kwarg="entry_id", only=(("kind", Entry.Kind.REPLY),))


def mail_domain():
    sender = settings.DEFAULT_FROM_EMAIL
    return mail.header_safe(sender.rsplit("@", 1)[-1].strip(" >")) if "@" in sender else "localhost"


# --- The signed reply address: odpowiedzi+14.3fa9c0d2b1e4@… ----------------------------------


def reply_signature(message_pk):
    return salted_hmac("contact.reply-address", str(message_pk)).hexdigest()[:12]


def signed_reply_address(message):
    """CONTACT_REPLY_ADDRESS with the message number and its signature, or None if unset.

    The mailbox must deliver "plus" addresses to the same inbox (most do). The signature
    keeps a guessed number from attaching a stranger's mail to someone else's thread.
    """
    base = getattr(settings, "CONTACT_REPLY_ADDRESS", "")
    if not base or "@" not in base:
        return None
    local, domain = base.rsplit("@", 1)
    return f"{local}+{message.pk}.{reply_signature(message.pk)}@{domain}"


SIGNED_LOCAL_PART = re.compile(r"\+(\d+)\.([0-9a-f]{12})@", re.IGNORECASE)


def message_pk_from_signed_address(address):
    match = SIGNED_LOCAL_PART.search(address or "")
    if match and constant_time_compare(match.group(2).lower(), reply_signature(match.group(1))):
        return int(match.group(1))
    return None


# --- Headers of the thread ------------------------------------------------------------------


def thread_message_ids(message):
    """The Message-IDs of the thread so far, oldest first: the board's e-mail, then every mail
    sent or received since (internal notes are never mail)."""
    ids = [mail.message_id_header(message)]
    ids += list(
        message.thread.exclude(kind=Entry.Kind.NOTE)
        .exclude(message_id_header="")
        .values_list("message_id_header", flat=True)
    )
    return ids


def new_message_id(message):
    """A Message-ID of its own for each mail; short, so the header line is never folded."""
    return f"<reply-{message.pk}.{secrets.token_hex(10)}@{mail_domain()}>"


def references_for(ids):
    if len(ids) > MAX_REFERENCES:
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1) :]
    return " ".join(ids)


def reply_subject(message):
    """ "Re: <the start of the question> [#14]": the number lets anyone find the thread."""
    start = mail.header_safe(message.text, max_length=60)
    return f"Re: {start} [{message.reference}]"


def association_public_email():
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return ""
    return AssociationSettings.for_site(site).public_email


def reply_to_address(message):
    return signed_reply_address(message) or association_public_email() or None


# --- Writing a reply ------------------------------------------------------------------------


def quoted(entry_or_message):
    """What the reply answers, quoted below it as mail programs do."""
    if isinstance(entry_or_message, ContactMessage):
        when, who, text = (
            entry_or_message.received_at,
            entry_or_message.sender_name,
            entry_or_message.text,
        )
    else:
        when, who, text = (
            entry_or_message.created_at,
            entry_or_message.message.sender_name,
            entry_or_message.display_text,
        )
    lines = "\n".join(("> " + line).rstrip() for line in text.splitlines())
    return when, who, lines


def answered_part(message):
    """The resident's latest mail in the thread, or their question if they sent none."""
    latest = message.thread.filter(kind=Entry.Kind.INBOUND).order_by("-created_at", "-pk").first()
    return latest or message


def reply_body(message, text):
    when, who, lines = quoted(answered_part(message))
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "contact/email/reply.txt",
            {
                "text": text.strip(),
                "when": timezone.localtime(when),
                "who": mail.header_safe(who, max_length=200),
                "quoted": lines,
                "site_name": settings.WAGTAIL_SITE_NAME,
            },
        )


def start_reply(message, author, text):
    """Store the board's reply and queue it; the message counts as answered from now on.

    The entry, the state change and the queued task are committed together or not at all.
    """
    with transaction.atomic():
        ids = thread_message_ids(message)
        entry = Entry.objects.create(
            message=message,
            kind=Entry.Kind.REPLY,
            author=author,
            subject=reply_subject(message),
            text=reply_body(message, text),
            shown_text=text.strip(),
            message_id_header=new_message_id(message),
            in_reply_to_header=ids[-1],
            references_header=references_for(ids),
            delivery_state=State.PENDING,
        )
        ContactMessage.objects.filter(pk=message.pk).update(
            handling_state=ContactMessage.HandlingState.ANSWERED
        )
        send_reply.enqueue(entry_id=entry.pk, attempt=1, since=entry.created_at.isoformat())
    return entry


def build_reply_email(entry):
    message = entry.message
    reply_to = reply_to_address(message)
    return EmailMessage(
        subject=entry.subject,
        body=entry.text,
        # The association's own address (SPF/DMARC); answers go to Reply-To.
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.resident_reply_to(message) or message.sender_email],
        reply_to=[reply_to] if reply_to else None,
        headers={
            "Message-ID": entry.message_id_header,
            "In-Reply-To": entry.in_reply_to_header,
            "References": entry.references_header,
        },
    )


@task(backend="mail")
def send_reply(entry_id, attempt=1, retry=0, since=None):
    """Send one stored reply to the resident, or schedule the next try."""
    if not OUTBOX.claim(entry_id, attempt, timezone.now()):
        return "not mine"  # sent already, deleted, or another attempt has it
    entry = Entry.objects.select_related("message").get(pk=entry_id)
    try:
        mail.send(build_reply_email(entry))
    except Exception as exc:
        return _after_failure(entry, attempt, retry, since, exc)
    OUTBOX.mark_sent(entry_id)
    logger.info("Reply %s to message %s sent (attempt %s).", entry_id, entry.message_id, attempt)
    return "sent"


def _after_failure(entry, attempt, retry, since, exc):
    started = (since and parse_datetime(since)) or entry.created_at
    logger.warning("Reply %s failed (attempt %s): %s", entry.pk, attempt, type(exc).__name__)
    return OUTBOX.after_failure(
        entry.pk,
        attempt,
        retry,
        exc,
        started=started,
        queue_next=lambda next_at: send_reply.using(run_after=next_at).enqueue(
            entry_id=entry.pk, attempt=attempt + 1, retry=retry + 1, since=started.isoformat()
        ),
    )


def add_note(message, author, text):
    """An internal note: seen by the board in the thread, never sent to the resident."""
    return Entry.objects.create(message=message, kind=Entry.Kind.NOTE, author=author, text=text)


def explain_delivery_error(error):
    """The stored error ("SMTPRecipientsRefused: …") in words a board member understands."""
    if not error:
        return ""
    kind = error.split(":", 1)[0].strip()
    explanations = {
        "NoBoardRecipients": _(
            "No board e-mail addresses are set (Settings → Association), so there was "
            "nobody to send it to."
        ),
        "SMTPRecipientsRefused": _("The mail server refused the recipient's address."),
        "SMTPSenderRefused": _("The mail server refused the sender's address."),
        "SMTPAuthenticationError": _("The mail server did not accept the login or password."),
        "SMTPServerDisconnected": _("The mail server ended the connection."),
        "SMTPConnectError": _("The mail server could not be reached."),
        "ConnectionRefusedError": _("The mail server could not be reached (connection refused)."),
        "TimeoutError": _("The mail server did not answer in time."),
        "socket.timeout": _("The mail server did not answer in time."),
        "gaierror": _("The mail server's name could not be found."),
        "SMTPDataError": _("The mail server refused the e-mail's content."),
    }
    explanation = explanations.get(kind, _("The e-mail could not be sent."))
    return _("%(explanation)s (Technical detail: %(error)s)") % {
        "explanation": explanation,
        "error": error,
    }


def resume_replies():
    """Queue an attempt for every reply still waiting to be sent that has no attempt queued;
    returns how many. A worker killed mid-task leaves its task "RUNNING" for ever."""
    durable_mail.close_abandoned_attempts(send_reply)
    return OUTBOX.resume(
        send_reply,
        lambda entry, now: {
            "attempt": entry.delivery_attempts + 1,
            "since": entry.created_at.isoformat(),
        },
    )
