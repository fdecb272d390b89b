"""The Wagtail admin under the site's script policy: no inline script is refused anywhere.

The Content-Security-Policy allows self-hosted script files only, in the admin too. Wagtail
starts many widgets (choosers, inline panels, pickers) with an inline <script>; the browser
refuses those, and the buttons they drive do nothing. Here a superuser opens every edit and
create view the association uses, and the browser reports each refusal.
"""

import pytest
from playwright.sync_api import expect

from tests.factories import admin_form_views, make_editor, one_of_everything_editors_edit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "haslo-redaktora-123"

# Recorded by the browser before any of the page's own code runs; Playwright's init scripts
# are not subject to the page's policy.
RECORD_REFUSALS = """
window.__refusals = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__refusals.push(
        `${event.effectiveDirective} refused ${event.blockedURI || "inline"} `
        + `at ${event.sourceFile}:${event.lineNumber}: `
        + (event.target.textContent || event.sample || "").trim().slice(0, 100)
    );
});
"""


def log_in(page, site, username):
    page.goto(site + "/admin/")
    page.get_by_label("Nazwa użytkownika").fill(username)
    # Wagtail 8.0 ships this one label untranslated ("Password"); the field itself is stable.
    page.locator("input[name='password']").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="administratorka", email="administratorka@example.org", password=PASSWORD
    )


def refusals_in(page):
    """What the browser refused on this page (Wagtail's image cropper excepted, see below)."""
    return [
        refusal
        for refusal in page.evaluate("window.__refusals")
        # jQuery Jcrop (Wagtail's focal point tool) asks whether the browser knows touch
        # events by setting ontouchstart="return;" on a detached <div> when the `in` test
        # says no. The policy refuses the handler, and the answer stays the right one: no.
        if not ("script-src-attr" in refusal and "jquery.Jcrop" in refusal)
    ]


def test_no_admin_view_has_its_scripts_refused(
    page, public_site, django_user_model, tmp_path, settings, console_errors
):
    from wagtail.models import Site

    settings.MEDIA_ROOT = tmp_path / "media"
    things = one_of_everything_editors_edit()
    superuser(django_user_model)
    uncaught = []
    page.on("pageerror", lambda error: uncaught.append(error.stack or str(error)))
    page.add_init_script(RECORD_REFUSALS)
    log_in(page, public_site, "administratorka")

    refused = {}
    for path in admin_form_views(things, Site.objects.get(is_default_site=True).pk):
        response = page.goto(public_site + path)
        if not response.ok or response.url != public_site + path:
            refused[path] = [f"answered {response.status} at {response.url}"]
        elif refusals := refusals_in(page):
            refused[path] = refusals
    assert refused == {}, "\n".join(
        f"{path}:\n    " + "\n    ".join(refusals) for path, refusals in refused.items()
    )
    # Nothing a starter could not start (admin-widgets.js says so) and no script failing.
    assert [error for error in console_errors if "admin-widgets" in error] == []
    assert uncaught == []

    # A date added in the event editor arrives from the inline panel's template, after the
    # page has loaded; its start, end and registration deadline get their pickers too.
    page.goto(public_site + f"/admin/pages/{things['event'].pk}/edit/")
    pickers = page.locator(".xdsoft_datetimepicker")
    before = pickers.count()
    page.locator("#id_dates-ADD").click()
    expect(page.locator("#id_dates-1-start")).to_be_visible()
    expect(pickers).to_have_count(before + 3)
    assert refusals_in(page) == []


def test_editor_gives_an_article_an_image_and_an_attachment_through_the_choosers(
    page, public_site, django_user_model, tmp_path, settings, console_errors
):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from tests.articles.factories import make_pdf, publish_article

    settings.MEDIA_ROOT = tmp_path / "media"
    get_image_model().objects.create(
        title="Zieleń na Placu NZS", file=get_test_image_file(size=(1200, 800))
    )
    make_pdf(title="Stanowisko w sprawie zieleni")
    make_pdf(title="Plan zieleni na Placu NZS", filename="plan.pdf")
    article = publish_article(title="Zieleń wraca na plac")
    make_editor(django_user_model, username="redaktorka")
    page.add_init_script(RECORD_REFUSALS)
    log_in(page, public_site, "redaktorka")

    page.goto(public_site + f"/admin/pages/{article.pk}/edit/")
    page.locator("#id_image-chooser .chooser__choose-button").click()
    page.get_by_role("link", name="Zieleń na Placu NZS").click()
    expect(page.locator("#id_image")).not_to_have_value("")
    # The attachment's form and its document chooser come from the inline panel's template.
    page.locator("#id_attachments-ADD").click()
    page.locator("#id_attachments-0-document-chooser .chooser__choose-button").click()
    page.get_by_role("link", name="Stanowisko w sprawie zieleni").click()
    expect(page.locator("#id_attachments-0-document")).not_to_have_value("")
    # A block in the body: its chooser is drawn by Wagtail's script from data (telepath).
    page.locator(".c-sf-add-button").last.click()
    page.get_by_role("option", name="Dokument").click()
    page.get_by_role("button", name="Wybierz dokument").click()
    page.get_by_role("link", name="Plan zieleni na Placu NZS").click()
    expect(page.locator(".chooser__title", has_text="Plan zieleni na Placu NZS")).to_be_visible()
    assert refusals_in(page) == []
    page.get_by_role("button", name="Więcej akcji").click()
    page.get_by_role("button", name="Opublikuj").click()
    expect(page.get_by_text("została opublikowana")).to_be_visible()

    page.goto(public_site + article.url)
    expect(page.locator(".article__image img")).to_have_attribute("alt", "Zieleń na Placu NZS")
    expect(page.locator(".document-link").get_by_role("link")).to_have_text(
        "Plan zieleni na Placu NZS"
    )
    attachments = page.locator(".article__attachments")
    expect(attachments.get_by_role("link", name="Stanowisko w sprawie zieleni")).to_be_visible()
    assert [error for error in console_errors if "Content Security Policy" in error] == []
