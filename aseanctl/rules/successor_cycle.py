"""Following `successor` from owner to owner must end somewhere: an owner cannot succeed
itself, and a chain such as A → B → A is reported once, at the first owner of the loop
in file order."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Workspace
from ..problems import Problem, Severity

ID = "successor-cycle"
SEVERITY: Severity = "error"


def check(ws: Workspace) -> Iterator[Problem]:
    owners = ws.owner_map()
    in_reported_loop: set[str] = set()
    for owner in ws.owners:
        if owner.id is None or owner.successor is None or owner.id in in_reported_loop:
            continue
        if owner.successor == owner.id:
            yield owner.src.at("successor").problem(ID, SEVERITY, "ref.successor_self")
            in_reported_loop.add(owner.id)
            continue
        chain = [owner.id]
        current = owners.get(owner.successor)
        while current is not None and current.id is not None and current.id not in chain:
            chain.append(current.id)
            current = owners.get(current.successor) if current.successor else None
        if current is not None and current.id == owner.id:
            in_reported_loop.update(chain)
            yield owner.src.at("successor").problem(
                ID, SEVERITY, "ref.successor_cycle", chain=" → ".join([*chain, owner.id])
            )
