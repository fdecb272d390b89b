from django.urls import path

from pages.cache import cacheable_view

from . import views
from .feeds import UpcomingEventsFeed

app_name = "events"

urlpatterns = [
    path("zapisy/<int:date_id>/", views.RegistrationView.as_view(), name="register"),
    path("zapisy/<int:date_id>/formularz.json", views.fresh_parts, name="fresh"),
    path("zapisy/przyjeto/<str:token>/", views.registration_done, name="done"),
    path("zapisy/rezygnacja/<str:token>/", views.CancelView.as_view(), name="cancel"),
    # Built from published events only: kept by the page cache like the articles' feeds.
    path("kalendarz/wydarzenia.ics", cacheable_view(views.calendar_feed), name="feed"),
    path(
        "kalendarz/kategoria/<slug:slug>.ics",
        cacheable_view(views.calendar_feed),
        name="category_feed",
    ),
    path("kalendarz/termin/<uuid:uid>.ics", cacheable_view(views.date_ics), name="date_ics"),
    path("kalendarz/rss.xml", cacheable_view(UpcomingEventsFeed()), name="rss"),
]
