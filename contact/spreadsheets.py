"""Exports the board opens in a spreadsheet program: safe in every one of them, readable in
Polish Excel.

A cell that starts with = + - @ (or a tab or CR before one) is run as a formula by Excel,
LibreOffice and Google Sheets (CSV injection, see OWASP). Every CSV field is quoted, and every
such start, at the beginning of a cell or of any part a ";" or "," would split off in a
program that splits without regard to quotes, gets an apostrophe in front, which the
spreadsheet shows as text.
"""

import csv
import re
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_START = re.compile(r"(^|[;,])([ ]*)(?=[=+\-@\t\r])")


def spreadsheet_safe(value):
    """The value with each formula start neutralised; other types unchanged."""
    if isinstance(value, str):
        return FORMULA_START.sub(r"\1\2'", value)
    return value


def local_time(value):
    """A time as the board reads it: Europe/Warsaw (TIME_ZONE), to the minute."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def local_naive_time(value):
    """For XLSX, which has no time zones: the Warsaw wall-clock time."""
    return timezone.make_naive(value) if timezone.is_aware(value) else value


def yes_no(value):
    return _("Yes") if value else _("No")


class ExcelPolish(csv.excel):
    """What Polish Excel opens in columns: ";" between fields (its list separator)."""

    delimiter = ";"
    quoting = csv.QUOTE_ALL


class QuotedCsv(csv.excel):
    """Standard comma-separated CSV, every field quoted."""

    quoting = csv.QUOTE_ALL


DIALECTS = {"comma": QuotedCsv, "semicolon": ExcelPolish}


def value_preprocessors(csv_format, xlsx_format):
    """For Wagtail's SpreadsheetExportMixin.custom_value_preprocess."""
    return {
        bool: {csv_format: yes_no, xlsx_format: yes_no},
        datetime: {csv_format: local_time, xlsx_format: local_naive_time},
    }
