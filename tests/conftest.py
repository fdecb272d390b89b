import pytest
from django.core.management import call_command


@pytest.fixture
def association_content(db):
    """The site as `make run` sets it up: the association's text in the page tree and settings."""
    call_command("load_association_content", verbosity=0)
    from pages.models import MissionPage

    return MissionPage.objects.get()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty rate-limit counters (they live in the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
