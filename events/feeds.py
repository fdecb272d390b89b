"""The RSS feed of upcoming events (Django's syndication framework)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .views import feed_dates, index_url


class UpcomingEventsFeed(Feed):
    description = _("Debates, trainings, concerts and exhibitions of the association.")

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return index_url(self.request)

    def title(self):
        return f"{settings.WAGTAIL_SITE_NAME}: {_('Upcoming events')}"

    def items(self):
        return list(feed_dates()[:100])

    def item_title(self, item):
        local = timezone.localtime(item.start)
        return f"{item.event.title} ({local:%d.%m.%Y %H:%M})"

    def item_description(self, item):
        return item.event.lead

    def item_link(self, item):
        return item.event.get_url(self.request) + f"#termin-{item.pk}"

    def item_guid(self, item):
        return item.calendar_uid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.event.first_published_at

    def item_categories(self, item):
        return [item.event.category.name] if item.event.category_id else []
