"""Plan files -> Workspace.  The only module that reads plan files.

Layout (docs/plan-format.md): a workspace folder holds ``owners.yaml`` and one folder
per plan with ``plan.yaml`` and ``tasks/*.yaml``.  Loading never raises for anything a
file contains: what cannot be read becomes a problem, and the rest still loads.
"""

from __future__ import annotations

import gc
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import cache, fastcheck, schema
from .errors import UsageError
from .files import read_regular
from .journal import JOURNAL_DIR, JOURNAL_SUFFIX, MAX_JOURNAL_BYTES, read_journal_file
from .model import Document, Indicator, Objective, Owner, Plan, Reporting, Src, Task, Update, Workspace
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
TEMPLATES_DIR = "templates"


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
    # symlinks and special files (the kind: "symlink", "fifo", "device", "socket"): never opened
    unsafe: dict[Path, str] = field(default_factory=dict)
    journals: dict[Path, list[Path]] = field(default_factory=dict)  # plan folder -> its journal files
    reports: dict[Path, list[Path]] = field(default_factory=dict)  # plan folder -> reports/*.yaml


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


class _Lister:
    """The regular files and folders of the workspace's folders, each folder listed once,
    without following a symbolic link: a link or a special file met on the way is set aside
    in ``unsafe`` and never opened (a pull request could point a task file at ``/etc/passwd``
    or make it a FIFO)."""

    def __init__(self) -> None:
        self.unsafe: dict[Path, str] = {}
        self._seen: dict[Path, tuple[list[Path], list[Path]]] = {}

    def __call__(self, folder: Path) -> tuple[list[Path], list[Path]]:
        """(regular files, folders) directly in ``folder``, sorted, names starting with a dot left out."""
        listed = self._seen.get(folder)
        if listed is None:
            listed = self._seen[folder] = self._list(folder)
        return listed

    def _list(self, folder: Path) -> tuple[list[Path], list[Path]]:
        files: list[Path] = []
        folders: list[Path] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    path = folder / entry.name
                    try:
                        if entry.is_symlink():
                            self.unsafe[path] = "symlink"
                        elif entry.is_dir(follow_symlinks=False):
                            folders.append(path)
                        elif entry.is_file(follow_symlinks=False):
                            files.append(path)
                        else:
                            self.unsafe[path] = _special_kind(entry.stat(follow_symlinks=False).st_mode)
                    except OSError:
                        continue  # gone since the folder was listed
        except OSError:
            return [], []
        return sorted(files), sorted(folders)


def _files(folder: Path, listing: _Lister | None = None) -> list[Path]:
    return (listing or _Lister())(folder)[0]


def _yaml_files(folder: Path, listing: _Lister | None = None) -> list[Path]:
    return [p for p in _files(folder, listing) if p.suffix in YAML_SUFFIXES]


def _yaml_like(path: Path) -> bool:
    """``nhom-1.yaml.bak``, ``plan.yml.orig``: a YAML file someone set aside, or misnamed."""
    return any(suffix in YAML_SUFFIXES for suffix in path.suffixes)


def _discover(root: Path) -> _FileSet:
    found = _FileSet()
    listing = _Lister()
    root_files, root_folders = listing(root)
    owners = root / OWNERS_FILE
    found.owners = owners if owners in root_files else None
    if owners in root_folders:
        listing.unsafe[owners] = "folder"
    for path in root_files:
        if path.name != OWNERS_FILE and _yaml_like(path):
            found.stray.append((path, "owners.yaml, <plan>/plan.yaml, <plan>/tasks/*.yaml"))
    for folder in root_folders:
        _discover_plan(folder, listing, found)
    # the template check owns the repository's templates folder (rules template-*)
    found.unsafe = {path: kind for path, kind in listing.unsafe.items() if path != root / TEMPLATES_DIR}
    return found


