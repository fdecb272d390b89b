"""Visitors search the whole site, typing Polish with or without its letters."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import ArticleKind
from search.text import folded_search_text, word_forms
from tests.articles.factories import publish_article

pytestmark = pytest.mark.django_db


def found(client, text, **params):
    response = client.get("/szukaj/", {"q": text, **params})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [h.get_text(strip=True) for h in soup.select(".search-result__title")]


def test_a_word_typed_without_polish_letters_finds_it_with_them(client, association_content):
    publish_article(title="Źródła historii Placu", lead="Zebraliśmy wspomnienia.")
    assert found(client, "zrodla") == ["Źródła historii Placu"]
    assert found(client, "źródła") == ["Źródła historii Placu"]
    assert found(client, "ZRODLA historii") == ["Źródła historii Placu"]


def test_another_form_of_the_word_finds_it(client, association_content):
    publish_article(title="Zaproszenie", lead="Zapraszamy na debatę o zieleni.")
    publish_article(title="Stanowisko w sprawie parkingów", kind=ArticleKind.POSITION)
    # The mission page speaks of "debaty publiczne", so it is found as well.
    assert found(client, "debatę") == ["Zaproszenie", "Stowarzyszenie Plac NZS"]
    assert found(client, "debata") == ["Zaproszenie", "Stowarzyszenie Plac NZS"]
    assert found(client, "stanowiska parkingu") == ["Stanowisko w sprawie parkingów"]


def test_search_finds_other_pages_too(client, association_content):
    # The privacy notice comes with the site; its title has Polish letters.
    assert "Polityka prywatności" in found(client, "prywatnosci")


def test_unpublished_articles_are_not_found(client, association_content):
    article = publish_article(title="Wycofane źródła")
    article.unpublish()
    assert found(client, "zrodla") == []


def test_results_are_paginated_and_a_missing_page_is_not_found(client, association_content):
    for number in range(12):
        publish_article(title=f"Kiermasz numer {number}", slug=f"kiermasz-{number}")
    first = client.get("/szukaj/", {"q": "kiermasz"})
    soup = BeautifulSoup(first.content, "html.parser")
    assert len(soup.select(".search-result")) == 10
    next_link = soup.find("a", rel="next")["href"]
    assert next_link == "/szukaj/?q=kiermasz&page=2"
    assert len(found(client, "kiermaszu", page="2")) == 2
    for page in ["3", "0", "x"]:
        assert client.get("/szukaj/", {"q": "kiermasz", "page": page}).status_code == 404


def test_results_are_never_kept_by_any_cache(client, association_content):
    publish_article(title="Źródła")
    first = client.get("/szukaj/", {"q": "zrodla"})
    assert "no-store" in first["Cache-Control"] and "private" in first["Cache-Control"]
    assert first.get("X-Page-Cache") is None
    publish_article(title="Nowe źródła", slug="nowe")
    assert len(found(client, "zrodla")) == 2


def test_odd_input_gets_an_answer_not_an_error(client, association_content):
    for text in ['"', "*", "AND OR NOT", "a" * 5000, "\x00", "((", "-", "NEAR(", "^źródła"]:
        response = client.get("/szukaj/", {"q": text})
        assert response.status_code == 200, text


def test_an_empty_search_shows_just_the_form(client, association_content):
    soup = BeautifulSoup(client.get("/szukaj/").content, "html.parser")
    assert soup.find("input", attrs={"name": "q"}) is not None
    assert soup.select(".search-result") == []


def test_the_index_holds_each_word_without_polish_letters_and_its_stem():
    assert word_forms("Źródła") == ("źródła", "zrodla", "zrodl")
    assert "debat" in folded_search_text("debatę")


def queries_to_find(client, text):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/szukaj/", {"q": text}).status_code == 200
    return len(queries)


def test_a_full_page_of_results_costs_the_queries_of_one_result(client, association_content):
    publish_article(title="Spacer po Bojarach", lead="Spacer z przewodnikiem.")
    queries_to_find(client, "spacer")  # the site and its settings are read once
    one = queries_to_find(client, "spacer")
    for number in range(9):
        publish_article(title=f"Spacer {number}", lead="Spacer z przewodnikiem.")
    queries_to_find(client, "spacer")  # publishing made the cached settings stale

    assert queries_to_find(client, "spacer") == one
