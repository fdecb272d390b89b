"""The mission page is served from the cache when a post about it spreads, and stays current."""

import gzip
import os
import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from pages.models import ContentPage
from tests.factories import association_settings_form_data, make_editor, mission_page_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def privacy_page(association_content):
    page = ContentPage(
        title="Polityka prywatności", slug="strona-testowa", introduction="Kto i po co."
    )
    association_content.add_child(instance=page)
    page.save_revision().publish()
    return page


def captcha_count():
    from captcha.models import CaptchaStore

    return CaptchaStore.objects.count()


def test_second_visitor_gets_the_page_without_a_database_query(client, association_content):
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"

    with CaptureQueriesContext(connection) as queries:
        second = client.get("/")

    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]
    assert second.content == first.content


@pytest.mark.parametrize("path", ["/", "/strona-testowa/"])
def test_cacheable_page_carries_nothing_of_one_visitor(client, privacy_page, path):
    """A page that a CDN may hand to everyone must not render a CSRF token, create a captcha
    challenge or a session, or set any cookie: those come from /kontakt/formularz.json."""
    challenges, sessions = captcha_count(), Session.objects.count()

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" not in html
    # The form is there, but its challenge key stays empty until the script fetches one.
    assert not re.search(r'name="captcha_0" value="[^"]', html)
    assert "/captcha/image/" not in html
    assert captcha_count() == challenges
    assert Session.objects.count() == sessions
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
    cache_control = response["Cache-Control"]
    assert cache_control.startswith("public")
    assert "max-age=60" in cache_control
    # A shared cache in front (nginx) keeps it seconds, not minutes: it cannot see a publish.
    assert "s-maxage=3," in cache_control
    assert "stale-while-revalidate=60" in cache_control
    assert "stale-if-error=86400" in cache_control


def test_page_costs_at_most_seven_queries_right_after_an_editor_publishes(
    client, django_user_model, association_content
):
    client.get("/")
    editor = make_editor(django_user_model)
    editor_client = type(client)()
    editor_client.force_login(editor)
    page = association_content
    editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        mission_page_form_data(page, contact_intro="Napisz do nas przez formularz."),
    )

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")

    assert "Napisz do nas przez formularz." in response.content.decode()
    assert response["X-Page-Cache"] == "miss"
    # Site, page, privacy restrictions, the menu, the next three events (their index and
    # dates) and the latest three articles; whatever the amount of content.
    assert len(queries) <= 7, [q["sql"][:150] for q in queries.captured_queries]


def test_address_changed_in_the_settings_replaces_the_cached_page(
    client, admin_client, association_content
):
    assert "ul. Sienkiewicza 49/105" in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    site = association_content.get_site()
    url = reverse("wagtailsettings:edit", args=["pages", "associationsettings", site.pk])

    admin_client.post(
        url,
        association_settings_form_data(
            name="Stowarzyszenie Plac NZS", street_address="ul. Lipowa 1", locality="Białystok"
        ),
    )

    html = client.get("/").content.decode()
    assert "ul. Lipowa 1" in html
    assert "ul. Sienkiewicza" not in html


def test_unpublished_page_is_no_longer_served_from_the_cache(client, privacy_page):
    assert client.get("/strona-testowa/").status_code == 200
    assert client.get("/strona-testowa/")["X-Page-Cache"] == "hit"

    privacy_page.unpublish()

    assert client.get("/strona-testowa/").status_code == 404


def test_page_closed_with_a_password_is_not_served_from_the_cache(client, privacy_page):
    client.get("/strona-testowa/")

    PageViewRestriction.objects.create(
        page=privacy_page, restriction_type=PageViewRestriction.PASSWORD, password="tajne"
    )

    response = client.get("/strona-testowa/")
    assert "Kto i po co." not in response.content.decode()
    assert response.get("X-Page-Cache") != "hit"


def test_logged_in_editor_gets_a_private_page_that_is_not_stored(
    client, django_user_model, association_content
):
    client.force_login(make_editor(django_user_model))

    response = client.get("/")

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert response["X-Page-Cache"] == "bypass"
    client.logout()
    client.cookies.clear()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_link_shared_with_tracking_parameters_is_the_same_cached_page(client, association_content):
    client.get("/")

    assert client.get("/?fbclid=IwAR0abc&utm_source=facebook")["X-Page-Cache"] == "hit"
    assert client.get("/?strona=2")["X-Page-Cache"] == "bypass"


