"""The spam layers a resident never notices: the time trap and the rate limits."""

import time

from django.conf import settings
from django.core import signing

from contact import throttle

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


# --- Rate limit -------------------------------------------------------------


def count_attempt(request):
    """Count one sending attempt from this client; True when it is over the limit.

    Counted in the database (contact/throttle.py), where a flood of other requests cannot
    push the counter out as it could from a cache.
    """
    return throttle.hit(RATE_LIMIT_GROUP, request, settings.CONTACT_RATE_LIMIT)


def too_many_challenges(request):
    """Count one new captcha challenge (form, form parts); True when over the limit."""
    return throttle.hit("contact.challenge", request, settings.CONTACT_CHALLENGE_RATE_LIMIT)


def too_many_spoken_questions(request):
    """Count one spoken question (espeak-ng runs for each); True when over the limit."""
    return throttle.hit("contact.spoken", request, settings.CONTACT_SPOKEN_RATE_LIMIT)
