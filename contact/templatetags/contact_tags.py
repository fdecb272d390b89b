"""{% contact_form %}: the contact form inside a page that may be served from a shared cache."""

from django import template

from contact.forms import ContactForm
from contact.views import form_context

register = template.Library()


@register.inclusion_tag("components/contact_form.html", takes_context=True)
def contact_form(context):
    # No CSRF token, no captcha row, no session: static/js/site.js fetches those
    # per visitor from /kontakt/formularz.json when the form comes into view.
    return form_context(context["request"], ContactForm(), captcha=None, form_token="")
