"""The StreamField blocks every page type shares, each with one template in templates/components/.

Page types of other apps (events, articles) build their bodies from :class:`BaseStreamBlock`,
so a block added here appears in every editor at once.
"""

from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

MANIFESTO_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3"]
# Rich text in page bodies may also hold images and links to documents.
BODY_FEATURES = MANIFESTO_FEATURES + ["document-link", "image"]


class ListItemsBlock(blocks.StreamBlock):
    """An ordered list that editors add to, reorder and remove from: one short text per item."""

    item = blocks.TextBlock(label=_("Item"), form_classname="title")

    class Meta:
        label = _("List items")
        icon = "list-ul"


class FigureBlock(blocks.StructBlock):
    """An image with its alt text (required unless decorative), caption and credit."""

    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)
    credit = blocks.CharBlock(
        label=_("Credit"), required=False, max_length=120, help_text=_("e.g. “Fot. Jan Kowalski”")
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "components/figure.html"


class DocumentLinkBlock(blocks.StructBlock):
    """A link to an uploaded document that says its type and size, e.g. "Statut (PDF, 240 KB)"."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to use the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "components/document_link.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Author"), required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "components/quote.html"


class CallToActionBlock(blocks.StructBlock):
    """A prominent button leading to a page of the site or another address."""

    text = blocks.CharBlock(label=_("Button text"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or another address"), required=False)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "components/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or enter an address."))}
            )
        return value


class TableBlock(TypedTableBlock):
    """A table with column headings (and an optional caption), so screen readers name each cell."""

    text = blocks.CharBlock(label=_("Text"))
    number = blocks.DecimalBlock(label=_("Number"))
    rich_text = blocks.RichTextBlock(label=_("Text with links"), features=["link"])

    class Meta:
        icon = "table"
        label = _("Table")
        template = "components/table.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=255)
    answer = blocks.RichTextBlock(label=_("Answer"), features=MANIFESTO_FEATURES)


class FaqBlock(blocks.StructBlock):
    """Questions that open one at a time (``details``), without JavaScript."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=255)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        label = _("Questions and answers")
        template = "components/faq.html"


class PersonBlock(blocks.StructBlock):
    photo = ImageBlock(label=_("Photo"), required=False)
    name = blocks.CharBlock(label=_("Name"), max_length=120)
    role = blocks.CharBlock(label=_("Role"), required=False, max_length=120)


class PeopleBlock(blocks.StructBlock):
    """People with their photo and role, e.g. the board."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=255)
    people = blocks.ListBlock(PersonBlock(), label=_("People"))

    class Meta:
        icon = "group"
        label = _("People")
        template = "components/people.html"


def privacy_player_url(url):
    """The privacy-enhanced player address for a YouTube or Vimeo link, or None.

    youtube-nocookie.com sets no cookie before playing; Vimeo's ``dnt=1`` turns off its tracking.
    """
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host == "youtu.be":
        video_id = parts.path.strip("/").split("/")[0]
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if parts.path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif parts.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parts.path.split("/")[2]
        if video_id.replace("-", "").replace("_", "").isalnum():
            return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1"
        return None
    elif host in ("vimeo.com", "player.vimeo.com"):
        video_id = parts.path.strip("/").split("/")[-1]
        if video_id.isdigit():
            return f"https://player.vimeo.com/video/{video_id}?dnt=1&autoplay=1"
        return None
    if video_id.replace("-", "").replace("_", "").isalnum():
        return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1"
    return None


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo film that loads nothing from them until the visitor chooses to play.

    The page shows a plain link and a button; only the button's click (site.js) puts the
    privacy-enhanced player in place. The Content-Security-Policy allows frames from these two
    players and nothing else.
    """

    url = blocks.URLBlock(
        label=_("YouTube or Vimeo address"),
        help_text=_("e.g. https://www.youtube.com/watch?v=… or https://vimeo.com/…"),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    poster = ImageBlock(label=_("Still image"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "components/video.html"

    def clean(self, value):
        value = super().clean(value)
        if value.get("url") and not privacy_player_url(value["url"]):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Enter a YouTube or Vimeo video address."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["player_url"] = privacy_player_url(value["url"])
        return context


class BaseStreamBlock(blocks.StreamBlock):
    """The body of every content page: text, images, documents and the rest, in any order."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        form_classname="title",
        icon="title",
        template="components/heading.html",
    )
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=BODY_FEATURES,
        icon="pilcrow",
        template="components/text.html",
        help_text=_(
            "{nazwa}, {adres} and {email} show the association's name, address and e-mail "
            "from the settings; {miesiace} how many months messages are kept."
        ),
    )
    image = FigureBlock()
    document = DocumentLinkBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    table = TableBlock()
    faq = FaqBlock()
    people = PeopleBlock()
    video = VideoBlock()


# --- The home page's sections: editors choose which show and in what order ---


class HomeSectionBlock(blocks.StructBlock):
    """A section of the mission page: its heading may be changed, its content lives elsewhere."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=120,
        help_text=_("Leave empty for the usual heading."),
    )


class ListedHomeSectionBlock(HomeSectionBlock):
    count = blocks.IntegerBlock(
        label=_("How many"), default=3, min_value=1, max_value=12, required=True
    )


class UpcomingEventsSectionBlock(ListedHomeSectionBlock):
    class Meta:
        icon = "date"
        label = _("Upcoming events")
        help_text = _("The next dates of published events; hidden while none is planned.")
        template = "components/home_events.html"


class LatestArticlesSectionBlock(ListedHomeSectionBlock):
    class Meta:
        icon = "doc-full-inverse"
        label = _("Latest articles and positions")
        help_text = _(
            "The newest articles, publications and positions; hidden while there are none."
        )
        template = "components/home_articles.html"


class ManifestoSectionBlock(HomeSectionBlock):
    class Meta:
        icon = "openquote"
        label = _("Manifesto with goals and activities")
        help_text = _("The manifesto, “Chcemy…” and “Będziemy…” as edited above.")
        template = "components/home_manifesto.html"


class HomeSectionsBlock(blocks.StreamBlock):
    """What follows the hero, once each: upcoming events, articles, manifesto, form, share box."""

    upcoming_events = UpcomingEventsSectionBlock()
    latest_articles = LatestArticlesSectionBlock()
    manifesto = ManifestoSectionBlock()
    contact = blocks.StaticBlock(
        label=_("Contact form"),
        icon="mail",
        admin_text=_("The invitation to write and the contact form, as edited above."),
        template="components/home_contact.html",
    )
    share = blocks.StaticBlock(
        label=_("Share box"),
        icon="link",
        admin_text=_("Links for sharing the page; its texts are in Settings → Association."),
        template="components/home_share.html",
    )

    class Meta:
        block_counts = {
            name: {"max_num": 1}
            for name in ("upcoming_events", "latest_articles", "manifesto", "contact", "share")
        }


def default_home_sections():
    """Every section, in the order a first visitor reads best: what is new, who we are, write."""
    return [
        ("upcoming_events", {"heading": "", "count": 3}),
        ("latest_articles", {"heading": "", "count": 3}),
        ("manifesto", {"heading": ""}),
        ("contact", None),
        ("share", None),
    ]
