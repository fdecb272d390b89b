"""A resident registers for a date: places, the waitlist, closing, cancelling, bad input."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone, translation

from events.models import Registration
from events.views import FINISH_HERE
from tests.factories import captcha_answer, form_fields, written_a_minute_ago

from .factories import in_days, make_event, make_event_index, register_directly

pytestmark = pytest.mark.django_db

RESIDENT = {"name": "Jan Mieszkaniec", "email": "jan@example.org", "consent": "on"}


@pytest.fixture
def index(association_content):
    return make_event_index(association_content)


def fill_in(response, **changes):
    data = form_fields(response, form_id="formularz-zapisu")
    data.update(RESIDENT)
    data["people"] = "1"
    data["captcha_1"] = captcha_answer(data["captcha_0"])
    data["form_token"] = written_a_minute_ago()
    data.update(changes)
    return data


def register_through_the_page(client, event_date, **changes):
    url = f"/zapisy/{event_date.pk}/"
    return client.post(url, fill_in(client.get(url), **changes))


def test_resident_registers_and_sees_the_confirmation(client, index):
    event = make_event(index, dates=[{"start": in_days(7), "end": in_days(7, 20), "capacity": 10}])
    date = event.dates.get()

    response = register_through_the_page(client, date, people="2")

    assert response.status_code == 303
    registration = Registration.objects.get()
    assert (registration.name, registration.email, registration.people) == (
        "Jan Mieszkaniec",
        "jan@example.org",
        2,
    )
    assert registration.status == "confirmed" and registration.consent_given
    done = client.get(response["Location"])
    assert "Dziękujemy za zapis" in done.content.decode()
    assert "jan@example.org" not in done.content.decode()
    assert client.get(f"/zapisy/{date.pk}/formularz.json").json()["places"][str(date.pk)] == (
        "Zostało 8 miejsc"
    )


def test_the_event_page_shows_the_same_question_picture_as_the_registration_page(client, index):
    """The cached event page gets its question inline from the JSON endpoint; it is the
    site's own drawing (any machine, the real minus), the one /captcha/image/ serves."""
    import base64

    event = make_event(index, dates=[{"start": in_days(7), "end": in_days(7, 20), "capacity": 10}])
    date = event.dates.get()

    captcha = client.get(f"/zapisy/{date.pk}/formularz.json").json()["captcha"]

    assert captcha["image_url"].startswith("data:image/png;base64,")
    inline = base64.b64decode(captcha["image_url"].split(",", 1)[1])
    assert inline == client.get(f"/captcha/image/{captcha['key']}/").content


def test_when_the_date_is_full_the_next_person_joins_the_waitlist(client, index):
    event = make_event(index, dates=[{"start": in_days(7), "end": in_days(7, 20), "capacity": 3}])
    date = event.dates.get()
    register_directly(date, people=2)

    # Two more people do not fit in the one place left: they wait.
    response = register_through_the_page(client, date, people="2")

    registration = Registration.objects.get(email="jan@example.org")
    assert registration.status == "waitlisted"
    assert "Jesteś na liście rezerwowej" in client.get(response["Location"]).content.decode()


def test_a_cancellation_promotes_the_first_people_who_fit(client, index):
    event = make_event(index, dates=[{"start": in_days(7), "end": in_days(7, 20), "capacity": 3}])
    date = event.dates.get()
    first = register_directly(date, email="pierwsza@example.org", people=3)
    big_group = register_directly(date, email="grupa@example.org", people=3)
    couple = register_directly(date, email="para@example.org", people=2)
    assert [big_group.status, couple.status] == ["waitlisted", "waitlisted"]

    from events.registration import cancel

    cancel(first.pk)

    big_group.refresh_from_db()
    couple.refresh_from_db()
    # The first in line fits the three freed places; the couple keeps waiting.
    assert big_group.status == "confirmed" and couple.status == "waitlisted"


