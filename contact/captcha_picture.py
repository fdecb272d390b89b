"""The picture of the arithmetic question ("13 − 1 =").

Drawn here rather than by django-simple-captcha: its drawing measures each
character with Pillow's layout engine, and under the basic layout (a server
without libraqm/libfribidi, such as a fresh Debian) the spaces measure −1 pixel
wide and every picture is a 500. Here the layout is always the basic one, so the
picture is the same on every machine, and the minus is drawn as a bar through the
middle of the "+" glyph: the font's own minus sits high and reads like an overline.
"""

import random
from functools import cache
from io import BytesIO
from pathlib import Path

import captcha
from PIL import Image, ImageDraw, ImageFont

# The true minus sign: as wide as "+", where a hyphen all but vanishes in the picture.
MINUS = "\u2212"

# Bitstream Vera, shipped with django-simple-captcha: no system fonts needed.
FONT_PATH = Path(captcha.__file__).parent / "fonts" / "Vera.ttf"
FONT_SIZE = 36
# Readable first (WCAG): dark on white, barely rotated, no lines across the digits.
INK = (30, 30, 30)
PAPER = (255, 255, 255)
ROTATION = 6  # degrees either way
PADDING = 8
GAP = -2  # between characters: the margins below already part them
MARGIN = 3  # around each character, so turning it does not clip its corners
WORD_GAP = 14  # where the question has a space


@cache
def question_font(layout_engine=ImageFont.Layout.BASIC):
    return ImageFont.truetype(str(FONT_PATH), FONT_SIZE, layout_engine=layout_engine)


def glyph(char, font):
    """One character as a grey mask cropped to its ink; the minus is drawn, not typed."""
    if char == MINUS:
        return minus_bar(font)
    # Every mask is one line high with the text drawn from its top, so all share a baseline.
    ascent, descent = font.getmetrics()
    right = font.getbbox(char)[2]
    mask = Image.new("L", (right + 2 * MARGIN, ascent + descent), 0)
    ImageDraw.Draw(mask).text((MARGIN, 0), char, font=font, fill=255)
    return mask


def minus_bar(font):
    """The horizontal stroke of "+" alone: a minus exactly as wide, thick and high as the plus."""
    plus = glyph("+", font)
    width, height = plus.size
    bar = Image.new("L", plus.size, 0)
    # The row through the middle of "+" where the ink is widest is its horizontal stroke.
    rows = [sum(1 for x in range(width) if plus.getpixel((x, y)) > 127) for y in range(height)]
    widest = max(rows)
    stroke = [y for y, filled in enumerate(rows) if filled >= widest * 0.8]
    for y in stroke:
        for x in range(width):
            bar.putpixel((x, y), plus.getpixel((x, y)))
    return bar


def baseline_glyphs(text, font, rng):
    """(mask, x) for each character, on a common baseline, each turned a little."""
    placed = []
    x = PADDING
    for char in text:
        if char == " ":
            x += WORD_GAP
            continue
        mask = glyph(char, font)
        if ROTATION:
            mask = mask.rotate(rng.uniform(-ROTATION, ROTATION), resample=Image.BICUBIC)
        placed.append((mask, x))
        x += mask.size[0] + GAP
    return placed, x - GAP + PADDING


@cache
def picture_size(widest_question):
    """One size for every question, so the page can reserve its place (width/height on <img>)."""
    font = question_font()
    _placed, width = baseline_glyphs(widest_question, font, random.Random(0))  # noqa: S311 - layout, not secrecy
    ascent, descent = font.getmetrics()
    return width, ascent + descent + 2 * PADDING


def draw_question(text, *, size, seed=None, layout_engine=ImageFont.Layout.BASIC):
    """The question as a PNG (bytes), centred on a canvas of ``size`` (width, height)."""
    font = question_font(layout_engine)
    # random.Random(key): the same challenge always gives the same picture.
    placed, text_width = baseline_glyphs(text, font, random.Random(seed))  # noqa: S311
    width, height = size
    image = Image.new("RGB", (width, height), PAPER)
    ink = Image.new("RGB", (width, height), INK)
    offset = (width - text_width) // 2
    for mask, x in placed:
        layer = Image.new("L", (width, height), 0)
        layer.paste(mask, (x + offset, PADDING))
        image = Image.composite(ink, image, layer)
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
