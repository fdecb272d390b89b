"""The question's picture draws on any server, a fresh Debian without libraqm included."""

from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from PIL import Image, ImageFont

from contact import captcha_picture
from contact.captcha import HIGHEST_RESULT, MINUS, WIDEST_QUESTION
from contact.captcha_picture import draw_question, picture_size

BASIC = ImageFont.Layout.BASIC


def picture(png):
    return Image.open(BytesIO(png)).convert("L")


def ink_rows(image):
    """Rows of the picture that carry ink (dark pixels)."""
    width, height = image.size
    return [y for y in range(height) if any(image.getpixel((x, y)) < 128 for x in range(width))]


def every_question():
    for result in range(2, HIGHEST_RESULT + 1):
        for first in range(1, result):
            yield f"{first} + {result - first} ="
    for first in range(1, HIGHEST_RESULT + 1):
        for second in range(1, first + 1):
            yield f"{first} {MINUS} {second} ="


def test_every_question_is_drawn_whole_with_the_basic_text_layout():
    # Pillow's basic layout is what a server without libraqm/libfribidi has; forcing it here
    # means a machine with raqm cannot hide a fault that only shows without it.
    size = picture_size(WIDEST_QUESTION)
    for question in every_question():
        image = picture(draw_question(question, size=size, seed=question, layout_engine=BASIC))
        assert image.size == size
        left, top, right, bottom = Image.eval(image, lambda v: 255 - v).getbbox()
        # Ink on the picture, and none of it cut off at an edge.
        assert 0 < left < right < size[0] and 0 < top < bottom < size[1], question


def test_the_minus_is_a_bar_at_the_height_of_the_plus_bar(monkeypatch):
    monkeypatch.setattr(captcha_picture, "ROTATION", 0)
    size = picture_size(WIDEST_QUESTION)
    minus = ink_rows(picture(draw_question(MINUS, size=size, layout_engine=BASIC)))
    plus = ink_rows(picture(draw_question("+", size=size, layout_engine=BASIC)))

    assert len(minus) < len(plus) / 3, "a bar, not a cross"
    middle_of_plus = (plus[0] + plus[-1]) / 2
    middle_of_minus = (minus[0] + minus[-1]) / 2
    assert abs(middle_of_minus - middle_of_plus) <= 1, "at mid-height, not high like an overline"


@pytest.mark.django_db
def test_the_picture_has_its_size_on_the_page_and_is_served_as_png(association_content):
    visitor = Client()
    soup = BeautifulSoup(visitor.get("/kontakt/").content, "html.parser")
    image = soup.find("img", attrs={"data-captcha-image": True})

    served = visitor.get(image["src"])
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert picture(served.content).size == (int(image["width"]), int(image["height"]))
    assert visitor.get(image["src"]).content == served.content, "one key, one picture"


@pytest.mark.django_db
def test_a_used_or_unknown_question_picture_is_gone():
    assert Client().get("/captcha/image/" + "0" * 40 + "/").status_code == 410


@pytest.mark.django_db
def test_the_form_data_for_cached_pages_carries_the_picture_and_its_size(association_content):
    parts = Client().get("/kontakt/formularz.json").json()["captcha"]

    assert parts["image_url"].startswith("data:image/png;base64,")
    assert (parts["width"], parts["height"]) == picture_size(WIDEST_QUESTION)
