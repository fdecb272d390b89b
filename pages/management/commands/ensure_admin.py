"""Create the first administrator account if the site has none, and say where residents'
messages go.

Takes DJANGO_SUPERUSER_USERNAME / _EMAIL / _PASSWORD from the environment; without
a password it generates one and prints it once (change it in the admin afterwards). Without an
e-mail address the account gets <username>@localhost, so that on a fresh install the
administrator receives residents' messages (on the console with the default EMAIL_URL) until
the board's addresses are set.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Creates an administrator account unless one exists."

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator account exists; nothing to do.")
        else:
            self.create_administrator(User)
        self.say_where_messages_go()

    def create_administrator(self, User):
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL") or f"{username}@localhost"
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.SUCCESS(f"Administrator account created: {username}"))
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Its password (shown only this once): {password}\n"
                    "Log in at /admin/ and change it, or set a new one with "
                    f"`.venv/bin/python manage.py changepassword {username}`."
                )
            )

    def say_where_messages_go(self):
        # The contact app decides who gets the e-mails; asked here so that `make run` says it.
        from contact.mail import delivery_recipients

        recipients, fallback = delivery_recipients()
        if not fallback:
            return
        if recipients:
            self.stdout.write(
                self.style.WARNING(
                    "No board e-mail address is set: residents' messages go to the "
                    f"administrators ({', '.join(recipients)}) until one is added in "
                    "Settings → Association (Ustawienia → Stowarzyszenie)."
                )
            )
        else:
            self.stdout.write(
                self.style.ERROR(
                    "No board e-mail address and no administrator e-mail address: residents' "
                    "messages wait undelivered. Add one in Settings → Association "
                    "(Ustawienia → Stowarzyszenie)."
                )
            )
