"""aseanctl from Python: the functions the commands call, for analysts' notebooks and scripts.

Each function here is a thin, typed door onto the same code the command line runs, so a
notebook gets the figures a report prints (docs/api.md has an example with pandas)::

    import aseanctl.api as ac

    ws = ac.load("plan")                        # the workspace, as far as it loads
    states = ac.task_states(ws, "2025-12-31")   # every task as of a day
    rows = ac.state_rows(states)                # plain dicts, one per task: pandas.DataFrame(rows)

Nothing here prints or exits: a plan that cannot be found raises :class:`AseanctlError` (its
``msg`` renders in Vietnamese or English with :func:`message`), and problems in the plan are
values (:func:`problems`), as ``aseanctl validate`` reports them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .errors import AseanctlError
from .i18n import Lang, render
from .loader import load_workspace, resolve_workspace
from .model import RECORD_FIELDS, Plan, Task, Update, Workspace
from .problems import Msg, Problem, format_path
from .progress import Rollup, TaskState, effective_updates, rollup_by_objective, rollup_total

__all__ = [
    "AseanctlError",
    "Problem",
    "TaskState",
    "Update",
    "Workspace",
    "journal",
    "load",
    "message",
    "plans",
    "problems",
    "report_context",
    "rollups",
    "state_rows",
    "task_states",
    "update_rows",
    "where",
]

Day = dt.date | str


def _day(value: Day | None) -> dt.date:
    if value is None:
        return dt.date.today()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def load(where: str | Path | None = None) -> Workspace:
    """The plan workspace at ``where`` (a folder; default: ``ASEANCTL_PLAN``, then the current
    folder and its parents), as far as it loads: a broken file leaves out what it held, as
    in ``aseanctl status``; :func:`problems` says what."""
    return load_workspace(resolve_workspace(None if where is None else str(where))).workspace


def problems(where: str | Path | Workspace | None = None) -> list[Problem]:
    """Every problem ``aseanctl validate`` reports for the workspace, sorted by file and line."""
    from .validation import validate_workspace

    root = where.root if isinstance(where, Workspace) else resolve_workspace(None if where is None else str(where))
    return list(validate_workspace(root).problems)


def message(msg: Msg | Problem | AseanctlError, lang: Lang = "vi") -> str:
    """The text a person reads for a problem or an error, in ``lang`` (``vi`` or ``en``)."""
    if isinstance(msg, Problem | AseanctlError):
        msg = msg.msg
    return render(msg, lang)


def journal(ws: Workspace, *, plan: str | None = None) -> list[Update]:
    """The updates that count, in the order they count (status date, then the instant
    recorded, then the order written), without those a correction supersedes."""
    plans = [p for p in ws.plans if plan is None or p.id == plan]
    return effective_updates(u for p in plans for u in p.updates)


def task_states(ws: Workspace, as_of: Day | None = None, *, stale_days: int | None = None) -> list[TaskState]:
    """Every task's status, progress, health, lead and flags on ``as_of`` (default today), as
    ``aseanctl status --as-of`` folds them from the journal."""
    from . import progress

    return progress.task_states(ws, _day(as_of), stale_days=stale_days)


def rollups(states: list[TaskState]) -> tuple[list[Rollup], Rollup]:
    """Counts by status and mean progress, per task group and for the whole: the figures
    at the foot of each group in ``aseanctl status`` and in the reports."""
    return rollup_by_objective(states), rollup_total(states)


def _task_fields(task: Task) -> dict[str, Any]:
    return {
        "plan": task.plan_id,
        "task": task.id,
        "objective": task.objective,
        "title": task.title,
        "start": task.start,
        "due": task.due,
        "recurring": task.recurring,
    }


def state_rows(states: list[TaskState]) -> list[dict[str, Any]]:
    """One plain dict per task state (scalars, dates, tuples): ``pandas.DataFrame(rows)``."""
    rows = []
    for state in states:
        last = state.last_update
        rows.append(
            {
                **_task_fields(state.task),
                "as_of": state.as_of,
                "status": state.status,
                "progress": state.progress,
                "health": state.health,
                "lead": state.lead,
                "support": state.support,
                "overdue": state.overdue,
                "due_soon": state.due_soon,
                "stale": state.stale,
                "updates": len(state.updates),
                "last_update": last.date if last else None,
                **{f"actual.{name}": value for name, value in state.actual.items()},
            }
        )
    return rows


def update_rows(updates: list[Update]) -> list[dict[str, Any]]:
    """One plain dict per journal update, with the file and line it was written on."""
    return [
        {
            **{name: getattr(u, name) for name in RECORD_FIELDS},  # every field a journal line can hold
            "actual": dict(u.actual or {}),
            "file": u.file.as_posix(),
            "line": u.line,
        }
        for u in updates
    ]


def report_context(
    where: str | Path | None = None,
    *,
    kind: str = "progress",
    plan: str | None = None,
    period: str | None = None,
    as_of: Day | None = None,
    owner: str | None = None,
    lang: Lang | None = None,
) -> dict[str, Any]:
    """Everything a report template is given (docs/reports.md), chosen as ``aseanctl report``
    chooses it: the plan running on ``as_of``, the reporting period holding it, the
    narrative and settings of the plan's ``reports/`` folder."""
    from .report.choose import prepare_report

    root = resolve_workspace(None if where is None else str(where))
    day = None if as_of is None else _day(as_of)
    prepared = prepare_report(
        load_workspace(root), root, kind=kind, plan_id=plan, period=period, as_of=day, owner=owner, lang=lang
    )
    return prepared.context


def plans(ws: Workspace) -> list[Plan]:
    """The plans of the workspace (a repository holds one per plan period)."""
    return list(ws.plans)


def where(problem: Problem) -> str:
    """``file:line:column`` (and the YAML path) of a problem, as the text output shows it."""
    place = problem.file.as_posix() if problem.file else ""
    if problem.line is not None:
        place += f":{problem.line}"
        if problem.column is not None:
            place += f":{problem.column}"
    return f"{place} {format_path(problem.path)}".strip()
