"""A first view of the mission page stays light: ≤ 35 KB in ≤ 7 requests.

The same measure as `make bench` (bench/firstview.py), through the test client: the page as
served (gzip), every same-origin stylesheet, script, image and icon it loads, and — when the
contact form's script is there — the per-visitor parts and captcha image it fetches.
"""

import json

import pytest

from bench.firstview import (
    BUDGET_BYTES,
    BUDGET_REQUESTS,
    FORM_PARTS_URL,
    gzipped_size,
    same_origin_assets,
    uses_form_script,
)

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def header_bytes(response):
    """The response headers on the wire, which `make bench` counts in the budget too."""
    return sum(len(f"{name}: {value}\r\n") for name, value in response.items())


def first_view(client):
    page = client.get("/", **GZIP)
    assert page.status_code == 200
    sizes = {"/": len(page.content) + header_bytes(page)}
    html = client.get("/").content.decode()
    assets = same_origin_assets(html, "http://testserver/")
    if uses_form_script(assets):
        assets.append(FORM_PARTS_URL)
    for url in assets:
        response = client.get(url, **GZIP)
        assert response.status_code == 200, url
        body = body_of(response)
        sizes[url] = gzipped_size(body, response.get("Content-Encoding", "")) + header_bytes(
            response
        )
        if url == FORM_PARTS_URL:
            image = json.loads(body)["captcha"]["image_url"]
            if not image.startswith("data:"):
                sizes[image] = len(body_of(client.get(image)))
    return sizes


def test_first_view_of_the_mission_page_fits_the_budget(client, association_content):
    sizes = first_view(client)

    assert any(url.endswith(".css") for url in sizes), sizes
    assert len(sizes) <= BUDGET_REQUESTS, sizes
    assert sum(sizes.values()) <= BUDGET_BYTES, sizes


def test_first_view_with_events_and_articles_on_the_home_page_fits_the_budget(
    client, association_content
):
    from articles.demo import seed_articles
    from events.demo import seed_events

    seed_articles(6)
    seed_events(6)
    sizes = first_view(client)

    assert any(url.endswith(".css") for url in sizes), sizes
    assert len(sizes) <= BUDGET_REQUESTS, sizes
    assert sum(sizes.values()) <= BUDGET_BYTES, sizes


def test_page_has_its_own_icon_so_browsers_do_not_ask_for_a_missing_one(
    client, association_content
):
    assets = same_origin_assets(client.get("/").content.decode(), "http://testserver/")
    icons = [url for url in assets if url.endswith(".svg")]

    assert icons
    assert client.get(icons[0]).status_code == 200
