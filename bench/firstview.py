"""What a browser fetches on a first view of a page: shared by bench/run.py and the tests."""

import gzip
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# The home page with its header logo, cards and form, without images editors add.
BUDGET_BYTES = 35 * 1024
BUDGET_REQUESTS = 7
# The contact form's script asks for the per-visitor parts when the form comes into view
# (README, "Contact form"); a first view counts them with the page.
FORM_SCRIPT = "js/site"
FORM_PARTS_URL = "/kontakt/formularz.json"


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []
        # A browser with scripting on (the first view measured) never loads what <noscript> holds.
        self.in_noscript = 0

    def handle_endtag(self, tag):
        if tag == "noscript":
            self.in_noscript = max(0, self.in_noscript - 1)

    def handle_starttag(self, tag, attrs):
        if tag == "noscript":
            self.in_noscript += 1
        if self.in_noscript:
            return
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and ({"stylesheet", "icon", "preload", "manifest"} & set(rel)):
            self.urls.append(attrs.get("href"))
        elif tag in ("script", "img", "source", "use") and (attrs.get("src") or attrs.get("href")):
            self.urls.append(attrs.get("src") or attrs.get("href"))
        elif tag == "input" and attrs.get("type") == "image":
            self.urls.append(attrs.get("src"))


def same_origin_assets(html, page_url="/"):
    """The same-origin URLs (paths) the page makes a browser load, in order, once each."""
    parser = _Assets()
    parser.feed(html)
    seen = []
    for url in parser.urls:
        if not url or url.startswith(("data:", "#")):
            continue
        parts = urlsplit(urljoin(page_url, url))
        if parts.netloc and parts.netloc != urlsplit(page_url).netloc:
            raise ValueError(f"the page loads something from another host: {url}")
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in seen:
            seen.append(path)
    return seen


def uses_form_script(assets):
    return any(FORM_SCRIPT in url for url in assets)


def gzipped_size(body, content_encoding=""):
    """Bytes on the wire with gzip: as served if already encoded, else as whitenoise
    pre-compresses static files (gzip level 9)."""
    if content_encoding:
        return len(body)
    return min(len(body), len(gzip.compress(body, compresslevel=9, mtime=0)))
