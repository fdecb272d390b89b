"""RODO right to erasure: delete every message sent from one e-mail address."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from wagtail import hooks

from contact.models import ContactMessage


class Command(BaseCommand):
    help = "Delete every resident's message sent from the given e-mail address."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The resident's e-mail address (case-insensitive).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say what would be deleted."
        )

    def handle(self, *args, email, dry_run, **options):
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"“{email}” is not an e-mail address.") from None
        messages = ContactMessage.objects.filter(sender_email__iexact=email)
        count = messages.count()
        # Other apps' personal data from the same address (e.g. event registrations).
        others = [erase(email, dry_run) for erase in hooks.get_hooks("erase_sender")]
        if dry_run:
            self.stdout.write(f"Would delete {count} message(s) from {email}.")
            for line in others:
                self.stdout.write(f"Would erase {line}.")
            return
        messages.delete()
        # Queued delivery attempts for these messages find nothing and end quietly.
        self.stdout.write(f"Deleted {count} message(s) from {email}.")
        for line in others:
            self.stdout.write(f"Erased {line}.")
