import pytest
from django.core.management import call_command


@pytest.fixture
def association_content(db):
    """The site as `make run` sets it up: the association's text in the page tree and settings."""
    call_command("load_association_content", verbosity=0)
    from pages.models import MissionPage

    return MissionPage.objects.get()


# --- production branch: every test starts with empty caches ---
# With CACHE_URL=redis://… (the CI's Redis run) the cache outlives a test: login
# failures, rate-limit counters and cached pages would leak into the next test.
# Point CACHE_URL at a Redis database used for nothing else: it is emptied.
@pytest.fixture(autouse=True)
def empty_caches():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
