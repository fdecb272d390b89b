"""What the association publishes: news, publications and the positions it takes.

``ArticleIndexPage`` lists its ``ArticlePage`` children newest first, filtered by kind or tag,
each filter at its own address with its own RSS and Atom feeds (RoutablePageMixin).
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from pages.blocks import BaseStreamBlock
from pages.cache import CacheablePageMixin
from search.text import FoldedSearchMixin, folded_search_text, searchable_values


class ArticleKind(models.TextChoices):
    """The value is the filter's address: /aktualnosci/rodzaj/stanowisko/."""

    NEWS = "aktualnosc", _("news")
    PUBLICATION = "publikacja", _("publication")
    POSITION = "stanowisko", _("position")


KIND_PLURALS = {
    ArticleKind.NEWS: _("News"),
    ArticleKind.PUBLICATION: _("Publications"),
    ArticleKind.POSITION: _("Positions"),
}


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleIndexPage(FoldedSearchMixin, CacheablePageMixin, RoutablePageMixin, Page):
    """The list of articles ("Aktualności"), linked from the site menu."""

    introduction = models.TextField(_("introduction"), blank=True)
    per_page = models.PositiveSmallIntegerField(
        _("articles per page"), default=10, help_text=_("How many articles one page lists.")
    )

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("per_page")]

    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("folded_search_text"),
    ]

    show_in_menus_default = True
    parent_page_types = ["pages.MissionPage"]
    subpage_types = ["articles.ArticlePage"]
    template = "articles/article_index_page.html"

    class Meta:
        verbose_name = _("article index")
        verbose_name_plural = _("article indexes")

    # --- what is listed ---

    def get_articles(self, kind=None, tag=None):
        """Published articles below this page, newest first, with what the listing shows."""
        articles = (
            ArticlePage.objects.child_of(self)
            .live()
            .order_by("-date", "-first_published_at", "-pk")
            .select_related("image")
            .prefetch_related("tags", "image__renditions")
        )
        if kind is not None:
            articles = articles.filter(kind=kind)
        if tag is not None:
            articles = articles.filter(tags=tag)
        return articles

    def paginate(self, request, articles):
        """One page of the listing; a page number that is not one of them is a 404, never a 500."""
        number = request.GET.get("page", "1")
        paginator = Paginator(articles, max(self.per_page, 1))
        try:
            return paginator.page(number)
        except (PageNotAnInteger, EmptyPage):
            raise Http404(_("There is no such page of articles.")) from None

    def filter_from(self, kind=None, tag_slug=None):
        """The kind and tag named in the address; an unknown one is a 404."""
        if kind is not None and kind not in ArticleKind.values:
            raise Http404(_("There is no such kind of article."))
        tag = None
        if tag_slug is not None:
            tag = Tag.objects.filter(slug=tag_slug).first()
            if tag is None:
                raise Http404(_("There is no such tag."))
        return (ArticleKind(kind) if kind else None), tag

    def listing_url(self, kind=None, tag=None):
        if kind is not None:
            return self.url + self.reverse_subpage("articles_of_kind", args=[kind])
        if tag is not None:
            return self.url + self.reverse_subpage("articles_with_tag", args=[tag.slug])
        return self.url

    def feed_url(self, feed_format, kind=None, tag=None):
        if kind is not None:
            name, args = "kind_feed", [kind, feed_format]
        elif tag is not None:
            name, args = "tag_feed", [tag.slug, feed_format]
        else:
            name, args = "feed", [feed_format]
        return self.url + self.reverse_subpage(name, args=args)

    def listing_heading(self, kind=None, tag=None):
        if kind is not None:
            return KIND_PLURALS[kind]
        if tag is not None:
            return _("Articles tagged “%(tag)s”") % {"tag": tag.name}
        return self.title

    # --- the addresses ---

    def render_listing(self, request, kind=None, tag=None):
        articles = self.paginate(request, self.get_articles(kind=kind, tag=tag))
        return self.render(
            request,
            context_overrides={
                "articles": articles,
                "kind": kind,
                "tag": tag,
                "kinds": [(value, KIND_PLURALS[value]) for value in ArticleKind],
                "listing_heading": self.listing_heading(kind, tag),
                "listing_url": self.listing_url(kind, tag),
                "rss_url": self.feed_url("rss", kind, tag),
                "atom_url": self.feed_url("atom", kind, tag),
            },
        )

    def render_feed(self, request, feed_format, kind=None, tag=None):
        from articles.feeds import feed_for

        return feed_for(self, feed_format, kind=kind, tag=tag)(request)

    @path("")
    def all_articles(self, request):
        return self.render_listing(request)

    @path("rodzaj/<str:kind>/")
    def articles_of_kind(self, request, kind):
        kind, _tag = self.filter_from(kind=kind)
        return self.render_listing(request, kind=kind)

    @path("tag/<str:tag_slug>/")
    def articles_with_tag(self, request, tag_slug):
        _kind, tag = self.filter_from(tag_slug=tag_slug)
        return self.render_listing(request, tag=tag)

    @path("kanal/<str:feed_format>/")
    def feed(self, request, feed_format):
        return self.render_feed(request, feed_format)

    @path("rodzaj/<str:kind>/kanal/<str:feed_format>/")
    def kind_feed(self, request, kind, feed_format):
        kind, _tag = self.filter_from(kind=kind)
        return self.render_feed(request, feed_format, kind=kind)

    @path("tag/<str:tag_slug>/kanal/<str:feed_format>/")
    def tag_feed(self, request, tag_slug, feed_format):
        _kind, tag = self.filter_from(tag_slug=tag_slug)
        return self.render_feed(request, feed_format, tag=tag)


