"""aseanctl show."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app, boundary
from .params import Command, AsOfOption, AtOption, FormatOption, LangOption, PlanOption, StaleDaysOption, plan_at
from .status import CsvRawOption


@app.command(cls=Command)
@boundary
def show(
    task: Annotated[str, typer.Argument(help="The task's id, e.g. N2.3.", show_default=False)],
    as_of: AsOfOption = None,
    at: AtOption = None,
    stale_days: StaleDaysOption = None,
    format: FormatOption = "table",
    csv_raw: CsvRawOption = False,
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Show one task in full, and the timeline of its updates.

    The timeline lists every update up to --as-of, oldest first, with the ones a
    correction superseded kept and marked. With --format csv, the rows are the timeline.
    Exit 0, or 2 on a usage error (an unknown task among them).
    """
    from ..progress import task_states
    from ..views import UPDATE_COLUMNS, check_task, find_state, format_csv, format_json, render_show, show_document
    from .status import draw, emit, load_for_view, view_day

    workspace, language = load_for_view(plan_at(plan, at), lang)
    check_task(workspace, task)  # an unknown task is a usage error before anything else is said
    state = find_state(task_states(workspace, view_day(workspace, as_of, language), stale_days=stale_days), task)
    document = show_document(state)
    if format == "json":
        emit(format_json(document))
    elif format == "csv":
        emit(format_csv(document["updates"], UPDATE_COLUMNS, raw=csv_raw))
    else:
        draw(render_show(document, workspace.owner_map(), language))
