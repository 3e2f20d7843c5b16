"""``aseanctl init DIR --from PLAN``: a successor plan started from an earlier one.

Owners carry over through their successors: a task led on the old plan by an owner that
ended and handed over is led, in the new plan, by whoever holds that work on the new plan's
first day (``progress.effective_owner``); an owner that ended without a successor is
dropped, and the task records it.  Tasks that were not completed on the old plan's last
day (``progress.task_states``), and every recurring task, are offered as candidates: the
analyst deletes what does not continue.  Each keeps a link back to the task it continues,
as the tag ``continues:<plan>/<task>`` (the plan format has no field for it yet) and a note
with its state on that day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any, NamedTuple

from ..i18n import t
from ..model import Indicator, Owner, Plan, Task, Workspace
from ..progress import TaskState, effective_owner, task_states
from . import (
    FIRST_OBJECTIVE,
    PLAN_DIR,
    PlanSpec,
    placeholder_group,
    placeholder_objective,
    placeholder_settings,
    plan_document,
    plan_files,
    repository_files,
)
from .emit import Note, dump

CONTINUES_TAG = "continues:"
MAX_TAG = 80  # schema: tags are texts of at most 80 characters


class Carried(NamedTuple):
    files: dict[str, str]
    owners: int  # owners the new plan can use
    candidates: int  # tasks offered
    completed: int  # tasks left behind, completed


class _Owners:
    """Who holds an old owner's work on the new plan's first day, if anyone still does."""

    def __init__(self, owners: dict[str, Owner], start: dt.date) -> None:
        self.owners = owners
        self.start = start

    def alive(self, owner_id: str) -> bool:
        owner = self.owners.get(owner_id)
        return owner is not None and (owner.active_until is None or owner.active_until >= self.start)

    def carry(self, owner_id: str | None) -> str | None:
        held = effective_owner(owner_id, self.start, self.owners)
        return held if held is not None and self.alive(held) else None

    def living(self) -> list[str]:
        return [owner_id for owner_id in self.owners if self.alive(owner_id)]


def _indicator(indicator: Indicator, reached: dict[str, float], plan_indicators: set[str]) -> dict[str, Any]:
    """The indicator again, its baseline the value reached on the old plan's last day."""
    data: dict[str, Any] = {"id": indicator.id, "name": indicator.name}
    if indicator.name_en:
        data["name_en"] = indicator.name_en
    if indicator.unit:
        data["unit"] = indicator.unit
    baseline = reached.get(indicator.id or "", indicator.baseline)
    if baseline is not None:
        data["baseline"] = baseline
    if indicator.target is not None:
        data["target"] = indicator.target
    if indicator.contributes_to and indicator.contributes_to in plan_indicators:
        data["contributes_to"] = indicator.contributes_to
    return data


def _people(task: Task, owners: _Owners, plan_lead: str, lang: Any) -> tuple[str, list[str], list[str]]:
    """The task's lead and supporters on the new plan's first day, and what was assumed to get them."""
    said: list[str] = []
    lead = owners.carry(task.lead)
    if lead is None:
        lead = plan_lead
        said.append(t("init.lead_ended", lang, old=task.lead, new=plan_lead, marker=t("init.marker", lang)))
    elif lead != task.lead:
        said.append(t("init.lead_carried", lang, old=task.lead, new=lead))
    support: list[str] = []
    for written in task.support:
        held = owners.carry(written)
        if held is None:
            said.append(t("init.support_ended", lang, old=written))
        elif held != lead and held not in support:
            support.append(held)
    return lead, support, said


def _candidate(state: TaskState, new_id: str, spec: PlanSpec, owners: _Owners, plan_lead: str) -> dict[str, Any]:
    task, lang = state.task, spec.lang
    old_plan = state.plan
    lead, support, said = _people(task, owners, plan_lead, lang)
    data: dict[str, Any] = {"id": new_id, "title": task.title}
    if task.title_en:
        data["title_en"] = task.title_en
    data["lead"] = lead
    if support:
        data["support"] = support
    if task.recurring:
        data["recurring"] = task.recurring
    else:
        data[Note(t("init.due_comment", lang, marker=t("init.marker", lang)))] = None
        data["due"] = spec.end
    if task.output:
        data["output"] = task.output
    plan_indicators = {i.id for i in old_plan.indicators if i.id}
    if task.indicators:
        data["indicators"] = [_indicator(i, state.actual, plan_indicators) for i in task.indicators]
    if task.elements:
        data["elements"] = list(task.elements)
    link = f"{CONTINUES_TAG}{old_plan.id}/{task.id}"
    tags = [tag for tag in task.tags if not tag.startswith(CONTINUES_TAG)]
    data["tags"] = [*tags, link] if len(link) <= MAX_TAG else tags
    if not data["tags"]:
        del data["tags"]
    data["source"] = f"{old_plan.id}/{task.id}"
    if [*task.assumptions, *said]:
        data["assumptions"] = [*task.assumptions, *said]
    data["note"] = t(
        "init.continues_note",
        lang,
        task=task.id,
        plan=old_plan.id,
        day=state.as_of.strftime("%d/%m/%Y") if lang == "vi" else state.as_of.isoformat(),
        status=t(f"status.{state.status}", lang),
        progress=f"{state.progress:g}",
    )
    return data


