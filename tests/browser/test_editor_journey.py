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
