"""The cache only keeps copies: when it breaks, pages render without it and no resident's
message is lost. (A Redis killed under load: tests/faults/test_redis_killed.py.)"""

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from contact.models import ContactMessage
from tests.factories import fill_in_contact_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def unwritable_file_cache(settings, tmp_path):
    """The default file cache, pointed at a folder that cannot be created or written.

    The tests run as root, whom permissions do not stop, so the folder's place is taken by a
    file: every read and write then fails with an OSError, as on a read-only volume.
    """
    blocker = tmp_path / "data"
    blocker.write_text("")
    settings.CACHES = {
        "default": {
            "BACKEND": "stowarzyszenie.degrading_cache.DegradingCache",
            "LOCATION": str(blocker / "cache"),
            "OPTIONS": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"},
        }
    }
    from django.core.cache import cache

    with pytest.raises(OSError):
        cache.inner.set("probe", 1)
    return cache


def test_with_an_unwritable_cache_pages_render_and_the_question_is_stored(
    association_content, unwritable_file_cache, django_capture_on_commit_callbacks
):
    visitor = Client()

    home = visitor.get("/")
    assert home.status_code == 200
    assert "Chcemy" in home.content.decode()
    assert visitor.get("/kontakt/formularz.json").status_code == 200
    page = visitor.get("/kontakt/")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        sent = visitor.post("/kontakt/", fill_in_contact_form(page))

    assert sent.status_code == 303
    message = ContactMessage.objects.get()
    assert message.delivery_state == ContactMessage.DeliveryState.PENDING
    assert DBTaskResult.objects.filter(status="READY").count() == 1, "queued for the worker"


def test_health_check_reports_the_cache_degraded_but_the_site_up(db, unwritable_file_cache):
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "degraded"}
