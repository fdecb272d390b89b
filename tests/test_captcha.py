"""The arithmetic question: what it asks, how it looks and sounds, and that it cannot be skipped."""

import re
import shutil

import pytest
from bs4 import BeautifulSoup
from captcha.models import CaptchaStore
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, override_settings

from contact.captcha import arithmetic_challenge, spoken_question
from contact.checks import captcha_test_mode_is_off
from contact.models import ContactMessage
from tests.factories import fill_in_contact_form

pytestmark = pytest.mark.django_db

CONTACT_URL = "/kontakt/"
QUESTION = re.compile(r"^(\d+) ([+\u2212]) (\d+) =$")


@pytest.fixture
def visitor(association_content):
    return Client(enforce_csrf_checks=True)


def test_questions_add_or_subtract_with_results_from_0_to_30():
    seen_operators = set()
    for _ in range(500):
        question, answer = arithmetic_challenge()
        first, operator, second = QUESTION.match(question).groups()
        result = int(first) + int(second) if operator == "+" else int(first) - int(second)
        assert answer == str(result)
        assert 0 <= result <= 30
        seen_operators.add(operator)
    assert seen_operators == {"+", "\u2212"}


def test_the_question_is_read_in_polish():
    assert spoken_question("2 + 15 =") == "Ile to jest 2 plus 15?"
    assert spoken_question("20 \u2212 7 =") == "Ile to jest 20 minus 7?"


def test_the_question_is_a_picture_with_a_text_alternative(visitor):
    soup = BeautifulSoup(visitor.get(CONTACT_URL).content, "html.parser")
    key = soup.find("input", attrs={"name": "captcha_0"})["value"]
    image = soup.find("img", attrs={"data-captcha-image": True})

    assert image["alt"].startswith("Pytanie zabezpieczające")
    store = CaptchaStore.objects.get(hashkey=key)
    assert QUESTION.match(store.challenge)
    assert store.challenge not in image["alt"], "the alt text must not give the question away"
    picture = visitor.get(image["src"])
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG")


def test_a_question_expires_after_ten_minutes(visitor):
    from django.utils import timezone

    before = timezone.now()
    visitor.get(CONTACT_URL)
    expiration = CaptchaStore.objects.get().expiration
    assert 9 * 60 < (expiration - before).total_seconds() <= 10 * 60 + 5


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_question_can_be_heard_in_polish_where_espeak_is_installed(visitor):
    soup = BeautifulSoup(visitor.get(CONTACT_URL).content, "html.parser")
    link = soup.find("a", attrs={"data-captcha-audio": True})

    assert not link.has_attr("hidden")
    assert "Odsłuchaj pytanie" in link.get_text()
    audio = visitor.get(link["href"])
    assert audio.status_code == 200
    assert audio["Content-Type"] == "audio/wav"
    assert audio.content[:4] == b"RIFF" and audio.content[8:12] == b"WAVE"
    assert len(audio.content) > 10_000, "a second or more of speech"


@override_settings(ESPEAK_NG_PATH="/nonexistent/espeak-ng")
def test_the_listen_option_is_hidden_where_espeak_is_not_installed(visitor):
    soup = BeautifulSoup(visitor.get(CONTACT_URL).content, "html.parser")
    link = soup.find("a", attrs={"data-captcha-audio": True})

    assert link.has_attr("hidden")
    assert not link.has_attr("href")
    key = soup.find("input", attrs={"name": "captcha_0"})["value"]
    assert visitor.get(f"/kontakt/pytanie/{key}.wav").status_code == 404


def test_audio_of_an_unknown_question_is_gone(visitor):
    assert visitor.get("/kontakt/pytanie/0123456789abcdef.wav").status_code == 410


def test_the_librarys_test_mode_answer_is_never_accepted(visitor, monkeypatch):
    # The library reads the setting once, at import: switch it where the library looks.
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    page = visitor.get(CONTACT_URL)

    response = visitor.post(CONTACT_URL, fill_in_contact_form(page, answer="passed"))

    assert response.status_code == 200
    assert ContactMessage.objects.count() == 0


@pytest.mark.parametrize(("debug", "fails"), [(False, True), (True, False)])
def test_production_refuses_to_start_with_captcha_test_mode(settings, debug, fails):
    settings.CAPTCHA_TEST_MODE = True
    settings.DEBUG = debug

    errors = captcha_test_mode_is_off(None)

    assert [error.id for error in errors] == (["contact.E001"] if fails else [])
    if fails:
        with pytest.raises(SystemCheckError, match="CAPTCHA_TEST_MODE"):
            call_command("check")


def test_production_settings_keep_captcha_test_mode_off():
    from stowarzyszenie import settings as production

    assert production.CAPTCHA_TEST_MODE is False
    assert captcha_test_mode_is_off(None) == []


def test_expired_questions_are_cleaned_by_the_librarys_command(visitor):
    visitor.get(CONTACT_URL)
    CaptchaStore.objects.update(expiration="2000-01-01T00:00:00Z")

    call_command("captcha_clean", verbosity=0)

    assert CaptchaStore.objects.count() == 0
