"""Load, check, locate: the whole of ``aseanctl validate`` short of printing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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
    problems = load.problems + check_workspace(load.workspace) + _template_problems(root)
    located = locate(problems, load.text)
    return Report(load, tuple(sorted(located, key=Problem.sort_key)))


def error_count(load: WorkspaceLoad, root: Path) -> int:
    """How many errors ``validate_workspace`` finds in the loaded workspace, found by running
    only the rules that report errors, without placing them on their lines ('aseanctl diff'
    says whether each side is valid; 'aseanctl report' marks a draft)."""
    from .rules import MODULES

    problems = [*load.problems, *_template_problems(root)]
    for module in MODULES:
        check = getattr(module, "check", None)
        if check is not None and module.SEVERITY == "error":
            problems.extend(check(load.workspace))
    return sum(1 for p in problems if p.severity == "error")


def count_errors(root: Path) -> tuple[WorkspaceLoad, int]:
    """The workspace, and how many errors ``validate_workspace`` would find in it."""
    load = load_workspace(root)
    return load, error_count(load, root)
