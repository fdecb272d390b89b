"""Articles elsewhere on the site: the newest on the mission page, feed links, JSON-LD."""

import json

from django import template
from django.templatetags.static import static
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe
from wagtail.images.models import SourceImageIOError
from wagtail.models import Site

from articles.models import ArticlePage
from pages.cache import any_view_restrictions
from pages.models import AssociationSettings

register = template.Library()


@register.inclusion_tag("articles/latest_articles.html", takes_context=True)
def latest_articles(context, count=3, heading=""):
    """The newest published articles of the site as cards, e.g. ``{% latest_articles 3 %}``.

    Two queries (the articles with their images, and the images' sizes), however many are
    shown: the mission page stays cheap to render right after an editor publishes.
    """
    request = context.get("request")
    articles = (
        ArticlePage.objects.live()
        .order_by("-date", "-first_published_at", "-pk")
        .select_related("image")
        .prefetch_related("image__renditions")
    )
    if any_view_restrictions():
        articles = articles.public()
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        # The site's root from Wagtail's cached list of roots, not from another query.
        for root in Site.get_site_root_paths():
            if root.site_id == site.pk:
                articles = articles.filter(url_path__startswith=root.root_path)
    articles = list(articles[:count])
    # Articles sit right below their index, so its address is the newest one's parent.
    index_url = articles[0].get_url(request).rstrip("/").rsplit("/", 1)[0] + "/" if articles else ""
    return {"articles": articles, "index_url": index_url, "heading": heading, "request": request}


@register.inclusion_tag("articles/feed_links.html")
def article_feed_links(article):
    """Autodiscovery links to the site-wide feeds, for an article's page head."""
    index = article.get_parent().specific
    return {
        "title": index.title,
        "rss_url": index.feed_url("rss"),
        "atom_url": index.feed_url("atom"),
    }


def article_image_url(request, article):
    if article.image is None:
        return request.build_absolute_uri(static("images/og-default.png"))
    try:
        return request.build_absolute_uri(article.image.get_rendition("fill-1200x630").url)
    except SourceImageIOError:
        return request.build_absolute_uri(static("images/og-default.png"))


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """schema.org ``NewsArticle`` (news) or ``Article`` (publications, positions)."""
    request = context["request"]
    association = AssociationSettings.for_request(request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle" if article.kind == "aktualnosc" else "Article",
        "headline": article.title[:110],
        "description": article.lead,
        "url": article.get_full_url(request),
        "mainEntityOfPage": article.get_full_url(request),
        "datePublished": article.date.isoformat(),
        "image": [article_image_url(request, article)],
        "inLanguage": "pl",
    }
    if article.last_published_at:
        data["dateModified"] = article.last_published_at.isoformat()
    if article.authors:
        data["author"] = [
            {"@type": "Person", "name": name.strip()}
            for name in article.authors.split(",")
            if name.strip()
        ]
    if association is not None and association.name:
        data["publisher"] = {
            "@type": "Organization",
            "name": association.name,
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(static("images/icon-512.png")),
            },
        }
        data.setdefault("author", [{"@type": "Organization", "name": association.name}])
    text = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
