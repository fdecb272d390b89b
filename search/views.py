"""The site's search: every published page, whatever its type, found in Polish with or
without Polish letters and in other forms of the word (search.text)."""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from search.text import MAX_QUERY_LENGTH, search_query

RESULTS_PER_PAGE = 10


def find_pages(request, query):
    """Published, public pages of this site that match, best first, each as its own type
    (one query per page type, not one per result)."""
    pages = Page.objects.live().public().specific()
    site = getattr(request, "_wagtail_site", None)
    if site is None:
        from wagtail.models import Site

        site = Site.find_for_request(request)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages.search(query)


def results_page(request, results):
    number = request.GET.get("page", "1")
    try:
        return Paginator(results, RESULTS_PER_PAGE).page(number)
    except (PageNotAnInteger, EmptyPage):
        raise Http404(_("There is no such page of results.")) from None


@require_GET
def search(request):
    text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    query = search_query(text)
    results = None
    if query is not None:
        results = results_page(request, find_pages(request, query))
    response = TemplateResponse(
        request,
        "search/search_results.html",
        {
            "search_text": text,
            "results": results,
            "pagination_extra": urlencode({"q": text}) + "&",
        },
    )
    # What someone searched for is theirs: no shared cache keeps it, nor does the page cache.
    patch_cache_control(response, private=True, no_store=True)
    return response