def test_the_cancel_link_asks_before_it_cancels(client, index):
    event = make_event(index, dates=[{"start": in_days(7), "end": in_days(7, 20), "capacity": 1}])
    date = event.dates.get()
    registration = register_directly(date)
    waiting = register_directly(date, email="czeka@example.org")
    from events.registration_tokens import cancel_token

    url = f"/zapisy/rezygnacja/{cancel_token(registration)}/"

    # A mail scanner follows the link: nothing changes.
    page = client.get(url)
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert "Tak, rezygnuję" in page.content.decode()

    client.post(url)
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == "cancelled"
    assert waiting.status == "confirmed"
    assert client.get("/zapisy/rezygnacja/podrobiony-link/").status_code == 404


def test_registration_closes_at_the_time_the_editor_set(client, index):
    event = make_event(
        index,
        dates=[
            {
                "start": in_days(7),
                "end": in_days(7, 20),
                "registration_closes_at": timezone.now() - timedelta(minutes=1),
            }
        ],
    )
    date = event.dates.get()

    page = client.get(f"/zapisy/{date.pk}/")
    response = client.post(f"/zapisy/{date.pk}/", {**RESIDENT, "people": "1"})

    assert "Zapisy na ten termin są zamknięte" in page.content.decode()
    assert "Zapisy na ten termin są zamknięte" in response.content.decode()
    assert not Registration.objects.exists()
    assert client.get(f"/zapisy/{date.pk}/formularz.json").json()["open"] is False