class ArticlePage(FoldedSearchMixin, CacheablePageMixin, Page):
    """One piece of news, a publication or a position the association takes."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.NEWS
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    authors = models.CharField(
        _("authors"), max_length=255, blank=True, help_text=_("Names, separated by commas.")
    )
    lead = models.TextField(
        _("lead"), help_text=_("One or two sentences shown in the list, the feeds and previews.")
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown above the text and when the article is shared; best 1200×630 pixels."),
    )
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=ArticleTag, blank=True)
    # A position is addressed to someone (e.g. the city council) and submitted on a day.
    addressee = models.CharField(
        _("addressee"),
        max_length=255,
        blank=True,
        help_text=_("Positions only: to whom the association submitted it."),
    )
    submitted_on = models.DateField(
        _("submitted on"), null=True, blank=True, help_text=_("Positions only.")
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("date"), FieldPanel("authors"), FieldPanel("tags")],
            heading=_("About the article"),
        ),
        MultiFieldPanel(
            [FieldPanel("addressee"), FieldPanel("submitted_on")], heading=_("Position")
        ),
        FieldPanel("lead"),
        FieldPanel("image"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments")),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.SearchField("authors"),
        index.SearchField("addressee"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.SearchField("folded_search_text"),
        index.FilterField("kind"),
        index.FilterField("date"),
    ]

    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []
    template = "articles/article_page.html"

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def is_position(self):
        return self.kind == ArticleKind.POSITION

    @property
    def link_preview_image(self):
        """The image link previews show instead of the site-wide one (pages.templatetags)."""
        return self.image

    @property
    def link_preview_text(self):
        return self.lead

    link_preview_type = "article"

    def folded_search_text(self):
        tag_names = [tag.name for tag in self.tags.all()]
        return folded_search_text(*searchable_values(self), *tag_names)

    def get_attachments(self):
        return [a for a in self.attachments.select_related("document") if a.document_id]


class ArticleAttachment(Orderable):
    """A document attached to an article, e.g. the PDF of a position."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("Leave empty to use the document's.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    @property
    def label(self):
        return self.title or self.document.title

    @property
    def file_type(self):
        return self.document.file_extension.upper()

    @property
    def mime_type(self):
        return self.document.content_type
