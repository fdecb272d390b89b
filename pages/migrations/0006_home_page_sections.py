"""The home page's hero (lead statement, image, two buttons) and its sections in editors' order.

An existing mission page gets every section in the default order, and the first sentence of its
manifesto as its lead statement, in the page and in its latest draft alike: the editor opens
the latest revision, so without them there, the next publish would empty the page.
"""

import html
import json
import re

import django.db.models.deletion
import pages.blocks
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


# A sentence ends at . ! ? or … followed by a space and a capital (or an opening quote).
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĄĆĘŁŃÓŚŹŻ„\"])")


def first_sentence(rich_text):
    first_paragraph = re.split(r"</p>|<br\s*/?>", rich_text or "", maxsplit=1)[0]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", first_paragraph)).split())
    return SENTENCE_END.split(text, maxsplit=1)[0][:400] if text else ""


def compose_home_pages(apps, schema_editor):
    MissionPage = apps.get_model("pages", "MissionPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    for page in MissionPage.objects.all():
        if not page.lead:
            page.lead = first_sentence(page.manifesto)
            page.save(update_fields=["lead"])
        added = {
            "lead": page.lead,
            "contact_action_label": page.contact_action_label,
            "sections": json.dumps(page.sections.get_prep_value()),
        }
        revisions = Revision.objects.filter(
            content_type_id=page.content_type_id, object_id=str(page.pk)
        )
        for revision in revisions:
            if "sections" not in revision.content:
                revision.content = {**revision.content, **added}
                revision.save(update_fields=["content"])


class Migration(migrations.Migration):

    dependencies = [
        ('pages', '0005_editor_groups'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='missionpage',
            name='contact_action_label',
            field=models.CharField(default='Napisz do nas', help_text='Leads to the contact form on this page, or to the contact page while the form section is hidden.', max_length=60, verbose_name='“write to us” button'),
        ),
        migrations.AddField(
            model_name='missionpage',
            name='hero_image',
            field=models.ForeignKey(blank=True, help_text='Optional; shown beside the lead statement. Its description is the alt text.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='image'),
        ),
        migrations.AddField(
            model_name='missionpage',
            name='lead',
            field=models.TextField(blank=True, help_text="What the association is, in one sentence: the page's main heading. Leave empty to show the page title.", max_length=400, verbose_name='lead statement'),
        ),
        migrations.AddField(
            model_name='missionpage',
            name='second_action_label',
            field=models.CharField(blank=True, help_text="e.g. “Najbliższe wydarzenia” or “Wesprzyj nas”; empty: the page's title.", max_length=60, verbose_name="second button's text"),
        ),
        migrations.AddField(
            model_name='missionpage',
            name='second_action_page',
            field=models.ForeignKey(blank=True, help_text='e.g. the events page or the “Wesprzyj nas” page; empty: no second button.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name="second button's page"),
        ),
        migrations.AddField(
            model_name='missionpage',
            name='sections',
            field=wagtail.fields.StreamField([('upcoming_events', 2), ('latest_articles', 2), ('manifesto', 3), ('contact', 4), ('share', 5)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'help_text': 'Leave empty for the usual heading.', 'label': 'Heading', 'max_length': 120, 'required': False}), 1: ('wagtail.blocks.IntegerBlock', (), {'default': 3, 'label': 'How many', 'max_value': 12, 'min_value': 1, 'required': True}), 2: ('wagtail.blocks.StructBlock', [[('heading', 0), ('count', 1)]], {}), 3: ('wagtail.blocks.StructBlock', [[('heading', 0)]], {}), 4: ('wagtail.blocks.static_block.StaticBlock', (), {'admin_text': 'The invitation to write and the contact form, as edited above.', 'icon': 'mail', 'label': 'Contact form', 'template': 'components/home_contact.html'}), 5: ('wagtail.blocks.static_block.StaticBlock', (), {'admin_text': 'Links for sharing the page; its texts are in Settings → Association.', 'icon': 'link', 'label': 'Share box', 'template': 'components/home_share.html'})}, default=pages.blocks.default_home_sections, help_text='What follows the lead statement, in this order. Remove a section to hide it; add it again with “+”.', verbose_name='sections'),
        ),
        migrations.RunPython(compose_home_pages, migrations.RunPython.noop),
    ]
