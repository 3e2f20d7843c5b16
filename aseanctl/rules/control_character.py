"""Plan text must not hold control characters or invisible direction controls: an escape
(`ESC`, `\x1b`) or a C1 control in a title or a note can clear or retitle the terminal of
whoever prints it, and a bidi override (`U+202E`, and its relatives `U+202A`–`U+202D`,
`U+2066`–`U+2069`, `U+200E`, `U+200F`, `U+061C`) makes a line read differently from what it
says (the "Trojan Source" trick). aseanctl always prints such characters visibly (`\x1b`,
`U+202E`); this warning points at where they were written, in titles, names, notes, evidence
and every other text of owners, plans, tasks and journal updates, so that they can be removed.
Tab and line break are allowed where YAML allows them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from operator import attrgetter
from typing import Any

from ..model import Src, Workspace
from ..problems import Problem, Severity
from ..safetext import UNSAFE, unsafe_chars

ID = "control-character"
SEVERITY: Severity = "warning"


# The free-text fields of each record (ids, dates and words are held to patterns by the schema,
# which refuses any control character in them).
_TEXT_FIELDS = {
    "Owner": ("name", "name_en", "short", "assumptions"),
    "Plan": ("title", "title_en", "assumptions"),
    "Objective": ("title", "title_en", "assumptions"),
    "Indicator": ("name", "name_en", "unit"),
    "Task": ("title", "title_en", "output", "tags", "assumptions"),
    "Update": ("author", "note", "evidence"),
}


def _check(entity: Any, src: Src) -> Iterator[Problem]:
    for field in _TEXT_FIELDS[type(entity).__name__]:
        value = getattr(entity, field)
        if not value:
            continue
        texts = enumerate(value) if isinstance(value, tuple) else ((None, value),)
        for index, text in texts:
            if not isinstance(text, str) or UNSAFE.search(text) is None:
                continue
            # a journal line's problem is on the line, not at a YAML path
            where = src if src.line is not None else src.at(field) if index is None else src.at(field, index)
            shown = field if index is None else f"{field}[{index}]"
            yield where.problem(ID, SEVERITY, "text.control", field=shown, chars=" ".join(unsafe_chars(text)[:5]))


def _documents(plan: Any) -> Iterator[Problem]:
    documents: list[tuple[tuple[str | int, ...], Any]] = [(("document",), plan.document)] if plan.document else []
    documents += [(("implements", i), d) for i, d in enumerate(plan.implements)]
    for where, document in documents:
        for field in ("number", "issuer", "title"):
            text = getattr(document, field)
            if isinstance(text, str) and UNSAFE.search(text):
                yield plan.src.at(*where, field).problem(
                    ID, SEVERITY, "text.control", field=field, chars=" ".join(unsafe_chars(text)[:5])
                )


_LIST_FIELDS = frozenset(("assumptions", "tags"))


def _any_unsafe(entities: Sequence[Any]) -> bool:
    """Whether any text field of ``entities`` holds such a character: one pass in C over all of
    them, so that a clean journal of 100,000 updates costs one scan, not a search per field."""
    if not entities:
        return False
    columns: list[Iterable[Any]] = []
    for field in _TEXT_FIELDS[type(entities[0]).__name__]:
        values = filter(None, map(attrgetter(field), entities))
        columns.append(chain.from_iterable(values) if field in _LIST_FIELDS else values)
    try:
        joined = " ".join(chain.from_iterable(columns))
    except TypeError:  # a value the schema refused and the model kept: look field by field
        return True
    # str.isprintable is a C loop that refuses every control and format character (and a few
    # harmless ones, such as a no-break space, which only send us to the exact search)
    return not joined.isprintable() and UNSAFE.search(joined) is not None


def check(ws: Workspace) -> Iterator[Problem]:
    for owner in ws.owners:
        yield from _check(owner, owner.src)
    for plan in ws.plans:
        yield from _check(plan, plan.src)
        yield from _documents(plan)
        for objective in plan.objectives:
            yield from _check(objective, objective.src)
        for indicator in plan.indicators:
            yield from _check(indicator, indicator.src)
        task_indicators = [indicator for task in plan.tasks for indicator in task.indicators]
        if _any_unsafe(plan.tasks) or _any_unsafe(task_indicators):
            for task in plan.tasks:
                yield from _check(task, task.src)
                for indicator in task.indicators:
                    yield from _check(indicator, indicator.src)
        if _any_unsafe(plan.updates):
            for update in plan.updates:
                yield from _check(update, update.src)
