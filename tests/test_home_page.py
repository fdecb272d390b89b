"""The home page as a first visitor meets it, and as editors compose it in the admin.

A hero (the lead statement and two buttons), then what the association does now (upcoming
events, the latest articles), who it is (the manifesto, "Chcemy…", "Będziemy…"), the contact
form and, last and smaller, the share box. Editors choose the order and which sections show.
"""

import importlib
import json

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from articles.demo import article_index
from pages.models import MissionPage, SupportPage
from tests.articles.factories import publish_article
from tests.events.factories import in_days, make_event, make_event_index
from tests.factories import (
    collapse_spaces,
    home_sections_of,
    make_editor,
    mission_page_form_data,
    seed_lead_statement,
    seed_list,
    seed_manifesto_paragraphs,
)

pytestmark = pytest.mark.django_db

# The sections' outermost elements, as the page shows them.
SECTION_CLASSES = {
    "upcoming-events": "upcoming_events",
    "latest-articles": "latest_articles",
    "mission__about": "manifesto",
    "contact-invitation": "contact",
    "share-box": "share",
}


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def sections_shown(soup):
    """The sections of the home page in the order a visitor meets them."""
    found = []
    for element in soup.select("main section"):
        for css_class, name in SECTION_CLASSES.items():
            if css_class in element.get("class", []):
                found.append(name)
    return found


def card_titles(soup, section_class):
    return [h.get_text(strip=True) for h in soup.select(f".{section_class} .card__title")]


def picture(title="Plac NZS", size=(1600, 900)):
    return get_image_model().objects.create(title=title, file=get_test_image_file(size=size))


def what_make_run_does():
    """`make run` loads the association's content on every start."""
    call_command("load_association_content", verbosity=0)


@pytest.fixture
def events(association_content):
    index = make_event_index(association_content)
    for days, title in ((9, "Spacer po Placu"), (3, "Debata o zieleni"), (5, "Sprzątanie")):
        make_event(index, title=title, dates=[(in_days(days), in_days(days, 20))])
    make_event(index, title="Minione spotkanie", dates=[(in_days(-2), in_days(-2, 20))])
    make_event(index, title="Za miesiąc", dates=[(in_days(30), in_days(30, 20))])
    return index


@pytest.fixture
def articles(association_content):
    made = []
    for number in range(1, 5):
        made.append(
            publish_article(
                title=f"Stanowisko w sprawie Placu ({number})",
                date=in_days(-number).date(),
                kind="stanowisko",
            )
        )
    return made


