"""Example content for demos, screenshots and benchmarks: pages with every block, images,
documents, the public record, and (where those apps are installed) events and articles.

Everything is marked "[Przykład]" and made once: running it again adds only what is missing.
It refuses to run with DEBUG off unless given --force, so it never fills a live site by itself.
"""

import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pages.demo import (
    COLOURS,
    example_body,
    example_document,
    example_image,
    example_title,
)
from pages.models import AssociationSettings, ContentPage, MissionPage, SupportPage

# Other apps bring their own examples in a `demo` module: (option, app label, function).
APP_SEEDERS = [
    ("events", "events", "seed_events"),
    ("articles", "articles", "seed_articles"),
    ("messages", "contact", "seed_messages"),
]
EXAMPLE_RECORD = {
    "krs": "0000123456",
    "nip": "5261040828",
    "regon": "012100784",
    "bank_account": "PL61109010140000071219812874",
    "phone": "+48 85 000 00 00",
    "facebook_url": "https://www.facebook.com/przyklad",
    "instagram_url": "https://www.instagram.com/przyklad",
}


class Command(BaseCommand):
    help = "Adds clearly marked example content (idempotent). Refuses to run with DEBUG=0."

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=5, help="How many example pages.")
        for option, app_label, _function in APP_SEEDERS:
            parser.add_argument(
                f"--{option}",
                type=int,
                default=5,
                help=f"How many example {option} (needs the {app_label} app).",
            )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG=0 (never on a live site)."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like a live site. Example content is for demos and "
                "benchmarks; pass --force if you really mean it."
            )
        home = MissionPage.objects.first()
        if home is None:
            raise CommandError("No mission page yet: run `manage.py load_association_content`.")
        with transaction.atomic():
            self.seed_pages(home, options["pages"])
            self.seed_support_page(home)
            self.seed_public_record(home.get_site())
        for option, app_label, function in APP_SEEDERS:
            count = options[option]
            if count and apps.is_installed(app_label):
                seed = getattr(importlib.import_module(f"{app_label}.demo"), function)
                with transaction.atomic():
                    seed(count, self.stdout)

    def seed_pages(self, home, count):
        existing = {p.slug: p for p in ContentPage.objects.child_of(home)}
        document = example_document("Statut", "statut-przyklad.pdf")
        made = 0
        for number in range(1, count + 1):
            slug = f"przyklad-{number}"
            if slug in existing:
                continue
            image = example_image(f"Zdjęcie {number}", COLOURS[number % len(COLOURS)])
            page = ContentPage(
                title=example_title(f"Strona {number}"),
                slug=slug,
                introduction="Przykładowa strona z każdym rodzajem bloku treści.",
                show_in_menus=number <= 3,  # a menu of a realistic length
                body=example_body(image, document, link_page=home),
            )
            home.add_child(instance=page)
            page.save_revision().publish()
            made += 1
        self.stdout.write(f"Example pages: {made} added, {count - made} already there.")

    def seed_support_page(self, home):
        if SupportPage.objects.exists():
            return
        page = SupportPage(
            title="Wesprzyj nas",
            slug="wesprzyj-nas",
            introduction=f"<p>{example_title('Każda złotówka pomaga nam działać.')}</p>",
            show_in_menus=True,
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write("Support page added.")

    def seed_public_record(self, site):
        """Example numbers only where the editors left a field empty."""
        association = AssociationSettings.for_site(site)
        filled = [field for field in EXAMPLE_RECORD if not getattr(association, field)]
        for field in filled:
            setattr(association, field, EXAMPLE_RECORD[field])
        if association.statute_id is None:
            association.statute = example_document("Statut", "statut-przyklad.pdf")
            filled.append("statute")
        if association.logo_id is None:
            association.logo = example_image("Logo", "#073550", size=(512, 512))
            filled.append("logo")
        if filled:
            association.full_clean()
            association.save()
        self.stdout.write(f"Public record: example values in {', '.join(filled) or 'no fields'}.")
