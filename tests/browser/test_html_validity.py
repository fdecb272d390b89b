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


def test_the_checker_would_catch_an_error(tmp_path):
    broken = "<!DOCTYPE html><html lang=pl><title>x</title><p><div></p></html>"

    assert html_errors({"broken": broken}, tmp_path) != []
