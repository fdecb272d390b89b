"""Polish-aware search text: the same words with and without Polish letters, and their stems.

Wagtail's database search backend matches words as they are written on both databases it
runs on here: SQLite's FTS5 folds "ź" and "ó" but keeps "ł" ("zrodla" misses "źródła"), and
PostgreSQL has no Polish configuration and unaccents only its fuzzy search, through an
extension that needs a superuser. So the text is folded and stemmed in Python once, when a
page is indexed, and a query is folded and stemmed the same way: both databases then match
"zrodla" with "źródła" and "debaty" with "debata".

Stems come from the Polish Snowball stemmer (``snowballstemmer``, pure Python, BSD). Letters
are folded by ``anyascii``, which Wagtail itself already uses for slugs.
"""

import re
from functools import lru_cache

import snowballstemmer
from anyascii import anyascii
from django.utils.html import strip_tags
from wagtail.search.query import And, Or, PlainText

WORD = re.compile(r"\w+", re.UNICODE)
# A query is cut here: a visitor's search never becomes an expensive database query.
MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("polish")


def fold(word):
    """The word as typed without Polish letters: "źródła" → "zrodla"."""
    return anyascii(word).lower()


@lru_cache(maxsize=4096)
def word_forms(word):
    """The forms of one word that the index holds and a query looks for."""
    word = word.lower()
    stem = _stemmer().stemWord(word)
    folded_stem = _stemmer().stemWord(fold(word))
    return tuple(dict.fromkeys([word, fold(word), fold(stem), folded_stem]))


def words(text):
    return WORD.findall(strip_tags(str(text or "")))


def folded_search_text(*parts):
    """What the index keeps besides the text itself: every word's folded form and stems."""
    forms = []
    for part in parts:
        for word in words(part):
            forms.extend(word_forms(word)[1:])
    return " ".join(dict.fromkeys(forms))


def search_query(text):
    """A database search query for what a visitor typed, or None if nothing is left of it.

    Every word must match in one of its forms, so "zrodla debaty" finds a page that has
    "źródła" and "debata".
    """
    query_words = words(str(text)[:MAX_QUERY_LENGTH])[:MAX_QUERY_WORDS]
    if not query_words:
        return None
    terms = [Or([PlainText(form) for form in word_forms(word)]) for word in query_words]
    return terms[0] if len(terms) == 1 else And(terms)


def searchable_values(page, exclude=("folded_search_text",)):
    """The values of a page's own search fields, as Wagtail indexes them."""
    from wagtail.search import index

    values = []
    for field in page.search_fields:
        if isinstance(field, index.SearchField) and field.field_name not in exclude:
            value = field.get_value(page)
            if value:
                values.append(value if isinstance(value, str) else " ".join(map(str, value)))
    return values


class FoldedSearchMixin:
    """For page types that should be found without Polish letters and in other word forms.

    Add ``index.SearchField("folded_search_text")`` to the page's ``search_fields``.
    """

    def folded_search_text(self):
        return folded_search_text(*searchable_values(self))
