"""The ASCC frameworks a plan can follow, as data: one YAML file per framework in this folder.

A file names the framework, its period, the national programme that carries it out in
Vietnam, its successor, and its code list (characteristics, each with its elements).  A
framework whose codes are not sourced yet borrows another's (``codes_from``) and says so.
Adding a framework is adding a file: nothing here names one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import AseanctlError

FOLDER = Path(__file__).resolve().parent


class Characteristic(NamedTuple):
    code: str
    name: str
    elements: tuple[tuple[str, str], ...]  # (code, name)


class Framework(NamedTuple):
    id: str
    name: str
    start: dt.date | None
    end: dt.date | None
    programme: dict[str, str]  # number, date, issuer, and title when sourced
    successor: str | None
    characteristics: tuple[Characteristic, ...]  # its own codes: empty until sourced
    codes_from: str | None


def framework_ids() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in FOLDER.glob("*.yaml")))


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value is not None else None
    except ValueError:
        return None


def load_framework(framework_id: str) -> Framework:
    """One framework by id; an unknown id, or a file that does not read, is an AseanctlError."""
    from ..yamlio import load_yaml

    if framework_id not in framework_ids():
        raise AseanctlError("init.unknown_framework", name=framework_id, known=", ".join(framework_ids()))
    loaded = load_yaml(FOLDER / f"{framework_id}.yaml")
    data = loaded.data
    if loaded.problems or not isinstance(data, dict):
        raise AseanctlError("init.bad_framework", name=framework_id)
    period = data.get("period") or {}
    characteristics = tuple(
        Characteristic(
            str(item["code"]),
            str(item.get("name", "")),
            tuple((str(e["code"]), str(e.get("name", ""))) for e in item.get("elements") or ()),
        )
        for item in data.get("characteristics") or ()
    )
    return Framework(
        id=framework_id,
        name=str(data.get("name", framework_id)),
        start=_day(period.get("start")),
        end=_day(period.get("end")),
        programme={str(k): str(v) for k, v in (data.get("programme") or {}).items()},
        successor=data.get("successor"),
        characteristics=characteristics,
        codes_from=data.get("codes_from"),
    )


def codes(framework: Framework) -> tuple[Framework, tuple[Characteristic, ...]]:
    """The framework whose codes a plan following ``framework`` writes, and those codes."""
    seen = {framework.id}
    current = framework
    while not current.characteristics and current.codes_from and current.codes_from not in seen:
        seen.add(current.codes_from)
        current = load_framework(current.codes_from)
    return current, current.characteristics


def framework_of(implements_numbers: list[str]) -> Framework | None:
    """The framework whose national programme a plan implements (by document number), if any."""
    for framework_id in framework_ids():
        framework = load_framework(framework_id)
        if framework.programme.get("number") in implements_numbers:
            return framework
    return None


def current_framework() -> Framework:
    """The newest framework, the default for a new plan: the end of the chain of successors
    (the latest to start, should two chains end)."""
    frameworks = {fid: load_framework(fid) for fid in framework_ids()}
    latest = [f for f in frameworks.values() if not f.successor or f.successor not in frameworks]
    return max(latest, key=lambda f: f.start or dt.date.min)
