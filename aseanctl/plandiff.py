"""Two versions of a plan compared as plans, not as text: what was added, removed, moved
between task groups or changed, field by field, and which changes put the plan at risk.

Pure: two workspaces in, a list of :class:`Change` out; the formats below return strings.
Each risk has a kebab-case id, like a validation rule:

- ``due-later``: a task's deadline (its ``due``, or the plan's end) moved later;
- ``target-lowered``: an indicator's target lowered;
- ``removed-with-updates``: a task removed although the journal holds updates on it;
- ``completed-reverted``: a task that was completed is no longer, after the journal changed;
- ``lead-inactive``: a task's lead, new or handed over, does not exist on the task's dates
  (unknown, created after the task starts, or ended before its due day with no successor).
"""

from __future__ import annotations

import datetime as dt
import json
from operator import itemgetter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .model import Indicator, Owner, Plan, Task, Update, Workspace
from .progress import effective_owner, effective_updates

if TYPE_CHECKING:
    from .i18n import Lang

KINDS = ("plan", "objective", "task", "owner", "update")
RISKS = ("due-later", "target-lowered", "removed-with-updates", "completed-reverted", "lead-inactive")
MD_ROWS = 100  # rows per table in a pull-request comment; JSON has them all

_PLAN_FIELDS: tuple[str, ...] = ("title", "title_en", "language", "document", "implements", "start", "end")
_PLAN_FIELDS += ("lead", "reporting", "assumptions")
_OBJECTIVE_FIELDS = ("title", "title_en", "ascc", "elements", "assumptions")
_TASK_FIELDS: tuple[str, ...] = (
    "title",
    "title_en",
    "objective",
    "lead",
    "support",
    "start",
    "due",
    "recurring",
    "output",
)
_TASK_FIELDS += ("elements", "tags", "assumptions")
_OWNER_FIELDS = ("name", "name_en", "short", "kind", "active_from", "active_until", "successor", "assumptions")
_INDICATOR_FIELDS = ("name", "name_en", "unit", "baseline", "target", "contributes_to")
_UPDATE_FIELDS: tuple[str, ...] = (
    "task",
    "date",
    "by",
    "status",
    "progress",
    "health",
    "actual",
    "note",
    "evidence",
    "corrects",
)
_UPDATE_FIELDS += ("author", "recorded")


class FieldChange(NamedTuple):
    field: str
    old: Any
    new: Any


class Change(NamedTuple):
    kind: str  # one of KINDS
    id: str
    change: str  # added | removed | modified | moved
    fields: tuple[FieldChange, ...] = ()
    risks: tuple[str, ...] = ()


class PlanDiff(NamedTuple):
    base: str | None  # commit ids; None for the working tree
    head: str | None
    base_errors: int
    head_errors: int
    changes: tuple[Change, ...]

    @property
    def risky(self) -> list[Change]:
        return [c for c in self.changes if c.risks]


# --- comparing ------------------------------------------------------------------------------


