"""A resident puts events into their calendar: .ics per date, subscribable feeds, Google link."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import EventCategory

from .factories import make_event, make_event_index, move_date, publish_changes, warsaw

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(association_content):
    return make_event_index(association_content)


def parse_both(body):
    """Parse with icalendar and, independently, with vobject; both must accept the file."""
    text = body.decode("utf-8")
    parsed = icalendar.Calendar.from_ical(text)
    independent = vobject.readOne(text)
    return parsed, independent


def the_vevents(parsed):
    return list(parsed.walk("VEVENT"))


def test_a_dates_file_has_what_calendar_programs_require(client, index):
    event = make_event(index, dates=[(warsaw(2031, 5, 12, 18), warsaw(2031, 5, 12, 20))])
    date = event.dates.get()

    response = client.get(f"/kalendarz/termin/{date.uid}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parsed, independent = parse_both(response.content)
    assert parsed["PRODID"] and str(parsed["VERSION"]) == "2.0"
    [vevent] = the_vevents(parsed)
    assert vevent["UID"] == f"{date.uid}@plac-nzs"
    assert "DTSTAMP" in vevent and int(vevent["SEQUENCE"]) == 0
    assert str(vevent["URL"]).endswith(event.url)
    assert str(vevent["LOCATION"]) == "Klub Fama, ul. Legionowa 5, 15-281 Białystok"
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Warsaw"]
    assert vevent["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert independent.vevent.dtstart.value == warsaw(2031, 5, 12, 18)
    assert independent.vevent.uid.value == f"{date.uid}@plac-nzs"


@pytest.mark.parametrize(
    ("local", "utc_hour"),
    [
        # The last Sunday of March: 18:00 in Białystok is 16:00 UTC (summer time, +2).
        ((2031, 3, 30, 18), 16),
        # The day before, still winter time (+1): 17:00 UTC.
        ((2031, 3, 29, 18), 17),
        # The last Sunday of October: back to winter time.
        ((2031, 10, 26, 18), 17),
        ((2031, 10, 25, 18), 16),
    ],
)
def test_local_times_stay_right_across_the_dst_change(client, index, local, utc_hour):
    start = warsaw(*local)
    event = make_event(index, dates=[(start, start + timedelta(hours=2))])

    response = client.get(f"/kalendarz/termin/{event.dates.get().uid}.ics")

    parsed, independent = parse_both(response.content)
    [vevent] = the_vevents(parsed)
    assert vevent.decoded("DTSTART").hour == 18  # local time, as the resident reads it
    assert vevent.decoded("DTSTART").astimezone(ZoneInfo("UTC")).hour == utc_hour
    assert independent.vevent.dtstart.value.astimezone(ZoneInfo("UTC")).hour == utc_hour
    # The VTIMEZONE itself says when summer time starts and ends: a program that ignores the
    # system's zone database computes the same.
    zone = parsed.walk("VTIMEZONE")[0].to_tz()
    naive = datetime(*local)
    assert naive.replace(tzinfo=zone).utcoffset() == start.utcoffset()


def test_every_date_of_a_series_has_its_own_uid(client, index):
    event = make_event(
        index,
        dates=[
            (warsaw(2031, 4, 1, 18), warsaw(2031, 4, 1, 20)),
            (warsaw(2031, 4, 15, 18), warsaw(2031, 4, 15, 20)),
        ],
    )

    response = client.get("/kalendarz/wydarzenia.ics")

    parsed, independent = parse_both(response.content)
    uids = [str(v["UID"]) for v in the_vevents(parsed)]
    assert len(uids) == 2 and len(set(uids)) == 2
    assert {v.uid.value for v in independent.vevent_list} == set(uids)
    assert {f"{d.uid}@plac-nzs" for d in event.dates.all()} == set(uids)


def test_the_uid_lasts_when_the_date_moves(client, index):
    event = make_event(index, dates=[(warsaw(2031, 4, 1, 18), warsaw(2031, 4, 1, 20))])
    date = event.dates.get()
    before = client.get(f"/kalendarz/termin/{date.uid}.ics")

    move_date(event, warsaw(2031, 4, 8, 18), warsaw(2031, 4, 8, 20))
    after = client.get(f"/kalendarz/termin/{date.uid}.ics")

    [old] = the_vevents(parse_both(before.content)[0])
    [new] = the_vevents(parse_both(after.content)[0])
    assert old["UID"] == new["UID"]
    assert int(new["SEQUENCE"]) == int(old["SEQUENCE"]) + 1


def test_the_public_file_never_carries_the_online_link(client, index):
    event = make_event(
        index, attendance_mode="online", online_url="https://meet.example.org/tajny-pokoj"
    )

    response = client.get(f"/kalendarz/termin/{event.dates.get().uid}.ics")

    assert b"tajny-pokoj" not in response.content


def test_feeds_per_category_hold_only_that_category(client, index):
    make_event(index, title="Debata o zieleni", category="debata")
    make_event(index, title="Koncert na placu", category="koncert")

    debates = client.get("/kalendarz/kategoria/debata.ics")
    everything = client.get("/kalendarz/wydarzenia.ics")

    assert [str(v["SUMMARY"]) for v in the_vevents(parse_both(debates.content)[0])] == [
        "Debata o zieleni"
    ]
    assert len(the_vevents(parse_both(everything.content)[0])) == 2
    assert client.get("/kalendarz/kategoria/nie-ma-takiej.ics").status_code == 404


def test_an_empty_feed_is_still_a_valid_calendar(client, index):
    response = client.get("/kalendarz/wydarzenia.ics")

    parsed, _independent = parse_both(response.content)
    assert the_vevents(parsed) == []
    assert parsed.walk("VTIMEZONE")


def test_past_dates_leave_the_subscribable_feed(client, index):
    with time_machine.travel(datetime(2031, 1, 1, 12, tzinfo=ZoneInfo("UTC")), tick=False):
        make_event(index, dates=[(warsaw(2031, 1, 10, 18), warsaw(2031, 1, 10, 20))])
        assert len(the_vevents(parse_both(client.get("/kalendarz/wydarzenia.ics").content)[0]))
    with time_machine.travel(datetime(2031, 2, 1, 12, tzinfo=ZoneInfo("UTC")), tick=False):
        response = client.get("/kalendarz/wydarzenia.ics")
        assert the_vevents(parse_both(response.content)[0]) == []


def test_the_google_calendar_link_is_a_plain_link_in_utc(client, index):
    event = make_event(index, dates=[(warsaw(2031, 7, 1, 18), warsaw(2031, 7, 1, 20))])

    page = client.get(event.url).content.decode()

    start = page.index("https://calendar.google.com/calendar/render?")
    link = page[start : page.index('"', start)].replace("&amp;", "&")
    params = parse_qs(urlparse(link).query)
    assert params["dates"] == ["20310701T160000Z/20310701T180000Z"]
    assert params["text"] == [event.title]


def test_an_all_day_date_is_a_whole_day_in_every_calendar(client, index):
    start = warsaw(2031, 6, 6, 0)
    event = make_event(
        index, dates=[{"start": start, "end": start + timedelta(hours=23), "all_day": True}]
    )

    parsed, _ = parse_both(client.get(f"/kalendarz/termin/{event.dates.get().uid}.ics").content)

    [vevent] = the_vevents(parsed)
    assert str(vevent.decoded("DTSTART")) == "2031-06-06"
    assert str(vevent.decoded("DTEND")) == "2031-06-07"


def test_categories_editors_add_get_their_own_feed(client, index):
    EventCategory.objects.create(name="Spacer", slug="spacer")
    make_event(index, title="Spacer po Bojarach", category="spacer")

    response = client.get("/kalendarz/kategoria/spacer.ics")

    assert "Spacer po Bojarach" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/kalendarz/wydarzenia.ics", "/kalendarz/kategoria/debata.ics", "/kalendarz/rss.xml"]
)
def test_many_subscribers_get_the_feed_from_the_page_cache(client, index, path):
    make_event(index, title="Debata o zieleni")
    assert client.get(path)["X-Page-Cache"] == "miss"

    with CaptureQueriesContext(connection) as queries:
        again = client.get(path)

    assert again["X-Page-Cache"] == "hit"
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]
    assert "Debata o zieleni" in again.content.decode()


def test_subscribers_see_a_published_change_at_once(client, index):
    event = make_event(index, title="Debata o zieleni")
    date_file = f"/kalendarz/termin/{event.dates.get().uid}.ics"
    client.get("/kalendarz/wydarzenia.ics"), client.get(date_file)

    publish_changes(event, title="Debata o drzewach")

    assert "Debata o drzewach" in client.get("/kalendarz/wydarzenia.ics").content.decode()
    assert "Debata o drzewach" in client.get(date_file).content.decode()
