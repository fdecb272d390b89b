"""A small page cache, so the mission page stays up when a post about it spreads.

Why not a library: wagtail-cache (CodeRed), the usual choice, pins ``wagtail<8.0``.
This does the same job in a few lines with Django's own cache framework:

* ``PageCacheMiddleware``, the first middleware, serves an anonymous GET of a cacheable page
  straight from the configured cache (``CACHE_URL``): no other middleware, no session, no CSRF,
  no database. On a miss it stores the page as the whole stack answered it — security headers
  included, compressed with gzip too, its headers put together once — and gives it a
  ``Cache-Control`` that lets a shared cache (CDN, Varnish, nginx) keep it as well.
* A page opts in with ``CacheablePageMixin``, a view outside the page tree (a feed, a
  calendar) with ``cacheable_view``. A response that sets a cookie or varies by
  cookie (a CSRF token, a session) is never stored and is marked private instead: the
  per-visitor parts of the contact form come separately from ``/kontakt/formularz.json``.
* Publishing, unpublishing, moving or deleting a page, saving any Wagtail setting, a site or a
  view restriction starts a new cache *generation*: every stored page is then stale at once.
"""

import functools
import gzip
import hashlib
import logging
import re
import time
from pathlib import Path
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import SimpleLazyObject

logger = logging.getLogger(__name__)

CACHE_ALIAS = "default"
GENERATION_KEY = "page-cache:generation"
# Whether the site has any view restriction at all; most association sites have none.
RESTRICTIONS_KEY = "page-cache:view-restrictions-exist"
HEADER = "X-Page-Cache"
# Links shared on social media get these appended; they do not change the page.
TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|gclsrc|dclid|msclkid|mc_.*|mtm_.*|_ga|_gl)$")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Headers the cache sets itself on every response it serves.
NOT_STORED = {
    "content-length",
    "content-encoding",
    "vary",
    "cache-control",
    "etag",
    "date",
    HEADER.lower(),
}


def page_cache():
    return caches[CACHE_ALIAS]


def _release_stamp():
    """Changes whenever a deploy changes templates, code or static files.

    The configured cache may outlive the server (a file cache, Redis), so a new release must
    not serve pages rendered by the old one.
    """
    base = Path(settings.BASE_DIR)
    newest, count = 0.0, 0
    apps = ("templates", "stowarzyszenie", "pages", "contact", "events", "articles", "search")
    # locale: a deploy that only corrects a translation changes the pages too.
    folders = [base / name for name in (*apps, "locale")]
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix in {".html", ".py", ".txt", ".mo"}:
                newest, count = max(newest, path.stat().st_mtime), count + 1
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        newest = max(newest, manifest.stat().st_mtime)
    return hashlib.sha256(f"{newest}:{count}".encode()).hexdigest()[:10]


RELEASE = SimpleLazyObject(_release_stamp)


def _new_generation():
    page_cache().set(GENERATION_KEY, time.time_ns(), timeout=None)


def invalidate(**kwargs):
    """Make every stored page stale (signal receiver; also callable directly).

    At once, and again after the transaction commits: a visitor's request rendered between
    the two could otherwise store the old content under the new generation.
    """
    _new_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_new_generation)


