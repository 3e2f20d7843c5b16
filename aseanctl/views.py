"""The views: task states, the journal and owners as documents, and their renderers.

Pure: nothing here prints.  Each view is first built as one document of plain values
(``status_document``, ``show_document``, ``log_document``, ``owners_document``).  The
renderers read only that document: ``format_json`` gives it as JSON, ``format_csv`` its
item list, ``sheet_rows`` the same items and columns as typed cells for a workbook
(``aseanctl.xlsx`` writes it), and ``status_sheet`` (and ``log_sheet``, ``show_sheet``, ``owners_sheet``) the
table people read, as a ``layout.Sheet`` of plain cells that ``layout`` lays out to the
terminal's width; so the formats never disagree.  Every number comes from ``progress``;
dates, numbers and owner names read as ``fmt`` writes them, as in the reports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import fmt, schema
from .errors import UsageError
from .i18n import Lang, t
from .journal import FIELD_ORDER
from .layout import Block, Cell, Column, Line, Sheet, Table
from .model import UPDATE_ORDER, Owner, Update, Workspace
from .safetext import csv_cell
from .progress import (
    WEIGHTING,
    OwnerSummary,
    Period,
    Rollup,
    TaskState,
    correction_changes,
    period_of,
    predecessors,
    task_window,
)
from .suggest import did_you_mean

FORMATS = ("table", "json", "csv", "xlsx")
EMPTY = "—"  # an empty cell in a table (not a word: the same in both languages)
BAR_CELLS = 8

TASK_COLUMNS = (
    "id",
    "plan",
    "objective",
    "title",
    "title_en",
    "lead",
    "support",
    "status",
    "progress",
    "health",
    "start",
    "due",
    "recurring",
    "due_soon",
    "overdue",
    "stale",
    "last_update",
)
# the columns of update_record, as log's JSON and CSV give them: the journal's fields, then what
# later lines did to the update (a correction superseded it; a withdrawal took it back, and why)
UPDATE_COLUMNS = (
    *FIELD_ORDER,
    "superseded",
    "superseded_by",
    "withdrawn",
    "withdrawn_by",
    "withdrawn_reason",
)
OWNER_COLUMNS = (
    "id",
    "name",
    "name_en",
    "short",
    "kind",
    "led",
    "supported",
    "completed",
    "overdue",
    "last_report",
    "reports_owed",
    "reports_given",
    "reports_missing",
)

_HEALTH_STYLE = {"green": "green", "amber": "yellow", "red": "red"}


# --- what a person typed (the values themselves are parsed in cli/params.py) ---------------


def check_owner(ws: Workspace, owner_id: str) -> str:
    owners = ws.owner_map()
    if owner_id not in owners and "owners" not in ws.incomplete:
        raise UsageError("ref.unknown_owner", id=owner_id, hint=did_you_mean(owner_id, sorted(owners)))
    return owner_id


def check_objective(ws: Workspace, objective_id: str) -> str:
    known = sorted(
        {o.id for plan in ws.plans for o in plan.objectives if o.id is not None}
        | {task.objective for task in ws.tasks() if task.objective is not None}
    )
    if objective_id not in known:
        raise UsageError("view.unknown_objective", id=objective_id, hint=did_you_mean(objective_id, known))
    return objective_id


def check_task(ws: Workspace, task_id: str) -> str:
    ids = [task.id for task in ws.tasks() if task.id is not None]
    if task_id not in ids:
        raise UsageError("update.unknown_task", id=task_id, hint=did_you_mean(task_id, ids))
    return task_id


def find_state(states: Sequence[TaskState], task_id: str) -> TaskState:
    for state in states:
        if state.task.id == task_id:
            return state
    ids = [state.task.id for state in states if state.task.id is not None]
    raise UsageError("update.unknown_task", id=task_id, hint=did_you_mean(task_id, ids))


@dataclass(frozen=True)
class TaskFilter:
    """Which task states a view keeps.  ``owner`` matches the lead or a supporter on the day
    (after hand-overs); ``status`` is a stored status id."""

    owner: str | None = None
    objective: str | None = None
    status: str | None = None
    overdue: bool = False
    stale: bool = False

    def matches(self, state: TaskState) -> bool:
        return (
            (self.owner is None or state.lead == self.owner or self.owner in state.support)
            and (self.objective is None or state.task.objective == self.objective)
            and (self.status is None or state.status == self.status)
            and (not self.overdue or state.overdue)
            and (not self.stale or state.stale)
        )

    def apply(self, states: Iterable[TaskState]) -> list[TaskState]:
        return [state for state in states if self.matches(state)]


# --- records: plain values, shared by JSON, CSV and tables ------------------------------------


def _plain(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def task_record(state: TaskState) -> dict[str, Any]:
    task = state.task
    start, _ = task_window(task, state.plan)
    last = state.last_update
    return {
        "id": task.id,
        "plan": state.plan.id,
        "objective": task.objective,
        "title": task.title,
        "title_en": task.title_en,
        "lead": state.lead,
        "support": list(state.support),
        "status": state.status,
        "progress": _plain(state.progress),
        "health": state.health,
        "start": _iso(start),
        "due": _iso(task.due),
        "recurring": task.recurring,
        "due_soon": state.due_soon,
        "overdue": state.overdue,
        "stale": state.stale,
        "last_update": _iso(last.date) if last is not None else None,
    }


def rollup_record(rollup: Rollup) -> dict[str, Any]:
    by_status = {status: rollup.by_status.get(status, 0) for status in schema.STATUSES}
    by_status.update((s, n) for s, n in rollup.by_status.items() if s not in by_status)
    return {
        "tasks": rollup.tasks,
        "by_status": by_status,
        "completed": rollup.completed,
        "overdue": rollup.overdue,
        "stale": rollup.stale,
        "progress": _plain(rollup.progress),
    }


def status_document(
    ws: Workspace, states: Sequence[TaskState], as_of: dt.date, stale_days: int | None = None
) -> dict[str, Any]:
    """Tasks, their groups (one per objective of a plan, in plan.yaml's order) and the total."""
    order: dict[tuple[str | None, str | None], int] = {}
    titles: dict[tuple[str | None, str | None], tuple[str | None, str | None]] = {}
    for plan in ws.plans:
        for objective in plan.objectives:
            key = (plan.id, objective.id)
            order.setdefault(key, len(order))
            titles.setdefault(key, (objective.title, objective.title_en))
    groups: dict[tuple[str | None, str | None], Rollup] = {}
    total = Rollup("*")
    for state in states:
        key = (state.plan.id, state.task.objective)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Rollup(state.task.objective or "?")
        group.add(state)
        total.add(state)
    keys = sorted(groups, key=lambda k: order.get(k, len(order)))  # stable: unknown objectives keep task order
    return {
        "as_of": as_of.isoformat(),
        "weighting": WEIGHTING,
        "stale_days": stale_days,
        "total": rollup_record(total),
        "groups": [
            {
                "id": key[1],
                "plan": key[0],
                "title": titles.get(key, (None, None))[0],
                "title_en": titles.get(key, (None, None))[1],
                **rollup_record(groups[key]),
            }
            for key in keys
        ],
        "tasks": [task_record(state) for state in states],
    }


_ORDER = UPDATE_ORDER  # the order in which updates count, said once in model.py


def corrections(updates: Iterable[Update]) -> dict[str, str]:
    """Update id -> the id of the update that supersedes it (the latest, should there be two)."""
    latest: dict[str, Update] = {}
    for update in updates:
        if update.corrects is not None:
            seen = latest.get(update.corrects)
            if seen is None or _ORDER(update) > _ORDER(seen):
                latest[update.corrects] = update
    return {corrected: update.id for corrected, update in latest.items()}


def withdrawals(updates: Iterable[Update]) -> dict[str, Update]:
    """Update id -> the line that withdraws it (the first that counts, should there be two)."""
    first: dict[str, Update] = {}
    for update in updates:
        if update.withdraws is not None:
            seen = first.get(update.withdraws)
            if seen is None or _ORDER(update) < _ORDER(seen):
                first[update.withdraws] = update
    return first


def update_record(update: Update, superseded_by: str | None, withdrawn_by: Update | None = None) -> dict[str, Any]:
    return {
        "id": update.id,
        "task": update.task,
        "date": update.date.isoformat(),
        "status": update.status,
        "progress": update.progress,
        "health": update.health,
        "actual": update.actual,
        "note": update.note,
        "evidence": update.evidence,
        "by": update.by,
        "author": update.author,
        "recorded": update.recorded,
        "corrects": update.corrects,
        "withdraws": update.withdraws,
        "reason": update.reason,
        "superseded": superseded_by is not None,
        "superseded_by": superseded_by,
        "withdrawn": withdrawn_by is not None,
        "withdrawn_by": withdrawn_by.id if withdrawn_by is not None else None,
        "withdrawn_reason": withdrawn_by.reason if withdrawn_by is not None else None,
    }


@dataclass(frozen=True)
class UpdateFilter:
    """Which journal lines ``log`` keeps.  ``by`` holds the reporting owners (an owner and those
    it took over from); ``tasks`` the task ids left by the task filters."""

    until: dt.date
    since: dt.date | None = None
    task: str | None = None
    by: frozenset[str] | None = None
    objective: str | None = None
    status: str | None = None
    tasks: frozenset[str] | None = None


def owner_and_predecessors(ws: Workspace, owner_id: str) -> frozenset[str]:
    return frozenset(predecessors(ws.owner_map()).get(owner_id, {owner_id}) | {owner_id})


def select_updates(ws: Workspace, query: UpdateFilter) -> list[Update]:
    """The journal lines the query keeps, newest first; superseded lines included."""
    objective_of = {task.id: task.objective for task in ws.tasks()} if query.objective is not None else {}
    kept = [
        u
        for u in ws.updates()
        if u.date <= query.until
        and (query.since is None or u.date >= query.since)
        and (query.task is None or u.task == query.task)
        and (query.by is None or u.by in query.by)
        and (query.status is None or u.status == query.status)
        and (query.objective is None or objective_of.get(u.task) == query.objective)
        and (query.tasks is None or u.task in query.tasks)
    ]
    kept.sort(key=_ORDER, reverse=True)
    return kept


def log_document(ws: Workspace, updates: Sequence[Update], query: UpdateFilter) -> dict[str, Any]:
    everything = ws.updates()
    superseded, withdrawn = corrections(everything), withdrawals(everything)
    return {
        "since": _iso(query.since),
        "until": query.until.isoformat(),
        "updates": [update_record(u, superseded.get(u.id), withdrawn.get(u.id)) for u in updates],
    }


def show_document(state: TaskState) -> dict[str, Any]:
    """One task in full, and its timeline up to the view's day: every update, oldest first,
    superseded ones included and marked."""
    task, plan = state.task, state.plan
    objective = next((o for o in plan.objectives if o.id == task.objective), None)
    record = task_record(state)
    record.update(
        {
            "objective_title": objective.title if objective else None,
            "objective_title_en": objective.title_en if objective else None,
            "declared_lead": task.lead,
            "declared_support": list(task.support),
            "output": task.output,
            "indicators": [
                {
                    "id": i.id,
                    "name": i.name,
                    "name_en": i.name_en,
                    "unit": i.unit,
                    "baseline": i.baseline,
                    "target": i.target,
                    "contributes_to": i.contributes_to,
                    "actual": state.actual.get(i.id) if i.id is not None else None,
                }
                for i in task.indicators
            ],
            "actual": dict(state.actual),
            "elements": list(task.elements),
            "tags": list(task.tags),
            "assumptions": list(task.assumptions),
        }
    )
    superseded, withdrawn = corrections(plan.updates), withdrawals(plan.updates)
    changed = correction_changes(u for u in plan.updates if u.task == task.id)
    timeline = sorted((u for u in plan.updates if u.task == task.id and u.date <= state.as_of), key=_ORDER)
    return {
        "as_of": state.as_of.isoformat(),
        "task": record,
        "updates": [
            _with_changes(update_record(u, superseded.get(u.id), withdrawn.get(u.id)), u, changed) for u in timeline
        ],
    }


def _with_changes(
    record: dict[str, Any], update: Update, changed: dict[str, list[tuple[str, object, object]]]
) -> dict[str, Any]:
    """A correction says what it changed."""
    if update.id in changed:
        record["changes"] = [{"field": f, "before": b, "after": a} for f, b, a in changed[update.id]]
    return record


def reporting_period(ws: Workspace, as_of: dt.date) -> Period | None:
    """The current reporting period of the first plan that has one."""
    for plan in ws.plans:
        period = period_of(plan, as_of)
        if period is not None:
            return period
    return None


def owner_record(summary: OwnerSummary) -> dict[str, Any]:
    owner = summary.owner
    return {
        "id": summary.id,
        "name": owner.name if owner else None,
        "name_en": owner.name_en if owner else None,
        "short": owner.short if owner else None,
        "kind": owner.kind if owner else None,
        "led": summary.led,
        "supported": summary.supported,
        "completed": summary.completed,
        "overdue": summary.overdue,
        "last_report": _iso(summary.last_report),
        "reports_owed": summary.owed,
        "reports_given": summary.given,
        "reports_missing": list(summary.missing),
    }


def owners_document(ws: Workspace, summaries: Sequence[OwnerSummary], as_of: dt.date) -> dict[str, Any]:
    period = reporting_period(ws, as_of)
    return {
        "as_of": as_of.isoformat(),
        "period": None
        if period is None
        else {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "owners": [owner_record(s) for s in summaries],
    }


# --- JSON and CSV -------------------------------------------------------------------------------


def format_json(document: dict[str, Any]) -> str:
    """The document with one list item per line: as readable as an indented dump, easy to grep
    and diff, and written by the C encoder (``indent`` makes json fall back to pure Python,
    several times slower on 100,000 updates)."""
    dumps = json.dumps
    lines = ["{"]
    last = len(document) - 1
    for index, (key, value) in enumerate(document.items()):
        comma = "," if index < last else ""
        if isinstance(value, list) and value:
            lines.append(f"  {dumps(key)}: [")
            lines.append(",\n".join("    " + dumps(item, ensure_ascii=False) for item in value))
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {dumps(key)}: {dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


BOM = "\ufeff"  # Excel on Windows reads a CSV file as the ANSI code page unless it starts with one


def _cell(value: Any, raw: bool) -> str:
    """A value as CSV text: a list as ``a; b``, an object as ``k=v; k=v``, true/false and
    numbers as JSON writes them; text a spreadsheet would run as a formula neutralised
    (``safetext.csv_cell``) unless ``raw``."""
    if isinstance(value, str):  # most cells, so checked first
        return value if raw else csv_cell(value)
    if value is None:
        return ""
    if isinstance(value, list):
        text = "; ".join(_cell(item, raw=True) for item in value)
    elif isinstance(value, dict):
        text = "; ".join(f"{key}={_cell(item, raw=True)}" for key, item in value.items())
    else:  # numbers, true and false
        return json.dumps(value)
    return text if raw else csv_cell(text)


def format_csv(items: Sequence[dict[str, Any]], columns: Sequence[str], *, raw: bool = False, bom: bool = False) -> str:
    """One header row, one row per item, columns in the given order; lists as ``a; b``.

    Plain UTF-8, as scripts expect; no text cell that starts like a formula unless ``raw``
    (every cell as it is, for programs).  ``bom``, for Excel: a byte-order mark first."""
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for item in items:
        writer.writerow([_cell(item.get(column), raw) for column in columns])
    return buffer.getvalue()


# --- workbooks: the same items and columns as CSV, as typed cells (written by aseanctl.xlsx) -----

# What a workbook cell holds: text, a number, true/false, a day, or nothing.
SheetValue = str | int | float | bool | dt.date | None

# The fields that hold a day (ISO text in the documents): a workbook gets real dates, which a
# spreadsheet sorts, filters by month and computes with.  ``recorded`` is a moment with its
# UTC offset, which a spreadsheet cannot hold: it stays ISO text.
DATE_FIELDS = frozenset({"start", "due", "last_update", "date", "last_report"})
# ids in the documents; in a workbook, the words of the chosen language, as the tables show them
_WORD_FIELDS = {
    "status": {status: f"status.{status}" for status in schema.STATUSES},
    "health": {health: f"health.{health}" for health in schema.HEALTHS},
    "recurring": {"yearly": "view.yearly"},
}


_FIRST_SHEET_DAY = dt.date(1900, 3, 1)  # spreadsheets count days from 1900 and get its February wrong


def _sheet_day(value: Any) -> SheetValue:
    """A day as a date; one a spreadsheet cannot hold (or not ISO: a plan with errors) as its text."""
    if not isinstance(value, str):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return day if day >= _FIRST_SHEET_DAY else value


def _sheet_any(value: Any) -> SheetValue:
    """One list item per line of the cell, an object as ``k = v`` lines; anything else as it is."""
    if isinstance(value, list):
        return "\n".join(str(_sheet_any(item)) for item in value) if value else None
    if isinstance(value, dict):
        return "\n".join(f"{key} = {_sheet_any(item)}" for key, item in value.items()) if value else None
    return value  # type: ignore[no-any-return]


def sheet_headers(columns: Sequence[str], lang: Lang) -> list[str]:
    return [t(f"sheet.col.{column}", lang) for column in columns]


def sheet_rows(items: Sequence[dict[str, Any]], columns: Sequence[str], lang: Lang) -> list[list[SheetValue]]:
    """``format_csv``'s rows as typed values: days as dates, numbers and true/false as they are,
    status, health and recurrence in words of ``lang``, lists one item per line."""

    def word(field: str) -> Callable[[Any], SheetValue]:
        words = {value: t(key, lang) for value, key in _WORD_FIELDS[field].items()}
        return lambda value: words.get(value, value)  # an unknown word (a plan with errors) as it is

    convert = [
        _sheet_day if column in DATE_FIELDS else word(column) if column in _WORD_FIELDS else _sheet_any
        for column in columns
    ]
    pairs = list(zip(columns, convert, strict=True))
    return [[to(item.get(column)) for column, to in pairs] for item in items]


# --- tables: each view as a Sheet (plain data), laid out by aseanctl.layout -------------------------


def format_date(iso: str | None, lang: Lang) -> str:
    """A day as a table shows it: ``fmt.format_date``, and a dash for none."""
    return fmt.format_date(iso, lang, EMPTY)


format_number = fmt.format_number


def progress_bar(progress: float) -> str:
    """``███░░░░░  40%``: 8 cells and the per cent, always 13 cells wide.  Under 100 % never
    looks complete, above 0 % never looks empty."""
    filled = int(progress * BAR_CELLS / 100 + 0.5)
    shown = int(progress + 0.5)
    if 0 < progress < 100:
        filled = min(max(filled, 1), BAR_CELLS - 1)
        shown = min(max(shown, 1), 99)
    return f"{'█' * filled}{'░' * (BAR_CELLS - filled)} {shown:>3}%"


def _title(record: dict[str, Any], lang: Lang, key: str = "title") -> str:
    return fmt.localized(record.get(key), record.get(f"{key}_en"), lang) or EMPTY


def _status_style(record: dict[str, Any]) -> str:
    if record.get("overdue"):
        return "red"
    if record.get("health") in _HEALTH_STYLE:
        return _HEALTH_STYLE[record["health"]]
    return "green" if record.get("status") == "completed" else ""


def _due(record: dict[str, Any], lang: Lang) -> str:
    if record["due"]:
        return format_date(record["due"], lang)
    return t("view.yearly", lang) if record["recurring"] else EMPTY


def _status_lines(record: dict[str, Any], lang: Lang) -> str:
    """The status word, and under it the flags (overdue, due soon, no report)."""
    flags = [t(f"view.flag.{flag}", lang) for flag in ("overdue", "due_soon", "stale") if record[flag]]
    return "\n".join([t(f"status.{record['status']}", lang), *flags])


def group_summary(group: dict[str, Any], lang: Lang) -> str:
    return t(
        "view.group_total",
        lang,
        tasks=group["tasks"],
        completed=group["completed"],
        overdue=group["overdue"],
        progress=format_number(group["progress"], lang),
    )


def _status_column(header: str) -> Column:
    """Status words stay whole while the free-text column can still give up cells (from 100
    columns on, with the shipped plan's words); narrower, they wrap at 12 cells."""
    return Column(header, min_width=12)


def _day_column(header: str) -> Column:
    """A date, never wrapped; a long header ("Báo cáo gần nhất") wraps above it."""
    return Column(header, wrap=False, max_width=10)


def status_sheet(document: dict[str, Any], owners: dict[str, Owner], lang: Lang) -> Sheet:
    """One table per objective: ID | title | lead | status | progress | due | last report,
    and a total line under each."""
    blocks: list[Block] = [Line(t("view.status_heading", lang, date=format_date(document["as_of"], lang)), "bold")]
    if not document["tasks"]:
        return Sheet((*blocks, Line(t("view.no_tasks", lang))))
    by_group: dict[tuple[str | None, str | None], list[dict[str, Any]]] = {}
    for record in document["tasks"]:
        by_group.setdefault((record["plan"], record["objective"]), []).append(record)
    columns = (
        Column(t("view.col.id", lang), wrap=False),
        Column(t("view.col.task", lang), flex=True),
        Column(t("view.col.lead", lang), max_width=10),
        _status_column(t("view.col.status", lang)),
        Column(t("view.col.progress", lang), wrap=False),
        _day_column(t("view.col.due", lang)),
        _day_column(t("view.col.last_report", lang)),
    )
    # 10,000 tasks share a few dozen leads, status lines and bars: each is worked out once
    leads: dict[str | None, str] = {}
    statuses: dict[tuple[Any, ...], str] = {}
    bars: dict[float, str] = {}
    for group in document["groups"]:
        heading = " · ".join(part for part in (group["id"], _title(group, lang) if group["title"] else None) if part)
        rows = []
        for record in by_group.get((group["plan"], group["id"]), []):
            style = _status_style(record)
            lead = leads.get(record["lead"])
            if lead is None:
                lead = leads[record["lead"]] = fmt.owner_short(record["lead"], owners, EMPTY)
            key = (record["status"], record["overdue"], record["due_soon"], record["stale"])
            status = statuses.get(key)
            if status is None:
                status = statuses[key] = _status_lines(record, lang)
            bar = bars.get(record["progress"])
            if bar is None:
                bar = bars[record["progress"]] = progress_bar(record["progress"])
            rows.append(
                (
                    Cell(record["id"]),
                    Cell(_title(record, lang)),
                    Cell(lead),
                    Cell(status, style),
                    Cell(bar, style),
                    Cell(_due(record, lang), "red" if record["overdue"] else ""),
                    Cell(format_date(record["last_update"], lang)),
                )
            )
        blocks += [Line(), Line(heading, "bold"), Table(columns, rows), Line(group_summary(group, lang))]
    total = document["total"]
    blocks += [
        Line(),
        Line(t("view.all_total", lang, summary=group_summary(total, lang)), "bold"),
        Line(t("view.weighting", lang)),
    ]
    return Sheet(tuple(blocks))


def _shown(value: object, lang: Lang, field: str = "") -> str:
    if value is None:
        return "—"
    if field in ("status", "health"):
        return t(f"{field}.{value}", lang)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value, lang)
    if isinstance(value, dict):
        return ", ".join(f"{k} = {_shown(v, lang)}" for k, v in value.items())
    return str(value)


def _update_details(record: dict[str, Any], lang: Lang) -> str:
    lines = []
    if record["note"]:
        lines.append(record["note"])
    if record["evidence"]:
        lines.append(t("view.evidence", lang, evidence=record["evidence"]))
    if record["health"]:
        lines.append(t("view.health", lang, health=t(f"health.{record['health']}", lang)))
    if record["actual"]:
        lines.append(
            t(
                "view.actual",
                lang,
                values=", ".join(f"{k} = {format_number(v, lang)}" for k, v in record["actual"].items()),
            )
        )
    lines.append(record["id"])  # what --corrects needs
    if record["corrects"]:
        lines.append(t("view.corrects", lang, id=record["corrects"]))
        for change in record.get("changes", ()):
            lines.append(
                t(
                    "view.changed",
                    lang,
                    field=t(f"view.changed_field.{change['field']}", lang),
                    before=_shown(change["before"], lang, change["field"]),
                    after=_shown(change["after"], lang, change["field"]),
                )
            )
    if record["withdraws"]:
        lines.append(t("view.withdraws", lang, id=record["withdraws"], reason=record["reason"] or "—"))
    if record["superseded"]:
        lines.append(t("view.superseded", lang, id=record["superseded_by"]))
    if record["withdrawn"]:
        lines.append(t("view.withdrawn", lang, id=record["withdrawn_by"], reason=record["withdrawn_reason"] or "—"))
    return "\n".join(lines)


def _update_table(records: Sequence[dict[str, Any]], owners: dict[str, Owner], lang: Lang, with_task: bool) -> Table:
    columns = [_day_column(t("view.col.date", lang))]
    if with_task:
        columns.append(Column(t("view.col.id", lang), wrap=False))
    columns += [
        _status_column(t("view.col.status", lang)),
        Column(t("view.col.progress_short", lang), align="right", max_width=7),
        Column(t("view.col.by", lang), max_width=10),
        # notes read badly under 30 cells: the status column wraps first (at 80 columns)
        Column(t("view.col.details", lang), flex=True, comfort=30),
    ]
    statuses = {status: t(f"status.{status}", lang) for status in schema.STATUSES}
    rows = []
    for record in records:
        style = "dim" if record["superseded"] or record["withdrawn"] else ""
        texts = [format_date(record["date"], lang)]
        if with_task:
            texts.append(record["task"])
        progress = record["progress"]
        status = record["status"]
        texts += [
            (statuses.get(status) or t(f"status.{status}", lang)) if status else "",
            f"{format_number(progress, lang)}%" if progress is not None else "",
            fmt.owner_short(record["by"], owners, EMPTY),
            _update_details(record, lang),
        ]
        rows.append(tuple(Cell(text, style) for text in texts))
    return Table(tuple(columns), rows)


def log_sheet(document: dict[str, Any], owners: dict[str, Owner], lang: Lang) -> Sheet:
    if not document["updates"]:
        return Sheet((Line(t("view.no_updates", lang)),))
    return Sheet(
        (
            _update_table(document["updates"], owners, lang, with_task=True),
            Line(t("view.update_count", lang, count=len(document["updates"]))),
        )
    )


def show_sheet(document: dict[str, Any], owners: dict[str, Owner], lang: Lang) -> Sheet:
    """The task's fields as label | value, then its timeline."""
    task = document["task"]

    def owner_line(owner_id: str | None) -> str:
        if owner_id is None:
            return EMPTY
        name = fmt.owner_name(owner_id, owners, lang)
        return f"{owner_id} · {name}" if name != owner_id else owner_id

    lead = owner_line(task["lead"])
    if task["declared_lead"] != task["lead"]:
        lead += "\n" + t("view.taken_over", lang, id=task["declared_lead"])
    objective = (task["objective"], _title(task, lang, "objective_title") if task["objective_title"] else None)
    rows: list[tuple[str, str, str]] = [
        ("view.field.plan", task["plan"] or EMPTY, ""),
        ("view.field.objective", " · ".join(p for p in objective if p), ""),
        ("view.field.lead", lead, ""),
        ("view.field.support", "\n".join(owner_line(o) for o in task["support"]) or EMPTY, ""),
        ("view.field.start", format_date(task["start"], lang), ""),
        ("view.field.due", _due(task, lang), "red" if task["overdue"] else ""),
        ("view.field.output", task["output"] or EMPTY, ""),
        ("view.field.status", _status_lines(task, lang), _status_style(task)),
        ("view.field.progress", progress_bar(task["progress"]), _status_style(task)),
        (
            "view.field.health",
            t(f"health.{task['health']}", lang) if task["health"] else EMPTY,
            _HEALTH_STYLE.get(task["health"] or "", ""),
        ),
        ("view.field.last_report", format_date(task["last_update"], lang), ""),
    ]
    for indicator in task["indicators"]:
        name = fmt.localized(indicator["name"], indicator["name_en"], lang) or ""
        reached = EMPTY if indicator["actual"] is None else format_number(indicator["actual"], lang)
        target = EMPTY if indicator["target"] is None else format_number(indicator["target"], lang)
        unit = f" {indicator['unit']}" if indicator["unit"] else ""
        values = t("view.indicator_values", lang, actual=reached, target=target, unit=unit)
        rows.append(("view.field.indicator", f"{indicator['id']} · {name}\n{values}", ""))
    if task["elements"]:
        rows.append(("view.field.elements", ", ".join(task["elements"]), ""))
    if task["tags"]:
        rows.append(("view.field.tags", ", ".join(task["tags"]), ""))
    rows += [("view.field.assumption", assumption, "") for assumption in task["assumptions"]]
    fields = Table(
        (Column(wrap=False), Column(flex=True)),
        [(Cell(t(key, lang), "bold"), Cell(value, style)) for key, value, style in rows],
        header=False,
    )
    return Sheet(
        (
            Line(f"{task['id']} · {_title(task, lang)}", "bold"),
            Line(t("view.status_heading", lang, date=format_date(document["as_of"], lang))),
            fields,
            Line(),
            Line(t("view.timeline", lang), "bold"),
            _update_table(document["updates"], owners, lang, with_task=False)
            if document["updates"]
            else Line(t("view.no_updates", lang)),
        )
    )


def owners_sheet(document: dict[str, Any], lang: Lang) -> Sheet:
    """Per owner: its short name (or id) in bold above its full name, the counts, the last
    report and whether it has reported for the period."""
    blocks: list[Block] = []
    period = document["period"]
    if period is not None:
        start, end = format_date(period["start"], lang), format_date(period["end"], lang)
        blocks.append(Line(t("view.period", lang, label=period["label"], start=start, end=end), "bold"))
    if not document["owners"]:
        return Sheet((*blocks, Line(t("view.no_owners", lang))))
    columns = (
        Column(t("view.col.owner", lang), flex=True),
        # counts: narrow, their long headers ("Hoàn thành") wrap at spaces
        *(
            Column(t(f"view.col.{key}", lang), align="right", max_width=8)
            for key in ("led", "supported", "completed", "overdue")
        ),
        _day_column(t("view.col.last_report", lang)),
        _status_column(t("view.col.reported", lang)),
    )
    rows = []
    for record in document["owners"]:
        name = fmt.localized(record["name"], record["name_en"], lang)
        label = record["short"] or record["id"]
        owed, given = record["reports_owed"], record["reports_given"]
        reported = Cell(f"{given}/{owed}", "green" if given == owed else "red") if owed else Cell(EMPTY)
        rows.append(
            (
                Cell(f"{label}\n{name}" if name else label, first_style="bold"),
                Cell(str(record["led"])),
                Cell(str(record["supported"])),
                Cell(str(record["completed"])),
                Cell(str(record["overdue"]), "red" if record["overdue"] else ""),
                Cell(format_date(record["last_report"], lang)),
                reported,
            )
        )
    return Sheet((*blocks, Table(columns, rows), Line(t("view.reported.note", lang))))


# The names the command modules call: a view's table is its sheet, which a rich Console prints.
render_status = status_sheet
render_log = log_sheet
render_show = show_sheet
render_owners = owners_sheet
