"""Plain helpers that build what the tests need."""

import re
from pathlib import Path

from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

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


def mission_page_form_data(page, **changes):
    """The admin edit form's POST data for a mission page, as a browser would send it."""
    values = {
        "title": page.title,
        "slug": page.slug,
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
