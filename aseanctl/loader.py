"""Plan files -> Workspace.  The only module that reads plan files.

Layout (docs/plan-format.md): a workspace folder holds ``owners.yaml`` and one folder
per plan with ``plan.yaml`` and ``tasks/*.yaml``.  Loading never raises for anything a
file contains: what cannot be read becomes a problem, and the rest still loads.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import cache, schema
from .errors import UsageError
from .journal import JOURNAL_DIR, JOURNAL_SUFFIX, journal_files, load_journal
from .model import Document, Indicator, Objective, Owner, Plan, Reporting, Src, Task, Workspace
from .problems import Msg, Problem
from .yamlio import MAX_FILE_BYTES, Loaded, YamlFailure, load_yaml, read_bytes, read_text

OWNERS_FILE = "owners.yaml"
PLAN_FILE = "plan.yaml"
TASKS_DIR = "tasks"
YAML_SUFFIXES = (".yaml", ".yml")
# folders inside a plan folder that other parts of aseanctl own (journal, report inputs)
RESERVED_DIRS = frozenset({"journal", "reports"})
REPORTS_DIR = "reports"
REPORT_SETTINGS_FILE = "settings.yaml"


def _is_workspace(folder: Path) -> bool:
    try:
        return (folder / OWNERS_FILE).is_file() or any(
            (child / PLAN_FILE).is_file() for child in folder.iterdir() if child.is_dir()
        )
    except OSError:
        return False


def find_workspace(start: Path) -> Path | None:
    """The workspace that ``start`` lies in or points at, walking up; None when there is none.

    A folder is a workspace when it holds owners.yaml or a plan folder; a folder holding
    ``plan/`` that is one counts too (a repository root), and so does the parent of a
    plan folder.
    """
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / PLAN_FILE).is_file() and not (folder / OWNERS_FILE).is_file():
            return folder.parent
        if _is_workspace(folder):
            return folder
        if _is_workspace(folder / "plan"):
            return folder / "plan"
    return None


def resolve_workspace(explicit: str | None, cwd: Path | None = None) -> Path:
    """--plan DIR, then ASEANCTL_PLAN, then the current folder walking up; UsageError if none."""
    cwd = cwd or Path.cwd()
    given = explicit or os.environ.get("ASEANCTL_PLAN") or None
    start = Path(given) if given else cwd
    if given and not start.exists():
        raise UsageError("cli.path_missing", path=given)
    root = find_workspace(start)
    if root is None:
        raise UsageError("cli.no_plan", start=str(given or cwd))
    return root


@dataclass
class _FileSet:
    owners: Path | None = None
    plans: list[tuple[Path, Path, list[Path]]] = field(default_factory=list)  # (folder, plan.yaml, task files)
    stray: list[tuple[Path, str]] = field(default_factory=list)


def _files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    except OSError:
        return []


def _yaml_files(folder: Path) -> list[Path]:
    return [p for p in _files(folder) if p.suffix in YAML_SUFFIXES]


def _yaml_like(path: Path) -> bool:
    """``nhom-1.yaml.bak``, ``plan.yml.orig``: a YAML file someone set aside, or misnamed."""
    return any(suffix in YAML_SUFFIXES for suffix in path.suffixes)


def _discover(root: Path) -> _FileSet:
    found = _FileSet()
    owners = root / OWNERS_FILE
    found.owners = owners if owners.is_file() else None
    for path in _files(root):
        if path.name != OWNERS_FILE and _yaml_like(path):
            found.stray.append((path, "owners.yaml, <plan>/plan.yaml, <plan>/tasks/*.yaml"))
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        plan_file = folder / PLAN_FILE
        tasks_dir = folder / TASKS_DIR
        tasks = _yaml_files(tasks_dir)
        if not plan_file.is_file():
            for stray in [*filter(_yaml_like, _files(folder)), *tasks]:
                found.stray.append((stray, f"{folder.name}/plan.yaml"))
            continue
        found.plans.append((folder, plan_file, tasks))
        for path in _files(folder):
            if path.name != PLAN_FILE and _yaml_like(path):
                found.stray.append((path, "plan.yaml, tasks/*.yaml"))
        for path in _files(tasks_dir):
            if path.suffix not in YAML_SUFFIXES:  # only task files belong in tasks/
                found.stray.append((path, "tasks/*.yaml"))
        for path in _files(folder / JOURNAL_DIR):
            if path.suffix != JOURNAL_SUFFIX:
                found.stray.append((path, "journal/<year>.jsonl"))
        for child in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if child.name != TASKS_DIR and child.name not in RESERVED_DIRS:
                for stray in filter(_yaml_like, _files(child)):
                    found.stray.append((stray, "tasks/*.yaml"))
    return found


# the list that holds a file's entities: when it fails its shape, nothing in the file is known
_MAIN_LIST = {"owners": "owners", "plan": "objectives", "tasks": "tasks"}


class WorkspaceLoad:
    """The result of loading: the model, the problems so far, and each file's text for locating them."""

    def __init__(
        self,
        workspace: Workspace,
        problems: list[Problem],
        texts: dict[Path, str | None],
        reports: dict[Path, dict[str, Any]] | None = None,
    ) -> None:
        self.workspace = workspace
        self.problems = problems
        self.texts = texts
        self.reports = reports or {}  # reports/*.yaml of every plan, checked and cleaned
        self._lines: dict[Path, list[str]] = {}

    def text(self, file: Path) -> str | None:
        """A file's text, as the loader read it; read now if it came from the cache."""
        if file in self.texts and self.texts[file] is None and file.suffix in YAML_SUFFIXES:
            try:
                self.texts[file] = read_text(file)
            except YamlFailure:
                return None
        return self.texts.get(file)

    def source_line(self, file: Path, line: int) -> str | None:
        """Line ``line`` (1-based) of a plan or journal file, as read (journal files on demand)."""
        lines = self._lines.get(file)
        if lines is None:
            text = self.text(file)
            if text is None and file.suffix == JOURNAL_SUFFIX:
                try:
                    text = file.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    text = None
            lines = self._lines[file] = text.splitlines() if text else []
        return lines[line - 1] if 0 < line <= len(lines) else None


