"""Residents' messages to the association, and the contact form's settings."""

import hashlib

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from pages.cache import CachedSiteSettingMixin


def clause_version(text):
    """A stamp of a clause's exact wording: it changes whenever the text changes."""
    digest = hashlib.sha256(text.strip().encode("utf-8")).hexdigest()
    return f"sha256:{digest[:12]}"


class ContactMessage(models.Model):
    """A question a resident sent through the contact form.

    Stored before anything else happens, so that no message is ever lost; the
    e-mail to the board is sent afterwards by the mail worker, and the delivery
    fields record how that went.
    """

    class SpamReason(models.TextChoices):
        NONE = "", _("not spam")
        HONEYPOT = "honeypot", _("hidden field filled in")
        TIME_TRAP = "time_trap", _("sent too quickly")
        MARKED_BY_BOARD = "board", _("marked by the board")

    class DeliveryState(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("not delivered")
        NOT_SENT = "not_sent", _("not sent (spam)")

    class HandlingState(models.TextChoices):
        NEW = "new", _("new")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        SPAM = "spam", _("spam")

    sender_name = models.CharField(_("name"), max_length=200)
    sender_email = models.EmailField(_("e-mail address"), max_length=254, db_index=True)
    text = models.TextField(_("message"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    consent_given = models.BooleanField(_("consent given"), default=False)
    consent_clause_version = models.CharField(_("information clause version"), max_length=40)

    is_spam = models.BooleanField(_("spam"), default=False, db_index=True)
    spam_reason = models.CharField(
        _("spam reason"), max_length=20, choices=SpamReason.choices, blank=True
    )

    delivery_state = models.CharField(
        _("delivery"),
        max_length=20,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
        db_index=True,
    )
    delivery_attempts = models.PositiveIntegerField(_("delivery attempts"), default=0)
    delivery_last_error = models.TextField(_("last delivery error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    # Set while one worker holds the message for sending; a claim far older than any SMTP
    # conversation means that worker died, and another may take the message over.
    delivery_claimed_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    delivery_next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    handling_state = models.CharField(
        _("handling"),
        max_length=20,
        choices=HandlingState.choices,
        default=HandlingState.NEW,
        db_index=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        # Only the number: Wagtail's audit log keeps this text, beyond the message's deletion.
        return self.reference

    @property
    def reference(self):
        """A short id the board can quote, e.g. in the e-mail subject."""
        return f"#{self.pk}"

    def queue_delivery(self):
        """Put the e-mail to the board in the mail queue (run by `db_worker --backend mail`).

        The queue lives in the same database as the message, so when this is called inside
        the transaction that saved the message, both are committed together or not at all;
        called after the commit, the message is already safe. A message already sent is
        never queued again, and spam is never sent. Returns the queued task result or None.
        """
        from .tasks import deliver_message

        if self.is_spam:
            return None
        now = timezone.now()
        with transaction.atomic():
            queued = (
                type(self)
                .objects.filter(
                    pk=self.pk,
                    delivery_state__in=[self.DeliveryState.PENDING, self.DeliveryState.FAILED],
                )
                .update(delivery_state=self.DeliveryState.PENDING, delivery_next_attempt_at=now)
            )
            self.refresh_from_db()
            if not queued:
                return None
            return deliver_message.enqueue(
                message_id=self.pk, attempt=self.delivery_attempts + 1, since=now.isoformat()
            )

    def mark_as_spam_by_board(self):
        """The board says it is spam: it is flagged, and its e-mail is never sent (again)."""
        if not self.is_spam:
            unsent = (
                type(self)
                .objects.filter(pk=self.pk)
                .exclude(delivery_state=self.DeliveryState.SENT)
            )
            # The worker's claim skips spam, so a delivery already queued sends nothing.
            unsent.update(delivery_state=self.DeliveryState.NOT_SENT)
            type(self).objects.filter(pk=self.pk).update(
                is_spam=True, spam_reason=self.SpamReason.MARKED_BY_BOARD
            )
            self.refresh_from_db()

    @property
    def can_be_resent(self):
        return not self.is_spam and self.delivery_state in (
            self.DeliveryState.FAILED,
            self.DeliveryState.PENDING,
        )


@register_setting(icon="mail")
class ContactSettings(CachedSiteSettingMixin, BaseSiteSetting):
    """What the contact form tells residents: the RODO information clause."""

    consent_clause = models.TextField(
        _("information clause (RODO)"),
        blank=True,
        help_text=_(
            "Shown next to the consent checkbox: who the administrator is, the purpose "
            "and how long messages are kept. Each message stores which version it was sent with."
        ),
    )

    panels = [FieldPanel("consent_clause")]

    class Meta:
        verbose_name = _("contact form")

    @property
    def consent_clause_version(self):
        return clause_version(self.consent_clause)


class ThrottleCount(models.Model):
    """How many times one client did one thing (sent the form, asked for a question) in one
    window of time.

    In the database, not the cache: a cache drops old keys when it fills up, so a visitor
    could flood it with other keys and reset their own counter. The client is a keyed hash,
    never an address (see contact/throttle.py).
    """

    key = models.CharField(max_length=64)
    window_ends_at = models.DateTimeField(db_index=True)
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_ends_at"], name="one_count_per_window")
        ]

    def __str__(self):
        return f"{self.key[:8]}… {self.hits}"


class ThreadEntry(models.Model):
    """One step in the conversation about a message, after the resident's question.

    The board's replies (sent to the resident through the mail queue), the resident's own
    mails that came back through the association's mailbox, and the board's internal notes,
    which never leave the admin. Deleted with the message (retention, erasure).
    """

    class Kind(models.TextChoices):
        REPLY = "reply", _("reply from the board")
        INBOUND = "inbound", _("mail from the resident")
        NOTE = "note", _("internal note")

    class DeliveryState(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("not delivered")

    message = models.ForeignKey(
        ContactMessage, on_delete=models.CASCADE, related_name="thread", verbose_name=_("message")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    # The full text as written or received; `shown_text` is it without quoted history and
    # signature, for reading in the thread.
    text = models.TextField(_("text"))
    shown_text = models.TextField(_("text shown"), blank=True)
    attachments = models.TextField(
        _("attachments (not stored)"),
        blank=True,
        help_text=_("Names of attachments the mail had; the files themselves are not kept."),
    )
    # RFC 5322 threading: the Message-ID of this mail, and the ids it answered.
    message_id_header = models.CharField(_("Message-ID"), max_length=998, blank=True, db_index=True)
    in_reply_to_header = models.CharField(_("In-Reply-To"), max_length=998, blank=True)
    references_header = models.TextField(_("References"), blank=True)

    delivery_state = models.CharField(
        _("delivery"), max_length=20, choices=DeliveryState.choices, blank=True
    )
    delivery_attempts = models.PositiveIntegerField(_("delivery attempts"), default=0)
    delivery_last_error = models.TextField(_("last delivery error"), blank=True)
    delivery_claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("thread entry")
        verbose_name_plural = _("thread entries")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.message.reference} {self.get_kind_display()}"

    @property
    def display_text(self):
        return self.shown_text or self.text


class ReplyTemplate(models.Model):
    """A ready answer ("gotowa odpowiedź") the board starts a reply from."""

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(
        _("text"),
        help_text=_("{name} is replaced with the resident's name."),
    )

    class Meta:
        verbose_name = _("ready answer")
        verbose_name_plural = _("ready answers")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def render(self, message):
        return self.text.replace("{name}", message.sender_name)
