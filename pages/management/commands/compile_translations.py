"""Compile the project's translations (locale/*/LC_MESSAGES/*.po) without GNU gettext.

Django's ``compilemessages`` needs ``msgfmt``, which a fresh Debian server does not
have; polib writes the same .mo files in pure Python (translated entries only,
fuzzy ones left out, as msgfmt does).
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (pure Python, no gettext needed)."

    def handle(self, *args, **options):
        for folder in settings.LOCALE_PATHS:
            for po_path in sorted(Path(folder).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                if options["verbosity"] >= 1:
                    self.stdout.write(f"Compiled {mo_path.relative_to(settings.BASE_DIR)}")
