"""What visitors and their link previews meet on every page: share links, meta tags, JSON-LD.

Everything is built on the server from the page and the site settings, so sharing works
without JavaScript and no third-party script, iframe or counter is ever loaded.
"""

import json
from urllib.parse import quote, urlencode

from django import template
from django.template.defaultfilters import filesizeformat
from django.templatetags.static import static
from django.utils.html import _json_script_escapes, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, to_locale
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page
from wagtail.templatetags.wagtailcore_tags import richtext

from pages.models import AssociationSettings

register = template.Library()

DEFAULT_PREVIEW_IMAGE = "images/og-default.png"
PREVIEW_SIZE = (1200, 630)
# OpenGraph wants a territory; Polish pages are read in Poland.
OG_LOCALES = {"pl": "pl_PL", "en": "en_GB"}


def association_for(request):
    return AssociationSettings.for_request(request) if request else None


def canonical_url(request, page):
    """The address search engines and shared links should use for what is shown."""
    if isinstance(page, Page):
        return page.get_full_url(request)
    if request is not None:
        return request.build_absolute_uri(request.path)
    return ""


def page_title(page, association):
    title = getattr(page, "seo_title", "") or getattr(page, "title", "")
    return title or (association.name if association else "")


def page_description(page, association):
    description = getattr(page, "search_description", "") or getattr(page, "link_preview_text", "")
    return description or (association.share_text if association else "")


