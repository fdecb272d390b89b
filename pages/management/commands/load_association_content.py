"""Load the association's own text into the page tree and the site settings.

Safe to run on every start: it creates the mission page and the other pages (e.g. the
privacy notice) only when they do not exist and fills only empty settings fields (and the
home page's second button, until it has had one), so nothing an editor changed is overwritten.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings as django_settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.html import escape
from wagtail.models import Page, Site

from pages.models import AssociationDataPage, AssociationSettings, ContentPage, MissionPage

CONTENT_FILE = Path(__file__).resolve().parents[2] / "content" / "plac_nzs.json"


class Command(BaseCommand):
    help = (
        "Loads the association's initial content (idempotent; never overwrites editors' changes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(CONTENT_FILE), help="JSON file with the content.")

    @transaction.atomic
    def handle(self, *args, **options):
        content = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        site, mission_page = self.ensure_mission_page(content["mission_page"])
        pages = {
            data["slug"]: self.ensure_content_page(mission_page, data)
            for data in content.get("content_pages", [])
        }
        self.fill_settings(site, content["settings"])
        self.link_privacy_page(site, pages.get("polityka-prywatnosci"))
        self.ensure_data_section(mission_page, content.get("data_section"))
        self.ensure_second_action(mission_page, content["mission_page"].get("second_actions", []))
        self.stdout.write(f"Mission page: {mission_page.url_path} (id {mission_page.pk})")

    def ensure_mission_page(self, data):
        existing = MissionPage.objects.first()
        if existing:
            self.stdout.write("Mission page exists; its content is left as the editors made it.")
            return self.ensure_site(existing), existing

        root = Page.get_first_root_node()
        # Wagtail's migrations create a "Welcome" placeholder at the slug we want;
        # deleting it also deletes the default Site pointing at it (recreated below).
        for placeholder in root.get_children().filter(slug=data["slug"]).exact_type(Page):
            placeholder.delete()

        page = MissionPage(
            title=data["title"],
            slug=data["slug"],
            lead=data.get("lead", ""),
            contact_action_label=data.get("contact_action_label", "Napisz do nas"),
            manifesto="".join(f"<p>{escape(p)}</p>" for p in data["manifesto_paragraphs"]),
            goals_heading=data["goals_heading"],
            goals=[("item", text) for text in data["goals"]],
            activities_heading=data["activities_heading"],
            activities=[("item", text) for text in data["activities"]],
            contact_heading=data["contact_heading"],
            contact_subheading=data["contact_subheading"],
            contact_intro=data["contact_intro"],
            search_description=data.get("search_description", ""),
        )
        root.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(self.style.SUCCESS("Mission page created from the association's text."))
        return self.ensure_site(page), page

    def ensure_content_page(self, parent, data):
        """A plain page under the mission page, created once; later runs leave it to editors."""
        existing = parent.get_children().filter(slug=data["slug"]).first()
        if existing:
            return existing.specific
        page = ContentPage(
            title=data["title"],
            slug=data["slug"],
            search_description=data.get("search_description", ""),
            introduction=data.get("introduction", ""),
            body=[(block_type, value) for block_type, value in data["body"]],
        )
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(self.style.SUCCESS(f"Page created: {page.url_path}"))
        return page

    def ensure_data_section(self, mission_page, data):
        """ "O stowarzyszeniu" in the menu, with the public record page ("Dane") under it.

        Created once, like the other pages; its numbers come from the settings, which start
        empty (the admin's dashboard lists what is still missing).
        """
        if data is None or AssociationDataPage.objects.exists():
            return
        section = mission_page.get_children().filter(slug=data["slug"]).first()
        if section is None:
            section = ContentPage(
                title=data["title"],
                slug=data["slug"],
                introduction=data["introduction"],
                show_in_menus=True,
            )
            mission_page.add_child(instance=section)
            section.save_revision().publish()
        record = AssociationDataPage(
            title=data["record_title"],
            slug=data["record_slug"],
            introduction=data["record_introduction"],
            show_in_menus=True,
        )
        section.add_child(instance=record)
        record.save_revision().publish()
        section = section.specific
        section.body = [
            ("call_to_action", {"text": data["record_title"], "page": record, "url": ""}),
        ]
        section.save_revision().publish()
        self.stdout.write(self.style.SUCCESS(f"Page created: {record.url_path}"))

    def ensure_second_action(self, mission_page, choices):
        """The hero's second button: the first of `choices` (the events page, then "Wesprzyj
        nas") that the site has, until the page has ever had one: editors may remove it.

        Skipped while the page has an unpublished draft, which a new revision would hide.
        """
        if mission_page.second_action_page_id or mission_page.has_unpublished_changes:
            return
        revisions = mission_page.revisions.only("content")
        if any(revision.content.get("second_action_page") for revision in revisions):
            return
        for choice in choices:
            try:
                model = apps.get_model(choice["page_type"])
            except LookupError:
                continue  # that app is not installed on this site
            target = model.objects.live().descendant_of(mission_page).first()
            if target is not None:
                mission_page.second_action_page = target
                mission_page.second_action_label = (
                    mission_page.second_action_label or choice["label"]
                )
                mission_page.save_revision().publish()
                self.stdout.write(self.style.SUCCESS(f"Second button: {target.url_path}"))
                return

    def link_privacy_page(self, site, page):
        settings = AssociationSettings.for_site(site)
        if page is not None and settings.privacy_page_id is None:
            settings.privacy_page = page
            settings.save(update_fields=["privacy_page"])
            self.stdout.write(self.style.SUCCESS("Privacy notice linked in the settings."))

    def ensure_site(self, page):
        # The public address the deployer configured (SITE_URL): canonical links, share links
        # and the sitemap are built from the Site's host and port, so they follow it on every run.
        public = urlsplit(django_settings.SITE_URL)
        address = {
            "hostname": public.hostname,
            "port": public.port or (443 if public.scheme == "https" else 80),
        }
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(root_page=page, is_default_site=True, **address)
        changed = {
            field: value for field, value in address.items() if getattr(site, field) != value
        }
        if changed or site.root_page_id != page.pk:
            for field, value in changed.items():
                setattr(site, field, value)
            site.root_page = page
            site.save()
            self.stdout.write(f"Site address: {site.root_url}")
        return site

    def fill_settings(self, site, data):
        settings = AssociationSettings.for_site(site)
        filled = [field for field, value in data.items() if not getattr(settings, field)]
        for field in filled:
            setattr(settings, field, data[field])
        if filled:
            settings.save()
            self.stdout.write(self.style.SUCCESS(f"Settings filled: {', '.join(filled)}."))
        else:
            self.stdout.write("Settings already set; left unchanged.")
