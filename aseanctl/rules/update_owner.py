"""A journal update's `by` should be an owner with a part in the task, and one that still
existed on the update's `date`.

A part in the task: the task's lead or a supporting owner, an owner either of them handed
over to (their `successor`, and its successor in turn) or took over from, or the plan's
lead (the agency that compiles the plan's reports may record for any task).  An owner that
no longer existed: one whose `active_until` is before the update's date; its successor
should report (`aseanctl update` gives the task's lead on that day as `by` when none is
given).

A warning, not an error: a department may report for another by agreement, and the
update still counts (a report by a predecessor counts for its successor)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from ..model import Owner, Plan, Workspace
from ..problems import Problem, Severity
from ..progress import predecessors

ID = "update-owner"
SEVERITY: Severity = "warning"


def check(ws: Workspace) -> Iterator[Problem]:
    if "owners" in ws.incomplete or not any(plan.updates for plan in ws.plans):
        return  # owners.yaml did not load (nobody would seem to have a part), or no journal
    owners = ws.owner_map()
    before = predecessors(owners)
    family: dict[str | None, frozenset[str]] = {}

    def kin(owner_id: str | None) -> frozenset[str]:
        """The owner, those it handed over to in turn, and those that handed over to it."""
        found = family.get(owner_id)
        if found is None:
            chain: set[str] = set()
            current = owner_id
            while current is not None and current not in chain:
                chain.add(current)
                owner = owners.get(current)
                current = owner.successor if owner is not None else None
            found = family[owner_id] = frozenset(chain | before.get(owner_id or "", set()))
        return found

    ended = {o.id: o.active_until for o in owners.values() if o.active_until is not None}
    for plan in ws.plans:
        if plan.updates:
            yield from _plan(plan, owners, ended, kin)


def _plan(
    plan: Plan,
    owners: dict[str, Owner],
    ended: dict[str | None, dt.date],
    kin: Callable[[str | None], frozenset[str]],
) -> Iterator[Problem]:
    # tasks that name the same owners share one set
    named: dict[tuple[str | None, tuple[str, ...]], frozenset[str]] = {}
    parties: dict[str, frozenset[str]] = {}
    for task in plan.tasks:
        if task.id is not None:
            key = (task.lead, task.support)
            part = named.get(key)
            if part is None:
                part = named[key] = frozenset().union(*map(kin, (plan.lead, task.lead, *task.support)))
            parties[task.id] = part
    for update in plan.updates:
        by = update.by
        part = parties.get(update.task)  # None: unknown-task says so
        if part is not None and by not in part and by in owners:  # not in owners: unknown-owner says so
            yield update.src.problem(ID, SEVERITY, "journal.by_no_part", by=by, task=update.task)
        until = ended.get(by)
        if until is not None and update.date > until:
            yield update.src.problem(
                ID,
                SEVERITY,
                "journal.by_ended",
                by=by,
                active_until=until.isoformat(),
                date=update.date.isoformat(),
            )
