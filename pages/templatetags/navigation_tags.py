"""The ways around the site: the header menu, the footer links and the breadcrumbs.

The menu is the home page's live children that editors marked "Show in menus", in the order
of the page tree. It costs one query per request however many pages there are (the header and
the footer share it), and publishing, moving or unpublishing a page empties the page cache, so
a changed title, slug or menu flag shows at once.
"""

from django import template
from django.utils.translation import gettext
from wagtail.models import Page, Site

register = template.Library()


def menu_pages(request):
    """The first-level pages shown in the menu, read once per request."""
    if request is None:
        return []
    if not hasattr(request, "_menu_pages"):
        site = Site.find_for_request(request)
        if site is None:
            request._menu_pages = []
        else:
            root = site.root_page
            request._menu_pages = list(
                Page.objects.filter(
                    path__startswith=root.path, depth=root.depth + 1, live=True, show_in_menus=True
                )
                .only("id", "path", "depth", "url_path", "title", "slug", "locale_id")
                .order_by("path")
            )
    return request._menu_pages


def menu_items(context):
    request = context.get("request")
    current = context.get("page")
    current_path = getattr(current, "path", None) if isinstance(current, Page) else None
    items = []
    for page in menu_pages(request):
        if current_path == page.path:
            state = "page"
        elif current_path and current_path.startswith(page.path):
            state = "true"  # a page inside this section
        else:
            state = ""
        items.append({"title": page.title, "url": page.get_url(request), "current": state})
    return items


@register.inclusion_tag("components/site_menu.html", takes_context=True)
def site_menu(context):
    return {"items": menu_items(context)}


@register.inclusion_tag("components/footer_menu.html", takes_context=True)
def footer_menu(context):
    return {"items": menu_items(context)}


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Home › section › … › this page, on pages below the first level."""
    page = context.get("page")
    request = context.get("request")
    if not isinstance(page, Page) or page.depth <= 3:
        return {"trail": []}
    ancestors = Page.objects.filter(
        path__in=[page.path[:end] for end in range(page.steplen * 2, len(page.path), page.steplen)]
    ).order_by("path")
    trail = [
        {"title": gettext("Home page") if p.depth == 2 else p.title, "url": p.get_url(request)}
        for p in ancestors
    ]
    return {"trail": trail, "page": page}
