"""Visitors on the pages beyond the first: every content block, the association's data, the
support page, the menu on a phone without JavaScript, and the two-click video."""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.helpers import WIDTHS, axe_violations, describe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = {
    "every-block": "/przyklad-1/",
    "association-data": "/o-stowarzyszeniu/dane/",
    "support": "/wesprzyj-nas/",
    "about-section": "/o-stowarzyszeniu/",
}


@pytest.fixture
def demo_site(public_site, settings, tmp_path):
    """The site after `make run` and `manage.py seed_demo_content`."""
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    call_command("seed_demo_content", "--pages", "3", "--events", "0", "--articles", "0")
    settings.DEBUG = False
    return public_site


def serve_media_and_nothing_from_elsewhere(page, site, media_root):
    """Uploaded files come from MEDIA_ROOT (the live server serves none with DEBUG off); any
    request to another host is refused, so a test can never reach YouTube."""
    host = urlsplit(site).netloc

    def handle(route):
        url = urlsplit(route.request.url)
        if url.netloc != host:
            return route.abort()
        if url.path.startswith("/media/"):
            return route.fulfill(path=str(media_root / url.path.removeprefix("/media/")))
        return route.continue_()

    page.route("**/*", handle)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_new_pages_have_no_wcag_violations(
    new_context, demo_site, settings, path, width, request, artifacts_dir
):
    page = new_context(bypass_csp=True, viewport={"width": width, "height": 900}).new_page()
    serve_media_and_nothing_from_elsewhere(page, demo_site, settings.MEDIA_ROOT)
    response = page.goto(demo_site + path)
    assert response.status == 200
    name = request.node.callspec.id.split("-", 1)[1]
    page.screenshot(path=artifacts_dir / f"axe-{name}.png", full_page=True)
    # A wide page would make a phone scroll sideways (WCAG 1.4.10).
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    violations = axe_violations(page)

    assert violations == [], describe_violations(violations)


def test_phone_visitor_without_javascript_reaches_every_menu_page(
    new_context, demo_site, artifacts_dir
):
    context = new_context(
        java_script_enabled=False, viewport={"width": WIDTHS["phone"], "height": 800}
    )
    page = context.new_page()
    page.goto(demo_site + "/")

    # No form that cannot succeed, and no error: a plain way to the full form instead.
    expect(page.locator("#formularz-kontaktowy")).to_be_hidden()
    write = page.get_by_role("link", name="Napisz do nas na stronie kontaktowej")
    expect(write).to_be_visible()
    expect(page.locator(".error-summary, .form-notice:visible")).to_have_count(0)
    page.screenshot(path=artifacts_dir / "no-js-home-320.png", full_page=True)

    menu = page.get_by_role("navigation", name="Menu główne")
    titles = menu.locator(".site-nav__fold a").all_text_contents()
    assert "O stowarzyszeniu" in titles and "Wesprzyj nas" in titles
    for title in titles:
        page.goto(demo_site + "/")
        toggle = page.locator(".site-nav__toggle")
        toggle.focus()
        page.keyboard.press("Enter")  # details opens by keyboard, without a script
        link = menu.locator(".site-nav__fold").get_by_role("link", name=title, exact=True)
        expect(link).to_be_visible()
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.locator(".site-nav__fold a[aria-current=page]")).to_have_text(title)
    page.screenshot(path=artifacts_dir / "no-js-menu-page-320.png", full_page=True)

    write_page = page.goto(demo_site + "/")
    assert write_page.status == 200
    page.get_by_role("link", name="Napisz do nas na stronie kontaktowej").click()
    expect(page.locator("#formularz-kontaktowy")).to_be_visible()
    expect(page.locator(".form-notice")).to_have_count(0)


def test_video_loads_nothing_until_played_then_the_privacy_player(
    new_context, demo_site, settings, artifacts_dir
):
    page = new_context(viewport={"width": WIDTHS["desktop"], "height": 900}).new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    serve_media_and_nothing_from_elsewhere(page, demo_site, settings.MEDIA_ROOT)
    page.goto(demo_site + PAGES["every-block"])

    play = page.get_by_role("button", name="Odtwórz film „Przykładowy film”")
    play.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "video-before-play.png")
    assert not [url for url in requested if "youtube" in url or "vimeo" in url]
    play.click()

    player = page.locator("iframe.video__player")
    expect(player).to_have_attribute("title", "Przykładowy film")
    assert player.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")


def test_breadcrumbs_lead_back_up_from_the_data_page(page, demo_site):
    page.goto(demo_site + PAGES["association-data"])
    crumbs = page.get_by_role("navigation", name="Ścieżka nawigacji").get_by_role("link")
    expect(crumbs).to_have_text(["Strona główna", "O stowarzyszeniu", "Dane stowarzyszenia"])
    expect(crumbs.last).to_have_attribute("aria-current", "page")
