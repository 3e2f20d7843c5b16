"""Every validation rule, as data: which file is replaced by what, and which problems follow.

Each case in ``CASES`` writes the small valid workspace of ``conftest.make_workspace``
with some files replaced, validates it, and compares the exact set of
``(file relative to the workspace, line, rule)``.  Line numbers refer to the texts below:

    owners.yaml (OWNERS)           p1/plan.yaml (PLAN)          p1/tasks/nhom-1.yaml (one_task)
     1 owners:                      1 id: p1                     1 objective: N1
     2   - id: so-a                 2 title: …                   2 tasks:
     3     name: Sở A               3 document:                  3   - id: N1.1
     4     kind: department         4   number: …                4     <first field given>
     5   - id: so-b                 5   date: …                  5     …
     6     name: Sở B               6   issuer: …
     7     kind: department         7 period:
     8     <first appended line>    8   start: 2021-01-01
                                    9   end: 2025-12-31
                                   10 lead: so-a
                                   11 objectives:
                                   12   - id: N1
                                   13     title: Nhóm một
                                   14     ascc: A
                                   15 <first appended line>

"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from conftest import OWNERS, PLAN, TASKS

from aseanctl.i18n import render
from aseanctl.problems import Problem
from aseanctl.rules import RULES
from aseanctl.validation import validate_workspace

OWN = "owners.yaml"
PLN = "p1/plan.yaml"
TSK = "p1/tasks/nhom-1.yaml"
TSK2 = "p1/tasks/nhom-2.yaml"

SEVERITY = {rule.id: rule.severity for rule in RULES}


# --- helpers ----------------------------------------------------------------------


JRN = "p1/journal/2024.jsonl"


def update_line(**fields: object) -> str:
    """One journal line as aseanctl writes it; keyword arguments replace or add fields (None drops one)."""
    record: dict[str, object] = {
        "id": "u-1",
        "task": "N1.1",
        "date": "2024-06-01",
        "status": "in_progress",
        "progress": 50,
        "by": "so-a",
        "author": "A <a@example.org>",
        "recorded": "2024-06-02T08:00:00Z",
    }
    record.update(fields)
    return json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False) + "\n"


def one_task(fields: str, *, header: str = "objective: N1\n", task_id: str = "N1.1") -> str:
    """A tasks file holding one task; with the default header, its first field is on line 4."""
    return f"{header}tasks:\n  - id: {task_id}\n" + textwrap.indent(textwrap.dedent(fields), "    ")


def owners_then(extra: str) -> str:
    """OWNERS with ``extra`` appended as written (indent 4 for fields of so-b, 2 for new items)."""
    return OWNERS + extra


def owners(*entries: str) -> str:
    """An owners.yaml from entries written as flush-left field lines."""
    out = "owners:\n"
    for entry in entries:
        out += "  - " + textwrap.indent(textwrap.dedent(entry), "    ")[4:]
    return out


def plan_with_period(start: str, end: str) -> str:
    return PLAN.replace("start: 2021-01-01", f"start: {start}").replace("end: 2025-12-31", f"end: {end}")


def rel(problem: Problem, root: Path) -> str:
    assert problem.file is not None
    return problem.file.relative_to(root).as_posix()


def validate(root: Path) -> tuple[Problem, ...]:
    return validate_workspace(root).problems


def found(root: Path) -> set[tuple[str, int | None, str]]:
    return {(rel(p, root), p.line, p.rule) for p in validate(root)}


def found_with_columns(root: Path) -> set[tuple[str, int | None, int | None, str]]:
    return {(rel(p, root), p.line, p.column, p.rule) for p in validate(root)}


def english(root: Path, rule: str) -> list[str]:
    return [render(p.msg, "en") for p in validate(root) if p.rule == rule]


def case(
    case_id: str,
    files: dict[str, str | bytes | Path | None],
    *expected: tuple[str, int | None, str] | tuple[str, int | None, int | None, str],
    marks: tuple[pytest.MarkDecorator, ...] | pytest.MarkDecorator = (),
) -> Any:
    """One row of the table: files to replace (``owners``/``plan``/``tasks`` or a relative path)."""
    return pytest.param(files, set(expected), id=case_id, marks=marks)


A = "id: so-a\nname: A\nkind: department\n"
B = "id: so-b\nname: B\nkind: department\n"
C = "id: so-c\nname: C\nkind: department\n"

# An alias bomb ("billion laughs"): 9 levels of 9 aliases each, 9**9 strings if expanded.
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)


TWO_TASKS_DEFAULT_N2 = """\
objective: N2
tasks:
  - id: N1.1
    title: Một
    lead: so-a
    recurring: yearly
  - id: N1.2
    title: Hai
    lead: so-a
    recurring: yearly
