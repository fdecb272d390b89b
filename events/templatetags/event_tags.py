"""Events on other pages (the mission page's next three) and the event's search-engine data."""

import json

from django import template
from django.utils import timezone
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe
from wagtail.images.models import SourceImageIOError

from events import calendar
from events.models import AttendanceMode, EventStatus, upcoming_dates
from pages.models import AssociationSettings

register = template.Library()

SCHEMA_STATUS = {
    EventStatus.SCHEDULED: "EventScheduled",
    EventStatus.CANCELLED: "EventCancelled",
    EventStatus.POSTPONED: "EventPostponed",
    EventStatus.MOVED_ONLINE: "EventMovedOnline",
    EventStatus.RESCHEDULED: "EventRescheduled",
}
SCHEMA_MODE = {
    AttendanceMode.OFFLINE: "OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "OnlineEventAttendanceMode",
    AttendanceMode.MIXED: "MixedEventAttendanceMode",
}


@register.inclusion_tag("events/upcoming_events.html", takes_context=True)
def upcoming_events(context, count=3, heading=""):
    """The next `count` dates as cards under `heading` (empty: "Upcoming events")."""
    from events.models import EventIndexPage

    index = EventIndexPage.objects.live().only("url_path", "path", "depth").first()
    return {
        "dates": upcoming_dates(count),
        "index": index,
        "heading": heading,
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def google_calendar_link(context, event_date):
    request = context["request"]
    url = request.build_absolute_uri(event_date.event.get_url(request))
    return calendar.google_calendar_link(event_date, url)


def event_image_url(page, request):
    """The event's picture for search engines, once for all its dates; none if its file is gone."""
    if page.image is None:
        return ""
    try:
        return request.build_absolute_uri(page.image.get_rendition("width-1200").url)
    except SourceImageIOError:
        return ""


def event_data(page, request):
    """schema.org Event for every date of the page (a series is one Event per date)."""
    url = request.build_absolute_uri(page.get_url(request))
    association = AssociationSettings.for_request(request)
    organizer = {
        "@type": "Organization",
        "name": page.organiser or association.name,
        "url": request.build_absolute_uri("/"),
    }
    locations = []
    if page.is_in_person and page.place_text:
        locations.append(
            {
                "@type": "Place",
                "name": page.venue_name or page.place_text,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": page.street_address,
                    "postalCode": page.postal_code,
                    "addressLocality": page.locality,
                    "addressCountry": "PL",
                },
            }
        )
    if page.attendance_mode != AttendanceMode.OFFLINE or page.status == EventStatus.MOVED_ONLINE:
        locations.append({"@type": "VirtualLocation", "url": url})
    image_url = event_image_url(page, request)
    items = []
    for event_date in page.date_list:
        status = SCHEMA_STATUS.get(page.status, "EventScheduled")
        if event_date.cancelled:
            status = "EventCancelled"
        item = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": page.title,
            "description": page.lead or page.search_description,
            "startDate": timezone.localtime(event_date.start).isoformat(),
            "endDate": timezone.localtime(event_date.end).isoformat(),
            "eventStatus": f"https://schema.org/{status}",
            "eventAttendanceMode": "https://schema.org/"
            + SCHEMA_MODE.get(
                AttendanceMode.ONLINE
                if page.status == EventStatus.MOVED_ONLINE
                else page.attendance_mode,
                "OfflineEventAttendanceMode",
            ),
            "location": locations[0] if len(locations) == 1 else locations,
            "organizer": organizer,
            "url": f"{url}#termin-{event_date.pk}",
            "offers": {
                "@type": "Offer",
                # Free unless the editor wrote a price (free text, so it goes in the description).
                **(
                    {"price": "0", "priceCurrency": "PLN"}
                    if not page.price
                    else {"description": page.price}
                ),
                "availability": "https://schema.org/InStock",
                "url": url,
            },
        }
        if image_url:
            item["image"] = image_url
        announcement = getattr(event_date, "announcement", None)
        if announcement is not None and announcement.previous_start:
            item["previousStartDate"] = timezone.localtime(announcement.previous_start).isoformat()
        items.append(item)
    return items


@register.simple_tag(takes_context=True)
def event_json_ld(context, page):
    data = event_data(page, context["request"])
    if not data:
        return ""
    text = json.dumps(data if len(data) > 1 else data[0], ensure_ascii=False)
    text = text.translate(_json_script_escapes)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
