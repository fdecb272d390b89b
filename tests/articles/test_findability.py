"""Search engines and link previews understand the articles."""

import json

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from django.utils import timezone
from wagtail.images.tests.utils import get_test_image_file

from articles.models import ArticleKind
from tests.articles.factories import publish_article

pytestmark = pytest.mark.django_db


def json_ld(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def test_news_is_a_news_article_for_search_engines(client, association_content):
    article = publish_article(
        title="Debata o Placu", lead="Zapraszamy.", authors="Anna Nowak, Jan Kowalski"
    )
    [data] = json_ld(client.get(article.url))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Debata o Placu"
    assert data["url"] == "http://testserver/aktualnosci/debata-o-placu/"
    assert data["datePublished"] == article.date.isoformat()
    assert [a["name"] for a in data["author"]] == ["Anna Nowak", "Jan Kowalski"]
    assert data["publisher"]["name"] == "Stowarzyszenie Plac NZS"


def test_a_position_is_an_article_and_its_text_cannot_break_out(client, association_content):
    article = publish_article(
        title="Stanowisko </script><script>alert(1)</script>", kind=ArticleKind.POSITION
    )
    response = client.get(article.url)
    assert "<script>alert(1)" not in response.content.decode()
    [data] = json_ld(response)
    assert data["@type"] == "Article"
    assert data["headline"].startswith("Stanowisko </script>")


def test_a_shared_article_shows_its_own_image_and_lead(client, association_content, settings):
    from wagtail.images.models import Image

    image = Image.objects.create(title="Plac", file=get_test_image_file(size=(1600, 900)))
    article = publish_article(title="Zieleń na Placu", lead="Posadziliśmy drzewa.", image=image)
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert og["og:type"] == "article"
    assert og["og:description"] == "Posadziliśmy drzewa."
    assert "/images/" in og["og:image"] and og["og:image"].startswith("http://testserver/")
    assert og["og:image:width"] == "1200"
    assert json_ld(client.get(article.url))[0]["image"] == [og["og:image"]]


def test_the_sitemap_lists_articles_with_their_last_change(client, association_content):
    article = publish_article(title="Stanowisko w sprawie drzew")
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        url.findtext("s:loc", namespaces=ns): url.findtext("s:lastmod", namespaces=ns)
        for url in sitemap.findall("s:url", ns)
    }
    lastmod = entries["http://testserver/aktualnosci/stanowisko-w-sprawie-drzew/"]
    # The day in Warsaw: between 23:00 and 01:00 UTC it is already (or still) another date there.
    assert lastmod.startswith(timezone.localtime(article.last_published_at).date().isoformat())