def _current_generation(cache):
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def cache_key(request):
    """The key for an anonymous GET/HEAD of a page, or None if it must not come from the cache."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if getattr(request, "is_dummy", False):
        return None  # Wagtail's preview of a draft
    if request.path_info.startswith(settings.STATIC_URL):
        return None  # WhiteNoise's, further down
    if request.META.get("CONTENT_TYPE"):
        return None  # a body: RequestCharsetMiddleware (further down) judges it
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None  # SecurityMiddleware sends it to https://, whatever a cache holds
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None  # maybe an editor: they always get a fresh, private page
    if request.META.get("QUERY_STRING"):
        params = parse_qsl(request.META["QUERY_STRING"], keep_blank_values=True)
        if not all(TRACKING_PARAMS.match(name) for name, _value in params):
            return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # Django answers 400 further down
    return f"page-cache:{RELEASE}:{request.scheme}://{host}{request.path}"


def _shareable(response):
    """Whether a response is the same for every visitor and may be kept by any cache."""
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    cache_control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and vary <= {"accept-encoding"}
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


# A shared cache may answer with a page this much older than s-maxage while it asks the app
# for a new one, and for this long while the app is down (docker/nginx/plac-nzs.conf).
STALE_WHILE_REVALIDATE_SECONDS = 60
STALE_IF_ERROR_SECONDS = 86_400


def cache_control_header():
    """Browsers keep a page briefly; shared caches for a few seconds, since a publish cannot
    reach them, and longer only while they refresh it or the app is down."""
    seconds = settings.PAGE_CACHE_SECONDS
    return (
        f"public, max-age={min(settings.PAGE_CACHE_BROWSER_SECONDS, seconds)}"
        f", s-maxage={min(settings.PAGE_CACHE_SHARED_SECONDS, seconds)}"
        f", stale-while-revalidate={STALE_WHILE_REVALIDATE_SECONDS}"
        f", stale-if-error={STALE_IF_ERROR_SECONDS}"
    )


def _entry_for(response, generation):
    """What the cache keeps: the body, plain and gzipped, each with its complete header list,
    so that a hit only copies them into a response."""
    body = response.content
    compressible = response.get("Content-Type", "").startswith("text/") and len(body) > 200
    etag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
    common = [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED]
    common += [
        ("Vary", "Accept-Encoding"),
        ("Cache-Control", cache_control_header()),
        ("ETag", etag),
    ]
    zipped = gzip.compress(body, compresslevel=9, mtime=0) if compressible else None
    return {
        "generation": generation,
        "until": time.time() + settings.PAGE_CACHE_SECONDS,
        "body": body,
        "headers": _header_store([*common, ("Content-Length", str(len(body)))]),
        "gzip": zipped,
        "gzip_headers": zipped
        and _header_store(
            [*common, ("Content-Encoding", "gzip"), ("Content-Length", str(len(zipped)))]
        ),
        "etag": etag,
    }


def _header_store(headers):
    """Headers in the shape of Django's own store (lower-case name -> (name, value)).

    They were checked when the response was made, and a hit only copies them in: checking
    them again for every hit cost a fifth of it.
    """
    return {name.lower(): (name, value) for name, value in headers}


def _response_from(entry, request, state):
    use_gzip = entry["gzip"] is not None and ACCEPTS_GZIP.search(
        request.META.get("HTTP_ACCEPT_ENCODING", "")
    )
    body, headers = (
        (entry["gzip"], entry["gzip_headers"]) if use_gzip else (entry["body"], entry["headers"])
    )
    response = HttpResponse(body if request.method != "HEAD" else b"")
    response.headers._store.update(headers)
    response[HEADER] = state
    if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        return get_conditional_response(request, etag=entry["etag"], response=response)
    return response


class PageCacheMiddleware:
    """Serves cacheable pages from the configured cache; the first middleware, so a hit runs
    nothing else (the stored headers are those the rest of the stack gave the page)."""

    LOCAL_ENTRIES = 100

    def __init__(self, get_response):
        self.get_response = get_response
        self.local = {}
        # Computed here, in gunicorn's master when the app is preloaded, not in every worker.
        str(RELEASE)

    def remember(self, key, entry):
        if len(self.local) >= self.LOCAL_ENTRIES:
            self.local.clear()
        self.local[key] = entry

    def lookup(self, key, cache):
        """The current generation and the entry stored under key (or None).

        This process keeps its own copy of each entry, so a hit reads only the small
        generation; otherwise the generation and the entry come in one round trip.
        """
        entry = self.local.get(key)
        if entry is not None and entry["until"] >= time.time():
            generation = cache.get(GENERATION_KEY)
            if generation is not None and entry["generation"] == generation:
                return generation, entry
        found = cache.get_many([GENERATION_KEY, key])
        generation, entry = found.get(GENERATION_KEY), found.get(key)
        if entry is not None and generation is not None and entry["generation"] == generation:
            self.remember(key, entry)
        return generation, entry

    def __call__(self, request):
        key = cache_key(request)
        cache = page_cache()
        generation = None
        if key is not None:
            generation, entry = self.lookup(key, cache)
            if entry is not None and entry["generation"] == generation:
                return _response_from(entry, request, "hit")

        response = self.get_response(request)

        if not getattr(response, "cacheable_page", False):
            return response
        if key is not None and _shareable(response):
            # The generation read before rendering: a page rendered while an editor's change
            # committed is stored under the old generation, so it is never served as current.
            entry = _entry_for(response, generation or _current_generation(cache))
            # No generation: a cache that keeps nothing (dummycache://); serve, do not keep.
            if request.method == "GET" and entry["generation"] is not None:
                cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
                self.remember(key, entry)
            return _response_from(entry, request, "miss")
        if key is not None and response.cookies:
            # A cacheable page must not carry per-visitor parts (tests/test_page_cache.py).
            logger.warning("Cacheable page %s set a cookie; not cached.", request.path)
        patch_cache_control(response, private=True, no_cache=True)
        response[HEADER] = "bypass"
        return response


def cacheable_view(view):
    """For views whose answer is the same for every visitor and changes only when an editor
    publishes (feeds, calendars built from published pages)."""

    @functools.wraps(view)
    def serve(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.cacheable_page = True
        return response

    return serve


class CacheablePageMixin:
    """For page types whose published view is the same for every visitor."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not getattr(request, "is_preview", False):
            response.cacheable_page = True
        return response

    def get_view_restrictions(self):
        """Wagtail's check in one query instead of two (ancestors, then restrictions).

        The ancestors' paths follow from the page's own tree path; restrictions of the pages
        an ancestor is an alias of apply too, as in Wagtail's own version.
        """
        from wagtail.models import PageViewRestriction

        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths) | Q(page__aliases__path__in=paths)
        ).distinct()


