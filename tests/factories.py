"""Plain helpers that build what the tests need."""

import re
import subprocess
import sys
from pathlib import Path

from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

PROJECT_DIR = Path(__file__).resolve().parents[1]
SEED_TEXT = Path(__file__).resolve().parents[1] / "pages" / "content" / "original-site-pl.txt"


def seed_list(heading, next_heading):
    """The bullets under `heading` in the original text, each joined into one line."""
    text = SEED_TEXT.read_text(encoding="utf-8")
    block = text[text.index(heading) + len(heading) : text.index(next_heading)]
    items = []
    for line in block.splitlines():
        if line.startswith(" • "):
            items.append(line[3:].strip())
        elif line.strip() and items:
            items[-1] += " " + line.strip()
    return items


def seed_manifesto_paragraphs():
    text = SEED_TEXT.read_text(encoding="utf-8")
    return [p.strip() for p in text[: text.index("Chcemy…")].splitlines() if p.strip()]


def seed_lead_statement():
    """The manifesto's first sentence, as the original site has it."""
    first_paragraph = seed_manifesto_paragraphs()[0]
    return first_paragraph[: first_paragraph.index(". ") + 1]


def collapse_spaces(text):
    return re.sub(r"\s+", " ", text)


def make_editor(django_user_model, username="redaktor", groups=("Moderators",)):
    """A board member or volunteer who edits and publishes pages (Wagtail's Moderators group)."""
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.org", password="haslo-redaktora-123"
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def home_sections_of(page):
    """The mission page's sections as (type, value) pairs the admin form takes back."""
    return [
        (block.block_type, dict(block.value) if block.value is not None else "")
        for block in page.sections
    ]


def mission_page_form_data(page, **changes):
    """The admin edit form's POST data for a mission page, as a browser would send it."""
    values = {
        "title": page.title,
        "slug": page.slug,
        "lead": page.lead,
        "hero_image": page.hero_image_id or "",
        "contact_action_label": page.contact_action_label,
        "second_action_page": page.second_action_page_id or "",
        "second_action_label": page.second_action_label,
        "sections": home_sections_of(page),
        "manifesto": page.manifesto,
        "goals_heading": page.goals_heading,
        "goals": [block.value for block in page.goals],
        "activities_heading": page.activities_heading,
        "activities": [block.value for block in page.activities],
        "contact_heading": page.contact_heading,
        "contact_subheading": page.contact_subheading,
        "contact_intro": page.contact_intro,
    }
    values.update(changes)
    return nested_form_data(
        {
            **values,
            "manifesto": rich_text(values["manifesto"]),
            "goals": streamfield([("item", text) for text in values["goals"]]),
            "activities": streamfield([("item", text) for text in values["activities"]]),
            "sections": streamfield(values["sections"]),
            "action-publish": "publish",
        }
    )


def content_page_form_data(page, **changes):
    """The admin edit form's POST data for a content page."""
    values = {"title": page.title, "slug": page.slug, "introduction": page.introduction}
    values.update(changes)
    body = [
        (
            block.block_type,
            rich_text(block.value.source) if block.block_type == "paragraph" else block.value,
        )
        for block in page.body
    ]
    return nested_form_data({**values, "body": streamfield(body), "action-publish": "publish"})


# --- Residents' messages (board side) ---

BOARD_ADDRESSES = ["zarzad@plac-nzs.example", "skarbnik@plac-nzs.example"]


def make_contact_message(**overrides):
    """A resident's message as the contact form stores it (non-spam, waiting for delivery)."""
    from contact.models import ContactMessage

    values = {
        "sender_name": "Anna Kowalska",
        "sender_email": "anna@example.org",
        "text": "Dzień dobry, kiedy będzie następne spotkanie mieszkańców?",
        "consent_given": True,
        "consent_clause_version": "sha256:0123456789ab",
    }
    values.update(overrides)
    received_at = values.pop("received_at", None)
    message = ContactMessage.objects.create(**values)
    if received_at is not None:
        # auto_now_add ignores a given value; old messages are made by moving the time back.
        ContactMessage.objects.filter(pk=message.pk).update(received_at=received_at)
        message.refresh_from_db()
    return message


def set_board_recipients(addresses=BOARD_ADDRESSES):
    """What an editor types into Settings → Association → board e-mail addresses."""
    from wagtail.models import Site

    from pages.models import AssociationSettings

    site = Site.objects.get(is_default_site=True)
    association = AssociationSettings.for_site(site)
    association.board_recipients = "\n".join(addresses)
    association.save()
    return association


def make_board_member(django_user_model, username="czlonek-zarzadu", first_name="", last_name=""):
    """A board member: in the "Zarząd" group created by the contact app's migration."""
    user = make_editor(django_user_model, username=username, groups=("Zarząd",))
    if first_name or last_name:
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    return user


