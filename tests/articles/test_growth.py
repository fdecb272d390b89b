"""The listing and the feeds cost the same number of queries for 10 articles or 1,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.demo import article_index, seed_articles
from tests.articles.factories import make_pdf, publish_article

pytestmark = pytest.mark.django_db

SIZE = 1000
ADDRESSES = [
    "",
    "?page=2",
    "rodzaj/stanowisko/",
    "tag/debata/",
    "kanal/rss/",
    "kanal/atom/",
    "rodzaj/publikacja/kanal/atom/",
    "tag/debata/kanal/rss/",
]


def queries_per_address(client):
    counts = {}
    index_url = article_index().url
    for address in ADDRESSES:
        client.get(index_url + address)  # once-per-site lookups (site, restrictions) are cached
        with CaptureQueriesContext(connection) as queries:
            response = client.get(index_url + address)
        assert response.status_code == 200, address
        counts[address] = len(queries)
    return counts


@pytest.fixture
def uncached(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def quick_seeding(settings):
    """The search index is not what is measured here; filling it would only take time."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}
    }


def test_listing_and_feeds_cost_the_same_for_ten_and_a_thousand_articles(
    client, association_content, uncached, quick_seeding
):
    seed_articles(10)
    publish_article(title="Stanowisko z załącznikami", attachments=[make_pdf(), make_pdf()])
    few = queries_per_address(client)

    seed_articles(SIZE)
    many = queries_per_address(client)
    assert many == few
    assert max(few.values()) <= 12, few
