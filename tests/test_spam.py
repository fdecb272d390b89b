"""Spam layers a resident never notices: honeypot, time trap and the rate limit."""

import hashlib

import pytest
from django.test import Client, RequestFactory, override_settings

from contact.models import ContactMessage
from contact.protection import RATE_LIMIT_GROUP, make_form_token
from contact.throttle import client_key
from stowarzyszenie.client_ip import client_ip
from tests.factories import RESIDENT, collapse_spaces, fill_in_contact_form, form_fields

pytestmark = pytest.mark.django_db

CONTACT_URL = "/kontakt/"
THANKS_URL = "/kontakt/dziekujemy/"


@pytest.fixture
def visitor(association_content):
    return Client(enforce_csrf_checks=True)


def test_a_robot_filling_the_hidden_field_is_thanked_stored_as_spam_and_not_mailed(
    visitor, django_capture_on_commit_callbacks
):
    page = visitor.get(CONTACT_URL)

    with django_capture_on_commit_callbacks() as board_mail:
        response = visitor.post(
            CONTACT_URL, fill_in_contact_form(page, website="http://spam.example")
        )

    assert response.status_code == 303
    assert response["Location"] == THANKS_URL
    message = ContactMessage.objects.get()
    assert message.is_spam
    assert message.spam_reason == ContactMessage.SpamReason.HONEYPOT
    assert message.delivery_state == ContactMessage.DeliveryState.NOT_SENT
    assert message.text == RESIDENT["text"]
    assert board_mail == []


def test_a_form_sent_within_seconds_is_thanked_stored_as_spam_and_not_mailed(
    visitor, django_capture_on_commit_callbacks
):
    page = visitor.get(CONTACT_URL)

    with django_capture_on_commit_callbacks() as board_mail:
        response = visitor.post(CONTACT_URL, fill_in_contact_form(page, took_time=False))

    assert response.status_code == 303
    assert response["Location"] == THANKS_URL
    message = ContactMessage.objects.get()
    assert message.is_spam
    assert message.spam_reason == ContactMessage.SpamReason.TIME_TRAP
    assert message.delivery_state == ContactMessage.DeliveryState.NOT_SENT
    assert board_mail == []


@pytest.mark.parametrize("token", ["", "forged-token", make_form_token()[:-3] + "abc"])
def test_a_form_without_a_genuine_time_token_is_treated_as_spam(visitor, token):
    page = visitor.get(CONTACT_URL)

    visitor.post(CONTACT_URL, fill_in_contact_form(page, form_token=token))

    assert ContactMessage.objects.get().spam_reason == ContactMessage.SpamReason.TIME_TRAP


@override_settings(CONTACT_MIN_FILL_SECONDS=0)
def test_the_time_trap_can_be_switched_off(visitor):
    page = visitor.get(CONTACT_URL)

    visitor.post(CONTACT_URL, fill_in_contact_form(page, took_time=False))

    assert not ContactMessage.objects.get().is_spam


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(visitor):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(visitor.get(CONTACT_URL).content, "html.parser")
    trap = soup.find("input", attrs={"name": "website"})
    assert trap["tabindex"] == "-1"
    assert trap["autocomplete"] == "off"
    assert trap.find_parent("div")["aria-hidden"] == "true"
    assert "contact-form__trap" in trap.find_parent("div")["class"]


def test_sixth_attempt_in_ten_minutes_gets_a_polish_429_with_the_text_kept(visitor):
    for _attempt in range(5):
        page = visitor.get(CONTACT_URL)
        wrong = visitor.post(CONTACT_URL, fill_in_contact_form(page, answer="99"))
        assert wrong.status_code == 200

    page = visitor.get(CONTACT_URL)
    limited = visitor.post(CONTACT_URL, fill_in_contact_form(page))

    assert limited.status_code == 429
    text = collapse_spaces(limited.content.decode())
    assert "W krótkim czasie wysłano stąd wiele wiadomości" in text
    assert form_fields(limited)["text"] == RESIDENT["text"]
    assert ContactMessage.objects.count() == 0


