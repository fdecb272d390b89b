from django.urls import path

from contact import views

app_name = "contact"

urlpatterns = [
    path("", views.ContactFormView.as_view(), name="form"),
    path("dziekujemy/", views.ThanksView.as_view(), name="thanks"),
    path("formularz.json", views.fresh_parts, name="fresh"),
    path("pytanie/<slug:key>.wav", views.captcha_audio, name="captcha_audio"),
]
