"""Template side of pages/widgets.py: a widget's settings as data, for admin-widgets.js."""

from django import template

from pages.widgets import widget_settings

register = template.Library()


@register.simple_tag
def admin_widget_settings(starter, options, input_id=None):
    return widget_settings(starter, options, input_id)
