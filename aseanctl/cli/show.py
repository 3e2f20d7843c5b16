"""aseanctl show."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app, boundary
from .params import Command, AsOfOption, AtOption, FormatOption, LangOption, PlanOption, StaleDaysOption, plan_at
from .status import BomOption, CsvRawOption, OutputOption


@app.command(cls=Command)
@boundary
def show(
    task: Annotated[str, typer.Argument(help="The task's id, e.g. N2.3.", show_default=False)],
    as_of: AsOfOption = None,
    at: AtOption = None,
    stale_days: StaleDaysOption = None,
    format: FormatOption = "table",
    output: OutputOption = None,
    bom: BomOption = False,
    csv_raw: CsvRawOption = False,
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Show one task in full, and the timeline of its updates.

    The timeline lists every update up to --as-of, oldest first, with the ones a
    correction superseded kept and marked. With --format csv or xlsx, the rows are the timeline.
    Exit 0, or 2 on a usage error (an unknown task among them).
    """
    from ..progress import task_states
    from ..views import UPDATE_COLUMNS, check_task, find_state, render_show, show_document
    from .status import deliver, draw, load_for_view, output_for, view_day

    to = output_for(format, output)
    workspace, language = load_for_view(plan_at(plan, at), lang)
    check_task(workspace, task)  # an unknown task is a usage error before anything else is said
    state = find_state(task_states(workspace, view_day(workspace, as_of, language), stale_days=stale_days), task)
    document = show_document(state)
    if format == "table":
        draw(render_show(document, workspace.owner_map(), language))
    else:
        deliver(
            "show", format, document, document["updates"], UPDATE_COLUMNS, language, to=to, bom=bom, csv_raw=csv_raw
        )
