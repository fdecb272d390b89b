"""Create the first administrator account if the site has none.

Takes DJANGO_SUPERUSER_USERNAME / _EMAIL / _PASSWORD from the environment; without
a password it generates one and prints it once (change it in the admin afterwards).
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
            return
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
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