def preview_image(request, association, page=None):
    """The page's own image (e.g. an article's) or the editors' chosen one, cropped to the size
    previews use, or the shipped default."""
    image = getattr(page, "link_preview_image", None)
    if image is None:
        image = association.share_image if association else None
    if image is not None:
        try:
            rendition = image.get_rendition("fill-{}x{}".format(*PREVIEW_SIZE))
        except SourceImageIOError:
            # The file is gone (deleted, lost volume): a page without its preview beats a 500.
            rendition = None
    if image is not None and rendition is not None:
        return {
            "url": request.build_absolute_uri(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "alt": image.default_alt_text,
        }
    return {
        "url": request.build_absolute_uri(static(DEFAULT_PREVIEW_IMAGE)),
        "width": PREVIEW_SIZE[0],
        "height": PREVIEW_SIZE[1],
        "alt": association.name if association else "",
    }


@register.inclusion_tag("components/link_preview.html", takes_context=True)
def link_preview(context, canonical=True):
    """<meta> description, canonical link, OpenGraph and Twitter-card tags for this page."""
    request = context.get("request")
    page = context.get("page")
    association = association_for(request)
    language = get_language() or "pl"
    return {
        "title": context.get("preview_title") or page_title(page, association),
        "description": page_description(page, association),
        "url": canonical_url(request, page),
        "canonical": canonical,
        "type": getattr(page, "link_preview_type", "website"),
        "site_name": association.name if association else "",
        "locale": OG_LOCALES.get(language, to_locale(language)),
        "image": preview_image(request, association, page) if request else None,
    }


def share_targets(url, title):
    """Plain links to each network's own share page: nothing loads until a visitor clicks.

    Each link shows the network's name and tells screen readers what it does after it,
    so the visible text starts the accessible name (WCAG 2.5.3).
    """
    message = f"{title} {url}".strip()
    share = gettext("share this page")
    send = gettext("send a link to this page")
    return [
        {
            "key": "facebook",
            "label": "Facebook",
            "action": share,
            "href": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        },
        {
            "key": "x",
            "label": "X",
            "action": share,
            "href": "https://x.com/intent/post?" + urlencode({"url": url, "text": title}),
        },
        {
            "key": "linkedin",
            "label": "LinkedIn",
            "action": share,
            "href": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        },
        {
            "key": "whatsapp",
            "label": "WhatsApp",
            "action": send,
            "href": "https://wa.me/?" + urlencode({"text": message}),
        },
        {
            "key": "telegram",
            "label": "Telegram",
            "action": send,
            "href": "https://t.me/share/url?" + urlencode({"url": url, "text": title}),
        },
        {
            "key": "email",
            "label": gettext("E-mail"),
            "action": send,
            # mailto wants %20 for spaces, not "+".
            "href": "mailto:?" + urlencode({"subject": title, "body": message}, quote_via=quote),
        },
    ]


@register.simple_tag(takes_context=True)
def share_links(context, page):
    """The share box's links for `page`: its canonical URL and title, ready for the template."""
    request = context.get("request")
    url = canonical_url(request, page)
    title = page_title(page, association_for(request))
    return {"url": url, "title": title, "targets": share_targets(url, title)}


def logo_url(association):
    """The editors' logo (PNG or SVG, at most 512 px high), or the shipped icon."""
    if association.logo is not None:
        try:
            return association.logo.get_rendition("height-512").url
        except SourceImageIOError:
            pass
    return static("images/icon-512.png")


@register.simple_tag(takes_context=True)
def association_json_ld(context):
    """schema.org data about the association (an NGO), for search engines' knowledge panels.

    A JSON-LD block is data, not code: browsers never run it, so it needs no script permission.
    """
    request = context.get("request")
    association = association_for(request)
    page = context.get("page")
    if association is None or not association.name:
        return ""
    data = {
        "@context": "https://schema.org",
        "@type": "NGO",
        "name": association.name,
        "url": canonical_url(request, page),
    }
    if association.short_name:
        data["alternateName"] = association.short_name
    if association.public_email:
        data["email"] = association.public_email
    if association.has_address:
        address = {"@type": "PostalAddress", "addressCountry": "PL"}
        for key, field in [
            ("streetAddress", "street_address"),
            ("postalCode", "postal_code"),
            ("addressLocality", "locality"),
        ]:
            if getattr(association, field):
                address[key] = getattr(association, field)
        data["address"] = address
    identifiers = []
    if association.nip:
        data["taxID"] = association.nip
    for name, value in (("KRS", association.krs), ("REGON", association.regon)):
        if value:
            identifiers.append({"@type": "PropertyValue", "propertyID": name, "value": value})
    if identifiers:
        data["identifier"] = identifiers
    if association.phone:
        data["telephone"] = association.phone_link
    if association.social_links:
        data["sameAs"] = [link["url"] for link in association.social_links]
    data["logo"] = request.build_absolute_uri(logo_url(association))
    text = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def document_details(document):
    """A document's type and size for its link text, e.g. "(PDF, 240 KB)"."""
    kind = document.file_extension.upper() or gettext("file")
    size = document.get_file_size()
    if size is None:  # the file is gone: name the type, not a made-up size
        return f"({kind})"
    return f"({kind}, {filesizeformat(size)})"


def public_facts(request):
    """What the placeholders in rich text stand for, read from the settings at render time.

    The privacy notice names the data controller, its address and e-mail and how long messages
    are kept; typed into the text, they would silently go stale when the settings change.
    """
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse

    association = association_for(request)
    address = ""
    email = ""
    if association is not None:
        town = f"{association.postal_code} {association.locality}".strip()
        address = ", ".join(part for part in (association.street_address, town) if part)
        if association.public_email:
            email = format_html('<a href="mailto:{0}">{0}</a>', association.public_email)
    if not email:
        try:
            email = format_html(
                '<a href="{}">{}</a>', reverse("contact:form"), gettext("the contact form")
            )
        except NoReverseMatch:
            email = gettext("the contact form")
    return {
        "{nazwa}": escape(association.name if association else ""),
        "{adres}": escape(address),
        "{email}": email,
        "{miesiace}": str(settings.CONTACT_RETENTION_MONTHS),
    }


@register.simple_tag(takes_context=True)
def rich_text_with_facts(context, value):
    """Rich text with {nazwa}, {adres}, {email} and {miesiace} filled in from the settings."""
    html = str(richtext(value))
    if "{" in html:
        for placeholder, fact in public_facts(context.get("request")).items():
            html = html.replace(placeholder, str(fact))
    return mark_safe(html)  # noqa: S308 - Wagtail's rich text with escaped values put in
