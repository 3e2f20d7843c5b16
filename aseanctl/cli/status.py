"""aseanctl status, and what the four views (status, show, log, owners) share on the command line."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from . import app, boundary
from .params import (
    Command,
    AsOfOption,
    AtOption,
    FormatOption,
    LangOption,
    ObjectiveOption,
    OverdueOption,
    OwnerOption,
    PlanOption,
    StaleDaysOption,
    StaleOption,
    StatusOption,
    plan_at,
)

CsvRawOption = Annotated[
    bool,
    typer.Option(
        "--csv-raw",
        help="With --format csv, for programs: every cell as it is, and no byte-order mark. "
        "By default a cell a spreadsheet would run as a formula (= + - @) starts with '.",
    ),
]

if TYPE_CHECKING:
    from ..i18n import Lang
    from ..layout import Sheet
    from ..model import Workspace


def load_for_view(plan: str | None, lang: str | None) -> tuple[Workspace, Lang]:
    """The workspace as far as it loads, and the language; a plan with errors is still shown,
    after one line on stderr."""
    from .. import console
    from ..i18n import pick_lang, t
    from ..loader import load_workspace, resolve_workspace

    load = load_workspace(resolve_workspace(plan))
    workspace = load.workspace
    language = pick_lang(lang, next((p.language for p in workspace.plans), None))
    errors = sum(1 for problem in load.problems if problem.severity == "error")
    if errors:
        console.err(t("view.plan_problems", language, count=errors))
    return workspace, language


def view_day(workspace: Workspace, as_of: dt.date | None, lang: Lang) -> dt.date:
    """The day a view looks from: ``--as-of``, else today, or the plan's last day once the
    plan has ended (``progress.default_as_of``), said on stderr."""
    if as_of is not None:
        return as_of
    from .. import console
    from ..fmt import format_date
    from ..i18n import t
    from ..progress import default_as_of

    day, ended = default_as_of(workspace.plans, dt.date.today())
    if ended is not None:
        console.err(t("view.plan_ended", lang, date=format_date(ended, lang)))
    return day


def emit(text: str) -> None:
    """JSON and CSV: written past rich (which would wrap or expand tabs), in the stream's
    encoding, which ``console.prepare_streams`` made UTF-8 for a file or a pipe."""
    from .. import console

    console.write(text)


def draw(sheet: Sheet) -> None:
    """A table: laid out to the terminal's width, coloured only on a terminal."""
    from .. import console

    console.show(sheet)


@app.command(cls=Command)
@boundary
def status(
    owner: OwnerOption = None,
    objective: ObjectiveOption = None,
    status_word: StatusOption = None,
    overdue: OverdueOption = False,
    stale: StaleOption = False,
    stale_days: StaleDaysOption = None,
    as_of: AsOfOption = None,
    at: AtOption = None,
    format: FormatOption = "table",
    csv_raw: CsvRawOption = False,
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Show every task's status by objective: progress, due day, last report.

    Status, progress and health are folded from the journal as of --as-of; each group ends
    with its count, completed, overdue and unweighted average progress. 'aseanctl status
    --overdue' lists what is late. Exit 0 (also when no task matches), 2 on a usage error.
    """
    from ..progress import task_states
    from ..views import (
        TASK_COLUMNS,
        TaskFilter,
        check_objective,
        check_owner,
        format_csv,
        format_json,
        render_status,
        status_document,
    )

    workspace, language = load_for_view(plan_at(plan, at), lang)
    chosen = TaskFilter(
        owner=check_owner(workspace, owner) if owner is not None else None,
        objective=check_objective(workspace, objective) if objective is not None else None,
        status=status_word,
        overdue=overdue,
        stale=stale,
    )
    day = view_day(workspace, as_of, language)
    states = chosen.apply(task_states(workspace, day, stale_days=stale_days))
    document = status_document(workspace, states, day, stale_days)
    if format == "json":
        emit(format_json(document))
    elif format == "csv":
        emit(format_csv(document["tasks"], TASK_COLUMNS, raw=csv_raw))
    else:
        draw(render_status(document, workspace.owner_map(), language))
