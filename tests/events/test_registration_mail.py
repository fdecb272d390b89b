"""Residents' e-mails about their registration: the real mail worker, a real SMTP server."""

import re
from datetime import timedelta

import icalendar
import pytest
import vobject

from events.models import EventMail, Registration
from tests.factories import make_queued_attempts_due, run_mail_worker

from .factories import edit_dates, in_days, make_event, make_event_index, move_date
from .test_registration import register_through_the_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def index(association_content):
    return make_event_index(association_content)


def mails_to(smtp_server, address):
    return [m["message"] for m in smtp_server.received if address in m["rcpt_tos"]]


def calendar_of(message):
    """The attached .ics, parsed by icalendar and (independently) by vobject."""
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    text = part.get_content()
    if isinstance(text, bytes):
        text = text.decode()
    vobject.readOne(text)
    [vevent] = icalendar.Calendar.from_ical(text).walk("VEVENT")
    return vevent


def has_calendar(message):
    return any(p.get_content_type() == "text/calendar" for p in message.iter_attachments())


def test_the_debate_journey_confirmation_waitlist_promotion_reminder(client, index, smtp_server):
    debate = make_event(
        index,
        dates=[{"start": in_days(3), "end": in_days(3, 20), "capacity": 1}],
        online_url="https://spotkanie.example.org/plac",
        attendance_mode="mixed",
    )
    date = debate.dates.get()

    register_through_the_page(client, date)
    run_mail_worker()

    [confirmation] = mails_to(smtp_server, "jan@example.org")
    assert confirmation["Subject"] == "Potwierdzenie zapisu: Debata o Placu NZS"
    body = confirmation.get_body(("plain",)).get_content()
    assert "Klub Fama, ul. Legionowa 5, 15-281 Białystok" in body
    # Registered people get the online link (the public page and feeds never show it).
    assert "https://spotkanie.example.org/plac" in body
    vevent = calendar_of(confirmation)
    assert str(vevent["UID"]) == date.calendar_uid
    assert "spotkanie.example.org" in str(vevent["LOCATION"])

    # The debate is full: the next resident waits, and is told so (no calendar entry yet).
    other = client.__class__()
    register_through_the_page(other, date, name="Ewa", email="ewa@example.org")
    run_mail_worker()
    [waitlisted] = mails_to(smtp_server, "ewa@example.org")
    assert waitlisted["Subject"].strip() == "Jesteś na liście rezerwowej: Debata o Placu NZS"
    assert not has_calendar(waitlisted)

    # Jan cancels through the link in his e-mail: the page asks, the button cancels.
    cancel_link = re.search(r"http://\S+/zapisy/rezygnacja/\S+/", body).group(0)
    path = cancel_link.split("testserver", 1)[1]
    client.get(path)
    assert Registration.objects.get(email="jan@example.org").status == "confirmed"
    client.post(path)
    run_mail_worker()

    [promoted] = mails_to(smtp_server, "ewa@example.org")[1:]
    assert promoted["Subject"] == "Masz miejsce: Debata o Placu NZS"
    assert str(calendar_of(promoted)["UID"]) == date.calendar_uid

    # The reminder is due 24 hours before the start: the worker sends it then.
    assert len(mails_to(smtp_server, "ewa@example.org")) == 2
    make_queued_attempts_due()
    run_mail_worker()
    [reminder] = mails_to(smtp_server, "ewa@example.org")[2:]
    assert reminder["Subject"] == "Przypomnienie: Debata o Placu NZS"
    reminder_body = reminder.get_body(("plain",)).get_content()
    assert "Klub Fama" in reminder_body and "spotkanie.example.org/plac" in reminder_body
    assert has_calendar(reminder)
    # Jan cancelled: no reminder for him.
    assert [m["Subject"] for m in mails_to(smtp_server, "jan@example.org")] == [
        "Potwierdzenie zapisu: Debata o Placu NZS"
    ]


