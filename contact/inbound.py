"""Residents' answers, read from the association's mailbox (IMAP_URL) into their thread.

The mail worker polls the mailbox (`poll_mailbox`, a task that schedules its next run). A mail
joins a thread when it answers one of the thread's mails: by `In-Reply-To`, then by
`References`, then by the signed reply address it was sent to, then by the "[#14]" tag in the
subject when it comes from the resident's own address. A mail that matches nothing is left in
the mailbox exactly as it was (not even marked as read): it is someone else's business.

Only the text is kept: attachments are named in the thread but never stored.
"""

import contextlib
import email
import imaplib
import logging
import re
from datetime import timedelta
from email import policy
from email.utils import getaddresses
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django_tasks import task
from mailparser_reply import EmailReplyParser

from . import mail, replies
from .models import ContactMessage, ThreadEntry

logger = logging.getLogger(__name__)

Entry = ThreadEntry
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
BOARD_MESSAGE_ID = re.compile(r"<contact-(\d+)\.\d+@[^>]+>")
SUBJECT_TAG = re.compile(r"\[#(\d+)\]")
# Languages whose "On … wrote:" lines and signatures the cleaner recognises.
REPLY_LANGUAGES = ["pl", "en", "de"]


class MailboxSettings:
    """IMAP_URL split up: imaps://user:password@host:993/INBOX (imap:// without TLS)."""

    def __init__(self, url):
        parts = urlsplit(url)
        if parts.scheme not in ("imap", "imaps"):
            raise ValueError("IMAP_URL must start with imap:// or imaps://")
        self.use_ssl = parts.scheme == "imaps"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (993 if self.use_ssl else 143)
        self.user = unquote(parts.username or "")
        self.password = unquote(parts.password or "")
        self.folder = unquote(parts.path.lstrip("/")) or "INBOX"

    def connect(self):
        timeout = getattr(settings, "EMAIL_TIMEOUT", 30)
        if self.use_ssl:
            connection = imaplib.IMAP4_SSL(self.host, self.port, timeout=timeout)
        else:
            connection = imaplib.IMAP4(self.host, self.port, timeout=timeout)
        connection.login(self.user, self.password)
        return connection


# --- Finding the thread ----------------------------------------------------------------------


def ids_in(header_value):
    return MESSAGE_ID.findall(str(header_value or ""))


def messages_for_ids(message_ids):
    """{Message-ID: question} for those of `message_ids` that belong to a thread here.

    Two queries however many ids a mail names: a References header is the sender's to fill.
    """
    found = {}
    entries = (
        Entry.objects.filter(message_id_header__in=message_ids)
        .exclude(kind=Entry.Kind.NOTE)
        .select_related("message")
    )
    for entry in entries:
        found.setdefault(entry.message_id_header, entry.message)
    board_ids = {
        message_id: int(match.group(1))
        for message_id in message_ids
        if message_id not in found and (match := BOARD_MESSAGE_ID.fullmatch(message_id))
    }
    questions = ContactMessage.objects.in_bulk(set(board_ids.values()))
    for message_id, pk in board_ids.items():
        question = questions.get(pk)
        if question is not None and mail.message_id_header(question) == message_id:
            found[message_id] = question
    return found


def sender_address(parsed):
    addresses = getaddresses([str(parsed.get("From", ""))])
    return addresses[0][1].strip().lower() if addresses else ""


def find_message(parsed):
    """The question this mail answers, trying the surest clue first."""
    # In-Reply-To first, then References from the newest mail back.
    clues = ids_in(parsed.get("In-Reply-To")) + ids_in(parsed.get("References"))[::-1]
    threads = messages_for_ids(clues)
    for message_id in clues:
        if message_id in threads:
            return threads[message_id]
    recipients = getaddresses(
        [str(parsed.get(h, "")) for h in ("To", "Cc", "Delivered-To", "X-Original-To")]
    )
    for _name, address in recipients:
        pk = replies.message_pk_from_signed_address(address)
        if pk is not None and (found := ContactMessage.objects.filter(pk=pk).first()):
            return found
    # The tag alone could be typed by anyone: only the resident who asked may use it.
    tag = SUBJECT_TAG.search(str(parsed.get("Subject", "")))
    if tag:
        return ContactMessage.objects.filter(
            pk=int(tag.group(1)), sender_email__iexact=sender_address(parsed)
        ).first()
    return None


# --- Reading the mail ------------------------------------------------------------------------


def body_text(parsed):
    part = parsed.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError):
        text = part.get_payload(decode=True).decode("utf-8", errors="replace")
    if part.get_content_type() == "text/html":
        text = strip_tags(text)
    return text.replace("\r\n", "\n").strip()


