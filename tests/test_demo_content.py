"""`manage.py seed_demo_content`: marked example content, made once, never on a live site."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site

from pages.models import AssociationSettings, ContentPage, SupportPage


@pytest.fixture
def demo_site(association_content, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    return association_content


def seed(*args):
    out = StringIO()
    call_command("seed_demo_content", *args, stdout=out)
    return out.getvalue()


def test_demo_pages_are_marked_and_made_once(demo_site, client):
    seed("--pages", "4")
    seed("--pages", "4")
    pages = ContentPage.objects.filter(slug__startswith="przyklad-")
    assert pages.count() == 4
    assert all(page.title.startswith("[Przykład]") for page in pages)
    assert get_image_model().objects.filter(title__startswith="[Przykład]").count() == 5
    assert get_document_model().objects.filter(title__startswith="[Przykład]").count() == 1
    assert SupportPage.objects.count() == 1
    html = client.get(pages.first().url).content.decode()
    assert "srcset" in html and "(PDF, " in html


def test_demo_fills_only_the_empty_public_record_fields(demo_site):
    association = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    association.nip = "7251801126"
    association.save()
    seed("--pages", "1")
    association.refresh_from_db()
    assert association.nip == "7251801126"
    assert association.krs == "0000123456"
    assert association.statute is not None


def test_demo_refuses_a_live_site(demo_site, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed("--pages", "1")
    assert not ContentPage.objects.filter(slug__startswith="przyklad-").exists()
    seed("--pages", "1", "--force")
    assert ContentPage.objects.filter(slug__startswith="przyklad-").count() == 1
