"""The two rich Consoles (stdout, stderr): the only terminal code.

rich is imported on first use, so ``aseanctl --version`` and ``--help`` do not pay for it.
Colour follows rich's own detection: a terminal gets colour, a pipe or ``NO_COLOR`` does not.
"""

from __future__ import annotations

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
    that should not pay rich's import (~60 ms) for it."""
    stream = sys.stderr if to_stderr else sys.stdout
    stream.write(text + "\n")
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
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:  # UTF-8 whatever the locale says, as JSON and CSV are written
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:  # pragma: no cover - a text-only stream
        stream.write(text)
        stream.flush()
