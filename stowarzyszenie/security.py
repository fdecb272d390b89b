"""The Content-Security-Policy, with the Wagtail admin's few extra needs kept to /admin/;
and the refusal of request bodies in a character set the site does not read."""

import codecs

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.http import HttpResponseBadRequest
from django.template import loader

# stowarzyszenie/urls.py mounts the Wagtail admin here.
ADMIN_PREFIX = "/admin/"

# What the Wagtail admin needs beyond the public pages' policy (checked in a browser:
# style="" attributes set by its widgets, blob:/data: image previews while uploading,
# and the live preview panel, which frames our own pages).
ADMIN_POLICY_ADDITIONS = {
    "style-src": [UNSAFE_INLINE],
    "img-src": ["blob:"],
}
ADMIN_POLICY_REPLACEMENTS = {
    "frame-ancestors": [SELF],
}


class SitePolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, loosened for the admin only (never for scripts)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if getattr(request, "is_dummy", False):
            # Wagtail renders a page preview through a stand-in request for the page's own
            # URL; it keeps the public policy but may be shown in the admin's preview frame.
            parts.replace = {**ADMIN_POLICY_REPLACEMENTS, **(parts.replace or {})}
            return parts
        if not request.path_info.startswith(ADMIN_PREFIX):
            return parts
        parts.update = {**ADMIN_POLICY_ADDITIONS, **(parts.update or {})}
        parts.replace = {**ADMIN_POLICY_REPLACEMENTS, **(parts.replace or {})}
        return parts


# Every form on the site is UTF-8; plain ASCII is a subset of it.
READABLE_CHARSETS = {"utf-8", "ascii"}


class RequestCharsetMiddleware:
    """A body declared in another character set gets the site's 400 page at once.

    Django refuses a urlencoded form in another known charset too (BadRequest, then the same
    400.html), but only when CSRF or a view first reads it, logging a traceback each time; it
    reads a charset it does not know as UTF-8, and a multipart form in any charset it knows.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset") if request.content_type else None
        if charset and not self.readable(charset):
            return HttpResponseBadRequest(loader.get_template("400.html").render())
        return self.get_response(request)

    @staticmethod
    def readable(charset):
        try:
            return codecs.lookup(charset).name in READABLE_CHARSETS
        except LookupError:
            return False
