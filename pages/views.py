"""Small site-wide files for machines: robots.txt and the web app manifest."""

from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from pages.models import AssociationSettings

# Both change only when the settings do; a day keeps crawlers and browsers from asking often.
ONE_DAY = 24 * 60 * 60


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def robots_txt(request):
    """Let crawlers in, keep them out of the admin, and tell them where the sitemap is."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def web_app_manifest(request):
    """Name, colours and icons for "Add to home screen"."""
    association = AssociationSettings.for_request(request)
    name = association.name or "Stowarzyszenie"
    manifest = {
        "name": name,
        "short_name": association.short_name or name,
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "browser",
        "background_color": "#fbfaf7",
        "theme_color": "#073550",
        "icons": [
            {"src": static("images/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("images/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("images/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
