"""Editors schedule articles and look at drafts before anyone else can."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from articles.demo import article_index
from articles.models import ArticlePage
from pages.tasks import publish_scheduled_pages
from tests.factories import make_editor, run_mail_worker

# The worker commits as it goes, like the real one; the site and groups from the
# migrations are restored after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def schedule_article(go_live_at, title="Stanowisko o zieleni"):
    """What an editor does: a new article with a "go live" time, then "Publish"."""
    article = article_index().add_child(
        instance=ArticlePage(title=title, lead="Wkrótce.", live=False, go_live_at=go_live_at)
    )
    article.save_revision().publish()  # in the future: Wagtail keeps it waiting for its time
    article.refresh_from_db()
    return article


def checks_queued():
    return DBTaskResult.objects.filter(
        status="READY", task_path=publish_scheduled_pages.module_path
    )


def test_an_article_goes_live_at_its_time_through_the_mail_worker(client, association_content):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        article = schedule_article(go_live_at=start + datetime.timedelta(minutes=5))
        assert not article.live
        call_command("schedule_publishing", stdout=StringIO())

        run_mail_worker()
        article.refresh_from_db()
        assert not article.live  # not yet: the worker checked and will look again in a minute
        assert client.get(article_index().url + "stanowisko-o-zieleni/").status_code == 404
        assert checks_queued().count() == 1

        clock.shift(datetime.timedelta(minutes=6))
        run_mail_worker()
        article.refresh_from_db()
        assert article.live
        response = client.get(article.url)
        assert response.status_code == 200
        assert checks_queued().count() == 1  # the clock goes on, one check at a time


def test_the_publishing_check_is_queued_once_however_often_the_worker_starts():
    out = StringIO()
    call_command("schedule_publishing", stdout=out)
    call_command("schedule_publishing", stdout=out)
    assert checks_queued().count() == 1
    assert "already queued" in out.getvalue()


def test_old_finished_checks_are_cleared_away(association_content):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        call_command("schedule_publishing", stdout=StringIO())
        for _minute in range(3):
            run_mail_worker()
            clock.shift(datetime.timedelta(minutes=1))
        assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3
        clock.shift(datetime.timedelta(hours=2))
        run_mail_worker()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1


@pytest.mark.django_db
def test_an_editor_previews_a_draft_that_visitors_cannot_see(
    client, association_content, django_user_model
):
    article = article_index().add_child(
        instance=ArticlePage(title="Szkic stanowiska", lead="Jeszcze nie gotowe.", live=False)
    )
    article.save_revision()
    assert client.get("/aktualnosci/szkic-stanowiska/").status_code == 404

    client.force_login(make_editor(django_user_model))
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    form = nested_form_data(
        {
            "title": "Szkic stanowiska",
            "slug": "szkic-stanowiska",
            "kind": "stanowisko",
            "date": "2026-11-20",
            "lead": "Tekst roboczy dla zarządu.",
            "body": streamfield([("paragraph", rich_text("<p>Akapit szkicu.</p>"))]),
            "attachments": inline_formset([]),
            "tags": "",
        }
    )
    assert client.post(preview_url, form).json()["is_valid"] is True
    response = client.get(preview_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tekst roboczy dla zarządu." in html and "Akapit szkicu." in html
    assert "X-Page-Cache" not in response or response["X-Page-Cache"] == "bypass"
