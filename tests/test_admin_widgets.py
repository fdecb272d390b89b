"""The admin's widgets start without inline script (pages/widgets.py, static/js/admin-widgets.js).

The browser test (tests/browser/test_admin_script_policy.py) shows the choosers and inline
panels working under the policy; this one checks the same admin views' HTML on every
database run, quickly.
"""

import pytest
from django.contrib.auth import get_user_model
from wagtail.admin.widgets import AdminTimeInput
from wagtail.models import Site, Workflow

from tests.factories import admin_form_views, one_of_everything_editors_edit
from tests.test_security_headers import inline_script_code

pytestmark = pytest.mark.django_db

WIDGET_SCRIPT = "/static/js/admin-widgets"


@pytest.fixture
def things(association_content, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return one_of_everything_editors_edit()


def test_no_admin_form_carries_inline_script_code(client, things):
    client.force_login(get_user_model().objects.create_superuser("administratorka", "", "x"))
    site = Site.objects.get(is_default_site=True)
    for path in admin_form_views(things, site.pk):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert inline_script_code(html) == [], path
        assert WIDGET_SCRIPT in html, path


def test_every_kind_of_chooser_and_the_inline_panels_leave_their_settings_as_data(client, things):
    client.force_login(get_user_model().objects.create_superuser("administratorka", "", "x"))
    site = Site.objects.get(is_default_site=True)
    settings_form = client.get(
        f"/admin/settings/pages/associationsettings/{site.pk}/"
    ).content.decode()
    event_form = client.get(f"/admin/pages/{things['event'].pk}/edit/").content.decode()
    article_form = client.get(f"/admin/pages/{things['article'].pk}/edit/").content.decode()
    move_form = client.get(f"/admin/pages/{things['article'].pk}/move/").content.decode()
    workflow_form = client.get(
        f"/admin/workflows/edit/{Workflow.objects.first().pk}/"
    ).content.decode()

    assert 'data-admin-widget="ImageChooser" data-input-id="id_logo"' in settings_form
    assert 'data-admin-widget="PageChooser" data-input-id="id_privacy_page"' in settings_form
    assert 'data-admin-widget="DocumentChooser" data-input-id="id_statute"' in settings_form
    assert 'data-admin-widget="SnippetChooser" data-input-id="id_category"' in event_form
    assert 'data-admin-widget="ImageChooser" data-input-id="id_image"' in article_form
    # Inline panels: the form already there, and the empty one new attachments are made from.
    assert (
        'data-admin-widget="DocumentChooser" data-input-id="id_attachments-0-document"'
        in article_form
    )
    assert 'data-input-id="id_attachments-__prefix__-document"' in article_form
    assert article_form.count('data-admin-widget="InlinePanel"') == 1
    assert event_form.count('data-admin-widget="InlinePanel"') == 2  # dates, registrations
    assert '{"type": "InlinePanel", "formsetPrefix": "id_dates"' in event_form
    # Wagtail's own forms, whose widgets no model of ours declares.
    assert 'data-admin-widget="PageChooser" data-input-id="id_new_parent_page"' in move_form
    assert (
        'data-admin-widget="createTaskChooser" data-input-id="id_workflow_tasks-0-task"'
        in workflow_form
    )


def test_settings_cannot_close_their_data_block():
    """A label with </script> in it stays inside the JSON (escaped as json_script does)."""
    from pages.widgets import widget_settings

    html = widget_settings("InlinePanel", {"label": "</script><script>alert(1)</script>"})
    assert html.count("</script>") == 1
    assert "\\u003C/script\\u003E" in html


def test_a_time_field_would_get_its_picker_without_inline_script():
    html = AdminTimeInput().render("starts_at", None, attrs={"id": "id_starts_at"})
    assert 'data-admin-widget="initTimeChooser" data-input-id="id_starts_at"' in html
    assert inline_script_code(html) == []
