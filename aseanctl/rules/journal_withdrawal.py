"""A withdrawal (`withdraws: ID`, written by `aseanctl update TASK --withdraws ID --reason
TEXT`) must take back an update that exists in the same plan's journal, is about the same
task and is not itself a withdrawal (nor the withdrawal line itself), and must say why
(`reason`); an update is withdrawn once.  Such lines come from hand edits, or from merging
two branches that each withdrew the same update.

A withdrawal says nothing else: a status, figure, note or `corrects` written on the same
line would not count, and is reported.  A withdrawal is never corrected either (a
`corrects` naming one is reported): to undo a withdrawal, record the update again.
Withdrawing a correction is allowed: the corrected update counts again as it was."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Update, Workspace
from ..problems import Problem, Severity

ID = "journal-withdrawal"
SEVERITY: Severity = "error"

# what a withdrawal line may not say beside the update it takes back
_SAID = ("status", "progress", "health", "actual", "note", "evidence", "corrects")


def check(ws: Workspace) -> Iterator[Problem]:
    for plan in ws.plans:
        withdrawals = [u for u in plan.updates if u.withdraws is not None]
        if not withdrawals:
            continue  # nothing to check, and no withdrawal for a correction to name
        by_id: dict[str, Update] = {}
        for update in plan.updates:
            by_id.setdefault(update.id, update)
        withdrawn_by: dict[str, str] = {}
        for update in sorted(withdrawals, key=Update.sort_key):
            yield from _one(update, by_id, withdrawn_by)
        for update in plan.updates:
            target = by_id.get(update.corrects) if update.corrects is not None else None
            if target is not None and target.withdraws is not None:
                yield update.src.problem(ID, SEVERITY, "journal.corrects_withdrawal", id=target.id)


def _one(update: Update, by_id: dict[str, Update], withdrawn_by: dict[str, str]) -> Iterator[Problem]:
    target = str(update.withdraws)
    if update.reason is None:
        yield update.src.problem(ID, SEVERITY, "journal.withdrawal_no_reason", id=target)
    for name in _SAID:
        if getattr(update, name) is not None:
            yield update.src.problem(ID, SEVERITY, "journal.withdrawal_says_more", field=name)
    withdrawn = by_id.get(target)
    if target == update.id:
        yield update.src.problem(ID, SEVERITY, "journal.withdraws_self")
    elif withdrawn is None:
        yield update.src.problem(ID, SEVERITY, "journal.withdraws_unknown", id=target)
    elif withdrawn.task != update.task:
        yield update.src.problem(
            ID, SEVERITY, "journal.corrects_other_task", id=target, other=withdrawn.task, task=update.task
        )
    elif withdrawn.withdraws is not None:
        yield update.src.problem(ID, SEVERITY, "journal.withdraws_withdrawal", id=target)
    elif target in withdrawn_by:
        yield update.src.problem(ID, SEVERITY, "journal.withdrawn_twice", id=target, first=withdrawn_by[target])
    else:
        withdrawn_by[target] = update.id
