import os
import shutil
import tempfile

import pytest
from django.core.management import call_command

# The fault suite starts and kills its own servers for minutes: .ci/run runs it once, on its
# own (RUN_FAULT_SUITE=1 pytest tests/faults); `make test` leaves it out.
collect_ignore = [] if os.environ.get("RUN_FAULT_SUITE") else ["faults"]


@pytest.fixture
def association_content(db):
    """The site as `make run` sets it up: the association's text in the page tree and settings."""
    call_command("load_association_content", verbosity=0)
    from pages.models import MissionPage

    return MissionPage.objects.get()


# --- A real Dovecot IMAP server: the association's mailbox the mail worker reads ---


@pytest.fixture
def imap_server(settings):
    """IMAP_URL points at this server; it starts running (tests/imap_server.py)."""
    from tests.imap_server import LocalImapServer

    # Not tmp_path: Dovecot's unprivileged processes must be able to enter every parent folder.
    root = tempfile.mkdtemp(prefix="plac-nzs-imap-")
    server = LocalImapServer(root)
    server.start()
    settings.IMAP_URL = server.url
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


# --- A real SMTP server for the board e-mails ---


class RecordingMailbox:
    """An aiosmtpd handler that keeps every e-mail it accepts, parsed as a mail program would."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.received.append(
            {
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "raw": envelope.original_content or envelope.content,
                "message": email.message_from_bytes(envelope.content, policy=policy.default),
            }
        )
        return "250 Message accepted for delivery"


class LocalSmtpServer:
    """An SMTP server on 127.0.0.1 that a test can stop and start again on the same port."""

    def __init__(self):
        import socket

        with socket.socket() as probe:
            # Controller cannot listen on port 0, so find a free port first.
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.mailbox = RecordingMailbox()
        self.controller = None

    @property
    def received(self):
        return self.mailbox.received

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    """Django sends through real SMTP to this server; it starts running."""
    server = LocalSmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Stowarzyszenie Plac NZS <noreply@plac-nzs.example>"
    server.start()
    yield server
    server.stop()


# --- Every test starts with empty caches ---
# Rate-limit counters, login failures and cached pages live in the cache; with
# CACHE_URL=redis://… (the CI's Redis run) it outlives a test and would leak into the next.
# Point CACHE_URL at a Redis database used for nothing else: it is emptied.
@pytest.fixture(autouse=True)
def empty_caches():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


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
