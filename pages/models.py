"""What the association's editors edit: the mission page, plain pages and the site settings."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from pages.blocks import (
    MANIFESTO_FEATURES,
    BaseStreamBlock,
    DocumentLinkBlock,
    HomeSectionsBlock,
    ListItemsBlock,
    default_home_sections,
)
from pages.cache import CacheablePageMixin, CachedSiteSettingMixin
from pages.identifiers import (
    digits_of,
    grouped_account,
    normalise_account,
    validate_bank_account,
    validate_krs,
    validate_nip,
    validate_regon,
)
from search.text import FoldedSearchMixin


class MissionPage(FoldedSearchMixin, CacheablePageMixin, Page):
    """The association's home page: what it stands for, what it does now, and how to reach it.

    A hero (the lead statement, an optional image, two calls to action) comes first; then the
    sections editors choose and order in ``sections``: upcoming events, the latest articles,
    the manifesto with its goals ("Chcemy…") and activities ("Będziemy…"), the invitation to
    write with the contact form, and the share box. The manifesto, the lists and the invitation
    are this page's fields, so each section only says where they go. The address and the
    share texts are site-wide values in :class:`AssociationSettings`.
    """

    lead = models.TextField(
        _("lead statement"),
        blank=True,
        max_length=400,
        help_text=_(
            "What the association is, in one sentence: the page's main heading. "
            "Leave empty to show the page title."
        ),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional; shown beside the lead statement. Its description is the alt text."),
    )
    contact_action_label = models.CharField(
        _("“write to us” button"),
        max_length=60,
        default="Napisz do nas",
        help_text=_(
            "Leads to the contact form on this page, or to the contact page while the form "
            "section is hidden."
        ),
    )
    second_action_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("second button's page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("e.g. the events page or the “Wesprzyj nas” page; empty: no second button."),
    )
    second_action_label = models.CharField(
        _("second button's text"),
        max_length=60,
        blank=True,
        help_text=_("e.g. “Najbliższe wydarzenia” or “Wesprzyj nas”; empty: the page's title."),
    )
    sections = StreamField(
        HomeSectionsBlock(),
        verbose_name=_("sections"),
        blank=True,
        default=default_home_sections,
        help_text=_(
            "What follows the lead statement, in this order. Remove a section to hide it; "
            "add it again with “+”."
        ),
    )

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
        MultiFieldPanel(
            [
                FieldPanel("lead"),
                FieldPanel("hero_image"),
                FieldPanel("contact_action_label"),
                FieldPanel("second_action_page"),
                FieldPanel("second_action_label"),
            ],
            heading=_("Lead statement and buttons"),
        ),
        FieldPanel("sections", heading=_("Sections of the page")),
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

    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("manifesto"),
        index.SearchField("goals"),
        index.SearchField("activities"),
        index.SearchField("folded_search_text"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "pages.ContentPage",
        "pages.AssociationDataPage",
        "pages.SupportPage",
        "events.EventIndexPage",
        "articles.ArticleIndexPage",
    ]
    max_count = 1
    template = "pages/mission_page.html"

    class Meta:
        verbose_name = _("mission page")
        verbose_name_plural = _("mission pages")

    @property
    def heading(self):
        """The page's one h1: the lead statement, or the title while there is none."""
        return self.lead or self.title

    @property
    def shows_contact_form(self):
        return any(block.block_type == "contact" for block in self.sections)


class ContentPage(FoldedSearchMixin, CacheablePageMixin, Page):
    """A plain page for anything beyond the mission, e.g. the privacy notice."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]

    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.SearchField("folded_search_text"),
    ]

    parent_page_types = ["pages.MissionPage", "pages.ContentPage"]
    subpage_types = ["pages.ContentPage", "pages.AssociationDataPage", "pages.SupportPage"]
    template = "pages/content_page.html"

    class Meta:
        verbose_name = _("content page")
        verbose_name_plural = _("content pages")


class AssociationDataPage(CacheablePageMixin, Page):
    """The association's public record (KRS, NIP, REGON, account, statute, reports), shown from
    the settings, so it is typed once and never disagrees with the footer."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("more content"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        HelpPanel(
            content=_(
                "The numbers, the account, the statute and the reports are shown from "
                "Settings → Association → Public record."
            )
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["pages.MissionPage", "pages.ContentPage"]
    subpage_types = []
    max_count = 1
    template = "pages/association_data_page.html"

    class Meta:
        verbose_name = _("association data page")
        verbose_name_plural = _("association data pages")