def before_quoted_history(text):
    """Cut at the first quoted line ("> …") and the attribution line above it.

    The cleaner below knows many mail programs' "On … wrote:" lines, but not Thunderbird's
    Polish "W dniu … pisze:"; a quote that follows an attribution is history in any language.
    """
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(">"):
            head = lines[:index]
            while head and not head[-1].strip():
                head.pop()
            if head and head[-1].rstrip().endswith(":"):
                head.pop()
            return "\n".join(head).strip() or text
    return text


def without_history(text):
    """The new part of an answer: quoted history and signature cut off for reading."""
    text = before_quoted_history(text)
    try:
        parsed = EmailReplyParser(languages=REPLY_LANGUAGES).read(text=text)
        # `body` is the newest part without its signature ("Pozdrawiam…", "-- ").
        latest = parsed.replies[0].body if parsed.replies else None
    except Exception:  # a cleaner's bug must not stop the mail from being read
        logger.exception("Could not strip the quoted history of a reply.")
        latest = None
    return (latest or text).strip()


def attachment_names(parsed):
    names = []
    for part in parsed.iter_attachments():
        names.append(mail.header_safe(part.get_filename() or part.get_content_type(), 120))
    return "\n".join(names)


def take_in(raw):
    """File one raw mail into its thread. Returns the entry, or None when it matches nothing."""
    parsed = email.message_from_bytes(raw, policy=policy.default)
    message = find_message(parsed)
    if message is None:
        return None
    own_id = (ids_in(parsed.get("Message-ID")) or [""])[0]
    if own_id:
        already = Entry.objects.filter(
            message=message, kind=Entry.Kind.INBOUND, message_id_header=own_id
        ).first()
        if already is not None:
            return already
    text = body_text(parsed)
    with transaction.atomic():
        entry = Entry.objects.create(
            message=message,
            kind=Entry.Kind.INBOUND,
            # When it reached the mailbox, not the sender's clock: keeps the thread in order.
            created_at=timezone.now(),
            subject=mail.header_safe(str(parsed.get("Subject", "")), 300),
            text=text,
            shown_text=without_history(text),
            attachments=attachment_names(parsed),
            message_id_header=own_id[:998],
            in_reply_to_header=" ".join(ids_in(parsed.get("In-Reply-To")))[:998],
            references_header=" ".join(ids_in(parsed.get("References"))),
        )
        # The resident wrote again: the question is open until the board answers.
        ContactMessage.objects.filter(pk=message.pk).exclude(
            handling_state=ContactMessage.HandlingState.SPAM
        ).update(handling_state=ContactMessage.HandlingState.IN_PROGRESS)
    logger.info("A resident's mail joined the thread of message %s.", message.pk)
    return entry


def poll_mailbox(url=None):
    """Read unread mail from the mailbox once; returns (filed, left alone)."""
    url = url or getattr(settings, "IMAP_URL", "")
    if not url:
        return 0, 0
    mailbox = MailboxSettings(url)
    connection = mailbox.connect()
    filed = left = 0
    try:
        connection.select(f'"{mailbox.folder}"')
        _status, data = connection.uid("SEARCH", None, "UNSEEN")
        for uid in (data[0] or b"").split():
            # PEEK leaves the mail unread, so a mail that is not ours stays as it was.
            _status, fetched = connection.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in fetched if isinstance(item, tuple)), None)
            if raw is None:
                continue
            try:
                entry = take_in(raw)
            except Exception:
                # One mail the code cannot read must not hold up the others; it stays unread.
                logger.exception("Could not file a mail from the mailbox.")
                entry = None
            if entry is None:
                left += 1
                continue
            connection.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            filed += 1
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            connection.logout()
    return filed, left


@task(backend="mail")
def poll_mailbox_regularly():
    """Poll, then schedule the next poll; a failed poll (server away) is tried again later."""
    try:
        filed, left = poll_mailbox()
        result = f"filed {filed}, left {left}"
    except Exception as exc:
        logger.warning("Could not read the mailbox: %s", type(exc).__name__)
        result = "failed"
    schedule_next_poll()
    return result


def schedule_next_poll(delay=None):
    """Queue the next poll unless one is waiting already (the worker may restart any time)."""
    from django_tasks_db.models import DBTaskResult

    if not getattr(settings, "IMAP_URL", ""):
        return None
    path = f"{poll_mailbox_regularly.module_path}"
    waiting = DBTaskResult.objects.filter(task_path=path, status="READY")
    if waiting.exists():
        return None
    delay = delay if delay is not None else timedelta(seconds=settings.IMAP_POLL_SECONDS)
    return poll_mailbox_regularly.using(run_after=timezone.now() + delay).enqueue()
