from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from contact.views import question_picture
from pages import views as pages_views
from pages.cache import cacheable_view

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The same for every crawler, and changed only by a publish: kept by the page cache, so a
    # site of thousands of pages renders it once per publish, not once per crawler's visit.
    path("sitemap.xml", cacheable_view(sitemap), name="sitemap"),
    # Contact form: before Wagtail's catch-all.
    path("kontakt/", include("contact.urls")),
    # Only the picture, drawn by the contact app (any machine, no libraqm): the library's refresh
    # and audio views would make challenges (and audio) without the per-client limit the
    # contact form's own views apply.
    re_path(r"^captcha/image/(?P<key>\w+)/$", question_picture, name="captcha-image"),
    path("szukaj/", include("search.urls")),
    # Event registration, calendars and feeds.
    path("", include("events.urls")),
    # Findability: crawlers' and browsers' site-wide files.
    path("robots.txt", pages_views.robots_txt, name="robots_txt"),
    path("site.webmanifest", pages_views.web_app_manifest, name="web_app_manifest"),
]

if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    # Uploads kept on this server's disk (no S3 bucket): served here, with DEBUG off too, so
    # editors' images show under `make run` and behind a proxy that passes /media/ on.
    from django.views.static import serve

    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

if settings.BENCH_FLOOR:
    # The benchmark's yardstick (bench/run.py): the cheapest response Django can give through
    # the same server, settings and middleware. Never enabled in production.
    from django.http import HttpResponse

    def framework_floor(request):
        return HttpResponse(b"floor", content_type="text/plain")

    urlpatterns += [path("__bench__/floor", framework_floor)]

# Wagtail's page serving catches everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