def _folders_named_as_files(folder: Path, folders: list[Path], listing: _Lister) -> None:
    """A folder where a plan, task or journal file belongs holds none of that file's data: it is
    set aside as unsafe (an error), never left to make a plan look whole with a year of
    updates gone without a word."""
    if folder / PLAN_FILE in folders:
        listing.unsafe[folder / PLAN_FILE] = "folder"
    for inner, suffixes in ((folder / TASKS_DIR, YAML_SUFFIXES), (folder / JOURNAL_DIR, (JOURNAL_SUFFIX,))):
        for misplaced in listing(inner)[1] if inner in folders else []:
            if misplaced.suffix in suffixes:
                listing.unsafe[misplaced] = "folder"


def _discover_plan(folder: Path, listing: _Lister, found: _FileSet) -> None:
    plan_file = folder / PLAN_FILE
    tasks_dir = folder / TASKS_DIR
    files, folders = listing(folder)
    journal_dir = folder / JOURNAL_DIR
    _folders_named_as_files(folder, folders, listing)
    tasks = _yaml_files(tasks_dir, listing) if tasks_dir in folders else []
    if plan_file not in files and plan_file not in listing.unsafe:
        for stray in [*filter(_yaml_like, files), *tasks]:
            found.stray.append((stray, f"{folder.name}/plan.yaml"))
        return
    found.plans.append((folder, plan_file, tasks))
    for path in files:
        if path.name != PLAN_FILE and _yaml_like(path):
            found.stray.append((path, "plan.yaml, tasks/*.yaml"))
    for path in _files(tasks_dir, listing) if tasks_dir in folders else []:
        if path.suffix not in YAML_SUFFIXES:  # only task files belong in tasks/
            found.stray.append((path, "tasks/*.yaml"))
    journals = found.journals[folder] = []
    for path in _files(journal_dir, listing) if journal_dir in folders else []:
        if path.suffix != JOURNAL_SUFFIX:
            found.stray.append((path, "journal/<year>.jsonl"))
        else:
            journals.append(path)
    for child in folders:
        if child.name == REPORTS_DIR:
            found.reports[folder] = [p for p in listing(child)[0] if p.suffix in YAML_SUFFIXES]
        elif child.name != TASKS_DIR and child.name not in RESERVED_DIRS:
            for stray in filter(_yaml_like, _files(child, listing)):
                found.stray.append((stray, "tasks/*.yaml"))


# the list that holds a file's entities: when it fails its shape, nothing in the file is known
_MAIN_LIST = {"owners": "owners", "plan": "objectives", "tasks": "tasks"}


_YAML_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_JOURNAL_LINE_BREAK = re.compile(r"\r?\n")


class WorkspaceLoad:
    """The result of loading: the model, the problems so far, and each file's text for locating them."""

    def __init__(
        self,
        workspace: Workspace,
        problems: list[Problem],
        texts: dict[Path, str | None],
        reports: dict[Path, dict[str, Any]] | None = None,
        digests: dict[Path, str | None] | None = None,
    ) -> None:
        self.workspace = workspace
        self.problems = problems
        self.texts = texts
        self.reports = reports or {}  # reports/*.yaml of every plan, checked and cleaned
        # the digest of each file the workspace was made from (owners, plans, tasks, journals)
        self.digests = digests or {}
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
                    text = read_regular(file, MAX_JOURNAL_BYTES).decode("utf-8", errors="replace")
                except OSError:
                    text = None
            # lines as the problems count them: a journal's by LF alone (a note may hold U+2028, which
            # splitlines would take for a line break), a YAML file's by CR, LF or both, as YAML does
            breaks = _JOURNAL_LINE_BREAK if file.suffix == JOURNAL_SUFFIX else _YAML_LINE_BREAK
            lines = self._lines[file] = breaks.split(text) if text else []
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


