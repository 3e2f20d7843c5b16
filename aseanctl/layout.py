"""Text for the terminal: a sheet of lines and tables, laid out to a width.

A view (``aseanctl.views``) describes what it shows as a ``Sheet``: plain values, headings
and tables of cells with a style word each.  This module lays a sheet out: column widths
from the content, the widest wrappable columns shrunk until the table fits the width, cells
wrapped at spaces, widths counted in terminal cells (Vietnamese in NFC is one cell a
letter, CJK two, combining marks none).  Plan text is untrusted (docs/security.md): a line
feed in it starts a line within its cell, every other control character and bidi control is
laid out as ``safetext.cell_text`` writes it (``\\x1b``, ``U+202E``) and measured as shown.
``render_text`` gives the text, with ANSI colour or without; a sheet is also a rich
renderable, so a rich Console prints it with its own width and colour detection.

rich's ``Table`` measures, wraps and crops every cell through renderables and segments;
on 10,000 tasks that costs seconds, this a fraction of one.  Pure: nothing here prints.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, NamedTuple

from .safetext import CELL_UNSAFE, cell_text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

GAP = " "  # between columns (rich's SIMPLE_HEAD look: no borders, a rule under the header)
RULE = "─"
FLEX_FLOOR = 20  # a free-text column is shrunk to this before any other column gives up a cell
FLEX_MIN = 10  # and, if still needed, to this: narrower, a title reads a word a line

# One cell each, for certain: ASCII, Latin (with Vietnamese), Greek, Cyrillic, general
# punctuation (dashes, quotes, the ellipsis), box drawing and block elements (the progress
# bar).  Text made only of these is measured by len(); anything else letter by letter.
_NARROW = frozenset(
    chr(c)
    for start, end in (
        (0x20, 0x7E),
        (0xA0, 0xAC),
        (0xAE, 0x2FF),
        (0x370, 0x482),
        (0x1E00, 0x1EFF),
        (0x2010, 0x2027),
        (0x2030, 0x205E),
        (0x2190, 0x21FF),
        (0x2500, 0x25FF),
    )
    for c in range(start, end + 1)
)
_is_narrow = _NARROW.issuperset

_SGR = {"bold": "1", "dim": "2", "italic": "3", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}
_COLOURS = frozenset(("red", "green", "yellow", "cyan"))


def _char_cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes (one line)."""
    if _is_narrow(text):
        return len(text)
    return sum(_char_cells(c) for c in text)


def nfc(text: str) -> str:
    """Composed text: a letter and its marks as one character, as terminals draw them best
    (Vietnamese typed on some systems arrives decomposed)."""
    return text if text.isascii() or unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _cut(word: str, width: int) -> list[str]:
    """A word wider than the column, cut into pieces of at most ``width`` cells."""
    pieces, piece, used = [], "", 0
    for char in word:
        size = _char_cells(char) if not _is_narrow(char) else 1
        if used + size > width and piece:
            pieces.append(piece)
            piece, used = "", 0
        piece += char
        used += size
    pieces.append(piece)
    return pieces


def wrap(text: str, width: int) -> list[tuple[str, int]]:
    """``text`` in lines of at most ``width`` cells, broken at spaces (a word longer than the
    width is cut), each with its width; a newline always breaks."""
    lines: list[tuple[str, int]] = []
    for paragraph in text.split("\n"):
        measure = len if _is_narrow(paragraph) else cells
        size = measure(paragraph)
        if size <= width:
            lines.append((paragraph, size))
            continue
        line: list[str] = []
        used = 0
        for word in paragraph.split():
            size = measure(word)
            if line and used + 1 + size <= width:
                line.append(word)
                used += 1 + size
                continue
            if line:
                lines.append((" ".join(line), used))
            if size <= width:
                line, used = [word], size
                continue
            *whole, last = _cut(word, width)
            lines.extend((piece, cells(piece)) for piece in whole)
            line, used = [last], cells(last)
        if line or not lines:
            lines.append((" ".join(line), used))
    return lines


# --- what a view describes ----------------------------------------------------------------------


class Cell(NamedTuple):
    """A table cell: its text (a newline starts a line), the style of the whole cell (rich's
    style words: "red", "bold", "dim" …) and, if given, of its first paragraph (a name in bold
    above plain text)."""

    text: str
    style: str = ""
    first_style: str = ""


