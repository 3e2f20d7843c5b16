"""aseanctl diff."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app, boundary
from .params import Command, DIFF_FORMAT, LangOption, PlanOption


@app.command(cls=Command)
@boundary
def diff(
    base: Annotated[
        str | None,
        typer.Argument(
            help="The revision to compare from (default: where HEAD left the default branch: "
            "the merge base with origin/HEAD, else main, else master).",
            metavar="[BASE]",
            show_default=False,
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Argument(
            help="The revision to compare to (default: the working tree).", metavar="[HEAD]", show_default=False
        ),
    ] = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            click_type=DIFF_FORMAT,
            help="text (for people), md (for a pull-request comment or job summary) or json (for scripts).",
            metavar="FORMAT",
        ),
    ] = "text",
    fail_on_risk: Annotated[
        bool, typer.Option("--fail-on-risk", help="Exit 1 when a change is risky (a deadline later, a target lower …).")
    ] = False,
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Compare two versions of the plan as plans, not as text.

    Both sides are read from git (HEAD defaults to the working tree) and loaded as plans:
    tasks added, removed, moved between groups or changed (a due day moved and by how many
    days, owners reassigned, targets raised or lowered, titles reworded); owners added or
    ended; updates recorded, corrected or withdrawn. Risky changes are flagged: a deadline
    later, a target lowered, a task with updates removed, a completed status reverted, a
    lead handed to an owner not active on the task's dates. Either side may have
    validation errors (the output says so). Exit 0; 1 with --fail-on-risk when a change
    is risky; 2 on a usage error (an unknown revision).
    """
    from .. import console
    from ..history import default_base, open_at
    from ..i18n import pick_lang
    from ..loader import resolve_workspace
    from ..plandiff import FORMATS, PlanDiff, compare
    from ..validation import count_errors
    from .status import emit

    before = open_at(base or default_base(plan), plan)
    after = open_at(head, plan) if head is not None else None
    base_load, base_errors = count_errors(before.root)
    head_load, head_errors = count_errors(after.root if after else resolve_workspace(plan))
    result = PlanDiff(
        base=before.commit,
        head=after.commit if after else None,
        base_errors=base_errors,
        head_errors=head_errors,
        changes=tuple(compare(base_load.workspace, head_load.workspace)),
    )
    language = pick_lang(lang, next((p.language for p in head_load.workspace.plans), None))
    text = FORMATS[format](result, language)
    if format == "json":
        emit(text)
    else:
        console.line(text.rstrip("\n"))
    if fail_on_risk and result.risky:
        raise typer.Exit(1)