def _objective(plan: Plan, objective_id: str) -> dict[str, Any]:
    found = next((o for o in plan.objectives if o.id == objective_id), None)
    data: dict[str, Any] = {"id": objective_id}
    if found is None:
        return {**data, "title": objective_id, "ascc": "A"}
    data["title"] = found.title
    if found.title_en:
        data["title_en"] = found.title_en
    data["ascc"] = found.ascc
    if found.elements:
        data["elements"] = list(found.elements)
    if found.assumptions:
        data["assumptions"] = list(found.assumptions)
    return data


def _new_id(task_id: str, taken: set[str], year: int) -> str:
    """The old id where the workspace does not hold it already; else the id and the new plan's first year."""
    if task_id not in taken:
        return task_id
    candidate = f"{task_id}-{year}"
    return candidate if len(candidate) <= 64 else f"{task_id[: 64 - 5]}-{year}"


def _plan_indicators(plan: Plan, used: set[str]) -> list[dict[str, Any]]:
    result = []
    for indicator in plan.indicators:
        if indicator.id in used:
            data: dict[str, Any] = {"id": indicator.id, "name": indicator.name}
            for key in ("name_en", "unit", "baseline", "target"):
                value = getattr(indicator, key)
                if value is not None:
                    data[key] = value
            result.append(data)
    return result


def render_successor(
    ws: Workspace,
    old: Plan,
    spec: PlanSpec,
    *,
    same_workspace: bool,
    owner_entries: list[dict[str, Any]],
    settings: dict[str, Any] | None,
) -> Carried:
    """The successor's files.  ``same_workspace``: the new plan goes beside ``old`` (paths
    relative to the workspace, owners.yaml shared and untouched); otherwise a new repository
    whose owners.yaml holds the owners still active on the new plan's first day
    (``owner_entries``: the old owners.yaml's entries, written again as they were)."""
    lang = spec.lang
    owners = _Owners(ws.owner_map(), spec.start)
    plan_lead = owners.carry(old.lead) or old.lead or ""
    states = [s for s in task_states(ws, old.end or spec.start) if s.plan is old and s.task.id]
    chosen = [s for s in states if s.status != "completed" or s.task.recurring]
    taken = {task.id for task in ws.tasks() if task.id} if same_workspace else set()

    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    files_of: dict[str, str] = {}
    used_indicators: set[str] = set()
    for state in chosen:
        objective = state.task.objective or FIRST_OBJECTIVE
        entry = _candidate(state, _new_id(state.task.id or "", taken, spec.start.year), spec, owners, plan_lead)
        groups[objective].append(entry)
        files_of.setdefault(objective, Path(state.task.src.file).name)
        used_indicators.update(i.get("contributes_to", "") for i in entry.get("indicators", ()))

    header = t("init.candidates_header", lang, plan=old.id, day=(old.end or spec.start).isoformat())
    tasks: dict[str, str] = {}
    for objective, entries in groups.items():
        tasks[files_of[objective]] = dump({"objective": objective, "tasks": entries}, header)
    objectives = [_objective(old, objective) for objective in groups]
    if not groups:
        tasks["nhom-1.yaml"] = placeholder_group(lang, plan_lead, spec.end)
        objectives = [placeholder_objective(spec)]

    body = {
        "title": f"({t('init.marker', lang)}) {t('init.successor_title', lang, title=old.title)}",
        "lead": plan_lead,
        "reporting": {"frequency": old.reporting.frequency, "cutoff": old.reporting.cutoff},
        "objectives": objectives,
        "indicators": _plan_indicators(old, used_indicators),
    }
    assumptions = [t("init.successor_assumption", lang, plan=old.id)]
    if plan_lead != old.lead:
        assumptions.append(t("init.lead_carried", lang, old=old.lead, new=plan_lead))
    settings_text = dump(settings, t("init.settings_copied", lang, plan=old.id)) if settings else None
    folder = "." if same_workspace else f"{PLAN_DIR}/{spec.id}"
    document = plan_document(spec, body, assumptions)
    files = plan_files(folder, document, tasks, settings_text or placeholder_settings(lang))
    living = set(owners.living())
    if not same_workspace:
        # entries as written: an id that is a list or a mapping (an error validate reports) is no owner's
        kept = [entry for entry in owner_entries if isinstance(entry.get("id"), str) and entry["id"] in living]
        owners_text = dump({"owners": kept}, t("init.owners_carried", lang, plan=old.id))
        files = {f"{PLAN_DIR}/owners.yaml": owners_text, **files, **repository_files(lang)}
    completed = len(states) - len(chosen)
    return Carried(files, len(living), len(chosen), completed)