def _tuple(value: Any) -> tuple[Any, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(value) if None not in value else tuple(v for v in value if v is not None)


def _checked(loaded: Loaded, kind: str, problems: list[Problem]) -> dict[str, Any] | None:
    problems.extend(loaded.problems)
    if loaded.data is None:
        return None
    clean, found = schema.check_value(schema.FILE_SPECS[kind], loaded.data)
    problems.extend(_in_file(p, loaded.file) for p in found)
    return clean if isinstance(clean, dict) else None


def _in_file(problem: Problem, file: Path) -> Problem:
    return problem._replace(file=file)


def _owners(data: dict[str, Any], file: Path) -> list[Owner]:
    owners = []
    for index, item in enumerate(data.get("owners") or []):
        if not isinstance(item, dict):
            continue
        owners.append(
            Owner(
                id=item.get("id"),
                name=item.get("name"),
                kind=item.get("kind"),
                src=Src(file, ("owners", index)),
                name_en=item.get("name_en"),
                short=item.get("short"),
                active_from=item.get("active_from"),
                active_until=item.get("active_until"),
                successor=item.get("successor"),
                assumptions=_tuple(item.get("assumptions")),
            )
        )
    return owners


def _document(item: Any) -> Document | None:
    if not isinstance(item, dict):
        return None
    return Document(
        number=item.get("number"), date=item.get("date"), issuer=item.get("issuer"), title=item.get("title")
    )


def _indicators(items: Any, src: Src) -> tuple[Indicator, ...]:
    out = []
    for index, item in enumerate(items or []):
        if isinstance(item, dict):
            out.append(
                Indicator(
                    id=item.get("id"),
                    name=item.get("name"),
                    src=src.at(index),
                    name_en=item.get("name_en"),
                    unit=item.get("unit"),
                    baseline=item.get("baseline"),
                    target=item.get("target"),
                    contributes_to=item.get("contributes_to"),
                )
            )
    return tuple(out)


def _tasks(data: dict[str, Any], file: Path, plan_id: str | None, problems: list[Problem]) -> list[Task]:
    default_objective = data.get("objective")
    tasks = []
    for index, item in enumerate(data.get("tasks") or []):
        if not isinstance(item, dict):
            continue
        src = Src(file, ("tasks", index))
        own = "objective" in item
        if not own and "objective" not in data:
            problems.append(src.problem("schema", "error", "schema.missing", key="objective"))
        indicators = item.get("indicators")
        tasks.append(
            Task(
                item.get("id"),
                plan_id,
                item.get("objective") if own else default_objective,
                item.get("title"),
                item.get("lead"),
                src,
                item.get("title_en"),
                _tuple(item.get("support")),
                item.get("start"),
                item.get("due"),
                item.get("recurring"),
                item.get("output"),
                _indicators(indicators, src.at("indicators")) if indicators else (),
                _tuple(item.get("elements")),
                _tuple(item.get("tags")),
                _tuple(item.get("assumptions")),
                own,
            )
        )
    return tasks


# --- the task model cache ---------------------------------------------------------------------
# A task file that loaded with no problem at all (YAML, shape, model) is cached as the rows
# its tasks are built from, so the commands after the first skip parsing, the shape check
# and most of the model building: 10,000 tasks load in a fifth of the time.  Rules still
# run on every command; only what the file's bytes alone decide is cached.

_INDICATOR_FIELDS = ("id", "name", "name_en", "unit", "baseline", "target", "contributes_to")


# a NamedTuple built from all its fields, without the generated __new__ (a third of the cost)
_new_tuple = tuple.__new__


def _ordinal(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def _day(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


def _task_rows(tasks: list[Task]) -> tuple[Any, ...]:
    """Tasks as plain values for the cache (marshal): dates as ordinals, no file, no plan id."""
    return tuple(
        (
            task.id,
            task.objective,
            task.title,
            task.lead,
            task.src.path[1],
            task.title_en,
            task.support,
            _ordinal(task.start),
            _ordinal(task.due),
            task.recurring,
            task.output,
            tuple(tuple(getattr(i, name) for name in _INDICATOR_FIELDS) for i in task.indicators),
            task.elements,
            task.tags,
            task.assumptions,
            task.objective_own,
        )
        for task in tasks
    )


def _indicators_from_rows(rows: tuple[Any, ...], file: Path, task_index: int) -> tuple[Indicator, ...]:
    return tuple(
        _new_tuple(
            Indicator,
            (
                ident,
                name,
                _new_tuple(Src, (file, ("tasks", task_index, "indicators", n), None)),
                name_en,
                unit,
                baseline,
                target,
                contributes_to,
            ),
        )
        for n, (ident, name, name_en, unit, baseline, target, contributes_to) in enumerate(rows)
    )


def _tasks_from_rows(rows: tuple[Any, ...], file: Path, plan_id: str | None) -> list[Task]:
    tasks = []
    days: dict[int | None, dt.date | None] = {None: None}  # a plan has few distinct dates
    for (
        task_id,
        objective,
        title,
        lead,
        index,
        title_en,
        support,
        start,
        due,
        recurring,
        output,
        indicators,
        elements,
        tags,
        assumptions,
        own,
    ) in rows:
        src = _new_tuple(Src, (file, ("tasks", index), None))
        start_day = days[start] if start in days else days.setdefault(start, _day(start))
        due_day = days[due] if due in days else days.setdefault(due, _day(due))
        tasks.append(
            _new_tuple(
                Task,
                (
                    task_id,
                    plan_id,
                    objective,
                    title,
                    lead,
                    src,
                    title_en,
                    support,
                    start_day,
                    due_day,
                    recurring,
                    output,
                    _indicators_from_rows(indicators, file, index) if indicators else (),
                    elements,
                    tags,
                    assumptions,
                    own,
                ),
            )
        )
    return tasks


def _plan(data: dict[str, Any], folder: Path, file: Path, tasks: list[Task]) -> Plan:
    period = data.get("period") or {}
    reporting = data.get("reporting") or {}
    objectives = []
    for index, item in enumerate(data.get("objectives") or []):
        if isinstance(item, dict):
            objectives.append(
                Objective(
                    id=item.get("id"),
                    title=item.get("title"),
                    ascc=item.get("ascc"),
                    src=Src(file, ("objectives", index)),
                    title_en=item.get("title_en"),
                    elements=_tuple(item.get("elements")),
                    assumptions=_tuple(item.get("assumptions")),
                )
            )
    return Plan(
        id=data.get("id"),
        title=data.get("title"),
        folder=folder,
        src=Src(file),
        title_en=data.get("title_en"),
        language=data.get("language") or "vi",
        document=_document(data.get("document")),
        implements=tuple(d for d in map(_document, data.get("implements") or []) if d is not None),
        start=period.get("start"),
        end=period.get("end"),
        lead=data.get("lead"),
        reporting=Reporting(
            frequency=reporting.get("frequency") or "yearly", cutoff=reporting.get("cutoff") or "12-31"
        ),
        objectives=tuple(objectives),
        indicators=_indicators(data.get("indicators"), Src(file, ("indicators",))),
        tasks=tuple(tasks),
        assumptions=_tuple(data.get("assumptions")),
    )


def load_workspace(root: Path) -> WorkspaceLoad:
    """Read every plan file under ``root``; problems of reading and shape are returned, not raised."""
    problems: list[Problem] = []
    texts: dict[Path, str | None] = {}
    incomplete: set[str] = set()
    files: list[Path] = []
    found = _discover(root)

    def read(path: Path, kind: str) -> dict[str, Any] | None:
        loaded = load_yaml(path)
        texts[path] = loaded.text
        files.append(path)
        data = _checked(loaded, kind, problems)
        if kind in _MAIN_LIST and (data is None or data.get(_MAIN_LIST[kind]) is None):
            incomplete.add(kind)  # rules that look things up here must not report false unknowns
        return data

    def read_tasks(path: Path, plan_id: str | None) -> list[Task]:
        files.append(path)
        texts[path] = None  # the text is read only if a problem needs a line shown
        fingerprint = cache.file_digest(path, MAX_FILE_BYTES)
        rows = cache.get("tasks", path, fingerprint) if fingerprint else None
        if rows is not None:
            try:
                return _tasks_from_rows(rows, path, plan_id)
            except (TypeError, ValueError, IndexError, OverflowError):
                pass  # an entry of another shape (written by hand?): a miss, and replaced below
        try:
            raw = read_bytes(path)
        except YamlFailure as failure:
            problems.append(failure.problem)
            incomplete.add("tasks")
            return []
        key = cache.digest(raw)  # of the bytes parsed: the file may have changed since
        loaded = load_yaml(path, raw)
        texts[path] = loaded.text
        in_file: list[Problem] = []
        data = _checked(loaded, "tasks", in_file)
        if data is None or data.get("tasks") is None:
            problems.extend(in_file)
            incomplete.add("tasks")  # rules that look things up here must not report false unknowns
            return []
        tasks = _tasks(data, path, plan_id, in_file)
        problems.extend(in_file)
        if not in_file:  # only a file without a problem of any kind is cached
            cache.put("tasks", path, key, _task_rows(tasks))
        return tasks

    owners: list[Owner] = []
    if found.owners is None:
        problems.append(
            Problem("file-read", "error", Msg("file.missing", {"name": OWNERS_FILE}), file=root / OWNERS_FILE)
        )
        incomplete.add("owners")
    else:
        owners_data = read(found.owners, "owners")
        if owners_data is not None:
            owners = _owners(owners_data, found.owners)

    plans: list[Plan] = []
    reports: dict[Path, dict[str, Any]] = {}
    for folder, plan_file, task_files in found.plans:
        plan_data = read(plan_file, "plan")
        plan_id = plan_data.get("id") if plan_data else None
        tasks: list[Task] = []
        for task_file in task_files:
            tasks.extend(read_tasks(task_file, plan_id))
        for report_file in _yaml_files(folder / REPORTS_DIR):
            kind = "report-settings" if report_file.name == REPORT_SETTINGS_FILE else "report-input"
            report_data = read(report_file, kind)
            if report_data is not None:
                reports[report_file] = report_data
        updates, journal_problems = load_journal(folder)
        problems.extend(journal_problems)
        files.extend(journal_files(folder))
        if plan_data is not None:
            plans.append(_plan(plan_data, folder, plan_file, tasks)._replace(updates=tuple(updates)))
        elif tasks or updates:
            # the plan file is broken: keep its tasks so their own problems are still found
            plans.append(
                Plan(id=None, title=None, folder=folder, src=Src(plan_file), tasks=tuple(tasks), updates=tuple(updates))
            )

    for path, expected in found.stray:
        problems.append(
            Problem("stray-file", "warning", Msg("file.stray", {"name": path.name, "expected": expected}), file=path)
        )
    workspace = Workspace(
        root=root, owners=tuple(owners), plans=tuple(plans), files=tuple(files), incomplete=frozenset(incomplete)
    )
    return WorkspaceLoad(workspace, problems, texts, reports)


@dataclass
class TaskLookup:
    """What `aseanctl update` needs about one task, read without loading the whole plan."""

    plan: Plan | None
    task: Task | None
    owners: dict[str, Owner]
    problems: list[Problem]
    task_files: list[Path]

    def task_ids(self) -> list[str]:
        """Every id-like value in the task files, for "did you mean" (read only when needed)."""
        ids: list[str] = []
        for path in self.task_files:
            try:
                ids.extend(_ID_LINE.findall(path.read_text(encoding="utf-8", errors="replace")))
            except OSError:
                continue
        return ids


_ID_LINE = re.compile(r"^\s*-?\s*id:\s*['\"]?([A-Za-z0-9][A-Za-z0-9._-]*)", re.MULTILINE)


def _id_pattern(task_id: str) -> re.Pattern[bytes]:
    """``id: N1.1`` as a whole value (quoted or not, block or flow style), not N1.10's prefix."""
    value = re.escape(task_id.encode("utf-8"))
    return re.compile(
        rb"\bid:[ \t]*(?:" + value + rb"|'" + value + rb"'|\"" + value + rb"\")[ \t]*(?:[,}\r\n#]|$)", re.MULTILINE
    )


def find_task(root: Path, task_id: str) -> TaskLookup:
    """Find one task by reading owners.yaml, and plan.yaml and the task file that declares the
    id: a 10,000-task plan is searched as bytes, and only one file is parsed.  Files that
    mention the id in some other way are parsed too when no file declares it plainly."""
    problems: list[Problem] = []
    found = _discover(root)
    owners: dict[str, Owner] = {}
    if found.owners is not None:
        loaded = load_yaml(found.owners)
        data = _checked(loaded, "owners", problems)
        if data is not None:
            owners = {o.id: o for o in _owners(data, found.owners) if o.id is not None}
    task_id = unicodedata.normalize("NFC", task_id)
    needle, declared = task_id.encode("utf-8"), _id_pattern(task_id)
    all_files = [path for _, _, files in found.plans for path in files]
    for folder, plan_file, task_files in found.plans:
        likely: list[Path] = []
        possible: list[Path] = []
        for task_file in task_files:
            try:
                raw = task_file.read_bytes()
            except OSError:
                continue
            if needle in raw:
                (likely if declared.search(raw) else possible).append(task_file)
        for task_file in likely + possible:
            task_data = _checked(load_yaml(task_file), "tasks", problems)
            if task_data is None:
                continue
            for task in _tasks(task_data, task_file, None, problems):
                if task.id == task_id:
                    plan_data = _checked(load_yaml(plan_file), "plan", problems)
                    plan = _plan(plan_data, folder, plan_file, [task]) if plan_data is not None else None
                    return TaskLookup(
                        plan, task._replace(plan_id=plan.id if plan else None), owners, problems, all_files
                    )
    return TaskLookup(None, None, owners, problems, all_files)
