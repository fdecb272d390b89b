"""A volunteer in the "Redaktorzy" group signs in and finds a Polish, uncluttered admin."""

import pytest
from playwright.sync_api import expect

from pages.models import ContentPage
from tests.factories import make_editor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "haslo-redaktora-123"
ENGLISH = ["Password", "Images", "Documents", "Moderators approval", "Dashboard", "Pages"]


def visible_text(page):
    return page.locator("body").inner_text()


def test_editor_sees_a_polish_admin_without_developer_tools(
    page, public_site, django_user_model, artifacts_dir
):
    make_editor(django_user_model, username="wolontariuszka", groups=("Redaktorzy",))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(public_site + "/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Zaloguj się do panelu stowarzyszenia"
    )
    page.get_by_label("Nazwa użytkownika").fill("wolontariuszka")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.screenshot(path=artifacts_dir / "admin-login.png")
    page.get_by_role("button", name="Zaloguj się").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Stowarzyszenie Plac NZS")
    assert page.title().endswith("Panel stowarzyszenia")
    page.screenshot(path=artifacts_dir / "admin-dashboard-redaktorzy.png", full_page=True)
    dashboard = visible_text(page)
    assert "0 obrazów" in dashboard and "dokument" in dashboard
    assert "Images" not in dashboard and "Documents" not in dashboard

    sidebar = page.locator("#wagtail-sidebar")
    for shown in ["Strony", "Obrazy", "Dokumenty"]:
        expect(sidebar.get_by_text(shown, exact=True)).to_be_visible()
    for hidden in ["Ustawienia", "Raporty", "Procesy", "Kolekcje", "Przekierowania", "Pomoc"]:
        expect(sidebar.get_by_text(hidden, exact=True)).to_have_count(0)
    sidebar.get_by_role("button", name="Strony").click()
    expect(sidebar.get_by_role("link", name="Stowarzyszenie Plac NZS", exact=True)).to_be_visible()
    page.screenshot(path=artifacts_dir / "admin-menu-redaktorzy.png")
    page.keyboard.press("Escape")

    about = ContentPage.objects.get(slug="o-stowarzyszeniu")
    page.goto(f"{public_site}/admin/pages/{about.pk}/edit/")
    page.screenshot(path=artifacts_dir / "admin-editor-redaktorzy.png", full_page=True)
    page.locator("[data-streamfield-list] button[title], .c-sf-add-button").first.click()
    expect(page.get_by_text("Pytania i odpowiedzi", exact=True)).to_be_visible()
    page.screenshot(path=artifacts_dir / "admin-block-chooser-redaktorzy.png")
    text = visible_text(page)
    for english in ENGLISH:
        assert f"\n{english}\n" not in text, english
