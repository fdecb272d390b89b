from django.urls import path

from . import views
from .feeds import UpcomingEventsFeed

app_name = "events"

urlpatterns = [
    path("zapisy/<int:date_id>/", views.RegistrationView.as_view(), name="register"),
    path("zapisy/<int:date_id>/formularz.json", views.fresh_parts, name="fresh"),
    path("zapisy/przyjeto/<str:token>/", views.registration_done, name="done"),
    path("zapisy/rezygnacja/<str:token>/", views.CancelView.as_view(), name="cancel"),
    path("kalendarz/wydarzenia.ics", views.calendar_feed, name="feed"),
    path("kalendarz/kategoria/<slug:slug>.ics", views.calendar_feed, name="category_feed"),
    path("kalendarz/termin/<uuid:uid>.ics", views.date_ics, name="date_ics"),
    path("kalendarz/rss.xml", UpcomingEventsFeed(), name="rss"),
]
