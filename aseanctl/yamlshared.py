"""What :mod:`aseanctl.yamlio` (reading, the parse cache) and :mod:`aseanctl.yamlparse`
(the parser) both speak: the loader's result, its failure, paths into a file, and the
nesting limit.  Kept apart from both so that neither imports the other at module level and
a command served from the cache never imports PyYAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Msg, Problem

# Deeper than any plan needs, and far below where a recursive parser or walker overflows
# the C stack: checked on the event stream before anything builds a tree.
MAX_DEPTH = 50

PathKey = str | int
YamlPath = tuple[PathKey, ...]


class YamlFailure(Exception):
    """The file cannot be turned into data; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.msg.key)
        self.problem = problem


@dataclass
class Loaded:
    """A file's data (None when it could not be read) and the problems met on the way."""

    file: Path
    data: Any
    problems: list[Problem] = field(default_factory=list)
    text: str | None = None
    digest: str | None = None  # of the file's bytes (``cache.digest``), when they were read


def yaml_problem(
    file: Path, rule: str, msg_key: str, line: int | None = None, column: int | None = None, **args: Any
) -> Problem:
    """An error found while reading or parsing a plan file."""
    return Problem(rule=rule, severity="error", msg=Msg(msg_key, args), file=file, line=line, column=column)
