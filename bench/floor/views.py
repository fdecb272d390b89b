"""One constant page: the mission page's HTML as the site sends it, gzip when asked."""

import re
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse

_PLAIN = Path(settings.FLOOR_PAGE).read_bytes() if settings.FLOOR_PAGE else b"floor"
_GZIP = Path(settings.FLOOR_PAGE + ".gz").read_bytes() if settings.FLOOR_PAGE else None
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def page(request):
    # The same bytes on the wire as the cached page (compressed once, like the site's
    # cache), so the comparison is about the work per request, not the size of the answer.
    if _GZIP is not None and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(_GZIP, content_type="text/html; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(_PLAIN, content_type="text/html; charset=utf-8")
    response["Vary"] = "Accept-Encoding"
    return response
