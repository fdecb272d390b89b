"""The resident's side of the contact form: /kontakt/ and its helpers.

The view is split into small methods (as in wagtail.contrib.forms) so that a
project built on this starter can change one step – e.g. how a message is
stored or delivered – without copying the rest.
"""

import base64

from captcha.models import CaptchaStore
from captcha.views import captcha_image
from django.conf import settings
from django.core.cache import cache
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

from contact.captcha import discard_challenge, new_challenge, speak
from contact.consent import consent_clause, privacy_notice_url
from contact.forms import ContactForm
from contact.models import ContactMessage
from contact.protection import count_attempt, form_token_age, make_form_token, sent_too_quickly
from pages.models import AssociationSettings

TYPED_FIELDS = ("sender_name", "sender_email", "text", "website")

RATE_LIMITED = _(
    "You have sent many messages in a short time, so we cannot accept another one right now. "
    "Please wait a few minutes and send it again – everything you wrote is still below."
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
    http_method_names = ["get", "post"]

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
        values["consent"] = bool(self.request.POST.get("consent"))
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
        context = form_context(
            self.request,
            form,
            captcha=new_challenge(),
            form_token=self.form_token(),
            notice=notice,
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


class ThanksView(TemplateView):
    template_name = "contact/thanks_page.html"


@never_cache
def fresh_parts(request):
    """The per-visitor parts of the form, for the mission page that may come from a shared cache."""
    captcha = new_challenge()
    # The picture travels inside the answer: one request less for a visitor's first view.
    picture = captcha_image(request, key=captcha["key"])
    if picture.status_code == 200:
        encoded = base64.b64encode(picture.content).decode("ascii")
        captcha["image_url"] = f"data:{picture['Content-Type']};base64,{encoded}"
    return JsonResponse(
        {"csrf_token": get_token(request), "form_token": make_form_token(), "captcha": captcha}
    )


@never_cache
def captcha_audio(request, key):
    """The question read aloud in Polish by espeak-ng; 404 where espeak-ng is not installed."""
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        return HttpResponse(status=410)
    # Spoken once per question: replaying the link must not start espeak-ng again and again.
    wav = cache.get_or_set(
        f"captcha-wav:{store.hashkey}",
        lambda: speak(store.challenge),
        timeout=settings.CAPTCHA_TIMEOUT * 60,
    )
    if wav is None:
        raise Http404
    response = HttpResponse(wav, content_type="audio/wav")
    response["Content-Disposition"] = 'inline; filename="pytanie.wav"'
    return response


def csrf_failure(request, reason=""):
    """A rejected contact form shows the form again with the text kept, not an error page.

    This is also how the mission page's form works without JavaScript: it has no
    token (the page may be shared from a cache), so the first POST lands here and
    the resident finishes on /kontakt/ with nothing retyped. Other forms get
    Django's usual 403 page.
    """
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
