"""The contact form in a real browser (Chromium): what static/js/site.js adds to it."""

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import expect

from contact.models import ContactMessage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site(public_site, settings):
    # A browser driven by a test types faster than the time trap allows.
    settings.CONTACT_MIN_FILL_SECONDS = 0
    return public_site


def fill_in(page, name="Anna Mieszkanka", text="Kiedy będzie spotkanie?"):
    page.get_by_label("Twoje imię i nazwisko").fill(name)
    page.get_by_label("Twój adres e-mail").fill("anna@example.org")
    page.get_by_label("Twoje pytanie").fill(text)
    page.get_by_label("Wyrażam zgodę").check()


def answer_the_question(page):
    key = page.locator("input[name=captcha_0]").input_value()
    page.get_by_label("Wynik działania").fill(CaptchaStore.objects.get(hashkey=key).response)


def test_resident_writes_from_the_mission_page_with_javascript(site, page):
    page.goto(site + "/")
    page.locator("#formularz-kontaktowy").scroll_into_view_if_needed()
    page.locator("img[data-captcha-image]").wait_for()

    fill_in(page)
    answer_the_question(page)
    page.get_by_role("button", name="Wyślij pytanie").click()

    page.wait_for_url("**/kontakt/dziekujemy/")
    assert "Twoje pytanie dotarło do stowarzyszenia." in page.locator("main").inner_text()
    assert ContactMessage.objects.get().text == "Kiedy będzie spotkanie?"


def test_error_summary_takes_the_focus_and_links_to_the_field(site, page):
    page.goto(site + "/kontakt/")
    page.get_by_label("Twoje imię i nazwisko").fill("Anna")
    page.get_by_role("button", name="Wyślij pytanie").click()

    page.locator("#bledy-formularza").wait_for()
    assert page.evaluate("document.activeElement.id") == "bledy-formularza"
    page.get_by_role("link", name="Twój adres e-mail: Wpisz adres e-mail").click()
    assert page.evaluate("document.activeElement.id") == "id_sender_email"
    assert page.get_by_label("Twoje imię i nazwisko").input_value() == "Anna"


def test_new_question_swaps_the_picture_without_losing_the_text(site, page):
    page.goto(site + "/kontakt/")
    fill_in(page, text="Pytanie, którego nie chcę pisać dwa razy.")
    page.evaluate("window.stillTheSamePage = true")
    old_key = page.locator("input[name=captcha_0]").input_value()

    page.get_by_role("button", name="Nowe pytanie").click()

    # A locator assertion, not wait_for_function: polling a string predicate needs eval,
    # which the site's Content-Security-Policy rightly refuses.
    expect(page.locator("input[name=captcha_0]")).not_to_have_value(old_key)
    assert page.evaluate("window.stillTheSamePage") is True
    assert "Wyświetlono nowe pytanie." in page.locator("[data-captcha-status]").inner_text()
    assert page.get_by_label("Twoje pytanie").input_value() == (
        "Pytanie, którego nie chcę pisać dwa razy."
    )
    answer_the_question(page)
    page.get_by_role("button", name="Wyślij pytanie").click()
    page.wait_for_url("**/kontakt/dziekujemy/")


def test_pressing_enter_in_the_name_field_sends_the_form(site, page):
    page.goto(site + "/kontakt/")
    fill_in(page)
    answer_the_question(page)

    page.get_by_label("Twoje imię i nazwisko").press("Enter")

    page.wait_for_url("**/kontakt/dziekujemy/")
    assert ContactMessage.objects.count() == 1


def test_the_form_fits_a_320_pixel_wide_screen(site, page):
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ["/kontakt/", "/"]:
        page.goto(site + path)
        page.locator("#formularz-kontaktowy").scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
