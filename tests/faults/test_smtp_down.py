"""The SMTP server is away for minutes while residents write: every message reaches the board
exactly once after it returns. The worker's pauses are compressed (1–3 s instead of 1–60 min)
so that the outage spans several retries of every message in a test of under a minute."""

import time

import pytest

from tests.conftest import LocalSmtpServer
from tests.faults.conftest import wait_until

MESSAGES = 10


@pytest.fixture
def smtp():
    server = LocalSmtpServer()
    yield server
    server.stop()


def test_smtp_down_for_minutes_then_each_message_arrives_exactly_once(make_site, smtp, capsys):
    site = make_site(
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        DEFAULT_FROM_EMAIL="noreply@plac-nzs.example",
        CONTACT_DELIVERY_BACKOFF_SECONDS="1,2,3",
        EMAIL_TIMEOUT="5",
    )
    site.start_server()
    site.start_worker()
    site.execute(
        "UPDATE pages_associationsettings SET board_recipients = 'zarzad@plac-nzs.example'"
    )

    resident = site.resident()
    sent = [resident.send_question(f"Pytanie numer {n}", site.answer_of) for n in range(MESSAGES)]
    assert [status for status, _text in sent] == [303] * MESSAGES

    outage = 20  # seconds; with the pauses above, every message fails several times
    time.sleep(outage)
    failed_attempts = site.count(
        "SELECT coalesce(sum(delivery_attempts), 0) FROM contact_contactmessage"
    )
    assert (
        site.count("SELECT count(*) FROM contact_contactmessage WHERE delivery_state = 'sent'") == 0
    )

    smtp.start()
    returned = time.monotonic()
    wait_until(
        lambda: (
            site.count("SELECT count(*) FROM contact_contactmessage WHERE delivery_state = 'sent'")
            == MESSAGES
        ),
        60,
        what="every message sent",
    )
    all_sent_after = time.monotonic() - returned
    time.sleep(5)  # anything sent twice would arrive now

    subjects = sorted(str(mail["message"]["Subject"]) for mail in smtp.received)
    texts = sorted(
        next(
            line
            for line in mail["message"]
            .get_body(preferencelist=("plain",))
            .get_content()
            .splitlines()
            if line.startswith("Pytanie numer")
        )
        for mail in smtp.received
    )
    assert len(smtp.received) == MESSAGES, subjects
    assert texts == sorted(text for _status, text in sent)
    with capsys.disabled():
        print(
            f"\n[faults] SMTP down {outage} s: {failed_attempts} failed attempts for {MESSAGES} "
            f"messages; all {MESSAGES} delivered {all_sent_after:.1f} s after it returned, "
            f"{len(smtp.received)} e-mails received (exactly once each)."
        )