@dataclass(frozen=True)
class Column:
    """How a column may be laid out.  Its natural width is its widest cell (header included),
    at most ``max_width``.  To fit the width, a ``flex`` column (long free text) gives up cells
    first, down to ``comfort``; then the other wrappable columns, down to ``min_width``
    (default: their longest word or their header, so both stay whole); then the flex columns down to
    ``min_width`` (default: ``FLEX_MIN``); then, on a very narrow terminal, every column."""

    header: str = ""
    align: Literal["left", "right"] = "left"
    flex: bool = False
    comfort: int = FLEX_FLOOR
    wrap: bool = True  # False: the cells keep their width (dates, bars) while anything else can shrink
    min_width: int | None = None
    max_width: int | None = None


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: Sequence[tuple[Cell, ...]] = ()
    header: bool = True  # False: a grid of label and value, no header, no rule


@dataclass(frozen=True)
class Line:
    """A line of text outside a table (a heading, a total); wrapped at spaces to the width."""

    text: str = ""
    style: str = ""


Block = Line | Table
Segment = tuple[str, str]  # text, style


@dataclass(frozen=True)
class Sheet:
    """What a view shows on the terminal: lines and tables, top to bottom."""

    blocks: tuple[Block, ...]

    def lines(self, width: int) -> Iterator[list[Segment]]:
        """The sheet laid out to ``width`` cells, line by line, each line a list of styled
        pieces; a table's lines end in the spaces of their padding."""
        for texts, styles in self._chunks(width):
            for parts, kinds in zip(zip(*texts, strict=True), zip(*styles, strict=True), strict=True):
                yield list(zip(parts, kinds, strict=True))

    def text(self, width: int) -> Iterator[str]:
        """The sheet laid out to ``width`` cells, line by line, without styles or spaces at the ends."""
        for texts, _ in self._chunks(width):
            for parts in zip(*texts, strict=True):
                yield "".join(parts).rstrip(" ")

    def _chunks(self, width: int) -> Iterator[tuple[list[list[str]], list[list[str]]]]:
        """The sheet as chunks of lines (a heading, a table row): each chunk a list of texts and
        a list of styles per column, every column as many lines as the chunk."""
        width = max(width, 1)
        for block in self.blocks:
            if isinstance(block, Line):
                for text, _ in wrap(nfc(cell_text(block.text)), width):
                    yield [[text]], [[block.style]]
            else:
                yield from table_chunks(block, width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment as RichSegment
        from rich.style import Style

        parse = lru_cache(maxsize=None)(Style.parse)
        newline = RichSegment.line()
        for line in self.lines(options.max_width):
            for text, style in _trimmed(line):
                yield RichSegment(text, parse(style) if style else None)
            yield newline


def _trimmed(line: list[Segment]) -> list[Segment]:
    """The line without the spaces at its end."""
    while line and not line[-1][0].strip(" "):
        line.pop()
    if line:
        text, style = line[-1]
        line[-1] = (text.rstrip(" "), style)
    return line


# --- laying a table out -------------------------------------------------------------------------


def _longest_word(texts: Iterable[str]) -> int:
    return max((cells(word) for text in texts for word in text.split()), default=0)


def _shrink(widths: list[int], floors: Sequence[int], which: Iterable[int], excess: int) -> int:
    """Take up to ``excess`` cells from the columns ``which``, a cell at a time from the widest
    of them (so they meet at one width), none below its floor; returns the excess left."""
    which = list(which)
    while excess > 0:
        candidates = [i for i in which if widths[i] > floors[i]]
        if not candidates:
            break
        widest = max(candidates, key=widths.__getitem__)
        widths[widest] -= 1
        excess -= 1
    return excess


def column_widths(table: Table, width: int, texts: Sequence[Iterable[str]]) -> list[int]:
    """Each column's width in cells, the gaps between them included in ``width``.  ``texts``
    holds each column's distinct cell texts."""
    columns = table.columns
    naturals = []
    for column, column_texts in zip(columns, texts, strict=True):
        widest = max((cells(line) for text in column_texts for line in text.split("\n")), default=0)
        if table.header:
            widest = max(widest, cells(column.header))
        if column.max_width is not None:
            widest = min(widest, column.max_width)
        naturals.append(max(widest, 1))
    widths = list(naturals)
    excess = sum(widths) + len(GAP) * (len(columns) - 1) - width
    if excess <= 0:
        return widths
    flex = [i for i, c in enumerate(columns) if c.flex]
    rest = [i for i, c in enumerate(columns) if c.wrap and not c.flex]
    excess = _shrink(widths, [min(naturals[i], columns[i].comfort) for i in range(len(columns))], flex, excess)
    floors = list(widths)
    for i in rest:
        floor = columns[i].min_width
        if floor is None:  # words whole, and the header on one line if it was
            floor = max(_longest_word(texts[i]), cells(columns[i].header) if table.header else 0)
        floors[i] = min(widths[i], max(floor, 1))
    for i in flex:
        floors[i] = min(widths[i], max(columns[i].min_width or FLEX_MIN, 1))
    excess = _shrink(widths, floors, rest, excess)
    excess = _shrink(widths, floors, flex, excess)
    _shrink(widths, [1] * len(columns), range(len(columns)), excess)  # a very narrow terminal: words are cut
    return widths


class _Laid:
    """One column's cells as laid out lines, each padded to the column's width and followed by
    the gap; a cell met before (a status, a date, a lead) is laid out once."""

    def __init__(self, width: int, right: bool, gap: str, escape: bool = False) -> None:
        self.width, self.right, self.gap, self.escape = width, right, gap, escape
        self.blank = " " * width + gap
        self.seen: dict[Cell, tuple[list[str], list[str]]] = {}

    def __call__(self, cell: Cell) -> tuple[list[str], list[str]]:
        """The cell's lines and the style of each."""
        found = self.seen.get(cell)
        if found is not None:
            return found
        width, gap, text = self.width, self.gap, nfc(cell_text(cell.text) if self.escape else cell.text)
        if cell.first_style:
            first, _, rest = text.partition("\n")
            lines = wrap(first, width)
            styles = [cell.first_style] * len(lines)
            if rest:
                more = wrap(rest, width)
                lines += more
                styles += [cell.style] * len(more)
        else:
            lines = wrap(text, width)
            styles = [cell.style] * len(lines)
        if self.right:
            texts = [" " * (width - size) + line + gap for line, size in lines]
        else:
            texts = [line + " " * (width - size) + gap for line, size in lines]
        found = (texts, styles)
        if len(self.seen) < 4096:  # free text (titles, notes) seldom repeats: do not keep it all
            self.seen[cell] = found
        return found


def table_chunks(table: Table, width: int) -> Iterator[tuple[list[list[str]], list[list[str]]]]:
    """A table laid out in ``width`` cells, a chunk a row: the header (bold) and a rule, then
    the rows.  Each chunk holds, per column, its lines (padded, gaps included) and their styles."""
    columns = table.columns
    rows = list(table.rows)
    texts = [{row[i].text for row in rows} for i in range(len(columns))]
    # one search a column: controls are rare, and only a column that holds one pays for escaping
    escape = [CELL_UNSAFE.search("\n".join(column_texts)) is not None for column_texts in texts]
    texts = [
        {cell_text(text) for text in column_texts} if e else column_texts
        for column_texts, e in zip(texts, escape, strict=True)
    ]
    widths = column_widths(table, width, texts)
    last = len(columns) - 1
    laid = [
        _Laid(w, c.align == "right", "" if i == last else GAP, escape[i])
        for i, (c, w) in enumerate(zip(columns, widths, strict=True))
    ]
    if table.header:
        rows.insert(0, tuple(Cell(c.header, "bold") for c in columns))
    for number, row in enumerate(rows):
        pieces = [lay(cell) for lay, cell in zip(laid, row, strict=True)]
        height = max(len(lines) for lines, _ in pieces)
        if all(len(lines) == height for lines, _ in pieces):
            yield [lines for lines, _ in pieces], [styles for _, styles in pieces]
        else:
            yield (
                [lines + [lay.blank] * (height - len(lines)) for (lines, _), lay in zip(pieces, laid, strict=True)],
                [styles + [""] * (height - len(styles)) for _, styles in pieces],
            )
        if number == 0 and table.header:
            yield [[RULE * (sum(widths) + len(GAP) * last)]], [[""]]


# --- text --------------------------------------------------------------------------------------------


def _sgr(style: str, colour: bool) -> str:
    return ";".join(_SGR[word] for word in style.split() if word in _SGR and (colour or word not in _COLOURS))


def render_text(sheet: Sheet, width: int, *, ansi: bool = False, colour: bool = True) -> str:
    """The sheet as text ``width`` cells wide.  With ``ansi``, styles become escapes: bold,
    dim and, unless ``colour`` is off (``NO_COLOR``), colours."""
    if not ansi:
        plain = list(sheet.text(width))
        return "\n".join(plain) + "\n" if plain else ""
    out: list[str] = []
    codes: dict[str, str] = {}
    for line in sheet.lines(width):
        pieces = []
        for text, style in _trimmed(line):
            code = codes.get(style)
            if code is None:
                code = codes[style] = _sgr(style, colour)
            pieces.append(f"\x1b[{code}m{text}\x1b[0m" if code else text)
        out.append("".join(pieces))
    return "\n".join(out) + "\n" if out else ""