def test_a_real_parameter_beside_tracking_ones_gets_its_own_page(client, association_content):
    client.get("/")
    assert client.get("/?utm_source=facebook")["X-Page-Cache"] == "hit"

    assert client.get("/?fbclid=IwAR0abc&strona=2")["X-Page-Cache"] == "bypass"
    assert client.get("/?strona=2&utm_source=facebook")["X-Page-Cache"] == "bypass"


def test_a_cacheable_page_that_sets_a_cookie_is_never_stored(
    client, privacy_page, monkeypatch, caplog
):
    """Say a template tag added later remembers something in a cookie: that page must not be
    handed to everyone, with or without the cookie."""
    serve = ContentPage.serve

    def serve_with_a_cookie(page, request, *args, **kwargs):
        response = serve(page, request, *args, **kwargs)
        response.set_cookie("ostatnia_wizyta", "2026-03-15")
        return response

    monkeypatch.setattr(ContentPage, "serve", serve_with_a_cookie)

    first = client.get("/strona-testowa/")
    second = Client().get("/strona-testowa/")

    for response in (first, second):
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "bypass"
        assert "private" in response["Cache-Control"]
        assert response.cookies["ostatnia_wizyta"].value == "2026-03-15"
    assert "Cacheable page /strona-testowa/ set a cookie; not cached." in caplog.text


def test_page_travels_gzipped_to_browsers_that_accept_it(client, association_content):
    plain = client.get("/").content

    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Accept-Encoding"
    assert gzip.decompress(response.content) == plain
    assert int(response["Content-Length"]) == len(response.content) < len(plain) / 2


def test_browser_revalidating_its_copy_gets_not_modified(client, association_content):
    etag = client.get("/")["ETag"]

    response = client.get("/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


def test_a_deploy_that_only_corrects_a_translation_serves_fresh_pages(settings, tmp_path):
    from pages.cache import _release_stamp

    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    compiled = tmp_path / "locale" / "pl" / "LC_MESSAGES" / "django.mo"
    compiled.parent.mkdir(parents=True)
    compiled.write_bytes(b"old")
    os.utime(compiled, (1_700_000_000, 1_700_000_000))
    before = _release_stamp()

    os.utime(compiled, (1_800_000_000, 1_800_000_000))

    assert _release_stamp() != before


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


@pytest.mark.parametrize("secure", [False, True])
def test_cached_page_is_answered_before_sessions_with_every_security_header(
    client, association_content, django_assert_num_queries, settings, secure
):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    first = client.get("/", secure=secure)

    with django_assert_num_queries(0):
        hit = client.get("/", secure=secure)

    assert (first["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    # Answered before the session, authentication and CSRF middleware ever ran.
    assert not hasattr(hit.wsgi_request, "session")
    assert not hasattr(hit.wsgi_request, "user")
    assert not hit.cookies
    for name in SECURITY_HEADERS:
        assert hit[name] == first[name], name
    assert ("Strict-Transport-Security" in hit) is secure
    assert hit.content == first.content


def test_head_of_a_cached_page_has_its_length_and_no_body(client, association_content):
    page = client.get("/", HTTP_ACCEPT_ENCODING="gzip")

    head = client.head("/", HTTP_ACCEPT_ENCODING="gzip")

    assert head["X-Page-Cache"] == "hit"
    assert head.content == b""
    assert head["Content-Length"] == page["Content-Length"] == str(len(page.content))
    assert head["Content-Encoding"] == "gzip"


def test_a_request_in_an_unreadable_charset_is_refused_even_for_a_cached_page(
    client, association_content
):
    client.get("/")

    response = client.generic("GET", "/", b"x", content_type="text/plain; charset=koi8-r")

    assert response.status_code == 400


def test_plain_http_is_sent_to_https_even_when_the_cache_holds_a_plain_http_copy(
    client, association_content, settings
):
    """Say the site ran over http, then SITE_URL became https: the pages the cache still
    holds from before must not keep visitors on plain http."""
    assert client.get("/")["X-Page-Cache"] == "miss"
    settings.SECURE_SSL_REDIRECT = True

    response = Client().get("/")  # a restarted server: its middleware reads the new setting

    assert response.status_code == 301
    assert response["Location"].startswith("https://")
