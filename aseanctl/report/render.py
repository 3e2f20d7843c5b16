"""Rendering reports: one Jinja2 Environment per format, both Jinja's sandbox, templates
found by name, escaping that cannot be forgotten.

Markdown: every ``{{ value }}`` is escaped for inline Markdown by the Environment's
``finalize`` (a title's ``*`` or ``<`` cannot turn into markup); table cells go through
``| cell`` (``|`` and newlines cannot break a row); Mermaid sources through ``| mermaid``.
A value already escaped by a filter is ``Escaped`` and passes as it is.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from ..errors import AseanctlError, UsageError
from .context import Row, text_blocks

SHIPPED_DIRNAME = "templates"


def shipped_templates() -> Path:
    """The templates installed with aseanctl (``aseanctl.templates``), or the checkout's ``templates/``."""
    try:
        from importlib.resources import files

        path = Path(str(files("aseanctl.templates")))
        if path.is_dir():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / SHIPPED_DIRNAME


def template_dirs(workspace_root: Path) -> list[Path]:
    """Where templates are looked up by name: the plan repository's own ``templates/`` first
    (beside ``plan/``, or inside the plan folder), then the shipped ones."""
    candidates = [workspace_root.parent / SHIPPED_DIRNAME, workspace_root / SHIPPED_DIRNAME]
    shipped = shipped_templates()
    dirs = [d for d in candidates if d.is_dir() and d.resolve() != shipped.resolve()]
    return [*dirs, shipped]


def find_template(name_or_path: str, dirs: list[Path]) -> Path:
    """A template by path (any file) or by name (first match in ``dirs``)."""
    given = Path(name_or_path)
    if given.is_file():
        return given  # named on the command line by the user: any file
    for folder in dirs:
        candidate = folder / name_or_path
        if folder is not dirs[-1] and (folder.is_symlink() or candidate.is_symlink()):
            # a repository template must be a file of the repository (docs/security.md)
            raise AseanctlError("report.template_symlink", file=candidate)
        if candidate.is_file():
            return candidate
    raise UsageError("report.template_missing", name=name_or_path)


# --- Markdown escaping -----------------------------------------------------------------------


class Escaped(str):
    """Text already escaped for Markdown (by a filter, a macro printed with ``| raw``, or
    :func:`mermaid_sources`): ``finalize`` passes it as it is.  A plain ``str`` subclass
    rather than markupsafe's ``Markup``, whose constructor costs four times as much."""

    __slots__ = ()


