"""Checking a report template without rendering it: its Jinja syntax, and what the sandbox
every report renders in (:class:`aseanctl.report.render.ReportEnvironment`) would refuse.

A template comes from a plan repository and is reviewed like any other file there; this
check finds, before a report is asked for, the constructs that would stop it:
``x.__class__``, ``cycler.__init__.__globals__``, ``x | attr("__dict__")``,
``rows | map(attribute="__class__")``, frame and code attributes (``gi_frame``,
``f_globals``, ``func_globals`` …) and calls that change a list or dict (``rows.append``).
The sandbox stays the guard: this check only says early, with the file and line, what it
would refuse later.

Markdown templates (any file not ending in ``.docx``) are checked as they are; a Word
template part by part as docxtpl renders it (the body, headers and footers, and the document
properties), its line being the paragraph, as in a report's own template errors.
"""

from __future__ import annotations

import os

from collections.abc import Iterator
from pathlib import Path

import jinja2
from jinja2 import nodes

from ..problems import Msg, Problem, Severity

SYNTAX = "template-syntax"
UNSAFE = "template-unsafe"
SEVERITY: Severity = "error"

# Attributes that lead from a value to Python's internals without starting with "_": the
# sandbox's own lists (generators, coroutines), frames, tracebacks and the Python 2 names that
# old exploits still try.
UNSAFE_ATTRIBUTES = frozenset(
    {
        "mro",
        "func_globals",
        "func_code",
        "func_closure",
        "func_defaults",
        "im_func",
        "im_self",
        "im_class",
        "gi_frame",
        "gi_code",
        "gi_yieldfrom",
        "cr_frame",
        "cr_code",
        "cr_await",
        "ag_frame",
        "ag_code",
        "ag_await",
        "f_globals",
        "f_locals",
        "f_builtins",
        "f_back",
        "f_code",
        "tb_frame",
        "tb_next",
        "co_code",
        "obj_class",
    }
)
# Methods that change a list, dict, set or deque: the immutable sandbox refuses to call them.
MUTATING_METHODS = frozenset(
    {
        "add",
        "append",
        "appendleft",
        "clear",
        "difference_update",
        "discard",
        "extend",
        "extendleft",
        "insert",
        "pop",
        "popitem",
        "popleft",
        "remove",
        "reverse",
        "rotate",
        "setdefault",
        "sort",
        "symmetric_difference_update",
        "update",
    }
)
# Filters that look an attribute up by a name given as a string: as their first argument,
# or as ``attribute=`` (which a dotted path may follow into nested values).
_NAME_FIRST = frozenset({"attr", "selectattr", "rejectattr", "groupby", "sum"})
_NAME_KEYWORD = frozenset({"map", "sort", "groupby", "sum", "unique", "min", "max"})


def _unsafe(name: str) -> bool:
    return name.startswith("_") or name in UNSAFE_ATTRIBUTES


def _names_in(node: nodes.Node) -> Iterator[tuple[str, int]]:
    """The attribute names ``node`` reaches, where the sandbox would refuse them."""
    if isinstance(node, nodes.Getattr) and _unsafe(node.attr):
        yield node.attr, node.lineno
    elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        key = node.arg.value
        if isinstance(key, str) and (key.startswith("__") or key in UNSAFE_ATTRIBUTES):
            yield key, node.lineno
    elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) and node.node.attr in MUTATING_METHODS:
        yield node.node.attr, node.lineno
    elif isinstance(node, nodes.Filter):
        given = [*(node.args[:1] if node.name in _NAME_FIRST else ())]
        if node.name in _NAME_KEYWORD:
            given += [keyword.value for keyword in node.kwargs if keyword.key == "attribute"]
        for argument in given:
            if isinstance(argument, nodes.Const) and isinstance(argument.value, str):
                for step in argument.value.split("."):
                    if _unsafe(step):
                        yield step, node.lineno


