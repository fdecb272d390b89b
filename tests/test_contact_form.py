"""A resident asks the association a question through the contact form."""

import pytest
from bs4 import BeautifulSoup
from captcha.models import CaptchaStore
from django.test import Client
from wagtail.models import Site

from contact.consent import clause_version, default_clause
from contact.models import ContactMessage, ContactSettings
from pages.models import ContentPage
from tests.factories import RESIDENT, collapse_spaces, fill_in_contact_form, form_fields

pytestmark = pytest.mark.django_db

CONTACT_URL = "/kontakt/"


@pytest.fixture
def visitor(association_content):
    """A visitor's browser: CSRF is checked exactly as in production."""
    return Client(enforce_csrf_checks=True)


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def text_of(response):
    return collapse_spaces(soup_of(response).get_text())


def error_summary(response):
    summary = soup_of(response).find(id="bledy-formularza")
    return collapse_spaces(summary.get_text()) if summary else ""


def test_resident_sends_a_question_and_it_is_stored_once(
    visitor, django_capture_on_commit_callbacks
):
    page = visitor.get(CONTACT_URL)

    with django_capture_on_commit_callbacks() as board_mail:
        response = visitor.post(CONTACT_URL, fill_in_contact_form(page))

    assert response.status_code == 303
    assert response["Location"] == "/kontakt/dziekujemy/"
    message = ContactMessage.objects.get()
    assert message.sender_name == RESIDENT["sender_name"]
    assert message.sender_email == RESIDENT["sender_email"]
    assert message.text == RESIDENT["text"]
    assert message.consent_given is True
    assert message.consent_clause_version == clause_version(
        default_clause(Site.objects.get(is_default_site=True))
    )
    assert not message.is_spam
    assert message.delivery_state == ContactMessage.DeliveryState.PENDING
    assert len(board_mail) == 1, "the board e-mail is queued once, after the commit"


def test_thank_you_page_says_the_question_reached_the_association(visitor):
    page = visitor.get(CONTACT_URL)
    response = visitor.post(CONTACT_URL, fill_in_contact_form(page), follow=True)

    assert response.status_code == 200
    assert "Twoje pytanie dotarło do stowarzyszenia." in text_of(response)


def test_reloading_the_thank_you_page_sends_nothing_again(visitor):
    page = visitor.get(CONTACT_URL)
    visitor.post(CONTACT_URL, fill_in_contact_form(page), follow=True)

    reloaded = visitor.get("/kontakt/dziekujemy/")

    assert reloaded.status_code == 200
    assert ContactMessage.objects.count() == 1


def test_contact_page_is_never_cached(visitor):
    response = visitor.get(CONTACT_URL)

    cache_control = response["Cache-Control"]
    for directive in ("private", "no-cache", "no-store"):
        assert directive in cache_control


def test_form_speaks_polish_and_says_the_length_limit(visitor):
    text = text_of(visitor.get(CONTACT_URL))

    for phrase in [
        "Twoje imię i nazwisko",
        "Twój adres e-mail",
        "Twoje pytanie",
        "Najwyżej 5000 znaków.",
        "Pytanie zabezpieczające",
        "Nowe pytanie",
        "Wyślij pytanie",
        "Stowarzyszenie Plac NZS, ul. Sienkiewicza 49/105, 15-002 Białystok",
        "24 miesiące",
    ]:
        assert phrase in text, phrase


def test_resident_sees_their_text_again_after_a_wrong_answer(visitor):
    page = visitor.get(CONTACT_URL)
    sent = fill_in_contact_form(page, answer="99")

    response = visitor.post(CONTACT_URL, sent)

    assert response.status_code == 200
    assert "To nie jest prawidłowy wynik." in error_summary(response)
    again = form_fields(response)
    assert again["sender_name"] == RESIDENT["sender_name"]
    assert again["sender_email"] == RESIDENT["sender_email"]
    assert again["text"] == RESIDENT["text"]
    assert again["consent"] == "on"
    assert again["captcha_1"] == "", "only the answer is cleared"
    assert again["captcha_0"] != sent["captcha_0"], "a new question is shown"
    assert ContactMessage.objects.count() == 0


def test_a_wrong_answer_uses_up_the_question(visitor):
    page = visitor.get(CONTACT_URL)
    sent = fill_in_contact_form(page, answer="99")
    right_answer = CaptchaStore.objects.get(hashkey=sent["captcha_0"]).response

    visitor.post(CONTACT_URL, sent)

    assert not CaptchaStore.objects.filter(hashkey=sent["captcha_0"]).exists()
    retry = visitor.post(CONTACT_URL, {**sent, "captcha_1": right_answer})
    assert retry.status_code == 200
    assert "To pytanie wygasło albo zostało już użyte" in error_summary(retry)
    assert ContactMessage.objects.count() == 0


