"""Visitors find every page: the header menu, the footer links and the breadcrumbs."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pages.models import ContentPage

# Created by the content command, first in the menu.
ABOUT = ("O stowarzyszeniu", "/o-stowarzyszeniu/")


def add_page(parent, title, slug, show_in_menus=True):
    page = parent.add_child(
        instance=ContentPage(title=title, slug=slug, show_in_menus=show_in_menus)
    )
    page.save_revision().publish()
    return page


def menu_links(response):
    soup = BeautifulSoup(response.content, "html.parser")
    wide = soup.select_one(".site-nav__list--wide")
    return [(a.text, a["href"], a.get("aria-current")) for a in wide.find_all("a")] if wide else []


def test_menu_lists_pages_marked_for_the_menu_in_tree_order(client, association_content):
    add_page(association_content, "O nas", "o-nas")
    add_page(association_content, "Ukryta", "ukryta", show_in_menus=False)
    add_page(association_content, "Kontakt", "kontakt-strona")
    response = client.get("/")
    assert [(t, h) for t, h, _c in menu_links(response)] == [
        ABOUT,
        ("O nas", "/o-nas/"),
        ("Kontakt", "/kontakt-strona/"),
    ]


def test_menu_marks_the_current_page_and_section(client, association_content):
    about = add_page(association_content, "O nas", "o-nas")
    team = add_page(about, "Zespół", "zespol", show_in_menus=False)
    assert menu_links(client.get(about.url))[1] == ("O nas", "/o-nas/", "page")
    assert menu_links(client.get(team.url))[1] == ("O nas", "/o-nas/", "true")
    assert menu_links(client.get(team.url))[0][2] is None
    assert [current for _t, _h, current in menu_links(client.get("/"))] == [None, None]


def test_phones_get_the_same_menu_in_a_details_element(client, association_content):
    add_page(association_content, "O nas", "o-nas")
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    fold = soup.select_one("nav.site-nav details.site-nav__fold")
    assert fold.summary.text == "Menu"
    assert [a.text for a in fold.find_all("a")] == ["O stowarzyszeniu", "O nas"]


def test_footer_links_every_menu_page(client, association_content):
    add_page(association_content, "O nas", "o-nas")
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert [a["href"] for a in soup.select("footer .footer-nav a")] == [ABOUT[1], "/o-nas/"]


def test_breadcrumbs_below_the_first_level_only(client, association_content):
    about = add_page(association_content, "O nas", "o-nas")
    team = add_page(about, "Zespół", "zespol")
    assert BeautifulSoup(client.get(about.url).content, "html.parser").select(".breadcrumbs") == []
    crumbs = BeautifulSoup(client.get(team.url).content, "html.parser").select(".breadcrumbs a")
    assert [(a.text, a["href"]) for a in crumbs] == [
        ("Strona główna", "/"),
        ("O nas", "/o-nas/"),
        ("Zespół", "/o-nas/zespol/"),
    ]
    assert crumbs[-1]["aria-current"] == "page"


def test_cached_pages_show_a_renamed_menu_page_at_once(client, association_content, settings):
    settings.PAGE_CACHE_SECONDS = 300
    about = add_page(association_content, "O nas", "o-nas")
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    about.title = "Kim jesteśmy"
    about.slug = "kim-jestesmy"
    about.save_revision().publish()
    response = client.get("/")
    assert [(t, h) for t, h, _c in menu_links(response)] == [
        ABOUT,
        ("Kim jesteśmy", "/kim-jestesmy/"),
    ]
    about.show_in_menus = False
    about.save_revision().publish()
    assert [(t, h) for t, h, _c in menu_links(client.get("/"))] == [ABOUT]


def queries_to_render(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/", "/sekcja/", "/sekcja/podstrona/"])
def test_menu_costs_the_same_queries_with_5_or_100_pages(
    client, association_content, settings, path
):
    settings.PAGE_CACHE_SECONDS = 0  # measure rendering, not the page cache
    # With "O stowarzyszeniu", five pages in the menu, then a hundred.
    section = add_page(association_content, "Sekcja", "sekcja")
    add_page(section, "Podstrona", "podstrona", show_in_menus=False)
    for number in range(3):
        add_page(association_content, f"Strona {number}", f"strona-{number}")
    client.get(path)  # warm Wagtail's site and root-path caches
    with_5 = queries_to_render(client, path)
    for number in range(3, 98):
        add_page(association_content, f"Strona {number}", f"strona-{number}")
    client.get(path)
    with_100 = queries_to_render(client, path)
    assert len(menu_links(client.get(path))) == 100
    assert with_100 == with_5
