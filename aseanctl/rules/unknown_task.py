"""Every journal update must be about a task of its own plan: its `task` must be the `id`
of a task in that plan's task files."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Workspace
from ..problems import Problem, Severity
from ..suggest import did_you_mean

ID = "unknown-task"
SEVERITY: Severity = "error"


def check(ws: Workspace) -> Iterator[Problem]:
    if "tasks" in ws.incomplete:
        return  # a task file did not load: its tasks would look unknown
    for plan in ws.plans:
        known = {t.id for t in plan.tasks if t.id is not None}
        names = sorted(known)  # once: did_you_mean indexes the list it is given
        for update in plan.updates:
            if update.task not in known:
                yield update.src.problem(
                    ID,
                    SEVERITY,
                    "journal.unknown_task",
                    id=update.task,
                    plan=plan.id or "?",
                    hint=did_you_mean(update.task, names),
                )
