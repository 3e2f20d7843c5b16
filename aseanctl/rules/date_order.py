"""Dates that bound a span must be in order: a plan's `period.start` not after its
`period.end`, a task's `start` not after its `due`, an owner's `active_from` not after
its `active_until`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..model import Src, Workspace
from ..problems import Problem, Severity

ID = "date-order"
SEVERITY: Severity = "error"


def _order(
    src: Src, first: str, first_date: dt.date | None, second: str, second_date: dt.date | None
) -> Iterator[Problem]:
    if first_date is not None and second_date is not None and first_date > second_date:
        yield src.problem(
            ID,
            SEVERITY,
            "date.order",
            first=first,
            first_date=first_date.isoformat(),
            second=second,
            second_date=second_date.isoformat(),
        )


def check(ws: Workspace) -> Iterator[Problem]:
    for owner in ws.owners:
        yield from _order(
            owner.src.at("active_until"), "active_from", owner.active_from, "active_until", owner.active_until
        )
    for plan in ws.plans:
        yield from _order(plan.src.at("period", "end"), "period.start", plan.start, "period.end", plan.end)
        for task in plan.tasks:
            yield from _order(task.src.at("due"), "start", task.start, "due", task.due)
