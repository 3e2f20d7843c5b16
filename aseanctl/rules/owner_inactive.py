"""An owner named on a task (lead or supporting) must exist for the task's whole window
(its `start`, or the plan's start, to its `due`, or the plan's end), or hand over to a
`successor` that carries the work on.  Reported when the owner is created after the task
starts, when it ends with no successor before the task does, and when a successor
starts only some days after its predecessor ends (a gap in the hand-over; a successor
that already existed, as Sở Nội vụ did before taking over Sở LĐTBXH's work, is fine).
A warning: the plan may simply predate a reorganisation, as KH 702 predates 2025."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..model import Owner, Src, Task, Workspace
from ..problems import Problem, Severity

ID = "owner-inactive"
SEVERITY: Severity = "warning"


def _window(task: Task, plan_start: dt.date | None, plan_end: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    return task.start or plan_start, task.due or plan_end


def _covers(
    owner: Owner, owners: dict[str, Owner], start: dt.date | None, end: dt.date | None, src: Src
) -> Iterator[Problem]:
    if start is not None and owner.active_from is not None and owner.active_from > start:
        yield src.problem(
            ID,
            SEVERITY,
            "owner.not_yet",
            id=owner.id,
            active_from=owner.active_from.isoformat(),
            start=start.isoformat(),
        )
    current, seen = owner, {owner.id}
    while end is not None and current.active_until is not None and current.active_until < end:
        successor = owners.get(current.successor) if current.successor else None
        if successor is None or successor.id in seen:
            # no successor, an unknown one (unknown-owner says so) or a loop (successor-cycle says so)
            if current.successor is None:
                yield src.problem(
                    ID,
                    SEVERITY,
                    "owner.ended",
                    id=current.id,
                    active_until=current.active_until.isoformat(),
                    end=end.isoformat(),
                )
            return
        seen.add(successor.id)
        return_day = current.active_until + dt.timedelta(days=1)
        if successor.active_from is not None and successor.active_from > return_day:
            yield src.problem(
                ID,
                SEVERITY,
                "owner.gap",
                id=current.id,
                successor=successor.id,
                active_from=successor.active_from.isoformat(),
                active_until=current.active_until.isoformat(),
            )
        current = successor


def check(ws: Workspace) -> Iterator[Problem]:
    owners = ws.owner_map()
    for plan in ws.plans:
        for task in plan.tasks:
            start, end = _window(task, plan.start, plan.end)
            if start is not None and end is not None and start > end:
                continue  # date-order reports it
            named = [("lead", task.lead, task.src.at("lead"))] + [
                ("support", ident, task.src.at("support", i)) for i, ident in enumerate(task.support)
            ]
            for _, ident, src in named:
                owner = owners.get(ident) if ident else None
                if owner is not None:
                    yield from _covers(owner, owners, start, end, src)