def run_mail_worker():
    """Run the real mail worker until nothing is due, as `db_worker --backend mail` does."""
    import signal
    from io import StringIO

    from django.core.management import call_command

    # The worker installs its own Ctrl+C handlers; give pytest its own back afterwards.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    out = StringIO()
    try:
        call_command(
            "db_worker",
            "--backend",
            "mail",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--verbosity",
            "0",
            stdout=out,
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    return out.getvalue()


def make_queued_attempts_due():
    """Move every waiting delivery attempt's time to now, instead of sleeping until then."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


# --- Contact form --------------------------------------------------------------------------


def form_fields(response, form_id="formularz-kontaktowy"):
    """The values a browser would send back from the contact form in the response."""
    from bs4 import BeautifulSoup

    form = BeautifulSoup(response.content, "html.parser").find("form", id=form_id)
    assert form is not None, "no contact form in the page"
    values = {}
    for element in form.find_all(["input", "textarea"]):
        name = element.get("name")
        if not name or element.get("type") == "submit":
            continue
        if element.get("type") == "checkbox":
            if element.has_attr("checked"):
                values[name] = element.get("value", "on")
        elif element.name == "textarea":
            values[name] = element.get_text().removeprefix("\n")
        else:
            values[name] = element.get("value", "")
    return values


def captcha_answer(key):
    """What a person reads in the picture (the tests read it from the store)."""
    from captcha.models import CaptchaStore

    return CaptchaStore.objects.get(hashkey=key).response


def written_a_minute_ago():
    """A form token as if the form had been handed out a minute ago: people take their time."""
    import time

    from contact.protection import make_form_token

    return make_form_token(issued_at=time.time() - 60)


RESIDENT = {
    "sender_name": "Anna Mieszkanka",
    "sender_email": "anna@example.org",
    "text": "Kiedy odbędzie się następne spotkanie w sprawie Placu NZS?",
    "consent": "on",
}


def fill_in_contact_form(page_response, answer=None, took_time=True, **changes):
    """The form from `page_response` filled in as a resident would, with the right answer."""
    data = form_fields(page_response)
    data.update(RESIDENT)
    data["captcha_1"] = captcha_answer(data["captcha_0"]) if answer is None else answer
    if took_time:
        data["form_token"] = written_a_minute_ago()
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def run_project_python(*args, env, timeout=120):
    """Run the project's Python in a fresh process, which reads its settings from `env`."""
    return subprocess.run(  # noqa: S603 - our own interpreter with our own arguments
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def association_settings_form_data(**values):
    """The POST data of Settings → Association as the admin sends it (no reports listed)."""
    return nested_form_data({**values, "reports": streamfield([])})


def one_of_everything_editors_edit():
    """One of everything the admin edits: every page type, an image, a document, a snippet.

    On top of load_association_content; uploads go to MEDIA_ROOT, which the caller points at
    a temporary folder.
    """
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from articles.demo import article_index
    from events.models import EventCategory
    from pages.models import AssociationDataPage, ContentPage, MissionPage, SupportPage
    from tests.articles.factories import make_pdf, publish_article
    from tests.events.factories import make_event, make_event_index

    image = get_image_model().objects.create(
        title="Mieszkańcy na Placu NZS", file=get_test_image_file(size=(1200, 800))
    )
    document = make_pdf()
    home = MissionPage.objects.get()
    articles = article_index()
    article = publish_article(index=articles, attachments=[document])
    events = make_event_index(home)
    category = EventCategory.objects.first() or EventCategory.objects.create(
        name="Debata", slug="debata"
    )
    event = make_event(events, category=category.slug)
    support = SupportPage.objects.first()
    if support is None:
        support = home.add_child(instance=SupportPage(title="Wesprzyj nas", slug="wesprzyj"))
    return {
        "home": home,
        "content": ContentPage.objects.first(),
        "data": AssociationDataPage.objects.get(),
        "support": support,
        "articles": articles,
        "article": article,
        "events": events,
        "event": event,
        "image": image,
        "document": document,
        "category": category,
    }


def admin_form_views(things, site_pk):
    """Every admin view that shows a form or a listing the association uses."""
    from django.urls import reverse
    from wagtail.models import Workflow

    home, articles, events = things["home"], things["articles"], things["events"]
    article = things["article"]
    moderators = Group.objects.get(name="Moderators")
    views = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[home.pk]),
        reverse("wagtailadmin_pages:search") + "?q=plac",
        reverse("wagtailadmin_pages:add_subpage", args=[home.pk]),
        reverse("wagtailadmin_pages:unpublish", args=[article.pk]),
        reverse("wagtailadmin_pages:delete", args=[article.pk]),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        reverse("wagtailsnippets_events_eventcategory:list"),
        reverse("wagtailsettings:edit", args=["pages", "associationsettings", site_pk]),
        reverse("wagtailsnippets_events_eventcategory:edit", args=[things["category"].pk]),
        reverse("wagtailsnippets_events_eventcategory:add"),
        reverse("wagtaildocs:edit", args=[things["document"].pk]),
        reverse("wagtaildocs:add_multiple"),
        reverse("wagtailimages:edit", args=[things["image"].pk]),
        reverse("wagtailimages:add_multiple"),
        reverse("wagtailadmin_pages:copy", args=[article.pk]),
        reverse("wagtailadmin_pages:move", args=[article.pk]),
        reverse("wagtailadmin_pages:history", args=[article.pk]),
        reverse("wagtailredirects:add"),
        reverse("wagtailsites:edit", args=[site_pk]),
        reverse("wagtailadmin_workflows:add"),
        reverse("wagtailadmin_workflows:edit", args=[Workflow.objects.first().pk]),
        reverse("wagtailadmin_workflows:task_index"),
        reverse("wagtailadmin_workflows:add_task", args=["wagtailcore", "groupapprovaltask"]),
        reverse("wagtailusers_groups:add"),
        reverse("wagtailusers_groups:edit", args=[moderators.pk]),
        reverse("wagtailusers_users:add"),
        reverse("wagtailadmin_collections:add"),
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_account"),
        "/admin/registrations/",
        "/admin/messages/",
        "/admin/ready-answers/new/",
    ]
    for name in ("home", "content", "data", "support", "articles", "article", "events", "event"):
        views.append(reverse("wagtailadmin_pages:edit", args=[things[name].pk]))
    for model, parent in [
        ("pages.contentpage", home),
        ("articles.articlepage", articles),
        ("events.eventpage", events),
    ]:
        views.append(reverse("wagtailadmin_pages:add", args=[*model.split("."), parent.pk]))
    return views
