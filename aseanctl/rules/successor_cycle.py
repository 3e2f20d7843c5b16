"""Following `successor` from owner to owner must end somewhere: an owner cannot succeed
itself, and a chain such as A → B → A is reported once, at the first owner of the loop
in file order."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Owner, Workspace
from ..problems import Problem, Severity

ID = "successor-cycle"
SEVERITY: Severity = "error"


def check(ws: Workspace) -> Iterator[Problem]:
    owners = ws.owner_map()
    looping = _on_loops(owners)
    in_reported_loop: set[str] = set()
    for owner in ws.owners:
        if owner.id is None or owner.successor is None or owner.id in in_reported_loop:
            continue
        if owner.successor == owner.id:
            yield owner.src.at("successor").problem(ID, SEVERITY, "ref.successor_self")
            in_reported_loop.add(owner.id)
            continue
        if owners.get(owner.id) is owner and owner.id not in looping:
            continue  # its chain ends (the usual case, known without walking it again)
        chain = [owner.id]
        on_chain = {owner.id}
        current = owners.get(owner.successor)
        while current is not None and current.id is not None and current.id not in on_chain:
            chain.append(current.id)
            on_chain.add(current.id)
            current = owners.get(current.successor) if current.successor else None
        if current is not None and current.id == owner.id:
            in_reported_loop.update(chain)
            yield owner.src.at("successor").problem(
                ID, SEVERITY, "ref.successor_cycle", chain=" → ".join([*chain, owner.id])
            )


def _on_loops(owners: dict[str, Owner]) -> set[str]:
    """The ids on a loop of successors, each owner visited once: a chain of thousands of
    hand-overs costs its length, not its length squared."""
    looping: set[str] = set()
    finished: set[str] = set()
    for start in owners:
        if start in finished:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        current: str | None = start
        while current is not None and current in owners and current not in finished and current not in on_path:
            path.append(current)
            on_path.add(current)
            current = owners[current].successor
        if current is not None and current in on_path:
            looping.update(path[path.index(current) :])
        finished.update(path)
    return looping
