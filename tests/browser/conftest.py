"""Real-browser tests: Debian's Chromium driven by Playwright against Django's live server.

`make test` installs what they need: /usr/bin/chromium (apt) and, from npm, axe-core and
the Nu HTML Checker (node_modules/). One browser is started for the whole session.
"""

import os
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.browser.helpers import ARTIFACTS_DIR, CHROMIUM, CHROMIUM_FLAGS

# Playwright's sync API keeps an event loop running in the test thread, which makes Django
# refuse ORM calls from the test itself; the queries here are plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def artifacts_dir():
    """Screenshots for people to look at; git-ignored, kept after the run."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture
def public_site(live_server, django_db_serialized_rollback, transactional_db):
    """The site as `make run` sets it up, served by the live server at its own address.

    The Site record gets the live server's host and port, so canonical and shared URLs are
    the addresses the browser really visits.
    """
    from wagtail.models import Site

    call_command("load_association_content", verbosity=0)
    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)
    return live_server.url


@pytest.fixture
def console_errors(page):
    """Errors the page logs (failed scripts, CSP refusals); a visitor's journey should have none."""
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors
