"""Visitors read the association's articles: the list, its filters and pages, one article."""

import pytest
from bs4 import BeautifulSoup

from articles.demo import article_index, seed_articles
from articles.models import ArticleKind
from tests.articles.factories import make_pdf, publish_article

pytestmark = pytest.mark.django_db


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [h.get_text(strip=True) for h in soup.select(".card__title")]


def test_visitor_reads_a_position_with_its_pdf(client, association_content):
    article = publish_article(
        title="Stanowisko w sprawie planu miejscowego",
        kind=ArticleKind.POSITION,
        addressee="Rada Miasta Białegostoku",
        tags=["plan miasta"],
        attachments=[make_pdf()],
    )
    response = client.get(article.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text() == "Stanowisko w sprawie planu miejscowego"
    assert "Rada Miasta Białegostoku" in soup.select_one(".article__position").get_text()
    attachment = soup.select_one(".article__attachments li")
    assert attachment.a["href"].startswith("/documents/")
    assert "PDF" in attachment.get_text() and "bajt" in attachment.get_text()
    assert soup.select_one(".article__tags a")["href"] == "/aktualnosci/tag/plan-miasta/"


def test_the_list_shows_the_newest_first_ten_a_page(client, association_content):
    seed_articles(12)
    index = article_index()
    first = client.get(index.url)
    assert first.status_code == 200
    assert titles(first)[0].endswith("(1)") and len(titles(first)) == 10
    second = client.get(index.url + "?page=2")
    assert [t[-4:] for t in titles(second)] == ["(11)", "(12)"]
    assert 'rel="prev"' in second.content.decode()


# Not named "page": pytest-playwright's fixture of that name would make these browser tests.
@pytest.mark.parametrize("number", ["0", "3", "abc", "-1", "1.5", "9" * 30, ""])
def test_a_page_number_that_is_not_there_is_not_found(client, association_content, number):
    seed_articles(12)
    response = client.get(article_index().url + f"?page={number}")
    assert response.status_code == 404


def test_each_kind_has_its_own_address(client, association_content):
    publish_article(title="Nasze stanowisko", kind=ArticleKind.POSITION)
    publish_article(title="Zaproszenie na debatę", kind=ArticleKind.NEWS)
    index = article_index()
    response = client.get(index.url + "rodzaj/stanowisko/")
    assert response.status_code == 200
    assert titles(response) == ["Nasze stanowisko"]
    assert client.get(index.url + "rodzaj/plotki/").status_code == 404


def test_each_tag_has_its_own_address(client, association_content):
    publish_article(title="O zieleni", tags=["zieleń"])
    publish_article(title="O parkingach", tags=["parkingi"])
    index = article_index()
    response = client.get(index.url + "tag/zieleń/")
    assert titles(response) == ["O zieleni"]
    assert client.get(index.url + "tag/nie-ma-takiego/").status_code == 404
    assert client.get(index.url + "tag/zielen/?page=2").status_code == 404


def test_drafts_and_unpublished_articles_are_not_listed(client, association_content):
    article = publish_article(title="Wycofany tekst")
    article.unpublish()
    assert titles(client.get(article_index().url)) == []


def test_the_mission_page_shows_the_latest_three(client, association_content):
    seed_articles(5)
    response = client.get("/")
    soup = BeautifulSoup(response.content, "html.parser")
    latest = soup.select(".latest-articles .card__title")
    assert [h.get_text(strip=True)[-3:] for h in latest] == ["(1)", "(2)", "(3)"]
    assert soup.select_one(".latest-articles .home-section__more")["href"] == article_index().url


def test_the_list_and_the_feeds_come_from_the_page_cache_until_an_editor_publishes(
    client, association_content
):
    publish_article(title="Pierwszy")
    index_url = article_index().url
    for address in ["", "kanal/rss/", "rodzaj/aktualnosc/kanal/atom/", "tag/brak/"]:
        first = client.get(index_url + address)
        if first.status_code == 404:
            continue  # a missing tag is never cached
        assert first["X-Page-Cache"] == "miss", address
        assert client.get(index_url + address)["X-Page-Cache"] == "hit", address
    publish_article(title="Drugi")
    fresh = client.get(index_url)
    assert fresh["X-Page-Cache"] == "miss"
    assert titles(fresh) == ["Drugi", "Pierwszy"]
    assert b"Drugi" in client.get(index_url + "kanal/rss/").content
