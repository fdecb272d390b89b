"""The public pages are valid HTML according to the Nu HTML Checker (vnu-jar from npm)."""

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.browser.helpers import html_errors

pytestmark = pytest.mark.django_db


def test_public_pages_are_valid_html(client, association_content, tmp_path):
    documents = {
        "mission-page": client.get("/").content.decode(),
        "privacy-notice": client.get("/polityka-prywatnosci/").content.decode(),
        "missing-page-404": client.get("/nie-ma-takiej-strony/").content.decode(),
        "server-error-500": server_error(RequestFactory().get("/")).content.decode(),
    }

    assert html_errors(documents, tmp_path) == []


def test_new_page_types_and_every_block_are_valid_html(
    client, association_content, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True
    call_command("seed_demo_content", "--pages", "1", "--events", "0", "--articles", "0")
    settings.DEBUG = False
    documents = {
        name: client.get(path).content.decode()
        for name, path in {
            "every-block": "/przyklad-1/",
            "association-data": "/o-stowarzyszeniu/dane/",
            "support": "/wesprzyj-nas/",
            "about-section": "/o-stowarzyszeniu/",
        }.items()
    }
    assert all("</html>" in html for html in documents.values())

    assert html_errors(documents, tmp_path) == []


def test_home_page_with_its_image_and_cards_and_the_lists_are_valid_html(
    client, association_content, tmp_path, settings
):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from articles.demo import article_index
    from tests.articles.factories import publish_article
    from tests.events.factories import make_event, make_event_index

    settings.MEDIA_ROOT = tmp_path / "media"
    Image = get_image_model()
    home = association_content
    home.hero_image = Image.objects.create(title="Plac NZS", file=get_test_image_file())
    home.save_revision().publish()
    events = make_event_index(home)
    make_event(events, image=Image.objects.create(title="Debata", file=get_test_image_file()))
    publish_article(image=Image.objects.create(title="Zieleń", file=get_test_image_file()))
    call_command("load_association_content", verbosity=0)
    documents = {
        "home-with-cards": client.get("/").content.decode(),
        "event-index": client.get(events.url).content.decode(),
        "article-index": client.get(article_index().url).content.decode(),
    }
    assert 'class="hero__image"' in documents["home-with-cards"]
    assert documents["home-with-cards"].count('class="card__image"') == 2

    assert html_errors(documents, tmp_path) == []


def test_the_checker_would_catch_an_error(tmp_path):
    broken = "<!DOCTYPE html><html lang=pl><title>x</title><p><div></p></html>"

    assert html_errors({"broken": broken}, tmp_path) != []


def test_event_pages_are_valid_html(association_content, tmp_path):
    """The event index, an event open for registration, the registration page (empty, with
    errors, and after a CSRF failure) and the cancel page."""
    from django.test import Client

    from events.registration_tokens import cancel_token
    from tests.events.factories import in_days, make_event, make_event_index, register_directly

    index = make_event_index(association_content)
    event = make_event(
        index,
        dates=[
            {"start": in_days(7), "end": in_days(7, 20), "capacity": 10},
            {"start": in_days(14), "end": in_days(14, 20), "capacity": 1},
        ],
    )
    first, second = event.dates.order_by("start")
    registration = register_directly(first)
    register_directly(second, email="ewa@example.org")
    client = Client()
    registration_page = f"/zapisy/{first.pk}/"
    documents = {
        "event-index": client.get(index.url).content.decode(),
        "event-page": client.get(event.url).content.decode(),
        "registration-page": client.get(registration_page).content.decode(),
        "registration-errors": client.post(
            registration_page, {"name": "", "email": "nie-adres", "people": "1"}
        ).content.decode(),
        "registration-csrf-failure": Client(enforce_csrf_checks=True)
        .post(registration_page, {"name": "Jan", "email": "jan@example.org"})
        .content.decode(),
        "cancel-page": client.get(
            f"/zapisy/rezygnacja/{cancel_token(registration)}/"
        ).content.decode(),
    }
    assert all("</html>" in html for html in documents.values())
    assert "formularz-zapisu" in documents["event-page"]
    assert 'aria-invalid="true"' in documents["registration-errors"]

    assert html_errors(documents, tmp_path) == []
