"""Rendering reports: one Jinja2 Environment per format, templates found by name, escaping
that cannot be forgotten.

Markdown: every ``{{ value }}`` is escaped for inline Markdown by the Environment's
``finalize`` (a title's ``*`` or ``<`` cannot turn into markup); table cells go through
``| cell`` (``|`` and newlines cannot break a row); Mermaid sources through ``| mermaid``.
A value already escaped by a filter is ``Escaped`` and passes as it is.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup

from ..errors import AseanctlError, UsageError
from .context import Row

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
        return given
    for folder in dirs:
        if (folder / name_or_path).is_file():
            return folder / name_or_path
    raise UsageError("report.template_missing", name=name_or_path)


# --- Markdown escaping -----------------------------------------------------------------------


class Escaped(str):
    """Text already escaped for Markdown (by a filter, a macro printed with ``| raw``, or
    :func:`mermaid_sources`): ``finalize`` passes it as it is.  A plain ``str`` subclass
    rather than markupsafe's ``Markup``, whose constructor costs four times as much."""

    __slots__ = ()


_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)](?=[ \t]|$))", re.MULTILINE)
# anything md_inline would change: a special character anywhere, or a line that starts like
# a heading, quote, list item or numbered list item ("1. " / "1)" followed by a space or the end
# of the line, as CommonMark wants: "27.5" and a date "01/03/2024" are fine)
_NEEDS_ESCAPE = re.compile(r"[\\`*_\[\]<>|~&]|^\s*(?:[#>+\-=]|\d+[.)](?=[ \t]|$))", re.MULTILINE)
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
    """Analyst-written text: paragraphs kept (blank lines), single line breaks as <br>."""
    text = "" if value is None else str(value)
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return Escaped("\n\n".join("<br>\n".join(md_inline(line.strip()) for line in p.splitlines()) for p in paragraphs))


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


class ReportEnvironment(jinja2.Environment):
    """Jinja's Environment, with ``x.title`` looked up the quick way for the two kinds of value
    a report is made of: on a dict, as a key first when ``title`` is not a dict attribute; on
    a report Row, as its field.  The same result as Jinja's own lookup (attribute, then item),
    without raising and catching an AttributeError for each of the 200,000 look-ups of a
    10,000-task report."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            if attribute not in _DICT_ATTRIBUTES:
                try:
                    return obj[attribute]
                except KeyError:
                    return self.undefined(obj=obj, name=attribute)
        elif type(obj) is Row:  # a report row: a NamedTuple, every field an attribute
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)


# the Markdown filters whose result is escaped text (an Escaped, a str): printed as it is
_ESCAPING_FILTERS = frozenset({"cell", "paragraphs", "mermaid", "raw"})


class _MarkdownCodeGenerator(CodeGenerator):
    """Jinja's code generator, except that ``{{ x | cell }}`` (or another escaping filter) prints
    the filter's result as it is, instead of passing it through ``finalize`` and ``str`` again,
    which only hand it back unchanged: 60,000 calls in a 10,000-task report, an eighth of
    the render.  These are Jinja's hooks around each printed value; were a later Jinja to stop
    calling them, templates would render exactly as before, only slower."""

    def _escaped_by_filter(self, node: nodes.Expr, frame: Frame) -> bool:
        return (
            isinstance(node, nodes.Filter)
            and node.name in _ESCAPING_FILTERS
            and not frame.eval_ctx.volatile
            and not frame.eval_ctx.autoescape
        )

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if not self._escaped_by_filter(node, frame):
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if not self._escaped_by_filter(node, frame):
            super()._output_child_post(node, frame, finalize)


class MarkdownEnvironment(ReportEnvironment):
    code_generator_class = _MarkdownCodeGenerator


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in aseanctl's cache folder (30 ms a report).  Jinja checks each
    entry against a checksum of the template's source, so an edited template is compiled anew."""
    from ..cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    try:
        (folder / "templates").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    # named after the code generator's version: code compiled by another one is never loaded
    return jinja2.FileSystemBytecodeCache(str(folder / "templates"), "__aseanctl_md2_%s.cache")


def markdown_environment(dirs: list[Path]) -> jinja2.Environment:
    env = MarkdownEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        bytecode_cache=_bytecode_cache(),
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


def template_error(exc: Exception, template: Path) -> AseanctlError:
    """A Jinja error as 'error in template FILE:LINE: …' (syntax errors carry the line; for
    errors while rendering it is found in the traceback, which Jinja maps to template lines)."""
    line = getattr(exc, "lineno", None)
    file = getattr(exc, "filename", None) or str(template)
    if line is None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename and (frame.filename == str(template) or frame.filename.endswith(template.name)):
                line, file = frame.lineno, frame.filename
                break
    detail = getattr(exc, "message", None) or str(exc)
    return AseanctlError("report.template_error", file=file, line=line or "?", detail=detail)


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


def mermaid_sources(context: dict[str, Any], max_tasks: int = 60) -> dict[str, Escaped]:
    """The Gantt chart of the timeline and the sankey of status counts by task group, as
    Mermaid sources (GitHub and GitLab render both).  Over ``max_tasks`` tasks the Gantt
    shows one bar per task group instead of one per task."""
    labels = context["labels"]
    gantt = [
        "gantt",
        f"    title {mermaid_text(context['plan']['title'], 80)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y",
    ]
    rows = context["rows"]
    for group in context["groups"]:
        gantt.append(f"    section {mermaid_text(group['id'] + ' ' + group['title'], 40)}")
        tasks = group["tasks"]
        if len(rows) > max_tasks:
            starts = [r.start_iso for r in tasks if r.start_iso]
            ends = [r.end_iso for r in tasks if r.end_iso]
            if starts and ends:
                gantt.append(
                    f"    {mermaid_text(labels['tasks'])} {len(tasks)} :g{group['number']}, {min(starts)}, {max(ends)}"
                )
            continue
        for row in tasks:
            if not (row.start_iso and row.end_iso):
                continue
            tag = (
                "done, "
                if row.status == "completed"
                else "crit, "
                if row.overdue
                else ("active, " if row.status == "in_progress" else "")
            )
            name = mermaid_text(f"{row.id} {row.title}", 50)
            gantt.append(f"    {name} :{tag}t{row.stt}, {row.start_iso}, {row.end_iso}")
    sankey = ["sankey-beta", ""]
    for group in context["groups"]:
        for item in group["summary"]["by_status"]:
            if item["count"]:
                source = mermaid_text(group["id"], 40)
                sankey.append(f'"{source}","{mermaid_text(item["label"])}",{item["count"]}')
    return {"gantt": Escaped("\n".join(gantt)), "status_chart": Escaped("\n".join(sankey))}
