"""A task's progress should not go down over time: read in date order (corrections
applied), an update reporting less progress than the one before is a warning.  It is
sometimes right (a target was raised, an earlier report was optimistic); a correction
(`aseanctl update --corrects ID`) is the way to fix a wrong figure, and a withdrawal the way
to take back an update that should not have been made.  Neither is a step backwards: a
figure a correction lowers was never reached, and a withdrawn update no longer counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise

from ..model import Update, Workspace
from ..problems import Problem, Severity
from ..progress import effective_updates

ID = "progress-backwards"
SEVERITY: Severity = "warning"


def check(ws: Workspace) -> Iterator[Problem]:
    for plan in ws.plans:
        by_task: dict[str, list[Update]] = defaultdict(list)
        for update in effective_updates(plan.updates):
            if update.progress is not None:
                by_task[update.task].append(update)
        for updates in by_task.values():
            for before, after in pairwise(updates):
                if after.corrects is not None:
                    continue  # a correction says what the figure was: it was never higher
                if after.progress is not None and before.progress is not None and after.progress < before.progress:
                    yield after.src.problem(
                        ID,
                        SEVERITY,
                        "journal.progress_backwards",
                        before=before.progress,
                        after=after.progress,
                        before_date=before.date.isoformat(),
                    )
