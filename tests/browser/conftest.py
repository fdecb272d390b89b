"""Real-browser tests: Debian's Chromium driven by Playwright against Django's live server.

`make test` installs what they need: /usr/bin/chromium (apt) and, from npm, axe-core and
the Nu HTML Checker (node_modules/). One browser is started for the whole session.
"""

import os
import threading
import time
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


class LiveServerActivity:
    """Counts the live server's requests in progress, through Django's request signals."""

    def __init__(self):
        self.lock = threading.Lock()
        self.in_progress = 0
        self.last_change = time.monotonic()

    def started(self, **kwargs):
        with self.lock:
            self.in_progress += 1
            self.last_change = time.monotonic()

    def finished(self, **kwargs):
        with self.lock:
            self.in_progress -= 1
            self.last_change = time.monotonic()

    def wait_until_idle(self, quiet, timeout=20):
        """Until no request has been in progress for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                idle = not self.in_progress and time.monotonic() - self.last_change >= quiet
            if idle:
                return
            assert time.monotonic() < deadline, "the live server never stopped answering"
            time.sleep(0.02)


@pytest.fixture
def public_site(live_server, django_db_serialized_rollback, transactional_db, browser):
    """The site as `make run` sets it up, served by the live server at its own address.

    The Site record gets the live server's host and port, so canonical and shared URLs are
    the addresses the browser really visits.

    When the test ends, the database is emptied for the next one. A page may still be busy
    then (the contact form fetches /kontakt/formularz.json once it scrolls into view), and a
    request answered during the emptying breaks it and every later test ("cannot start a
    transaction within a transaction" on SQLite). So first the server's requests are let
    finish and the pages closed, and only then is the database emptied.
    """
    from django.core.signals import request_finished, request_started
    from wagtail.models import Site

    activity = LiveServerActivity()
    request_started.connect(activity.started, weak=False)
    request_finished.connect(activity.finished, weak=False)
    call_command("load_association_content", verbosity=0)
    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)

    yield live_server.url

    # Network idle as Playwright defines it: nothing in flight for half a second.
    activity.wait_until_idle(quiet=0.5)
    for context in browser.contexts:
        context.close()
    activity.wait_until_idle(quiet=0.1)
    request_started.disconnect(activity.started)
    request_finished.disconnect(activity.finished)


@pytest.fixture
def console_errors(page):
    """Errors the page logs (failed scripts, CSP refusals); a visitor's journey should have none."""
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors
