"""RSS 2.0 and Atom feeds of the articles: all of them, one kind, or one tag.

Django's syndication framework writes them; each is served at an address below the article
index (``kanal/rss/``, ``kanal/atom/``), so the page cache keeps them like the listing.
"""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

FEED_ITEMS = 20


class ArticleFeed(Feed):
    """The newest articles of one listing; items carry the lead and the attachments."""

    feed_type = Rss201rev2Feed

    def __init__(self, index, kind=None, tag=None):
        super().__init__()
        self.index = index
        self.kind = kind
        self.tag = tag

    def get_object(self, request, *args, **kwargs):
        self.request = request
        self.root_url = self.index.get_site().root_url
        return self.index

    def title(self, index):
        heading = index.listing_heading(self.kind, self.tag)
        if heading == index.title:
            return index.title
        return f"{heading} – {index.title}"

    def link(self, index):
        return self.root_url + index.listing_url(self.kind, self.tag)

    def description(self, index):
        return index.introduction or index.title

    def items(self, index):
        articles = index.get_articles(kind=self.kind, tag=self.tag)
        return articles.prefetch_related("attachments__document")[:FEED_ITEMS]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # The lead is plain text; feed readers read the description as HTML.
        return linebreaks(escape(article.lead))

    def item_link(self, article):
        return article.get_full_url(self.request)

    def item_author_name(self, article):
        return article.authors or None

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]

    def item_pubdate(self, article):
        published = article.first_published_at
        if published and timezone.localdate(published) == article.date:
            return published
        # Backdated (e.g. a position submitted before it went on the site): its own date.
        return timezone.make_aware(datetime.combine(article.date, time(12)))

    def item_updateddate(self, article):
        return article.last_published_at

    def item_enclosures(self, article):
        return [
            Enclosure(
                url=self.root_url + attachment.document.url,
                length=str(attachment.document.get_file_size() or 0),
                mime_type=attachment.mime_type,
            )
            for attachment in article.attachments.all()
        ]


class ArticleRssFeed(ArticleFeed):
    feed_type = Rss201rev2Feed

    def item_enclosures(self, article):
        # RSS allows one enclosure per item: the first attachment (Atom lists them all).
        return super().item_enclosures(article)[:1]


class ArticleAtomFeed(ArticleFeed):
    feed_type = Atom1Feed

    def subtitle(self, index):
        return self.description(index)


FEEDS = {"rss": ArticleRssFeed, "atom": ArticleAtomFeed}


def feed_for(index, feed_format, kind=None, tag=None):
    try:
        feed_class = FEEDS[feed_format]
    except KeyError:
        raise Http404(_("There is no such feed.")) from None
    return feed_class(index, kind=kind, tag=tag)
