"""Filling a series of dates from a rule ("every second Tuesday until June").

The rule runs in local time (dateutil.rrule on naive Warsaw times), so 18:00 stays 18:00 on
both sides of a change to or from summer time.
"""

from datetime import datetime, time

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from django.utils import timezone

from .calendar import local_zone

RULES = {
    "weekly": {"freq": WEEKLY, "interval": 1},
    "fortnightly": {"freq": WEEKLY, "interval": 2},
    "monthly": {"freq": MONTHLY, "interval": 1},
}


def series_dates(start, end, rule, until):
    """(start, end) pairs after the first date, following `rule` up to and including `until`.

    "monthly" keeps the weekday and its place in the month (e.g. the second Tuesday).
    """
    zone = local_zone()
    first = timezone.localtime(start, zone).replace(tzinfo=None)
    duration = end - start
    options = dict(RULES[rule])
    if rule == "monthly":
        nth = (first.day - 1) // 7 + 1
        options["byweekday"] = weekday(first.weekday())(nth)
    last = datetime.combine(until, time.max)
    pairs = []
    for naive in rrule(dtstart=first, until=last, **options):
        if naive == first:
            continue
        aware = naive.replace(tzinfo=zone)
        pairs.append((aware, aware + duration))
    return pairs
