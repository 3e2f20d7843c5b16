"""aseanctl validate."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import app, boundary
from .params import Command, VALIDATE_FORMAT, AtOption, LangOption, PlanOption

if TYPE_CHECKING:
    from ..i18n import Lang
    from ..problems import Problem
    from ..formats import Display
    from ..validation import Report


@app.command(cls=Command)
@boundary
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to report on (default: the whole plan). The whole plan is always "
            "checked, since files refer to one another; problems are shown for these paths.",
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            click_type=VALIDATE_FORMAT,
            help="auto (github under GitHub Actions, else text), text, json, github or sarif.",
            metavar="FORMAT",
        ),
    ] = "auto",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    at: AtOption = None,
    lang: LangOption = None,
) -> None:
    """Check the plan files: YAML, shape, references, dates, owners, ASCC codes.

    Every problem is reported in one run, sorted by file and line. Exit 0 when there are
    no errors (and, with --strict, no warnings), 1 when there are, 2 on a usage error or
    when no plan is found.
    """
    from .. import console
    from ..formats import display_path, format_json, format_sarif
    from ..i18n import pick_lang
    from ..validation import validate_workspace

    if format == "auto":
        format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    cwd = Path.cwd()
    targets = [Path(p) for p in paths or []]
    show = display_path(cwd)
    if at is None:
        report = validate_workspace(_workspace_root(targets, plan, cwd))
        found = report.problems
    else:  # the paths are the repository's; the files, the revision's copies
        from ..history import open_at

        snapshot = open_at(at, plan)
        report = validate_workspace(snapshot.root)
        found = tuple(sorted((*report.problems, *snapshot.problems()), key=lambda p: p.sort_key()))
        targets, show = [snapshot.inside(target) for target in targets], snapshot.shown(show)
    problems = _shown(found, targets)
    language = pick_lang(lang, next((p.language for p in report.load.workspace.plans), None))

    if format == "json":
        console.out(format_json(problems, language, show))
    elif format == "sarif":
        from .. import __version__

        console.out(format_sarif(problems, language, show, __version__))
    elif format == "github":
        _print_github(problems, language, show)
    else:
        _print_text(report, problems, language, show, targets)
    errors = sum(1 for p in problems if p.severity == "error")
    if errors or (strict and len(problems) > errors):
        raise typer.Exit(1)


def _workspace_root(targets: list[Path], plan: str | None, cwd: Path) -> Path:
    """The plan to check: --plan or ASEANCTL_PLAN, else the one holding the first path, else
    the one holding the current folder.  A path that does not exist is a usage error."""
    from ..errors import UsageError
    from ..loader import find_workspace, resolve_workspace

    for target in targets:
        if not target.exists():
            raise UsageError("cli.path_missing", path=str(target))
    if targets and not plan and not os.environ.get("ASEANCTL_PLAN"):
        root = find_workspace(targets[0])
        if root is None:
            raise UsageError("cli.no_plan", start=str(targets[0]))
        return root
    return resolve_workspace(plan, cwd)


def _shown(problems: Sequence[Problem], targets: list[Path]) -> list[Problem]:
    """The problems inside the paths asked about (all of them when none were)."""
    if not targets:
        return list(problems)
    wanted = [target.resolve() for target in targets]
    return [
        p
        for p in problems
        if p.file is not None and any(p.file.resolve() == w or w in p.file.resolve().parents for w in wanted)
    ]


def _print_github(problems: list[Problem], language: Lang, show: Display) -> None:
    from .. import console
    from ..formats import format_github

    commands, summary = format_github(problems, language, show)
    if commands:
        console.out(commands)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary and summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(summary)


def _print_text(report: Report, problems: list[Problem], language: Lang, show: Display, targets: list[Path]) -> None:
    from .. import console
    from ..formats import format_text
    from ..i18n import t

    if problems:
        console.out(format_text(problems, language, show, report.load.source_line, console.markup), styled=True)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    workspace = report.load.workspace
    if errors:
        summary_line = t(
            "cli.summary_bad", language, errors=errors, warnings=warnings, files=len({p.file for p in problems})
        )
        console.out(console.markup(summary_line, "error"), styled=True)
        return
    extra = t("cli.summary_warnings", language, count=warnings) if warnings else ""
    if targets:  # the rest of the plan was checked but not reported on: do not call it valid
        summary_line = t("cli.summary_ok_paths", language, paths=len(targets), warnings=extra)
    else:
        summary_line = t(
            "cli.summary_ok",
            language,
            files=len(workspace.files),
            plans=len(workspace.plans),
            tasks=len(workspace.tasks()),
            owners=len(workspace.owners),
            warnings=extra,
        )
    console.out(console.markup(summary_line, "warning" if warnings else "ok"), styled=True)
