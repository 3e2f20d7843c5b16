"""The two rich Consoles (stdout, stderr): the only terminal code.

rich is imported on first use, so ``aseanctl --version`` and ``--help`` do not pay for it.
Colour follows rich's own detection: a terminal gets colour, a pipe or ``NO_COLOR`` does not.

Encodings (``prepare_streams``, run before a command): a file or a pipe always gets UTF-8,
whatever the locale says (``aseanctl status > status.txt`` on a Windows PC set to cp1252);
a terminal keeps its own encoding, and one that cannot show Vietnamese gets what it lacks
as ``\\u1ebf`` and one hint on stderr.  No output ever fails on an encoding.
"""

from __future__ import annotations

import codecs
import sys
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from .layout import Sheet

STYLES = {
    "path": "bold",
    "error": "bold red",
    "warning": "bold yellow",
    "rule": "cyan",
    "source": "dim",
    "ok": "bold green",
}


# Letters and signs the views and messages print: an encoding that holds these holds Vietnamese.
_PROBE = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĐ—–…·█░─"


def _holds(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _is_utf8(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):  # no such method, a closed stream
        return False


def prepare_streams(lang: str | None = None) -> None:
    """stdout and stderr made safe for any text: UTF-8 to a file or a pipe; on a terminal its
    own encoding, and, where that cannot hold Vietnamese (a legacy console), the letters it
    lacks written as escapes after one hint on stderr to switch the console to UTF-8.

    Python's ``reconfigure`` is the documented way to change a standard stream's encoding
    before anything is written; a stream without it (a test's capture) is left as it is.
    ``lang``: the --lang given, for the hint."""
    legacy = None
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        encoding = getattr(stream, "encoding", None) or "utf-8"
        strict = getattr(stream, "errors", None) == "strict"  # a lone surrogate (a file name not in UTF-8) raises
        if not _isatty(stream):
            if strict or not _is_utf8(encoding):
                reconfigure(encoding="utf-8", errors="backslashreplace")
        elif not _holds(_PROBE, encoding):
            reconfigure(errors="backslashreplace")
            legacy = legacy or encoding
        elif strict:
            reconfigure(errors="backslashreplace")
    if legacy is not None:
        _legacy_hint(legacy, lang)


def _legacy_hint(encoding: str, lang: str | None) -> None:
    """One line on stderr: how to get UTF-8.  In English when the console cannot show the
    Vietnamese line either (it is ASCII)."""
    from .i18n import pick_lang, t

    hint = t("console.legacy", pick_lang(lang), encoding=encoding)
    stream = sys.stderr
    if not _holds(hint, getattr(stream, "encoding", None) or "ascii"):
        hint = t("console.legacy", "en", encoding=encoding)
    stream.write(f"aseanctl: {hint}\n")
    stream.flush()


@cache
def stdout() -> Console:
    from rich.console import Console

    return Console(soft_wrap=True, highlight=False)


@cache
def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)


def markup(text: str, role: str) -> str:
    """Wrap ``text`` in rich markup for ``role``; the text itself is escaped."""
    from rich.markup import escape

    style = STYLES.get(role)
    return f"[{style}]{escape(text)}[/]" if style else escape(text)


def out(text: str, *, styled: bool = False) -> None:
    """Print to stdout: ``styled`` text is rich markup made by ``markup``; anything else is printed as is."""
    stdout().print(text, markup=styled, emoji=False, highlight=False)


def err(text: str, *, styled: bool = False) -> None:
    stderr().print(text, markup=styled, emoji=False, highlight=False)


def line(text: str, *, to_stderr: bool = False) -> None:
    """One plain line, without rich: for commands whose whole output is a line (an id) and
    that should not pay rich's import for it."""
    stream = sys.stderr if to_stderr else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def write(text: str) -> None:
    """Text on stdout as it is, past rich (which would wrap it, expand tabs or read markup)."""
    stream = sys.stdout
    stream.write(text)
    stream.flush()


def show(sheet: Sheet) -> None:
    """A view's sheet on stdout, laid out to the terminal's width and styled as rich would:
    colour on a terminal, none in a pipe or under ``NO_COLOR`` (bold and dim stay, as rich
    keeps them), ``COLUMNS`` and ``FORCE_COLOR`` obeyed.  The text is written past rich's
    renderer, which would measure and crop every line of a 10,000-row table once more."""
    from .layout import render_text

    console = stdout()
    ansi = console.color_system is not None
    text = render_text(sheet, console.width, ansi=ansi, colour=ansi and not console.no_color)
    stream = console.file
    stream.write(text)  # in the stream's encoding: UTF-8 to a file or pipe (prepare_streams)
    stream.flush()
