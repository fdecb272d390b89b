"""What the association's editors edit: the mission page, plain pages and the site settings."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from pages.cache import CacheablePageMixin, CachedSiteSettingMixin

MANIFESTO_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3"]


class ListItemsBlock(blocks.StreamBlock):
    """An ordered list that editors add to, reorder and remove from: one short text per item."""

    item = blocks.TextBlock(label=_("Item"), form_classname="title")

    class Meta:
        label = _("List items")
        icon = "list-ul"


class BodyBlock(blocks.StreamBlock):
    """Content blocks for plain pages such as the privacy notice."""

    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", icon="title")
    paragraph = blocks.RichTextBlock(label=_("Text"), features=MANIFESTO_FEATURES, icon="pilcrow")


class MissionPage(CacheablePageMixin, Page):
    """The association's home page: what it stands for, and how to reach it.

    Its sections follow the original one-page site: manifesto, goals ("Chcemy…"),
    activities ("Będziemy…"), the invitation to write with the contact form,
    the correspondence address and the share box. The address and the share
    texts are site-wide values in :class:`AssociationSettings`.
    """

    manifesto = RichTextField(
        verbose_name=_("manifesto"),
        features=MANIFESTO_FEATURES,
        help_text=_("The opening paragraphs: who we are and why we act."),
    )
    goals_heading = models.CharField(_("goals heading"), max_length=120, default="Chcemy…")
    goals = StreamField(ListItemsBlock(), verbose_name=_("goals"), blank=True)
    activities_heading = models.CharField(
        _("activities heading"), max_length=120, default="Będziemy…"
    )
    activities = StreamField(ListItemsBlock(), verbose_name=_("activities"), blank=True)
    contact_heading = models.CharField(
        _("contact heading"), max_length=120, default="Pytania do nas?"
    )
    contact_subheading = models.CharField(
        _("contact subheading"), max_length=120, blank=True, default="Napisz!"
    )
    contact_intro = models.CharField(
        _("contact introduction"),
        max_length=255,
        blank=True,
        default="Korzystaj z formularza poniżej.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("manifesto"),
        MultiFieldPanel(
            [FieldPanel("goals_heading"), FieldPanel("goals")],
            heading=_("Goals"),
        ),
        MultiFieldPanel(
            [FieldPanel("activities_heading"), FieldPanel("activities")],
            heading=_("Activities"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_heading"),
                FieldPanel("contact_subheading"),
                FieldPanel("contact_intro"),
                HelpPanel(
                    content=_(
                        "The contact form is shown below this text. The correspondence address "
                        "and the share box are edited in Settings → Association."
                    )
                ),
            ],
            heading=_("Invitation to write"),
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.ContentPage", "events.EventIndexPage"]
    max_count = 1
    template = "pages/mission_page.html"

    class Meta:
        verbose_name = _("mission page")
        verbose_name_plural = _("mission pages")


class ContentPage(CacheablePageMixin, Page):
    """A plain page for anything beyond the mission, e.g. the privacy notice."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]

    parent_page_types = ["pages.MissionPage", "pages.ContentPage"]
    subpage_types = ["pages.ContentPage"]
    template = "pages/content_page.html"

    class Meta:
        verbose_name = _("content page")
        verbose_name_plural = _("content pages")


def validate_email_lines(value):
    for line in value.splitlines():
        if line.strip():
            try:
                validate_email(line.strip())
            except ValidationError:
                raise ValidationError(
                    _("“%(address)s” is not a valid e-mail address."),
                    params={"address": line.strip()},
                    code="invalid",
                ) from None


@register_setting(icon="group")
class AssociationSettings(CachedSiteSettingMixin, BaseSiteSetting):
    """Site-wide values, edited once and shown by the templates: name, address, board, sharing."""

    # Loaded with the settings in one query, and cached with them (pages.cache).
    select_related = ["privacy_page", "share_image"]

    name = models.CharField(_("association name"), max_length=255)
    short_name = models.CharField(
        _("short name"),
        max_length=60,
        blank=True,
        help_text=_("Shown in the footer, e.g. “Plac NZS”."),
    )
    street_address = models.CharField(_("street and number"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    locality = models.CharField(_("town"), max_length=120, blank=True)
    public_email = models.EmailField(
        _("public e-mail address"),
        blank=True,
        help_text=_("Shown to visitors; leave empty to show none."),
    )
    board_recipients = models.TextField(
        _("board e-mail addresses"),
        blank=True,
        validators=[validate_email_lines],
        help_text=_("Residents' messages are sent to these addresses, one per line."),
    )
    share_heading = models.CharField(_("share box heading"), max_length=120, blank=True)
    share_text = models.CharField(_("share box text"), max_length=255, blank=True)
    # Link previews (OpenGraph / Twitter cards) and the privacy notice linked from the footer.
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("link preview image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown when a page is shared on social networks or in messengers; best 1200×630 "
            "pixels. Without one, a simple image with the association's colours is used."
        ),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the footer and from the contact form's consent clause."),
    )

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("short_name")], heading=_("Name")),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("postal_code"),
                FieldPanel("locality"),
                FieldPanel("public_email"),
            ],
            heading=_("Correspondence address"),
        ),
        FieldPanel("board_recipients"),
        MultiFieldPanel(
            [FieldPanel("share_heading"), FieldPanel("share_text"), FieldPanel("share_image")],
            heading=_("Sharing"),
        ),
        FieldPanel("privacy_page"),
    ]

    class Meta:
        verbose_name = _("association")

    @property
    def board_recipient_list(self):
        return [line.strip() for line in self.board_recipients.splitlines() if line.strip()]

    @property
    def has_address(self):
        return bool(self.street_address or self.postal_code or self.locality)
