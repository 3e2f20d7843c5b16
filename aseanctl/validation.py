"""Load, check, locate: the whole of ``aseanctl validate`` short of printing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache
from .loader import WorkspaceLoad, load_workspace
from .problems import Problem
from .rules import check_workspace

if TYPE_CHECKING:
    from .yamlparse import Locator


@dataclass(frozen=True)
class Report:
    load: WorkspaceLoad
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")


def locate(problems: list[Problem], text_of: Callable[[Path], str | None]) -> list[Problem]:
    """Give every problem that has a path but no line its line and column (one parse per file)."""
    locators: dict[Path, Locator] = {}
    located = []
    for problem in problems:
        if problem.line is None and problem.file is not None and problem.file.suffix in (".yaml", ".yml"):
            locator = locators.get(problem.file)
            if locator is None:
                from .yamlparse import Locator  # the parsers, only when a problem needs its line

                locator = locators[problem.file] = Locator(text_of(problem.file))
            position = locator.position(problem.path, problem.on_key)
            if position is not None:
                problem = problem._replace(line=position[0], column=position[1])
        located.append(problem)
    return located


def _template_problems(root: Path) -> list[Problem]:
    """The repository's own report templates, checked as the sandbox would render them (Jinja
    is imported only when the repository has a templates folder)."""
    if not any((folder / "templates").is_dir() for folder in (root.parent, root)):
        return []
    from .report.templatecheck import check_repository_templates

    return check_repository_templates(root)


def validate_workspace(root: Path) -> Report:
    load = load_workspace(root)
    known = _cached_verdict(load)
    if known is not None and known == (0, 0):
        rule_problems: list[Problem] = []  # the same files, the same code: the rules found nothing
    else:
        rule_problems = check_workspace(load.workspace)
        _store_verdict(load, _counts(rule_problems))
    problems = load.problems + rule_problems + _template_problems(root)
    located = locate(problems, load.text)
    return Report(load, tuple(sorted(located, key=Problem.sort_key)))


def error_count(load: WorkspaceLoad, root: Path) -> int:
    """How many errors ``validate_workspace`` finds in the loaded workspace, found by running
    only the rules that report errors, without placing them on their lines ('aseanctl diff'
    says whether each side is valid; 'aseanctl report' marks a draft)."""
    from .rules import MODULES

    problems = [*load.problems, *_template_problems(root)]
    known = _cached_verdict(load)
    if known is not None:
        rule_errors = known[0]
    else:
        found: list[Problem] = []
        for module in MODULES:
            check = getattr(module, "check", None)
            if check is not None and module.SEVERITY == "error":
                found.extend(check(load.workspace))
        rule_errors = _counts(found)[0]
        _store_verdict(load, (rule_errors, None))
    return rule_errors + sum(1 for p in problems if p.severity == "error")


def count_errors(root: Path) -> tuple[WorkspaceLoad, int]:
    """The workspace, and how many errors ``validate_workspace`` would find in it."""
    load = load_workspace(root)
    return load, error_count(load, root)


# --- the rules' verdict, cached ------------------------------------------------------------------
# The rules are a function of the workspace alone (no clock, no environment), and the workspace
# of the bytes of the files it is made from and of aseanctl's code.  What they found is kept in
# the parse cache as counts, (errors, warnings), keyed by a digest of all of those: a plan read
# again unchanged (the report of a plan whose narrative is being written, a second validate)
# skips the rules.  Counts only: a verdict with problems in it is found again, with their lines,
# whenever they are to be shown; a warning count of None means only the error rules ran.

Verdict = tuple[int, int | None]


def _counts(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity == "error")
    return errors, len(problems) - errors


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """Every module of the installed package: a rule, the schema or the loader changed (a
    development checkout, a patched install) is another verdict."""
    code = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for module in sorted(package.rglob("*.py")):
        code.update(str(module.relative_to(package)).encode())
        code.update(module.read_bytes())
    return code.hexdigest()


def _verdict_key(load: WorkspaceLoad) -> str | None:
    """The digest a verdict on this load is stored under; None when a file the workspace is
    made from was not read whole (its problems are found anew, and so is the verdict)."""
    ws = load.workspace
    key = hashlib.sha256(f"{_code_digest()}\0{ws.root}\0{sorted(ws.incomplete)}".encode("utf-8", "surrogateescape"))
    for file in ws.files:
        if file in load.digests:
            found = load.digests[file]
            if found is None:
                return None
            key.update(f"\0{file}\0{found}".encode("utf-8", "surrogateescape"))
        else:
            key.update(f"\0{file}".encode("utf-8", "surrogateescape"))  # a report: only where it is
    return key.hexdigest()


def _cached_verdict(load: WorkspaceLoad) -> Verdict | None:
    key = _verdict_key(load)
    stored = cache.get("verdict", load.workspace.root, key) if key is not None else None
    if (
        isinstance(stored, tuple)
        and len(stored) == 2
        and type(stored[0]) is int
        and stored[0] >= 0
        and (stored[1] is None or (type(stored[1]) is int and stored[1] >= 0))
    ):
        return stored
    return None


def _store_verdict(load: WorkspaceLoad, verdict: Verdict) -> None:
    key = _verdict_key(load)
    if key is not None:
        cache.put("verdict", load.workspace.root, key, verdict)