class SupportPage(CacheablePageMixin, Page):
    """ "Wesprzyj nas": how to donate (account, transfer title) and, for an OPP, the 1.5% of tax."""

    introduction = RichTextField(_("introduction"), features=MANIFESTO_FEATURES, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("more content"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        HelpPanel(
            content=_(
                "The account number, the transfer title and the KRS number come from "
                "Settings → Association → Public record."
            )
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["pages.MissionPage", "pages.ContentPage"]
    subpage_types = []
    max_count = 1
    template = "pages/support_page.html"

    class Meta:
        verbose_name = _("support page")
        verbose_name_plural = _("support pages")


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
    select_related = ["privacy_page", "share_image", "logo", "statute"]

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

    # The public record: what every Polish association publishes.
    krs = models.CharField(_("KRS number"), max_length=20, blank=True, validators=[validate_krs])
    nip = models.CharField(_("NIP"), max_length=20, blank=True, validators=[validate_nip])
    regon = models.CharField(_("REGON"), max_length=20, blank=True, validators=[validate_regon])
    is_public_benefit = models.BooleanField(
        _("public benefit organisation (OPP)"),
        default=False,
        help_text=_("Tick if the association may receive 1.5 percent of income tax."),
    )
    bank_account = models.CharField(
        _("bank account number"),
        max_length=40,
        blank=True,
        validators=[validate_bank_account],
        help_text=_("26 digits (NRB) or IBAN; spaces are fine."),
    )
    transfer_title = models.CharField(
        _("transfer title for donations"),
        max_length=140,
        blank=True,
        default="Darowizna na cele statutowe",
    )
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    facebook_url = models.URLField(_("Facebook profile"), blank=True)
    instagram_url = models.URLField(_("Instagram profile"), blank=True)
    youtube_url = models.URLField(_("YouTube channel"), blank=True)
    x_url = models.URLField(_("X profile"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn profile"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "SVG or PNG; shown in the header beside the short name, and given to search "
            "engines. Without one, the site's icon is shown."
        ),
    )
    statute = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("statute"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reports = StreamField(
        [("report", DocumentLinkBlock())],
        verbose_name=_("reports"),
        blank=True,
        help_text=_("Annual activity and financial reports, newest first."),
    )

    SOCIAL_FIELDS = [
        ("facebook_url", "facebook", "Facebook"),
        ("instagram_url", "instagram", "Instagram"),
        ("youtube_url", "youtube", "YouTube"),
        ("x_url", "x", "X"),
        ("linkedin_url", "linkedin", "LinkedIn"),
    ]
    # What the admin reminds editors of while it is empty (wagtail_hooks).
    PUBLIC_RECORD_FIELDS = [
        "street_address",
        "public_email",
        "krs",
        "nip",
        "regon",
        "bank_account",
        "phone",
        "logo",
        "statute",
    ]

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
    public_record_panels = [
        MultiFieldPanel(
            [
                FieldPanel("krs"),
                FieldPanel("nip"),
                FieldPanel("regon"),
                FieldPanel("is_public_benefit"),
            ],
            heading=_("Registration numbers"),
        ),
        MultiFieldPanel(
            [FieldPanel("bank_account"), FieldPanel("transfer_title")],
            heading=_("Donations"),
        ),
        FieldPanel("phone"),
        MultiFieldPanel(
            [FieldPanel(field) for field, _icon, _label in SOCIAL_FIELDS],
            heading=_("Social profiles"),
        ),
        FieldPanel("logo"),
        MultiFieldPanel([FieldPanel("statute"), FieldPanel("reports")], heading=_("Documents")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(panels, heading=_("Association")),
            ObjectList(public_record_panels, heading=_("Public record")),
        ]
    )

    class Meta:
        verbose_name = _("association")

    def clean(self):
        super().clean()
        # One plain form in the database; the templates group the digits for reading.
        for field in ("krs", "nip", "regon"):
            setattr(self, field, digits_of(getattr(self, field)).upper().removeprefix("PL"))
        if self.bank_account:
            self.bank_account = normalise_account(self.bank_account)

    @property
    def bank_account_grouped(self):
        return grouped_account(self.bank_account) if self.bank_account else ""

    @property
    def phone_link(self):
        """The number for a tel: link; a Polish number without a country code gets +48."""
        digits = "".join(c for c in self.phone if c.isdigit() or c == "+")
        if digits and not digits.startswith("+") and len(digits) == 9:
            digits = "+48" + digits
        return digits

    @property
    def social_links(self):
        return [
            {"key": key, "label": label, "url": getattr(self, field)}
            for field, key, label in self.SOCIAL_FIELDS
            if getattr(self, field)
        ]

    @property
    def empty_public_record_fields(self):
        """The verbose names of the public record fields editors have not filled in yet."""
        return [
            self._meta.get_field(name).verbose_name
            for name in self.PUBLIC_RECORD_FIELDS
            if not getattr(self, name if name not in ("logo", "statute") else f"{name}_id")
        ]

    @property
    def board_recipient_list(self):
        return [line.strip() for line in self.board_recipients.splitlines() if line.strip()]

    @property
    def has_address(self):
        return bool(self.street_address or self.postal_code or self.locality)
