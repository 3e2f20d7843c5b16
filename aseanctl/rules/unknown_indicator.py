"""A task indicator's `contributes_to` must name an indicator declared in its plan's
`indicators` list, so that results can be added up toward plan-level targets; and every
indicator a journal update reports a value for (`actual`) must be one of its task's
indicators."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Workspace
from ..problems import Problem, Severity
from ..suggest import did_you_mean

ID = "unknown-indicator"
SEVERITY: Severity = "error"


def check(ws: Workspace) -> Iterator[Problem]:
    for plan in ws.plans:
        if plan.id is None:
            continue
        known = [i.id for i in plan.indicators if i.id is not None]
        for task in plan.tasks:
            for indicator in task.indicators:
                target = indicator.contributes_to
                if target is not None and target not in known:
                    yield indicator.src.at("contributes_to").problem(
                        ID, SEVERITY, "ref.unknown_indicator", id=target, plan=plan.id, hint=did_you_mean(target, known)
                    )
        if "tasks" in ws.incomplete:
            continue
        task_indicators = {t.id: [i.id for i in t.indicators if i.id is not None] for t in plan.tasks}
        for update in plan.updates:
            names = task_indicators.get(update.task)
            if names is None or not update.actual:
                continue  # unknown-task reports an unknown task
            for name in update.actual:
                if name not in names:
                    yield update.src.at("actual", name).problem(
                        ID,
                        SEVERITY,
                        "journal.unknown_actual",
                        task=update.task,
                        id=name,
                        hint=did_you_mean(name, names),
                    )
