"""aseanctl log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from . import app, boundary
from .status import BomOption, CsvRawOption, OutputOption
from .params import (
    Command,
    DAY,
    STATUS_WORD,
    AsOfOption,
    AtOption,
    FormatOption,
    LangOption,
    ObjectiveOption,
    OverdueOption,
    PlanOption,
    StaleDaysOption,
    StaleOption,
    plan_at,
)


@app.command(cls=Command)
@boundary
def log(
    task: Annotated[str | None, typer.Argument(help="Only this task's updates.", show_default=False)] = None,
    since: Annotated[
        dt.date | None,
        typer.Option("--since", click_type=DAY, help="Only updates dated on or after this day.", metavar="YYYY-MM-DD"),
    ] = None,
    until: Annotated[
        dt.date | None,
        typer.Option(
            "--until",
            click_type=DAY,
            help="Only updates dated on or before this day (default: --as-of).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            help="Only updates reported by this owner, or by an owner whose work it took over.",
            metavar="OWNER",
        ),
    ] = None,
    objective: ObjectiveOption = None,
    status_word: Annotated[
        str | None,
        typer.Option(
            "--status",
            "-s",
            click_type=STATUS_WORD,
            help="Only updates that set this status (English or Vietnamese words).",
            metavar="STATUS",
        ),
    ] = None,
    overdue: OverdueOption = False,
    stale: StaleOption = False,
    stale_days: StaleDaysOption = None,
    as_of: AsOfOption = None,
    at: AtOption = None,
    format: FormatOption = "table",
    output: OutputOption = None,
    bom: BomOption = False,
    csv_raw: CsvRawOption = False,
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Show the journal of status updates, newest first.

    Every line counts, corrections and the updates they superseded too (marked).
    'aseanctl log --since 2026-06-01' shows what changed since June. Exit 0 (also when
    nothing matches), 2 on a usage error.
    """
    from ..progress import task_states
    from ..views import (
        UPDATE_COLUMNS,
        TaskFilter,
        UpdateFilter,
        check_objective,
        check_owner,
        check_task,
        log_document,
        owner_and_predecessors,
        render_log,
        select_updates,
    )
    from .status import deliver, draw, load_for_view, output_for, view_day

    to = output_for(format, output)
    workspace, language = load_for_view(plan_at(plan, at), lang)
    task_id = check_task(workspace, task) if task is not None else None  # unknown: exit 2
    by = owner_and_predecessors(workspace, check_owner(workspace, owner)) if owner is not None else None
    objective_id = check_objective(workspace, objective) if objective is not None else None
    # with the window given and no task flag asked for, the as-of day decides nothing (and is not said)
    day = until if until is not None and not (overdue or stale) else view_day(workspace, as_of, language)
    tasks = None
    if overdue or stale:
        states = TaskFilter(overdue=overdue, stale=stale).apply(task_states(workspace, day, stale_days=stale_days))
        tasks = frozenset(s.task.id for s in states if s.task.id is not None)
    query = UpdateFilter(
        until=until or day,
        since=since,
        task=task_id,
        by=by,
        objective=objective_id,
        status=status_word,
        tasks=tasks,
    )
    document = log_document(workspace, select_updates(workspace, query), query)
    if format == "table":
        draw(render_log(document, workspace.owner_map(), language))
    else:
        deliver("log", format, document, document["updates"], UPDATE_COLUMNS, language, to=to, bom=bom, csv_raw=csv_raw)
