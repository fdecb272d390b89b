"""The resident's side of events beyond the pages: registering, cancelling, calendars, feeds.

The registration view is split into small methods (as the contact form's is) so that a
project built on this starter can change one step without copying the rest.
"""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.cache import never_cache

from contact.captcha import discard_challenge, new_challenge, new_challenge_with_picture
from contact.consent import privacy_notice_url
from contact.models import clause_version
from contact.protection import (
    count_attempt,
    form_token_age,
    make_form_token,
    sent_too_quickly,
    too_many_challenges,
)
from contact.views import TOKEN_REJECTED, TOO_MANY_QUESTIONS
from pages.models import AssociationSettings

from . import calendar
from .forms import TYPED_FIELDS, RegistrationForm
from .models import EventCategory, EventDate, EventIndexPage, Registration
from .registration import RegistrationClosed, cancel, register
from .registration_tokens import cancel_token, registration_id_from

RATE_LIMITED = gettext_lazy(
    "You have sent the form many times in a short time, so we cannot accept it right now. "
    "Please wait a few minutes and send it again – everything you wrote is still below."
)
TOO_QUICK = gettext_lazy(
    "The form was sent very quickly after it was opened. Please check what you wrote, "
    "answer the new question and send it again."
)
# The "thank you" page for a robot caught by the honeypot: it shows no registration.
NO_REGISTRATION = "-"
CLOSED = gettext_lazy("Registration for this date is closed.")
FINISH_HERE = gettext_lazy(
    "Almost done: everything you typed is below. Please answer the security question and "
    "send the registration again."
)


def registration_clause(request, event):
    """The RODO information clause next to the consent box of the registration form."""
    association = AssociationSettings.for_request(request)
    retention = settings.EVENTS_RETENTION_DAYS
    return _(
        "The administrator of your personal data (name, e-mail address and the answers in "
        "this form) is %(administrator)s. We process them only to handle your registration "
        "for “%(event)s”, on the basis of your consent (Art. 6(1)(a) GDPR), and delete them "
        "%(days)s days after the event (only the number of people stays, for our reports). "
        "You may withdraw your consent at any time by cancelling the registration, and you "
        "have the right to access, rectify and erase your data, to restrict its processing, "
        "and to lodge a complaint with the President of the Personal Data Protection Office "
        "(PUODO)."
    ) % {
        "administrator": association.name or _("the association"),
        "event": event.title,
        "days": retention,
    }


def places_text(event_date):
    if event_date.is_cancelled:
        return _("This date is cancelled.")
    left = event_date.places_left()
    if left is None:
        return ""
    if left == 0:
        return _("No places left: you can join the waitlist.")
    return ngettext("%(count)s place left", "%(count)s places left", left) % {"count": left}


def open_date(date_id):
    return get_object_or_404(
        EventDate.objects.select_related("event", "event__category"),
        pk=date_id,
        event__live=True,
    )


@method_decorator(never_cache, name="dispatch")
class RegistrationView(View):
    """GET: the full server-rendered form. POST: a registration from here or the event page."""

    form_class = RegistrationForm
    template_name = "events/registration_page.html"
    http_method_names = ["get", "post"]

    def dispatch(self, request, date_id):
        self.event_date = open_date(date_id)
        self.event = self.event_date.event
        if not self.event.registration_enabled:
            raise Http404
        return super().dispatch(request, date_id)

    def get(self, request, date_id):
        return self.render_form(self.get_form())

    def post(self, request, date_id):
        if "new_question" in request.POST:
            discard_challenge(request.POST.get("captcha_0"))
            return self.render_form(self.get_form(initial=self.typed_values()))
        if not self.event_date.registration_open():
            return self.render_form(self.get_form(initial=self.typed_values()), notice=CLOSED)
        if count_attempt(request):
            discard_challenge(request.POST.get("captcha_0"))
            return self.render_form(
                self.get_form(initial=self.typed_values()), notice=RATE_LIMITED, status=429
            )
        form = self.get_form(data=request.POST)
        if not form.is_valid():
            return self.render_form(form)
        if form.honeypot_filled:
            # Robots are thanked and forgotten; nothing is stored or sent.
            return redirect("events:done", token=NO_REGISTRATION)
        if sent_too_quickly(form.cleaned_data.get("form_token")):
            return self.render_form(self.get_form(initial=self.typed_values()), notice=TOO_QUICK)
        return self.form_valid(form)

    # --- steps a project may override ----------------------------------------

    def get_form(self, **kwargs):
        return self.form_class(event=self.event, **kwargs)

    def typed_values(self):
        values = {name: self.request.POST.get(name, "") for name in TYPED_FIELDS}
        values["consent"] = bool(self.request.POST.get("consent"))
        return values

    def form_token(self):
        submitted = self.request.POST.get("form_token", "")
        return submitted if form_token_age(submitted) is not None else make_form_token()

    def store_registration(self, form):
        clause = registration_clause(self.request, self.event)
        return register(
            self.event_date.pk,
            consent_clause_version=clause_version(clause),
            **form.registration_details(),
        )

    def form_valid(self, form):
        try:
            registration = self.store_registration(form)
        except RegistrationClosed:
            return self.render_form(self.get_form(initial=self.typed_values()), notice=CLOSED)
        response = redirect("events:done", token=cancel_token(registration))
        response.status_code = 303
        return response

    def render_form(self, form, *, notice=None, status=200):
        # New questions are limited per client as on the contact form: the same counter.
        limited = too_many_challenges(self.request)
        context = registration_form_context(
            self.request,
            self.event_date,
            form,
            captcha=None if limited else new_challenge(),
            form_token=self.form_token(),
            notice=TOO_MANY_QUESTIONS if limited else notice,
        )
        if limited:
            # The form and what was typed, without a new question.
            context["with_visitor_parts"] = True
            status = 429
        return TemplateResponse(self.request, self.template_name, context, status=status)


