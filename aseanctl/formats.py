"""Problems -> text | json | github | sarif.  Pure functions returning strings; no printing."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .i18n import Lang, render, t
from .problems import Problem, format_path
from .rules import RULES

FORMATS = ("auto", "text", "json", "github", "sarif")
GITHUB_ANNOTATION_LIMIT = 10  # GitHub shows 10 errors and 10 warnings per step

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
            return path.resolve().relative_to(cwd.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    return show


def format_text(
    problems: Sequence[Problem], lang: Lang, display: Display, source_line: SourceLine, style: Style = _plain
) -> str:
    """``file:line:col: error [rule] message``, then the offending line and a caret under the column."""
    out: list[str] = []
    for problem in problems:
        where = display(problem.file)
        if problem.line is not None:
            where += f":{problem.line}"
            if problem.column is not None:
                where += f":{problem.column}"
        severity = t(f"severity.{problem.severity}", lang)
        out.append(
            f"{style(where, 'path')}: {style(severity, problem.severity)} "
            f"{style('[' + problem.rule + ']', 'rule')} {render(problem.msg, lang)}"
        )
        line = source_line(problem.file, problem.line) if problem.file and problem.line else None
        if line is not None:
            expanded = line.replace("\t", " ")
            out.append("    " + style(expanded, "source"))
            if problem.column is not None and problem.column - 1 <= len(expanded):
                out.append("    " + " " * (problem.column - 1) + style("^", problem.severity))
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
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    document = {
        "ok": errors == 0,
        "errors": errors,
        "warnings": warnings,
        "problems": [problem_dict(p, lang, display) for p in problems],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(
    problems: Sequence[Problem], lang: Lang, display: Display, limit: int = GITHUB_ANNOTATION_LIMIT
) -> tuple[str, str]:
    """Workflow commands for the first ``limit`` errors and warnings, plain log lines for the
    rest (GitHub would drop them), and a Markdown table of all of them for the step summary."""
    lines: list[str] = []
    shown = {"error": 0, "warning": 0}
    for problem in problems:
        where = display(problem.file)
        message = f"[{problem.rule}] {render(problem.msg, lang)}"
        if shown[problem.severity] < limit:
            shown[problem.severity] += 1
            props = [f"file={_escape_property(where)}"] if where else []
            if problem.line is not None:
                props.append(f"line={problem.line}")
                if problem.column is not None:
                    props.append(f"col={problem.column}")
            props.append(f"title={_escape_property(problem.rule)}")
            lines.append(f"::{problem.severity} {','.join(props)}::{_escape_data(message)}")
        else:
            position = f":{problem.line}:{problem.column}" if problem.line is not None else ""
            lines.append(f"{where}{position}: {problem.severity} {message}")
    summary = ["| | file | line | rule | message |", "|---|---|---|---|---|"]
    for problem in problems:
        cell = render(problem.msg, lang).replace("|", "\\|").replace("\n", " ")
        summary.append(
            f"| {problem.severity} | {display(problem.file)} | {problem.line or ''} | {problem.rule} | {cell} |"
        )
    return "\n".join(lines), ("\n".join(summary) + "\n") if problems else ""


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
    return json.dumps(document, ensure_ascii=False, indent=2)
