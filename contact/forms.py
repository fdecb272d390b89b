"""The form a resident fills in to ask the association a question."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from contact.captcha import OneTimeCaptchaField
from contact.mail import BIDI_CONTROLS
from contact.models import ContactMessage

TEXT_MAX_LENGTH = 5000

# Letters that draw nothing: Hangul fillers and the blank Braille pattern are not "format"
# characters, but a name made of them is as empty as one made of spaces.
BLANK_LETTERS = set("\u115f\u1160\u3164\uffa0\u2800")


def visible_text(value):
    """What is left once every character that shows nothing is taken out."""
    return "".join(
        char
        for char in value
        if not char.isspace()
        and char not in BLANK_LETTERS
        and unicodedata.category(char) not in ("Cf", "Cc", "Zs", "Mn", "Me")
    )


class VisibleTextMixin:
    """Text made only of invisible characters counts as empty: "required" is the error."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if visible_text(value) else ""


class SingleLineField(VisibleTextMixin, forms.CharField):
    """A one-line text: line breaks or other control characters are refused, never passed on.

    They would have no place in a name, and would be dangerous in an e-mail header.
    """

    default_error_messages = {
        "multiline": _("Please write this in one line, without line breaks."),
    }

    def to_python(self, value):
        return BIDI_CONTROLS.sub("", super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if any(
            ord(char) < 32 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029" for char in value
        ):
            raise forms.ValidationError(self.error_messages["multiline"], code="multiline")


class MessageTextField(VisibleTextMixin, forms.CharField):
    """The question itself: browsers send line breaks as CR LF but count them as one character."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class ConsentCheckbox(forms.CheckboxInput):
    """Ticked only when the checkbox's own value ("on") is sent: "0", "false" or any other
    value a script makes up is no consent (Django's checkbox takes any of them as ticked)."""

    CHECKED_VALUE = "on"

    def value_from_datadict(self, data, files, name):
        return data.get(name) == self.CHECKED_VALUE


class ConsentField(forms.BooleanField):
    widget = ConsentCheckbox
    CHECKED_VALUE = ConsentCheckbox.CHECKED_VALUE


class ResidentFormMixin:
    """What the residents' forms (a question, an event registration) share besides their
    fields: the error summary above the form and the honeypot check."""

    # Never in the error summary: the field only robots fill in, and the hidden token.
    UNSEEN_FIELDS = ("website", "form_token")
    summary_labels = {"consent": _("Consent to data processing")}

    def error_list(self):
        """(anchor id, label, message) for the summary at the top of the form, in field order."""
        entries = []
        for name in self.fields:
            if name in self.UNSEEN_FIELDS:
                continue
            bound = self[name]
            anchor = f"{bound.auto_id}_1" if name == "captcha" else bound.auto_id
            label = self.summary_labels.get(name, bound.label)
            entries.extend((anchor, label, error) for error in bound.errors)
        return entries

    @property
    def honeypot_filled(self):
        return bool(self.cleaned_data.get("website", "").strip())


class ContactForm(ResidentFormMixin, forms.Form):
    sender_name = SingleLineField(
        label=_("Your name"),
        max_length=ContactMessage._meta.get_field("sender_name").max_length,
        error_messages={
            "required": _("Please enter your name."),
            "max_length": _("The name may be at most %(limit_value)d characters long."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    sender_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We will send our answer to this address."),
        max_length=ContactMessage._meta.get_field("sender_email").max_length,
        error_messages={
            "required": _("Please enter the e-mail address we should answer to."),
            "invalid": _("Please enter an e-mail address such as jan.kowalski@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    text = MessageTextField(
        label=_("Your question"),
        help_text=_("At most 5000 characters."),
        max_length=TEXT_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": _("Please write your question."),
            "max_length": _(
                "The message may be at most %(limit_value)d characters long "
                "(it has %(show_value)d). Please shorten it."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    consent = ConsentField(
        label=_(
            "I agree that the association may process my name, e-mail address and message "
            "to answer my question."
        ),
        error_messages={
            "required": _("Please tick the consent box: without it we cannot accept the question.")
        },
    )
    captcha = OneTimeCaptchaField(label=_("Result of the sum"))
    # Spam layers people never see: a field only robots fill in, and when the form was handed out.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)
