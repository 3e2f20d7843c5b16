"""A task's `start` and `due` must fall inside its plan's period (`period.start` to
`period.end`, both days included): work dated outside the plan belongs to another plan."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Workspace
from ..problems import Problem, Severity

ID = "date-outside-period"
SEVERITY: Severity = "error"


def check(ws: Workspace) -> Iterator[Problem]:
    for plan in ws.plans:
        if plan.start is None or plan.end is None or plan.start > plan.end:
            continue
        for task in plan.tasks:
            for name, day in (("start", task.start), ("due", task.due)):
                if day is not None and not plan.start <= day <= plan.end:
                    yield task.src.at(name).problem(
                        ID,
                        SEVERITY,
                        "date.outside_period",
                        field=name,
                        date=day.isoformat(),
                        start=plan.start.isoformat(),
                        end=plan.end.isoformat(),
                    )
