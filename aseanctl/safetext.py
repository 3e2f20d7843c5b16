"""Text from a plan repository made safe for where it is shown: a terminal, a CI log, a spreadsheet.

A plan repository is untrusted input (docs/security.md): a title, a note, a YAML key or a
file name can hold an escape sequence that retitles a terminal or clears it, a bidi override
that makes a line read backwards, a line break that starts a GitHub workflow command, or a
leading ``=`` that a spreadsheet runs as a formula.  Each function here is the one definition
of that escaping for its destination; the formats and views call it on everything they print.
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, C1 controls; the invisible direction marks and
# overrides (Trojan Source, CVE-2021-42574): LRM, RLM, ALM, LRE..RLO, LRI..PDI; and lone
# surrogates, which no UTF-8 stream or file can hold (the schema refuses them in plan text, but
# a message may quote one from an id or a key: writing it out would raise).
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SURROGATE = "\ud800-\udfff"
UNSAFE = re.compile(f"[{_CONTROL}{_BIDI}{_SURROGATE}]")
# on one line, the line and paragraph separators too: some terminals and editors break there
_UNSAFE_OR_NEWLINE = re.compile(f"[\n\t\u2028\u2029{_CONTROL}{_BIDI}{_SURROGATE}]")
CELL_UNSAFE = re.compile(f"[\t{_CONTROL}{_BIDI}{_SURROGATE}]")  # what cell_text writes out
# and in a workbook, also the two code points XML 1.0 cannot hold that YAML and JSON can
_SHEET_UNSAFE = re.compile(f"[\t{_CONTROL}{_BIDI}{_SURROGATE}\ufffe\uffff]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _show(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"U+{code:04X}"


def visible(text: str, *, one_line: bool = True) -> str:
    """``text`` with every control character and bidi control written out visibly (``\\x1b``,
    ``U+202E``); with ``one_line``, tab and line feed too, so that the text stays on its line."""
    pattern = _UNSAFE_OR_NEWLINE if one_line else UNSAFE
    return pattern.sub(_show, text) if pattern.search(text) else text


def cell_text(text: str) -> str:
    """``text`` for a cell of a terminal table: a line feed still starts a line within the cell,
    every other control character (tab and carriage return among them) and bidi control is
    written out visibly, so that no row is broken and every cell measures what it shows."""
    return CELL_UNSAFE.sub(_show, text) if CELL_UNSAFE.search(text) else text


def unsafe_chars(text: str) -> list[str]:
    """The control and bidi characters in ``text``, as :func:`visible` writes them (for warnings)."""
    return [_show(match) for match in UNSAFE.finditer(text)]


# OWASP's CSV injection advice: a cell a spreadsheet would read as a formula (or as the start of
# one, after a tab or a carriage return) is prefixed with a single quote, shown as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A text cell for CSV that a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def json_text(text: str) -> str:
    """JSON that ``json.dumps(..., ensure_ascii=False)`` wrote, for a UTF-8 stream or file: a lone
    surrogate (quoted in a message from an id or a key the schema refused) becomes its escape
    ``\\ud800``, which reads back as the same string; any other character stays as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


# Excel refuses a cell longer than this.
SHEET_CELL_LIMIT = 32_767


def sheet_text(text: str) -> str:
    """A text cell for a workbook a person reads: a line feed still starts a line within the
    cell, every other control, bidi control and lone surrogate is written out visibly (as
    :func:`cell_text` does), and the text is cut to what Excel holds.  Whether it runs as a
    formula is not a matter of its text here: the writer stores every text cell as a string."""
    if _SHEET_UNSAFE.search(text):  # XML 1.0 cannot hold these: the workbook would not be written
        text = _SHEET_UNSAFE.sub(_show, text)
    return text if len(text) <= SHEET_CELL_LIMIT else text[: SHEET_CELL_LIMIT - 1] + "…"


# GitHub workflow commands (``::error …``) and the older ``##[error]`` form are recognised at
# the start of a log line, after any blanks.
_COMMAND_START = re.compile(r"^\s*(::|##\[)")


def github_log(text: str) -> str:
    """One line for a GitHub Actions log that the runner never reads as a workflow command."""
    line = visible(text)
    return f"> {line}" if _COMMAND_START.match(line) else line
