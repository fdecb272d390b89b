"""Example content for demos, screenshots and benchmarks (``manage.py seed_demo_content``).

Everything made here is marked as an example ("[Przykład]") so nobody takes it for the
association's own words, and is found again by that mark, so running it twice adds nothing.
Images are drawn with Pillow and the document is a tiny PDF written by hand: no files to ship.
"""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

EXAMPLE_MARK = "[Przykład]"
COLOURS = ["#0b4a6f", "#9c3d12", "#2f6f3e", "#6b3f8f", "#8a6d1d"]


def example_title(text):
    return f"{EXAMPLE_MARK} {text}"


def example_image(title, colour="#0b4a6f", size=(1600, 1000)):
    """An image in the media library: sky, sun and a green field, as a photo stand-in.

    The field is not the page's background colour, so the picture's edge shows in screenshots.
    """
    from PIL import Image, ImageDraw

    image_model = get_image_model()
    title = example_title(title)
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    picture = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    width, height = size
    draw.rectangle([0, height * 2 // 3, width, height], fill="#4f7a35")
    draw.ellipse([width // 3, height // 5, width * 2 // 3, height * 2 // 3], fill="#f2c14e")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    return image_model.objects.create(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"{slug}.jpg")
    )


def tiny_pdf(text):
    """A valid one-page PDF saying `text` (ASCII), small enough to write without a library."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def example_document(title, filename="przyklad.pdf"):
    document_model = get_document_model()
    title = example_title(title)
    existing = document_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    document = document_model(title=title)
    document.file.save(filename, ContentFile(tiny_pdf("Example document")), save=False)
    document.save()
    return document


def example_body(image, document, photo=None, link_page=None):
    """A page body (raw StreamField data) using every block of ``pages.blocks.BaseStreamBlock``."""
    photo = photo or image
    paragraph = (
        "<p>To jest <b>przykładowa</b> treść, pokazująca, jak wygląda strona. "
        f'Statut można też podlinkować w tekście: <a linktype="document" id="{document.pk}">'
        "statut</a>.</p>"
    )
    cta = {"text": "Napisz do nas", "page": link_page.pk, "url": ""} if link_page else None
    cta = cta or {"text": "Napisz do nas", "page": None, "url": "https://example.org/"}
    blocks = [
        ("heading", "Przykładowy nagłówek"),
        ("paragraph", paragraph),
        (
            "image",
            {
                "image": {"image": image.pk, "alt_text": "Słońce nad placem", "decorative": False},
                "caption": "Przykładowe zdjęcie z podpisem",
                "credit": "Fot. Przykład",
            },
        ),
        ("document", {"document": document.pk, "title": "Statut stowarzyszenia"}),
        ("quote", {"text": "Miasto to ludzie, nie budynki.", "attribution": "Przykładowa autorka"}),
        ("call_to_action", cta),
        (
            "table",
            {
                "caption": "Przykładowy harmonogram",
                "columns": [
                    {"type": "text", "heading": "Dzień"},
                    {"type": "number", "heading": "Godzina"},
                ],
                "rows": [{"values": ["Poniedziałek", "18"]}, {"values": ["Czwartek", "19"]}],
            },
        ),
        (
            "faq",
            {
                "heading": "Pytania i odpowiedzi",
                "questions": [
                    {"question": "Kto może dołączyć?", "answer": "<p>Każdy mieszkaniec.</p>"},
                    {"question": "Ile to kosztuje?", "answer": "<p>Nic.</p>"},
                ],
            },
        ),
        (
            "people",
            {
                "heading": "Zarząd",
                "people": [
                    {
                        "photo": {"image": photo.pk, "alt_text": "", "decorative": True},
                        "name": "Anna Przykładowa",
                        "role": "Prezeska",
                    },
                    {"photo": {"image": None}, "name": "Jan Przykładowy", "role": "Skarbnik"},
                ],
            },
        ),
        (
            "video",
            {
                "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
                "title": "Przykładowy film",
                "poster": {"image": image.pk, "alt_text": "", "decorative": True},
            },
        ),
    ]
    return [{"type": block_type, "value": value} for block_type, value in blocks]
