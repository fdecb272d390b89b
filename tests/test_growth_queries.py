"""As the association's content grows, no address asks the database more often.

The addresses are those `bench/growth.py` times (listings, feeds, calendars, the sitemap,
search, the menu, the board's message list and exports), measured here on a small site and
again after the demo content has grown, with the page cache off (right after a publish).
"""

from io import StringIO

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from articles.demo import seed_articles
from bench.growth import ADDRESSES, SMALL
from contact.demo import seed_messages
from events.demo import seed_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_site(association_content, settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    settings.PAGE_CACHE_SECONDS = 0
    settings.DEBUG = True  # the demo command's guard against live sites
    pages_only = ["--pages", "2", "--events", "0", "--articles", "0", "--messages", "0"]
    call_command("seed_demo_content", *pages_only, stdout=StringIO())
    seed_events(SMALL["events"])
    seed_articles(SMALL["articles"])
    seed_messages(SMALL["messages"])
    settings.DEBUG = False
    return association_content


def queries_per_address(visitor, board):
    counts = {}
    for name, address, who, _holds in ADDRESSES:
        client = board if who == "board" else visitor
        client.get(address)  # once-per-process lookups (site roots, content types)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
            if response.streaming:
                b"".join(response.streaming_content)
        counts[name] = (response.status_code, len(queries))
    return counts


def test_no_address_asks_the_database_more_often_as_content_grows(
    client, demo_site, django_user_model
):
    from django.test import Client

    board = Client()
    board.force_login(django_user_model.objects.create_superuser("skarbnik", "s@example.org"))
    small = queries_per_address(client, board)
    assert all(status == 200 for status, _count in small.values()), small

    seed_events(30)
    seed_articles(30)
    seed_messages(SMALL["messages"] + 150)
    big = queries_per_address(client, board)

    # Fewer is fine: search asks once for each page type among the results it shows.
    grown = {
        name: (small[name], answer)
        for name, answer in big.items()
        if answer[0] != 200 or answer[1] > small[name][1]
    }
    assert grown == {}
