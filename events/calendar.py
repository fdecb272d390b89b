"""iCalendar (RFC 5545) files for event dates, built with the `icalendar` package.

Every file carries what calendar programs need not to drop or shift an event: PRODID,
VERSION, DTSTAMP, a lasting UID per date (never shared by two dates of a series), SEQUENCE,
and a VTIMEZONE for Europe/Warsaw with local times. The online link is added only to the
files sent to people who registered.
"""

from datetime import date, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

PRODID = "-//Stowarzyszenie Plac NZS//Wydarzenia//PL"


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def new_calendar(name=None, method=None):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def sequence_of(event_date):
    announcement = getattr(event_date, "announcement", None)
    return announcement.sequence if announcement else 0


def event_component(event_date, *, url, for_registered=False, sequence=None, cancelled=False):
    """One VEVENT for one date; `sequence` overrides the stored one (change notices)."""
    event = event_date.event
    component = icalendar.Event()
    component.add("uid", event_date.calendar_uid)
    component.add("dtstamp", timezone.now().astimezone(ZoneInfo("UTC")))
    component.add("sequence", sequence_of(event_date) if sequence is None else sequence)
    component.add("summary", event.title)
    zone = local_zone()
    if event_date.all_day:
        start = timezone.localtime(event_date.start, zone).date()
        end = timezone.localtime(event_date.end, zone).date() + timedelta(days=1)
        component.add("dtstart", start)
        component.add("dtend", end)
    else:
        component.add("dtstart", timezone.localtime(event_date.start, zone))
        component.add("dtend", timezone.localtime(event_date.end, zone))
    description = [event.lead] if event.lead else []
    location = event.place_text if event.is_in_person else ""
    if for_registered and event.online_url:
        description.append(f"Online: {event.online_url}")
        location = ", ".join(p for p in (location, event.online_url) if p)
    if location:
        component.add("location", location)
    description.append(url)
    component.add("description", "\n\n".join(description))
    component.add("url", url)
    if event.category_id:
        component.add("categories", [event.category.name])
    component.add("status", "CANCELLED" if cancelled or event_date.is_cancelled else "CONFIRMED")
    return component


def finish(calendar, dates):
    """The file's bytes, with a VTIMEZONE for every zone used (from the system's zoneinfo).

    Its rules cover the years of the dates in the file (a calendar needs no others), which
    keeps a feed small; an empty feed still names the zone.
    """
    starts = [d.start.date() for d in dates] or [timezone.now().date()]
    ends = [d.end.date() for d in dates] or [timezone.now().date()]
    calendar.add_missing_timezones(
        first_date=date(min(starts).year - 1, 1, 1), last_date=date(max(ends).year + 2, 1, 1)
    )
    return calendar.to_ical()


def date_calendar(event_date, *, url, for_registered=False, sequence=None, cancelled=False):
    """One date's file; METHOD:CANCEL when it tells a calendar to drop the date."""
    calendar = new_calendar(method="CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(
        event_component(
            event_date,
            url=url,
            for_registered=for_registered,
            sequence=sequence,
            cancelled=cancelled,
        )
    )
    return finish(calendar, [event_date])


def feed_calendar(dates, *, name, url_for):
    calendar = new_calendar(name=name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    dates = list(dates)
    for event_date in dates:
        calendar.add_component(event_component(event_date, url=url_for(event_date)))
    if not dates:
        # No events yet: the feed still tells subscribers its zone.
        calendar.add_component(timezone_only())
    return finish(calendar, dates)


def timezone_only():
    year = timezone.now().year
    return icalendar.Timezone.from_tzid(
        settings.TIME_ZONE, first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1)
    )


def google_calendar_link(event_date, url):
    """ "Add to Google Calendar" as a plain link (no script); times in UTC, as Google expects."""
    if event_date.all_day:
        zone = local_zone()
        start = timezone.localtime(event_date.start, zone).date()
        end = timezone.localtime(event_date.end, zone).date() + timedelta(days=1)
        dates = f"{start:%Y%m%d}/{end:%Y%m%d}"
    else:
        utc = ZoneInfo("UTC")
        start, end = event_date.start.astimezone(utc), event_date.end.astimezone(utc)
        dates = f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
    event = event_date.event
    params = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": dates,
        "details": url,
        "location": event.place_text if event.is_in_person else "",
        "ctz": settings.TIME_ZONE,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(params)
