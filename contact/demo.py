"""Demo messages for measuring the board's inbox as it grows (`seed_demo_content --messages N`).

Written with bulk_create: ten thousand messages take seconds, not the minutes one save each
would. They are marked as already sent, so no worker e-mails the board about them.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import ContactMessage

QUESTIONS = [
    "Kiedy jest następne spotkanie mieszkańców?",
    "Czy mogę dołączyć do stowarzyszenia jako wolontariuszka?",
    "Na placu brakuje ławek; czy możecie to zgłosić miastu?",
    "Dziękuję za debatę, kiedy kolejna?",
]
HANDLING = [
    ContactMessage.HandlingState.ANSWERED,
    ContactMessage.HandlingState.NEW,
    ContactMessage.HandlingState.IN_PROGRESS,
    ContactMessage.HandlingState.ANSWERED,
]
BATCH = 1000


def seed_messages(count, stdout=None):
    """Delivered example messages, an hour apart going back from now, until there are
    `count` of them (running it again adds only what is missing)."""
    start = ContactMessage.objects.filter(consent_clause_version="demo").count()
    count = max(count - start, 0)
    now = timezone.now()
    made = 0
    with transaction.atomic():
        for first in range(start, start + count, BATCH):
            numbers = range(first, min(first + BATCH, start + count))
            messages = ContactMessage.objects.bulk_create(
                ContactMessage(
                    sender_name=f"Mieszkanka Przykładowa {number + 1}",
                    sender_email=f"mieszkanka{number + 1}@example.org",
                    text=f"[Przykład] {QUESTIONS[number % len(QUESTIONS)]} (nr {number + 1})",
                    consent_given=True,
                    consent_clause_version="demo",
                    delivery_state=ContactMessage.DeliveryState.SENT,
                    delivery_attempts=1,
                    delivered_at=now,
                    handling_state=HANDLING[number % len(HANDLING)],
                )
                for number in numbers
            )
            # received_at is set to "now" on creation; a year of messages goes back in time.
            for number, message in zip(numbers, messages, strict=True):
                message.received_at = now - timedelta(hours=number + 1)
            ContactMessage.objects.bulk_update(messages, ["received_at"], batch_size=BATCH)
            made += len(messages)
    if stdout is not None:
        stdout.write(f"Example messages: {made} added, {start} already there.")
    return made
