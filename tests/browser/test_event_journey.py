"""A resident finds a debate, registers on the cached event page, and the board is not needed.

Real Chromium against the live server; the event page comes from the page cache and gets its
per-visitor parts (places left, CSRF and time-trap tokens, captcha) from the form's JSON.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import WIDTHS, axe_violations, describe_violations
from tests.events.factories import in_days, make_event, make_event_index
from tests.factories import run_mail_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def debate(public_site, settings):
    from pages.models import MissionPage

    # A test types faster than any human; the time trap is tested in tests/events.
    settings.CONTACT_MIN_FILL_SECONDS = 0
    index = make_event_index(MissionPage.objects.get())
    return make_event(
        index,
        dates=[{"start": in_days(10), "end": in_days(10, 20), "capacity": 2}],
        wheelchair_access=True,
        ask_accessibility_needs=True,
    )


def check_axe(page, what):
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"


def answer_captcha(page):
    from captcha.models import CaptchaStore

    key = page.locator("#formularz-zapisu input[name='captcha_0']").input_value()
    return CaptchaStore.objects.get(hashkey=key).response


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_resident_finds_the_debate_and_registers(
    new_context, debate, public_site, artifacts_dir, smtp_server, width
):
    # bypass_csp lets axe-core be injected; the site's own scripts run as they would anyway.
    page = new_context(bypass_csp=True, viewport={"width": width, "height": 900}).new_page()
    console_errors = []
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.goto(public_site + "/")
    page.get_by_role("link", name="Debata o Placu NZS").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Debata o Placu NZS")
    expect(page.locator("[data-places-left]").first).to_have_text("Zostały 2 miejsca")
    check_axe(page, "event page")
    page.screenshot(path=str(artifacts_dir / f"event-page-{width}.png"), full_page=True)

    form = page.locator("#formularz-zapisu")
    form.scroll_into_view_if_needed()
    expect(form.locator("[data-captcha]")).to_be_visible()
    form.get_by_label("Twoje imię").fill("Jan Mieszkaniec")
    form.get_by_label("Twój adres e-mail").fill("jan@example.org")
    form.get_by_label("Zgadzam się").check()
    # A wrong answer first: the form comes back with an error summary, text kept.
    form.locator("input[name='captcha_1']").fill("99")
    form.get_by_role("button", name="Zapisz się").last.click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Twoje imię")).to_have_value("Jan Mieszkaniec")
    check_axe(page, "registration page with errors")
    page.screenshot(path=str(artifacts_dir / f"event-registration-errors-{width}.png"))

    page.get_by_label("Zgadzam się").check()
    page.locator("input[name='captcha_1']").fill(answer_captcha(page))
    page.get_by_role("button", name="Zapisz się").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dziękujemy za zapis")
    check_axe(page, "registration received")
    page.screenshot(path=str(artifacts_dir / f"event-registered-{width}.png"))

    run_mail_worker()
    [message] = [m["message"] for m in smtp_server.received]
    assert message["To"] == "jan@example.org"
    assert any(p.get_content_type() == "text/calendar" for p in message.iter_attachments())
    assert console_errors == []


def test_the_index_and_registration_page_work_without_javascript(
    browser, debate, public_site, artifacts_dir
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(public_site + debate.get_parent().url)
    page.get_by_role("link", name="Debata o Placu NZS").first.click()
    page.get_by_role("link", name="Strona zapisów").first.click()
    expect(page.locator("#formularz-zapisu [data-captcha]")).to_be_visible()
    expect(page.locator("[data-places-left]")).to_have_text("Zostały 2 miejsca")
    page.screenshot(path=str(artifacts_dir / "event-registration-page-nojs.png"), full_page=True)
    context.close()


def test_event_index_and_cancel_page_have_no_axe_violations(new_context, debate, public_site):
    from events.registration_tokens import cancel_token

    page = new_context(bypass_csp=True).new_page()
    from tests.events.factories import register_directly

    registration = register_directly(debate.dates.get())
    for path in (
        debate.get_parent().url,
        f"/zapisy/{debate.dates.get().pk}/",
        f"/zapisy/rezygnacja/{cancel_token(registration)}/",
    ):
        page.goto(public_site + path)
        check_axe(page, path)
