"""A resident finds events: the index, filters, the archive, the event page, the mission page."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import EventCategory, EventDate, EventIndexPage, EventPage

from .factories import in_days, make_event, make_event_index, move_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(association_content):
    return make_event_index(association_content)


def titles(response, section_id):
    soup = BeautifulSoup(response.content, "html.parser")
    section = soup.find(id=section_id).find_parent("section")
    return [h.get_text(strip=True) for h in section.select(".card__title")]


def test_upcoming_events_come_soonest_first_and_past_ones_go_to_the_archive(client, index):
    make_event(index, title="Koncert", category="koncert", dates=[(in_days(20), in_days(20, 21))])
    make_event(index, title="Debata", dates=[(in_days(5), in_days(5, 20))])
    make_event(index, title="Wystawa", category="wystawa", dates=[(in_days(-9), in_days(-9, 20))])

    response = client.get(index.url)

    assert titles(response, "nadchodzace") == ["Debata", "Koncert"]
    assert titles(response, "archiwum") == ["Wystawa"]


def test_residents_filter_by_category(client, index):
    make_event(index, title="Koncert", category="koncert")
    make_event(index, title="Debata")

    response = client.get(index.url + "?kategoria=koncert")

    assert titles(response, "nadchodzace") == ["Koncert"]
    assert client.get(index.url + "?kategoria=nie-ma").status_code == 404


# Not named "page": pytest-playwright would take that for its browser page fixture.
@pytest.mark.parametrize("strona", ["abc", "0", "999", "-1", "1.5"])
def test_an_invalid_archive_page_is_not_found_never_an_error(client, index, strona):
    make_event(index, dates=[(in_days(-3), in_days(-3, 20))])

    assert client.get(f"{index.url}?strona={strona}").status_code == 404


def test_the_archive_is_paginated(client, index):
    event = make_event(index, dates=[(in_days(-1), in_days(-1, 20))])
    for days in range(2, 26):
        EventDate.objects.create(event=event, start=in_days(-days), end=in_days(-days, 20))

    first = client.get(index.url)
    second = client.get(index.url + "?strona=2")

    assert len(titles(first, "archiwum")) == 20
    assert len(titles(second, "archiwum")) == 5
    assert 'rel="next"' in first.content.decode()


def test_a_long_series_of_upcoming_dates_comes_twenty_at_a_time_soonest_first(client, index):
    event = make_event(index, title="Spacer", dates=[(in_days(1), in_days(1, 20))])
    for days in range(2, 26):
        EventDate.objects.create(event=event, start=in_days(days), end=in_days(days, 20))

    first = client.get(index.url)
    second = client.get(index.url + "?nadchodzace=2")

    assert len(titles(first, "nadchodzace")) == 20
    assert len(titles(second, "nadchodzace")) == 5
    assert 'nadchodzace=2" rel="next"' in first.content.decode()
    assert 'nadchodzace=1" rel="prev"' in second.content.decode()
    assert client.get(index.url + "?nadchodzace=3").status_code == 404


def test_the_event_page_shows_place_accessibility_price_and_calendar_links(client, index):
    event = make_event(
        index,
        map_url="https://www.openstreetmap.org/node/1",
        wheelchair_access=True,
        sign_language_interpreter=True,
        organiser="Stowarzyszenie Plac NZS",
        partners="Urząd Miasta\nKlub Fama",
    )

    body = client.get(event.url).content.decode()

    for text in (
        "Klub Fama",
        "ul. Legionowa 5",
        "Pokaż na mapie (OpenStreetMap)",
        "Dostęp dla wózków",
        "Tłumacz polskiego języka migowego",
        "Wstęp wolny",
        "Urząd Miasta, Klub Fama",
        f"/kalendarz/termin/{event.dates.get().uid}.ics",
        "Dodaj do Kalendarza Google",
    ):
        assert text in body, text
    assert "<iframe" not in body


def test_the_event_page_has_schema_org_event_data(client, index):
    event = make_event(index, status="rescheduled")
    event = move_date(event, in_days(21), in_days(21, 20))

    soup = BeautifulSoup(client.get(event.url).content, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)

    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["@type"] == "PostalAddress"
    assert data["organizer"]["name"] == "Stowarzyszenie Plac NZS"
    assert data["offers"]["price"] == "0"
    assert data["previousStartDate"].startswith(in_days(14).date().isoformat())
    assert data["startDate"].endswith(("+01:00", "+02:00"))


def test_an_online_event_has_a_virtual_location(client, index):
    event = make_event(index, attendance_mode="online", venue_name="", street_address="")

    soup = BeautifulSoup(client.get(event.url).content, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)

    assert data["location"]["@type"] == "VirtualLocation"


def test_the_event_page_has_its_own_link_preview(client, index):
    event = make_event(index)

    soup = BeautifulSoup(client.get(event.url).content, "html.parser")

    assert soup.find("meta", property="og:title")["content"] == event.title
    assert soup.find("meta", property="og:url")["content"].endswith(event.url)


def test_the_event_page_and_index_come_from_the_page_cache(client, index):
    event = make_event(index)

    for url in (event.url, index.url):
        first, second = client.get(url), client.get(url)
        assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
        assert "csrfmiddlewaretoken" not in second.content.decode()
        assert "Set-Cookie" not in second


def test_the_mission_page_shows_the_next_three_events(client, index, association_content):
    for days, title in ((9, "Czwarte"), (3, "Pierwsze"), (5, "Drugie"), (7, "Trzecie")):
        make_event(index, title=title, dates=[(in_days(days), in_days(days, 20))])
    make_event(index, title="Minione", dates=[(in_days(-2), in_days(-2, 20))])

    response = client.get(association_content.url)

    assert titles(response, "nadchodzace-wydarzenia") == ["Pierwsze", "Drugie", "Trzecie"]
    assert index.url in response.content.decode()


def test_the_index_is_in_the_menu_by_default(index):
    assert EventIndexPage.objects.get().show_in_menus


def test_rss_lists_upcoming_events(client, index):
    make_event(index, title="Debata o zieleni")

    response = client.get("/kalendarz/rss.xml")

    assert response.status_code == 200
    assert "<title>Debata o zieleni" in response.content.decode()


def test_event_pages_are_in_the_sitemap(client, index):
    event = make_event(index)

    assert event.url in client.get("/sitemap.xml").content.decode()


def add_events(index, count, start=0):
    """Many published events, made quickly: one page each, with two dates."""
    from events.models import EventCategory

    debate = EventCategory.objects.get(slug="debata")
    for number in range(start, start + count):
        event = EventPage(
            title=f"Wydarzenie {number}", slug=f"wydarzenie-{number}", live=True, category=debate
        )
        index.add_child(instance=event)
        EventDate.objects.bulk_create(
            [
                EventDate(event=event, start=in_days(d), end=in_days(d) + timedelta(hours=2))
                for d in (number % 30 + 1, -(number % 30) - 1)
            ]
        )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_COOKIE="sessionid=bez-cache")
    assert response.status_code == 200
    return len(queries)


def test_listings_and_feeds_cost_the_same_queries_for_10_and_1000_events(client, index, settings):
    settings.PAGE_CACHE_SECONDS = 0
    # The search index would rebuild its norms on every one of the thousand pages saved.
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
    }
    urls = [
        index.url,
        index.url + "?kategoria=debata",
        index.url + "?strona=2",
        index.url + "?nadchodzace=2",
        "/kalendarz/wydarzenia.ics",
        "/kalendarz/kategoria/debata.ics",
        "/kalendarz/rss.xml",
    ]
    add_events(index, 50)
    for url in urls:
        queries_for(client, url)  # settings and site roots are read and cached once
    few = {url: queries_for(client, url) for url in urls}
    add_events(index, 950, start=50)
    many = {url: queries_for(client, url) for url in urls}

    assert few == many


def test_an_event_whose_picture_file_is_gone_still_opens(client, index, settings, tmp_path):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = tmp_path
    picture = get_image_model().objects.create(title="Plac", file=get_test_image_file())
    event = make_event(index, image=picture, dates=[(in_days(d), in_days(d, 20)) for d in (7, 14)])
    picture.file.storage.delete(picture.file.name)  # a lost volume, a file removed by hand

    response = client.get(event.url)

    assert response.status_code == 200
    data = json.loads(
        BeautifulSoup(response.content, "html.parser")
        .find("script", type="application/ld+json")
        .string
    )
    assert len(data) == 2 and not any("image" in item for item in data)


def test_a_renamed_category_shows_at_once_on_the_cached_event_page(client, admin_client, index):
    event = make_event(index, title="Koncert w parku", category="koncert")
    assert "Koncert" in client.get(event.url).content.decode()
    assert client.get(event.url)["X-Page-Cache"] == "hit"
    category = EventCategory.objects.get(slug="koncert")

    admin_client.post(
        reverse("wagtailsnippets_events_eventcategory:edit", args=[category.pk]),
        {"name": "Koncert plenerowy", "slug": "koncert"},
    )

    response = client.get(event.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Koncert plenerowy" in response.content.decode()
