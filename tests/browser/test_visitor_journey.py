"""A visitor in a real browser: reads the mission page, shares it, copies its link."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import WIDTHS
from tests.factories import seed_lead_statement

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_visitor_reads_the_page_and_shares_it_with_its_own_address(
    page, public_site, console_errors, artifacts_dir
):
    home = public_site + "/"
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.goto(home)

    expect(page.get_by_role("heading", level=1)).to_have_text(seed_lead_statement())
    expect(page.get_by_role("heading", name="Chcemy…")).to_be_visible()
    share_box = page.get_by_role("region", name="Udostępnij")
    facebook = share_box.get_by_role("link", name="Facebook – udostępnij tę stronę")
    expect(facebook).to_be_visible()
    assert parse_qs(urlsplit(facebook.get_attribute("href")).query)["u"] == [home]
    for name in ["X", "LinkedIn", "Telegram"]:
        href = share_box.get_by_role("link", name=f"{name} – ").get_attribute("href")
        assert parse_qs(urlsplit(href).query)["url"] == [home]
    whatsapp = share_box.get_by_role("link", name="WhatsApp – ").get_attribute("href")
    assert home in parse_qs(urlsplit(whatsapp).query)["text"][0]
    mail = share_box.get_by_role("link", name="E-mail – wyślij link do tej strony").get_attribute(
        "href"
    )
    assert home in parse_qs(urlsplit(mail).query)["body"][0]
    page.screenshot(path=artifacts_dir / "mission-page-1280.png", full_page=True)
    assert console_errors == []


def test_visitor_copies_the_link_and_hears_that_it_worked(new_context, public_site, artifacts_dir):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 720})
    page.goto(public_site + "/")

    copy_button = page.get_by_role("button", name="Kopiuj link")
    expect(copy_button).to_be_visible()
    copy_button.focus()
    page.keyboard.press("Enter")

    # The share box's own live region (the contact form below has one too).
    status = page.locator("[data-share-box]").get_by_role("status")
    expect(status).to_have_text("Skopiowano link")
    assert page.evaluate("navigator.clipboard.readText()") == public_site + "/"
    page.screenshot(path=artifacts_dir / "mission-page-320.png", full_page=True)
    status.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "share-box-320.png")


def test_phone_offers_its_own_share_sheet_where_the_browser_has_one(new_context, public_site):
    context = new_context()
    # Desktop Chromium on Linux has no share sheet; this stands in for a phone's.
    context.add_init_script(
        "navigator.share = (data) => { window.sharedWith = data; return Promise.resolve(); };"
    )
    page = context.new_page()
    page.goto(public_site + "/")

    page.get_by_role("button", name="Udostępnij w aplikacji…").click()

    shared = page.evaluate("window.sharedWith")
    assert shared == {"title": "Stowarzyszenie Plac NZS", "url": public_site + "/"}


def test_without_javascript_the_share_links_work_and_the_copy_button_is_hidden(
    new_context, public_site
):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(public_site + "/")

    expect(page.get_by_role("link", name="Facebook – udostępnij tę stronę")).to_be_visible()
    expect(page.get_by_role("button", name="Kopiuj link")).to_be_hidden()
    expect(page.get_by_role("button", name="Udostępnij w aplikacji…")).to_be_hidden()
    expect(
        page.get_by_role("contentinfo").get_by_role("link", name="Polityka prywatności")
    ).to_be_visible()


def test_keyboard_user_starts_at_the_skip_link_and_sees_where_focus_is(page, public_site):
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 720})
    page.goto(public_site + "/")

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Przejdź do treści")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    outline = skip_link.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in {"none", ""}
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_without_javascript_the_home_page_leads_to_events_articles_and_the_contact_page(
    new_context, public_site
):
    from pages.models import MissionPage
    from tests.articles.factories import publish_article
    from tests.events.factories import make_event, make_event_index

    home = MissionPage.objects.get()
    make_event(make_event_index(home), title="Debata o zieleni")
    publish_article(title="Stanowisko w sprawie Placu")
    page = new_context(java_script_enabled=False).new_page()
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 720})
    page.goto(public_site + "/")

    expect(page.get_by_role("heading", level=1)).to_have_text(seed_lead_statement())
    expect(page.get_by_role("link", name="Debata o zieleni")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Napisz do nas", exact=True).click()
    assert page.url == public_site + "/#napisz"
    expect(page.get_by_role("heading", name="Pytania do nas? Napisz!")).to_be_in_viewport()
    page.get_by_role("link", name="Napisz do nas na stronie kontaktowej").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pytania do nas? Napisz!")

    page.go_back()
    page.get_by_role("link", name="Stanowisko w sprawie Placu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stanowisko w sprawie Placu")