def any_view_restrictions():
    """Remembered until a restriction is saved or deleted, so a page rendered right after a
    publish does not ask the database again on a site without restrictions."""
    from wagtail.models import PageViewRestriction

    cache = page_cache()
    exist = cache.get(RESTRICTIONS_KEY)
    if exist is None:
        exist = PageViewRestriction.objects.exists()
        # Bounded, like the pages themselves: a read racing a new restriction cannot stick.
        cache.set(RESTRICTIONS_KEY, exist, timeout=settings.PAGE_CACHE_SECONDS or None)
    return exist


def view_restrictions_changed(**kwargs):
    page_cache().delete(RESTRICTIONS_KEY)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: page_cache().delete(RESTRICTIONS_KEY))
    invalidate()


class CachedSiteSettingMixin:
    """Site settings read by the public templates come from the configured cache.

    Only ``for_request`` (what templates use) is cached; the admin's ``for_site`` always reads
    the database, so an editor never edits stale values. Saving replaces the cached copy. A
    setting cached with related objects (``select_related``, e.g. the privacy notice page)
    belongs to a cache generation too: that page may have been unpublished since.
    """

    @classmethod
    def settings_cache_key(cls, site_id):
        return f"site-setting:{cls._meta.label_lower}:{site_id}"

    @classmethod
    def for_request(cls, request):
        from wagtail.models import Site

        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        key = cls.settings_cache_key(site.pk)
        cache = page_cache()
        generation = _current_generation(cache) if cls.select_related else None
        entry = cache.get(key)
        if entry is not None and entry.get("generation") == generation:
            instance = entry["instance"]
        else:
            instance = cls.for_site(site)
            # Bounded too: a read racing an editor's save cannot keep old values for long.
            cache.set(
                key,
                {"generation": generation, "instance": instance},
                timeout=settings.PAGE_CACHE_SECONDS or None,
            )
        instance._request = request
        setattr(request, attr_name, instance)
        return instance


def setting_changed(sender, instance, **kwargs):
    """A site setting was saved or deleted: its cached copy and every cached page are stale."""
    if kwargs.get("created"):
        return  # made with its defaults on first read (for_site): nothing shown has changed
    if issubclass(sender, CachedSiteSettingMixin):
        key = sender.settings_cache_key(instance.site_id)
        page_cache().delete(key)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: page_cache().delete(key))
    invalidate()


class ShownOnCachedPages:
    """For a model that pages show but that is not a page or a setting (e.g. a snippet such as
    an event category): saving or deleting one makes every cached page stale."""


def connect_signals():
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.contrib.settings.models import AbstractSetting
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(invalidate, dispatch_uid="page-cache-published")
    page_unpublished.connect(invalidate, dispatch_uid="page-cache-unpublished")
    post_page_move.connect(invalidate, dispatch_uid="page-cache-moved")
    # The preview image is cached with the settings and named in every page.
    image_model = get_image_model()
    post_save.connect(invalidate, sender=image_model, dispatch_uid="page-cache-image")
    post_delete.connect(invalidate, sender=image_model, dispatch_uid="page-cache-del-image")
    post_save.connect(invalidate, sender=Site, dispatch_uid="page-cache-Site")
    post_delete.connect(invalidate, sender=Site, dispatch_uid="page-cache-del-Site")
    post_save.connect(
        view_restrictions_changed, sender=PageViewRestriction, dispatch_uid="page-cache-pvr"
    )
    post_delete.connect(
        view_restrictions_changed, sender=PageViewRestriction, dispatch_uid="page-cache-del-pvr"
    )

    # Settings and page models are many (and some come from other apps): connect each one.
    # Not one receiver for every model: a post_delete receiver without a sender would turn
    # every delete in the project (captcha challenges, old messages) into select + delete.
    for model in apps.get_models():
        if issubclass(model, AbstractSetting):
            post_save.connect(setting_changed, sender=model, dispatch_uid=f"page-cache-s-{model}")
            post_delete.connect(setting_changed, sender=model, dispatch_uid=f"page-cache-d-{model}")
        elif issubclass(model, Page):
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-d-{model}")
        elif issubclass(model, ShownOnCachedPages):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-shown-{model}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-dshown-{model}")
