"""The resident's side of the contact form: /kontakt/ and its helpers.

The view is split into small methods (as in wagtail.contrib.forms) so that a
project built on this starter can change one step – e.g. how a message is
stored or delivered – without copying the rest.
"""

from collections import OrderedDict
from threading import Lock

from captcha.models import CaptchaStore
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail import hooks

from contact.captcha import (
    discard_challenge,
    new_challenge,
    new_challenge_with_picture,
    question_picture_png,
    speak,
)
from contact.consent import consent_clause, privacy_notice_url
from contact.forms import ContactForm
from contact.models import ContactMessage
from contact.protection import (
    count_attempt,
    form_token_age,
    make_form_token,
    sent_too_quickly,
    too_many_challenges,
    too_many_spoken_questions,
)
from pages.models import AssociationSettings

TYPED_FIELDS = ("sender_name", "sender_email", "text", "website")

RATE_LIMITED = _(
    "You have sent many messages in a short time, so we cannot accept another one right now. "
    "Please wait a few minutes and send it again – everything you wrote is still below."
)
TOO_MANY_QUESTIONS = _(
    "You have asked for many new security questions in a short time. Please wait a few "
    "minutes and load this page again – everything you wrote is still below."
)
TOKEN_REJECTED = _(
    "We could not accept the form as it was sent: its security token was missing or out of "
    "date (this happens when the page was open for a long time or JavaScript is switched "
    "off). Everything you wrote is below – please answer the new question and send it again."
)

# A form sent from a cached page that never got its token (JavaScript off or failed): nothing
# went wrong on the resident's side, so the page says what is left to do, not that it failed.
FINISH_HERE = _(
    "Almost done: everything you wrote is below. Please answer the security question and send "
    "it again."
)


def form_context(request, form, *, captcha, form_token, notice=None):
    """What templates/components/contact_form.html needs, on either page."""
    clause_text, _version = consent_clause(request)
    association = AssociationSettings.for_request(request)
    return {
        "form": form,
        "captcha": captcha,
        "form_token": form_token,
        "notice": notice,
        "consent_clause": clause_text,
        "privacy_notice_url": privacy_notice_url(request),
        "form_action": reverse("contact:form"),
        "fresh_url": reverse("contact:fresh"),
        "with_visitor_parts": captcha is not None,
        "captcha_minutes": settings.CAPTCHA_TIMEOUT,
        "public_email": association.public_email,
    }


@method_decorator(never_cache, name="dispatch")
class ContactFormView(View):
    """GET: the full server-rendered form. POST: a submission from here or from the mission page."""

    form_class = ContactForm
    template_name = "contact/contact_page.html"
    http_method_names = ["get", "head", "post"]

    def get(self, request):
        return self.render_form(self.get_form())

    def post(self, request):
        if "new_question" in request.POST:
            # "Nowe pytanie" without JavaScript: same text, a fresh challenge, nothing counted.
            discard_challenge(request.POST.get("captcha_0"))
            return self.render_form(self.get_form(initial=self.typed_values()))
        if count_attempt(request):
            discard_challenge(request.POST.get("captcha_0"))
            return self.render_form(
                self.get_form(initial=self.typed_values()), notice=RATE_LIMITED, status=429
            )
        form = self.get_form(data=request.POST)
        if not form.is_valid():
            return self.render_form(form)
        return self.form_valid(form)

    # --- steps a project may override ----------------------------------------

    def get_form(self, **kwargs):
        return self.form_class(**kwargs)

    def typed_values(self):
        """What the resident wrote, to show again (never the captcha answer)."""
        values = {name: self.request.POST.get(name, "") for name in TYPED_FIELDS}
        values["consent"] = (
            self.request.POST.get("consent") == ContactForm.base_fields["consent"].CHECKED_VALUE
        )
        return values

    def form_token(self):
        """Keep the time the form was first handed out; hand out a new one if there is none."""
        submitted = self.request.POST.get("form_token", "")
        return submitted if form_token_age(submitted) is not None else make_form_token()

    def spam_reason(self, form):
        if form.honeypot_filled:
            return ContactMessage.SpamReason.HONEYPOT
        if sent_too_quickly(form.cleaned_data.get("form_token")):
            return ContactMessage.SpamReason.TIME_TRAP
        return ContactMessage.SpamReason.NONE

    def store_message(self, form, spam_reason):
        _text, version = consent_clause(self.request)
        message = ContactMessage(
            sender_name=form.cleaned_data["sender_name"],
            sender_email=form.cleaned_data["sender_email"],
            text=form.cleaned_data["text"],
            consent_given=form.cleaned_data["consent"],
            consent_clause_version=version,
        )
        if spam_reason:
            message.is_spam = True
            message.spam_reason = spam_reason
            message.delivery_state = ContactMessage.DeliveryState.NOT_SENT
            message.handling_state = ContactMessage.HandlingState.SPAM
        message.save()
        return message

    def deliver(self, message):
        """Queue the e-mail to the board; runs only once the message is safely committed."""
        message.queue_delivery()

    def form_valid(self, form):
        spam_reason = self.spam_reason(form)
        with transaction.atomic():
            message = self.store_message(form, spam_reason)
            if not message.is_spam:
                # robust: should queueing fail, the message is stored and still
                # "waiting to be sent" for the board to see; the resident is thanked.
                # (A named function, not functools.partial: Django's error log needs __qualname__.)
                def deliver_after_commit():
                    self.deliver(message)

                transaction.on_commit(deliver_after_commit, robust=True)
        return self.render_thanks(message)

    def render_thanks(self, message):
        # POST/redirect/GET: reloading the thank-you page sends nothing again.
        response = redirect("contact:thanks")
        response.status_code = 303
        return response

    def render_form(self, form, *, notice=None, status=200):
        limited = too_many_challenges(self.request)
        context = form_context(
            self.request,
            form,
            captcha=None if limited else new_challenge(),
            form_token=self.form_token(),
            notice=TOO_MANY_QUESTIONS if limited else notice,
        )
        if limited:
            # The form and what was typed, without a new question: no challenge is made.
            context["with_visitor_parts"] = True
            status = 429
        return TemplateResponse(self.request, self.template_name, context, status=status)