def publish_through_the_admin(client, page, **changes):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), mission_page_form_data(page, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return MissionPage.objects.get(pk=page.pk)


# --- A first visitor ---------------------------------------------------------------------


def test_visitor_reads_the_lead_sees_what_is_coming_and_what_was_said_and_can_write(
    client, events, articles
):
    what_make_run_does()  # now that there is an events page, the second button leads to it

    soup = soup_of(client.get("/"))

    hero = soup.select_one(".hero")
    assert [h1.get_text() for h1 in soup.find_all("h1")] == [seed_lead_statement()]
    assert hero.find("h1") is not None
    write, coming = hero.select(".hero__actions a.button")
    assert (write.get_text(strip=True), write["href"]) == ("Napisz do nas", "#napisz")
    assert "button--primary" in write["class"]
    assert (coming.get_text(strip=True), coming["href"]) == ("Najbliższe wydarzenia", events.url)
    assert "button--secondary" in coming["class"]
    assert hero.select(".hero__image") == [], "no image chosen: no empty box"

    assert sections_shown(soup) == [
        "upcoming_events",
        "latest_articles",
        "manifesto",
        "contact",
        "share",
    ]
    assert card_titles(soup, "upcoming-events") == [
        "Debata o zieleni",
        "Sprzątanie",
        "Spacer po Placu",
    ]
    assert soup.select_one(".upcoming-events .home-section__more")["href"] == events.url
    assert card_titles(soup, "latest-articles") == [
        f"Stanowisko w sprawie Placu ({number})" for number in (1, 2, 3)
    ]
    assert "Stanowisko" in soup.select_one(".latest-articles .card__meta").get_text()
    assert soup.select_one(".latest-articles .home-section__more")["href"] == article_index().url

    manifesto = soup.select_one(".mission__manifesto")
    assert [p.get_text() for p in manifesto.find_all("p")] == seed_manifesto_paragraphs()
    goals = soup.find("h3", string="Chcemy…").find_next("ul").find_all("li")
    assert [collapse_spaces(li.get_text()) for li in goals] == seed_list("Chcemy…", "Będziemy...")
    activities = soup.find("h3", string="Będziemy...").find_next("ul").find_all("li")
    assert [collapse_spaces(li.get_text()) for li in activities] == seed_list(
        "Będziemy...", "Pytania do nas?"
    )

    invitation = soup.find(id="napisz")
    assert invitation.find("form", id="formularz-kontaktowy")["action"] == "/kontakt/"
    share = soup.select_one(".share-box")
    assert share.find_previous(id="napisz") is not None, "the share box comes after the content"


def test_the_outline_has_one_h1_and_a_h2_for_every_section(client, events, articles):
    soup = soup_of(client.get("/"))

    assert len(soup.find_all("h1")) == 1
    for section in soup.select("main .home-section, main .share-box"):
        heading = section.find(["h2", "h3"])
        assert heading.name == "h2", section.get("class")
        assert heading.get_text(strip=True), "never an empty heading"
        assert section["aria-labelledby"] == heading["id"]
    assert [h.get_text(strip=True) for h in soup.select(".card__title")] == [
        h.get_text(strip=True) for h in soup.select("main h3.card__title")
    ]


def test_sections_with_nothing_to_show_are_hidden_not_left_empty(client, association_content):
    make_event_index(association_content)  # an events page, but nothing planned
    article_index()  # an article index, but nothing published

    soup = soup_of(client.get("/"))

    assert sections_shown(soup) == ["manifesto", "contact", "share"]
    text = soup.get_text()
    assert "Najbliższe wydarzenia" not in text and "Najnowsze od nas" not in text


def test_with_only_a_support_page_the_second_button_invites_support(client, association_content):
    support = association_content.add_child(
        instance=SupportPage(title="Wesprzyj nas", slug="wesprzyj-nas")
    )
    support.save_revision().publish()
    what_make_run_does()

    button = soup_of(client.get("/")).select_one(".hero__actions .button--secondary")

    assert (button.get_text(strip=True), button["href"]) == ("Wesprzyj nas", support.url)


def test_without_a_second_page_there_is_one_button(client, association_content):
    buttons = soup_of(client.get("/")).select(".hero__actions a")
    assert [b.get_text(strip=True) for b in buttons] == ["Napisz do nas"]


def test_the_hero_image_keeps_its_place_while_it_loads(client, association_content):
    page = association_content
    page.hero_image = picture("Mieszkańcy na Placu NZS")
    page.save_revision().publish()

    image = soup_of(client.get("/")).select_one(".hero img.hero__image")

    assert int(image["width"]) > 0 and int(image["height"]) > 0
    assert len(image["srcset"].split(",")) == 3
    assert image["sizes"]
    assert image["alt"] == "Mieszkańcy na Placu NZS"


def test_a_small_hero_image_names_each_width_once(client, association_content):
    """Wagtail never enlarges: a 640-pixel upload must not be offered as 960 and 1440 too."""
    page = association_content
    page.hero_image = picture(size=(640, 480))
    page.save_revision().publish()

    image = soup_of(client.get("/")).select_one("img.hero__image")

    widths = [candidate.split()[-1] for candidate in image["srcset"].split(", ")]
    assert widths == ["480w", "640w"]


def test_without_a_lead_statement_the_heading_is_the_page_title(client, association_content):
    page = association_content
    page.lead = ""
    page.save_revision().publish()

    soup = soup_of(client.get("/"))

    assert [h1.get_text() for h1 in soup.find_all("h1")] == ["Stowarzyszenie Plac NZS"]


def test_the_home_page_works_without_javascript(client, events, articles):
    """Everything is in the HTML: links, not scripts; the form gives way to the contact page."""
    soup = soup_of(client.get("/"))

    for section in soup.select("main .home-section"):
        assert not section.has_attr("hidden")
    for link in soup.select(".hero__actions a, .card__title a, .home-section__more"):
        assert link["href"] and not link["href"].startswith("javascript:")
    target = soup.select_one(".hero__actions a")["href"]
    assert soup.find(id=target.lstrip("#")) is not None
    assert soup.find(id="napisz").find("noscript").find("a")["href"] == "/kontakt/"
    assert all(
        script.get("src")
        for script in soup.find_all("script", type=lambda t: t != "application/ld+json")
    )


# --- Editors compose the page ------------------------------------------------------------


def test_editor_reorders_sections_and_hides_some_in_the_admin(
    client, django_user_model, events, articles
):
    editor = make_editor(django_user_model)
    editor_client = type(client)()
    editor_client.force_login(editor)
    page = MissionPage.objects.get()

    publish_through_the_admin(
        editor_client,
        page,
        sections=[
            ("latest_articles", {"heading": "Nasze stanowiska", "count": 2}),
            ("contact", ""),
            ("manifesto", {"heading": ""}),
        ],
    )

    soup = soup_of(client.get("/"))
    assert sections_shown(soup) == ["latest_articles", "contact", "manifesto"]
    assert soup.select_one(".latest-articles h2").get_text(strip=True) == "Nasze stanowiska"
    assert len(card_titles(soup, "latest-articles")) == 2
    assert soup.select(".share-box") == [] and soup.select(".upcoming-events") == []

    what_make_run_does()
    assert sections_shown(soup_of(client.get("/"))) == ["latest_articles", "contact", "manifesto"]


def test_without_the_form_section_write_to_us_leads_to_the_contact_page(
    client, django_user_model, association_content
):
    editor_client = type(client)()
    editor_client.force_login(make_editor(django_user_model))

    publish_through_the_admin(
        editor_client, association_content, sections=[("manifesto", {"heading": ""})]
    )

    soup = soup_of(client.get("/"))
    assert soup.select_one(".hero__actions a")["href"] == "/kontakt/"
    assert soup.find(id="napisz") is None


def test_editors_lead_and_second_button_survive_the_content_command(
    client, django_user_model, events
):
    support = MissionPage.objects.get().add_child(
        instance=SupportPage(title="Wesprzyj nas", slug="wesprzyj-nas")
    )
    support.save_revision().publish()
    what_make_run_does()  # chooses the events page
    page = MissionPage.objects.get()
    assert page.second_action_page_id == events.pk
    editor_client = type(client)()
    editor_client.force_login(make_editor(django_user_model))

    publish_through_the_admin(
        editor_client,
        page,
        lead="Łączymy mieszkańców Białegostoku.",
        second_action_page=support.pk,
        second_action_label="Wesprzyj nas",
    )
    what_make_run_does()

    soup = soup_of(client.get("/"))
    assert soup.find("h1").get_text() == "Łączymy mieszkańców Białegostoku."
    button = soup.select_one(".hero__actions .button--secondary")
    assert (button.get_text(strip=True), button["href"]) == ("Wesprzyj nas", support.url)


def test_a_second_button_the_editor_removed_stays_removed(client, django_user_model, events):
    what_make_run_does()  # chooses the events page
    editor_client = type(client)()
    editor_client.force_login(make_editor(django_user_model))

    publish_through_the_admin(
        editor_client, MissionPage.objects.get(), second_action_page="", second_action_label=""
    )
    what_make_run_does()

    buttons = soup_of(client.get("/")).select(".hero__actions a")
    assert [b.get_text(strip=True) for b in buttons] == ["Napisz do nas"]


def test_the_editor_shows_the_hero_and_the_sections_in_polish(client, django_user_model, events):
    editor_client = type(client)()
    editor_client.force_login(make_editor(django_user_model))

    response = editor_client.get(
        reverse("wagtailadmin_pages:edit", args=[MissionPage.objects.get().pk])
    )

    soup = soup_of(response)
    labels = {
        label["for"]: collapse_spaces(label.get_text()).strip()
        for label in soup.find_all("label", attrs={"for": True})
    }
    assert labels["id_lead"].startswith("Zdanie przewodnie")
    assert labels["id_contact_action_label"].startswith("Przycisk „Napisz do nas”")
    assert labels["id_second_action_label"].startswith("Tekst drugiego przycisku")
    # The sections' blocks are described to the admin's script in JSON.
    blocks = " ".join(
        json.dumps(json.loads(element["data-w-block-data-value"]), ensure_ascii=False)
        for element in soup.select("[data-w-block-data-value]")
    )
    html = response.content.decode() + blocks
    for text in [
        "Zdanie przewodnie i przyciski",
        "Sekcje strony",
        "Najnowsze artykuły i stanowiska",
        "Manifest z celami i działaniami",
        "Ile pokazać",
        "Zostaw puste, by pokazać zwykły nagłówek.",
    ]:
        assert text in html, text


# --- Cheap to render ---------------------------------------------------------------------


def queries_for_a_fresh_render(client):
    """The queries of one render, as right after an editor publishes: nothing cached."""
    client.get("/")  # the images' sizes are made once, on the first view
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    return response, len(queries)


def test_the_home_page_costs_the_same_queries_with_few_or_many_events_and_articles(
    client, association_content
):
    index = make_event_index(association_content)
    make_event(index, title="Pierwsze", dates=[(in_days(2), in_days(2, 20))], image=picture())
    publish_article(title="Pierwszy tekst", image=picture())
    few, few_queries = queries_for_a_fresh_render(client)

    for number in range(2, 9):
        make_event(
            index,
            title=f"Wydarzenie {number}",
            dates=[(in_days(number + 2), in_days(number + 2, 20))],
            image=picture(f"Zdjęcie {number}"),
        )
        publish_article(title=f"Tekst {number}", image=picture(f"Ilustracja {number}"))
    many, many_queries = queries_for_a_fresh_render(client)

    assert len(soup_of(few).select(".card")) == 2
    assert len(soup_of(many).select(".card img.card__image[srcset]")) == 6
    assert many_queries == few_queries


# --- Existing sites ----------------------------------------------------------------------


def test_an_existing_home_page_gets_its_lead_and_sections_in_the_page_and_its_draft(
    client, django_user_model, association_content
):
    """What the migration does for a site set up before the home page had sections, where an
    editor had left a draft: the admin opens the draft, so it must get them too."""
    migration = importlib.import_module("pages.migrations.0006_home_page_sections")
    page = association_content
    page.contact_intro = "Napisz do nas przez formularz."
    revision = page.save_revision()
    MissionPage.objects.filter(pk=page.pk).update(lead="")
    revision.content = {
        key: value
        for key, value in revision.content.items()
        if key not in ("lead", "sections", "contact_action_label")
    }
    revision.save(update_fields=["content"])

    migration.compose_home_pages(apps, None)

    page = MissionPage.objects.get(pk=page.pk)
    assert page.lead == seed_lead_statement()
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert draft.contact_intro == "Napisz do nas przez formularz."
    assert draft.lead == seed_lead_statement()
    assert [block_type for block_type, _value in home_sections_of(draft)] == [
        "upcoming_events",
        "latest_articles",
        "manifesto",
        "contact",
        "share",
    ]
