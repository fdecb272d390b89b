"""Residents' messages to the association, and the contact form's settings."""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from pages.cache import CachedSiteSettingMixin


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

    handling_state = models.CharField(
        _("handling"),
        max_length=20,
        choices=HandlingState.choices,
        default=HandlingState.NEW,
        db_index=True,
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{self.reference} {self.sender_name}"

    @property
    def reference(self):
        """A short id the board can quote, e.g. in the e-mail subject."""
        return f"#{self.pk}"


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
        """A stamp of the clause's exact wording: it changes whenever the text changes."""
        digest = hashlib.sha256(self.consent_clause.strip().encode("utf-8")).hexdigest()
        return f"sha256:{digest[:12]}"
