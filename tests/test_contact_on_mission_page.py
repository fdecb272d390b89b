"""The form on the mission page: nothing per visitor in it, so the page can be cached."""

import base64
import json

import pytest
from bs4 import BeautifulSoup
from captcha.models import CaptchaStore
from django.test import Client

from contact.models import ContactMessage
from tests.factories import (
    RESIDENT,
    captcha_answer,
    collapse_spaces,
    form_fields,
    written_a_minute_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(association_content):
    return Client(enforce_csrf_checks=True)


def mission_form(response):
    return BeautifulSoup(response.content, "html.parser").find("form", id="formularz-kontaktowy")


def test_mission_page_shows_the_form_in_the_invitation_section(visitor):
    soup = BeautifulSoup(visitor.get("/").content, "html.parser")
    section = soup.find("section", class_="contact-invitation")
    form = section.find("form", id="formularz-kontaktowy")

    assert form["action"] == "/kontakt/"
    assert form["method"] == "post"
    for name in ["sender_name", "sender_email", "text", "consent", "captcha_1", "website"]:
        assert form.find(attrs={"name": name}) is not None, name
    assert "Stowarzyszenie Plac NZS, ul. Sienkiewicza 49/105" in collapse_spaces(form.get_text())


def test_mission_page_holds_nothing_per_visitor_so_it_can_be_cached(visitor):
    first = visitor.get("/")
    second = visitor.get("/")

    assert CaptchaStore.objects.count() == 0
    for response in (first, second):
        assert response.status_code == 200
        assert "csrftoken" not in response.cookies
        assert "sessionid" not in response.cookies
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "Vary" not in response or "Cookie" not in response["Vary"]
    assert first.content == second.content


def test_without_javascript_the_mission_form_gives_way_to_a_link_to_the_contact_page(visitor):
    response = visitor.get("/")
    form = mission_form(response)
    soup = BeautifulSoup(response.content, "html.parser")

    # Shown instead of the form, which the no-script stylesheet hides.
    notice = form.find_previous_sibling("noscript")
    assert notice.find("a")["href"] == "/kontakt/"
    assert soup.select_one("head noscript link")["href"].endswith("css/noscript.css")
    assert form.find("fieldset", attrs={"data-captcha": True}).has_attr("hidden")
    assert form.find("script") is None, "no inline script: the page loads static/js/site.js"


def test_fresh_parts_give_a_token_and_a_new_question_and_are_never_cached(visitor):
    response = visitor.get("/kontakt/formularz.json")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    parts = json.loads(response.content)
    assert set(parts) == {"csrf_token", "form_token", "captcha"}
    assert set(parts["captcha"]) == {"key", "image_url", "width", "height", "audio_url", "alt"}
    assert CaptchaStore.objects.filter(hashkey=parts["captcha"]["key"]).count() == 1
    # The picture comes inside the answer (one request less), as a PNG.
    prefix = "data:image/png;base64,"
    assert parts["captcha"]["image_url"].startswith(prefix)
    assert (
        base64.b64decode(parts["captcha"]["image_url"][len(prefix) :])[:8] == b"\x89PNG\r\n\x1a\n"
    )
    assert "csrftoken" in response.cookies


def test_resident_sends_from_the_mission_page_with_the_fetched_parts(
    visitor, django_capture_on_commit_callbacks
):
    """What static/js/site.js does: fetch the parts, fill them in, post to /kontakt/."""
    visitor.get("/")
    parts = json.loads(visitor.get("/kontakt/formularz.json").content)
    data = {
        **RESIDENT,
        "csrfmiddlewaretoken": parts["csrf_token"],
        "form_token": written_a_minute_ago(),
        "captcha_0": parts["captcha"]["key"],
        "captcha_1": captcha_answer(parts["captcha"]["key"]),
        "website": "",
    }

    with django_capture_on_commit_callbacks() as board_mail:
        response = visitor.post("/kontakt/", data)

    assert response.status_code == 303
    assert ContactMessage.objects.get().text == RESIDENT["text"]
    assert len(board_mail) == 1


def test_a_form_sent_without_its_token_is_finished_on_the_contact_page_without_an_error(visitor):
    """The cached page's script never ran: /kontakt/ shows the text again and says what is left."""
    visitor.get("/")
    data = {**RESIDENT, "form_token": "", "captcha_0": "", "captcha_1": "", "website": ""}

    response = visitor.post("/kontakt/", data)

    assert response.status_code == 200
    text = collapse_spaces(BeautifulSoup(response.content, "html.parser").get_text())
    assert "Prawie gotowe" in text
    assert "tokenu" not in text
    again = form_fields(response)
    assert again["text"] == RESIDENT["text"]
    assert again["sender_name"] == RESIDENT["sender_name"]
    assert again["csrfmiddlewaretoken"]
    assert CaptchaStore.objects.filter(hashkey=again["captcha_0"]).exists()
    assert ContactMessage.objects.count() == 0

    again.update(captcha_1=captcha_answer(again["captcha_0"]), form_token=written_a_minute_ago())
    assert visitor.post("/kontakt/", again).status_code == 303
    assert ContactMessage.objects.get().text == RESIDENT["text"]


def test_an_out_of_date_token_is_still_explained(visitor):
    visitor.get("/")
    data = {**RESIDENT, "form_token": written_a_minute_ago(), "csrfmiddlewaretoken": "x" * 64}

    response = visitor.post("/kontakt/", data)

    assert response.status_code == 403
    text = collapse_spaces(BeautifulSoup(response.content, "html.parser").get_text())
    assert "brakowało w nim tokenu bezpieczeństwa" in text
    assert form_fields(response)["text"] == RESIDENT["text"]


def test_other_forms_keep_djangos_usual_csrf_refusal(visitor):
    response = visitor.post("/admin/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert b"formularz-kontaktowy" not in response.content
