"""The exported JSON Schema and the validator say the same thing about the shape of files.

Files are loaded with ``aseanctl.yamlio.load_yaml`` (dates stay text, ``no`` stays text),
which is the data the schema describes; ``yaml.safe_load`` would turn dates into date
objects that no JSON Schema can accept.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")
from conftest import PLAN
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from aseanctl.cli import app
from aseanctl.schema import json_schema
from aseanctl.validation import validate_workspace
from aseanctl.yamlio import load_yaml

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "plan"
KINDS = ["owners", "plan", "tasks"]  # the plan files every plan has (the journal and report inputs are optional)
FORMATS = Draft202012Validator.FORMAT_CHECKER
FILE_OF_KIND = {"owners": "owners", "plan": "plan", "tasks": "tasks"}  # make_workspace's keyword per kind


def validator(kind: str | None = None) -> Draft202012Validator:
    return Draft202012Validator(json_schema(kind), format_checker=FORMATS)


def schema_errors(kind: str | None, data: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(kind).iter_errors(data)]


def shipped_files() -> list[tuple[str, Path]]:
    files = [("owners", SHIPPED / "owners.yaml")]
    for plan_file in sorted(SHIPPED.glob("*/plan.yaml")):
        files.append(("plan", plan_file))
        files.extend(("tasks", task_file) for task_file in sorted((plan_file.parent / "tasks").glob("*.yaml")))
    return files


def load_data(path: Path) -> object:
    loaded = load_yaml(path)
    assert loaded.problems == [], loaded.problems
    return loaded.data


# --- the exported schemas themselves --------------------------------------------------


@pytest.mark.parametrize("kind", [*KINDS, None])
def test_exported_schema_is_valid_draft_2020_12(kind: str | None) -> None:
    schema = json_schema(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    json.dumps(schema)  # plain JSON, nothing Python-only


def test_shipped_plan_has_every_kind() -> None:
    kinds = [kind for kind, _ in shipped_files()]
    assert set(kinds) == set(KINDS)
    assert kinds.count("tasks") >= 5


@pytest.mark.parametrize(("kind", "path"), shipped_files(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_shipped_file_passes_its_schema(kind: str, path: Path) -> None:
    data = load_data(path)
    assert schema_errors(kind, data) == []
    assert schema_errors(None, data) == []


def test_shipped_plan_validates_clean() -> None:
    report = validate_workspace(SHIPPED)
    assert report.problems == ()


# --- agreement: the schema and validate_workspace reject and accept the same files ----


def _task(body: str, head: str = "objective: N1\ntasks:\n") -> str:
    return head + textwrap.indent(textwrap.dedent(body), "  ")


_GOOD_TASK = """\
- id: N1.1
  title: Nhiệm vụ một
  lead: so-a
  recurring: yearly
