"""What visitors and machines meet: link previews, sharing, findability, error pages, privacy."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from django.views.defaults import server_error
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from pages.models import AssociationSettings, ContentPage
from tests.factories import collapse_spaces

pytestmark = pytest.mark.django_db


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def meta(soup, key):
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def privacy_page():
    return ContentPage.objects.get(slug="polityka-prywatnosci")


# Link previews


def test_shared_home_page_shows_a_preview_with_title_description_and_image(
    client, association_content
):
    soup = soup_of(client.get("/"))

    assert soup.find("link", rel="canonical")["href"] == "http://testserver/"
    assert meta(soup, "og:url") == "http://testserver/"
    assert meta(soup, "og:title") == "Stowarzyszenie Plac NZS"
    assert meta(soup, "og:locale") == "pl_PL"
    assert meta(soup, "og:site_name") == "Stowarzyszenie Plac NZS"
    description = association_content.search_description
    assert description.startswith("Stowarzyszenie Plac NZS z Białegostoku")
    assert meta(soup, "description") == description
    assert meta(soup, "og:description") == description
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:description") == description
    assert meta(soup, "og:image") == "http://testserver/static/images/og-default.png"
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
    assert meta(soup, "twitter:image") == meta(soup, "og:image")


def test_default_preview_image_ships_at_the_size_previews_use():
    from PIL import Image as PILImage

    path = settings.BASE_DIR / "static" / "images" / "og-default.png"
    with PILImage.open(path) as image:
        assert image.size == (1200, 630)
    assert path.stat().st_size < 30_000


def test_every_page_has_its_own_description_and_canonical_address(client, association_content):
    soup = soup_of(client.get("/polityka-prywatnosci/"))

    assert soup.find("link", rel="canonical")["href"] == "http://testserver/polityka-prywatnosci/"
    assert meta(soup, "og:title") == "Polityka prywatności"
    assert meta(soup, "description") == privacy_page().search_description
    assert soup.title.get_text() == "Polityka prywatności – Stowarzyszenie Plac NZS"


def test_editor_chooses_the_preview_image_in_the_settings(
    client, association_content, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    association = AssociationSettings.for_site(association_content.get_site())
    association.share_image = Image.objects.create(
        title="Plac NZS latem", file=get_test_image_file(size=(1600, 1000))
    )
    association.save()

    soup = soup_of(client.get("/"))

    image_url = meta(soup, "og:image")
    assert image_url.startswith("http://testserver/media/images/")
    assert ".fill-1200x630" in image_url
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
    assert meta(soup, "og:image:alt") == "Plac NZS latem"


def test_deleting_the_preview_image_in_the_media_library_leaves_the_pages_working(
    client, association_content, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    association = AssociationSettings.for_site(association_content.get_site())
    image = Image.objects.create(title="Plac", file=get_test_image_file(size=(1600, 1000)))
    association.share_image = image
    association.save()
    assert "/media/images/" in meta(soup_of(client.get("/")), "og:image")

    image.delete()  # the settings row loses it by SQL (SET NULL): no setting is saved

    response = client.get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=editor")
    assert response.status_code == 200
    assert "/static/images/og-default" in meta(soup_of(response), "og:image")
    assert "/static/images/og-default" in meta(soup_of(client.get("/")), "og:image")


# Share box


def test_share_links_carry_the_page_address_without_third_party_scripts(
    client, association_content
):
    soup = soup_of(client.get("/"))
    box = soup.find("section", class_="share-box")
    links = {collapse_spaces(a.get_text()).strip(): a["href"] for a in box.find_all("a")}

    assert set(links) == {
        "Facebook – udostępnij tę stronę",
        "X – udostępnij tę stronę",
        "LinkedIn – udostępnij tę stronę",
        "WhatsApp – wyślij link do tej strony",
        "Telegram – wyślij link do tej strony",
        "E-mail – wyślij link do tej strony",
    }
    page_url = "http://testserver/"
    queries = {name.split(" – ")[0]: parse_qs(urlsplit(href).query) for name, href in links.items()}
    assert links["Facebook – udostępnij tę stronę"].startswith("https://www.facebook.com/sharer/")
    assert queries["Facebook"]["u"] == [page_url]
    assert queries["X"] == {"url": [page_url], "text": ["Stowarzyszenie Plac NZS"]}
    assert queries["LinkedIn"]["url"] == [page_url]
    assert queries["WhatsApp"]["text"] == [f"Stowarzyszenie Plac NZS {page_url}"]
    assert queries["Telegram"]["url"] == [page_url]
    mail = links["E-mail – wyślij link do tej strony"]
    assert mail.startswith("mailto:?subject=Stowarzyszenie%20Plac%20NZS&body=")
    assert "+" not in mail
    for a in box.find_all("a"):
        # Opening in the same tab needs no warning in the link's name.
        assert not a.get("target")
        assert a.find("svg")["aria-hidden"] == "true"
    assert not soup.find("iframe")
    scripts = [s.get("src") for s in soup.find_all("script") if s.get("src")]
    assert all(src.startswith("/static/") for src in scripts)


def test_copy_link_button_stays_hidden_without_javascript(client, association_content):
    box = soup_of(client.get("/")).find("section", class_="share-box")
    copy_button = box.find("button", attrs={"data-share-copy": True})

    assert copy_button.get_text(strip=True) == "Kopiuj link"
    assert copy_button.has_attr("hidden")
    assert box.find(attrs={"data-share-native": True}).has_attr("hidden")
    assert box.find(attrs={"role": "status"}) is not None
    assert box["data-copied-message"] == "Skopiowano link"


def test_share_box_texts_come_from_the_settings(client, association_content):
    association = AssociationSettings.for_site(association_content.get_site())
    association.share_heading = "Powiedz innym"
    association.save()

    box = soup_of(client.get("/")).find("section", class_="share-box")

    assert box.h2.get_text() == "Powiedz innym"
    assert "Podziel się z przyjaciółmi" in box.p.get_text()


# Findability


def test_sitemap_lists_the_public_pages(client, association_content):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    body = response.content.decode()
    assert "<loc>http://testserver/</loc>" in body
    assert "<loc>http://testserver/polityka-prywatnosci/</loc>" in body


def test_the_sitemap_comes_from_the_page_cache_until_a_page_is_published(
    client, association_content
):
    client.get("/sitemap.xml")
    assert client.get("/sitemap.xml")["X-Page-Cache"] == "hit"

    association_content.add_child(instance=ContentPage(title="Nowa strona", slug="nowa-strona"))
    ContentPage.objects.get(slug="nowa-strona").save_revision().publish()

    response = client.get("/sitemap.xml")
    assert response["X-Page-Cache"] == "miss"
    assert "<loc>http://testserver/nowa-strona/</loc>" in response.content.decode()


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_home_page_describes_the_association_for_search_engines(client, association_content):
    association = AssociationSettings.for_site(association_content.get_site())
    association.public_email = "kontakt@placnzs.example.org"
    association.save()

    soup = soup_of(client.get("/"))
    blocks = soup.find_all("script", type="application/ld+json")

    assert len(blocks) == 1
    data = json.loads(blocks[0].string)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NGO"
    assert data["name"] == "Stowarzyszenie Plac NZS"
    assert data["url"] == "http://testserver/"
    assert data["email"] == "kontakt@placnzs.example.org"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "ul. Sienkiewicza 49/105",
        "postalCode": "15-002",
        "addressLocality": "Białystok",
        "addressCountry": "PL",
    }
    # Only the home page speaks for the association as a whole.
    other = soup_of(client.get("/polityka-prywatnosci/"))
    assert not other.find("script", type="application/ld+json")


def test_json_ld_cannot_be_broken_out_of_by_a_settings_value(client, association_content):
    association = AssociationSettings.for_site(association_content.get_site())
    association.name = "Plac </script><script>alert(1)</script>"
    association.save()

    body = client.get("/").content.decode()

    assert "</script><script>alert(1)" not in body
    assert "\\u003C/script\\u003E" in body


def test_browser_finds_the_icons_and_the_web_app_manifest(client, association_content):
    soup = soup_of(client.get("/"))
    icon = soup.find("link", rel="icon")
    touch_icon = soup.find("link", rel="apple-touch-icon")
    manifest_url = soup.find("link", rel="manifest")["href"]

    for href in [icon["href"], touch_icon["href"]]:
        assert client.get(href).status_code == 200
    manifest = client.get(manifest_url)
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["name"] == "Stowarzyszenie Plac NZS"
    assert data["short_name"] == "Plac NZS"
    assert data["start_url"] == "/"
    sizes = {entry["sizes"] for entry in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for entry in data["icons"]:
        assert client.get(entry["src"]).status_code == 200


def test_touch_icon_is_180_pixels_square():
    from PIL import Image as PILImage

    with PILImage.open(settings.BASE_DIR / "static" / "images" / "apple-touch-icon.png") as image:
        assert image.size == (180, 180)


# Error pages


def test_missing_page_answers_404_in_polish_with_a_way_home(client, association_content):
    response = client.get("/nie-ma-takiej-strony/")

    assert response.status_code == 404
    soup = soup_of(response)
    assert soup.html["lang"] == "pl"
    assert soup.h1.get_text() == "Nie znaleziono strony"
    assert soup.find("a", string="Przejdź na stronę główną")["href"] == "/"
    assert soup.find("header", class_="site-header") and soup.find("footer")
    assert meta(soup, "robots") == "noindex"
    assert not soup.find("link", rel="canonical")


def test_server_error_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")

    with django_assert_num_queries(0):
        response = server_error(request)

    assert response.status_code == 500
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "pl"
    assert soup.h1.get_text() == "Coś poszło nie tak"
    assert soup.find("link", rel="stylesheet")["href"] == "/static/css/site.css"
    assert soup.find("a", href="/")
    assert not soup.find("script") and not soup.find("style")


# Privacy notice


def test_privacy_notice_is_linked_from_the_footer(client, association_content):
    footer = soup_of(client.get("/")).find("footer")
    link = footer.find("a", string="Polityka prywatności")

    assert link["href"] == "/polityka-prywatnosci/"
    assert client.get(link["href"]).status_code == 200


def test_privacy_notice_tells_what_the_contact_form_stores_and_for_how_long(
    client, association_content
):
    text = collapse_spaces(soup_of(client.get("/polityka-prywatnosci/")).main.get_text())

    for stored in ["imię", "adres e-mail", "treść wiadomości", "datę i godzinę", "zgodę"]:
        assert stored in text
    assert "wersji klauzuli informacyjnej" in text
    assert "Nie zapisujemy adresu IP" in text
    months = getattr(settings, "CONTACT_RETENTION_MONTHS", 24)
    assert f"po {months} miesiącach" in text
    captcha_minutes = getattr(settings, "CAPTCHA_TIMEOUT", 10)
    assert f"ważne {captcha_minutes} minut" in text
    assert "ul. Sienkiewicza 49/105" in text


def test_privacy_notice_follows_the_settings_as_they_change(client, association_content, settings):
    settings.PAGE_CACHE_SECONDS = 300  # served from the page cache, as visitors get it
    notice = collapse_spaces(soup_of(client.get("/polityka-prywatnosci/")).main.get_text())
    assert "Stowarzyszenie Plac NZS, ul. Sienkiewicza 49/105, 15-002 Białystok" in notice
    association = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    association.street_address = "ul. Lipowa 1"
    association.postal_code = "15-424"
    association.public_email = "dane@plac-nzs.example"
    association.save()
    settings.CONTACT_RETENTION_MONTHS = 12

    html = client.get("/polityka-prywatnosci/").content.decode()
    notice = collapse_spaces(BeautifulSoup(html, "html.parser").main.get_text())
    assert "Stowarzyszenie Plac NZS, ul. Lipowa 1, 15-424 Białystok" in notice
    assert "Sienkiewicza" not in notice
    assert '<a href="mailto:dane@plac-nzs.example">dane@plac-nzs.example</a>' in html
    assert "po 12 miesiącach" in notice
    assert "{" not in notice


def test_content_command_keeps_the_editors_privacy_notice(client, association_content):
    page = privacy_page()
    page.introduction = "Nasz własny wstęp."
    page.save_revision().publish()

    call_command("load_association_content", verbosity=0)

    assert ContentPage.objects.filter(slug="polityka-prywatnosci").count() == 1
    assert privacy_page().introduction == "Nasz własny wstęp."
    association = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    assert association.privacy_page_id == page.pk


def test_footer_follows_the_privacy_page_chosen_in_the_settings(client, association_content):
    other = association_content.add_child(
        instance=ContentPage(title="Ochrona danych", slug="ochrona-danych")
    )
    association = AssociationSettings.for_site(association_content.get_site())
    association.privacy_page = other
    association.save()

    footer = soup_of(client.get("/")).find("footer")

    assert footer.find("a", string="Ochrona danych")["href"] == "/ochrona-danych/"
