"""Every objective (task group) should have at least one task; an empty group is
usually a task file that is missing, misplaced (see `stray-file`) or points at a
misspelt objective."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Workspace
from ..problems import Problem, Severity

ID = "empty-objective"
SEVERITY: Severity = "warning"


def check(ws: Workspace) -> Iterator[Problem]:
    if "tasks" in ws.incomplete:
        return  # a task file did not load: its group may only look empty
    for plan in ws.plans:
        used = {task.objective for task in plan.tasks}
        for objective in plan.objectives:
            if objective.id is not None and objective.id not in used:
                yield objective.src.at("id").problem(ID, SEVERITY, "ref.empty_objective", id=objective.id)
