"""Security headers on every page a visitor or an editor can open."""

import pytest
from django.test import override_settings
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def public_paths():
    from django.urls import reverse

    pages = [page.url for page in Page.objects.live().specific() if page.url]
    named = []
    # Pages outside the page tree, where the project has them (e.g. the contact form).
    for name in ("contact:form", "contact:thanks"):
        named.append(reverse(name))
    return [*pages, *named, "/sitemap.xml", "/static/css/site.css", "/no-such-page/"]


def assert_common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives.get("default-src", [])
    assert "'unsafe-eval'" not in directives["script-src"]


def test_every_public_page_forbids_inline_scripts_and_framing(client, association_content):
    paths = public_paths()
    assert association_content.url in paths
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_common_headers(response)
        directives = csp_directives(response)
        assert directives["frame-ancestors"] == ["'none'"], path
        assert directives["style-src"] == ["'self'"], path


def test_the_admin_login_keeps_scripts_strict_and_only_loosens_styles(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_common_headers(response)
    directives = csp_directives(response)
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    # The live preview frames our own pages inside the admin, never another site's.
    assert directives["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31_536_000)
def test_plain_http_is_sent_to_https_which_then_carries_hsts(client, association_content):
    redirect = client.get(association_content.url)
    assert redirect.status_code == 301
    assert redirect["Location"].startswith("https://")
    response = client.get(association_content.url, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def inline_script_code(html):
    """<script> elements that would execute inline code (JSON data blocks are fine)."""
    from bs4 import BeautifulSoup

    return [
        script.string
        for script in BeautifulSoup(html, "html.parser").find_all("script")
        if not script.get("src") and script.get("type") != "application/json"
    ]


def test_editor_screens_with_date_pickers_need_no_inline_script(client, association_content):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("redaktor", "", "x"))
    # The page editor (publishing schedule) and the page listing (date filters).
    for path in (f"/admin/pages/{association_content.pk}/edit/", "/admin/pages/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "'unsafe-inline'" not in csp_directives(response)["script-src"]
        html = response.content.decode()
        assert 'data-admin-widget="initDate' in html, path
        assert inline_script_code(html) == [], path


def test_only_the_privacy_video_players_may_be_framed(client, association_content):
    response = client.get(association_content.url)
    directives = csp_directives(response)
    assert directives["frame-src"] == [
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]
    assert directives["default-src"] == ["'self'"]
    permissions = response["Permissions-Policy"]
    assert 'autoplay=("https://www.youtube-nocookie.com" "https://player.vimeo.com")' in permissions
