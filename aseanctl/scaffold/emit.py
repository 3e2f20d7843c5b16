"""Plan data -> YAML text that aseanctl's strict loader reads back as the same data.

A writer of our own rather than PyYAML's: the files ``aseanctl init`` writes are read and
edited by people, so they carry comments (where to fill in, where a value came from), and
every text that plain YAML could read as something else (``no``, ``010``, ``12:30``, a
leading ``*``) is quoted.  Only what the scaffold writes is supported: mappings, lists,
text, numbers, booleans and dates.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf"})


class Note(str):
    """A mapping key that is written as a ``# comment`` line before the keys that follow it
    (its value is ignored)."""


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list, tuple))


def _short_list(items: list[Any] | tuple[Any, ...]) -> bool:
    """A list of scalars short enough to read on one line: ``[A.1, A.2]``."""
    return all(map(_is_scalar, items)) and len(_inline(items)) <= 60


def _lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, Note):
                out.extend(f"{pad}# {part}" if part else f"{pad}#" for part in key.split("\n"))
            elif _is_scalar(item) or (isinstance(item, (list, tuple)) and _short_list(item)):
                out.append(f"{pad}{key}: {_inline(item)}")
            else:
                out.append(f"{pad}{key}:")
                out.extend(_lines(item, indent + 2))
        return out
    for item in value:
        if _is_scalar(item):
            out.append(f"{pad}- {scalar(item)}")
            continue
        nested = _lines(item, indent + 2)
        first = next((n for n, text in enumerate(nested) if not text.lstrip().startswith("#")), None)
        if first is None:
            out.extend(nested)
            continue
        # the item's first key shares the dash's line; comments before it stay above the dash
        out.extend(nested[:first])
        out.append(f"{pad}- {nested[first][indent + 2 :]}")
        out.extend(nested[first + 1 :])
    return out


def _inline(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(item) for item in value) + "]"
    return scalar(value)


def dump(data: dict[str, Any], header: str = "") -> str:
    """The mapping as a YAML document, after ``header`` written as comment lines."""
    lines = [f"# {part}" if part else "#" for part in header.split("\n")] if header else []
    return "\n".join([*lines, *_lines(data, 0)]) + "\n"
