"""The registration rules: places counted in people, the waitlist, promotion, cancelling.

Every change to a date's places happens with that date's row locked (SELECT … FOR UPDATE on
PostgreSQL), so two people taking the last place at the same moment cannot both get it.
E-mails are rendered into the outbox in the same transaction and sent after it commits.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from . import mail
from .models import EventDate, EventMail, Registration

Status = Registration.Status


class RegistrationClosed(Exception):
    """The date is cancelled, past its closing time, or takes no registrations."""


def locked_date(date_id):
    return EventDate.objects.select_for_update().select_related("event").get(pk=date_id)


def confirmed_people(event_date):
    return (
        Registration.objects.filter(event_date=event_date, status=Status.CONFIRMED).aggregate(
            n=Sum("people")
        )["n"]
        or 0
    )


def fits(event_date, people):
    if event_date.capacity is None:
        return True
    return confirmed_people(event_date) + people <= event_date.capacity


def register(date_id, **details):
    """Store a registration: confirmed if the places allow, otherwise on the waitlist.

    The resident's data is saved first; the confirmation e-mail is queued with it and sent
    after the commit by the mail worker.
    """
    with transaction.atomic():
        event_date = locked_date(date_id)
        if not event_date.registration_open():
            raise RegistrationClosed
        people = details.get("people", 1)
        status = Status.CONFIRMED if fits(event_date, people) else Status.WAITLISTED
        registration = Registration.objects.create(event_date=event_date, status=status, **details)
        mail.compose(
            registration,
            EventMail.Kind.CONFIRMATION if status == Status.CONFIRMED else EventMail.Kind.WAITLIST,
        )
        if status == Status.CONFIRMED:
            schedule_reminder(registration)
    return registration


def cancel(registration_id, *, tell_them=False):
    """Cancel one registration and give its places to the waitlist; returns it, or None.

    `tell_them`: the board cancelled it, so the resident gets an e-mail (a resident who
    cancels sees it on the page).
    """
    with transaction.atomic():
        registration = Registration.objects.filter(pk=registration_id).first()
        if registration is None:
            return None
        locked_date(registration.event_date_id)
        registration = Registration.objects.select_related("event_date__event").get(
            pk=registration_id
        )
        if not registration.is_active:
            return registration
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        if tell_them:
            mail.compose(registration, EventMail.Kind.CANCELLATION)
        promote_waitlist(registration.event_date)
    return registration


def promote_waitlist(event_date):
    """Give freed places to the first people on the waitlist whose group fits (date locked)."""
    if event_date.capacity is None:
        waiting = event_date.registrations.filter(status=Status.WAITLISTED)
    else:
        waiting = event_date.registrations.filter(status=Status.WAITLISTED).order_by(
            "registered_at", "pk"
        )
    free = None
    if event_date.capacity is not None:
        free = event_date.capacity - confirmed_people(event_date)
    promoted = []
    for registration in waiting:
        if free is not None and registration.people > free:
            continue
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status"])
        mail.compose(registration, EventMail.Kind.PROMOTION)
        schedule_reminder(registration)
        promoted.append(registration)
        if free is not None:
            free -= registration.people
            if free <= 0:
                break
    return promoted


def reminder_time(registration):
    hours = registration.event_date.event.reminder_hours
    if not hours:
        return None
    return registration.event_date.start - timedelta(hours=hours)


def schedule_reminder(registration, event_date=None):
    """Queue the reminder for `reminder_hours` before the start (after the commit)."""
    from .tasks import remind_registration

    event_date = event_date or registration.event_date
    when = reminder_time(registration)
    if when is None or event_date.start <= timezone.now():
        return
    start = event_date.start.isoformat()

    def enqueue():
        remind_registration.using(run_after=max(when, timezone.now())).enqueue(
            registration_id=registration.pk, start=start
        )

    transaction.on_commit(enqueue, robust=True)