def check_source(source: str, file: Path, *, line_offset: int = 0, part: str | None = None) -> list[Problem]:
    """The problems of one template's text (``line_offset`` is taken from Jinja's line
    numbers: a Word part has one line of preamble before its first paragraph)."""
    from .render import ReportEnvironment

    where: tuple[str | int, ...] = (part,) if part else ()
    try:
        tree = ReportEnvironment().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        line = max((exc.lineno or 1) - line_offset, 1)
        return [
            Problem(SYNTAX, SEVERITY, Msg("report.template_syntax", {"detail": exc.message}), file, line, path=where)
        ]
    found: dict[tuple[int, str], Problem] = {}
    for node in tree.find_all(nodes.Node):
        for name, lineno in _names_in(node):
            line = max(lineno - line_offset, 1)
            found.setdefault(
                (line, name),
                Problem(UNSAFE, SEVERITY, Msg("report.template_forbidden", {"name": name}), file, line, path=where),
            )
    return sorted(found.values(), key=Problem.sort_key)


def _docx_parts(path: Path) -> Iterator[tuple[str, str, int]]:
    """(part name, Jinja source, line offset) of each part docxtpl renders, prepared as it
    prepares them: the body and each header and footer one paragraph a line, then each
    document property it renders."""
    import re

    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    template = DocxTemplate(path)
    template.init_docx()

    def lines(xml: str) -> str:
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml))

    yield "word/document.xml", lines(template.get_xml()), 1
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _, part in template.get_headers_footers(uri):
            yield str(part.partname).lstrip("/"), lines(template.get_part_xml(part)), 1
    properties = template.docx.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        yield f"docProps/core.xml {name}", getattr(properties, name) or "", 0


def check_template(path: Path) -> list[Problem]:
    """The problems of the template file ``path`` (Markdown, or Word when it ends in ``.docx``),
    with the file and line; [] when the sandbox would render it.  A file that cannot be read
    is one problem."""
    if path.suffix.lower() != ".docx":
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return [Problem(SYNTAX, SEVERITY, Msg("report.template_syntax", {"detail": str(exc)}), path, 1)]
        return check_source(source, path)
    problems: list[Problem] = []
    try:
        for part, source, offset in _docx_parts(path):
            problems += check_source(
                source, path, line_offset=offset, part=None if part == "word/document.xml" else part
            )
    except Exception as exc:  # python-docx raises a dozen kinds for a file that is no Word document
        detail = f"not a Word document ({type(exc).__name__}: {exc})"
        return [Problem(SYNTAX, SEVERITY, Msg("report.template_syntax", {"detail": detail}), path, 1)]
    return sorted(problems, key=Problem.sort_key)


def check_templates(folder: Path) -> list[Problem]:
    """The problems of every template in ``folder`` (``*.j2`` and ``*.docx``), sorted."""
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and (path.name.endswith(".j2") or path.suffix.lower() == ".docx"):
            problems += check_template(path)
    return sorted(problems, key=Problem.sort_key)


def _is_template(name: str) -> bool:
    return name.endswith(".j2") or name.lower().endswith(".docx")


def check_repository_templates(workspace_root: Path) -> list[Problem]:
    """The problems of the plan repository's own templates (those :func:`render.template_dirs`
    looks up before the shipped ones).  A template, or a template folder, that is a symbolic
    link is a problem and is not followed: it could make a report print any file."""
    from .render import template_dirs

    problems: list[Problem] = []
    for folder in template_dirs(workspace_root)[:-1]:  # the last is the shipped set
        if folder.is_symlink():
            problems.append(Problem(SYNTAX, SEVERITY, Msg("template.symlink"), folder))
            continue
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if not _is_template(entry.name):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                problems.append(Problem(SYNTAX, SEVERITY, Msg("template.symlink"), path))
            elif entry.is_file(follow_symlinks=False):
                problems += check_template(path)
    return sorted(problems, key=Problem.sort_key)
