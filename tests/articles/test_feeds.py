"""Residents follow the association in their feed readers: RSS 2.0 and Atom."""

import feedparser
import pytest
from bs4 import BeautifulSoup

from articles.demo import article_index
from articles.models import ArticleKind
from tests.articles.factories import PDF_BYTES, make_pdf, publish_article

pytestmark = pytest.mark.django_db


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("feed_format", ["rss", "atom"])
def test_a_position_with_a_pdf_is_in_both_feeds(client, association_content, feed_format):
    publish_article(
        title="Stanowisko: plan dla Placu",
        kind=ArticleKind.POSITION,
        lead="Plac ma zostać zielony.",
        attachments=[make_pdf()],
        tags=["plan miasta"],
    )
    response, feed = read_feed(client, article_index().url + f"kanal/{feed_format}/")
    expected_type = "application/rss+xml" if feed_format == "rss" else "application/atom+xml"
    assert response["Content-Type"].startswith(expected_type)
    assert feed.version == ("rss20" if feed_format == "rss" else "atom10")
    [entry] = feed.entries
    assert entry.title == "Stanowisko: plan dla Placu"
    assert entry.link == "http://testserver/aktualnosci/stanowisko-plan-dla-placu/"
    assert "Plac ma zostać zielony." in entry.summary
    assert [tag.term for tag in entry.tags] == ["plan miasta"]
    [enclosure] = entry.enclosures
    assert enclosure.href.startswith("http://testserver/documents/")
    assert enclosure.type == "application/pdf"
    assert int(enclosure.length) == len(PDF_BYTES)


def test_text_with_markup_characters_reaches_the_reader_as_text(client, association_content):
    publish_article(title="Ala & Ola <3", lead='Cytat: "<script>alert(1)</script>" & więcej')
    for feed_format in ("rss", "atom"):
        _response, feed = read_feed(client, article_index().url + f"kanal/{feed_format}/")
        [entry] = feed.entries
        assert entry.title == "Ala & Ola <3"
        assert "<script>" not in entry.summary
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in entry.summary
        assert "&amp; więcej" in entry.summary


def test_each_kind_and_tag_has_its_own_feed(client, association_content):
    publish_article(title="Nasze stanowisko", kind=ArticleKind.POSITION, tags=["zieleń"])
    publish_article(title="Zaproszenie", kind=ArticleKind.NEWS)
    index = article_index()
    _r, positions = read_feed(client, index.url + "rodzaj/stanowisko/kanal/atom/")
    assert [e.title for e in positions.entries] == ["Nasze stanowisko"]
    _r, tagged = read_feed(client, index.url + "tag/zieleń/kanal/rss/")
    assert [e.title for e in tagged.entries] == ["Nasze stanowisko"]
    assert tagged.feed.link == "http://testserver/aktualnosci/tag/ziele%C5%84/"
    assert client.get(index.url + "kanal/json/").status_code == 404
    assert client.get(index.url + "rodzaj/plotki/kanal/rss/").status_code == 404


def test_pages_name_their_feeds_for_readers_to_discover(client, association_content):
    article = publish_article(title="Stanowisko", kind=ArticleKind.POSITION)
    index = article_index()
    for url, expected in [
        (index.url, "/aktualnosci/kanal/"),
        (index.url + "rodzaj/stanowisko/", "/aktualnosci/rodzaj/stanowisko/kanal/"),
        (article.url, "/aktualnosci/kanal/"),
    ]:
        head = BeautifulSoup(client.get(url).content, "html.parser").head
        links = head.find_all("link", rel="alternate")
        assert {link["type"] for link in links} == {
            "application/rss+xml",
            "application/atom+xml",
        }
        assert {link["href"] for link in links} == {expected + "rss/", expected + "atom/"}