def test_an_expired_question_is_refused_and_the_text_kept(visitor):
    page = visitor.get(CONTACT_URL)
    sent = fill_in_contact_form(page)
    CaptchaStore.objects.filter(hashkey=sent["captcha_0"]).update(expiration="2000-01-01T00:00:00Z")

    response = visitor.post(CONTACT_URL, sent)

    assert response.status_code == 200
    assert "ważne 10 minut" in error_summary(response)
    assert form_fields(response)["text"] == RESIDENT["text"]
    assert ContactMessage.objects.count() == 0


def test_a_replayed_answer_is_refused(visitor):
    page = visitor.get(CONTACT_URL)
    sent = fill_in_contact_form(page)
    assert visitor.post(CONTACT_URL, sent).status_code == 303

    replay = visitor.post(CONTACT_URL, sent)

    assert replay.status_code == 200
    assert "zostało już użyte" in error_summary(replay)
    assert form_fields(replay)["text"] == RESIDENT["text"]
    assert ContactMessage.objects.count() == 1


def test_every_missing_field_is_named_at_the_top_and_next_to_the_field(visitor):
    page = visitor.get(CONTACT_URL)
    data = form_fields(page)

    response = visitor.post(CONTACT_URL, data)

    assert response.status_code == 200
    soup = soup_of(response)
    summary = soup.find(id="bledy-formularza")
    assert summary["tabindex"] == "-1"
    links = {a["href"]: collapse_spaces(a.get_text()) for a in summary.find_all("a")}
    assert links == {
        "#id_sender_name": "Twoje imię i nazwisko: Wpisz swoje imię i nazwisko.",
        "#id_sender_email": "Twój adres e-mail: Wpisz adres e-mail, na który mamy odpowiedzieć.",
        "#id_text": "Twoje pytanie: Napisz swoje pytanie.",
        "#id_consent": (
            "Zgoda na przetwarzanie danych: Zaznacz zgodę – bez niej nie możemy przyjąć pytania."
        ),
        "#id_captcha_1": "Wynik działania: Wpisz wynik działania.",
    }
    for anchor in links:
        field = soup.find(id=anchor[1:])
        assert field is not None, anchor
        assert field["aria-invalid"] == "true"
        error_id = field["aria-describedby"].split()[-1]
        assert soup.find(id=error_id).get_text().strip().startswith("Błąd:")
    assert ContactMessage.objects.count() == 0


def test_a_message_over_the_limit_is_refused_but_kept_in_the_form(visitor):
    page = visitor.get(CONTACT_URL)
    too_long = "Ź" * 5001

    response = visitor.post(CONTACT_URL, fill_in_contact_form(page, text=too_long))

    assert "najwyżej 5000 znaków (ma 5001)" in error_summary(response)
    assert form_fields(response)["text"] == too_long
    assert ContactMessage.objects.count() == 0


def test_line_breaks_count_as_one_character_like_in_the_browser(visitor):
    page = visitor.get(CONTACT_URL)
    text = "a\r\n" * 2500  # 7500 bytes sent, 5000 characters typed

    response = visitor.post(CONTACT_URL, fill_in_contact_form(page, text=text.rstrip("\r\n")))

    assert response.status_code == 303
    assert ContactMessage.objects.get().text == ("a\n" * 2500).rstrip("\n")


@pytest.mark.parametrize("name", ["Anna\r\nBcc: spam@example.org", "Anna\nKowalska", "Anna\x00"])
def test_a_name_with_line_breaks_is_refused_with_a_clear_message(visitor, name):
    page = visitor.get(CONTACT_URL)

    response = visitor.post(CONTACT_URL, fill_in_contact_form(page, sender_name=name))

    assert response.status_code == 200
    assert "Twoje imię i nazwisko:" in error_summary(response)
    assert ContactMessage.objects.count() == 0


def test_an_email_address_with_line_breaks_is_refused(visitor):
    page = visitor.get(CONTACT_URL)

    response = visitor.post(
        CONTACT_URL,
        fill_in_contact_form(page, sender_email="anna@example.org\r\nBcc: spam@example.org"),
    )

    assert response.status_code == 200
    assert "Twój adres e-mail: Wpisz adres e-mail taki jak" in error_summary(response)
    assert ContactMessage.objects.count() == 0


def test_a_null_character_in_the_message_is_refused_not_a_server_error(visitor):
    page = visitor.get(CONTACT_URL)

    response = visitor.post(CONTACT_URL, fill_in_contact_form(page, text="Pytanie\x00"))

    assert response.status_code == 200
    assert "Twoje pytanie:" in error_summary(response)


