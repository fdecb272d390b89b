"""The blocks editors build content pages from: images, documents, tables, questions, video."""

import pytest
from bs4 import BeautifulSoup

from pages.blocks import BaseStreamBlock, privacy_player_url
from pages.demo import example_body, example_document, example_image
from pages.models import ContentPage


@pytest.fixture
def page_with_every_block(association_content, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = example_image("Plac")
    document = example_document("Statut")
    page = association_content.add_child(
        instance=ContentPage(
            title="Wszystkie bloki",
            slug="wszystkie-bloki",
            body=example_body(image, document, link_page=association_content),
        )
    )
    return page


def soup_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_images_come_in_modern_formats_with_sizes_and_alt_text(client, page_with_every_block):
    figure = soup_of(client, page_with_every_block).select_one("figure.figure")
    sources = figure.find_all("source")
    assert [s["type"] for s in sources] == ["image/avif", "image/webp"]
    assert all(len(s["srcset"].split(",")) == 3 for s in sources)
    img = figure.find("img")
    assert img["alt"] == "Słońce nad placem"
    assert img["loading"] == "lazy"
    assert img["width"] and img["height"]
    assert ".jpg" in img["src"]
    assert "Przykładowe zdjęcie z podpisem" in figure.figcaption.text
    assert "Fot. Przykład" in figure.figcaption.text


def test_decorative_photos_are_silent_for_screen_readers(client, page_with_every_block):
    photo = soup_of(client, page_with_every_block).select_one(".person img")
    assert photo["alt"] == ""


def test_an_image_needs_alt_text_unless_it_is_decorative(association_content, tmp_path, settings):
    from django.core.exceptions import ValidationError

    settings.MEDIA_ROOT = tmp_path
    image = example_image("Bez opisu")
    block = BaseStreamBlock()
    value = block.to_python(
        [{"type": "image", "value": {"image": {"image": image.pk, "alt_text": ""}}}]
    )
    with pytest.raises(ValidationError):
        block.clean(value)
    decorative = block.to_python(
        [{"type": "image", "value": {"image": {"image": image.pk, "decorative": True}}}]
    )
    block.clean(decorative)


def test_document_links_say_their_type_and_size(client, page_with_every_block):
    link = soup_of(client, page_with_every_block).select_one(".document-link")
    assert link.a.text == "Statut stowarzyszenia"
    assert link.a["href"].startswith("/documents/")
    details = link.select_one(".document-link__details").text
    assert details == "(PDF, 591\xa0bajtów)"


def test_rich_text_links_to_documents(client, page_with_every_block):
    text = soup_of(client, page_with_every_block).select_one(".rich-text a[href^='/documents/']")
    assert text.text == "statut"


def test_tables_have_column_headings_and_a_caption(client, page_with_every_block):
    table = soup_of(client, page_with_every_block).select_one("table")
    assert table.caption.text == "Przykładowy harmonogram"
    assert [th.text for th in table.select("thead th[scope=col]")] == ["Dzień", "Godzina"]
    assert [td.text for td in table.select("tbody tr:first-child td")] == ["Poniedziałek", "18"]


def test_questions_open_without_javascript(client, page_with_every_block):
    questions = soup_of(client, page_with_every_block).select(".faq details summary")
    assert [q.text for q in questions] == ["Kto może dołączyć?", "Ile to kosztuje?"]


def test_quote_people_and_call_to_action(client, page_with_every_block):
    soup = soup_of(client, page_with_every_block)
    assert "Miasto to ludzie" in soup.select_one("blockquote").text
    assert [p.text for p in soup.select(".person__name")] == ["Anna Przykładowa", "Jan Przykładowy"]
    assert soup.select_one(".call-to-action a")["href"] == "/"


def test_video_loads_nothing_from_youtube_until_played(client, page_with_every_block):
    soup = soup_of(client, page_with_every_block)
    video = soup.select_one(".video")
    assert soup.find("iframe") is None
    assert video["data-video-player"].startswith("https://www.youtube-nocookie.com/embed/aqz-KE")
    assert video.find("a")["href"] == "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
    assert "youtube" not in " ".join(img.get("src", "") for img in soup.find_all("img"))


@pytest.mark.parametrize(
    "url, player",
    [
        ("https://youtu.be/abc_DEF-123", "https://www.youtube-nocookie.com/embed/abc_DEF-123"),
        (
            "https://www.youtube.com/watch?v=abc123&t=5",
            "https://www.youtube-nocookie.com/embed/abc123",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://example.org/film.mp4", None),
        ("https://www.youtube.com/watch?v=a%22onload", None),
    ],
)
def test_only_youtube_and_vimeo_films_play_in_their_privacy_players(url, player):
    result = privacy_player_url(url)
    assert (result is None) if player is None else result.startswith(player)


def test_articles_and_events_show_every_block_their_editors_can_add(
    client, association_content, settings, tmp_path
):
    """Their body is the same stream as a content page's: a document or an image in it is
    drawn by its own template, not taken for rich text (which answered visitors with a 500)."""
    from tests.articles.factories import publish_article
    from tests.events.factories import make_event, make_event_index

    settings.MEDIA_ROOT = tmp_path
    body = example_body(
        example_image("Plac"), example_document("Statut"), link_page=association_content
    )
    article = publish_article(title="Wszystkie bloki w artykule", body=body)
    event = make_event(make_event_index(association_content), body=body)
    for page in (article, event):
        soup = soup_of(client, page)
        assert soup.select_one("figure.figure img")["alt"] == "Słońce nad placem", page.url
        assert soup.select_one(".document-link a").text.strip(), page.url
        assert soup.select_one("blockquote"), page.url
