"""A board member edits the mission page in the real admin and sees the change on the site."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_editor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "haslo-redaktora-123"


def test_editor_changes_a_goal_publishes_and_sees_it_on_the_site(
    page, public_site, django_user_model
):
    make_editor(django_user_model, username="redaktorka")
    new_goal = "Umacniać społeczeństwo obywatelskie na Placu NZS."

    page.goto(public_site + "/admin/")
    page.get_by_label("Nazwa użytkownika").fill("redaktorka")
    # Wagtail 8.0 ships this one label untranslated ("Password"); the field itself is stable.
    page.locator("input[name='password']").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(public_site + "/admin/pages/")
    page.get_by_role("link", name="Stowarzyszenie Plac NZS", exact=True).first.click()
    page.wait_for_url("**/edit/")
    first_goal = page.locator("textarea[name='goals-0-value']")
    expect(first_goal).to_have_value("Umacniać społeczeństwo obywatelskie.")
    first_goal.fill(new_goal)
    page.get_by_role("button", name="Więcej akcji").click()
    page.get_by_role("button", name="Opublikuj").click()
    expect(page.get_by_text("została opublikowana")).to_be_visible()

    page.goto(public_site + "/")
    goals = page.get_by_role("region", name="Chcemy…").get_by_role("listitem")
    expect(goals.first).to_have_text(new_goal)


def test_editor_chooses_the_home_page_image_under_the_sites_script_policy(
    page, public_site, django_user_model, tmp_path, settings, console_errors
):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from pages.models import MissionPage

    settings.MEDIA_ROOT = tmp_path / "media"
    get_image_model().objects.create(
        title="Mieszkańcy na Placu NZS", file=get_test_image_file(size=(1200, 800))
    )
    make_editor(django_user_model, username="redaktorka")
    page.goto(public_site + "/admin/")
    page.get_by_label("Nazwa użytkownika").fill("redaktorka")
    page.locator("input[name='password']").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(public_site + f"/admin/pages/{MissionPage.objects.get().pk}/edit/")
    page.locator("#id_hero_image-chooser .chooser__choose-button").click()
    page.get_by_role("link", name="Mieszkańcy na Placu NZS").click()
    expect(page.locator("#id_hero_image")).not_to_have_value("")
    page.get_by_role("button", name="Więcej akcji").click()
    page.get_by_role("button", name="Opublikuj").click()
    expect(page.get_by_text("została opublikowana")).to_be_visible()

    page.goto(public_site + "/")
    expect(page.locator("img.hero__image")).to_have_attribute("alt", "Mieszkańcy na Placu NZS")
    assert [error for error in console_errors if "Content Security Policy" in error] == []
