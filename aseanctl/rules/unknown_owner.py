"""Every owner named — a plan's `lead`, a task's `lead` and `support`, an owner's
`successor`, a journal update's `by` — must be an `id` in owners.yaml.  The message suggests the closest id
when there is one."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Src, Workspace
from ..problems import Msg, Problem, Severity
from ..suggest import did_you_mean

ID = "unknown-owner"
SEVERITY: Severity = "error"


def check(ws: Workspace) -> Iterator[Problem]:
    if "owners" in ws.incomplete:
        return  # owners.yaml did not load: every name would look unknown
    known = ws.owner_map()
    ids = list(known)

    def unknown(ident: str | None, src: Src) -> Iterator[Problem]:
        if ident is not None and ident not in known:
            hint: Msg | str = did_you_mean(ident, ids)
            yield src.problem(ID, SEVERITY, "ref.unknown_owner", id=ident, hint=hint)

    for owner in ws.owners:
        yield from unknown(owner.successor, owner.src.at("successor"))
    for plan in ws.plans:
        yield from unknown(plan.lead, plan.src.at("lead"))
        for task in plan.tasks:
            yield from unknown(task.lead, task.src.at("lead"))
            for index, supporter in enumerate(task.support):
                yield from unknown(supporter, task.src.at("support", index))
        for update in plan.updates:
            yield from unknown(update.by, update.src.at("by"))
