"""The site's colours: defined once, as tokens in static/css/site.css, and readable in every scheme.

The stylesheet holds three blocks of colour tokens – light, dark (`prefers-color-scheme`) and
print – and no colour anywhere else. Each pair of tokens the rules put together (text on its
background, a link, a button, the focus ring) must meet WCAG 2.1 AA in each block: 4.5:1 for
text, 3:1 for the edges of controls and the focus ring (1.4.3, 1.4.11). The ratios are computed
here from the hex values, as WCAG defines relative luminance.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STYLESHEET = ROOT / "static" / "css" / "site.css"
BASE_TEMPLATE = ROOT / "templates" / "base.html"

TEXT = 4.5
LARGE_TEXT_OR_CONTROL = 3.0

# (foreground, background, minimum ratio): every pair the rules in site.css put together.
PAIRS = [
    # Text and headings on the page, on boxes (cards, the form), on the footer, on the hero.
    *[
        (text, background, TEXT)
        for text in ("text", "text-muted", "heading", "link", "link-hover", "accent", "error")
        for background in ("background", "surface", "surface-muted", "hero-background")
    ],
    # Share links and secondary buttons when hovered.
    ("link-hover", "surface-hover", TEXT),
    ("button-secondary-text", "surface-hover", TEXT),
    # The header: name, menu, search, and its "Napisz do nas" button.
    ("header-text", "header-background", TEXT),
    ("header-cta-text", "header-cta-background", TEXT),
    ("header-cta-background", "header-background", LARGE_TEXT_OR_CONTROL),
    ("header-focus", "header-background", LARGE_TEXT_OR_CONTROL),
    # Buttons: their text, and their edge against the page.
    ("button-text", "button-background", TEXT),
    ("button-text", "button-hover-background", TEXT),
    ("button-background", "background", LARGE_TEXT_OR_CONTROL),
    ("button-background", "surface", LARGE_TEXT_OR_CONTROL),
    ("button-secondary-text", "button-secondary-background", TEXT),
    ("button-secondary-text", "background", LARGE_TEXT_OR_CONTROL),
    # Form fields' edges, checkboxes (accent-color: link) and the focus ring.
    ("control-border", "surface", LARGE_TEXT_OR_CONTROL),
    ("control-border", "background", LARGE_TEXT_OR_CONTROL),
    ("link", "surface", LARGE_TEXT_OR_CONTROL),
    ("focus", "background", LARGE_TEXT_OR_CONTROL),
    ("focus", "surface", LARGE_TEXT_OR_CONTROL),
    ("focus", "hero-background", LARGE_TEXT_OR_CONTROL),
]
# Tokens that carry no information by their contrast: hairlines between boxes, the orange mark
# (a decoration beside text that has its own contrast), and the white behind the captcha picture,
# whose drawing brings its own contrast.
DECORATIVE = {"border", "mark", "captcha-background"}


def relative_luminance(hex_colour):
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first, second):
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def without_comments(css):
    return re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)


def block_after(css, opening):
    """The text inside the braces of the first `opening {` (which may nest), without them."""
    start = css.index(opening)
    depth, position = 0, css.index("{", start)
    for index in range(position, len(css)):
        if css[index] == "{":
            depth += 1
        elif css[index] == "}":
            depth -= 1
            if depth == 0:
                return css[position + 1 : index]
    raise AssertionError(f"unbalanced braces after {opening!r}")


def colour_tokens(block):
    return dict(re.findall(r"--color-([a-z-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", block))


def schemes(css=None):
    """{"light": tokens, "dark": tokens, "print": tokens}, each scheme complete."""
    css = without_comments(css if css is not None else STYLESHEET.read_text(encoding="utf-8"))
    light = colour_tokens(block_after(css, ":root"))
    dark = colour_tokens(
        block_after(block_after(css, "@media (prefers-color-scheme: dark)"), ":root")
    )
    paper = colour_tokens(block_after(block_after(css, "@media print"), ":root"))
    return {"light": light, "dark": {**light, **dark}, "print": {**light, **paper}}


def failing_pairs(tokens, pairs=PAIRS):
    failures = []
    for foreground, background, minimum in pairs:
        ratio = contrast_ratio(tokens[foreground], tokens[background])
        if ratio < minimum:
            failures.append(
                f"--color-{foreground} {tokens[foreground]} on --color-{background} "
                f"{tokens[background]}: {ratio:.2f}:1 < {minimum}:1"
            )
    return failures


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_and_control_meets_wcag_aa_contrast(scheme):
    assert failing_pairs(schemes()[scheme]) == []


def test_every_text_is_readable_on_paper():
    # Controls are not printed (buttons and forms are hidden), so only text counts there.
    text_pairs = [pair for pair in PAIRS if pair[2] == TEXT]
    assert failing_pairs(schemes()["print"], text_pairs) == []


def test_dark_and_print_schemes_redefine_every_colour_of_the_light_one():
    css = without_comments(STYLESHEET.read_text(encoding="utf-8"))
    light = set(colour_tokens(block_after(css, ":root")))
    dark_block = block_after(block_after(css, "@media (prefers-color-scheme: dark)"), ":root")
    print_block = block_after(block_after(css, "@media print"), ":root")
    assert set(colour_tokens(dark_block)) == light
    assert set(colour_tokens(print_block)) == light


def test_every_colour_token_is_checked_or_known_to_be_decorative():
    named = {token for pair in PAIRS for token in pair[:2]}
    tokens = set(schemes()["light"])
    assert tokens - named - DECORATIVE == set(), "add the new colour's pairs to PAIRS"
    assert named - tokens == set(), "PAIRS names a colour the stylesheet does not define"


def test_rules_use_the_tokens_and_define_no_colour_of_their_own():
    css = without_comments(STYLESHEET.read_text(encoding="utf-8"))
    # Everything except the three token blocks.
    for opening in (":root", "@media (prefers-color-scheme: dark)"):
        css = css.replace(block_after(css, opening), "", 1)
    print_media = block_after(css, "@media print")
    css = css.replace(block_after(print_media, ":root"), "", 1)
    raw = re.findall(
        r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(|:\s*(?:white|black)\b|\bcurrentcolor\b", css
    )
    assert raw == [], "use a --color-… token from the top of site.css"


def test_browser_chrome_takes_the_headers_colour_in_each_scheme():
    html = BASE_TEMPLATE.read_text(encoding="utf-8")
    theme = {
        media: colour
        for colour, media in re.findall(
            r'<meta name="theme-color" content="(#[0-9a-fA-F]+)" media="\(prefers-color-scheme: '
            r'(\w+)\)">',
            html,
        )
    }
    tokens = schemes()
    assert theme == {
        "light": tokens["light"]["header-background"],
        "dark": tokens["dark"]["header-background"],
    }


def test_the_check_would_catch_a_pale_link():
    css = STYLESHEET.read_text(encoding="utf-8").replace(
        "--color-link: #0b4a6f;", "--color-link: #6fa4c4;", 1
    )
    assert any(
        line.startswith("--color-link #6fa4c4") for line in failing_pairs(schemes(css)["light"])
    )


def test_ratios_match_wcag_examples():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#fff", "#fff") == pytest.approx(1)
