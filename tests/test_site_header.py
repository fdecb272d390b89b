"""Every page's header: the logo and short name, the menu, and a way to write to us."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Site

from pages.demo import example_image
from pages.models import AssociationSettings

pytestmark = pytest.mark.django_db


def header_of(client, path="/"):
    return BeautifulSoup(client.get(path).content, "html.parser").find("header")


def test_without_a_logo_the_header_shows_the_sites_icon(client, association_content):
    logo = header_of(client).select_one(".site-header__brand img")
    assert logo["src"].endswith("images/favicon.svg")
    # The name beside it says what the picture would.
    assert logo["alt"] == ""
    assert (logo["width"], logo["height"]) == ("40", "40")  # its place is kept while it loads


def test_the_editors_logo_takes_its_place(client, association_content, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    association = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    association.logo = example_image("Logo", "#073550", size=(300, 120))
    association.save()

    logo = header_of(client).select_one(".site-header__brand img")

    assert "/images/" in logo["src"] and "favicon" not in logo["src"]
    assert logo["alt"] == "" and logo["height"] == "96" and logo["width"] == "240"


def test_header_names_the_association_by_its_short_name_not_the_home_pages_title(
    client, association_content
):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    brand = soup.select_one(".site-header__brand")
    assert brand.select_one(".site-header__name").text == "Plac NZS"
    assert brand["href"] == "/" and brand["aria-current"] == "page"
    assert brand.get_text(" ", strip=True) == "Plac NZS – strona główna"
    # The page's own heading says something the header does not: the lead statement.
    assert soup.find("h1").text.strip().startswith("Jesteśmy mieszkańcami Białegostoku")


def test_write_to_us_is_one_step_away_on_every_page(client, association_content):
    for path in ("/", "/o-stowarzyszeniu/", "/nie-ma-takiej-strony/"):
        link = header_of(client, path).select_one(".site-header__cta")
        assert link.text == "Napisz do nas", path
        assert link["href"] == reverse("contact:form")
    assert client.get(reverse("contact:form")).status_code == 200