_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# [^\S\n]: white space but a line feed.  A line start's indent never reaches past its own line,
# so the search stays linear: with \s*, every line start of a title of blank lines scanned all
# the lines after it (quadratic in the number of line breaks)
_LINE_START = re.compile(r"^([^\S\n]*)([#>+\-=]|\d+[.)](?=[ \t]|$))", re.MULTILINE)
# anything md_inline would change: a special character anywhere, or a line that starts like
# a heading, quote, list item or numbered list item ("1. " / "1)" followed by a space or the end
# of the line, as CommonMark wants: "27.5" and a date "01/03/2024" are fine)
_NEEDS_ESCAPE = re.compile(r"[\\`*_\[\]<>|~&]|^[^\S\n]*(?:[#>+\-=]|\d+[.)](?=[ \t]|$))", re.MULTILINE)
_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what str.splitlines splits on
# the quick test that most text passes: no special character and no line break (so the only
# line start is the first character, checked apart).  A character class scans about four
# times faster than _NEEDS_ESCAPE, whose line-start branch is tried at every position.
_SPECIAL_OR_BREAK = re.compile(r"[\\`*_\[\]<>|~&\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_RISKY_FIRST = frozenset("#>+-=")


def _plain(text: str) -> bool:
    """True when ``text`` shows as itself in Markdown and in a table cell as it stands: one
    line, no special character, nothing a line may not start with, nothing to strip.
    (Remembered: a title is printed in the text and again in a table cell.)"""
    if text in _KNOWN_PLAIN:
        return True
    if _SPECIAL_OR_BREAK.search(text) is not None:
        return False
    if text:
        first = text[0]
        if first in _RISKY_FIRST or first.isdecimal() or first.isspace() or text[-1].isspace():
            return False
    if len(_KNOWN_PLAIN) >= _MEMO_LIMIT:
        _KNOWN_PLAIN.clear()
    _KNOWN_PLAIN.add(text)
    return True


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():  # "1." or "1)" would start a numbered list
        return f"{indent}{marker[:-1]}\\{marker[-1]}"
    return f"{indent}\\{marker}"


# What the escaping made of each text, for one process: a 10,000-task report escapes the
# same agency names, status words and titles tens of thousands of times.  Each memo is
# emptied when it grows past _MEMO_LIMIT entries (a long-lived process renders many reports).
_MEMO_LIMIT = 200_000
_INLINE_MEMO: dict[str, str] = {}
_CELL_MEMO: dict[str, Escaped] = {}
_KNOWN_PLAIN: set[str] = set()


def _md_inline(text: str) -> str:
    if _BREAK.search(text):
        # a bare CR, a form feed or U+2028 ends a line for a Markdown reader as LF does: made an
        # LF, so that what follows is escaped as the start of a line ("abc\r# x" is no heading)
        text = "\n".join(text.splitlines())
    if not _NEEDS_ESCAPE.search(text):
        return text
    escaped = _INLINE.sub(r"\\\1", text.replace("&", "&amp;"))
    return _LINE_START.sub(_escape_line_start, escaped)


def md_inline(text: str) -> str:
    """Text shown as itself in Markdown: no emphasis, links, HTML, headings or lists."""
    found = _INLINE_MEMO.get(text)
    if found is None:
        if len(_INLINE_MEMO) >= _MEMO_LIMIT:
            _INLINE_MEMO.clear()
        found = _INLINE_MEMO[text] = text if _plain(text) else _md_inline(text)
    return found


def _md_cell(text: str) -> Escaped:
    if _plain(text):
        return Escaped(text)
    if not _BREAK.search(text):
        return Escaped(md_inline(text.strip()))
    lines = [md_inline(line.strip()) for line in text.splitlines()] or [""]
    return Escaped("<br>".join(lines))


def md_cell(value: Any) -> Escaped:
    """A GFM table cell: escaped, with line breaks as <br> (a newline would end the row)."""
    text = value if type(value) is str else "" if value is None else str(value)
    found = _CELL_MEMO.get(text)
    if found is None:
        if len(_CELL_MEMO) >= _MEMO_LIMIT:
            _CELL_MEMO.clear()
        found = _CELL_MEMO[text] = _md_cell(text)
    return found


def md_paragraphs(value: Any) -> Escaped:
    """Analyst-written text as written (:func:`context.text_blocks`): paragraphs apart, single
    line breaks joined, ``- `` lines as a list."""
    out: list[str] = []
    previous_item = False
    for block in text_blocks("" if value is None else str(value)):
        line = md_inline(block["text"])
        if block["item"]:
            out.append(("\n" if previous_item else "\n\n") + "- " + line)
        else:
            out.append("\n\n" + line)
        previous_item = block["item"]
    return Escaped("".join(out).lstrip("\n"))


_MERMAID_BAD = re.compile(r"[:;#\n\r\t`\"{}\[\]<>]")


def mermaid_text(value: Any, limit: int = 60) -> Escaped:
    """Text safe inside a Mermaid gantt or sankey line: no separators, brackets or quotes."""
    text = " ".join(_MERMAID_BAD.sub(" ", "" if value is None else str(value)).split())
    if len(text) > limit:
        cut = text[: limit - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip() + "…"
    return Escaped(text)


def _finalize(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        found = _INLINE_MEMO.get(value)  # md_inline's memo, read here: most values are met before
        return found if found is not None else md_inline(value)
    if kind is Escaped or kind is int or kind is float:
        return value
    if value is None:
        return ""
    if isinstance(value, (Escaped, Markup)):  # Jinja's own "| safe" gives Markup: kept as written
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value
    return md_inline(str(value))


_DICT_ATTRIBUTES = frozenset(dir(dict))
_ROW_FIELDS = frozenset(Row._fields)


class ReportEnvironment(ImmutableSandboxedEnvironment):
    """The one kind of Jinja Environment reports render in, Markdown and Word, shipped
    templates and a plan repository's alike: Jinja's immutable sandbox.  A template is
    data from a repository, not code: it may read the report's values and call their
    harmless methods, never reach Python's internals (``cycler.__init__.__globals__``), call
    ``str.format`` on them or change a list or dict the report holds.  An attempt raises
    SecurityError, which :func:`template_error` turns into the catalogue's
    ``report.template_unsafe``, before anything is written."""

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        # Jinja's sandbox hands back an Undefined that fails only when used, and Word
        # templates' lenient Undefined would print it as nothing: an attempt to reach an
        # unsafe attribute is an error at once, in both formats.
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe")

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The sandbox vets every attribute it hands out with a dozen isinstance checks, and a
        # report reads several of every row (``r.title``, ``g.summary``): most of the render's
        # time would go there.  A report is made of dicts and Rows, and what is read of them
        # here is only ever their data, never a Python attribute: a dict's item (the sandbox's
        # own answer when the name is no dict attribute) or a Row's field (a NamedTuple's
        # fields never start with "_").  Everything else is the sandbox's to vet.
        kind = type(obj)
        if kind is Row:
            if attribute in _ROW_FIELDS:
                return getattr(obj, attribute)
        elif kind is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class RepositoryLoader(jinja2.FileSystemLoader):
    """Templates by name from ``dirs``, the last of which (the shipped set) is trusted: in the
    others (the plan repository's), a template reached through a symbolic link is refused
    before it is read, whether rendered directly or by ``{% include %}``."""

    def __init__(self, dirs: list[Path]) -> None:
        super().__init__([str(d) for d in dirs])
        self.repository_dirs = [Path(d) for d in dirs[:-1]]

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        from jinja2.loaders import split_template_path

        pieces = split_template_path(template)
        for folder in self.repository_dirs:
            path = folder.joinpath(*pieces)
            if folder.is_symlink() or any(p.is_symlink() for p in (path, *path.parents) if folder in p.parents):
                raise AseanctlError("report.template_symlink", file=path)
            if path.is_file():
                break
        return super().get_source(environment, template)


def markdown_environment(dirs: list[Path]) -> jinja2.Environment:
    # No bytecode cache: Jinja reads its cache files with pickle and marshal and runs the
    # code in them, so a file planted in the cache folder would run at the next report.
    # Compiling the templates anew is cheap (benchmarks/README.md).
    env = ReportEnvironment(
        loader=RepositoryLoader(dirs),
        autoescape=False,  # HTML escaping is wrong for Markdown; finalize escapes instead
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        cell=md_cell, paragraphs=md_paragraphs, mermaid=mermaid_text, raw=lambda v: Escaped("" if v is None else str(v))
    )
    return env


def word_environment() -> jinja2.Environment:
    """The Environment docxtpl renders a Word template in (autoescaped XML)."""
    return ReportEnvironment(autoescape=True)


def template_line(exc: BaseException, file: str | None = None) -> tuple[str, int] | None:
    """Where in a template an error was raised while rendering: Jinja maps the template's
    compiled code back to its lines in the traceback, under the template's file name (a
    template from a string, as docxtpl's, is ``<template>``).  The innermost such frame,
    of ``file`` when given, of any template otherwise."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        name = frame.filename
        if not name or frame.lineno is None:
            continue
        if name == file or (file is None and not name.endswith(".py") and Path(name).is_file()):
            return name, frame.lineno
    return None


def template_error(exc: Exception, template: Path) -> AseanctlError:
    """A Jinja error as 'error in template FILE:LINE: …' (syntax errors carry the line; for
    errors while rendering it is found in the traceback, which Jinja maps to template lines).
    An attempt to leave the sandbox has a message of its own."""
    line = getattr(exc, "lineno", None)
    file = getattr(exc, "filename", None) or str(template)
    if line is None:
        found = template_line(exc)
        if found is not None:
            file, line = found
    detail = getattr(exc, "message", None) or str(exc)
    key = "report.template_unsafe" if isinstance(exc, SecurityError) else "report.template_error"
    return AseanctlError(key, file=file, line=line or "?", detail=detail)


def markdown_chunks(template: Path, dirs: list[Path], context: dict[str, Any]) -> Iterator[str]:
    """Render a Markdown template piece by piece (a 10,000-task report is 7 MB of text: it is
    written as it is made, never held whole); a template error names the template file and line."""
    env = markdown_environment([template.parent, *dirs])
    try:
        pieces = env.get_template(template.name).generate(**context)
        while chunk := "".join(islice(pieces, 4096)):
            yield chunk
    except jinja2.TemplateError as exc:
        raise template_error(exc, template) from None
    except (TypeError, ValueError, KeyError, AttributeError, ZeroDivisionError) as exc:
        raise template_error(exc, template) from None


def render_markdown(template: Path, dirs: list[Path], context: dict[str, Any]) -> str:
    """Render a Markdown template to text; a template error names the template file and line."""
    return "".join(markdown_chunks(template, dirs, context))


def _quoted(value: Any, limit: int = 40) -> str:
    return f'"{mermaid_text(value, limit)}"'


def _figure(value: float) -> str:
    """A figure as Mermaid reads it (a dot for decimals), rounded as the text rounds it."""
    return f"{round(float(value), 1):g}"


def mermaid_sources(context: dict[str, Any], max_tasks: int = 60) -> dict[str, Escaped]:
    """The report's charts as Mermaid sources (GitHub and GitLab render them), only of chart
    types whose parser takes any text in quotes (``sankey-beta`` takes ASCII only):

    - ``status_chart``: a pie of the tasks by status (every status with tasks);
    - ``progress_chart``: bars of each task group's mean progress, rounded as the text is
      (empty without a group: an empty axis does not parse);
    - ``gantt``: the timeline of the tasks with dates of their own; recurring tasks, whose span
      is the whole plan, are left out (empty when no task is left).  Over ``max_tasks`` tasks,
      one bar per task group;
    - ``recurring_chart``: per reporting period, how many recurring tasks owed a report (line)
      and how many had one (bars); empty without recurring tasks."""
    labels = context["labels"]
    summary = context["summary"]
    pie = ["pie showData", f"    title {mermaid_text(labels['status_table'], 80)}"]
    pie += [f"    {_quoted(s['label'])} : {s['count']}" for s in summary["by_status"] if s["count"]]
    groups = context["groups"]
    progress = groups and [
        "xychart-beta",
        f"    title {_quoted(labels['chart_title'], 80)}",
        "    x-axis [" + ", ".join(_quoted(f"{g['number']}. {g['id']}", 20) for g in groups) + "]",
        f"    y-axis {_quoted(labels['col.progress'] + ' (%)')} 0 --> 100",
        "    bar [" + ", ".join(_figure(g["summary"]["progress"]) for g in groups) + "]",
    ]
    dated = [r for r in context["rows"] if not r.recurring and r.start_iso and r.end_iso]
    gantt: list[str] = []
    if dated:
        gantt = [
            "gantt",
            f"    title {mermaid_text(context['plan']['title'], 80)}",
            "    dateFormat YYYY-MM-DD",
            "    axisFormat %Y",
        ]
        for group in groups:
            tasks = [r for r in group["tasks"] if not r.recurring and r.start_iso and r.end_iso]
            if not tasks:
                continue
            gantt.append(f"    section {mermaid_text(group['id'] + ' ' + group['title'], 40)}")
            if len(dated) > max_tasks:
                starts, ends = [r.start_iso for r in tasks], [r.end_iso for r in tasks]
                gantt.append(
                    f"    {mermaid_text(labels['tasks'])} {len(tasks)} :g{group['number']}, {min(starts)}, {max(ends)}"
                )
                continue
            for row in tasks:
                tag = (
                    "done, "
                    if row.status == "completed"
                    else "crit, "
                    if row.overdue
                    else ("active, " if row.status == "in_progress" else "")
                )
                name = mermaid_text(f"{row.id} {row.title}", 50)
                gantt.append(f"    {name} :{tag}t{row.stt}, {row.start_iso}, {row.end_iso}")
    recurring = context.get("recurring") or {}
    periods = recurring.get("periods") or []
    chart: list[str] = []
    if recurring.get("tasks") and periods:
        top = max(max(p["owed"] for p in periods), 1)
        chart = [
            "xychart-beta",
            f"    title {_quoted(labels['recurring_chart'], 100)}",
            "    x-axis [" + ", ".join(_quoted(p["label"], 20) for p in periods) + "]",
            f"    y-axis {_quoted(labels['tasks'])} 0 --> {top}",
            "    bar [" + ", ".join(str(p["reported"]) for p in periods) + "]",
            "    line [" + ", ".join(str(p["owed"]) for p in periods) + "]",
        ]
    return {
        "gantt": Escaped("\n".join(gantt)),
        "status_chart": Escaped("\n".join(pie)),
        "progress_chart": Escaped("\n".join(progress)),
        "recurring_chart": Escaped("\n".join(chart)),
    }