def test_successful_messages_count_towards_the_limit_too(visitor):
    for _attempt in range(5):
        page = visitor.get(CONTACT_URL)
        assert visitor.post(CONTACT_URL, fill_in_contact_form(page)).status_code == 303

    page = visitor.get(CONTACT_URL)
    assert visitor.post(CONTACT_URL, fill_in_contact_form(page)).status_code == 429
    assert ContactMessage.objects.count() == 5


def test_asking_for_new_questions_does_not_count_as_attempts(visitor):
    page = visitor.get(CONTACT_URL)
    for _attempt in range(8):
        page = visitor.post(CONTACT_URL, fill_in_contact_form(page, new_question="1"))
        assert page.status_code == 200

    assert visitor.post(CONTACT_URL, fill_in_contact_form(page)).status_code == 303


@override_settings(CONTACT_RATE_LIMIT="2/1h")
def test_the_limit_is_configurable(visitor):
    statuses = []
    for _attempt in range(3):
        page = visitor.get(CONTACT_URL)
        statuses.append(visitor.post(CONTACT_URL, fill_in_contact_form(page)).status_code)

    assert statuses == [303, 303, 429]


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_each_resident_has_their_own_limit(association_content):
    anna = Client(enforce_csrf_checks=True, headers={"X-Forwarded-For": "203.0.113.7"})
    jan = Client(enforce_csrf_checks=True, headers={"X-Forwarded-For": "203.0.113.8"})
    for _attempt in range(5):
        page = anna.get(CONTACT_URL)
        anna.post(CONTACT_URL, fill_in_contact_form(page, answer="99"))

    page = anna.get(CONTACT_URL)
    assert anna.post(CONTACT_URL, fill_in_contact_form(page)).status_code == 429
    page = jan.get(CONTACT_URL)
    assert jan.post(CONTACT_URL, fill_in_contact_form(page)).status_code == 303


def test_without_a_trusted_proxy_a_made_up_forwarded_address_does_not_escape_the_limit(
    visitor,
):
    for attempt in range(6):
        page = visitor.get(CONTACT_URL)
        response = visitor.post(
            CONTACT_URL,
            fill_in_contact_form(page, answer="99"),
            headers={"X-Forwarded-For": f"198.51.100.{attempt}"},
        )

    assert response.status_code == 429


class FakeRequest:
    def __init__(self, remote_addr, forwarded_for=None):
        self.META = {"REMOTE_ADDR": remote_addr}
        if forwarded_for is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded_for


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for", "expected"),
    [
        (0, "203.0.113.5", "1.2.3.4", "203.0.113.5"),
        (1, "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.1", "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.1", "1.2.3.4, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (1, "10.0.0.1", None, "10.0.0.1"),
        (1, "10.0.0.1", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
    ],
)
def test_client_address_trusts_only_our_own_proxies(
    settings, proxies, remote_addr, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(FakeRequest(remote_addr, forwarded_for)) == expected


def test_no_address_of_the_resident_is_stored(visitor):
    page = visitor.get(CONTACT_URL)
    visitor.post(CONTACT_URL, fill_in_contact_form(page), REMOTE_ADDR="203.0.113.99")

    message = ContactMessage.objects.get()
    stored = " ".join(str(getattr(message, field.attname)) for field in message._meta.fields)
    assert "203.0.113.99" not in stored


def test_the_rate_limit_counts_a_keyed_hash_of_the_address_not_the_address():
    # The counters are stored: a plain address, or its bare hash, would let anyone holding the
    # database test which addresses wrote to the association.
    request = RequestFactory().post(CONTACT_URL, REMOTE_ADDR="203.0.113.99")

    key = client_key(RATE_LIMIT_GROUP, request)

    assert "203.0.113.99" not in key
    assert key != hashlib.sha256(b"203.0.113.99").hexdigest()
    assert key == client_key(
        RATE_LIMIT_GROUP, RequestFactory().post("/", REMOTE_ADDR="203.0.113.99")
    )
    assert key != client_key(
        RATE_LIMIT_GROUP, RequestFactory().post("/", REMOTE_ADDR="203.0.113.98")
    )
