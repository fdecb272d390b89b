"""Per-client limits that a flood of other requests cannot reset.

Counters live in the database (``ThrottleCount``): nothing evicts them, and every app server
sees the same count. A fixed window per rate, as django-ratelimit counts: "5/10m" allows five
hits in each ten-minute window. The client is a keyed hash of its address (IPv6 grouped per
/64), so the table holds no address.
"""

import random
import re
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from contact.models import ThrottleCount
from stowarzyszenie.client_ip import client_ip

RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# One new window in this many also deletes the windows that have ended.
CLEANUP_ONE_IN = 50


def parse_rate(rate):
    """ "5/10m" → (5, 600): so many hits per so many seconds."""
    match = RATE.match(rate)
    if match is None:
        raise ValueError(f"A rate looks like 5/10m, not {rate!r}.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * UNIT_SECONDS[unit]


def client_key(group, request):
    """What a limit counts by: a keyed hash of the group and the client's address."""
    return salted_hmac(f"contact.throttle.{group}", client_ip(request)).hexdigest()


def window_end(now, seconds):
    start = int(now.timestamp()) // seconds * seconds
    return datetime.fromtimestamp(start + seconds, tz=UTC)


def hit(group, request, rate):
    """Count one hit from this client; True when it is over the limit for `rate`."""
    limit, seconds = parse_rate(rate)
    key = client_key(group, request)
    ends = window_end(timezone.now(), seconds)
    counts = ThrottleCount.objects.filter(key=key, window_ends_at=ends)
    if not counts.update(hits=F("hits") + 1):
        try:
            with transaction.atomic():
                ThrottleCount.objects.create(key=key, window_ends_at=ends, hits=1)
        except IntegrityError:
            counts.update(hits=F("hits") + 1)  # another request created it first
        if random.randrange(CLEANUP_ONE_IN) == 0:  # noqa: S311 - not security-relevant
            delete_ended()
    hits = counts.values_list("hits", flat=True).first() or 0
    return hits > limit


def delete_ended(now=None):
    """Forget windows that have ended (also run by `delete_old_messages`)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=1)
    return ThrottleCount.objects.filter(window_ends_at__lt=cutoff).delete()[0]
