"""The board's working inbox: the thread of a message, replies, notes, assignment, the
dashboard panel and the RODO access export. Plain Polish and local time throughout.

Used by contact/admin_views.py (the "Wiadomości" viewset) and contact/wagtail_hooks.py.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry

from . import replies
from .mail import delivery_recipients
from .models import ContactMessage, ReplyTemplate, ThreadEntry

Handling = ContactMessage.HandlingState


def local_time(moment):
    """ "25 listopada 2026, 16:21" in the site's time zone (Europe/Warsaw)."""
    if moment is None:
        return "—"
    return date_filter(timezone.localtime(moment), "j E Y, H:i")


def board_members():
    """Everyone who may handle messages: the people a message can be assigned to."""
    policy = policy_registry.get_by_type(ContactMessage)
    return policy.users_with_permission("change").filter(is_active=True).order_by("username")


def person(user):
    if user is None:
        return _("(deleted account)")
    return user.get_full_name() or user.get_username()


def unanswered_days():
    return getattr(settings, "CONTACT_UNANSWERED_DAYS", 3)


def unanswered_before(cutoff):
    """Still open and received before `cutoff` (spam is left out by the callers)."""
    return Q(handling_state__in=[Handling.NEW, Handling.IN_PROGRESS], received_at__lt=cutoff)


def waiting_too_long(queryset, days=None):
    """Questions nobody has answered for more than `days` days (spam aside)."""
    cutoff = timezone.now() - timedelta(days=unanswered_days() if days is None else days)
    return queryset.filter(unanswered_before(cutoff)).exclude(is_spam=True)


def no_board_address_warning():
    """What the board must read while Settings → Association lists no board address, or ""."""
    recipients, fallback = delivery_recipients()
    if not fallback:
        return ""
    if recipients:
        return _(
            "No board e-mail addresses are set, so messages go to the administrators "
            "(%(addresses)s). Add the board's addresses in Settings → Association."
        ) % {"addresses": ", ".join(recipients)}
    return _(
        "No board e-mail addresses are set, so messages wait undelivered. "
        "Add them in Settings → Association."
    )


def consent_wordings(versions):
    """{version: its wording's date} for the information clause's versions, in one query:
    the date each wording was first used, not a hash."""
    firsts = (
        ContactMessage.objects.filter(consent_clause_version__in={v for v in versions if v})
        .values("consent_clause_version")
        .annotate(first=Min("received_at"))
        .values_list("consent_clause_version", "first")
    )
    return {
        version: _("the wording in use since %(date)s")
        % {"date": date_filter(timezone.localtime(first), "j E Y")}
        for version, first in firsts
    }


def consent_wording(version):
    return consent_wordings([version]).get(version, "—")


# --- Plain Polish on the message page --------------------------------------------------------


class PlainInspectMixin:
    """Local times, a mailto link, one spam line, the consent wording's date, errors in words."""

    def get_received_at_display_value(self):
        return local_time(self.object.received_at)

    def get_delivered_at_display_value(self):
        return local_time(self.object.delivered_at)

    def get_delivery_next_attempt_at_display_value(self):
        return local_time(self.object.delivery_next_attempt_at)

    def get_sender_email_display_value(self):
        return format_html('<a href="mailto:{0}">{0}</a>', self.object.sender_email)

    def get_is_spam_display_value(self):
        if not self.object.is_spam:
            return _("no")
        return _("yes – %(reason)s") % {"reason": self.object.get_spam_reason_display()}

    def get_delivery_last_error_display_value(self):
        return replies.explain_delivery_error(self.object.delivery_last_error) or "—"

    def get_assigned_to_display_value(self):
        user = self.object.assigned_to
        return person(user) if user else _("nobody")

    def get_consent_clause_version_display_value(self):
        return consent_wording(self.object.consent_clause_version)

    def thread_context(self):
        message = self.object
        can_change = self.user_has_permission("change")
        entries = message.thread.select_related("author")
        ready = None
        ready_id = self.request.GET.get("gotowa")
        if ready_id and ready_id.isdigit():
            ready = ReplyTemplate.objects.filter(pk=int(ready_id)).first()
        reply_initial = {"text": ready.render(message)} if ready else {}
        return {
            "thread": [
                {
                    "entry": entry,
                    "when": local_time(entry.created_at),
                    "who": (
                        message.sender_name
                        if entry.kind == ThreadEntry.Kind.INBOUND
                        else person(entry.author)
                    ),
                    "text": linebreaksbr(entry.display_text, autoescape=True),
                    "full_text": (
                        linebreaksbr(entry.text, autoescape=True)
                        if entry.kind == ThreadEntry.Kind.INBOUND
                        and entry.text.strip() != entry.display_text.strip()
                        else ""
                    ),
                    "delivery": entry.get_delivery_state_display() if entry.delivery_state else "",
                    "error": replies.explain_delivery_error(entry.delivery_last_error),
                    "attachments": entry.attachments.splitlines(),
                }
                for entry in entries
            ],
            "can_reply": can_change and not message.is_spam,
            "can_change": can_change,
            "reply_form": ReplyForm(initial=reply_initial),
            "note_form": NoteForm(),
            "assign_form": AssignForm(initial={"assigned_to": message.assigned_to_id}),
            "ready_answers": ReplyTemplate.objects.all(),
            "chosen_ready": ready,
            "reply_url": self.board_url("reply"),
            "note_url": self.board_url("note"),
            "assign_url": self.board_url("assign"),
            "access_export_url": self.board_url("access_export"),
        }

    def board_url(self, action):
        from django.urls import reverse

        return reverse(f"contact_messages:{action}", args=[self.object.pk])