def test_a_script_in_the_message_is_stored_as_typed_and_shown_escaped(visitor):
    script = '<script>alert("x")</script> Czy to działa?'
    page = visitor.get(CONTACT_URL)

    shown = visitor.post(CONTACT_URL, fill_in_contact_form(page, answer="99", text=script))

    assert '<script>alert("x")</script>' not in shown.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in shown.content.decode()
    assert form_fields(shown)["text"] == script
    visitor.post(CONTACT_URL, fill_in_contact_form(shown, text=script))
    assert ContactMessage.objects.get().text == script


def test_new_question_without_javascript_keeps_the_text_and_stores_nothing(visitor):
    page = visitor.get(CONTACT_URL)
    typed = fill_in_contact_form(page, answer="", new_question="1")

    response = visitor.post(CONTACT_URL, typed)

    assert response.status_code == 200
    assert error_summary(response) == ""
    again = form_fields(response)
    assert again["text"] == RESIDENT["text"]
    assert again["sender_email"] == RESIDENT["sender_email"]
    assert again["captcha_0"] != typed["captcha_0"]
    assert not CaptchaStore.objects.filter(hashkey=typed["captcha_0"]).exists()
    assert CaptchaStore.objects.filter(hashkey=again["captcha_0"]).exists()
    assert again["form_token"] == typed["form_token"], "the time trap keeps the first visit"
    assert ContactMessage.objects.count() == 0

    sent = visitor.post(CONTACT_URL, fill_in_contact_form(response))
    assert sent.status_code == 303


def test_enter_in_a_text_field_sends_rather_than_asking_a_new_question(visitor):
    form = soup_of(visitor.get(CONTACT_URL)).find("form", id="formularz-kontaktowy")
    first_submit = form.find("button", type="submit")
    assert first_submit.get("name") is None, "the visitor's default button must send the form"


def test_clause_edited_in_the_settings_is_shown_and_its_version_stored(visitor):
    site = Site.objects.get(is_default_site=True)
    clause = "Administratorem danych jest Stowarzyszenie Plac NZS. Nowa wersja klauzuli."
    ContactSettings.objects.update_or_create(site=site, defaults={"consent_clause": clause})

    page = visitor.get(CONTACT_URL)
    assert clause in text_of(page)
    visitor.post(CONTACT_URL, fill_in_contact_form(page))

    stored = ContactMessage.objects.get().consent_clause_version
    assert stored == ContactSettings.for_site(site).consent_clause_version
    assert stored != clause_version(default_clause(Site.objects.get(is_default_site=True)))


def test_clause_links_to_the_privacy_notice_while_it_is_published(visitor, association_content):
    def privacy_links():
        clause = soup_of(visitor.get(CONTACT_URL)).find(id="id_consent_clause")
        return [a["href"] for a in clause.find_all("a")]

    assert privacy_links() == ["/polityka-prywatnosci/"]
    ContentPage.objects.get(slug="polityka-prywatnosci").unpublish()
    assert privacy_links() == []


def test_consent_checkbox_is_described_by_the_clause(visitor):
    soup = soup_of(visitor.get(CONTACT_URL))
    checkbox = soup.find("input", id="id_consent")
    assert checkbox["aria-describedby"] == "id_consent_clause"
    assert soup.find("label", attrs={"for": "id_consent"})


def test_the_default_clause_names_the_association_from_its_settings(visitor):
    from pages.models import AssociationSettings

    site = Site.objects.get(is_default_site=True)
    before = ContactSettings.for_site(site)
    page = visitor.get(CONTACT_URL)
    visitor.post(CONTACT_URL, fill_in_contact_form(page))
    association = AssociationSettings.for_site(site)
    association.street_address = "ul. Lipowa 1"
    association.save()

    page = visitor.get(CONTACT_URL)
    visitor.post(CONTACT_URL, fill_in_contact_form(page))

    assert "Stowarzyszenie Plac NZS, ul. Lipowa 1, 15-002 Białystok" in text_of(page)
    first, second = ContactMessage.objects.order_by("pk")
    assert first.consent_clause_version != second.consent_clause_version
    assert before.consent_clause == ""


GARBAGE = ["\r\n", "\x00", "x" * 10_000, "' OR 1=1 --", "ąę\u2028\u202e", "<script>", "%0d%0a"]


@pytest.mark.parametrize("garbage", GARBAGE)
@pytest.mark.parametrize(
    "field",
    [
        "sender_name",
        "sender_email",
        "text",
        "consent",
        "captcha_0",
        "captcha_1",
        "website",
        "form_token",
    ],
)
def test_odd_input_in_any_field_never_causes_a_server_error(visitor, field, garbage):
    page = visitor.get(CONTACT_URL)

    response = visitor.post(CONTACT_URL, fill_in_contact_form(page, **{field: garbage}))

    assert response.status_code in (200, 303)
    if response.status_code == 200 and field != "website":
        assert error_summary(response), "a clear message says what is wrong"
