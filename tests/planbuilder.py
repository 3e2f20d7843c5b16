"""Plan workspaces for tests, built from typed parts and written as the YAML a clerk writes.

The one builder of the tests' fixture plans: owners, a plan, task files and journal updates
are values here, and ``Workspace.write`` lays them out as a plan folder.  The text is fixed
by rule, so that tests which count lines (the rule table) or compare rendered output with a
golden file see the same bytes every time: keys in the schema's order, two-space indents,
lists of ids and words in flow style (``[so-a, so-b]``), a string quoted (JSON style) only
where plain YAML would read something else, and journal lines as ``aseanctl update``
encodes them.  Tests that mean odd or broken YAML pass raw text instead of using this.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

import yaml

from aseanctl.journal import encode_update

# A value in a plan file: a scalar, a flow list of strings, a nested mapping, or a block
# list of mappings.  None, an empty tuple and an empty list leave the key out.
Value: TypeAlias = "str | int | float | tuple[str, ...] | dict[str, Value] | list[dict[str, Value]] | None"


@dataclass(frozen=True)
class Owner:
    id: str
    name: str
    kind: str = "department"
    name_en: str | None = None
    short: str | None = None
    active_from: str | None = None
    active_until: str | None = None
    successor: str | None = None

    def fields(self) -> dict[str, Value]:
        return {
            "id": self.id,
            "name": self.name,
            "name_en": self.name_en,
            "short": self.short,
            "kind": self.kind,
            "active_from": self.active_from,
            "active_until": self.active_until,
            "successor": self.successor,
        }


@dataclass(frozen=True)
class Document:
    number: str = "1/KH-UBND"
    date: str = "2021-10-19"
    issuer: str = "UBND tỉnh"

    def fields(self) -> dict[str, Value]:
        return {"number": self.number, "date": self.date, "issuer": self.issuer}


@dataclass(frozen=True)
class Indicator:
    """A plan indicator, or a task's (with ``contributes_to``)."""

    id: str
    name: str
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    contributes_to: str | None = None

    def fields(self) -> dict[str, Value]:
        return {
            "id": self.id,
            "name": self.name,
            "unit": self.unit,
            "baseline": self.baseline,
            "target": self.target,
            "contributes_to": self.contributes_to,
        }


@dataclass(frozen=True)
class Objective:
    id: str
    title: str
    ascc: str
    title_en: str | None = None
    elements: tuple[str, ...] = ()

    def fields(self) -> dict[str, Value]:
        return {
            "id": self.id,
            "title": self.title,
            "title_en": self.title_en,
            "ascc": self.ascc,
            "elements": self.elements,
        }


@dataclass(frozen=True)
class Reporting:
    frequency: str = "yearly"
    cutoff: str = "12-14"

    def fields(self) -> dict[str, Value]:
        return {"frequency": self.frequency, "cutoff": self.cutoff}


@dataclass(frozen=True)
class Plan:
    objectives: tuple[Objective, ...]
    id: str = "p1"
    title: str = "Kế hoạch thử"
    title_en: str | None = None
    document: Document = Document()
    implements: tuple[Document, ...] = ()
    start: str = "2021-01-01"
    end: str = "2025-12-31"
    lead: str = "so-a"
    reporting: Reporting | None = None
    indicators: tuple[Indicator, ...] = ()

    def fields(self) -> dict[str, Value]:
        return {
            "id": self.id,
            "title": self.title,
            "title_en": self.title_en,
            "document": self.document.fields(),
            "implements": [d.fields() for d in self.implements],
            "period": {"start": self.start, "end": self.end},
            "lead": self.lead,
            "reporting": self.reporting.fields() if self.reporting else None,
            "objectives": [o.fields() for o in self.objectives],
            "indicators": [i.fields() for i in self.indicators],
        }


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    lead: str
    title_en: str | None = None
    support: tuple[str, ...] = ()
    start: str | None = None
    due: str | None = None
    recurring: str | None = None
    indicators: tuple[Indicator, ...] = ()
    elements: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()

    def fields(self) -> dict[str, Value]:
        return {
            "id": self.id,
            "title": self.title,
            "title_en": self.title_en,
            "lead": self.lead,
            "support": self.support,
            "start": self.start,
            "due": self.due,
            "recurring": self.recurring,
            "indicators": [i.fields() for i in self.indicators],
            "elements": self.elements,
            "assumptions": self.assumptions,
        }


@dataclass(frozen=True)
class TaskFile:
    """One file of tasks/; unnamed files are written as nhom-1.yaml, nhom-2.yaml … in order."""

    objective: str
    tasks: tuple[Task, ...]
    name: str | None = None

    def fields(self) -> dict[str, Value]:
        return {"objective": self.objective, "tasks": [t.fields() for t in self.tasks]}