def _by_id(items: Iterable[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in items:
        if item.id is not None and item.id not in found:  # a duplicate is validation's to report
            found[item.id] = item
    return found


def _fields(old: Any, new: Any, names: Sequence[str]) -> list[FieldChange]:
    return [
        FieldChange(name, getattr(old, name), getattr(new, name))
        for name in names
        if getattr(old, name) != getattr(new, name)
    ]


def _indicator_fields(old: Sequence[Indicator], new: Sequence[Indicator]) -> list[FieldChange]:
    before, after = _by_id(old), _by_id(new)
    found: list[FieldChange] = []
    for ident in [*before, *(i for i in after if i not in before)]:
        was, now = before.get(ident), after.get(ident)
        if was is None or now is None:
            found.append(FieldChange(f"indicators.{ident}", _indicator_value(was), _indicator_value(now)))
            continue
        found.extend(c._replace(field=f"indicators.{ident}.{c.field}") for c in _fields(was, now, _INDICATOR_FIELDS))
    return found


def _indicator_value(indicator: Indicator | None) -> dict[str, Any] | None:
    return None if indicator is None else {name: getattr(indicator, name) for name in _INDICATOR_FIELDS}


def _lowered(fields: Iterable[FieldChange]) -> bool:
    return any(
        f.field.endswith(".target")
        and isinstance(f.old, (int, float))
        and isinstance(f.new, (int, float))
        and f.new < f.old
        for f in fields
    )


def _active_through(owner_id: str | None, start: dt.date | None, end: dt.date | None, owners: dict[str, Owner]) -> bool:
    """Whether ``owner_id`` (or the successors it hands over to) exists from ``start`` to ``end``."""
    owner = owners.get(owner_id) if owner_id else None
    if owner is None:
        return False
    if start is not None and owner.active_from is not None and owner.active_from > start:
        return False
    if end is None:
        return True
    holder = owners.get(effective_owner(owner_id, end, owners) or "")
    return holder is not None and (holder.active_until is None or holder.active_until >= end)


def _last_status(updates: Sequence[Update]) -> dict[str, str]:
    """Each task's status after its whole journal (corrections applied)."""
    status: dict[str, str] = {}
    for update in effective_updates(updates):
        if update.status is not None:
            status[update.task] = update.status
    return status


def _journal(ws: Workspace) -> tuple[Update, ...]:
    updates = [plan.updates for plan in ws.plans]
    return updates[0] if len(updates) == 1 else tuple(u for part in updates for u in part)


def _tasks_with_plans(ws: Workspace) -> dict[str, tuple[Task, Plan]]:
    found: dict[str, tuple[Task, Plan]] = {}
    for plan in ws.plans:
        for task in plan.tasks:
            if task.id is not None and task.id not in found:
                found[task.id] = (task, plan)
    return found


def _task_changes(base: Workspace, head: Workspace, base_journal: Sequence[Update]) -> list[Change]:
    before, after = _tasks_with_plans(base), _tasks_with_plans(head)
    owners = head.owner_map()
    with_updates = {u.task for u in base_journal}
    changes: list[Change] = []
    for ident, (task, _) in before.items():
        if ident not in after:
            risks = ("removed-with-updates",) if ident in with_updates else ()
            changes.append(Change("task", ident, "removed", (FieldChange("title", task.title, None),), risks))
    for ident, (task, plan) in after.items():
        start, due = task.start or plan.start, task.due or plan.end
        old = before.get(ident)
        if old is None:
            risks = () if _active_through(task.lead, start, due, owners) else ("lead-inactive",)
            changes.append(Change("task", ident, "added", (FieldChange("title", None, task.title),), risks))
            continue
        was, was_plan = old
        fields = _fields(was, task, _TASK_FIELDS) + _indicator_fields(was.indicators, task.indicators)
        if not fields:
            continue
        found: list[str] = []
        was_due = was.due or was_plan.end
        if was_due is not None and due is not None and due > was_due:
            found.append("due-later")
        if _lowered(fields):
            found.append("target-lowered")
        if was.lead != task.lead and not _active_through(task.lead, start, due, owners):
            found.append("lead-inactive")
        kind = "moved" if was.objective != task.objective else "modified"
        changes.append(Change("task", ident, kind, tuple(fields), tuple(found)))
    return changes


def _reverted(
    changes: list[Change], base_journal: Sequence[Update], head_journal: Sequence[Update], head: Workspace
) -> list[Change]:
    """``changes`` with every task whose completion the journal took back marked.  Only the
    tasks whose updates changed can have changed status: only their journals are folded."""
    touched = _touched_tasks(base_journal, head_journal)
    if not touched:
        return changes
    before = _last_status([u for u in base_journal if u.task in touched])
    after = _last_status([u for u in head_journal if u.task in touched])
    present = _tasks_with_plans(head)
    reverted = {
        task: after.get(task, "not_started")
        for task, status in before.items()
        if status == "completed" and after.get(task) != "completed" and task in present
    }
    if not reverted:
        return changes
    marked = []
    for change in changes:
        if change.kind == "task" and change.id in reverted:
            status = FieldChange("status", "completed", reverted.pop(change.id))
            change = change._replace(fields=(*change.fields, status), risks=(*change.risks, "completed-reverted"))
        marked.append(change)
    for task, status_now in reverted.items():
        field = FieldChange("status", "completed", status_now)
        marked.append(Change("task", task, "modified", (field,), ("completed-reverted",)))
    return marked


# an update's content: every field but the file and line it was read from
_CONTENT = itemgetter(*(i for i, name in enumerate(Update._fields) if name not in ("file", "line")))


def _touched_tasks(base_journal: Sequence[Update], head_journal: Sequence[Update]) -> set[str]:
    """The tasks of the updates recorded, withdrawn or edited between the two journals."""
    before, after = _by_id(base_journal), _by_id(head_journal)
    touched = {u.task for i, u in before.items() if i not in after}
    for ident, update in after.items():
        old = before.get(ident)
        if old is None or _CONTENT(old) != _CONTENT(update):
            touched.add(update.task)
            if old is not None:
                touched.add(old.task)
    return touched


def _update_changes(base_journal: Sequence[Update], head_journal: Sequence[Update]) -> list[Change]:
    before, after = _by_id(base_journal), _by_id(head_journal)
    changes: list[Change] = []
    for ident, update in after.items():
        old = before.get(ident)
        if old is None:
            corrected = after.get(update.corrects or "") or before.get(update.corrects or "")
            if corrected is None:
                changes.append(Change("update", ident, "added", _update_summary(update)))
            else:
                fields = [FieldChange("corrected_by", None, ident)] + [
                    f for f in _fields(corrected, update, _UPDATE_FIELDS) if f.field not in ("corrects", "recorded")
                ]
                changes.append(Change("update", corrected.id, "modified", tuple(fields)))
        elif _CONTENT(old) != _CONTENT(update):
            changes.append(Change("update", ident, "modified", tuple(_fields(old, update, _UPDATE_FIELDS))))
    for ident, update in before.items():
        if ident not in after:
            changes.append(Change("update", ident, "removed", _update_summary(update, removed=True)))
    return changes


def _update_summary(update: Update, removed: bool = False) -> tuple[FieldChange, ...]:
    said = [(name, getattr(update, name)) for name in ("task", "date", "status", "progress", "health")]
    return tuple(
        FieldChange(name, value if removed else None, None if removed else value)
        for name, value in said
        if value is not None
    )


def compare(base: Workspace, head: Workspace) -> list[Change]:
    """Every change from ``base`` to ``head``, in KINDS order, then by id."""
    changes: list[Change] = []
    for kind, before, after, names in (
        ("plan", base.plans, head.plans, _PLAN_FIELDS),
        (
            "objective",
            [o for p in base.plans for o in p.objectives],
            [o for p in head.plans for o in p.objectives],
            _OBJECTIVE_FIELDS,
        ),
        ("owner", base.owners, head.owners, _OWNER_FIELDS),
    ):
        old, new = _by_id(before), _by_id(after)
        changes.extend(Change(kind, i, "removed") for i in old if i not in new)
        changes.extend(Change(kind, i, "added") for i in new if i not in old)
        for ident in old.keys() & new.keys():
            fields = _fields(old[ident], new[ident], names)
            if kind == "plan":
                fields += _indicator_fields(old[ident].indicators, new[ident].indicators)
            if fields:
                risks = ("target-lowered",) if _lowered(fields) else ()
                changes.append(Change(kind, ident, "modified", tuple(fields), risks))
    base_journal, head_journal = _journal(base), _journal(head)
    changes += _reverted(_task_changes(base, head, base_journal), base_journal, head_journal, head)
    changes += _update_changes(base_journal, head_journal)
    return sorted(changes, key=lambda c: (KINDS.index(c.kind), c.id))


# --- formats --------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as JSON holds it: days as ISO text, records as objects, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def format_json(result: PlanDiff) -> str:
    document = {
        "base": result.base,
        "head": result.head,
        "valid": {"base": result.base_errors == 0, "head": result.head_errors == 0},
        "changes": [
            {
                "kind": c.kind,
                "id": c.id,
                "change": c.change,
                "fields": [{"field": f.field, "old": plain(f.old), "new": plain(f.new)} for f in c.fields],
                "risks": list(c.risks),
            }
            for c in result.changes
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _shown_value(value: Any) -> str:
    value = plain(value)
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(_shown_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_shown_value(v)}" for k, v in value.items() if v is not None) or "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def detail_lines(change: Change, lang: Lang) -> list[str]:
    """``field: old → new`` for each changed field; a moved day says by how many days."""
    from .i18n import t

    lines = []
    for f in change.fields:
        if change.change in ("added", "removed") and (f.old is None or f.new is None):
            lines.append(f"{f.field}: {_shown_value(f.new if f.old is None else f.old)}")
            continue
        line = f"{f.field}: {_shown_value(f.old)} → {_shown_value(f.new)}"
        if isinstance(f.old, dt.date) and isinstance(f.new, dt.date):
            line += f" ({t('diff.days', lang, days=(f.new - f.old).days)})"
        lines.append(line)
    return lines


def change_word(change: Change, lang: Lang) -> str:
    from .i18n import t

    if change.kind == "update":
        corrected = change.change == "modified" and any(f.field == "corrected_by" for f in change.fields)
        return t("diff.update.corrected" if corrected else f"diff.update.{change.change}", lang)
    if change.kind == "owner" and any(f.field == "active_until" and f.old is None for f in change.fields):
        return t("diff.change.ended", lang)
    return t(f"diff.change.{change.change}", lang)


def _rev(rev: str | None, lang: Lang) -> str:
    from .i18n import t

    return rev[:12] if rev else t("diff.working_tree", lang)


def _valid(errors: int, lang: Lang) -> str:
    from .i18n import t

    return t("diff.valid_yes", lang) if errors == 0 else t("diff.valid_no", lang, errors=errors)


def _headline(result: PlanDiff, lang: Lang) -> tuple[str, str, str]:
    from .i18n import t

    title = t("diff.title", lang, base=_rev(result.base, lang), head=_rev(result.head, lang))
    valid = t("diff.valid", lang, base=_valid(result.base_errors, lang), head=_valid(result.head_errors, lang))
    summary = (
        t("diff.summary", lang, changes=len(result.changes), risks=len(result.risky))
        if result.changes
        else t("diff.none", lang)
    )
    return title, valid, summary


def _ordered(changes: Iterable[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (not c.risks, c.id))  # risky first


def format_text(result: PlanDiff, lang: Lang) -> str:
    """For a terminal: plan text shown with its control characters made visible."""
    from .i18n import t
    from .safetext import visible

    title, valid, summary = _headline(result, lang)
    out = [title, valid, summary]
    for kind in KINDS:
        changes = _ordered(c for c in result.changes if c.kind == kind)
        if not changes:
            continue
        out += ["", t(f"diff.kind.{kind}", lang)]
        for change in changes:
            mark = {"added": "+", "removed": "-"}.get(change.change, "~")
            risks = "".join(f"  [! {t(f'diff.risk.{r}', lang)}]" for r in change.risks)
            out.append(f"  {mark} {visible(change.id)}  {change_word(change, lang)}{risks}")
            out.extend(f"      {visible(line)}" for line in detail_lines(change, lang))
    return "\n".join(out) + "\n"


def format_markdown(result: PlanDiff, lang: Lang, rows: int = MD_ROWS) -> str:
    """For a pull-request comment or a job summary: a summary line, then a table per kind of
    change, risky rows first.  Plan text is escaped as the reports escape it."""
    from .i18n import t
    from .report.render import md_cell, md_inline

    title, valid, summary = _headline(result, lang)
    out = [f"### {md_inline(title)}", "", f"**{md_inline(summary)}** · {md_inline(valid)}"]
    header = [t(f"diff.col.{c}", lang) for c in ("id", "change", "details", "risks")]
    for kind in KINDS:
        changes = _ordered(c for c in result.changes if c.kind == kind)
        if not changes:
            continue
        out += ["", f"#### {md_inline(t(f'diff.kind.{kind}', lang))}", ""]
        out += ["| " + " | ".join(header) + " |", "|---|---|---|---|"]
        for change in changes[:rows]:
            details = "<br>".join(md_cell(line) for line in detail_lines(change, lang))
            risks = "<br>".join(f"⚠️ {md_cell(t(f'diff.risk.{r}', lang))}" for r in change.risks)
            out.append(f"| {md_cell(change.id)} | {md_cell(change_word(change, lang))} | {details} | {risks} |")
        if len(changes) > rows:
            out += ["", md_inline(t("diff.more", lang, count=len(changes) - rows))]
    return "\n".join(out) + "\n"


FORMATS: dict[str, Callable[[PlanDiff, Lang], str]] = {
    "text": format_text,
    "md": format_markdown,
    "json": lambda result, lang: format_json(result),
}
