"""An update that says a task is `completed` should not report progress under 100 %:
one of the two figures is wrong.  (Completed with no progress figure counts as 100 %.)"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Workspace
from ..problems import Problem, Severity

ID = "completed-incomplete"
SEVERITY: Severity = "warning"


def check(ws: Workspace) -> Iterator[Problem]:
    for update in ws.updates():
        if update.status == "completed" and update.progress is not None and update.progress < 100:
            yield update.src.problem(ID, SEVERITY, "journal.completed_incomplete", progress=update.progress)
