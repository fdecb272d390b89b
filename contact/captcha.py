"""The arithmetic question residents answer before their message is accepted.

django-simple-captcha keeps the challenges (``CaptchaStore``) and draws them as
images; this module supplies the question, the spoken version in Polish and a
field under which every challenge can be tried exactly once.
"""

import base64
import re
import secrets
import shutil
import subprocess

from captcha.fields import CaptchaField
from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contact.captcha_picture import MINUS, draw_question, picture_size

HIGHEST_RESULT = 30
WIDEST_QUESTION = f"{HIGHEST_RESULT} {MINUS} {HIGHEST_RESULT} ="
CHALLENGE_KEY = re.compile(r"[0-9a-f]{40}")


def arithmetic_challenge():
    """A question like the original site's "2 + 15 =": adding or subtracting, result 0–30.

    Used by django-simple-captcha through ``CAPTCHA_CHALLENGE_FUNCT``; returns
    (what the image shows, the expected answer). ``secrets`` rather than
    ``random``, because the library re-seeds ``random`` with the key while drawing.
    """
    if secrets.randbelow(2):
        result = 2 + secrets.randbelow(HIGHEST_RESULT - 1)  # 2..30
        first = 1 + secrets.randbelow(result - 1)  # both operands at least 1
        return f"{first} + {result - first} =", str(result)
    first = 1 + secrets.randbelow(HIGHEST_RESULT)  # 1..30
    second = 1 + secrets.randbelow(first)  # result 0..29
    return f"{first} {MINUS} {second} =", str(first - second)


def spoken_question(challenge):
    """The question as espeak-ng should read it in Polish (it reads digits as Polish numbers)."""
    operation = challenge.rstrip("= ").replace("+", "plus").replace(MINUS, "minus")
    return f"Ile to jest {operation}?"


def espeak_path():
    """The espeak-ng program, or None where it is not installed or switched off."""
    configured = getattr(settings, "ESPEAK_NG_PATH", "espeak-ng")
    return shutil.which(configured) if configured else None


def speak(challenge):
    """The question as a WAV file, spoken in Polish; None if espeak-ng failed."""
    program = espeak_path()
    if program is None:
        return None
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, text built from our own challenge
            [program, "-v", "pl", "-s", "140", "--stdout", spoken_question(challenge)],
            capture_output=True,
            timeout=15,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout or None


def new_challenge():
    """Create one challenge and describe what the form needs to show it."""
    # Expired challenges go as new ones are made (and by `delete_old_messages`), not while a
    # resident's message waits to be stored.
    CaptchaStore.remove_expired()
    key = CaptchaStore.generate_key()
    width, height = picture_size(WIDEST_QUESTION)
    return {
        "key": key,
        "image_url": reverse("captcha-image", kwargs={"key": key}),
        "width": width,
        "height": height,
        "audio_url": reverse("contact:captcha_audio", kwargs={"key": key})
        if espeak_path()
        else None,
        # What the picture is, not what it says: the question in the alt text
        # would turn the image into plain text any bot can read.
        "alt": str(_("Security question: a sum or a difference to work out, shown as a picture")),
    }


def question_picture_png(key):
    """The PNG picture of one challenge, or None once it is used or expired."""
    store = CaptchaStore.objects.filter(hashkey=key).first()
    if store is None:
        return None
    return draw_question(store.challenge, size=picture_size(WIDEST_QUESTION), seed=key)


def new_challenge_with_picture():
    """A new challenge whose picture travels inside it (a data: URL), for the forms' JSON
    endpoints: one request less for a visitor's first view."""
    captcha = new_challenge()
    picture = question_picture_png(captcha["key"])
    if picture is not None:
        captcha["image_url"] = "data:image/png;base64," + base64.b64encode(picture).decode("ascii")
    return captcha


def challenge_key(value):
    """A key as the library makes them (40 hex digits), or "" for anything else a client sends."""
    value = (value or "").strip().lower()
    return value if CHALLENGE_KEY.fullmatch(value) else ""


def discard_challenge(key):
    """Forget a challenge nobody will answer (e.g. the resident asked for a new one)."""
    if key := challenge_key(key):
        CaptchaStore.objects.filter(hashkey=key).delete()


class CaptchaPartsWidget(forms.MultiWidget):
    """Reads ``captcha_0`` (the challenge key) and ``captcha_1`` (the answer).

    The template draws the image and both inputs itself: the library's widget
    creates a challenge whenever it renders, and the mission page must not.
    """

    def __init__(self, attrs=None):
        super().__init__([forms.HiddenInput(), forms.TextInput()], attrs)

    def decompress(self, value):
        return [None, None]


class OneTimeCaptchaField(CaptchaField):
    """django-simple-captcha's field, where each challenge can be tried only once.

    Whatever the answer – right, wrong or empty – the challenge is deleted
    before it is compared, so it can neither be guessed at repeatedly nor
    replayed. Deleting by primary key and counting the deleted rows means that
    of two requests racing with the same key only one can succeed. Test mode
    (``CAPTCHA_TEST_MODE``) is deliberately not honoured here.
    """

    default_error_messages = {
        "required": _("Enter the result of the sum."),
        "invalid": _("That is not the right result. Please answer the new question."),
        "expired": _(
            "This question has expired or was already used (each question is valid "
            "for %(minutes)s minutes and only once). Please answer the new question."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", CaptchaPartsWidget())
        super().__init__(**kwargs)
        self.error_messages = {**self.error_messages, **self.default_error_messages}

    def clean(self, value):
        key, answer = (list(value) + [None, None])[:2] if value else (None, None)
        key = challenge_key(key)
        answer = (answer or "").strip().lower()

        store = CaptchaStore.objects.filter(hashkey=key).first() if key else None
        consumed = store is not None and CaptchaStore.objects.filter(pk=store.pk).delete()[0] == 1

        if not answer:
            raise ValidationError(self.error_messages["required"], code="required")
        if not consumed or store.expiration <= timezone.now():
            raise ValidationError(
                self.error_messages["expired"],
                code="expired",
                params={"minutes": settings.CAPTCHA_TIMEOUT},
            )
        if not secrets.compare_digest(answer.encode(), store.response.encode()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return answer
