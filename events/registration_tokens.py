"""Signed links in residents' e-mails: who holds the link may cancel that one registration."""

from django.core import signing

CANCEL_SALT = "events.cancel-registration"


def cancel_token(registration):
    return signing.dumps(registration.pk, salt=CANCEL_SALT, compress=True)


def registration_id_from(token):
    """The registration's id, or None for a forged or mangled link.

    No expiry: a registration for a past date can no longer be cancelled anyway.
    """
    try:
        return int(signing.loads(token, salt=CANCEL_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
