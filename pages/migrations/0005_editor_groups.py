"""Polish-named groups: "Redaktorzy" edit and publish pages; "Zarząd" also may, and edits the
association's settings.

"Redaktorzy" gets what Wagtail's own "Moderators" group has (pages from the root, images,
documents, the admin); "Zarząd" (created with the messages) gets the same on top of them.
"""

from django.db import migrations

EDITORS = "Redaktorzy"
BOARD = "Zarząd"
TEMPLATE = "Moderators"


def copy_permissions(apps, source, target):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    target.permissions.add(*source.permissions.all())
    for row in GroupPagePermission.objects.filter(group=source):
        GroupPagePermission.objects.get_or_create(
            group=target, page_id=row.page_id, permission_id=row.permission_id
        )
    for row in GroupCollectionPermission.objects.filter(group=source):
        GroupCollectionPermission.objects.get_or_create(
            group=target, collection_id=row.collection_id, permission_id=row.permission_id
        )


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the settings' one is needed now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    template = Group.objects.filter(name=TEMPLATE).first()
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    board, _ = Group.objects.get_or_create(name=BOARD)
    if template is not None:
        copy_permissions(apps, template, editors)
        copy_permissions(apps, template, board)
    # The board keeps the association's name, address and public record up to date.
    Permission = apps.get_model("auth", "Permission")
    board.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="pages", codename="change_associationsettings"
        )
    )


def name_the_workflow_in_polish(apps, schema_editor):
    """Wagtail creates its default workflow and task with an English name stored in the database."""
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=f"{TEMPLATE} approval").update(
            name="Akceptacja moderatorów"
        )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0004_public_record"),
        ("contact", "0003_board_group"),
        ("wagtailcore", "0094_alter_page_locale"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
    ]

    operations = [
        migrations.RunPython(create_groups, remove_editors),
        migrations.RunPython(name_the_workflow_in_polish, migrations.RunPython.noop),
    ]
