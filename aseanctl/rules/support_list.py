"""A task's `support` list names each supporting owner once and does not repeat the
lead: the lead (cơ quan chủ trì) already owns the task, and a repeated name inflates
every "tasks supported" count."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Workspace
from ..problems import Problem, Severity

ID = "support-list"
SEVERITY: Severity = "warning"


def check(ws: Workspace) -> Iterator[Problem]:
    for task in ws.tasks():
        seen: set[str] = set()
        for index, ident in enumerate(task.support):
            src = task.src.at("support", index)
            if ident == task.lead:
                yield src.problem(ID, SEVERITY, "ref.support_is_lead", id=ident)
            elif ident in seen:
                yield src.problem(ID, SEVERITY, "ref.support_repeated", id=ident)
            seen.add(ident)