def test_wrong_answer_keeps_what_the_resident_typed(client, index):
    event = make_event(index, ask_dietary_needs=True)
    date = event.dates.get()
    url = f"/zapisy/{date.pk}/"

    response = client.post(url, fill_in(client.get(url), captcha_1="99", dietary_needs="wegańska"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Popraw formularz" in body
    assert 'value="wegańska"' in body and 'value="Jan Mieszkaniec"' in body
    assert not Registration.objects.exists()


def test_more_people_than_the_editor_allows_is_refused_in_polish(client, index):
    event = make_event(index, max_people_per_registration=2)

    response = register_through_the_page(client, event.dates.get(), people="3")

    assert response.status_code == 200
    assert "Wybierz poprawną wartość" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_honeypot_stores_nothing(client, index):
    event = make_event(index)

    response = register_through_the_page(client, event.dates.get(), website="http://spam")

    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_the_rate_limit_keeps_what_was_typed(client, index, settings):
    settings.CONTACT_RATE_LIMIT = "1/10m"
    event = make_event(index, dates=[{"start": in_days(7), "end": in_days(7, 20)}])
    date = event.dates.get()
    register_through_the_page(client, date)

    response = register_through_the_page(client, date, email="drugi@example.org")

    assert response.status_code == 429
    assert 'value="drugi@example.org"' in response.content.decode()
    assert Registration.objects.count() == 1


def test_new_questions_for_registering_are_limited_like_the_contact_forms(client, index, settings):
    settings.CONTACT_CHALLENGE_RATE_LIMIT = "3/10m"
    event = make_event(index, dates=[{"start": in_days(7), "end": in_days(7, 20)}])
    date = event.dates.get()
    parts_url = f"/zapisy/{date.pk}/formularz.json"
    for _ in range(3):
        assert client.get(parts_url).status_code == 200

    refused = client.get(parts_url)
    page = client.get(f"/zapisy/{date.pk}/")

    assert refused.status_code == 429 and "captcha" not in refused.json()
    assert refused.json()["places"]  # the places still come
    assert page.status_code == 429
    assert "poproszono o wiele nowych pytań zabezpieczających" in page.content.decode()
    assert 'name="captcha_0" value=""' in page.content.decode()
    assert client.get(f"/zapisy/{date.pk}/formularz.json?tylko=miejsca").status_code == 200


@pytest.mark.parametrize("made_up", ["1", "true", "yes"])
def test_only_the_ticked_box_itself_counts_as_consent(client, index, made_up):
    event = make_event(index, dates=[{"start": in_days(7), "end": in_days(7, 20)}])

    response = register_through_the_page(client, event.dates.get(), consent=made_up)

    assert response.status_code == 200
    assert "Zaznacz pole zgody" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_dates_page_never_shows_personal_data(client, index):
    event = make_event(index)
    register_directly(event.dates.get(), name="Zofia Tajemnicza", email="zofia@example.org")

    for url in (event.url, index.url, f"/zapisy/{event.dates.get().pk}/"):
        body = client.get(url).content.decode()
        assert "Zofia" not in body and "zofia@example.org" not in body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_taking_the_last_place_at_once_only_one_gets_it(
    live_server, association_content
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database for writes; the race needs PostgreSQL")
    import requests

    index = make_event_index(association_content)
    event = make_event(index, dates=[{"start": in_days(7), "end": in_days(7, 20), "capacity": 1}])
    url = f"{live_server.url}/zapisy/{event.dates.get().pk}/"
    residents = 4
    sessions, forms = [], []
    for number in range(residents):
        session = requests.Session()
        page = session.get(url, timeout=30)

        class Page:
            content = page.content

        forms.append(fill_in(Page, email=f"osoba{number}@example.org"))
        sessions.append(session)

    start = threading.Barrier(residents)
    answers = []

    def post(session, data):
        start.wait()
        answers.append(session.post(url, data=data, timeout=30, allow_redirects=False))

    pairs = zip(sessions, forms, strict=True)
    threads = [threading.Thread(target=post, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [a.status_code for a in answers] == [303] * residents
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == ["confirmed"] + ["waitlisted"] * (residents - 1)


def test_a_registration_from_the_cached_event_page_without_javascript_finishes_here(index):
    """The cached event page's form has no CSRF token until JavaScript fetches one: without
    it the POST lands on the never-cached registration page, everything typed kept, with a
    Polish notice instead of Django's English 403 page."""
    from django.test import Client

    event = make_event(index, dates=[{"start": in_days(7), "end": in_days(7, 20)}])
    date = event.dates.get()
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(event.url)
    assert 'name="csrfmiddlewaretoken"' not in page.content.decode()
    typed = form_fields(page, form_id="formularz-zapisu")
    typed.update(RESIDENT, people="2")

    landed = visitor.post(f"/zapisy/{date.pk}/", typed)

    assert landed.status_code == 200
    assert "no-cache" in landed["Cache-Control"]
    html = landed.content.decode()
    with translation.override("pl"):
        assert str(FINISH_HERE) in html and "Forbidden" not in html
    kept = form_fields(landed, form_id="formularz-zapisu")
    assert (kept["name"], kept["email"]) == ("Jan Mieszkaniec", "jan@example.org")
    assert '<option value="2" selected>' in html
    assert not Registration.objects.exists()

    # The page the resident landed on has a token and a question: answering it registers.
    finished = visitor.post(f"/zapisy/{date.pk}/", fill_in(landed, people="2"))
    assert finished.status_code == 303
    assert Registration.objects.get().people == 2


def test_a_registration_with_an_out_of_date_token_keeps_what_was_typed(index):
    from django.test import Client

    event = make_event(index, dates=[{"start": in_days(7), "end": in_days(7, 20)}])
    date = event.dates.get()
    visitor = Client(enforce_csrf_checks=True)
    typed = fill_in(visitor.get(f"/zapisy/{date.pk}/"))
    typed["csrfmiddlewaretoken"] = "x" * 64

    landed = visitor.post(f"/zapisy/{date.pk}/", typed)

    assert landed.status_code == 403
    assert "Nie mogliśmy przyjąć formularza" in landed.content.decode()
    assert form_fields(landed, form_id="formularz-zapisu")["email"] == "jan@example.org"
    assert not Registration.objects.exists()
