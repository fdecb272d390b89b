"""The association's own kinds of events, and the board's right to see registrations."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATEGORIES = [
    ("Debata", "debata"),
    ("Szkolenie", "szkolenie"),
    ("Konferencja", "konferencja"),
    ("Seminarium", "seminarium"),
    ("Koncert", "koncert"),
    ("Wystawa", "wystawa"),
]
BOARD_GROUP = "Zarząd"
REGISTRATION_PERMISSIONS = ["manage_registrations", "view_registration", "change_registration"]


def forwards(apps, schema_editor):
    EventCategory = apps.get_model("events", "EventCategory")
    for name, slug in CATEGORIES:
        EventCategory.objects.get_or_create(slug=slug, defaults={"name": name})

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=BOARD_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="events", codename__in=REGISTRATION_PERMISSIONS
        )
    )


def backwards(apps, schema_editor):
    apps.get_model("events", "EventCategory").objects.filter(
        slug__in=[slug for _name, slug in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("contact", "0003_board_group"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
