"""The spam layers a resident never notices: time trap, rate limit, and the client address."""

import ipaddress
import logging
import time

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac
from django_ratelimit.core import get_usage

from stowarzyszenie.client_ip import client_ip

logger = logging.getLogger(__name__)

FORM_TOKEN_SALT = "contact.form-token"  # noqa: S105 - a signing namespace, not a secret
RATE_LIMIT_GROUP = "contact.form"


# --- Time trap --------------------------------------------------------------


def make_form_token(issued_at=None):
    """A signed note of when the form was handed out; people need a few seconds to write."""
    return signing.dumps(
        round(issued_at if issued_at is not None else time.time(), 3), salt=FORM_TOKEN_SALT
    )


def form_token_age(token):
    """Seconds since the token was issued, or None if it is missing or forged."""
    try:
        issued_at = float(signing.loads(token or "", salt=FORM_TOKEN_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - issued_at


def sent_too_quickly(token):
    """True when no human could have filled in the form since it was handed out."""
    age = form_token_age(token)
    return age is None or age < settings.CONTACT_MIN_FILL_SECONDS


# --- Client address ---------------------------------------------------------


def client_address(request):
    """The visitor's address as the login throttle sees it, IPv6 grouped per /64."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        # One IPv6 customer usually holds a whole /64.
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def client_key(group, request):
    """What the rate limit counts by: a keyed hash, so the cache never holds an address."""
    return salted_hmac(RATE_LIMIT_GROUP, client_address(request)).hexdigest()


# --- Rate limit -------------------------------------------------------------


def count_attempt(request):
    """Count one sending attempt from this client; True when it is over the limit.

    django-ratelimit does the counting in the cache. If the cache is down the
    resident is let through: losing a question is worse than letting spam try.
    """
    try:
        usage = get_usage(
            request,
            group=RATE_LIMIT_GROUP,
            key=client_key,
            rate=settings.CONTACT_RATE_LIMIT,
            method="POST",
            increment=True,
        )
    except Exception:
        logger.exception("Contact form rate limit unavailable; letting the message through")
        return False
    return bool(usage and usage["should_limit"])
