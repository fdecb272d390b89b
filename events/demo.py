"""Demo events for `manage.py seed_demo_content --events N`: past and future events, a
series, a cancelled one, and registrations (with a full date and a waitlist)."""

from datetime import timedelta

from django.utils import timezone
from wagtail.signal_handlers import disable_reference_index_auto_update

from .calendar import local_zone
from .models import EventCategory, EventDate, EventIndexPage, EventPage, Registration
from .series import series_dates

KINDS = ["debata", "szkolenie", "konferencja", "seminarium", "koncert", "wystawa"]
TITLES = {
    "debata": "Debata o Placu NZS",
    "szkolenie": "Szkolenie dla wolontariuszy",
    "konferencja": "Konferencja o przestrzeni publicznej",
    "seminarium": "Seminarium o samorządzie studenckim",
    "koncert": "Koncert na placu",
    "wystawa": "Wystawa zdjęć z Białegostoku",
}


def event_index():
    """The "Wydarzenia" page under the home page, made if there is none."""
    index = EventIndexPage.objects.first()
    if index is not None:
        return index
    from pages.models import MissionPage

    home = MissionPage.objects.first()
    index = EventIndexPage(title="Wydarzenia", slug="wydarzenia")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def local(days, hour):
    moment = timezone.localtime(timezone.now() + timedelta(days=days), local_zone())
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def seed_events(count, stdout=None):
    """Create `count` published events (at least four show each kind of case). Returns them."""
    index = event_index()
    categories = {c.slug: c for c in EventCategory.objects.filter(slug__in=KINDS)}
    created = []
    existing = EventPage.objects.count()
    with disable_reference_index_auto_update():
        for number in range(count):
            created.append(seed_event(index, categories, number, count, existing))
    if stdout is not None:
        stdout.write(f"Created {len(created)} demo event(s) under {index.url_path}.")
    return created


def seed_event(index, categories, number, count, existing):
    """One published demo event (the second is cancelled, the third a series of dates)."""
    kind = KINDS[number % len(KINDS)]
    days = (number - count // 3) * 5 + 3  # a third in the past, the rest ahead
    start = local(days, 18)
    event = EventPage(
        title=f"{TITLES[kind]} #{existing + number + 1}",
        slug=f"demo-{existing + number + 1}",
        lead="Wydarzenie przykładowe, utworzone do pokazu strony.",
        category=categories.get(kind),
        venue_name="Klub Fama",
        street_address="ul. Legionowa 5",
        postal_code="15-281",
        locality="Białystok",
        map_url="https://www.openstreetmap.org/search?query=Legionowa%205%20Bia%C5%82ystok",
        registration_enabled=kind in ("debata", "szkolenie", "koncert"),
        wheelchair_access=True,
        status="cancelled" if number == 1 else "scheduled",
    )
    event.dates.add(EventDate(start=start, end=start + timedelta(hours=2), capacity=3))
    if number == 2:
        # A series: every second week for two months.
        until = (start + timedelta(days=60)).date()
        end = start + timedelta(hours=2)
        for series_start, series_end in series_dates(start, end, "fortnightly", until):
            event.dates.add(EventDate(start=series_start, end=series_end, capacity=20))
    # Live from the start, as the demo articles: a revision and a publish for each of a
    # thousand events took most of the seeding time, and nobody edits demo events' history.
    event.live = True
    event.first_published_at = event.last_published_at = timezone.now()
    index.add_child(instance=event)
    if event.registration_enabled and days > 0 and event.status == "scheduled":
        first_date = event.dates.order_by("start").first()
        seed_registrations(first_date, number)
    return event


def seed_registrations(event_date, number):
    """Four groups for three places: the date is full and someone waits."""
    for person, people in ((1, 2), (2, 1), (3, 2), (4, 1)):
        taken = sum(
            r.people for r in Registration.objects.filter(event_date=event_date, status="confirmed")
        )
        Registration.objects.create(
            event_date=event_date,
            name=f"Osoba przykładowa {number}-{person}",
            email=f"demo-{number}-{person}@example.org",
            people=people,
            consent_given=True,
            consent_clause_version="demo",
            status="confirmed" if taken + people <= (event_date.capacity or 999) else "waitlisted",
        )
