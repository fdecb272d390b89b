"""Telling registered people when a published event changes, and when a date is removed.

Publishing compares each date with what its registered people were last told
(``DateAnnouncement``): a new start, end, place, status or a cancellation raises the calendar
SEQUENCE and e-mails everyone registered the new .ics (same UID). A removed date tells them
it is cancelled before its registrations go.
"""

from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.dateparse import parse_datetime
from wagtail.signals import page_published

from . import mail
from .models import DateAnnouncement, EventDate, EventMail, EventPage, Registration
from .registration import promote_waitlist, schedule_reminder


def announce_changes(event):
    for event_date in event.dates.all():
        state = event_date.announced_state()
        announcement, created = DateAnnouncement.objects.select_for_update().get_or_create(
            event_date=event_date, defaults={"state": state}
        )
        if created or announcement.state == state:
            continue
        old_start = parse_datetime(announcement.state[0]) if announcement.state else None
        announcement.sequence += 1
        if old_start and old_start != event_date.start:
            announcement.previous_start = old_start
        announcement.state = state
        announcement.save()
        event_date.announcement = announcement
        notify_registered(event_date, announcement.sequence, moved=old_start != event_date.start)


def notify_registered(event_date, sequence, *, moved):
    kind = EventMail.Kind.CANCELLATION if event_date.is_cancelled else EventMail.Kind.CHANGE
    for registration in event_date.registrations.filter(status__in=Registration.ACTIVE):
        registration.event_date = event_date
        mail.compose(registration, kind, sequence=sequence)
        if moved and registration.status == Registration.Status.CONFIRMED:
            registration.reminded_at = None
            registration.save(update_fields=["reminded_at"])
            schedule_reminder(registration, event_date)
    if not event_date.is_cancelled:
        # More places, or a capacity raised with the move: the waitlist moves up.
        promote_waitlist(event_date)


@receiver(page_published)
def event_published(sender, instance, **kwargs):
    if isinstance(instance, EventPage):
        with transaction.atomic():
            announce_changes(instance)


@receiver(pre_delete, sender=EventDate)
def date_removed(sender, instance, **kwargs):
    """The editor confirmed removing a date people registered for: they are told first."""
    announcement = DateAnnouncement.objects.filter(event_date=instance).first()
    sequence = (announcement.sequence if announcement else 0) + 1
    for registration in instance.registrations.filter(status__in=Registration.ACTIVE):
        registration.event_date = instance
        mail.compose(registration, EventMail.Kind.CANCELLATION, sequence=sequence)
