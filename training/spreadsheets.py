"""Spreadsheet cells that a spreadsheet program cannot run: every export the admin offers, ours and
Wagtail's, writes its cells through `csv_cell` and `xlsx_cell`.

A cell that starts with `= + - @`, a tab or a carriage return is read as a formula by Excel,
LibreOffice and Google Sheets, so a volunteer who types `=HYPERLINK(...)` as a name would run it on
the computer of the staff member who opens the export. In CSV such a text cell gets an apostrophe in
front (the OWASP advice: the program shows it as text). In XLSX every cell is typed instead: text
is stored as text (never as a formula, so no apostrophe is needed), moments as dates and numbers as
numbers.

Wagtail's exports (site history, locked and aging pages, every `list_export` viewset, ours
included) all write through `SpreadsheetExportMixin.write_csv_row` and `generate_xlsx_row`.
Wagtail's own report views are wired by Wagtail's URLs, so no subclass of ours can reach them;
`protect_wagtail_exports()`, called once from `TrainingConfig.ready()`, therefore replaces those two
methods on the mixin itself with versions that write through this module. That is the one patch of
Wagtail in this project; `tests/security/test_spreadsheet_exports.py` walks every export view the
URL configuration offers and fails if any of them (or a Wagtail upgrade that renames the methods)
writes a cell that would run.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.utils.encoding import force_str
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Values a spreadsheet reads as what they are; everything else is written as text.
PLAIN_TYPES = (bool, int, float, Decimal, datetime.date, datetime.time)


def neutralise(value: str) -> str:
    """A text that a spreadsheet would run as a formula, with an apostrophe in front so it is
    shown as text."""
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: numbers, dates and nothing as they are, anything else as neutralised text."""
    if value is None or isinstance(value, PLAIN_TYPES):
        return value
    return neutralise(force_str(value))


def xlsx_value(value: Any) -> Any:
    """A value XLSX can hold with its type: moments without a zone (XLSX has none; the caller
    converts to the zone it means first), text without the control characters XLSX forbids."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, PLAIN_TYPES):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", force_str(value))


def xlsx_cell(worksheet, value: Any) -> Cell:
    """A typed cell for `worksheet.append`: text stays text even when it starts like a formula."""
    # Row and column are placeholders: `append` puts the cell where it belongs.
    cell = Cell(worksheet, row=1, column=1, value=xlsx_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def _write_csv_row(self, writer, row_dict):
    return writer.writerow(
        {
            field: csv_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
            for field, value in row_dict.items()
        }
    )


def _generate_xlsx_row(self, worksheet, row_dict, date_format=None):
    for field, value in row_dict.items():
        cell = xlsx_cell(worksheet, self.preprocess_field_value(field, value, self.FORMAT_XLSX))
        if date_format and isinstance(value, datetime.datetime):
            cell.number_format = date_format
        yield cell


def protect_wagtail_exports() -> None:
    """Make Wagtail's spreadsheet exports write every cell through `csv_cell` and `xlsx_cell`."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    SpreadsheetExportMixin.write_csv_row = _write_csv_row
    SpreadsheetExportMixin.generate_xlsx_row = _generate_xlsx_row


# --- Writing a whole export: CSV streamed, XLSX in a temporary file ---------------------------


class _Echo:
    """A file that hands back what is written, so the CSV writer produces one line at a time."""

    def write(self, value: str) -> str:
        return value


# Lines go out in pieces of about this many characters: one piece per line cost the server more, in
# writes to the connection, than making the lines (half an export's time).
CSV_PIECE = 64 * 1024


def csv_stream(rows: Iterable[list[str]]) -> Iterator[str]:
    """The CSV text: the heading and the first row at once (the download starts before the rest is
    read), then the lines in pieces of about `CSV_PIECE` characters."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheets open the UTF-8 (Thai) text correctly
    piece, size = [], 0
    for number, row in enumerate(rows):
        line = writer.writerow([csv_cell(cell) for cell in row])
        if number < 2:
            yield line
            continue
        piece.append(line)
        size += len(line)
        if size >= CSV_PIECE:
            yield "".join(piece)
            piece, size = [], 0
    if piece:
        yield "".join(piece)


def xlsx_file(rows: Iterable[list], *, title: str):
    """An XLSX workbook in a temporary file, written row by row in openpyxl's write-only mode,
    each cell typed (text as text, never a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append([xlsx_cell(sheet, cell) for cell in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the streamed response closes it)
    workbook.save(handle)
    handle.seek(0)
    return handle
