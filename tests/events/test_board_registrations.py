"""The board manages registrations in the admin; RODO erasure keeps only the counts."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from openpyxl import load_workbook

from events.models import EventMail, Registration, RegistrationAccess
from tests.factories import make_board_member, make_editor

from .factories import in_days, make_event, make_event_index, register_directly

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(association_content):
    return make_event_index(association_content)


@pytest.fixture
def debate(index):
    event = make_event(index, dates=[{"start": in_days(7), "end": in_days(7, 20), "capacity": 2}])
    return event


def test_the_board_sees_registrations_and_exports_them_formula_safe(
    client, django_user_model, debate
):
    date = debate.dates.get()
    register_directly(date, name='=HYPERLINK("http://zly.example")', email="a@example.org")
    register_directly(date, name="Ewa", email="ewa@example.org")
    client.force_login(make_board_member(django_user_model))

    listing = client.get("/admin/registrations/")
    exported = client.get("/admin/registrations/?export=csv")
    workbook = client.get("/admin/registrations/?export=xlsx")

    assert listing.status_code == 200 and "ewa@example.org" in listing.content.decode()
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    names = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://zly.example")' in names
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row}
    assert cells['=HYPERLINK("http://zly.example")'].data_type == "s"  # text, not a formula


def test_the_registrations_export_speaks_polish_in_warsaw_time(client, django_user_model, debate):
    ewa = register_directly(debate.dates.get(), name="Ewa", email="ewa@example.org")
    Registration.objects.filter(pk=ewa.pk).update(
        registered_at=datetime(2026, 7, 3, 14, 21, tzinfo=UTC), attended=True
    )
    client.force_login(make_board_member(django_user_model))

    exported = client.get("/admin/registrations/?export=csv&separator=semicolon")

    assert 'filename="zapisy-excel.csv"' in exported["Content-Disposition"]
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[-2:] == ["Tak", "2026-07-03 16:21"]  # summer time in Warsaw


def test_an_editor_outside_the_board_sees_nothing_until_the_event_allows_them(
    client, django_user_model, debate, index
):
    other_event = make_event(index, title="Koncert")
    register_directly(debate.dates.get(), email="debata@example.org")
    register_directly(other_event.dates.get(), email="koncert@example.org")
    volunteer = make_editor(django_user_model, username="wolontariusz")
    client.force_login(volunteer)

    assert client.get("/admin/registrations/").status_code == 403
    assert client.get(f"/admin/registrations/checkin/{debate.dates.get().pk}/").status_code == 403

    RegistrationAccess.objects.create(event=debate, user=volunteer)
    listing = client.get("/admin/registrations/").content.decode()

    assert "debata@example.org" in listing and "koncert@example.org" not in listing
    assert client.get(f"/admin/registrations/checkin/{debate.dates.get().pk}/").status_code == 200
    other_date = other_event.dates.get()
    assert client.get(f"/admin/registrations/checkin/{other_date.pk}/").status_code == 403


def test_the_check_in_list_marks_attendance(client, django_user_model, debate):
    date = debate.dates.get()
    anna = register_directly(date, name="Anna", email="anna@example.org")
    jan = register_directly(date, name="Jan", email="jan@example.org")
    client.force_login(make_board_member(django_user_model))
    url = f"/admin/registrations/checkin/{date.pk}/"

    page = client.get(url).content.decode()
    client.post(url, {"attended": [str(anna.pk)]})

    assert "Anna" in page and "Jan" in page and "@media print" in page
    anna.refresh_from_db()
    jan.refresh_from_db()
    assert anna.attended is True and jan.attended is False


def test_the_board_cancels_someone_who_is_told_by_email(client, django_user_model, debate):
    date = debate.dates.get()
    jan = register_directly(date, name="Jan", email="jan@example.org", people=2)
    waiting = register_directly(date, name="Ewa", email="ewa@example.org")
    client.force_login(make_board_member(django_user_model))

    client.get(f"/admin/registrations/cancel/{jan.pk}/")
    jan.refresh_from_db()
    assert jan.status == "confirmed"  # the page asks first
    client.post(f"/admin/registrations/cancel/{jan.pk}/")

    jan.refresh_from_db()
    waiting.refresh_from_db()
    assert jan.status == "cancelled" and waiting.status == "confirmed"
    assert EventMail.objects.filter(recipient="jan@example.org", kind="cancellation").exists()
    assert EventMail.objects.filter(recipient="ewa@example.org", kind="promotion").exists()


def test_personal_data_goes_n_days_after_the_date_and_the_counts_stay(index):
    past = make_event(index, dates=[(in_days(-40), in_days(-40, 20))])
    recent = make_event(index, title="Niedawna", dates=[(in_days(-5), in_days(-5, 20))])
    from events.registration import register

    old = Registration.objects.create(
        event_date=past.dates.get(),
        name="Stara",
        email="stara@example.org",
        people=3,
        consent_clause_version="x",
    )
    fresh = Registration.objects.create(
        event_date=recent.dates.get(),
        name="Nowa",
        email="nowa@example.org",
        consent_clause_version="x",
    )
    assert register  # registrations for past dates are made directly above

    call_command("erase_old_registrations", stdout=io.StringIO())

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.name, old.email, old.people, old.status) == ("", "", 3, "confirmed")
    assert old.erased_at is not None
    assert fresh.email == "nowa@example.org"


def test_erase_sender_covers_registrations(debate):
    date = debate.dates.get()
    registration = register_directly(date, email="Anna@Example.org", people=2)
    waiting = register_directly(date, email="ewa@example.org", people=1)
    out = io.StringIO()

    call_command("erase_sender", "anna@example.org", stdout=out)

    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.email == "" and registration.name == "" and registration.people == 2
    assert not EventMail.objects.filter(recipient__iexact="anna@example.org").exists()
    assert "1 event registration(s)" in out.getvalue()
    # Her upcoming places were freed for the waitlist.
    assert registration.status == "cancelled" and waiting.status == "confirmed"


def test_removing_a_date_with_registrations_asks_for_confirmation(
    client, django_user_model, debate
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    date = debate.dates.get()
    register_directly(date, email="jan@example.org")
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "haslo")
    client.force_login(admin)

    def form_data(confirm):
        data = {
            "title": debate.title,
            "slug": debate.slug,
            "lead": debate.lead,
            "body": streamfield([]),
            "report": streamfield([]),
            "locality": debate.locality,
            "venue_name": debate.venue_name,
            "attendance_mode": "offline",
            "status": "scheduled",
            "max_people_per_registration": 4,
            "reminder_hours": 24,
            "registration_enabled": "on",
            "dates": inline_formset(
                [
                    {
                        "id": date.pk,
                        "start": "2031-01-01 18:00",
                        "end": "2031-01-01 20:00",
                        "DELETE": "1",
                    },
                    {"start": "2031-02-01 18:00", "end": "2031-02-01 20:00"},
                ],
                initial=1,
            ),
            "registration_access": inline_formset([]),
            "action-publish": "publish",
        }
        if confirm:
            data["confirm_removing_dates"] = "on"
        return nested_form_data(data)

    refused = client.post(f"/admin/pages/{debate.pk}/edit/", form_data(confirm=False))
    assert refused.status_code == 200
    assert "Na usuwane terminy zapisało się" in refused.content.decode()
    assert Registration.objects.filter(event_date=date).exists()

    django_mail.outbox.clear()
    done = client.post(f"/admin/pages/{debate.pk}/edit/", form_data(confirm=True))
    assert done.status_code == 302
    assert not Registration.objects.filter(event_date_id=date.pk).exists()
    notice = EventMail.objects.get(recipient="jan@example.org", kind="cancellation")
    assert "STATUS:CANCELLED" in notice.ics
    assert timedelta  # dates are given as the editor types them


def test_a_volunteers_list_costs_the_same_queries_for_2_or_12_registrations(
    client, django_user_model, debate
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    volunteer = make_editor(django_user_model, username="wolontariusz")
    RegistrationAccess.objects.create(user=volunteer, event=debate)
    client.force_login(volunteer)
    date = debate.dates.get()
    date.capacity = 20
    date.save()

    def queries_for(count):
        while Registration.objects.count() < count:
            register_directly(date, email=f"osoba{Registration.objects.count()}@example.org")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/registrations/").status_code == 200
        return len(captured)

    queries_for(1)  # the first request fills the settings and session caches
    assert queries_for(2) == queries_for(12)


def test_the_retention_erase_costs_the_same_queries_for_2_or_12_registrations(index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.erasure import erase_old_registrations

    past = make_event(index, dates=[(in_days(-40), in_days(-40, 20))])

    def queries_for(count):
        for number in range(count):
            Registration.objects.create(
                event_date=past.dates.get(),
                name=f"Osoba {number}",
                email=f"osoba{number}@example.org",
                consent_clause_version="x",
            )
        with CaptureQueriesContext(connection) as captured:
            assert erase_old_registrations(30) == count
        assert not Registration.objects.exclude(email="").exists()
        return len(captured)

    assert queries_for(2) == queries_for(12)
