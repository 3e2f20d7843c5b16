"""Problems -> text | json | github | sarif.  Pure functions returning strings; no printing."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .i18n import Lang, render, t
from .problems import Problem, format_path
from .rules import RULES
from .safetext import github_log, json_text, visible

FORMATS = ("auto", "text", "json", "github", "sarif")
GITHUB_ANNOTATION_LIMIT = 10  # GitHub shows 10 errors and 10 warnings per step
# A hostile plan can hold any number of problems (200,000 bogus journal lines): the text and
# github formats show at most this many per file and in all, then say how many more there are.
# The exit code and the summary line still count every one; json and sarif list them all.
SHOWN_PER_FILE = 200
SHOWN_IN_ALL = 1000
# GitHub refuses a step summary over 1 MiB; what aseanctl appends stays well under it.
STEP_SUMMARY_LIMIT = 512 * 1024

Display = Callable[[Path | None], str]
SourceLine = Callable[[Path, int], str | None]
Style = Callable[[str, str], str]


def _plain(text: str, _role: str) -> str:
    return text


def display_path(cwd: Path) -> Display:
    """Paths relative to ``cwd`` where they lie under it, POSIX-style; absolute otherwise."""

    def show(path: Path | None) -> str:
        if path is None:
            return ""
        try:
            # the folder resolved, not the file: a symbolic link is shown where it is, not where it points
            return (path.parent.resolve() / path.name).relative_to(cwd.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    return show


def shown(problems: Sequence[Problem]) -> tuple[list[Problem], int]:
    """The problems a person is shown (at most ``SHOWN_PER_FILE`` per file, ``SHOWN_IN_ALL`` in
    all, in the order given) and how many were left out."""
    kept: list[Problem] = []
    per_file: dict[Path | None, int] = {}
    for problem in problems:
        if len(kept) == SHOWN_IN_ALL:
            break
        count = per_file.get(problem.file, 0)
        if count < SHOWN_PER_FILE:
            kept.append(problem)
        per_file[problem.file] = count + 1
    return kept, len(problems) - len(kept)


def _message(problem: Problem, lang: Lang) -> str:
    return visible(render(problem.msg, lang))


def format_text(
    problems: Sequence[Problem], lang: Lang, display: Display, source_line: SourceLine, style: Style = _plain
) -> str:
    """``file:line:col: error [rule] message``, then the offending line and a caret under the column.
    Control characters from the plan are written out visibly (``\\x1b``), never sent to the terminal."""
    out: list[str] = []
    problems, omitted = shown(problems)
    for problem in problems:
        where = visible(display(problem.file))
        if problem.line is not None:
            where += f":{problem.line}"
            if problem.column is not None:
                where += f":{problem.column}"
        severity = t(f"severity.{problem.severity}", lang)
        out.append(
            f"{style(where, 'path')}: {style(severity, problem.severity)} "
            f"{style('[' + problem.rule + ']', 'rule')} {_message(problem, lang)}"
        )
        line = source_line(problem.file, problem.line) if problem.file and problem.line else None
        if line is not None:
            expanded = line.replace("\t", " ")
            out.append("    " + style(visible(expanded), "source"))
            if problem.column is not None and problem.column - 1 <= len(expanded):
                indent = len(visible(expanded[: problem.column - 1]))
                out.append("    " + " " * indent + style("^", problem.severity))
    if omitted:
        out.append(style(t("cli.more_problems", lang, count=omitted), "warning"))
    return "\n".join(out)


def problem_dict(problem: Problem, lang: Lang, display: Display) -> dict[str, Any]:
    return {
        "severity": problem.severity,
        "rule": problem.rule,
        "message": render(problem.msg, lang),
        "file": display(problem.file) if problem.file else None,
        "line": problem.line,
        "column": problem.column,
        "path": format_path(problem.path),
    }


def format_json(problems: Sequence[Problem], lang: Lang, display: Display) -> str:
    # json.dumps writes C0 controls as \\u escapes; C1 and bidi controls stay as the plan wrote
    # them, which is what a program reading the JSON should get.
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    document = {
        "ok": errors == 0,
        "errors": errors,
        "warnings": warnings,
        "problems": [problem_dict(p, lang, display) for p in problems],
    }
    return json_text(json.dumps(document, ensure_ascii=False, indent=2))


def _escape_data(text: str) -> str:
    return visible(text, one_line=False).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(
    problems: Sequence[Problem], lang: Lang, display: Display, limit: int = GITHUB_ANNOTATION_LIMIT
) -> tuple[str, str]:
    """Workflow commands for the first ``limit`` errors and warnings, plain log lines for the
    rest (GitHub would drop them), and a Markdown table of them for the step summary.  No text
    from the plan can start a workflow command: annotation data is escaped, and a log line that
    would begin with ``::`` is quoted.  The summary stays under ``STEP_SUMMARY_LIMIT``."""
    lines: list[str] = []
    annotated = {"error": 0, "warning": 0}
    everything = problems
    problems, omitted = shown(problems)
    for problem in problems:
        where = display(problem.file)
        message = f"[{problem.rule}] {render(problem.msg, lang)}"
        if annotated[problem.severity] < limit:
            annotated[problem.severity] += 1
            props = [f"file={_escape_property(where)}"] if where else []
            if problem.line is not None:
                props.append(f"line={problem.line}")
                if problem.column is not None:
                    props.append(f"col={problem.column}")
            props.append(f"title={_escape_property(problem.rule)}")
            lines.append(f"::{problem.severity} {','.join(props)}::{_escape_data(message)}")
        else:
            position = f":{problem.line}:{problem.column}" if problem.line is not None else ""
            lines.append(github_log(f"{where}{position}: {problem.severity} {message}"))
    if omitted:
        lines.append(github_log(t("cli.more_problems", lang, count=omitted)))
    return "\n".join(lines), _step_summary(everything, lang, display)


def _summary_cell(text: str) -> str:
    return visible(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def _step_summary(problems: Sequence[Problem], lang: Lang, display: Display) -> str:
    """A Markdown table of the problems for ``$GITHUB_STEP_SUMMARY``, cut to stay under its limit."""
    if not problems:
        return ""
    rows = ["| | file | line | rule | message |", "|---|---|---|---|---|"]
    size = sum(len(row.encode("utf-8")) + 1 for row in rows)
    for count, problem in enumerate(problems):
        cells = (problem.severity, display(problem.file), str(problem.line or ""), problem.rule)
        row = "| " + " | ".join(map(_summary_cell, (*cells, render(problem.msg, lang)))) + " |"
        size += len(row.encode("utf-8")) + 1
        if size > STEP_SUMMARY_LIMIT:
            rows.append("")
            rows.append(_summary_cell(t("cli.more_problems", lang, count=len(problems) - count)))
            break
        rows.append(row)
    return "\n".join(rows) + "\n"


def format_sarif(problems: Sequence[Problem], lang: Lang, display: Display, version: str) -> str:
    rule_ids = [rule.id for rule in RULES]
    rules = [
        {
            "id": rule.id,
            "name": rule.id,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.doc},
            "defaultConfiguration": {"level": rule.severity},
        }
        for rule in RULES
    ]
    results = []
    for problem in problems:
        result: dict[str, Any] = {
            "ruleId": problem.rule,
            "level": problem.severity,
            "message": {"text": render(problem.msg, lang)},
        }
        if problem.rule in rule_ids:
            result["ruleIndex"] = rule_ids.index(problem.rule)
        if problem.file is not None:
            region: dict[str, int] = {}
            if problem.line is not None:
                region["startLine"] = problem.line
                if problem.column is not None:
                    region["startColumn"] = problem.column
            location: dict[str, Any] = {"artifactLocation": {"uri": display(problem.file)}}
            if region:
                location["region"] = region
            result["locations"] = [{"physicalLocation": location}]
        results.append(result)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "aseanctl", "version": version, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json_text(json.dumps(document, ensure_ascii=False, indent=2))
