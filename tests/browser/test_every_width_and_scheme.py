"""The main pages at every width and in both colour schemes: nothing moves, nothing scrolls
sideways, axe finds nothing, and screenshots are left in test-artifacts/ for people to look at.

Each page is loaded once, on a phone in the light scheme (where the layout shift is measured);
then the same tab is widened and switched to the dark scheme, which needs no reload.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, describe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREEN_WIDTHS = (320, 768, 1280)
SCHEMES = ("light", "dark")
AXE_WIDTHS = (320, 1280)

# Adds up every layout shift not caused by the visitor (what Cumulative Layout Shift counts).
MEASURE_LAYOUT_SHIFT = """
    window.layoutShift = 0;
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
            if (!entry.hadRecentInput) { window.layoutShift += entry.value; }
        }
    }).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture
def lived_in_site(public_site, settings, tmp_path):
    """The site with what a living association has: events coming up, articles, a position."""
    from articles.demo import seed_articles
    from pages.models import MissionPage
    from tests.articles.factories import publish_position_on_sources
    from tests.events.factories import in_days, make_event, make_event_index

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONTACT_MIN_FILL_SECONDS = 0
    index = make_event_index(MissionPage.objects.get())
    make_event(index, title="Sprzątanie Placu NZS", dates=[(in_days(5), in_days(5, 20))])
    make_event(
        index,
        dates=[{"start": in_days(10), "end": in_days(10, 20), "capacity": 30}],
        wheelchair_access=True,
        organiser="Stowarzyszenie Plac NZS",
    )
    seed_articles(3)
    publish_position_on_sources()
    return public_site


def open_contact_form_with_errors(page, site):
    page.goto(site + "/kontakt/")
    page.get_by_role("button", name="Wyślij pytanie").last.click()
    expect(page.locator(".error-summary")).to_be_visible()


PAGES = {
    "home": "/",
    "event": "/wydarzenia/debata-o-placu-nzs/",
    "article": "/aktualnosci/stanowisko-w-sprawie-zrodel/",
    "contact-errors": open_contact_form_with_errors,
    "404": "/nie-ma-takiej-strony/",
}


@pytest.mark.parametrize("name", PAGES.keys())
def test_page_holds_still_fits_a_phone_and_passes_axe_in_both_schemes(
    new_context, lived_in_site, name, artifacts_dir
):
    # bypass_csp lets axe-core be injected; the site's own scripts run as they would anyway.
    context = new_context(
        bypass_csp=True, viewport={"width": 320, "height": 720}, color_scheme="light"
    )
    context.add_init_script(MEASURE_LAYOUT_SHIFT)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    target = PAGES[name]
    if callable(target):
        target(page, lived_in_site)
    else:
        response = page.goto(lived_in_site + target)
        assert response.status == (404 if name == "404" else 200)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # a shift reported just after the last request still counts
    assert page.evaluate("window.layoutShift") == 0, "something moved after it was drawn"

    problems = []
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        for width in SCREEN_WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                problems.append(f"{scheme} {width}px: {scroll_width}px wide, scrolls sideways")
            page.screenshot(
                path=artifacts_dir / f"look-{name}-{width}-{scheme}.png", full_page=True
            )
            if width in AXE_WIDTHS:
                violations = axe_violations(page)
                if violations:
                    problems.append(f"{scheme} {width}px:\n{describe_violations(violations)}")
    assert problems == [], "\n".join(problems)
    assert errors == []
    if name in ("event", "article"):
        check_paper(page, name, artifacts_dir)


def check_paper(page, name, artifacts_dir):
    """Printed from a dark screen: black on white, no menu or forms, links with their address."""
    page.emulate_media(media="print", color_scheme="dark")
    page.set_viewport_size({"width": 768, "height": 900})
    page.screenshot(path=artifacts_dir / f"look-{name}-print.png", full_page=True)
    looks = page.evaluate(
        """() => {
            const style = (selector, pseudo) => {
                const element = document.querySelector(selector);
                return element && getComputedStyle(element, pseudo);
            };
            const shown = (selector) => [...document.querySelectorAll(selector)]
                .filter((element) => element.getClientRects().length).length;
            return {
                text: style("body").color,
                paper: style("body").backgroundColor,
                hidden: shown(".site-nav, .site-header__cta, .breadcrumbs, form, #zapisy"),
                address: style("main a[href^='/']", "::after").content,
                href: document.querySelector("main a[href^='/']").getAttribute("href"),
            };
        }"""
    )
    assert (looks["text"], looks["paper"]) == ("rgb(0, 0, 0)", "rgb(255, 255, 255)")
    assert looks["hidden"] == 0
    assert "attr(href)" in looks["address"] or looks["href"] in looks["address"]
