"""The RODO information clause shown next to the consent checkbox."""

from django.utils.translation import gettext
from wagtail.models import Site

from contact.models import ContactSettings, clause_version
from pages.models import AssociationSettings

PRIVACY_NOTICE_SLUG = "polityka-prywatnosci"


def administrator(site, request=None):
    """The association's name and address as edited in Settings → Association."""
    if site is None:
        return ""
    # for_request reads the cached copy the page templates use: no extra query.
    association = (
        AssociationSettings.for_request(request) if request else AssociationSettings.for_site(site)
    )
    town = " ".join(part for part in (association.postal_code, association.locality) if part)
    return ", ".join(part for part in (association.name, association.street_address, town) if part)


def default_clause(site=None, request=None):
    """Shown while the editors have not written their own clause in Settings → Contact form.

    The administrator is taken from the association's settings, so a changed
    address shows here too (and gives the clause a new version stamp).
    """
    return gettext(
        "The administrator of your personal data (name, e-mail address and the content of "
        "your message) is %(administrator)s. "
        "We process them only to answer your question, on the basis of your consent "
        "(Art. 6(1)(a) GDPR). We keep the message for 24 months and then delete it. "
        "You may withdraw your consent at any time, and you have the right to access, "
        "rectify and erase your data, to restrict its processing, and to lodge a complaint "
        "with the President of the Personal Data Protection Office (PUODO)."
    ) % {"administrator": administrator(site, request) or gettext("the association")}


def consent_clause(request):
    """(text, version stamp) of the clause a resident sees on this site."""
    site = Site.find_for_request(request)
    text = ""
    if site is not None:
        text = ContactSettings.for_request(request).consent_clause.strip()
    text = text or default_clause(site, request)
    return text, clause_version(text)


def privacy_notice_url(request):
    """The privacy notice chosen in Settings → Association, if it is published."""
    page = AssociationSettings.for_request(request).privacy_page
    return page.get_url(request) if page is not None and page.live else None
