"""The schema's check, column by column, for data that is expected to be clean.

``schema.check_value`` walks a value field by field and builds a cleaned copy and a
located problem for everything off: the reference, and what a file is checked with.  Data
that comes from the parse cache was clean when it was written, so the only question is
whether it still is (an entry is plain data anyone who can write the cache folder can
forge).  :func:`clean` answers it for a whole list of records at once: one column per
field, each checked with C-speed ``map``/``all``/sets, which costs a small fraction of
the walk.

It is a sound subset of ``check_value``: whatever it accepts, ``check_value`` accepts
without a problem and cleans to the same value; what it cannot decide quickly (a spec it
does not know, an odd type) it refuses, and the caller then falls back to the reference.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from itertools import chain, repeat
from operator import ge, le
from typing import Any

from . import schema

_ID = schema.ID_PATTERN.removeprefix("^").removesuffix("$")
_IDS = re.compile(f"{_ID}(?:\n{_ID})*")  # a column of ids joined by line breaks, checked in one match
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def clean(spec: schema.Record, value: Any) -> Any:
    """``value`` as ``check_value(spec, value)`` would return it, when that finds no problem
    at all; None otherwise, or when unsure.  Dates are replaced by ``date`` objects in
    place: ``value`` must be the caller's own (just read from the cache)."""
    try:
        return value if _column(spec, [value]) else None
    except (TypeError, ValueError, OverflowError):  # text that is not text, a date past 9999
        return None


def _column(spec: schema.Spec, values: list[Any]) -> bool:
    # exact types: a subclass of a spec may check more than its base
    if type(spec) is schema.Record:
        return _records(spec, values)
    if type(spec) is schema.ListOf:
        return set(map(type, values)) <= {list} and _column(spec.item, list(chain.from_iterable(values)))
    if type(spec) is schema.Id:
        return _ids(values)
    if type(spec) is schema.Text:
        return (
            set(map(type, values)) <= {str}
            and all(values)
            and not any(map(str.isspace, values))  # blank: what str.strip() leaves empty
            and max(map(len, values), default=0) <= spec.max_length
            and (all(map(str.isprintable, values)) or not any(map(schema.FORBIDDEN_RE.search, values)))
        )
    if type(spec) is schema.Enum:
        return set(map(type, values)) <= {str} and set(values) <= set(spec.values)
    if type(spec) is schema.Number:
        return (
            set(map(type, values)) <= {int, float}
            and all(map(le, repeat(spec.low), values))
            and all(map(ge, repeat(spec.high), values))
        )
    return False  # a kind of value the plan's task files do not hold: the reference decides


def _records(spec: schema.Record, records: list[Any]) -> bool:
    if not set(map(type, records)) <= {dict}:
        return False
    # records written alike (the same keys in the same order) are checked as one block, and
    # the block's values transposed into columns in one C-level pass
    layouts: defaultdict[tuple[Any, ...], list[dict[Any, Any]]] = defaultdict(list)
    for record in records:
        layouts[tuple(record)].append(record)
    fields = {f.name: f.spec for f in spec.fields}
    required = {f.name for f in spec.fields if f.required}
    columns: dict[str, list[Any]] = {}
    for keys, block in layouts.items():
        present = set(keys)
        if not (required <= present <= fields.keys()) or not all(present.intersection(g) for g in spec.one_of):
            return False
        for name, column in zip(keys, zip(*map(dict.values, block), strict=True), strict=True):
            if type(fields[name]) is schema.Date:
                days = _days(column)
                if days is None:
                    return False
                for record, text in zip(block, column, strict=True):
                    record[name] = days[text]  # by the text read first: one dict may stand in a list twice
            else:
                columns.setdefault(name, []).extend(column)
    return all(_column(fields[name], column) for name, column in columns.items())


def _ids(values: list[Any]) -> bool:
    if not values:
        return True
    joined = "\n".join(values)  # TypeError for what is not text
    # as many line breaks as joints: none of them inside a value ("a\nb" is no two ids)
    return joined.count("\n") == len(values) - 1 and _IDS.fullmatch(joined) is not None


def _days(texts: tuple[Any, ...]) -> dict[str, dt.date] | None:
    """Each distinct day's text checked once, and the days it names; None if one is off."""
    if not set(map(type, texts)) <= {str}:
        return None
    days: dict[str, dt.date] = {}
    for text in set(texts):
        if not _DATE.fullmatch(text):
            return None
        day = days[text] = dt.date.fromisoformat(text)  # ValueError for 2024-02-30
        if not schema.in_range(day):
            return None
    return days
