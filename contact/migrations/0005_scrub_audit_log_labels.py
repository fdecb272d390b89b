"""Audit-log entries about messages used to be labelled "#33 <name>": keep the number only."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat


def scrub(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    content_type = ContentType.objects.filter(app_label="contact", model="contactmessage").first()
    if content_type is not None:
        ModelLogEntry.objects.filter(content_type=content_type).update(
            label=Concat(Value("#"), "object_id")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0004_throttle_count"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0089_log_entry_data_json_null_to_object"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
