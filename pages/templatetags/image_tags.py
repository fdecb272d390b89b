"""Responsive images: ``{% responsive_image image "width-{480,960}" sizes="…" class="…" %}``."""

from django import template
from wagtail.images.models import Filter, ResponsiveImage
from wagtail.images.shortcuts import get_renditions_or_not_found

register = template.Library()


@register.simple_tag
def responsive_image(image, spec, **attrs):
    """Wagtail's ``srcset_image``, naming each width once.

    Wagtail never enlarges an image, so an upload narrower than the largest size gives several
    renditions of its own width, and a srcset naming one width twice is invalid HTML.
    """
    if not image:
        return ""
    renditions = get_renditions_or_not_found(image, Filter.expand_spec(spec))
    by_width = {}
    for key, rendition in renditions.items():
        by_width.setdefault(rendition.width, (key, rendition))
    return str(ResponsiveImage(dict(by_width.values()), attrs))
