"""The "Zarząd" (board) group: the only non-superusers who see residents' messages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

BOARD_GROUP = "Zarząd"
MESSAGE_PERMISSIONS = ["view_contactmessage", "change_contactmessage", "delete_contactmessage"]


def create_board_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=BOARD_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="contact", codename__in=MESSAGE_PERMISSIONS
        ),
        *Permission.objects.filter(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ),
    )


def remove_board_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=BOARD_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0002_delivery_claim"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # After the migrations that hand choose permissions to every admin group.
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(create_board_group, remove_board_group)]
