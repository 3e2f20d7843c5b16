"""ASCC Blueprint 2025 codes must be real and consistent: an objective's `ascc` is a
characteristic `A`–`E`; `elements` (on objectives and tasks) are elements of the
Blueprint (`A.1`–`A.2`, `B.1`–`B.3`, `C.1`–`C.4`, `D.1`–`D.5`, `E.1`–`E.3`) and belong to
the characteristic of the objective they serve — a task of a "B. Inclusive" group
cannot claim `C.3`.  Unknown codes are caught by the schema; this rule checks that the
codes agree."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Src, Workspace
from ..problems import Problem, Severity

ID = "ascc-code"
SEVERITY: Severity = "error"


def _agree(elements: tuple[str, ...], characteristic: str, objective: str, src: Src) -> Iterator[Problem]:
    for index, code in enumerate(elements):
        if not code.startswith(characteristic + "."):
            yield src.at("elements", index).problem(
                ID, SEVERITY, "ascc.wrong_characteristic", code=code, characteristic=characteristic, objective=objective
            )


def check(ws: Workspace) -> Iterator[Problem]:
    for plan in ws.plans:
        objectives = {o.id: o for o in plan.objectives if o.id is not None}
        for objective in plan.objectives:
            if objective.ascc is not None and objective.id is not None:
                yield from _agree(objective.elements, objective.ascc, objective.id, objective.src)
        for task in plan.tasks:
            group = objectives.get(task.objective) if task.objective else None
            if group is not None and group.ascc is not None and group.id is not None:
                yield from _agree(task.elements, group.ascc, group.id, task.src)
