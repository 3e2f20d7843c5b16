"""aseanctl owners."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app, boundary
from .status import BomOption, CsvRawOption, OutputOption
from .params import (
    Command,
    AsOfOption,
    AtOption,
    FormatOption,
    LangOption,
    ObjectiveOption,
    OverdueOption,
    PlanOption,
    StaleDaysOption,
    StaleOption,
    StatusOption,
    plan_at,
)


@app.command(cls=Command)
@boundary
def owners(
    owner: Annotated[str | None, typer.Option("--owner", help="Only this owner.", metavar="OWNER")] = None,
    objective: ObjectiveOption = None,
    status_word: StatusOption = None,
    overdue: OverdueOption = False,
    stale: StaleOption = False,
    stale_days: StaleDaysOption = None,
    missing: Annotated[
        bool,
        typer.Option(
            "--missing",
            help="Only owners that miss the current period: a task they lead owes a report for it and has none.",
        ),
    ] = False,
    as_of: AsOfOption = None,
    at: AtOption = None,
    format: FormatOption = "table",
    output: OutputOption = None,
    bom: BomOption = False,
    csv_raw: CsvRawOption = False,
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Show, per owner, the tasks it leads and supports, and how many have reported.

    Counts follow hand-overs: an owner that ended passes its tasks to its successor, which
    owes their reports from the hand-over on. 'This period' is tasks reported / tasks owing
    a report in the current reporting period (docs/reports.md defines both). The task
    filters (--objective, --status, --overdue, --stale) choose the tasks counted.
    'aseanctl owners --missing' lists the owners with a task that has not reported for the
    current period. Exit 0 (also when nothing matches), 2 on a usage error.
    """
    from ..progress import owner_summaries, task_states
    from ..views import (
        OWNER_COLUMNS,
        TaskFilter,
        check_objective,
        check_owner,
        owners_document,
        render_owners,
    )
    from .status import deliver, draw, load_for_view, output_for, view_day

    to = output_for(format, output)
    workspace, language = load_for_view(plan_at(plan, at), lang)
    if owner is not None:
        check_owner(workspace, owner)
    chosen = TaskFilter(
        objective=check_objective(workspace, objective) if objective is not None else None,
        status=status_word,
        overdue=overdue,
        stale=stale,
    )
    day = view_day(workspace, as_of, language)
    states = chosen.apply(task_states(workspace, day, stale_days=stale_days))
    summaries = [
        s
        for s in owner_summaries(workspace, states, day)
        if (owner is None or s.id == owner) and (not missing or s.misses)
    ]
    document = owners_document(workspace, summaries, day)
    if format == "table":
        draw(render_owners(document, language))
    else:
        deliver(
            "owners", format, document, document["owners"], OWNER_COLUMNS, language, to=to, bom=bom, csv_raw=csv_raw
        )
