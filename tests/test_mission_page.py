"""What a visitor reads on the mission page, and what editors can change."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from pages.models import AssociationSettings, MissionPage
from tests.factories import (
    association_settings_form_data,
    collapse_spaces,
    make_editor,
    mission_page_form_data,
    seed_lead_statement,
    seed_list,
    seed_manifesto_paragraphs,
)

pytestmark = pytest.mark.django_db


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def list_items_under(soup, heading_text):
    heading = soup.find(["h2", "h3"], string=heading_text)
    assert heading is not None, f"no heading {heading_text!r}"
    return [collapse_spaces(li.get_text()) for li in heading.find_next("ul").find_all("li")]


def test_visitor_reads_the_associations_whole_text_in_order(client, association_content):
    response = client.get("/")

    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.html["lang"] == "pl"
    assert list_items_under(soup, "Chcemy…") == seed_list("Chcemy…", "Będziemy...")
    assert list_items_under(soup, "Będziemy...") == seed_list("Będziemy...", "Pytania do nas?")
    page_text = collapse_spaces(soup.get_text())
    for paragraph in seed_manifesto_paragraphs():
        assert collapse_spaces(paragraph) in page_text
    for phrase in ["Pytania do nas?", "Napisz!", "Korzystaj z formularza poniżej.", "Udostępnij"]:
        assert phrase in page_text
    assert "Podziel się z przyjaciółmi informacją o naszej inicjatywie!" in page_text


def test_sections_follow_the_default_order(client, association_content):
    soup = soup_of(client.get("/"))
    headings = [
        (h.name, collapse_spaces(h.get_text()).strip()) for h in soup.find_all(["h1", "h2", "h3"])
    ]
    # No events or articles yet: their sections stay hidden rather than empty.
    assert headings == [
        ("h1", seed_lead_statement()),
        ("h2", "Kim jesteśmy"),
        ("h3", "Chcemy…"),
        ("h3", "Będziemy..."),
        ("h2", "Pytania do nas? Napisz!"),
        ("h2", "Udostępnij"),
        ("h2", "Adres do korespondencji"),
    ]


def test_address_is_marked_up_as_an_address(client, association_content):
    address = soup_of(client.get("/")).find("address")
    text = collapse_spaces(address.get_text()).strip()
    assert text == "ul. Sienkiewicza 49/105 15-002 Białystok"


def test_page_has_landmarks_and_a_skip_link(client, association_content):
    soup = soup_of(client.get("/"))
    skip = soup.find("a", class_="skip-link")
    assert skip.get_text() == "Przejdź do treści"
    assert soup.find("main")["id"] == skip["href"].lstrip("#")
    assert soup.find("header") and soup.find("footer")
    assert len(soup.find_all("h1")) == 1


def test_page_loads_nothing_from_other_hosts(client, association_content):
    soup = soup_of(client.get("/"))
    for tag, attr in [("link", "href"), ("script", "src"), ("img", "src")]:
        for element in soup.find_all(tag):
            if tag == "link" and "canonical" in element.get("rel", []):
                continue  # names the page's own public address; nothing is loaded from it
            url = element.get(attr) or ""
            assert not url.startswith(("http:", "https:", "//")), url


def test_content_command_is_idempotent(association_content):
    call_command("load_association_content", verbosity=0)
    assert MissionPage.objects.count() == 1
    assert len(MissionPage.objects.get().goals) == 6


def test_editor_changes_a_goal_and_it_survives_the_content_command(
    client, django_user_model, association_content
):
    page = association_content
    editor = make_editor(django_user_model)
    client.force_login(editor)
    goals = [block.value for block in page.goals]
    goals[0] = "Umacniać społeczeństwo obywatelskie w Białymstoku."
    goals.append("Sadzić drzewa na Placu NZS.")

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        mission_page_form_data(page, goals=goals),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    shown = list_items_under(soup_of(client.get("/")), "Chcemy…")
    assert shown[0] == "Umacniać społeczeństwo obywatelskie w Białymstoku."
    assert shown[-1] == "Sadzić drzewa na Placu NZS."

    call_command("load_association_content", verbosity=0)
    assert list_items_under(soup_of(client.get("/")), "Chcemy…") == shown


def test_editor_reorders_and_removes_activities(client, django_user_model, association_content):
    page = association_content
    client.force_login(make_editor(django_user_model))
    activities = [block.value for block in page.activities]
    reordered = [activities[2], activities[0]]

    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        mission_page_form_data(page, activities=reordered),
    )

    client.logout()
    assert list_items_under(soup_of(client.get("/")), "Będziemy...") == reordered


def test_address_changed_in_the_settings_appears_on_the_page(
    client, admin_client, association_content
):
    site = association_content.get_site()
    settings_url = reverse("wagtailsettings:edit", args=["pages", "associationsettings", site.pk])
    form_page = admin_client.get(settings_url)
    assert form_page.status_code == 200
    data = {
        field: value
        for field, value in AssociationSettings.for_site(site).__dict__.items()
        if field
        in {"name", "short_name", "street_address", "postal_code", "locality", "share_heading"}
    }
    data.update(street_address="ul. Lipowa 1", share_text="Powiedz znajomym o nas!")

    response = admin_client.post(settings_url, association_settings_form_data(**data))

    assert response.status_code == 302
    page_text = collapse_spaces(soup_of(client.get("/")).get_text())
    assert "ul. Lipowa 1" in page_text
    assert "ul. Sienkiewicza" not in page_text
    assert "Powiedz znajomym o nas!" in page_text

    call_command("load_association_content", verbosity=0)
    assert AssociationSettings.for_site(site).street_address == "ul. Lipowa 1"


def test_board_addresses_are_validated_in_the_settings(admin_client, association_content):
    site = association_content.get_site()
    settings_url = reverse("wagtailsettings:edit", args=["pages", "associationsettings", site.pk])
    response = admin_client.post(
        settings_url,
        association_settings_form_data(
            name="Stowarzyszenie Plac NZS", board_recipients="zarzad@example.org\nto nie adres"
        ),
    )
    assert response.status_code == 200
    assert "„to nie adres” nie jest poprawnym adresem e-mail." in response.content.decode()
    assert AssociationSettings.for_site(site).board_recipients == ""
