"""The plan as values: immutable records built by the loader, read by rules and views.

They are NamedTuples rather than frozen dataclasses: a plan of 10,000 tasks builds tens of
thousands of them on every command, and a tuple is cheaper to build and to define than a
frozen dataclass (benchmarks/README.md).

Fields that failed their schema check are ``None`` (or empty), so rules can skip what
the schema already reported.  Every entity keeps ``src``: the file and the path inside
it, from which a problem's line and column are found when it is reported.
"""

from __future__ import annotations

import datetime as dt
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from .problems import Msg, Problem, Severity
from .schema import timestamp_instant


class Src(NamedTuple):
    """Where an entity was written: a file and a path inside it (YAML), or a line (JSON lines).
    A NamedTuple: every task and indicator carries one, built on every command."""

    file: Path
    path: tuple[str | int, ...] = ()
    line: int | None = None

    def at(self, *steps: str | int) -> Src:
        return Src(self.file, (*self.path, *steps), self.line)

    def problem(self, rule: str, severity: Severity, msg_key: str, *, on_key: bool = False, **args: object) -> Problem:
        return Problem(
            rule=rule,
            severity=severity,
            msg=Msg(msg_key, dict(args)),
            file=self.file,
            path=self.path,
            on_key=on_key,
            line=self.line,
        )


class Owner(NamedTuple):
    id: str | None
    name: str | None
    kind: str | None
    src: Src
    name_en: str | None = None
    short: str | None = None
    active_from: dt.date | None = None
    active_until: dt.date | None = None
    successor: str | None = None
    assumptions: tuple[str, ...] = ()


class Document(NamedTuple):
    number: str | None
    date: dt.date | None
    issuer: str | None
    title: str | None = None


class Indicator(NamedTuple):
    id: str | None
    name: str | None
    src: Src
    name_en: str | None = None
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    contributes_to: str | None = None


class Objective(NamedTuple):
    id: str | None
    title: str | None
    ascc: str | None
    src: Src
    title_en: str | None = None
    elements: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()


class Task(NamedTuple):
    """One activity of a task group.  A NamedTuple rather than a frozen dataclass, like
    Update: a plan of 10,000 tasks builds 10,000 of these on every command."""

    id: str | None
    plan_id: str | None
    objective: str | None
    title: str | None
    lead: str | None
    src: Src
    title_en: str | None = None
    support: tuple[str, ...] = ()
    start: dt.date | None = None
    due: dt.date | None = None
    recurring: str | None = None
    output: str | None = None
    indicators: tuple[Indicator, ...] = ()
    elements: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    # the objective was written on the task itself, rather than taken from the file's default
    objective_own: bool = True

    @property
    def objective_src(self) -> Src:
        """Where the task's objective was written: on the task, or as the file's default."""
        return self.src.at("objective") if self.objective_own else Src(self.src.file, ("objective",))


class Update(NamedTuple):
    """One status update from a plan's journal.  Fields the update leaves out carry nothing:
    the task's state keeps what earlier updates said.  A NamedTuple rather than a frozen
    dataclass: a journal holds 100,000 of these, and a tuple is cheaper to build.
    Built from a journal record by :meth:`from_record`, and only there."""

    id: str
    task: str
    date: dt.date
    by: str
    author: str
    recorded: str  # as written, offset and all
    instant: dt.timedelta  # ``recorded`` as time since 1970-01-01 00:00 UTC: what orders updates
    file: Path
    line: int
    status: str | None = None
    progress: float | None = None
    health: str | None = None
    actual: dict[str, float] | None = None
    note: str | None = None
    evidence: str | None = None
    corrects: str | None = None
    withdraws: str | None = None  # a withdrawal: the update it takes back, with a reason
    reason: str | None = None

    @classmethod
    def from_record(
        cls,
        file: Path,
        line: int,
        id: str,
        task: str,
        date: str,
        by: str,
        author: str,
        recorded: str,
        status: str | None = None,
        progress: float | None = None,
        health: str | None = None,
        actual: dict[str, float] | None = None,
        note: str | None = None,
        evidence: str | None = None,
        corrects: str | None = None,
        withdraws: str | None = None,
        reason: str | None = None,
    ) -> Update:
        """The update that a journal record (one the schema, ``schema.UPDATE``, accepts) stands
        for, read from ``line`` of ``file``: ``Update.from_record(file, line, **record)``, or the
        values positionally in :data:`RECORD_FIELDS` order.  The one way journal lines and
        cached entries become updates, so that what is derived from a record (its day, its
        instant) is derived in one place."""
        return cls(
            id,
            task,
            dt.date.fromisoformat(date),
            by,
            author,
            recorded,
            timestamp_instant(recorded),
            file,
            line,
            status,
            progress,
            health,
            actual,
            note,
            evidence,
            corrects,
            withdraws,
            reason,
        )

    @property
    def src(self) -> Src:
        return Src(self.file, (), self.line)

    @property
    def file_name(self) -> str:
        """The journal file's name: journal files count in name order (``UPDATE_ORDER``)."""
        return self.file.name

    def sort_key(self) -> tuple[dt.date, dt.timedelta, str, int]:
        """Where the update stands in :data:`UPDATE_ORDER`."""
        return UPDATE_ORDER(self)


# A journal record's fields in the order Update.from_record takes them after file and line.
RECORD_FIELDS = (
    "id",
    "task",
    "date",
    "by",
    "author",
    "recorded",
    "status",
    "progress",
    "health",
    "actual",
    "note",
    "evidence",
    "corrects",
    "withdraws",
    "reason",
)

# The order in which updates count: by status date; on one day by the moment recorded (an
# instant: offsets aside); recorded in the same instant, in the order written: journal files
# in name order, then line by line.  The keys, most significant first (attribute paths).
UPDATE_KEYS = ("date", "instant", "file_name", "line")
UPDATE_ORDER = attrgetter(*UPDATE_KEYS)


class Reporting(NamedTuple):
    frequency: str = "yearly"
    cutoff: str = "12-31"


class Plan(NamedTuple):
    id: str | None
    title: str | None
    folder: Path
    src: Src
    title_en: str | None = None
    language: str = "vi"
    document: Document | None = None
    implements: tuple[Document, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    lead: str | None = None
    reporting: Reporting = Reporting()
    objectives: tuple[Objective, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    tasks: tuple[Task, ...] = ()
    assumptions: tuple[str, ...] = ()
    updates: tuple[Update, ...] = ()


class Workspace(NamedTuple):
    """Everything under one plan folder, and what kept parts of it from loading."""

    root: Path
    owners: tuple[Owner, ...]
    plans: tuple[Plan, ...]
    files: tuple[Path, ...]
    # kinds of file ("owners", "plan", "tasks") of which at least one did not load:
    # rules that look things up there stay quiet rather than report false unknowns
    incomplete: frozenset[str] = frozenset()

    def owner_map(self) -> dict[str, Owner]:
        return {o.id: o for o in self.owners if o.id is not None}

    def tasks(self) -> list[Task]:
        return [task for plan in self.plans for task in plan.tasks]

    def updates(self) -> list[Update]:
        return [update for plan in self.plans for update in plan.updates]