# --- Forms and actions ------------------------------------------------------------------------


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your reply to the resident"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Internal note (only the board sees it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=gettext_lazy("Assigned to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=gettext_lazy("nobody"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = board_members()
        self.fields["assigned_to"].label_from_instance = person


def board_action(view):
    """POST only, by someone allowed to handle messages."""

    @require_POST
    def wrapped(request, pk):
        policy = policy_registry.get_by_type(ContactMessage)
        if not policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        message = get_object_or_404(ContactMessage, pk=pk)
        view(request, message)
        return redirect("contact_messages:inspect", pk)

    return wrapped


@board_action
def reply_view(request, message):
    form = ReplyForm(request.POST)
    if message.is_spam:
        messages.error(request, _("This message is marked as spam: no reply is sent."))
    elif form.is_valid():
        replies.start_reply(message, request.user, form.cleaned_data["text"])
        messages.success(
            request,
            _("Your reply to %(reference)s is stored and will be sent to %(email)s.")
            % {"reference": message.reference, "email": message.sender_email},
        )
    else:
        messages.error(request, _("The reply is empty: nothing was sent."))


@board_action
def note_view(request, message):
    form = NoteForm(request.POST)
    if form.is_valid():
        replies.add_note(message, request.user, form.cleaned_data["text"])
        messages.success(request, _("The note is added to the thread."))
    else:
        messages.error(request, _("The note is empty."))


@board_action
def assign_view(request, message):
    form = AssignForm(request.POST)
    if form.is_valid():
        user = form.cleaned_data["assigned_to"]
        ContactMessage.objects.filter(pk=message.pk).update(assigned_to=user)
        if user is None:
            messages.success(request, _("Nobody is assigned to this message now."))
        else:
            messages.success(request, _("Assigned to %(person)s.") % {"person": person(user)})
    else:
        messages.error(request, _("Choose a board member from the list."))


# --- RODO: everything stored about one address ------------------------------------------------


def access_export_view(request, pk):
    """A text file of every message, reply, mail and note stored about the sender's address
    (the resident's right of access, Art. 15 GDPR), ready to send to them."""
    policy = policy_registry.get_by_type(ContactMessage)
    if not policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    email = get_object_or_404(ContactMessage, pk=pk).sender_email
    found = list(
        ContactMessage.objects.filter(sender_email__iexact=email)
        .prefetch_related("thread__author")
        .order_by("received_at", "pk")
    )
    wordings = consent_wordings(message.consent_clause_version for message in found)
    text = render_to_string(
        "contact/admin/access_export.txt",
        {
            "email": email,
            "now": local_time(timezone.now()),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "messages": [
                {
                    "message": message,
                    "received": local_time(message.received_at),
                    "consent": wordings.get(message.consent_clause_version, "—"),
                    "entries": [
                        {
                            "entry": entry,
                            "when": local_time(entry.created_at),
                            "who": (
                                message.sender_name
                                if entry.kind == ThreadEntry.Kind.INBOUND
                                else person(entry.author)
                            ),
                        }
                        for entry in message.thread.all()
                    ],
                }
                for message in found
            ],
        },
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    name = slugify(email.replace("@", "-at-")) or "adres"
    response["Content-Disposition"] = f'attachment; filename="dane-{name}.txt"'
    return response


# --- The dashboard panel ------------------------------------------------------------------------


class MessagesPanel(Component):
    """What the board should look at today, on the admin's first page."""

    name = "contact_messages"
    template_name = "contact/admin/dashboard_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        from django.urls import reverse

        days = unanswered_days()
        cutoff = timezone.now() - timedelta(days=days)
        counts = ContactMessage.objects.exclude(is_spam=True).aggregate(
            new=Count("pk", filter=Q(handling_state=Handling.NEW)),
            waiting=Count("pk", filter=unanswered_before(cutoff)),
            undelivered=Count("pk", filter=Q(delivery_state=ContactMessage.DeliveryState.FAILED)),
        )
        index = reverse("contact_messages:index")
        return {
            **counts,
            "days": days,
            "no_board_address": no_board_address_warning(),
            "index_url": index,
            "new_url": f"{index}?handling_state={Handling.NEW}",
            "waiting_url": f"{index}?kolejka=czekajace",
            "undelivered_url": f"{index}?delivery_state={ContactMessage.DeliveryState.FAILED}",
        }


def add_messages_panel(request, panels):
    policy = policy_registry.get_by_type(ContactMessage)
    if policy.user_has_permission(request.user, "view"):
        panels.append(MessagesPanel())
