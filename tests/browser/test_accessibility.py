"""axe-core finds no WCAG 2.1 A/AA problem on the public pages, on a phone and on a desktop."""

import pytest

from tests.browser.helpers import WIDTHS, axe_violations, describe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PUBLIC_PAGES = {
    "mission-page": "/",
    "privacy-notice": "/polityka-prywatnosci/",
    "missing-page-404": "/nie-ma-takiej-strony/",
}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_wcag_violations(
    new_context, public_site, path, width, request, artifacts_dir
):
    # The injected axe script is inline, which a strict Content-Security-Policy forbids.
    page = new_context(bypass_csp=True, viewport={"width": width, "height": 800}).new_page()
    response = page.goto(public_site + path)
    # axe on an error page would pass for the wrong reason.
    assert response.status == (404 if path == PUBLIC_PAGES["missing-page-404"] else 200)
    name = request.node.callspec.id.split("-", 1)[1]
    page.screenshot(path=artifacts_dir / f"axe-{name}.png", full_page=True)

    violations = axe_violations(page)

    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize(
    ("preference", "scrolling"), [("no-preference", "smooth"), ("reduce", "auto")]
)
def test_page_moves_only_for_visitors_who_did_not_ask_for_less_motion(
    new_context, public_site, preference, scrolling
):
    page = new_context(reduced_motion=preference).new_page()
    page.goto(public_site + "/")

    behaviour = page.evaluate("getComputedStyle(document.documentElement).scrollBehavior")
    moving = page.evaluate(
        """() => [...document.querySelectorAll("*")].filter((el) => {
            const style = getComputedStyle(el);
            return style.animationName !== "none"
                || style.transitionDuration.split(",").some((d) => parseFloat(d) > 0);
        }).length"""
    )
    assert behaviour == scrolling
    if preference == "reduce":
        assert moving == 0


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_home_page_with_events_and_articles_has_no_wcag_violations(
    new_context, public_site, width, tmp_path, settings, artifacts_dir
):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from pages.models import MissionPage
    from tests.articles.factories import publish_article
    from tests.events.factories import make_event, make_event_index

    settings.MEDIA_ROOT = tmp_path / "media"
    Image = get_image_model()
    events = make_event_index(MissionPage.objects.get())
    for title in ("Debata o zieleni", "Spacer po Placu"):
        make_event(
            events, title=title, image=Image.objects.create(title=title, file=get_test_image_file())
        )
    publish_article(title="Stanowisko w sprawie Placu")
    page = new_context(bypass_csp=True, viewport={"width": width, "height": 800}).new_page()
    page.goto(public_site + "/")
    assert page.locator(".card").count() == 3
    page.screenshot(path=artifacts_dir / f"axe-home-with-cards-{width}.png", full_page=True)

    violations = axe_violations(page)

    assert violations == [], describe_violations(violations)
