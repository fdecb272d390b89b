"""The login lockout and the contact form's limits hold against the flood that once reset
them: a thousand requests for new and spoken questions, and the cache emptied on top."""

import pytest
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from tests.factories import fill_in_contact_form

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.66"


@pytest.fixture
def small_file_cache(settings, tmp_path):
    """The default file cache, which keeps at most 300 entries: the one the flood emptied."""
    settings.CACHES = {
        "default": {
            "BACKEND": "stowarzyszenie.degrading_cache.DegradingCache",
            "LOCATION": str(tmp_path / "cache"),
            "OPTIONS": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"},
        }
    }


def limit_of(rate):
    return int(rate.split("/")[0])


def flood(client, count=1000):
    """What the attacker sent: new questions and their spoken versions, as fast as possible."""
    statuses = []
    key = None
    for number in range(count):
        if number % 2 == 0:
            response = client.get("/kontakt/formularz.json")
            if response.status_code == 200:
                key = response.json()["captcha"]["key"]
        else:
            response = client.get(f"/kontakt/pytanie/{key or '0' * 40}.wav")
        statuses.append(response.status_code)
    return statuses


def test_a_flood_of_questions_does_not_reset_the_contact_rate_limit(
    association_content, small_file_cache
):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(limit_of(settings.CONTACT_RATE_LIMIT)):
        page = attacker.get("/kontakt/")
        attacker.post("/kontakt/", fill_in_contact_form(page, answer="99"))
    assert attacker.post("/kontakt/", {"text": "x"}).status_code == 429

    statuses = flood(attacker)
    cache.clear()  # even a cache emptied completely keeps no counter

    assert statuses.count(429) >= 1000 - limit_of(settings.CONTACT_CHALLENGE_RATE_LIMIT) - limit_of(
        settings.CONTACT_SPOKEN_RATE_LIMIT
    )
    page = attacker.get("/kontakt/")
    assert page.status_code == 429, "no new question for this client either"
    assert attacker.post("/kontakt/", {"text": "x"}).status_code == 429
    # A neighbour at another address is not affected.
    neighbour = Client(REMOTE_ADDR="198.51.100.7")
    assert neighbour.get("/kontakt/").status_code == 200


def test_new_questions_are_limited_per_client(association_content):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    limit = limit_of(settings.CONTACT_CHALLENGE_RATE_LIMIT)

    statuses = [attacker.get("/kontakt/formularz.json").status_code for _ in range(limit + 40)]

    assert statuses.count(200) == limit
    assert statuses[limit:] == [429] * 40
    assert CaptchaStore.objects.count() == limit
    # The library's own refresh view, which made challenges without any limit, is gone.
    assert attacker.get("/captcha/refresh/").status_code == 404


def test_spoken_questions_are_limited_and_not_kept_in_the_shared_cache(
    association_content, settings
):
    # An in-process cache whose keys the test can list, whatever CACHE_URL the run uses.
    settings.CACHES = {
        "default": {
            "BACKEND": "stowarzyszenie.degrading_cache.DegradingCache",
            "OPTIONS": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }
    }
    attacker = Client(REMOTE_ADDR=ATTACKER)
    key = attacker.get("/kontakt/formularz.json").json()["captcha"]["key"]
    limit = limit_of(settings.CONTACT_SPOKEN_RATE_LIMIT)

    statuses = [attacker.get(f"/kontakt/pytanie/{key}.wav").status_code for _ in range(limit + 5)]

    assert 429 not in statuses[:limit]
    assert statuses[limit:] == [429] * 5
    inner = cache.inner
    assert not [k for k in inner._cache if "wav" in k], "no audio in the shared cache"


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("redaktorka", "", PASSWORD)


def log_in(client, password, address):
    return client.post(LOGIN, {"username": "redaktorka", "password": password}, REMOTE_ADDR=address)


def test_a_flood_does_not_lift_the_login_lockout(association_content, editor, small_file_cache):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong", ATTACKER)
    assert log_in(client, "wrong", ATTACKER).status_code == 429

    flood(Client(REMOTE_ADDR=ATTACKER))
    cache.clear()

    assert log_in(client, PASSWORD, ATTACKER).status_code == 429


def test_one_ipv6_customer_cannot_guess_from_every_address_of_its_64(editor):
    client = Client()
    addresses = [f"2001:db8:5:7::{n:x}" for n in range(1, 13)]

    statuses = [log_in(client, "wrong", address).status_code for address in addresses]

    assert 429 in statuses
    assert statuses.index(429) == settings.AXES_FAILURE_LIMIT - 1
    assert log_in(client, PASSWORD, "2001:db8:5:7:ffff::1").status_code == 429
    # Another customer's /64 is not locked out.
    assert log_in(client, PASSWORD, "2001:db8:5:8::1").status_code == 302
