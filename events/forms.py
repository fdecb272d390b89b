"""The registration form: name, e-mail, number of people, the editor's extra questions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contact.captcha import OneTimeCaptchaField
from contact.forms import ConsentField, ResidentFormMixin, SingleLineField

from .models import Registration


class RegistrationForm(ResidentFormMixin, forms.Form):
    name = SingleLineField(
        label=_("Your name"),
        max_length=200,
        error_messages={"required": _("Please enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We will send the confirmation and the calendar file to this address."),
        max_length=254,
        error_messages={
            "required": _("Please enter your e-mail address."),
            "invalid": _("Please enter an e-mail address such as jan.kowalski@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    people = forms.TypedChoiceField(label=_("Number of people"), coerce=int, initial=1)
    organisation = SingleLineField(
        label=_("Organisation (optional)"), max_length=200, required=False
    )
    dietary_needs = forms.CharField(
        label=_("Dietary needs (optional)"), max_length=500, required=False
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"), max_length=500, required=False
    )
    consent = ConsentField(
        label=_(
            "I agree that the association may process my name and e-mail address to handle "
            "my registration."
        ),
        error_messages={
            "required": _("Please tick the consent box: without it we cannot register you.")
        },
    )
    captcha = OneTimeCaptchaField(label=_("Result of the sum"))
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        most = max(event.max_people_per_registration, 1)
        self.fields["people"].choices = [(n, str(n)) for n in range(1, most + 1)]
        for name, asked in (
            ("organisation", event.ask_organisation),
            ("dietary_needs", event.ask_dietary_needs),
            ("accessibility_needs", event.ask_accessibility_needs),
        ):
            if not asked:
                del self.fields[name]

    def registration_details(self):
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "people": data["people"],
            "organisation": data.get("organisation", ""),
            "dietary_needs": data.get("dietary_needs", ""),
            "accessibility_needs": data.get("accessibility_needs", ""),
            "consent_given": data["consent"],
        }


TYPED_FIELDS = [
    f.name
    for f in Registration._meta.fields
    if f.name in ("name", "email", "people", "organisation", "dietary_needs", "accessibility_needs")
] + ["website"]
