"""Every task belongs to an objective (task group) of its own plan: the task's
`objective`, or the `objective` at the top of its file, must be an objective `id` in
that plan's plan.yaml."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Workspace
from ..problems import Problem, Severity
from ..suggest import did_you_mean

ID = "unknown-objective"
SEVERITY: Severity = "error"


def check(ws: Workspace) -> Iterator[Problem]:
    for plan in ws.plans:
        if plan.id is None:
            continue  # plan.yaml did not load
        known = [o.id for o in plan.objectives if o.id is not None]
        reported: set[object] = set()
        for task in plan.tasks:
            src = task.objective_src
            if task.objective is None:
                if "objective" not in src.path and src not in reported:
                    reported.add(src)
                continue
            if task.objective not in known:
                if src.path == ("objective",) and src in reported:
                    continue  # the file-level default: one report, not one per task
                reported.add(src)
                yield src.problem(
                    ID,
                    SEVERITY,
                    "ref.unknown_objective",
                    id=task.objective,
                    plan=plan.id,
                    hint=did_you_mean(task.objective, known),
                )