# --- the one constructor of each record ------------------------------------------------------
# Each takes data that passed the shape check (``schema.check_value``, or ``fastcheck.clean``
# for data from the cache): failed fields are None and dates are dates.  Whatever a command
# reads, from a file or from the cache, becomes a model record here and nowhere else.


def owner_from_data(item: dict[str, Any], src: Src) -> Owner:
    return Owner(
        id=item.get("id"),
        name=item.get("name"),
        kind=item.get("kind"),
        src=src,
        name_en=item.get("name_en"),
        short=item.get("short"),
        active_from=item.get("active_from"),
        active_until=item.get("active_until"),
        successor=item.get("successor"),
        assumptions=_tuple(item.get("assumptions")),
    )


def indicator_from_data(item: dict[str, Any], src: Src) -> Indicator:
    return Indicator(
        id=item.get("id"),
        name=item.get("name"),
        src=src,
        name_en=item.get("name_en"),
        unit=item.get("unit"),
        baseline=item.get("baseline"),
        target=item.get("target"),
        contributes_to=item.get("contributes_to"),
    )


def task_from_data(item: dict[str, Any], src: Src, plan_id: str | None, default_objective: str | None) -> Task:
    """A task of a task file; ``default_objective``: the file's ``objective``, for a task without one."""
    own = "objective" in item
    get = item.get
    indicators, support, elements, tags, assumptions = map(
        get, ("indicators", "support", "elements", "tags", "assumptions")
    )
    # positional, in Task's order (mypy checks the types): a 10,000-task plan builds one per
    # task on every command, and keyword arguments cost a quarter more
    return Task(
        get("id"),
        plan_id,
        get("objective") if own else default_objective,
        get("title"),
        get("lead"),
        src,
        get("title_en"),
        _tuple(support) if support else (),
        get("start"),
        get("due"),
        get("recurring"),
        get("output"),
        _indicators(indicators, src.at("indicators")) if indicators else (),
        _tuple(elements) if elements else (),
        _tuple(tags) if tags else (),
        _tuple(assumptions) if assumptions else (),
        own,
    )


def plan_from_data(
    data: dict[str, Any], folder: Path, file: Path, tasks: list[Task], updates: tuple[Update, ...] = ()
) -> Plan:
    """A plan from its plan.yaml; ``{}`` for a plan file that could not be read, so that its
    tasks and updates are still checked."""
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
        updates=updates,
    )


def _owners(data: dict[str, Any], file: Path) -> list[Owner]:
    items = enumerate(data.get("owners") or [])
    return [owner_from_data(item, Src(file, ("owners", index))) for index, item in items if isinstance(item, dict)]


def _document(item: Any) -> Document | None:
    if not isinstance(item, dict):
        return None
    return Document(
        number=item.get("number"), date=item.get("date"), issuer=item.get("issuer"), title=item.get("title")
    )


def _indicators(items: Any, src: Src) -> tuple[Indicator, ...]:
    items = enumerate(items or [])
    return tuple(indicator_from_data(item, src.at(index)) for index, item in items if isinstance(item, dict))


def _tasks(data: dict[str, Any], file: Path, plan_id: str | None, problems: list[Problem]) -> list[Task]:
    default_objective = data.get("objective")
    tasks = []
    for index, item in enumerate(data.get("tasks") or []):
        if not isinstance(item, dict):
            continue
        src = Src(file, ("tasks", index))
        if "objective" not in item and "objective" not in data:
            problems.append(src.problem("schema", "error", "schema.missing", key="objective"))
        tasks.append(task_from_data(item, src, plan_id, default_objective))
    return tasks


# --- reading the workspace ----------------------------------------------------------------------
# A task file that loaded with no problem at all (YAML, shape, model) is cached as its data,
# so that the commands after the first skip parsing and the full shape check.  The data is
# checked again when read (``fastcheck``, a fraction of the full check's cost): an entry is
# plain data that anyone who can write the cache folder can forge, and one that would not
# have passed the checks is a miss.  Rules still run on every command.


