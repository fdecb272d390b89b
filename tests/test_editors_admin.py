"""The admin as the association's editors meet it: Polish groups, no developer tools, and a
reminder of the public record fields still empty."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from wagtail.models import Page

from tests.factories import make_editor

pytestmark = pytest.mark.django_db


def test_editors_and_the_board_may_edit_and_publish_pages(django_user_model, association_content):
    for group in ("Redaktorzy", "Zarząd"):
        user = make_editor(django_user_model, username=f"u-{len(group)}", groups=(group,))
        permissions = association_content.permissions_for_user(user)
        assert permissions.can_edit() and permissions.can_publish(), group
        assert user.has_perm("wagtailimages.add_image") and user.has_perm(
            "wagtaildocs.add_document"
        )
    editors = Group.objects.get(name="Redaktorzy")
    assert not editors.permissions.filter(content_type__app_label="contact").exists()
    assert (
        Group.objects.get(name="Zarząd").permissions.filter(codename="view_contactmessage").exists()
    )


def menu_names(client):
    import json

    response = client.get("/admin/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    props = json.loads(soup.find(id="wagtail-sidebar-props").string)
    return json.dumps(props)


def test_developer_tools_are_hidden_from_editors(client, django_user_model, association_content):
    client.force_login(make_editor(django_user_model, groups=("Redaktorzy",)))
    menu = menu_names(client)
    for hidden in (
        '"name": "reports"',
        '"name": "workflows"',
        '"name": "collections"',
        '"name": "redirects"',
        '"name": "sites"',
        '"name": "help"',
    ):
        assert hidden not in menu
    assert '"name": "explorer"' in menu


def test_superusers_keep_the_developer_tools(admin_client, association_content):
    menu = menu_names(admin_client)
    assert '"name": "redirects"' in menu and '"name": "reports"' in menu


def test_dashboard_lists_the_empty_public_record_fields(admin_client, association_content):
    text = BeautifulSoup(admin_client.get("/admin/").content, "html.parser").get_text()
    assert "Dane rejestrowe stowarzyszenia nie są kompletne" in text
    assert "numer KRS" in text and "NIP" in text and "statut" in text
    assert Page.objects.filter(depth=2).exists()


def test_editors_who_cannot_change_the_settings_are_not_reminded(
    client, django_user_model, association_content
):
    client.force_login(make_editor(django_user_model, groups=("Redaktorzy",)))
    assert "nie są kompletne" not in client.get("/admin/").content.decode()
    client.force_login(make_editor(django_user_model, username="zarzad", groups=("Zarząd",)))
    assert "nie są kompletne" in client.get("/admin/").content.decode()


def test_the_default_workflow_has_a_polish_name():
    from wagtail.models import Task, Workflow

    assert Workflow.objects.filter(name="Akceptacja moderatorów").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
