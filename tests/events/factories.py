"""Plain helpers that build events, dates and registrations for the tests."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

WARSAW = ZoneInfo("Europe/Warsaw")


def warsaw(*args):
    """An aware time as a resident of Białystok reads it: warsaw(2027, 3, 28, 18, 0)."""
    return datetime(*args, tzinfo=WARSAW)


def make_event_index(mission_page, title="Wydarzenia", slug="wydarzenia"):
    from events.models import EventIndexPage

    index = EventIndexPage(title=title, slug=slug)
    mission_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def in_days(days, hour=18):
    base = timezone.localtime(timezone.now() + timedelta(days=days), WARSAW)
    return base.replace(hour=hour, minute=0, second=0, microsecond=0)


def make_event(index, title="Debata o Placu NZS", dates=None, category="debata", **fields):
    """A published event; `dates` is a list of (start, end) or dicts of EventDate fields."""
    from events.models import EventCategory, EventDate, EventPage

    if dates is None:
        dates = [(in_days(14), in_days(14, hour=20))]
    values = {
        "title": title,
        "lead": "Rozmawiamy o przyszłości Placu NZS.",
        "venue_name": "Klub Fama",
        "street_address": "ul. Legionowa 5",
        "postal_code": "15-281",
        "locality": "Białystok",
        "registration_enabled": True,
        "category": EventCategory.objects.filter(slug=category).first() if category else None,
    }
    values.update(fields)
    event = EventPage(**values)
    for item in dates:
        if isinstance(item, dict):
            event.dates.add(EventDate(**item))
        else:
            start, end = item
            event.dates.add(EventDate(start=start, end=end))
    index.add_child(instance=event)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def publish_changes(event, **changes):
    """What an editor does: change fields of the event (and its dates) and publish."""
    for name, value in changes.items():
        setattr(event, name, value)
    event.save_revision().publish()
    return type(event).objects.get(pk=event.pk)


def register_directly(event_date, name="Anna Mieszkanka", email="anna@example.org", people=1):
    from events.registration import register

    return register(
        event_date.pk,
        name=name,
        email=email,
        people=people,
        consent_given=True,
        consent_clause_version="sha256:test",
    )


def edit_dates(event, change):
    """An editor edits the dates in the page editor and publishes: `change(dates)` gets the
    list of the event's dates to change, remove from, or add to, and returns it."""
    dates = change(list(event.dates.all()))
    event.dates = dates
    event.save_revision().publish()
    return type(event).objects.get(pk=event.pk)


def move_date(event, start, end, which=0):
    def change(dates):
        dates[which].start, dates[which].end = start, end
        return dates

    return edit_dates(event, change)
