"""A correction (`corrects: ID`) must point at an update that exists in the same plan's
journal and is about the same task, not at itself; and an update is corrected at most
once — to correct a correction, correct the correction."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Update, Workspace
from ..problems import Problem, Severity

ID = "journal-correction"
SEVERITY: Severity = "error"


def check(ws: Workspace) -> Iterator[Problem]:
    for plan in ws.plans:
        by_id: dict[str, Update] = {}
        for update in plan.updates:
            by_id.setdefault(update.id, update)
        corrected_by: dict[str, str] = {}
        for update in sorted(plan.updates, key=Update.sort_key):
            target = update.corrects
            if target is None:
                continue
            if target == update.id:
                yield update.src.problem(ID, SEVERITY, "journal.corrects_self")
            elif target not in by_id:
                yield update.src.problem(ID, SEVERITY, "journal.corrects_unknown", id=target)
            elif by_id[target].task != update.task:
                yield update.src.problem(
                    ID, SEVERITY, "journal.corrects_other_task", id=target, other=by_id[target].task, task=update.task
                )
            elif target in corrected_by:
                yield update.src.problem(ID, SEVERITY, "journal.corrected_twice", id=target, first=corrected_by[target])
            else:
                corrected_by[target] = update.id
