"""RODO: removing registrants' personal data, after the retention time or on request."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import EventMail, Registration, past_registrations_to_erase
from .registration import cancel


def erase_old_registrations(days):
    """Erase the personal data of registrations whose date ended more than `days` days ago.

    Returns how many registrations were erased. The number of people and the status stay.
    """
    with transaction.atomic():
        erased = Registration.erase_personal_data_of(past_registrations_to_erase(days))
    # E-mails about dates that long past (sent or given up) go as well.
    cutoff = timezone.now() - timedelta(days=days)
    EventMail.objects.filter(created_at__lt=cutoff).exclude(
        state__in=[EventMail.State.PENDING, EventMail.State.SENDING]
    ).delete()
    return erased


def erase_person(email, dry_run=False):
    """Everything registered from one address: upcoming places are freed, then data erased."""
    registrations = Registration.objects.filter(email__iexact=email, erased_at__isnull=True)
    mails = EventMail.objects.filter(Q(recipient__iexact=email))
    count = registrations.count()
    if not dry_run:
        for registration in registrations:
            if registration.is_active and registration.event_date.end >= timezone.now():
                cancel(registration.pk)
            registration.erase_personal_data()
        mails.delete()
    return count
