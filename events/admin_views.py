"""The board's side of registrations in the Wagtail admin ("Zapisy").

Who sees them: superusers and the "Zarząd" group (the `manage_registrations` permission, given
by a migration) see every event's registrations; anyone an event's editor lists under
"Registrations visible to" sees that event's only. Nobody adds registrations here: they come
from residents.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from contact.admin_views import answer_forbidden_with_403
from contact.spreadsheets import BoardExportMixin

from .models import EventDate, Registration, RegistrationAccess
from .registration import cancel

SEES_ALL = "events.manage_registrations"


def sees_all(user):
    return user.is_active and (user.is_superuser or user.has_perm(SEES_ALL))


def allowed_event_ids(user):
    """The events whose registrations someone outside the board may see; read once a request
    (the user object lives for one request), not once for each row of the list."""
    if not hasattr(user, "_registration_event_ids"):
        user._registration_event_ids = frozenset(
            RegistrationAccess.objects.filter(user=user).values_list("event_id", flat=True)
        )
    return user._registration_event_ids


def registrations_for(user):
    registrations = Registration.objects.select_related("event_date__event")
    if sees_all(user):
        return registrations
    return registrations.filter(event_date__event_id__in=allowed_event_ids(user))


def may_manage(user, event_date):
    return sees_all(user) or event_date.event_id in allowed_event_ids(user)


class RegistrationPermissionPolicy(ModelPermissionPolicy):
    """The board's permission, or a place on an event's list; nobody adds registrations."""

    def user_has_permission(self, user, action):
        if action not in ("view", "change", "export"):
            return False
        return sees_all(user) or bool(allowed_event_ids(user))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and may_manage(user, instance.event_date)


class RegistrationFilterSet(WagtailFilterSet):
    event_date = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Date"),
        queryset=EventDate.objects.select_related("event").order_by("-start"),
    )

    class Meta:
        model = Registration
        fields = ["event_date", "status", "attended"]


def date_label(registration):
    return str(registration.event_date)


date_label.short_description = gettext_lazy("date")


class RegistrationIndexView(BoardExportMixin, generic.IndexView):
    def get_base_queryset(self):
        return registrations_for(self.request.user).order_by(
            "-event_date__start", "registered_at", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dates = {r.event_date for r in context["object_list"]}
        context["checkin_links"] = [
            (str(d), reverse("event_registrations:checkin", args=[d.pk]))
            for d in sorted(dates, key=lambda d: d.start, reverse=True)
        ]
        return context


class CheckInView(View):
    """A printable list of a date's confirmed people, with attendance to tick and save."""

    template_name = "events/admin/checkin.html"

    def dispatch(self, request, date_id):
        self.event_date = get_object_or_404(EventDate.objects.select_related("event"), pk=date_id)
        if not may_manage(request.user, self.event_date):
            raise PermissionDenied
        return super().dispatch(request, date_id)

    def registrations(self):
        return self.event_date.registrations.filter(status__in=Registration.ACTIVE).order_by(
            "status", "name", "pk"
        )

    def get(self, request, date_id):
        registrations = list(self.registrations())
        confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
        return TemplateResponse(
            request,
            self.template_name,
            {
                "event_date": self.event_date,
                "registrations": registrations,
                "people_confirmed": sum(r.people for r in confirmed),
                "people_waiting": sum(r.people for r in registrations if r not in confirmed),
                "people_attended": sum(r.people for r in confirmed if r.attended),
            },
        )

    def post(self, request, date_id):
        present = {int(pk) for pk in request.POST.getlist("attended") if pk.isdigit()}
        with transaction.atomic():
            for registration in self.registrations().filter(status=Registration.Status.CONFIRMED):
                attended = registration.pk in present
                if registration.attended != attended:
                    registration.attended = attended
                    registration.save(update_fields=["attended"])
        messages.success(request, _("Attendance saved."))
        return redirect("event_registrations:checkin", date_id)


class BoardCancelView(View):
    """The board cancels someone's registration; they get an e-mail, the waitlist moves up."""

    template_name = "events/admin/cancel.html"

    def dispatch(self, request, pk):
        self.registration = get_object_or_404(
            Registration.objects.select_related("event_date__event"), pk=pk
        )
        if not may_manage(request.user, self.registration.event_date):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get(self, request, pk):
        return TemplateResponse(request, self.template_name, {"registration": self.registration})

    def post(self, request, pk):
        cancel(self.registration.pk, tell_them=True)
        messages.success(
            request,
            _("The registration is cancelled and the person is told by e-mail."),
        )
        return redirect("event_registrations:checkin", self.registration.event_date_id)


def people_column(registration):
    return registration.people


class RegistrationViewSet(ModelViewSet):
    model = Registration
    name = "event_registrations"
    url_prefix = "registrations"
    icon = "group"
    menu_label = gettext_lazy("Registrations")
    menu_order = 160
    add_to_admin_menu = True
    permission_policy = RegistrationPermissionPolicy(Registration)

    index_view_class = RegistrationIndexView
    index_template_name = "events/admin/registration_index.html"
    inspect_view_enabled = False
    copy_view_enabled = False
    add_to_reference_index = False

    list_display = [
        "name",
        "email",
        Column("people", label=capfirst(gettext_lazy("number of people"))),
        Column("date", label=capfirst(gettext_lazy("date")), accessor=date_label),
        "status",
        "attended",
        DateColumn("registered_at", label=capfirst(gettext_lazy("registered"))),
    ]
    filterset_class = RegistrationFilterSet
    search_fields = ["name", "email"]
    list_export = [
        "pk",
        "event_date",
        "name",
        "email",
        "people",
        "organisation",
        "dietary_needs",
        "accessibility_needs",
        "get_status_display",
        "attended",
        "registered_at",
    ]
    export_headings = {
        "pk": capfirst(gettext_lazy("number")),
        "get_status_display": capfirst(gettext_lazy("status")),
    }
    export_filename = "zapisy"
    form_fields = ["attended"]

    def construct_view(self, view_class, **kwargs):
        return answer_forbidden_with_403(super().construct_view(view_class, **kwargs))

    def get_urlpatterns(self):
        urlpatterns = [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in ("add", "copy", "delete")
        ]
        return urlpatterns + [
            path(
                "checkin/<int:date_id>/",
                answer_forbidden_with_403(CheckInView.as_view()),
                name="checkin",
            ),
            path(
                "cancel/<int:pk>/",
                answer_forbidden_with_403(BoardCancelView.as_view()),
                name="cancel",
            ),
        ]


registration_viewset = RegistrationViewSet()
