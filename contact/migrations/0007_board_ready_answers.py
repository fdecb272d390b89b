"""The board edits its ready answers ("gotowe odpowiedzi")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

BOARD_GROUP = "Zarząd"
READY_ANSWER_PERMISSIONS = ["add_replytemplate", "change_replytemplate", "delete_replytemplate"]


def let_the_board_edit_ready_answers(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=BOARD_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="contact", codename__in=READY_ANSWER_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [("contact", "0006_board_inbox")]

    operations = [
        migrations.RunPython(let_the_board_edit_ready_answers, migrations.RunPython.noop)
    ]
