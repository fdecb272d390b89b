"""A resident writes to the association with the keyboard only, in a real browser.

The form at /kontakt/ (fields sender_name, sender_email, text, consent, captcha_0/captcha_1),
the thank-you page at /kontakt/dziekujemy/, and the e-mail to the board through the real mail
worker and the SMTP server of tests/conftest.py's smtp_server fixture.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import WIDTHS, axe_violations, describe_violations
from tests.factories import run_mail_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIELDS_IN_ORDER = ["sender_name", "sender_email", "text", "consent", "captcha_1"]
RESIDENT = {
    "sender_name": "Anna Mieszkanka",
    "sender_email": "anna@example.org",
    "text": "Dzień dobry,\nczy na Placu NZS stanie nowa ławka?\nPozdrawiam, Anna",
}
BOARD = "zarzad@example.org"


@pytest.fixture
def contact_site(public_site, settings):
    from wagtail.models import Site

    from pages.models import AssociationSettings

    association = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    association.board_recipients = BOARD
    association.save()
    # A keyboard-only resident in a test types faster than any human; the time trap
    # (CONTACT_MIN_FILL_SECONDS) is about bots and is tested in the contact tests.
    settings.CONTACT_MIN_FILL_SECONDS = 0
    return public_site


def captcha_answer(page):
    from captcha.models import CaptchaStore

    key = page.locator("input[name='captcha_0']").input_value()
    return CaptchaStore.objects.get(hashkey=key).response


def wrong_answer_to(answer):
    return str(int(answer) + 1) if answer.isdigit() else answer + "x"


def tab_to(page, name, limit=60):
    """Press Tab until the field called `name` has the focus; return the fields passed by."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('name')")
        passed.append(focused)
        if focused == name:
            return passed
    raise AssertionError(f"Tab never reached {name!r}; focus went through {passed}")


def fill_by_keyboard(page, answer):
    tab_to(page, "sender_name")
    page.keyboard.type(RESIDENT["sender_name"])
    order = ["sender_name"]
    for field in FIELDS_IN_ORDER[1:]:
        order += [f for f in tab_to(page, field) if f in FIELDS_IN_ORDER]
        if field == "consent":
            page.keyboard.press("Space")
        elif field == "captcha_1":
            page.keyboard.type(answer)
        else:
            page.keyboard.type(RESIDENT[field])
    assert order == FIELDS_IN_ORDER, "the fields are reached by Tab in reading order"


def test_resident_writes_by_keyboard_survives_a_wrong_answer_and_reaches_the_board(
    page, contact_site, smtp_server, artifacts_dir
):
    from contact.models import ContactMessage

    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    assert page.goto(contact_site + "/kontakt/").ok, "the contact form lives at /kontakt/"

    for field in FIELDS_IN_ORDER:
        labels = page.locator(f"[name='{field}']").evaluate(
            "el => [...el.labels].map((label) => label.textContent.trim())"
        )
        assert labels and all(labels), f"{field} has a visible label"
    alt = page.locator("img[src*='/captcha/']").first.get_attribute("alt") or ""
    assert alt.strip(), "the captcha picture has a text alternative"
    spoken = page.locator("a[href*='/captcha/audio/'], [data-captcha-audio][href]")
    assert spoken.count() or any(c.isdigit() for c in alt), "and a non-visual alternative"

    # A wrong answer: everything typed stays, the error is announced and gets the focus.
    fill_by_keyboard(page, wrong_answer_to(captcha_answer(page)))
    first_challenge = page.locator("input[name='captcha_0']").input_value()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator("[name='sender_name']")).to_have_value(RESIDENT["sender_name"])
    expect(page.locator("[name='sender_email']")).to_have_value(RESIDENT["sender_email"])
    expect(page.locator("[name='text']")).to_have_value(RESIDENT["text"])
    expect(page.locator("[name='consent']")).to_be_checked()
    expect(page.locator("[name='captcha_1']")).to_have_value("")
    expect(page.locator("[name='captcha_1']")).to_have_attribute("aria-invalid", "true")
    assert page.locator("input[name='captcha_0']").input_value() != first_challenge
    focused = page.locator(":focus")
    expect(focused).to_be_visible()
    announced = focused.evaluate(
        """el => (el.getAttribute("role") === "alert" || el.closest("[role=alert]") !== null
                  || el.tabIndex === -1) ? el.textContent.trim() : ""
        """
    )
    assert announced, "the error summary is focused (and so read out)"
    assert ContactMessage.objects.count() == 0
    page.screenshot(path=artifacts_dir / "contact-form-error-320.png", full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.screenshot(path=artifacts_dir / "contact-form-error-1280.png", full_page=True)

    # The right answer: only the captcha needs typing again.
    page.locator("[name='captcha_1']").focus()
    page.keyboard.type(captcha_answer(page))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page).to_have_url(contact_site + "/kontakt/dziekujemy/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("dotarło")
    page.screenshot(path=artifacts_dir / "contact-thanks-1280.png", full_page=True)

    message = ContactMessage.objects.get()
    assert (message.sender_name, message.sender_email) == (
        RESIDENT["sender_name"],
        RESIDENT["sender_email"],
    )
    assert message.text.replace("\r\n", "\n") == RESIDENT["text"]
    assert message.consent_given and not message.is_spam

    run_mail_worker()
    assert len(smtp_server.received) == 1
    delivered = smtp_server.received[0]
    assert delivered["rcpt_tos"] == [BOARD]
    sent = delivered["message"]
    body = sent.get_body(preferencelist=("plain",)).get_content()
    assert "czy na Placu NZS stanie nowa ławka?" in body
    # The board answers with "Reply": the header alone must name the resident (the body
    # quotes the address too, so it proves nothing).
    assert sent["Reply-To"] is not None, "no Reply-To header"
    assert [(a.display_name, a.addr_spec) for a in sent["Reply-To"].addresses] == [
        (RESIDENT["sender_name"], RESIDENT["sender_email"])
    ]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_contact_form_has_no_wcag_violations_in_its_error_and_thank_you_states(
    new_context, contact_site, width
):
    page = new_context(bypass_csp=True, viewport={"width": width, "height": 800}).new_page()
    assert page.goto(contact_site + "/kontakt/").ok, "the contact form lives at /kontakt/"
    violations = axe_violations(page)
    assert violations == [], "empty form:\n" + describe_violations(violations)

    page.locator("[name='sender_name']").fill(RESIDENT["sender_name"])
    page.locator("[name='sender_email']").fill(RESIDENT["sender_email"])
    page.locator("[name='text']").fill(RESIDENT["text"])
    page.locator("[name='consent']").check()
    page.locator("[name='captcha_1']").fill(wrong_answer_to(captcha_answer(page)))
    with page.expect_navigation():
        page.locator("[name='captcha_1']").press("Enter")
    expect(page.locator("[name='captcha_1']")).to_have_attribute("aria-invalid", "true")
    violations = axe_violations(page)
    assert violations == [], "error state:\n" + describe_violations(violations)

    page.locator("[name='captcha_1']").fill(captcha_answer(page))
    with page.expect_navigation():
        page.locator("[name='captcha_1']").press("Enter")
    expect(page).to_have_url(contact_site + "/kontakt/dziekujemy/")
    violations = axe_violations(page)
    assert violations == [], "thank-you state:\n" + describe_violations(violations)
