"""The articles and the search, in a real browser: no WCAG 2.1 A/AA problem, valid HTML."""

import pytest

from tests.browser.helpers import WIDTHS, axe_violations, describe_violations, html_errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTICLE_PAGES = {
    "article-index": "/aktualnosci/",
    "article-kind": "/aktualnosci/rodzaj/stanowisko/",
    "article": "/aktualnosci/stanowisko-w-sprawie-zrodel/",
    "search-results": "/szukaj/?q=zrodla",
}


@pytest.fixture
def articles_site(public_site, settings, tmp_path):
    from articles.demo import seed_articles
    from tests.articles.factories import publish_position_on_sources

    settings.MEDIA_ROOT = tmp_path / "media"  # the attachment stays out of the project
    seed_articles(11)
    publish_position_on_sources()
    return public_site


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", ARTICLE_PAGES.values(), ids=ARTICLE_PAGES.keys())
def test_articles_and_search_have_no_wcag_violations(
    new_context, articles_site, path, width, request, artifacts_dir
):
    page = new_context(bypass_csp=True, viewport={"width": width, "height": 800}).new_page()
    response = page.goto(articles_site + path)
    assert response.status == 200
    name = request.node.callspec.id.split("-", 1)[1]
    page.screenshot(path=artifacts_dir / f"axe-{name}.png", full_page=True)

    violations = axe_violations(page)

    assert violations == [], describe_violations(violations)


def test_articles_and_search_are_valid_html(page, articles_site, tmp_path):
    documents = {}
    for name, path in ARTICLE_PAGES.items():
        page.goto(articles_site + path)
        documents[name] = page.content()
    assert html_errors(documents, tmp_path) == []


def test_a_visitor_searches_by_keyboard_without_polish_letters(page, articles_site):
    page.goto(articles_site + "/")
    page.get_by_role("link", name="Szukaj").click()
    page.get_by_label("Szukaj w serwisie").fill("stanowisko zrodel")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Stanowisko w sprawie źródeł").click()
    assert page.url.endswith("/aktualnosci/stanowisko-w-sprawie-zrodel/")
