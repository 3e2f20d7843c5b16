"""Identifiers must be unique: owners, tasks and journal updates across the whole
workspace (so `aseanctl update N1.1` names one task, whichever plan it is in), plans
across the workspace, and objectives and indicators within their plan (task indicators
within their task).  The
second use is reported, naming where the first one is."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..model import Src, Workspace
from ..problems import Msg, Problem, Severity, format_path

ID = "duplicate-id"
SEVERITY: Severity = "error"


def _duplicates(kind: str, entities: Iterable[Any], root: Path) -> Iterator[Problem]:
    listed = list(entities)
    ids = [e.id for e in listed if e.id is not None]
    if len(set(ids)) == len(ids):  # the usual case: no record's place is worked out at all
        return
    seen: dict[str, Src] = {}
    for entity in listed:
        ident, src = entity.id, entity.src
        if ident is None:
            continue
        if ident in seen:
            first = seen[ident]
            try:
                where = first.file.relative_to(root).as_posix()
            except ValueError:
                where = first.file.as_posix()
            if first.line is not None:
                where += f":{first.line}"
            elif first.path:
                where += f" ({format_path(first.path)})"
            yield src.at("id").problem(
                ID, SEVERITY, "ref.duplicate_id", kind=Msg(f"kind.{kind}"), id=ident, first=where
            )
        else:
            seen[ident] = src


def check(ws: Workspace) -> Iterator[Problem]:
    yield from _duplicates("owner", ws.owners, ws.root)
    yield from _duplicates("plan", ws.plans, ws.root)
    yield from _duplicates("task", ws.tasks(), ws.root)
    yield from _duplicates("update", ws.updates(), ws.root)
    for plan in ws.plans:
        yield from _duplicates("objective", plan.objectives, ws.root)
        yield from _duplicates("indicator", plan.indicators, ws.root)
        for task in plan.tasks:
            if len(task.indicators) > 1:
                yield from _duplicates("indicator", task.indicators, ws.root)
