"""Editors fill a series from a rule; the demo content has every kind of case."""

import io
from datetime import date

import pytest

from events.demo import seed_events
from events.models import EventPage, Registration
from events.series import series_dates

from .factories import warsaw

pytestmark = pytest.mark.django_db


def test_every_second_tuesday_until_june_keeps_the_local_time_across_dst():
    first = warsaw(2031, 3, 4, 18)  # a Tuesday in winter time

    pairs = series_dates(first, warsaw(2031, 3, 4, 20), "fortnightly", date(2031, 6, 1))

    starts = [start for start, _end in pairs]
    assert [s.date().isoformat() for s in starts] == [
        "2031-03-18",
        "2031-04-01",
        "2031-04-15",
        "2031-04-29",
        "2031-05-13",
        "2031-05-27",
    ]
    assert {s.hour for s in starts} == {18}  # 18:00 in Białystok after the clocks change too
    assert {(end - start).seconds for start, end in pairs} == {7200}


def test_monthly_keeps_the_weekday_and_its_place_in_the_month():
    first = warsaw(2031, 1, 14, 18)  # the second Tuesday of January

    pairs = series_dates(first, warsaw(2031, 1, 14, 20), "monthly", date(2031, 4, 30))

    assert [s.day for s, _e in pairs] == [11, 11, 8]  # second Tuesdays of Feb, Mar, Apr


def test_demo_events_have_past_future_series_cancelled_and_a_waitlist(association_content):
    out = io.StringIO()

    seed_events(8, stdout=out)

    events = EventPage.objects.all()
    assert events.count() == 8 and "Created 8 demo event(s)" in out.getvalue()
    assert events.filter(status="cancelled").exists()
    assert any(event.dates.count() > 1 for event in events)
    assert any(event.is_past for event in events) and any(not e.is_past for e in events)
    assert Registration.objects.filter(status="waitlisted").exists()