def csrf_failure(request, reason=""):
    """A registration POST without a valid CSRF token, as the contact form's (contact/views.py).

    The event page may come from a cache, so its form has no token until JavaScript fetches
    one; without JavaScript the first POST lands here and the resident finishes on the
    never-cached registration page with everything typed kept. None: not a registration.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name != "events:register":
        return None
    view = RegistrationView()
    view.setup(request, **match.kwargs)
    try:
        view.event_date = open_date(match.kwargs["date_id"])
    except Http404:
        return None
    view.event = view.event_date.event
    if not view.event.registration_enabled:
        return None
    discard_challenge(request.POST.get("captcha_0"))
    never_had_a_token = not request.POST.get("csrfmiddlewaretoken") and not request.POST.get(
        "form_token"
    )
    return view.render_form(
        view.get_form(initial=view.typed_values()),
        notice=FINISH_HERE if never_had_a_token else TOKEN_REJECTED,
        status=200 if never_had_a_token else 403,
    )


def registration_form_context(request, event_date, form, *, captcha, form_token, notice=None):
    """What templates/events/registration_form.html needs, on either page."""
    event = event_date.event
    return {
        "event": event,
        "event_date": event_date,
        "form": form,
        "captcha": captcha,
        "form_token": form_token,
        "notice": notice,
        "consent_clause": registration_clause(request, event),
        "privacy_notice_url": privacy_notice_url(request),
        "form_action": reverse("events:register", args=[event_date.pk]),
        "fresh_url": reverse("events:fresh", args=[event_date.pk]),
        "with_visitor_parts": captcha is not None,
        "captcha_minutes": settings.CAPTCHA_TIMEOUT,
        "places_text": places_text(event_date),
        "public_email": AssociationSettings.for_request(request).public_email,
    }


@never_cache
def fresh_parts(request, date_id):
    """The per-visitor parts of a cached event page: form tokens, captcha and places left."""
    event_date = open_date(date_id)
    dates = event_date.event.dates.all()
    payload = {
        "places": {str(d.pk): places_text(d) for d in dates},
        "open": event_date.registration_open(),
    }
    # The event page asks for the places alone when it loads, and for a question only when
    # the form comes into view: no challenge is made for visitors who never register.
    if payload["open"] and request.GET.get("tylko") != "miejsca":
        if too_many_challenges(request):
            return JsonResponse({**payload, "error": str(TOO_MANY_QUESTIONS)}, status=429)
        payload.update(
            csrf_token=get_token(request),
            form_token=make_form_token(),
            captcha=new_challenge_with_picture(),
        )
    return JsonResponse(payload)


@never_cache
def registration_done(request, token):
    """After the POST: confirmed or on the waitlist (no personal data on the page)."""
    registration = None
    if token != NO_REGISTRATION:
        pk = registration_id_from(token)
        registration = (
            Registration.objects.select_related("event_date__event").filter(pk=pk).first()
            if pk
            else None
        )
        if registration is None:
            raise Http404
    return TemplateResponse(
        request, "events/registration_done.html", {"registration": registration}
    )


@method_decorator(never_cache, name="dispatch")
class CancelView(View):
    """The link in the e-mail opens a page with a button: mail scanners only ever GET."""

    template_name = "events/cancel_page.html"

    def get_registration(self, token):
        pk = registration_id_from(token)
        registration = (
            Registration.objects.select_related("event_date__event").filter(pk=pk).first()
            if pk
            else None
        )
        if registration is None:
            raise Http404
        return registration

    def get(self, request, token):
        registration = self.get_registration(token)
        return TemplateResponse(request, self.template_name, {"registration": registration})

    def post(self, request, token):
        registration = cancel(self.get_registration(token).pk)
        return TemplateResponse(
            request, self.template_name, {"registration": registration, "cancelled_now": True}
        )


def date_ics(request, uid):
    """One date's .ics (the public one: without the online link)."""
    event_date = get_object_or_404(
        EventDate.objects.select_related("event", "event__category", "announcement"),
        uid=uid,
        event__live=True,
    )
    url = request.build_absolute_uri(event_date.event.get_url(request))
    body = calendar.date_calendar(event_date, url=url)
    return calendar_response(body, filename="wydarzenie.ics")


def calendar_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def feed_dates(category=None):
    """Upcoming dates of live events: one query, whatever their number."""
    dates = (
        EventDate.objects.filter(event__live=True, end__gte=timezone.now())
        .select_related("event", "event__category", "announcement")
        .order_by("start", "pk")
    )
    if category is not None:
        dates = dates.filter(event__category=category)
    return dates


def page_url_for(request):
    """Page URLs for many events without a query each (Wagtail caches the site roots)."""

    def url_for(event_date):
        return request.build_absolute_uri(event_date.event.get_url(request))

    return url_for


def calendar_feed(request, slug=None):
    category = get_object_or_404(EventCategory, slug=slug) if slug else None
    association = AssociationSettings.for_request(request)
    name = association.name or settings.WAGTAIL_SITE_NAME
    if category:
        name = f"{name}: {category.name}"
    body = calendar.feed_calendar(feed_dates(category), name=name, url_for=page_url_for(request))
    return calendar_response(body, filename="wydarzenia.ics")


def index_url(request):
    index = EventIndexPage.objects.live().first()
    return index.get_url(request) if index else "/"