"""

PLAN_INDICATORS = PLAN + "indicators:\n  - id: ti-le\n    name: Tỷ lệ\n"


# --- the table ----------------------------------------------------------------------

CASES = [
    # -- file-read ----------------------------------------------------------------------
    case("file-read/empty", {"tasks": ""}, (TSK, 1, "file-read")),
    case("file-read/whitespace-only", {"tasks": b" \t\n  \n\n"}, (TSK, 1, "file-read")),
    case("file-read/comment-only", {"tasks": "# nothing yet\n"}, (TSK, 1, "file-read")),
    case("file-read/nul-byte", {"tasks": b"objective: N1\ntasks:\x00\n"}, (TSK, 2, "file-read")),
    case(
        "file-read/invalid-utf8-line-of-bad-byte",
        {"tasks": b"objective: N1\ntasks:\n  - id: N1.1\n    title: Nhi\xe9m\n"},  # a Latin-1 byte
        (TSK, 4, "file-read"),
    ),
    case("file-read/utf16-bom", {"tasks": TASKS.encode("utf-16")}, (TSK, 1, "file-read")),
    case("file-read/owners-missing", {"owners": None}, (OWN, None, "file-read")),
    case("file-read/near-miss-utf8-bom", {"tasks": b"\xef\xbb\xbf" + TASKS.encode()}),
    # -- yaml-syntax --------------------------------------------------------------------
    case(
        "yaml-syntax/unclosed-quote",
        {"tasks": one_task('title: "Nhiệm vụ một\nlead: so-a\nrecurring: yearly\n')},
        (TSK, 4, "yaml-syntax"),
    ),  # where the quote opens, not where libyaml gave up
    case(
        "yaml-syntax/bad-indentation",
        {"tasks": "objective: N1\ntasks:\n  - id: N1.1\n    title: x\n   lead: so-a\n    recurring: yearly\n"},
        (TSK, 5, "yaml-syntax"),
    ),
    case(
        "yaml-syntax/tab-indentation",
        {"tasks": "objective: N1\ntasks:\n  - id: N1.1\n\ttitle: x\n"},
        (TSK, 4, "yaml-syntax"),
    ),
    case("yaml-syntax/two-documents", {"tasks": TASKS + "---\nobjective: N1\n"}, (TSK, 7, "yaml-syntax")),
    case(
        "yaml-syntax/mapping-as-key",
        {"tasks": one_task("title: x\nlead: so-a\nrecurring: yearly\n{a: 1}: x\n")},
        (TSK, 7, "yaml-syntax"),
    ),
    case("yaml-syntax/near-miss-explicit-document-start", {"tasks": "---\n" + TASKS}),
    # -- yaml-feature -------------------------------------------------------------------
    case(
        "yaml-feature/anchor-and-alias",
        {
            "tasks": one_task("title: &t Nhiệm vụ\nlead: so-a\nrecurring: yearly\n")
            + "  - id: N1.2\n    title: *t\n    lead: so-a\n    recurring: yearly\n"
        },
        (TSK, 4, "yaml-feature"),
    ),
    case("yaml-feature/alias-bomb", {"tasks": ALIAS_BOMB}, (TSK, 1, "yaml-feature")),
    case(
        "yaml-feature/python-object-tag",
        {"tasks": "objective: N1\ntasks:\n  - !!python/object:os.system\n    id: N1.1\n"},
        (TSK, 3, "yaml-feature"),
    ),
    case(
        "yaml-feature/binary-tag",
        {"tasks": one_task("title: !!binary aGVsbG8=\nlead: so-a\nrecurring: yearly\n")},
        (TSK, 4, "yaml-feature"),
    ),
    case(
        "yaml-feature/near-miss-&-*-!-inside-text",
        {"tasks": one_task("title: A & B, *x*, !important\nlead: so-a\nrecurring: yearly\n")},
    ),
    # -- duplicate-key ------------------------------------------------------------------
    case(
        "duplicate-key/two-due",
        {"tasks": one_task("title: x\nlead: so-a\ndue: 2022-01-01\ndue: 2023-01-01\n")},
        (TSK, 7, "duplicate-key"),
    ),
    case(
        "duplicate-key/near-miss-same-key-in-two-tasks",
        {"tasks": TASKS + "  - id: N1.2\n    title: Hai\n    lead: so-a\n    recurring: yearly\n"},
    ),
    # -- schema -------------------------------------------------------------------------
    case("schema/missing-required-lead", {"tasks": one_task("title: x\nrecurring: yearly\n")}, (TSK, 3, "schema")),
    case("schema/neither-due-nor-recurring", {"tasks": one_task("title: x\nlead: so-a\n")}, (TSK, 3, "schema")),
    case(
        "schema/unknown-key-tittle",
        {"tasks": one_task("tittle: x\ntitle: y\nlead: so-a\nrecurring: yearly\n")},
        (TSK, 4, "schema"),
    ),
    case(
        "schema/number-where-text-title-1.10",
        {"tasks": one_task("title: 1.10\nlead: so-a\nrecurring: yearly\n")},
        (TSK, 4, "schema"),
    ),
    case(
        "schema/number-where-id",
        {"tasks": one_task("title: x\nlead: so-a\nrecurring: yearly\n", task_id="10")},
        (TSK, 3, "schema"),
    ),
    case(
        "schema/near-miss-id-010-is-text",
        {"tasks": one_task("title: x\nlead: so-a\nrecurring: yearly\n", task_id="010")},
    ),
    case("schema/recurring-yes", {"tasks": one_task("title: x\nlead: so-a\nrecurring: yes\n")}, (TSK, 6, "schema")),
    case("schema/recurring-true", {"tasks": one_task("title: x\nlead: so-a\nrecurring: true\n")}, (TSK, 6, "schema")),
    case("schema/due-month-13", {"tasks": one_task("title: x\nlead: so-a\ndue: 2025-13-01\n")}, (TSK, 6, "schema")),
    case("schema/due-dd-mm-yyyy", {"tasks": one_task("title: x\nlead: so-a\ndue: 19/10/2021\n")}, (TSK, 6, "schema")),
    case("schema/near-miss-quoted-date", {"tasks": one_task('title: x\nlead: so-a\ndue: "2022-02-28"\n')}),
    case("schema/cutoff-02-30", {"plan": PLAN + "reporting:\n  cutoff: 02-30\n"}, (PLN, 16, "schema")),
    case("schema/near-miss-cutoff-02-28", {"plan": PLAN + "reporting:\n  frequency: quarterly\n  cutoff: 02-28\n"}),
    case("schema/cutoff-unicode-digits", {"plan": PLAN + 'reporting:\n  cutoff: "٠٢-٢٨"\n'}, (PLN, 16, "schema")),
    case("schema/cutoff-trailing-newline", {"plan": PLAN + 'reporting:\n  cutoff: "02-28\\n"\n'}, (PLN, 16, "schema")),
    case(
        "schema/control-character",
        {"tasks": one_task('title: "a\\u0007b"\nlead: so-a\nrecurring: yearly\n')},
        (TSK, 4, "schema"),
    ),
    case(
        "schema/blank-title", {"tasks": one_task('title: "   "\nlead: so-a\nrecurring: yearly\n')}, (TSK, 4, "schema")
    ),
    case("schema/null-title", {"tasks": one_task("title:\nlead: so-a\nrecurring: yearly\n")}, (TSK, 4, "schema")),
    case(
        "schema/support-not-a-list",
        {"tasks": one_task("title: x\nlead: so-a\nsupport: so-b\nrecurring: yearly\n")},
        (TSK, 6, "schema"),
    ),
    case(
        "schema/tags-mapping-not-list",
        {"tasks": one_task("title: x\nlead: so-a\ntags: {a: b}\nrecurring: yearly\n")},
        (TSK, 6, "schema"),
    ),
    case("schema/unknown-ascc-element", {"plan": PLAN + "    elements: [A.3]\n"}, (PLN, 15, "schema")),
    case(
        "schema/id-trailing-newline",
        {"tasks": one_task("title: x\nlead: so-a\nrecurring: yearly\n", task_id='"N1.1\\n"')},
        (TSK, 3, "schema"),
    ),
    # -- stray-file ---------------------------------------------------------------------
    case(
        "stray-file/task-folder-misspelt",
        {"p1/task/nhom-2.yaml": TASKS.replace("N1.1", "N1.2")},
        ("p1/task/nhom-2.yaml", None, "stray-file"),
    ),
    case("stray-file/yaml-beside-plan", {"p1/extra.yaml": "a: 1\n"}, ("p1/extra.yaml", None, "stray-file")),
    case("stray-file/yaml-beside-owners", {"extra.yaml": "a: 1\n"}, ("extra.yaml", None, "stray-file")),
    case(
        "stray-file/yaml-in-journal-folder",
        {"p1/journal/2024.yaml": "a: 1\n"},
        ("p1/journal/2024.yaml", None, "stray-file"),
    ),
    case("stray-file/near-miss-journal-gitattributes", {"p1/journal/.gitattributes": "*.jsonl merge=union\n"}),
    case(
        "stray-file/yml-bak-in-tasks",
        {"p1/tasks/nhom-1.yml.bak": TASKS},
        ("p1/tasks/nhom-1.yml.bak", None, "stray-file"),
    ),
    # -- control-character --------------------------------------------------------------
    case(
        "control-character/bidi-override-in-title",
        {"tasks": one_task("title: Một \u202eowt\nlead: so-a\nrecurring: yearly\n")},
        (TSK, 4, "control-character"),
    ),
    case(
        "control-character/bidi-in-document-issuer",
        {"plan": PLAN.replace("issuer: UBND tỉnh", "issuer: UBND \u202etỉnh")},
        ("p1/plan.yaml", 6, "control-character"),
    ),
    case(
        "control-character/c1-in-owner-name",
        {"owners": owners_then('  - id: so-c\n    name: "Sở \\x9b C"\n    kind: district\n')},
        (OWN, 9, "control-character"),
    ),
    # -- template-syntax / template-unsafe ------------------------------------------------
    case(
        "template-syntax/unclosed-tag",
        {"templates/progress.md.j2": "# {{ plan.title }}\n{% for x in y %}\n"},
        ("templates/progress.md.j2", 2, "template-syntax"),
    ),
    case(
        "template-unsafe/globals",
        {"templates/progress.md.j2": "# x\n{{ cycler.__init__.__globals__ }}\n"},
        ("templates/progress.md.j2", 2, "template-unsafe"),
        ("templates/progress.md.j2", 2, "template-unsafe"),
    ),
    # -- duplicate-id -------------------------------------------------------------------
    case("duplicate-id/task-in-two-files", {TSK2: TASKS}, (TSK2, 3, "duplicate-id")),
    case(
        "duplicate-id/owner",
        {"owners": owners_then("  - id: so-a\n    name: Sở A lần hai\n    kind: district\n")},
        (OWN, 8, "duplicate-id"),
    ),
    case(
        "duplicate-id/objective",
        {"plan": PLAN + "  - id: N1\n    title: Lần hai\n    ascc: B\n"},
        (PLN, 15, "duplicate-id"),
    ),
    case(
        "duplicate-id/task-indicator",
        {
            "tasks": one_task(
                "title: x\nlead: so-a\nrecurring: yearly\nindicators:\n"
                "  - id: i1\n    name: Một\n  - id: i1\n    name: Hai\n"
            )
        },
        (TSK, 10, "duplicate-id"),
    ),
    case(
        "duplicate-id/plan-indicator",
        {"plan": PLAN + "indicators:\n  - id: i1\n    name: Một\n  - id: i1\n    name: Hai\n"},
        (PLN, 18, "duplicate-id"),
    ),
    case(
        "duplicate-id/near-miss-same-indicator-id-in-two-tasks",
        {
            "tasks": one_task("title: x\nlead: so-a\nrecurring: yearly\nindicators:\n  - id: i1\n    name: Một\n")
            + "  - id: N1.2\n    title: y\n    lead: so-a\n    recurring: yearly\n"
            "    indicators:\n      - id: i1\n        name: Hai\n"
        },
    ),
    # -- unknown-owner ------------------------------------------------------------------
    case(
        "unknown-owner/task-lead",
        {"tasks": one_task("title: x\nlead: so-aa\nrecurring: yearly\n")},
        (TSK, 5, "unknown-owner"),
    ),
    case(
        "unknown-owner/support",
        {"tasks": one_task("title: x\nlead: so-a\nsupport: [so-b, so-c]\nrecurring: yearly\n")},
        (TSK, 6, "unknown-owner"),
    ),
    case("unknown-owner/plan-lead", {"plan": PLAN.replace("lead: so-a", "lead: so-x")}, (PLN, 10, "unknown-owner")),
    case(
        "unknown-owner/successor",
        {"owners": owners_then("    active_until: 2030-01-01\n    successor: so-bb\n")},
        (OWN, 9, "unknown-owner"),
    ),
    case(
        "unknown-owner/no-flood-when-owners-yaml-broken",
        {"owners": "owners: [\n", "tasks": one_task("title: x\nlead: so-zz\nsupport: [so-yy]\nrecurring: yearly\n")},
        (OWN, 2, "yaml-syntax"),
    ),
    case(
        "unknown-owner/no-flood-when-owners-yaml-missing",
        {"owners": None, "tasks": one_task("title: x\nlead: so-zz\nrecurring: yearly\n")},
        (OWN, None, "file-read"),
    ),
    case(
        "unknown-owner/no-flood-when-owners-list-fails-schema",
        {
            "owners": "owners:\n  id: so-a\n  name: A\n  kind: department\n",
            "tasks": one_task("title: x\nlead: so-zz\nrecurring: yearly\n"),
        },
        (OWN, 2, "schema"),
    ),
    # -- unknown-objective --------------------------------------------------------------
    case(
        "unknown-objective/task-level",
        {"tasks": one_task("title: x\nlead: so-a\nrecurring: yearly\nobjective: N2\n")},
        (TSK, 7, "unknown-objective"),
        (PLN, 12, "empty-objective"),
    ),
    case(
        "unknown-objective/file-level-reported-once",
        {"tasks": TWO_TASKS_DEFAULT_N2},
        (TSK, 1, "unknown-objective"),
        (PLN, 12, "empty-objective"),
    ),
    case(
        "unknown-objective/near-miss-task-level-without-file-default",
        {"tasks": one_task("title: x\nlead: so-a\nrecurring: yearly\nobjective: N1\n", header="")},
    ),
    # -- unknown-indicator --------------------------------------------------------------
    case(
        "unknown-indicator/contributes-to-misspelt",
        {
            "plan": PLAN_INDICATORS,
            "tasks": one_task(
                "title: x\nlead: so-a\nrecurring: yearly\nindicators:\n"
                "  - id: i1\n    name: Một\n    contributes_to: ti-lee\n"
            ),
        },
        (TSK, 10, "unknown-indicator"),
    ),
    case(
        "unknown-indicator/near-miss-declared",
        {
            "plan": PLAN_INDICATORS,
            "tasks": one_task(
                "title: x\nlead: so-a\nrecurring: yearly\nindicators:\n"
                "  - id: i1\n    name: Một\n    contributes_to: ti-le\n"
            ),
        },
    ),
    # -- successor-cycle ----------------------------------------------------------------
    case("successor-cycle/self", {"owners": owners(A + "successor: so-a\n", B)}, (OWN, 5, "successor-cycle")),
    case(
        "successor-cycle/a-b-a-once",
        {"owners": owners(A + "successor: so-b\n", B + "successor: so-a\n")},
        (OWN, 5, "successor-cycle"),
    ),
    case(
        "successor-cycle/loop-not-through-first-owner",
        {"owners": owners(A + "successor: so-b\n", B + "successor: so-c\n", C + "successor: so-b\n")},
        (OWN, 9, "successor-cycle"),
    ),
    case("successor-cycle/near-miss-chain", {"owners": owners(A + "successor: so-b\n", B + "successor: so-c\n", C)}),
    # -- date-order ---------------------------------------------------------------------
    case(
        "date-order/task-start-after-due",
        {"tasks": one_task("title: x\nlead: so-a\nstart: 2023-01-01\ndue: 2022-01-01\n")},
        (TSK, 7, "date-order"),
    ),
    case(
        "date-order/near-miss-start-equals-due",
        {"tasks": one_task("title: x\nlead: so-a\nstart: 2023-01-01\ndue: 2023-01-01\n")},
    ),
    case(
        "date-order/owner-span-reversed",
        {"owners": owners_then("    active_from: 2024-01-01\n    active_until: 2023-01-01\n")},
        (OWN, 9, "date-order"),
    ),
    case(
        "date-order/plan-period-reversed",
        {"plan": plan_with_period("2026-01-01", "2025-12-31")},
        (PLN, 9, "date-order"),
    ),
    # -- date-outside-period ------------------------------------------------------------
    case(
        "date-outside-period/start-before-and-due-after",
        {"tasks": one_task("title: x\nlead: so-a\nstart: 2020-12-31\ndue: 2026-01-01\n")},
        (TSK, 6, "date-outside-period"),
        (TSK, 7, "date-outside-period"),
    ),
    case(
        "date-outside-period/near-miss-both-edges",
        {"tasks": one_task("title: x\nlead: so-a\nstart: 2021-01-01\ndue: 2025-12-31\n")},
    ),
    # -- owner-inactive -----------------------------------------------------------------
    case(
        "owner-inactive/ends-without-successor",
        {"owners": owners(A + "active_until: 2023-06-30\n", B)},
        (TSK, 5, "owner-inactive"),
    ),
    case(
        "owner-inactive/supporter-ends-without-successor",
        {
            "owners": owners(A, B + "active_until: 2023-06-30\n"),
            "tasks": one_task("title: x\nlead: so-a\nsupport: [so-b]\nrecurring: yearly\n"),
        },
        (TSK, 6, "owner-inactive"),
    ),
    case(
        "owner-inactive/near-miss-successor-chain-covers",
        {
            "owners": owners(
                A + "active_until: 2023-06-30\nsuccessor: so-c\n",
                B,
                C + "active_from: 2023-07-01\nactive_until: 2024-12-31\nsuccessor: so-b\n",
            )
        },
    ),
    case(
        "owner-inactive/near-miss-task-due-before-owner-ends",
        {
            "owners": owners(A + "active_until: 2023-06-30\n", B),
            "tasks": one_task("title: x\nlead: so-a\ndue: 2023-06-30\n"),
        },
    ),
    case(
        "owner-inactive/successor-chain-ends-early",
        {
            "owners": owners(
                A + "active_until: 2023-06-30\nsuccessor: so-c\n",
                B,
                C + "active_from: 2023-07-01\nactive_until: 2024-12-31\n",
            )
        },
        (TSK, 5, "owner-inactive"),
    ),
    case(
        "owner-inactive/successor-starts-late",
        {"owners": owners(A + "active_until: 2023-06-30\nsuccessor: so-c\n", B, C + "active_from: 2023-09-01\n")},
        (TSK, 5, "owner-inactive"),
    ),
    case(
        "owner-inactive/near-miss-successor-already-existed",
        {"owners": owners(A + "active_until: 2023-06-30\nsuccessor: so-c\n", B, C + "active_from: 2023-06-01\n")},
    ),
    case(
        "owner-inactive/owner-starts-after-task-starts",
        {"owners": owners(A + "active_from: 2022-01-01\n", B)},
        (TSK, 5, "owner-inactive"),
    ),
    case(
        "owner-inactive/near-miss-task-starts-with-owner",
        {
            "owners": owners(A + "active_from: 2022-01-01\n", B),
            "tasks": one_task("title: x\nlead: so-a\nstart: 2022-01-01\ndue: 2023-01-01\n"),
        },
    ),
    # -- ascc-code ----------------------------------------------------------------------
    case(
        "ascc-code/task-element-of-other-characteristic",
        {"tasks": one_task("title: x\nlead: so-a\nrecurring: yearly\nelements: [A.1, C.3]\n")},
        (TSK, 7, "ascc-code"),
    ),
    case(
        "ascc-code/objective-element-of-other-characteristic",
        {"plan": PLAN + "    elements: [A.2, B.1]\n"},
        (PLN, 15, "ascc-code"),
    ),
    case(
        "ascc-code/near-miss-elements-agree",
        {
            "plan": PLAN + "    elements: [A.1, A.2]\n",
            "tasks": one_task("title: x\nlead: so-a\nrecurring: yearly\nelements: [A.2]\n"),
        },
    ),
    # -- support-list -------------------------------------------------------------------
    case(
        "support-list/lead-in-support",
        {"tasks": one_task("title: x\nlead: so-a\nsupport: [so-a, so-b]\nrecurring: yearly\n")},
        (TSK, 6, "support-list"),
    ),
    case(
        "support-list/repeated-supporter",
        {"tasks": one_task("title: x\nlead: so-a\nsupport: [so-b, so-b]\nrecurring: yearly\n")},
        (TSK, 6, "support-list"),
    ),
    case(
        "support-list/near-miss-distinct-supporters",
        {"tasks": one_task("title: x\nlead: so-a\nsupport: [so-b]\nrecurring: yearly\n")},
    ),
    # -- empty-objective ----------------------------------------------------------------
    case(
        "empty-objective/objective-without-tasks",
        {"plan": PLAN + "  - id: N2\n    title: Hai\n    ascc: B\n"},
        (PLN, 15, "empty-objective"),
    ),
    case(
        "empty-objective/silent-when-a-task-file-failed",
        {"plan": PLAN + "  - id: N2\n    title: Hai\n    ascc: B\n", TSK2: "objective: N2\ntasks: [\n"},
        (TSK2, 3, "yaml-syntax"),
    ),
    case(
        "empty-objective/silent-when-tasks-fails-schema",
        {"tasks": "objective: N1\ntasks:\n  id: N1.1\n  title: x\n  lead: so-a\n  recurring: yearly\n"},
        (TSK, 3, "schema"),
    ),
    # --- the journal (one JSON object per line; see aseanctl/journal.py) ---
    case("journal-syntax/not-json", {JRN: update_line() + "{not json}\n"}, (JRN, 2, "journal-syntax")),
    case("journal-syntax/torn-last-line", {JRN: update_line() + '{"id": "u-2", "ta'}, (JRN, 2, "journal-torn-line")),
    case("journal/near-miss-valid-line", {JRN: update_line()}),
    case("journal/schema-unknown-field", {JRN: update_line(colour="red")}, (JRN, 1, "schema")),
    case("journal/schema-progress-over-100", {JRN: update_line(progress=140)}, (JRN, 1, "schema")),
    case("journal/schema-status-a-list", {JRN: update_line(status=["x"])}, (JRN, 1, "schema")),
    case("journal/schema-actual-true", {JRN: update_line(actual=True)}, (JRN, 1, "schema")),
    case("journal/schema-health-a-mapping", {JRN: update_line(health={"a": 1})}, (JRN, 1, "schema")),
    case(
        "journal/duplicate-key",
        {JRN: update_line().replace('"by": "so-a"', '"by": "so-a", "by": "so-b"')},
        (JRN, 1, "duplicate-key"),
    ),
    case("duplicate-id/update", {JRN: update_line() + update_line()}, (JRN, 2, "duplicate-id")),
    case("unknown-task/update", {JRN: update_line(task="N9.9")}, (JRN, 1, "unknown-task")),
    case("unknown-owner/update-by", {JRN: update_line(by="so-khong-co")}, (JRN, 1, "unknown-owner")),
    case("unknown-indicator/update-actual", {JRN: update_line(actual={"khong-co": 1})}, (JRN, 1, "unknown-indicator")),
    case(
        "journal-date/outside-period",
        {JRN: update_line(date="2026-01-05", recorded="2026-02-01T00:00:00Z")},
        (JRN, 1, "journal-date"),
    ),
    case(
        "journal-date/after-recorded",
        {JRN: update_line(date="2024-06-01", recorded="2024-05-01T00:00:00Z")},
        (JRN, 1, "journal-date"),
    ),
    case("journal-correction/unknown", {JRN: update_line(corrects="u-9")}, (JRN, 1, "journal-correction")),
    case("journal-correction/self", {JRN: update_line(corrects="u-1")}, (JRN, 1, "journal-correction")),
    case(
        "journal-correction/twice",
        {JRN: update_line() + update_line(id="u-2", corrects="u-1") + update_line(id="u-3", corrects="u-1")},
        (JRN, 3, "journal-correction"),
    ),
    case(
        "journal-correction/near-miss-chain",
        {JRN: update_line() + update_line(id="u-2", corrects="u-1") + update_line(id="u-3", corrects="u-2")},
    ),
    case(
        "journal-withdrawal/unknown",
        {JRN: update_line() + update_line(id="u-2", status=None, progress=None, withdraws="u-9", reason="nhầm")},
        (JRN, 2, "journal-withdrawal"),
    ),
    case(
        "journal-withdrawal/no-reason",
        {JRN: update_line() + update_line(id="u-2", status=None, progress=None, withdraws="u-1")},
        (JRN, 2, "journal-withdrawal"),
    ),
    case(
        "journal-withdrawal/near-miss",
        {JRN: update_line() + update_line(id="u-2", status=None, progress=None, withdraws="u-1", reason="nhầm")},
    ),
    case("update-owner/no-part", {JRN: update_line(by="so-b")}, (JRN, 1, "update-owner")),
    case(
        "progress-backwards/drop",
        {
            JRN: update_line(progress=60)
            + update_line(id="u-2", date="2024-07-01", recorded="2024-07-02T08:00:00Z", progress=40)
        },
        (JRN, 2, "progress-backwards"),
    ),
    case(
        "progress-backwards/near-miss-corrected",
        {
            JRN: update_line(progress=60)
            + update_line(id="u-2", date="2024-07-01", recorded="2024-07-02T08:00:00Z", progress=40)
            + update_line(id="u-3", progress=30, corrects="u-1")
        },
    ),
    case(
        "completed-incomplete/completed-at-80",
        {JRN: update_line(status="completed", progress=80)},
        (JRN, 1, "completed-incomplete"),
    ),
    case("completed-incomplete/near-miss-no-figure", {JRN: update_line(status="completed", progress=None)}),
    # -- unsafe-file: a link in the plan tree is refused, even one pointing inside it ------------
    case("unsafe-file/task-file-link", {TSK2: Path("nhom-1.yaml")}, (TSK2, None, "unsafe-file")),
    case(
        "unsafe-file/tasks-folder-link",
        {"tasks": None, "p1/.real/nhom-1.yaml": TASKS, "p1/tasks": Path(".real")},
        ("p1/tasks", None, "unsafe-file"),
    ),
    case(
        "unsafe-file/owners-link",
        {"owners": None, "elsewhere.txt": OWNERS, OWN: Path("elsewhere.txt")},
        (OWN, None, "unsafe-file"),
    ),
    case("unsafe-file/journal-link", {JRN: Path("../tasks/nhom-1.yaml")}, (JRN, None, "unsafe-file")),
    case("unsafe-file/near-miss-hidden-link", {"p1/tasks/.nhom-2.yaml": Path("nhom-1.yaml")}),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_rule_case(make_workspace, files, expected):
    assert found(make_workspace(**files)) == expected


@pytest.mark.parametrize(("files", "expected"), [c for c in CASES if not c.marks])
def test_severity_is_the_rules_own(make_workspace, files, expected):
    problems = validate(make_workspace(**files))
    assert {(p.rule, p.severity) for p in problems} <= set(SEVERITY.items())


def test_every_rule_has_a_failing_case():
    covered = {rule for c in CASES for (_, _, rule) in c.values[1]}
    assert covered == set(SEVERITY)


# --- columns ------------------------------------------------------------------------

COLUMN_CASES = [
    case(
        "unknown-key-points-at-key",
        {"tasks": one_task("tittle: x\ntitle: y\nlead: so-a\nrecurring: yearly\n")},
        (TSK, 4, 5, "schema"),
    ),
    case(
        "number-points-at-value",
        {"tasks": one_task("title: 1.10\nlead: so-a\nrecurring: yearly\n")},
        (TSK, 4, 12, "schema"),
    ),
    case(
        "support-item-in-flow-list",
        {"tasks": one_task("title: x\nlead: so-a\nsupport: [so-b, so-c]\nrecurring: yearly\n")},
        (TSK, 6, 21, "unknown-owner"),
    ),
    case(
        "invalid-utf8-column-counts-characters",
        {"tasks": "objective: N1\ntasks:\n  - id: N1.1\n    title: Việt ".encode() + b"\xe9\n"},
        (TSK, 4, 17, "file-read"),
    ),
]


@pytest.mark.parametrize(("files", "expected"), COLUMN_CASES)
def test_rule_case_columns(make_workspace, files, expected):
    assert found_with_columns(make_workspace(**files)) == expected


# --- messages -----------------------------------------------------------------------

MESSAGE_CASES = [
    pytest.param(
        {"tasks": one_task("title: x\nlead: so-aa\nrecurring: yearly\n")},
        "unknown-owner",
        "did you mean 'so-a'?",
        id="unknown-owner-task-lead",
    ),
    pytest.param(
        {"tasks": one_task("title: x\nlead: so-a\nsupport: [so-bb]\nrecurring: yearly\n")},
        "unknown-owner",
        "did you mean 'so-b'?",
        id="unknown-owner-support",
    ),
    pytest.param(
        {"plan": PLAN.replace("lead: so-a", "lead: so_a")},
        "unknown-owner",
        "did you mean 'so-a'?",
        id="unknown-owner-plan-lead",
    ),
    pytest.param(
        {"owners": owners_then("    active_until: 2030-01-01\n    successor: so-bb\n")},
        "unknown-owner",
        "did you mean 'so-b'?",
        id="unknown-owner-successor",
    ),
    pytest.param(
        {"tasks": one_task("tittle: x\ntitle: y\nlead: so-a\nrecurring: yearly\n")},
        "schema",
        "did you mean 'title'?",
        id="schema-tittle",
    ),
    pytest.param(
        {"tasks": one_task("title: 1.10\nlead: so-a\nrecurring: yearly\n")},
        "schema",
        "put the value in quotes",
        id="schema-quote-hint",
    ),
    pytest.param(
        {"tasks": one_task("title: x\nlead: so-a\nrecurring: yes\n")},
        "schema",
        "'yes' is true/false in YAML 1.1",
        id="schema-yaml11-hint",
    ),
    pytest.param(
        {"tasks": TWO_TASKS_DEFAULT_N2},
        "unknown-objective",
        "plan 'p1' has no objective 'N2'",
        id="unknown-objective-hint",
    ),
    pytest.param(
        {"owners": owners(A + "successor: so-b\n", B + "successor: so-a\n")},
        "successor-cycle",
        "so-a → so-b → so-a",
        id="successor-cycle-chain",
    ),
    pytest.param(
        {"p2/plan.yaml": PLAN.replace("id: p1", "id: p2"), "p2/tasks/nhom-1.yaml": TASKS},
        "duplicate-id",
        "p1/tasks/nhom-1.yaml",
        id="duplicate-id-names-first-folder",
    ),
]


@pytest.mark.parametrize(("files", "rule", "text"), MESSAGE_CASES)
def test_english_message_says(make_workspace, files, rule, text):
    assert any(text in message for message in english(make_workspace(**files), rule))


# --- behaviour beyond a single case ---------------------------------------------------


def test_alias_bomb_is_reported_quickly(make_workspace):
    root = make_workspace(tasks=ALIAS_BOMB)
    started = time.perf_counter()
    problems = validate(root)
    assert time.perf_counter() - started < 1.0 and [p.rule for p in problems] == ["yaml-feature"]


def test_flow_nesting_far_beyond_the_limit_does_not_crash_the_process(make_workspace):
    """Run in a child process: a C stack overflow would otherwise take pytest down with it."""
    root = make_workspace(tasks="[" * 100_000 + "]" * 100_000)
    code = (
        "import sys; from aseanctl.validation import validate_workspace; "
        "print(sorted({p.rule for p in validate_workspace(__import__('pathlib').Path(sys.argv[1])).problems}))"
    )
    child = subprocess.run(
        [sys.executable, "-c", code, str(root)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert child.returncode == 0 and "yaml-syntax" in child.stdout


def test_problems_are_sorted_by_file_then_line(make_workspace):
    root = make_workspace(
        owners=owners(A + "active_until: 2023-06-30\n", B + "successor: so-zz\n"),
        plan=PLAN + "  - id: N2\n    title: Hai\n    ascc: B\n",
        tasks=one_task("title: 1.10\nlead: so-a\nsupport: [so-a, so-q]\nrecurring: yes\n"),
        **{"p1/extra.yaml": "a: 1\n"},
    )
    problems = validate(root)
    order = [(str(p.file), p.line or 0) for p in problems]
    assert len(problems) >= 6 and order == sorted(order)


def test_nfd_and_nfc_spellings_of_a_key_are_the_same_key(make_workspace):
    """Ids are ASCII by the documented pattern, so Vietnamese text compares in keys and values."""
    key = "tiêu_đề"
    root = make_workspace(
        tasks=one_task(f"{unicodedata.normalize('NFD', key)}: x\n{key}: y\ntitle: z\nlead: so-a\nrecurring: yearly\n")
    )
    assert found(root) == {(TSK, 4, "schema"), (TSK, 5, "duplicate-key")}


def test_nfd_and_nfc_spellings_of_an_id_are_reported_as_the_same_text(make_workspace):
    ident = "nhiệm-vụ-1"
    root = make_workspace(
        tasks=one_task("title: x\nlead: so-a\nrecurring: yearly\n", task_id=unicodedata.normalize("NFD", ident)),
        **{TSK2: one_task("title: y\nlead: so-a\nrecurring: yearly\n", task_id=ident)},
    )
    reported = {p.msg.args["found"] for p in validate(root) if p.msg.key == "schema.id"}
    assert reported == {ident}


def test_vietnamese_title_survives_as_nfc(make_workspace):
    title = "Triển khai các hoạt động xây dựng cộng đồng gắn kết"
    root = make_workspace(
        tasks=one_task(f"title: {unicodedata.normalize('NFD', title)}\nlead: so-a\nrecurring: yearly\n")
    )
    (task,) = validate_workspace(root).load.workspace.tasks()
    assert task.title == title and unicodedata.is_normalized("NFC", task.title)


def test_id_010_is_loaded_as_the_text_010(make_workspace):
    root = make_workspace(tasks=one_task("title: x\nlead: so-a\nrecurring: yearly\n", task_id="010"))
    (task,) = validate_workspace(root).load.workspace.tasks()
    assert task.id == "010"


def test_duplicate_task_id_is_reported_in_the_second_file_naming_the_first(make_workspace):
    root = make_workspace(**{TSK2: TASKS})
    (problem,) = validate(root)
    assert problem.msg.args["first"] == "p1/tasks/nhom-1.yaml (tasks[0])" and rel(problem, root) == TSK2


def test_owners_broken_reports_only_the_owners_file(make_workspace):
    root = make_workspace(
        owners="owners:\n  - id: so-a\n\tname: A\n",
        tasks=one_task("title: x\nlead: so-zz\nsupport: [so-yy]\nrecurring: yearly\n"),
    )
    assert {rel(p, root) for p in validate(root)} == {OWN}


NULL_DOCUMENTS = [
    pytest.param({"plan": "---\n...\n"}, PLN, id="plan-is-explicit-empty-document"),
    pytest.param({"tasks": "---\n"}, TSK, id="tasks-is-bare-document-start"),
    pytest.param(
        {"owners": "~\n", "tasks": one_task("title: x\nlead: so-zz\nrecurring: yearly\n")}, OWN, id="owners-is-null"
    ),
]


@pytest.mark.parametrize(("files", "culprit"), NULL_DOCUMENTS)
def test_a_file_holding_a_null_document_is_reported(make_workspace, files, culprit):
    root = make_workspace(**files)
    assert culprit in {rel(p, root) for p in validate(root) if p.severity == "error"}


def test_a_task_without_any_objective_is_an_error(make_workspace):
    root = make_workspace(tasks=one_task("title: x\nlead: so-a\nrecurring: yearly\n", header=""))
    assert any(rel(p, root) == TSK and p.severity == "error" for p in validate(root))


def test_minimal_workspace_is_clean(make_workspace):
    assert validate(make_workspace()) == ()