@dataclass(frozen=True)
class Update:
    """One journal line; it goes into the file of its date's year, as ``aseanctl update`` puts it."""

    id: str
    task: str
    date: str
    by: str
    author: str
    recorded: str
    status: str | None = None
    progress: float | None = None
    health: str | None = None
    actual: Mapping[str, float] | None = None
    note: str | None = None
    evidence: str | None = None
    corrects: str | None = None
    withdraws: str | None = None
    reason: str | None = None

    def record(self) -> dict[str, object]:
        """The update as a journal record (absent fields left out)."""
        record = {
            "id": self.id,
            "task": self.task,
            "date": self.date,
            "status": self.status,
            "progress": self.progress,
            "health": self.health,
            "actual": dict(self.actual) if self.actual is not None else None,
            "note": self.note,
            "evidence": self.evidence,
            "by": self.by,
            "author": self.author,
            "recorded": self.recorded,
            "corrects": self.corrects,
            "withdraws": self.withdraws,
            "reason": self.reason,
        }
        return {key: value for key, value in record.items() if value is not None}

    def line(self) -> str:
        return encode_update(self.record()).decode("utf-8")


@dataclass(frozen=True)
class Workspace:
    """A plan workspace: owners.yaml and one plan folder (named after the plan's id)."""

    owners: tuple[Owner, ...]
    plan: Plan
    task_files: tuple[TaskFile, ...]
    journal: tuple[Update, ...] = ()
    # further files by path relative to the workspace (report settings, narratives …), as written
    extra: Mapping[str, str] = field(default_factory=dict)

    def files(self) -> dict[str, str]:
        """Every file's text by its path relative to the workspace."""
        folder = self.plan.id
        files = {"owners.yaml": owners_yaml(self.owners), f"{folder}/plan.yaml": to_yaml(self.plan.fields())}
        for number, task_file in enumerate(self.task_files, 1):
            files[f"{folder}/tasks/{task_file.name or f'nhom-{number}'}.yaml"] = to_yaml(task_file.fields())
        for update in self.journal:
            name = f"{folder}/journal/{update.date[:4]}.jsonl"
            files[name] = files.get(name, "") + update.line()
        files.update(self.extra)
        return files

    def write(self, root: Path) -> Path:
        return write_files(root, self.files())


def owners_yaml(owners: Sequence[Owner]) -> str:
    return to_yaml({"owners": [o.fields() for o in owners]})


def plan_yaml(plan: Plan) -> str:
    return to_yaml(plan.fields())


def tasks_yaml(task_file: TaskFile) -> str:
    return to_yaml(task_file.fields())


def journal_text(updates: Sequence[Update]) -> str:
    return "".join(u.line() for u in updates)


def write_files(root: Path, files: Mapping[str, str | bytes | Path | None]) -> Path:
    """Write files by relative path under ``root``: text in UTF-8, bytes as they are, ``None``
    left out, a ``Path`` as a symbolic link to it."""
    for name, content in files.items():
        if content is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            path.symlink_to(content)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


# --- the YAML text ----------------------------------------------------------------------


def to_yaml(mapping: dict[str, Value]) -> str:
    return "".join(_mapping_lines(mapping, 0))


def _mapping_lines(mapping: dict[str, Value], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for key, value in mapping.items():
        if value is None or value == () or value == []:
            continue
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:\n")
            lines.extend(_mapping_lines(value, indent + 2))
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:\n")
            for item in value:
                # an item's first key goes on the dash's line, the others under it
                item_lines = _mapping_lines(item, indent + 4)
                item_lines[0] = f"{pad}  - {item_lines[0][indent + 4 :]}"
                lines.extend(item_lines)
        elif isinstance(value, tuple):
            lines.append(f"{pad}{key}: [{', '.join(_scalar(v, flow=True) for v in value)}]\n")
        else:
            lines.append(f"{pad}{key}: {_scalar(value)}\n")
    return lines


def _scalar(value: str | int | float, flow: bool = False) -> str:
    if isinstance(value, bool):
        raise TypeError(f"no booleans in plan files: {value!r}")
    if not isinstance(value, str):
        return repr(value)
    return value if _plain_is_safe(value, flow) else json.dumps(value, ensure_ascii=False)


def _plain_is_safe(text: str, flow: bool) -> bool:
    """Plain ``text`` reads back as itself, and not as a YAML 1.1 number, boolean or null."""
    source = f"k: [{text}]\n" if flow else f"k: {text}\n"
    expected: object = [text] if flow else text
    try:
        if yaml.load(source, Loader=yaml.BaseLoader) != {"k": expected}:
            return False
        typed = yaml.safe_load(source)["k"]
    except yaml.YAMLError:
        return False
    scalar = typed[0] if flow else typed
    # dates stay plain as clerks write them; the plan loader reads them as text
    return isinstance(scalar, (str, dt.date))
