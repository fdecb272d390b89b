"""Visitors read the association's articles: the list, its filters and pages, one article."""

import pytest

from tests.articles.factories import make_pdf, publish_article

pytestmark = pytest.mark.django_db


def test_visitor_reads_a_published_article(client, association_content):
    article = publish_article(title="Debata o źródłach", tags=["debata"], attachments=[make_pdf()])
    response = client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Debata o źródłach" in html
    assert "PDF" in html
