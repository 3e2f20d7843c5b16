"""Problems are values: what is wrong, where, how bad, and which rule says so.

NamedTuples, like the model: every command imports this module, and a frozen dataclass
costs more to define at every start."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning"]


_NO_ARGS: Mapping[str, Any] = MappingProxyType({})


class Msg(NamedTuple):
    """A message to a person: a catalogue key and its arguments, rendered in their language."""

    key: str
    args: Mapping[str, Any] = _NO_ARGS


class Problem(NamedTuple):
    """One finding.  ``path`` names the value inside the file (``("tasks", 3, "lead")``);
    ``line``/``column`` are 1-based and filled in from the path when the file is located."""

    rule: str
    severity: Severity
    msg: Msg
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    path: tuple[str | int, ...] = ()
    on_key: bool = False

    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.file or ""), self.line or 0, self.column or 0, self.rule)


def format_path(path: tuple[str | int, ...]) -> str:
    """``("tasks", 3, "lead")`` -> ``tasks[3].lead``."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else step
    return out
