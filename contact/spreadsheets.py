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

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin
from wagtail.admin.widgets.button import Button

# Rows an export holds in memory at once: the file streams out, however many messages there are.
EXPORT_CHUNK = 500
FORMULA_START = re.compile(r"(^|[;,])([ ]*)(?=[=+\-@\t\r])")


def in_chunks(queryset):
    """The rows of an export, read from the database a chunk at a time."""
    if isinstance(queryset, QuerySet):
        return queryset.iterator(chunk_size=EXPORT_CHUNK)
    return queryset  # search results come as the search backend gives them


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


class BoardExportMixin:
    """For an admin IndexView: Wagtail's CSV/XLSX export as the board needs it.

    Times in Europe/Warsaw, yes/no in Polish, CSV with a BOM and formula starts neutralised,
    and a second CSV button for Polish Excel (?separator=semicolon). XLSX formulas need
    nothing here: Wagtail writes every cell openpyxl would take for a formula as text.
    """

    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        bool: {
            SpreadsheetExportMixin.FORMAT_CSV: yes_no,
            SpreadsheetExportMixin.FORMAT_XLSX: yes_no,
        },
        datetime: {
            SpreadsheetExportMixin.FORMAT_CSV: local_time,
            SpreadsheetExportMixin.FORMAT_XLSX: local_naive_time,
        },
    }

    def get(self, request, *args, **kwargs):
        if self.is_export:
            # Straight to the file: the listing's context would load every row to count them.
            return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    @property
    def csv_separator(self):
        """ "semicolon" for Polish Excel (?separator=semicolon), else the standard comma."""
        wanted = self.request.GET.get("separator")
        return wanted if wanted in DIALECTS else "comma"

    def stream_csv(self, queryset):
        # A BOM makes Excel read the file as UTF-8, so Polish letters survive.
        yield "\ufeff".encode()
        writer = csv.DictWriter(
            Echo(), fieldnames=self.list_export, dialect=DIALECTS[self.csv_separator]
        )
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in in_chunks(queryset):
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_xlsx(self, queryset, output):
        # Wagtail's, reading the rows in chunks: its `for item in queryset` keeps them all.
        from openpyxl import Workbook
        from wagtail.admin.views.mixins import ExcelDateFormatter

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title="Sheet1")
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        date_format = ExcelDateFormatter().get()
        for item in in_chunks(queryset):
            worksheet.append(
                self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format)
            )
        workbook.save(output)

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: spreadsheet_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    def get_filename(self):
        name = super().get_filename()
        return f"{name}-excel" if self.is_export and self.csv_separator == "semicolon" else name

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons.copy()
        if self.show_export_buttons:
            params = self.request.GET.copy()
            params["export"] = self.FORMAT_CSV
            params["separator"] = "semicolon"
            buttons.append(
                Button(
                    _("Download CSV for Excel (Polish)"),
                    url=self.request.path + "?" + params.urlencode(),
                    icon_name="download",
                    priority=95,
                )
            )
        return buttons
