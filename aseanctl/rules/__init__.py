"""The validation rules.  One module per rule: ``ID``, ``SEVERITY``, a docstring that is
its user documentation (``aseanctl rules``), and ``check(workspace)`` yielding problems.
Rules with ``STAGE = "load"`` are found while reading files; they are listed here so
that every rule id a user can meet is documented in one place."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from types import ModuleType

from ..model import Workspace
from ..problems import Problem
from . import (
    ascc_code,
    completed_incomplete,
    control_character,
    date_order,
    date_outside_period,
    duplicate_id,
    duplicate_key,
    empty_objective,
    file_read,
    journal_correction,
    journal_date,
    journal_syntax,
    journal_torn_line,
    journal_withdrawal,
    owner_inactive,
    progress_backwards,
    schema,
    stray_file,
    successor_cycle,
    support_list,
    template_syntax,
    template_unsafe,
    unknown_indicator,
    unknown_objective,
    unknown_owner,
    unknown_task,
    unsafe_file,
    update_owner,
    yaml_feature,
    yaml_syntax,
)

MODULES: tuple[ModuleType, ...] = (
    file_read,
    yaml_syntax,
    yaml_feature,
    duplicate_key,
    schema,
    stray_file,
    unsafe_file,
    duplicate_id,
    unknown_owner,
    unknown_objective,
    unknown_indicator,
    successor_cycle,
    date_order,
    date_outside_period,
    owner_inactive,
    ascc_code,
    support_list,
    empty_objective,
    journal_syntax,
    journal_torn_line,
    unknown_task,
    journal_date,
    journal_correction,
    journal_withdrawal,
    update_owner,
    progress_backwards,
    completed_incomplete,
    control_character,
    template_syntax,
    template_unsafe,
)


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: str
    stage: str
    doc: str

    @property
    def summary(self) -> str:
        return self.doc.split("\n\n")[0].replace("\n", " ")


RULES: tuple[RuleInfo, ...] = tuple(
    RuleInfo(m.ID, m.SEVERITY, getattr(m, "STAGE", "check"), inspect.cleandoc(m.__doc__ or "")) for m in MODULES
)


def check_workspace(ws: Workspace) -> list[Problem]:
    """Run every check-stage rule over the workspace."""
    problems: list[Problem] = []
    for module in MODULES:
        check = getattr(module, "check", None)
        if check is not None:
            problems.extend(check(ws))
    return problems
