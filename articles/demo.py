"""Demo articles for trying the site and measuring it (`seed_demo_content --articles N`)."""

import datetime

from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.signal_handlers import disable_reference_index_auto_update

from articles.models import ArticleIndexPage, ArticleKind, ArticlePage

TOPICS = [
    ("Debata o przyszłości Placu NZS", "debata", "Zapraszamy mieszkańców na debatę o zieleni."),
    ("Stanowisko w sprawie planu miejscowego", "plan-miasta", "Opiniujemy projekt planu."),
    ("Publikacja: źródła historii Placu", "historia", "Zebraliśmy źródła i wspomnienia."),
    ("Szkolenie dla wolontariuszy", "szkolenia", "Uczymy, jak prowadzić spotkania."),
]
KINDS = [ArticleKind.NEWS, ArticleKind.POSITION, ArticleKind.PUBLICATION, ArticleKind.NEWS]


def article_index():
    """The site's article index, made under the mission page if there is none yet."""
    from pages.models import MissionPage

    index = ArticleIndexPage.objects.first()
    if index is None:
        home = MissionPage.objects.get()
        index = home.add_child(instance=ArticleIndexPage(title="Aktualności", slug="aktualnosci"))
    return index


def seed_articles(count, stdout=None):
    """Add `count` published demo articles, one a day back from today; returns them."""
    index = article_index()
    today = timezone.localdate()
    made = []
    tags = {}
    for _title, tag, _lead in TOPICS:
        tags[tag] = Tag.objects.get_or_create(slug=tag, defaults={"name": tag})[0]
    # Demo articles refer to nothing else: the reference index has nothing to learn from them.
    with transaction.atomic(), disable_reference_index_auto_update():
        start = ArticlePage.objects.child_of(index).count()
        for number in range(start, start + count):
            title, tag, lead = TOPICS[number % len(TOPICS)]
            article = ArticlePage(
                title=f"{title} ({number + 1})",
                slug=f"artykul-{number + 1}",
                kind=KINDS[number % len(KINDS)],
                date=today - datetime.timedelta(days=number),
                lead=lead,
                authors="Zarząd Stowarzyszenia",
                body=[("paragraph", f"<p>{lead} Tekst przykładowy numer {number + 1}.</p>")],
                first_published_at=timezone.now(),
                last_published_at=timezone.now(),
            )
            article.tags.add(tags[tag])  # saved with the page, in the same write
            made.append(index.add_child(instance=article))
    if stdout is not None:
        stdout.write(f"Articles: {len(made)} added under {index.url_path}.")
    return made