def test_moving_a_date_tells_everyone_with_the_same_uid_and_a_higher_sequence(
    client, index, smtp_server
):
    event = make_event(index, dates=[{"start": in_days(10), "end": in_days(10, 20)}])
    date = event.dates.get()
    register_through_the_page(client, date)
    run_mail_worker()

    event = move_date(event, in_days(12), in_days(12, 20))
    run_mail_worker()

    [first, change] = mails_to(smtp_server, "jan@example.org")
    assert change["Subject"] == "Zmiana: Debata o Placu NZS"
    before, after = calendar_of(first), calendar_of(change)
    assert before["UID"] == after["UID"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") == in_days(12)
    # The registration is kept, and still confirmed, on the moved date.
    assert Registration.objects.get().status == "confirmed"
    assert Registration.objects.get().event_date_id == date.pk


def test_an_editor_cancels_a_date_and_everyone_registered_is_told(client, index, smtp_server):
    event = make_event(index, dates=[{"start": in_days(10), "end": in_days(10, 20)}])
    register_through_the_page(client, event.dates.get())
    run_mail_worker()

    def cancel_it(dates):
        dates[0].cancelled = True
        return dates

    edit_dates(event, cancel_it)
    run_mail_worker()

    [_confirmation, cancelled] = mails_to(smtp_server, "jan@example.org")
    assert cancelled["Subject"] == "Odwołane: Debata o Placu NZS"
    vevent = calendar_of(cancelled)
    assert str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) == 1
    assert "odwołany" in cancelled.get_body(("plain",)).get_content()


def test_a_failed_delivery_is_retried_not_lost(client, index, smtp_server):
    event = make_event(index, reminder_hours=0)
    smtp_server.stop()
    register_through_the_page(client, event.dates.get())
    run_mail_worker()
    mail = EventMail.objects.get()
    assert mail.state == "pending" and mail.attempts == 1 and mail.last_error

    smtp_server.start()
    make_queued_attempts_due()
    run_mail_worker()

    mail.refresh_from_db()
    assert mail.state == "sent"
    assert len(mails_to(smtp_server, "jan@example.org")) == 1


def test_no_reminder_when_the_editor_sets_none(client, index, smtp_server):
    event = make_event(index, reminder_hours=0)
    register_through_the_page(client, event.dates.get())
    make_queued_attempts_due()
    run_mail_worker()

    assert [m["Subject"] for m in mails_to(smtp_server, "jan@example.org")] == [
        "Potwierdzenie zapisu: Debata o Placu NZS"
    ]


def test_a_moved_date_reminds_at_the_new_time_only(client, index, smtp_server):
    event = make_event(index, dates=[{"start": in_days(3), "end": in_days(3, 20)}])
    register_through_the_page(client, event.dates.get())
    run_mail_worker()
    move_date(event, in_days(4) + timedelta(hours=1), in_days(4, 21))
    make_queued_attempts_due()
    run_mail_worker()

    subjects = [m["Subject"] for m in mails_to(smtp_server, "jan@example.org")]
    assert subjects.count("Przypomnienie: Debata o Placu NZS") == 1


@pytest.mark.parametrize("left_as", ["pending", "sending"])
def test_an_e_mail_left_behind_by_a_killed_worker_is_sent_once_after_resume(
    client, index, smtp_server, left_as
):
    """A worker killed mid-task leaves its task row RUNNING, and django-tasks-db never runs it
    again: `resume_deliveries`, run before every worker start, queues a new attempt."""
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from events.tasks import deliver_event_mail

    event = make_event(index, dates=[{"start": in_days(3), "end": in_days(3, 20)}])
    register_through_the_page(client, event.dates.get())
    long_ago = timezone.now() - timedelta(minutes=20)
    # Killed after taking the task (pending) or after claiming the e-mail too (sending).
    DBTaskResult.objects.filter(task_path=deliver_event_mail.module_path).update(
        status="RUNNING", started_at=long_ago
    )
    if left_as == "sending":
        EventMail.objects.update(state="sending", attempts=1, claimed_at=long_ago)
    run_mail_worker()
    assert mails_to(smtp_server, "jan@example.org") == []

    out = StringIO()
    call_command("resume_deliveries", stdout=out)
    assert "Queued delivery of 1 waiting event e-mail(s)." in out.getvalue()
    call_command("resume_deliveries", stdout=out)  # already queued: not queued twice
    assert "Queued delivery of 0 waiting event e-mail(s)." in out.getvalue()
    run_mail_worker()

    [confirmation] = mails_to(smtp_server, "jan@example.org")
    assert confirmation["Subject"] == "Potwierdzenie zapisu: Debata o Placu NZS"
    stored = EventMail.objects.get()
    assert stored.state == "sent"
    assert (
        DBTaskResult.objects.filter(
            task_path=deliver_event_mail.module_path, status="RUNNING"
        ).count()
        == 0
    )