def _cached_tasks(path: Path, fingerprint: str, plan_id: str | None) -> list[Task] | None:
    """The file's tasks from the cache; None for a miss, or for an entry that a file without
    problems cannot give (then the file is read, and its entry replaced)."""
    data = fastcheck.clean(schema.TASKS_FILE, cache.get("tasks", path, fingerprint))
    if data is None:
        return None
    problems: list[Problem] = []
    tasks = _tasks(data, path, plan_id, problems)
    return None if problems else tasks


class _Reading:
    """What loading a workspace gathers as it reads files: problems, texts, files, and
    which kinds of file did not load."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.texts: dict[Path, str | None] = {}
        self.incomplete: set[str] = set()
        self.files: list[Path] = []
        self.unsafe: dict[Path, str] = {}
        # each file the workspace is made of, by the digest of the bytes it was made from
        # (None: not read whole); what a cached verdict of the rules is keyed by
        self.digests: dict[Path, str | None] = {}

    def read(self, path: Path, kind: str) -> dict[str, Any] | None:
        loaded = load_yaml(path)
        self.texts[path] = loaded.text
        self.files.append(path)
        if kind in _MAIN_LIST:  # not the reports: the workspace the rules check is made without them
            self.digests[path] = loaded.digest
        data = _checked(loaded, kind, self.problems)
        if kind in _MAIN_LIST and (data is None or data.get(_MAIN_LIST[kind]) is None):
            self.incomplete.add(kind)  # rules that look things up here must not report false unknowns
        return data

    def read_tasks(self, path: Path, plan_id: str | None) -> list[Task]:
        self.files.append(path)
        self.texts[path] = None  # the text is read only if a problem needs a line shown
        fingerprint = cache.file_digest(path, MAX_FILE_BYTES)
        cached = _cached_tasks(path, fingerprint, plan_id) if fingerprint else None
        if cached is not None:
            self.digests[path] = fingerprint
            return cached
        self.digests[path] = None
        try:
            raw = read_bytes(path)
        except YamlFailure as failure:
            self.problems.append(failure.problem)
            self.incomplete.add("tasks")
            return []
        key = self.digests[path] = cache.digest(raw)  # of the bytes parsed: the file may have changed since
        loaded = load_yaml(path, raw)
        self.texts[path] = loaded.text
        in_file: list[Problem] = []
        data = _checked(loaded, "tasks", in_file)
        if data is None or data.get("tasks") is None:
            self.problems.extend(in_file)
            self.incomplete.add("tasks")  # rules that look things up here must not report false unknowns
            return []
        tasks = _tasks(data, path, plan_id, in_file)
        self.problems.extend(in_file)
        if not in_file:  # only a file without a problem of any kind is cached
            cache.put("tasks", path, key, loaded.data)
        return tasks

    def read_plan(self, folder: Path, plan_file: Path, task_files: list[Path], journals: list[Path]) -> Plan | None:
        """The plan of one plan folder; None when neither its plan file nor anything in it loaded.
        ``journals``: its journal files, each a regular file when it was listed."""
        plan_data = self.read(plan_file, "plan") if plan_file not in self.unsafe else None
        plan_id = plan_data.get("id") if plan_data else None
        tasks = [task for task_file in task_files for task in self.read_tasks(task_file, plan_id)]
        updates: list[Update] = []
        for journal in journals:
            found, journal_problems, self.digests[journal] = read_journal_file(journal)
            updates.extend(found)
            self.problems.extend(journal_problems)
        self.files.extend(journals)
        if plan_data is None and not tasks and not updates:
            return None
        # a broken plan file: its tasks are kept, so that their own problems are still found
        return plan_from_data(plan_data or {}, folder, plan_file, tasks, tuple(updates))

    def read_reports(self, report_files: list[Path]) -> dict[Path, dict[str, Any]]:
        reports = {}
        for report_file in report_files:
            kind = "report-settings" if report_file.name == REPORT_SETTINGS_FILE else "report-input"
            report_data = self.read(report_file, kind)
            if report_data is not None:
                reports[report_file] = report_data
        return reports


def _hidden_by(unsafe: Path) -> tuple[str, ...]:
    """The kinds of data (``Workspace.incomplete``) a link or special file in this place hides."""
    if unsafe.name == OWNERS_FILE:
        return ("owners",)
    if unsafe.name == PLAN_FILE:
        return ("plan",)
    if TASKS_DIR in (unsafe.name, unsafe.parent.name):
        return ("tasks",)
    return ()


def _unsafe_problem(path: Path, kind: str) -> Problem:
    key = "file.symlink" if kind == "symlink" else f"file.{kind}"
    return Problem("unsafe-file", "error", Msg(key, {"name": path.name}), file=path)


def load_workspace(root: Path) -> WorkspaceLoad:
    """Read every plan file under ``root``; problems of reading and shape are returned, not raised."""
    enabled = gc.isenabled()
    gc.disable()  # tens of thousands of new dicts and records and no garbage: the collector would only rescan them
    try:
        return _load_workspace(root)
    finally:
        if enabled:
            gc.enable()


def _load_workspace(root: Path) -> WorkspaceLoad:
    reading = _Reading()
    found = _discover(root)
    reading.unsafe = found.unsafe
    for path, kind in found.unsafe.items():
        reading.problems.append(_unsafe_problem(path, kind))
        # what a link stands in for is unknown: rules that look things up must not report false unknowns
        reading.incomplete.update(_hidden_by(path))
    owners: list[Owner] = []
    if found.owners is not None:
        owners_data = reading.read(found.owners, "owners")
        if owners_data is not None:
            owners = _owners(owners_data, found.owners)
    elif root / OWNERS_FILE not in found.unsafe:
        reading.problems.append(
            Problem("file-read", "error", Msg("file.missing", {"name": OWNERS_FILE}), file=root / OWNERS_FILE)
        )
        reading.incomplete.add("owners")

    plans: list[Plan] = []
    reports: dict[Path, dict[str, Any]] = {}
    for folder, plan_file, task_files in found.plans:
        plan = reading.read_plan(folder, plan_file, task_files, found.journals.get(folder, []))
        if plan is not None:
            plans.append(plan)
        reports.update(reading.read_reports(found.reports.get(folder, [])))

    for path, expected in found.stray:
        reading.problems.append(
            Problem("stray-file", "warning", Msg("file.stray", {"name": path.name, "expected": expected}), file=path)
        )
    workspace = Workspace(
        root=root,
        owners=tuple(owners),
        plans=tuple(plans),
        files=tuple(reading.files),
        incomplete=frozenset(reading.incomplete),
    )
    return WorkspaceLoad(workspace, reading.problems, reading.texts, reports, reading.digests)


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
                text = read_regular(path, MAX_FILE_BYTES).decode("utf-8", errors="replace")
            except OSError:
                continue
            ids.extend(_ID_LINE.findall(text))
        return ids


# [ \t]*, never \s*: a space class that spans line breaks, at every line start of a file of
# blank lines, makes the search cubic in their number
_ID_LINE = re.compile(r"^[ \t]*-?[ \t]*id:[ \t]*['\"]?([A-Za-z0-9][A-Za-z0-9._-]*)", re.MULTILINE)


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
                raw = read_regular(task_file, MAX_FILE_BYTES)
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
                    plan_data = None if plan_file in found.unsafe else _checked(load_yaml(plan_file), "plan", problems)
                    plan = plan_from_data(plan_data, folder, plan_file, [task]) if plan_data is not None else None
                    return TaskLookup(
                        plan, task._replace(plan_id=plan.id if plan else None), owners, problems, all_files
                    )
    return TaskLookup(None, None, owners, problems, all_files)
