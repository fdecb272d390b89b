"""The mail worker is SIGKILLed in the middle of a delivery, while the SMTP server sleeps in
DATA: after the worker restarts, the message reaches the board within 3 minutes (production
EMAIL_TIMEOUT of 30 s: a claim older than 2 minutes is taken over), and its task row does not
stay RUNNING."""

import asyncio
import threading
import time

import pytest

from tests.conftest import LocalSmtpServer, RecordingMailbox
from tests.faults.conftest import wait_until


class SleepsInDataOnce(RecordingMailbox):
    """The first e-mail: the server takes it and then hangs in DATA (and finally refuses it
    for now, 451). Every later one is accepted at once."""

    def __init__(self):
        super().__init__()
        self.in_data = threading.Event()
        self.first = True

    async def handle_DATA(self, server, session, envelope):
        if self.first:
            self.first = False
            self.in_data.set()
            await asyncio.sleep(45)
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp():
    server = LocalSmtpServer()
    server.mailbox = SleepsInDataOnce()
    server.start()
    yield server
    server.stop()


def test_worker_killed_mid_delivery_message_delivered_within_3_minutes(make_site, smtp, capsys):
    site = make_site(
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        DEFAULT_FROM_EMAIL="noreply@plac-nzs.example",
        EMAIL_TIMEOUT="30",
    )
    site.execute(
        "UPDATE pages_associationsettings SET board_recipients = 'zarzad@plac-nzs.example'"
    )
    site.start_server()
    site.start_worker()

    status, _text = site.resident().send_question("Pytanie w trakcie awarii", site.answer_of)
    assert status == 303
    assert smtp.mailbox.in_data.wait(30), "the worker reached DATA"
    assert site.count("SELECT delivery_state FROM contact_contactmessage") == "sending"

    site.kill_worker()
    killed = time.monotonic()
    assert (
        site.count(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        )
        == 1
    ), "what a SIGKILL leaves behind"
    site.start_worker()  # as the container or honcho does: resume_deliveries, then the worker
    restarted = time.monotonic()

    wait_until(
        lambda: site.count("SELECT delivery_state FROM contact_contactmessage") == "sent",
        180,
        step=1,
        what="the message delivered within 3 minutes of the restart",
    )
    delivered_after = time.monotonic() - restarted
    site.start_worker_again = None
    site.kill_worker()
    from django.core.management import call_command  # noqa: F401 - documents the next step

    # The next start cleans the RUNNING row the killed worker left.
    site.start_worker()
    wait_until(
        lambda: (
            site.count(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
            )
            == 0
        ),
        30,
        what="no RUNNING row left",
    )

    assert len(smtp.received) == 1
    assert delivered_after <= 180
    with capsys.disabled():
        print(
            f"\n[faults] Worker SIGKILLed in DATA: delivered {delivered_after:.0f} s after the "
            f"worker restarted ({time.monotonic() - killed:.0f} s after the kill), "
            f"{len(smtp.received)} e-mail accepted; no task row left RUNNING."
        )
