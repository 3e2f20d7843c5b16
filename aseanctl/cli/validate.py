"""aseanctl validate."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from . import LangOption, PlanOption, app, boundary


@app.command()
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
            help="auto (github under GitHub Actions, else text), text, json, github or sarif.",
            metavar="FORMAT",
        ),
    ] = "auto",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    lang: LangOption = None,
) -> None:
    """Check the plan files: YAML, shape, references, dates, owners, ASCC codes.

    Every problem is reported in one run, sorted by file and line. Exit 0 when there are
    no errors (and, with --strict, no warnings), 1 when there are, 2 on a usage error or
    when no plan is found.
    """
    from .. import console
    from ..errors import UsageError
    from ..formats import FORMATS, display_path, format_github, format_json, format_sarif, format_text
    from ..i18n import pick_lang, t
    from ..loader import find_workspace, resolve_workspace
    from ..validation import validate_workspace

    if format not in FORMATS:
        raise typer.BadParameter(f"'{format}' is not one of {', '.join(FORMATS)}", param_hint="--format")
    if lang is not None and lang not in ("vi", "en"):
        raise typer.BadParameter(f"'{lang}' is not one of vi, en", param_hint="--lang")
    if format == "auto":
        format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"

    cwd = Path.cwd()
    targets = [Path(p) for p in paths or []]
    for target in targets:
        if not target.exists():
            raise UsageError("cli.path_missing", path=str(target))
    if targets and not plan and not os.environ.get("ASEANCTL_PLAN"):
        root = find_workspace(targets[0])
        if root is None:
            raise UsageError("cli.no_plan", start=str(targets[0]))
    else:
        root = resolve_workspace(plan, cwd)

    report = validate_workspace(root)
    problems = list(report.problems)
    if targets:
        wanted = [target.resolve() for target in targets]
        problems = [
            p
            for p in problems
            if p.file is not None and any(p.file.resolve() == w or w in p.file.resolve().parents for w in wanted)
        ]
    plan_lang = next((p.language for p in report.load.workspace.plans), None)
    language = pick_lang(lang, plan_lang)
    show = display_path(cwd)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors

    if format == "json":
        console.out(format_json(problems, language, show))
    elif format == "sarif":
        from .. import __version__

        console.out(format_sarif(problems, language, show, __version__))
    elif format == "github":
        commands, summary = format_github(problems, language, show)
        if commands:
            console.out(commands)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary and summary_file:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(summary)
    else:
        if problems:
            console.out(format_text(problems, language, show, report.load.source_line, console.markup), styled=True)
        workspace = report.load.workspace
        if errors:
            summary_line = t(
                "cli.summary_bad", language, errors=errors, warnings=warnings, files=len({p.file for p in problems})
            )
            console.out(console.markup(summary_line, "error"), styled=True)
        else:
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

    if errors or (strict and warnings):
        raise typer.Exit(1)
