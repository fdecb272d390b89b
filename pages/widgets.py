"""Wagtail's image and page choosers for the admin, started without inline script.

Wagtail writes ``<script>new ImageChooser("id", {…})</script>`` after each chooser field; the
site's Content-Security-Policy (no inline script, in the admin too) would stop it, and the
"Choose an image" button would do nothing. These widgets put the same settings in a JSON
``<script>`` (data, never executed) that static/js/admin-choosers.js hands to Wagtail's own
constructor, as the date pickers do (pages/templates/wagtailadmin/widgets/).
"""

import json

from django import forms
from django.templatetags.static import static
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe
from wagtail.admin.widgets import AdminPageChooser
from wagtail.images.widgets import AdminImageChooser


class ScriptFreeChooserMixin:
    def render(self, name, value, attrs=None, renderer=None):
        id_ = attrs["id"]
        value_data = self.get_value_data(value)
        options = self.get_js_init_options(id_, name, value_data)
        return format_html(
            '{}<script type="application/json" data-admin-chooser="{}" data-input-id="{}">'
            "{}</script>",
            self.render_html(name, value_data, attrs),
            self.js_constructor,
            id_,
            # Escaped like json_script: the settings cannot close the <script> element.
            mark_safe(json.dumps(options).translate(_json_script_escapes)),  # noqa: S308
        )

    @property
    def media(self):
        return super().media + forms.Media(js=[static("js/admin-choosers.js")])


class ImageChooser(ScriptFreeChooserMixin, AdminImageChooser):
    pass


class PageChooser(ScriptFreeChooserMixin, AdminPageChooser):
    pass
