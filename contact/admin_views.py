"""The board's view of residents' messages in the Wagtail admin ("Wiadomości").

Only users with the contact message permissions see it: the "Zarząd" group (created by a
migration) and superusers. Messages come only from residents: nobody can add one here.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr, yesno
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from . import board_views
from .models import ContactMessage, ReplyTemplate
from .spreadsheets import BoardExportMixin


def forbidden(request):
    """A plain 403 page: Wagtail would redirect to the dashboard, hiding that access was refused."""
    return TemplateResponse(request, "contact/admin/forbidden.html", status=403)


def answer_forbidden_with_403(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)

    return wrapped


class MessagePermissionPolicy(ModelPermissionPolicy):
    """The model's Django permissions, except that nobody adds (or copies) a message."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "add"])


class MessageFilterSet(WagtailFilterSet):
    kolejka = django_filters.ChoiceFilter(
        label=gettext_lazy("Show"),
        choices=[
            ("moje", gettext_lazy("assigned to me")),
            ("nieprzypisane", gettext_lazy("not assigned")),
            ("czekajace", gettext_lazy("waiting for an answer too long")),
        ],
        method="filter_queue",
        empty_label=gettext_lazy("all"),
    )
    received_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Received"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ContactMessage
        fields = ["kolejka", "handling_state", "delivery_state", "is_spam", "received_at"]

    def filter_queue(self, queryset, name, value):
        if value == "moje":
            return queryset.filter(assigned_to=self.request.user)
        if value == "nieprzypisane":
            return queryset.filter(assigned_to__isnull=True).exclude(is_spam=True)
        if value == "czekajace":
            return board_views.waiting_too_long(queryset)
        return queryset


class MessageIndexView(BoardExportMixin, generic.IndexView):
    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # The name opens the message itself; Wagtail would open the edit form (here only
        # the handling state), which is one click away from the message.
        column_class = self._get_title_column_class(column_class)
        return self._get_custom_column(
            field_name, column_class, get_url=self.get_inspect_url, **kwargs
        )

    def get_base_queryset(self):
        # The "assigned to" column: one query for the page, however many rows.
        return super().get_base_queryset().select_related("assigned_to")

    def get(self, request, *args, **kwargs):
        warning = "" if self.is_export else board_views.no_board_address_warning()
        if warning:
            messages.warning(request, warning)
        return super().get(request, *args, **kwargs)


class MessageInspectView(board_views.PlainInspectMixin, generic.InspectView):
    template_name = "contact/admin/message_inspect.html"
    resend_url_name = None

    page_title = gettext_lazy("Message")

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return yesno(value)
        return value

    def get_text_display_value(self):
        # Escaped first, then line breaks kept: the resident's text, never their markup.
        return linebreaksbr(self.object.text, autoescape=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_resend"] = self.object.can_be_resent and self.user_has_permission("change")
        context["resend_url"] = self.resend_url
        context.update(self.thread_context())
        return context

    @property
    def resend_url(self):
        return reverse(self.resend_url_name, args=[self.object.pk])


class MessageEditView(generic.EditView):
    def get_page_title(self):
        return _("Change handling state")

    def save_instance(self):
        message = super().save_instance()
        if message.handling_state == ContactMessage.HandlingState.SPAM:
            message.mark_as_spam_by_board()
        return message


@method_decorator(require_POST, name="dispatch")
class ResendView(View):
    """Queue another delivery of a message whose e-mail failed or is still waiting."""

    inspect_url_name = None

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(ContactMessage)
        if not policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        message = get_object_or_404(ContactMessage, pk=pk)
        if message.can_be_resent and message.queue_delivery() is not None:
            messages.success(
                request,
                _("Message %(reference)s will be sent to the board again.")
                % {"reference": message.reference},
            )
        else:
            messages.error(
                request,
                _("Message %(reference)s cannot be sent again (already sent or spam).")
                % {"reference": message.reference},
            )
        return redirect(self.inspect_url_name, pk)


def short_text(message):
    text = " ".join(message.text.split())
    return text if len(text) <= 80 else text[:79] + "…"


short_text.short_description = gettext_lazy("message")


class MessageViewSet(ModelViewSet):
    model = ContactMessage
    name = "contact_messages"
    url_prefix = "messages"
    icon = "mail"
    menu_label = gettext_lazy("Messages")
    menu_order = 150
    add_to_admin_menu = True

    index_view_class = MessageIndexView
    inspect_view_class = MessageInspectView
    edit_view_class = MessageEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False

    ordering = ["-received_at", "-pk"]
    list_display = [
        "sender_name",
        "sender_email",
        Column("short_text", label=capfirst(gettext_lazy("message")), accessor=short_text),
        "handling_state",
        "assigned_to",
        "delivery_state",
        DateColumn("received_at", label=capfirst(gettext_lazy("received")), sort_key="received_at"),
    ]
    filterset_class = MessageFilterSet
    search_fields = ["sender_name", "sender_email", "text"]
    list_export = [
        "pk",
        "received_at",
        "sender_name",
        "sender_email",
        "text",
        "get_handling_state_display",
        "get_delivery_state_display",
        "is_spam",
        "consent_clause_version",
    ]
    export_headings = {
        "pk": capfirst(gettext_lazy("number")),
        "get_handling_state_display": capfirst(gettext_lazy("handling")),
        "get_delivery_state_display": capfirst(gettext_lazy("delivery")),
    }
    export_filename = "wiadomosci"
    form_fields = ["handling_state"]
    inspect_view_fields = [
        "received_at",
        "sender_name",
        "sender_email",
        "text",
        "handling_state",
        "assigned_to",
        "delivery_state",
        "delivery_attempts",
        "delivery_last_error",
        "delivery_next_attempt_at",
        "delivered_at",
        "is_spam",
        "consent_given",
        "consent_clause_version",
    ]

    def construct_view(self, view_class, **kwargs):
        return answer_forbidden_with_403(super().construct_view(view_class, **kwargs))

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            resend_url_name=self.get_url_name("resend"), **kwargs
        )

    @property
    def resend_view(self):
        return answer_forbidden_with_403(
            ResendView.as_view(inspect_url_name=self.get_url_name("inspect"))
        )

    def get_urlpatterns(self):
        urlpatterns = [
            pattern for pattern in super().get_urlpatterns() if pattern.name not in ("add", "copy")
        ]
        return urlpatterns + [
            path("resend/<int:pk>/", self.resend_view, name="resend"),
            *[
                path(f"{segment}/<int:pk>/", answer_forbidden_with_403(view), name=name)
                for segment, view, name in (
                    ("reply", board_views.reply_view, "reply"),
                    ("note", board_views.note_view, "note"),
                    ("assign", board_views.assign_view, "assign"),
                    ("access", board_views.access_export_view, "access_export"),
                )
            ],
        ]


class ReplyTemplateViewSet(ModelViewSet):
    """The board's ready answers, edited like any other list in the admin."""

    model = ReplyTemplate
    name = "ready_answers"
    url_prefix = "ready-answers"
    icon = "doc-full"
    menu_label = gettext_lazy("Ready answers")
    menu_order = 151
    add_to_admin_menu = True
    form_fields = ["title", "text"]
    list_display = ["title"]
    search_fields = ["title", "text"]
    copy_view_enabled = False
    add_to_reference_index = False


message_viewset = MessageViewSet()
ready_answer_viewset = ReplyTemplateViewSet()
