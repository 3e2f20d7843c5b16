"""Plan text must not hold control characters or invisible direction controls: an escape
(`ESC`, `\x1b`) or a C1 control in a title or a note can clear or retitle the terminal of
whoever prints it, and a bidi override (`U+202E`, and its relatives `U+202A`–`U+202D`,
`U+2066`–`U+2069`, `U+200E`, `U+200F`, `U+061C`) makes a line read differently from what it
says (the "Trojan Source" trick). aseanctl always prints such characters visibly (`\x1b`,
`U+202E`); this warning points at where they were written, in titles, names, notes, evidence
and every other text of owners, plans, tasks and journal updates, so that they can be removed.
Tab and line break are allowed where YAML allows them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Src, Workspace
from ..problems import Problem, Severity
from ..safetext import UNSAFE, unsafe_chars

ID = "control-character"
SEVERITY: Severity = "warning"


def _texts(entity: Any) -> Iterator[tuple[str, str]]:
    """(field, text) for each text field of a model record, and each text of a text tuple."""
    for field, value in zip(entity._fields, entity, strict=True):
        if isinstance(value, str):
            yield field, value
        elif isinstance(value, tuple) and value and isinstance(value[0], str):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    yield f"{field}[{index}]", item


def _check(entity: Any, src: Src) -> Iterator[Problem]:
    for field, text in _texts(entity):
        if UNSAFE.search(text):
            name, _, index = field.partition("[")
            where = src.at(name, int(index[:-1])) if index else src.at(name)
            if src.line is not None:  # a journal line: the problem is on the line, not a YAML path
                where = src
            yield where.problem(ID, SEVERITY, "text.control", field=field, chars=" ".join(unsafe_chars(text)[:5]))


def check(ws: Workspace) -> Iterator[Problem]:
    for owner in ws.owners:
        yield from _check(owner, owner.src)
    for plan in ws.plans:
        yield from _check(plan, plan.src)
        for objective in plan.objectives:
            yield from _check(objective, objective.src)
        for indicator in plan.indicators:
            yield from _check(indicator, indicator.src)
        for task in plan.tasks:
            yield from _check(task, task.src)
            for indicator in task.indicators:
                yield from _check(indicator, indicator.src)
        for update in plan.updates:
            yield from _check(update, update.src)
