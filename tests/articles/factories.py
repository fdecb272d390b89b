"""Plain helpers that build articles the way an editor does."""

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from articles.demo import article_index
from articles.models import ArticleAttachment, ArticleKind, ArticlePage

# The smallest file a PDF reader opens; enough for a document with a real type and size.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_pdf(title="Stanowisko w sprawie planu (PDF)", filename="stanowisko.pdf"):
    Document = get_document_model()
    document = Document(title=title)
    document.file.save(filename, ContentFile(PDF_BYTES), save=False)
    document.save()
    return document


def publish_article(
    index=None, title="Debata o źródłach Placu NZS", attachments=(), tags=(), **fields
):
    """An article published through Wagtail's own publishing (a revision, signals, search index)."""
    index = index or article_index()
    values = {
        "kind": ArticleKind.NEWS,
        "lead": "Mieszkańcy rozmawiali o zieleni.",
        "date": timezone.localdate(),
        "body": [("paragraph", "<p>Treść artykułu.</p>")],
    }
    values.update(fields)
    article = index.add_child(instance=ArticlePage(title=title, **values))
    for tag in tags:
        article.tags.add(tag)
    for position, document in enumerate(attachments):
        article.attachments.add(ArticleAttachment(document=document, sort_order=position))
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def publish_position_on_sources():
    """The position the browser tests open: an addressee, authors, two tags, a PDF."""
    return publish_article(
        title="Stanowisko w sprawie źródeł",
        slug="stanowisko-w-sprawie-zrodel",
        kind=ArticleKind.POSITION,
        addressee="Rada Miasta Białegostoku",
        authors="Zarząd Stowarzyszenia",
        tags=["plan miasta", "zieleń"],
        attachments=[make_pdf()],
    )
