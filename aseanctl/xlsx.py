"""A view's items as an Excel workbook: one sheet, typed cells, a header row to filter by.

Pure but for the stream it is given: ``views.sheet_rows`` decides what each cell holds;
this module only lays the cells out for a spreadsheet.  openpyxl is imported here, when a
workbook is asked for, and runs in its streaming (write-only) mode: rows go to the file as
they come, so 10,000 tasks cost little memory.

Text from the plan is untrusted (docs/security.md).  openpyxl reads a value starting with
``=`` as a formula and ``#N/A`` as an error; here every text cell is stored as a string, so a
spreadsheet shows ``=HYPERLINK(…)`` and never runs it.  Control characters are written out
visibly (``safetext.sheet_text``): XML cannot hold most of them, and a person reads the cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from copy import copy
from typing import Any, BinaryIO

from .safetext import sheet_text
from .views import SheetValue

DATE_FORMAT = "dd/mm/yyyy"
MIN_WIDTH, MAX_WIDTH = 6, 60  # in characters; a longer cell wraps at MAX_WIDTH
DATE_WIDTH = 12
_MAX_SHEET_TITLE = 31  # Excel's limit


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[SheetValue]]) -> list[float]:
    """Each column as wide as its longest line (the header's longest word, since a header
    wraps), within MIN_WIDTH and MAX_WIDTH, plus a little room for the filter button."""
    widths: list[float] = []
    for index, header in enumerate(headers):
        longest = max((len(word) for word in header.split()), default=0)
        for row in rows:
            value = row[index]
            if value is None:
                continue
            if isinstance(value, dt.date):
                size = DATE_WIDTH
            elif isinstance(value, str):
                size = max(map(len, value.split("\n"))) if "\n" in value else len(value)
            else:
                size = len(str(value))
            if size > longest:
                longest = size
                if longest >= MAX_WIDTH:
                    break
        widths.append(min(max(longest, MIN_WIDTH), MAX_WIDTH) + 3)
    return widths


def string_cell(cell: Any, text: str) -> Any:
    """``cell`` (openpyxl's, in either mode) holding ``text`` as a string, whatever it starts
    with: given as a value, openpyxl stores ``=…`` as a formula, which a spreadsheet runs when
    the file is opened, and ``#N/A`` as an error value."""
    cell._value, cell.data_type = text, "s"
    return cell


def write_xlsx(
    out: BinaryIO, title: str, headers: Sequence[str], rows: Sequence[Sequence[SheetValue]], *, creator: str
) -> None:
    """The workbook: one sheet called ``title``; the header row bold, frozen and filtered;
    days as dates shown dd/mm/yyyy, numbers and true/false as such, text always as text
    (wrapped when it has several lines); columns sized to their contents."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    book.properties.creator = creator
    # openpyxl's stubs know neither the write-only sheet's attributes nor its cells' style
    sheet: Any = book.create_sheet(title[:_MAX_SHEET_TITLE])
    for index, width in enumerate(column_widths(headers, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last = get_column_letter(max(len(headers), 1))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"

    # one cell of each style, whose style the others copy: openpyxl hashes a style object on
    # every assignment, a cost paid once per style here rather than once per cell
    top = Alignment(vertical="top")
    wrapped = Alignment(vertical="top", wrap_text=True)
    header: Any = WriteOnlyCell(sheet)
    header.font, header.alignment = Font(bold=True), wrapped
    day: Any = WriteOnlyCell(sheet, dt.datetime(2000, 1, 1))
    day.number_format, day.alignment = DATE_FORMAT, top
    lines: Any = WriteOnlyCell(sheet)
    lines.alignment = wrapped

    def date(value: dt.date) -> Any:
        cell: Any = WriteOnlyCell(sheet)  # no value given: openpyxl would look up its own date style
        cell._style = copy(day._style)
        cell._value, cell.data_type = value, "d"
        return cell

    def text(value: str, model: Any = None) -> Any:
        value = sheet_text(value)
        if model is None and "\n" in value:
            model = lines
        if model is None and not value.startswith(("=", "#")):
            return value  # what openpyxl stores as a string by itself: no cell object needed
        cell: Any = WriteOnlyCell(sheet)
        if model is not None:
            cell._style = copy(model._style)
        return string_cell(cell, value)

    sheet.append([text(name, header) for name in headers])
    for row in rows:
        sheet.append(
            [
                text(value) if isinstance(value, str) else date(value) if isinstance(value, dt.date) else value
                for value in row
            ]
        )
    book.save(out)
