"""The admin as the association's editors see it: only what they need, and what is missing."""

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Site

from pages.models import AssociationSettings

# Developers' tools; superusers still see them.
DEVELOPER_MENU_ITEMS = {"reports", "help"}
DEVELOPER_SETTINGS_ITEMS = {"workflows", "workflow-tasks", "collections", "redirects", "sites"}


@hooks.register("insert_global_admin_js")
def start_widgets_without_inline_script():
    # Every admin page: widgets also arrive in forms added later and in modals (pages/widgets.py).
    return format_html('<script src="{}"></script>', static("js/admin-widgets.js"))


@hooks.register("construct_main_menu")
def hide_developer_menu_items(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name not in DEVELOPER_MENU_ITEMS]


@hooks.register("construct_settings_menu")
def hide_developer_settings(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name not in DEVELOPER_SETTINGS_ITEMS]


class PublicRecordPanel(Component):
    """On the dashboard while KRS, NIP, the account or another public record field is empty."""

    name = "public_record"
    order = 50

    def __init__(self, fields, site):
        self.fields = fields
        self.site = site

    def render_html(self, parent_context=None):
        url = reverse("wagtailsettings:edit", args=["pages", "associationsettings", self.site.pk])
        return render_to_string(
            "wagtailadmin/public_record_panel.html",
            {"fields": self.fields, "settings_url": url},
        )


@hooks.register("construct_homepage_panels")
def remind_of_the_empty_public_record(request, panels):
    if not request.user.has_perm("pages.change_associationsettings"):
        return  # only those who can fill them in are reminded
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    fields = AssociationSettings.for_site(site).empty_public_record_fields
    if fields:
        panels.append(PublicRecordPanel([str(f) for f in fields], site))
