import pytest
from django.core.management import call_command


@pytest.fixture
def association_content(db):
    """The site as `make run` sets it up: the association's text in the page tree and settings."""
    call_command("load_association_content", verbosity=0)
    from pages.models import MissionPage

    return MissionPage.objects.get()


@pytest.fixture(scope="session")
def _playwright_before_the_database(request):
    """Start Playwright before the test database when browser tests are in the run.

    Playwright's sync API switches to its own context; a database connection made before
    it starts is not the one the browser tests see, and that one lacks the serialized
    content that `serialized_rollback` restores between live-server tests.
    """
    if any(item.nodeid.startswith("tests/browser/") for item in request.session.items):
        request.getfixturevalue("playwright")


@pytest.fixture(scope="session")
def django_db_setup(_playwright_before_the_database, django_db_setup):
    return django_db_setup