class ThanksView(TemplateView):
    template_name = "contact/thanks_page.html"


@never_cache
def question_picture(request, key, scale=1):
    """The picture for one challenge; 410 Gone once it is used or expired (crawlers drop it)."""
    picture = question_picture_png(key)
    if picture is None:
        return HttpResponse(status=410)
    return HttpResponse(picture, content_type="image/png")


@never_cache
def fresh_parts(request):
    """The per-visitor parts of the form, for the mission page that may come from a shared cache."""
    if too_many_challenges(request):
        return JsonResponse({"error": str(TOO_MANY_QUESTIONS)}, status=429)
    return JsonResponse(
        {
            "csrf_token": get_token(request),
            "form_token": make_form_token(),
            "captcha": new_challenge_with_picture(),
        }
    )


class SpokenQuestions:
    """The last few spoken questions, kept in this process only.

    Not in the shared cache: each is about 140 KB, and a flood of them would push the other
    entries out of it. A replay of the same link is served from here; beyond that, the rate
    limit on spoken questions bounds how often espeak-ng runs for one client.
    """

    def __init__(self, size=32):
        self.size = size
        self.entries = OrderedDict()
        self.lock = Lock()

    def get_or_speak(self, key, challenge):
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        wav = speak(challenge)
        if wav is not None:
            with self.lock:
                self.entries[key] = wav
                while len(self.entries) > self.size:
                    self.entries.popitem(last=False)
        return wav


spoken_questions = SpokenQuestions()


@never_cache
def captcha_audio(request, key):
    """The question read aloud in Polish by espeak-ng; 404 where espeak-ng is not installed."""
    if too_many_spoken_questions(request):
        return HttpResponse(TOO_MANY_QUESTIONS, status=429, content_type="text/plain")
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        return HttpResponse(status=410)
    wav = spoken_questions.get_or_speak(store.hashkey, store.challenge)
    if wav is None:
        raise Http404
    response = HttpResponse(wav, content_type="audio/wav")
    response["Content-Disposition"] = 'inline; filename="pytanie.wav"'
    return response


def csrf_failure(request, reason=""):
    """A rejected contact form shows the form again with the text kept, not an error page.

    This is also how the mission page's form works without JavaScript: it has no
    token (the page may be shared from a cache), so the first POST lands here and
    the resident finishes on /kontakt/ with nothing retyped. Event registration does the
    same through its "csrf_failure" hook (events/wagtail_hooks.py); other forms get
    Django's usual 403 page.
    """
    if request.method == "POST":
        # Other apps' forms (an event's registration) answer through "csrf_failure" hooks:
        # a response, or None when the request is not theirs.
        for handle in hooks.get_hooks("csrf_failure"):
            response = handle(request, reason)
            if response is not None:
                add_never_cache_headers(response)
                return response
    if request.method != "POST" or request.path != reverse("contact:form"):
        return django_csrf_failure(request, reason)
    view = ContactFormView()
    view.setup(request)
    discard_challenge(request.POST.get("captcha_0"))
    never_had_a_token = not request.POST.get("csrfmiddlewaretoken") and not request.POST.get(
        "form_token"
    )
    response = view.render_form(
        view.get_form(initial=view.typed_values()),
        notice=FINISH_HERE if never_had_a_token else TOKEN_REJECTED,
        status=200 if never_had_a_token else 403,
    )
    add_never_cache_headers(response)
    return response