"""

_GOOD_PLAN = PLAN  # the small valid plan every test starts from


def _plan(old: str, new: str) -> str:
    assert old in _GOOD_PLAN
    return _GOOD_PLAN.replace(old, new)


BROKEN: dict[str, tuple[str, str]] = {
    # name: (kind, file text)
    "task missing title": ("tasks", _task("- id: N1.1\n  lead: so-a\n  recurring: yearly\n")),
    "task missing lead": ("tasks", _task("- id: N1.1\n  title: Một\n  recurring: yearly\n")),
    "task unknown key (tittle)": ("tasks", _task(_GOOD_TASK + "  tittle: Một\n")),
    "task has neither due nor recurring": ("tasks", _task("- id: N1.1\n  title: Một\n  lead: so-a\n")),
    "task due is not a date": ("tasks", _task("- id: N1.1\n  title: Một\n  lead: so-a\n  due: 2021-02-30\n")),
    "task due month 13": ("tasks", _task("- id: N1.1\n  title: Một\n  lead: so-a\n  due: 2021-13-01\n")),
    "task due as day/month/year": ("tasks", _task("- id: N1.1\n  title: Một\n  lead: so-a\n  due: 19/10/2021\n")),
    "task id with a space": ("tasks", _task(_GOOD_TASK.replace("N1.1", '"N1 1"'))),
    "task id starting with a dash": ("tasks", _task(_GOOD_TASK.replace("N1.1", '"-N1"'))),
    "task id longer than 64": ("tasks", _task(_GOOD_TASK.replace("N1.1", "N" * 65))),
    "recurring monthly (bad enum)": ("tasks", _task(_GOOD_TASK.replace("yearly", "monthly"))),
    "recurring yes (YAML 1.1 word)": ("tasks", _task(_GOOD_TASK.replace("yearly", "yes"))),
    "blank title": ("tasks", _task(_GOOD_TASK.replace("Nhiệm vụ một", '"   "'))),
    "number where text expected": ("tasks", _task(_GOOD_TASK.replace("Nhiệm vụ một", "1.10"))),
    "true where text expected": ("tasks", _task(_GOOD_TASK.replace("Nhiệm vụ một", "true"))),
    "support not a list": ("tasks", _task(_GOOD_TASK + "  support: so-b\n")),
    "element not an ASCC element": ("tasks", _task(_GOOD_TASK + "  elements: [A.9]\n")),
    "tag longer than 80": ("tasks", _task(_GOOD_TASK + f"  tags: [{'t' * 81}]\n")),
    "indicator target is text": (
        "tasks",
        _task(_GOOD_TASK + "  indicators:\n    - id: i1\n      name: Chỉ số\n      target: nhiều\n"),
    ),
    "indicator without name": ("tasks", _task(_GOOD_TASK + "  indicators:\n    - id: i1\n")),
    "tasks is a mapping": ("tasks", "objective: N1\ntasks:\n  id: N1.1\n"),
    "tasks file without tasks": ("tasks", "objective: N1\n"),
    "file is a list": ("tasks", _GOOD_TASK),
    "owner missing name": ("owners", "owners:\n  - id: so-a\n    kind: department\n"),
    "owner kind agency (bad enum)": ("owners", "owners:\n  - id: so-a\n    name: Sở A\n    kind: agency\n"),
    "owner active_until Feb 30": (
        "owners",
        ("owners:\n  - id: so-a\n    name: Sở A\n    kind: department\n    active_until: 2025-02-30\n"),
    ),
    "owner assumptions is text": (
        "owners",
        ("owners:\n  - id: so-a\n    name: Sở A\n    kind: department\n    assumptions: suy ra\n"),
    ),
    "owners top-level unknown key": ("owners", "owners: []\nowner: []\n"),
    "plan missing document": (
        "plan",
        _plan("document:\n  number: 1/KH-UBND\n  date: 2021-10-19\n  issuer: UBND tỉnh\n", ""),
    ),
    "plan document without issuer": ("plan", _plan("  issuer: UBND tỉnh\n", "")),
    "plan period start not a date": ("plan", _plan("start: 2021-01-01", "start: 2021")),
    "plan ascc F": ("plan", _plan("ascc: A", "ascc: F")),
    "plan language fr": ("plan", _plan("lead: so-a\n", "lead: so-a\nlanguage: fr\n")),
    "plan cutoff month 13": ("plan", _plan("lead: so-a\n", "lead: so-a\nreporting:\n  cutoff: 13-01\n")),
    "plan lead is a list": ("plan", _plan("lead: so-a\n", "lead: [so-a]\n")),
}

VALID: dict[str, tuple[str, str]] = {
    "task with due only, quoted date": (
        "tasks",
        _task("- id: N1.1\n  title: Một\n  lead: so-a\n  due: '2021-10-19'\n"),
    ),
    "task with every field; YAML 1.1 traps kept as text": (
        "tasks",
        _task("""\
        - id: "010"
          objective: N1
          title: no
          title_en: on
          lead: so-a
          support: [so-b]
          start: 2021-03-01
          due: 2025-12-31
          recurring: yearly
          output: 12:30
          indicators:
            - id: i1
              name: Số hộ
              name_en: Households
              unit: hộ
              baseline: 0
              target: 5000.5
          elements: [A.1, A.2]
          tags: [giam-ngheo, "an sinh"]
          source: KH 702
          assumptions: [Suy ra]
          note: Ghi chú
        """),
    ),
    "tasks file with an empty list": ("tasks", "objective: N1\ntasks: []\n"),
    "owner with every field": (
        "owners",
        """\
        owners:
          - id: so-a
            name: Sở A
            kind: department
          - id: so-b
            name: Sở B
            name_en: Department B
            short: SB
            kind: district
            active_from: 2020-01-01
            active_until: 2025-02-28
            successor: so-a
            source: Nghị quyết
            assumptions: [Suy ra]
            note: Ghi chú
        """,
    ),
    "plan with every optional part": (
        "plan",
        _plan(
            "lead: so-a\n",
            textwrap.dedent("""\
        lead: so-a
        title_en: Test plan
        language: en
        implements:
          - number: 161/QĐ-TTg
            date: 2016-01-25
            issuer: Thủ tướng Chính phủ
            title: Đề án
        reporting:
          frequency: quarterly
          cutoff: "12-14"
        indicators:
          - id: ti-le
            name: Tỷ lệ
            unit: "%"
            baseline: 2.5
            target: 1.5
        source: Cổng TTĐT
        assumptions: [Suy ra]
        note: Ghi chú
        """),
        ),
    ),
    "NFD Vietnamese title": (
        "tasks",
        _task(_GOOD_TASK.replace("Nhiệm vụ một", "Nhi\u0065\u0323\u0302m vu\u0323 mo\u0302\u0323t")),
    ),
}


def _workspace(make_workspace, kind: str, text: str) -> tuple[Path, Path]:
    root = make_workspace(**{FILE_OF_KIND[kind]: text})
    file = {
        "owners": root / "owners.yaml",
        "plan": root / "p1" / "plan.yaml",
        "tasks": root / "p1" / "tasks" / "nhom-1.yaml",
    }[kind]
    return root, file


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_schema_and_validator_both_reject(make_workspace, name: str) -> None:
    kind, text = BROKEN[name]
    root, file = _workspace(make_workspace, kind, text)
    loaded = load_yaml(file)
    assert loaded.problems == [] and loaded.data is not None, loaded.problems  # a shape problem, not a YAML one
    assert schema_errors(kind, loaded.data), f"the {kind} schema accepts it"
    assert schema_errors(None, loaded.data), "the combined schema accepts it"
    report = validate_workspace(root)
    assert any(p.rule == "schema" and p.file == file for p in report.problems), report.problems


@pytest.mark.parametrize("name", sorted(VALID))
def test_schema_and_validator_both_accept(make_workspace, name: str) -> None:
    kind, text = VALID[name]
    root, file = _workspace(make_workspace, kind, text)
    loaded = load_yaml(file)
    assert loaded.problems == [], loaded.problems
    assert schema_errors(kind, loaded.data) == []
    assert schema_errors(None, loaded.data) == []
    report = validate_workspace(root)
    assert [p for p in report.problems if p.rule == "schema"] == []


def test_yaml11_traps_load_as_text(make_workspace) -> None:
    _, file = _workspace(make_workspace, *VALID["task with every field; YAML 1.1 traps kept as text"])
    task = load_yaml(file).data["tasks"][0]
    assert (task["id"], task["title"], task["title_en"], task["output"], task["due"]) == (
        "010",
        "no",
        "on",
        "12:30",
        "2025-12-31",
    )
    assert task["indicators"][0]["baseline"] == 0 and task["indicators"][0]["target"] == 5000.5


# --- where the two once disagreed ----------------------------------------------------


def test_cutoff_feb_30_rejected_by_both(make_workspace) -> None:
    root, file = _workspace(make_workspace, "plan", _plan("lead: so-a\n", "lead: so-a\nreporting:\n  cutoff: 02-30\n"))
    report = validate_workspace(root)
    assert any(p.rule == "schema" for p in report.problems)
    assert schema_errors("plan", load_yaml(file).data), "the plan schema accepts cutoff 02-30"


def test_control_character_rejected_by_both(make_workspace) -> None:
    root, file = _workspace(make_workspace, "tasks", _task(_GOOD_TASK.replace("Nhiệm vụ một", '"a\\u0001b"')))
    report = validate_workspace(root)
    assert any(p.rule == "schema" for p in report.problems)
    assert schema_errors("tasks", load_yaml(file).data), "the tasks schema accepts a control character"


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("tasks", _task(_GOOD_TASK.replace("N1.1", '"N1.1\\n"'))),
        ("tasks", _task(_GOOD_TASK.replace("lead: so-a", 'lead: "so-a\\n"'))),
        ("plan", _plan("lead: so-a\n", 'lead: so-a\nreporting:\n  cutoff: "12-31\\n"\n')),
        ("plan", _plan("lead: so-a\n", "lead: so-a\nreporting:\n  cutoff: \u0661\u0662-\u0663\u0661\n")),
    ],
    ids=["id-newline", "lead-newline", "cutoff-newline", "cutoff-arabic-digits"],
)
def test_identifier_and_day_patterns_are_anchored_ascii(make_workspace, kind: str, text: str) -> None:
    """Python's '$' matches before a final newline and '\\d' any Unicode digit: "N1.1\\n" once
    passed as an id distinct from N1.1, and a cut-off in Arabic-Indic digits was accepted."""
    root, file = _workspace(make_workspace, kind, text)
    report = validate_workspace(root)
    assert any(p.rule == "schema" and p.file == file for p in report.problems), report.problems


def test_infinite_number_rejected_by_both_with_a_clear_message(make_workspace) -> None:
    from aseanctl.i18n import render

    text = _task(_GOOD_TASK + "  indicators:\n    - id: i1\n      name: Chỉ số\n      target: 1e999\n")
    root, file = _workspace(make_workspace, "tasks", text)
    problems = [p for p in validate_workspace(root).problems if p.rule == "schema"]
    assert problems
    message = render(problems[0].msg, "en")
    assert message != "expected a number, found a number", message
    assert schema_errors("tasks", load_yaml(file).data), "the tasks schema accepts infinity"


# --- aseanctl schema ------------------------------------------------------------------

runner = CliRunner()


def test_cli_schema_prints_the_combined_schema() -> None:
    result = runner.invoke(app, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json_schema()


@pytest.mark.parametrize("kind", KINDS)
def test_cli_schema_prints_one_kind(kind: str) -> None:
    result = runner.invoke(app, ["schema", kind], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json_schema(kind)


def test_cli_schema_unknown_kind_is_a_usage_error() -> None:
    result = runner.invoke(app, ["schema", "task"], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "task" in result.output


def test_a_lone_surrogate_in_yaml_text_is_refused() -> None:
    """libyaml refuses a "\\ud800" escape as a syntax error, but PyYAML's pure-Python loader (used
    where libyaml is missing) decodes it to a lone surrogate, which no UTF-8 output can hold: the
    schema's text refuses it, wherever it stands, with the character named."""
    import yaml

    from aseanctl import schema

    data = yaml.load(_task(_GOOD_TASK.replace("Nhiệm vụ một", '"a\\ud800b"')), Loader=yaml.SafeLoader)
    assert data["tasks"][0]["title"] == "a\ud800b"
    _, problems = schema.check_value(schema.TASKS_FILE, data)
    assert [(p.path, p.msg.key, p.msg.args) for p in problems] == [
        (("tasks", 0, "title"), "schema.surrogate", {"code": 0xD800})
    ]
    _, problems = schema.check_value(schema.REPORT_INPUT, {"direction": "x\udc00"})
    assert [p.msg.key for p in problems] == ["schema.surrogate"]
