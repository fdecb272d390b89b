"""Wagtail's admin widgets, started without inline script.

Wagtail writes ``<script>new ImageChooser("id", {…})</script>`` after every chooser field
(image, document, page, snippet, task), and ``<script>new InlinePanel({…})</script>`` after
every inline panel. The site's Content-Security-Policy (no inline script, in the admin too)
stops them, and the "Choose an image" or "Add date" buttons do nothing. Here the same
settings go into a JSON ``<script>`` (data, never executed) that static/js/admin-widgets.js,
loaded on every admin page (pages/wagtail_hooks.py), hands to Wagtail's own constructor.

The choosers are changed at their common root, BaseChooser, rather than field by field: the
same widget also serves Wagtail's own forms (copy and move a page, redirects, sites,
workflows), and a field added later is covered without anyone remembering it.
"""

import json

from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe
from wagtail.admin.widgets import BaseChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser

# Wagtail's own render, kept for a chooser that starts in a way this module does not know.
wagtail_chooser_render = BaseChooser.render


def widget_settings(starter, options, input_id=None):
    """The JSON data block that static/js/admin-widgets.js turns into `starter(…)`."""
    return format_html(
        '<script type="application/json" data-admin-widget="{}"{}>{}</script>',
        starter,
        format_html(' data-input-id="{}"', input_id) if input_id else "",
        # Escaped like json_script: the settings cannot close the <script> element.
        mark_safe(json.dumps(options).translate(_json_script_escapes)),  # noqa: S308
    )


def chooser_starter(widget, id_, name, value_data):
    """What Wagtail's render_js_init would call: (function or constructor, its settings)."""
    render_js_init = type(widget).render_js_init
    if render_js_init is BaseChooser.render_js_init:
        return widget.js_constructor, widget.get_js_init_options(id_, name, value_data)
    if render_js_init is AdminTaskChooser.render_js_init:
        return "createTaskChooser", {}
    return None


def render_chooser(self, name, value, attrs=None, renderer=None):
    """BaseChooser.render, with the starting call as data instead of inline code."""
    id_ = (attrs or {}).get("id")
    value_data = self.get_value_data(value) if id_ else None
    starter = chooser_starter(self, id_, name, value_data) if id_ else None
    if starter is None:
        # Wagtail's inline script, which the policy refuses: the admin's browser test
        # (tests/browser/test_admin_script_policy.py) then names the widget to teach here.
        return wagtail_chooser_render(self, name, value, attrs, renderer)
    function, options = starter
    return format_html(
        "{}{}", self.render_html(name, value_data, attrs), widget_settings(function, options, id_)
    )


def start_choosers_without_inline_script():
    BaseChooser.render = render_chooser
