"""Property tests: nothing a plan file contains may crash the loader, the validator or the CLI.

(a) arbitrary bytes as owners.yaml, plan.yaml or a tasks file: ``load_yaml`` and
    ``validate_workspace`` return problems, never raise; every problem names a documented
    rule and, where it has a line, a line inside the file;
(b) YAML-ish text from a grammar (nesting, flow and block styles, the YAML 1.1 traps,
    anchors, tags, tabs, long and decomposed Vietnamese text …) as a tasks file;
(c) the same text through ``aseanctl validate --format json``: exit 0 or 1, valid JSON.

Workspaces are written to temporary folders made inside each example, so no
function-scoped fixture is shared between examples.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import textwrap
import unicodedata
from pathlib import Path

import pytest
from planbuilder import (
    Indicator,
    Objective,
    Owner,
    Plan,
    Reporting,
    Task,
    TaskFile,
    Workspace,
    owners_yaml,
    plan_yaml,
    tasks_yaml,
)

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aseanctl.cli import app
from aseanctl.rules import RULES
from aseanctl.validation import validate_workspace
from aseanctl.yamlio import load_yaml

RULE_IDS = frozenset(rule.id for rule in RULES)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

BUILT = Workspace(
    owners=(
        Owner("so-a", "Sở A"),
        Owner("so-b", "Sở B", active_until="2023-12-31", successor="so-a"),
    ),
    plan=Plan(
        reporting=Reporting(),
        objectives=(Objective("N1", "Nhóm một", ascc="A", elements=("A.1",)),),
        indicators=(Indicator("ti-le", "Tỷ lệ", unit="%", baseline=2.5, target=1.5),),
    ),
    task_files=(
        TaskFile(
            "N1",
            (
                Task(
                    "N1.1",
                    "Nhiệm vụ một",
                    lead="so-a",
                    support=("so-b",),
                    recurring="yearly",
                    indicators=(Indicator("ho", "Số hộ", target=5000, contributes_to="ti-le"),),
                ),
                Task("N1.2", "Nhiệm vụ hai", lead="so-b", start="2021-06-01", due="2022-12-31", elements=("A.1",)),
            ),
        ),
    ),
)
OWNERS = owners_yaml(BUILT.owners)
PLAN = plan_yaml(BUILT.plan)
TASKS = tasks_yaml(BUILT.task_files[0])

FILES = {"owners": "owners.yaml", "plan": "p1/plan.yaml", "tasks": "p1/tasks/nhom-1.yaml"}
BASE = {"owners": OWNERS, "plan": PLAN, "tasks": TASKS}

# what YAML itself counts as a line break (PyYAML's reader: CR LF, CR, LF, NEL, LS, PS)
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def write_workspace(root: Path, **replace: str | bytes) -> Path:
    """The small valid workspace above, with some files replaced (by kind: owners, plan, tasks)."""
    for kind, name in FILES.items():
        content = replace.get(kind, BASE[kind])
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def line_count(raw: bytes) -> int:
    """Lines of the file as YAML (and an editor) counts them."""
    text = raw.decode("utf-8", errors="replace")
    return len(_YAML_BREAK.split(text))


def check_problems(problems, files: dict[Path, bytes]) -> None:
    for problem in problems:
        assert problem.rule in RULE_IDS, problem
        assert problem.severity in ("error", "warning"), problem
        if problem.line is not None and problem.file in files:
            assert 1 <= problem.line <= line_count(files[problem.file]) + 1, (problem, files[problem.file][:200])
        if problem.column is not None:
            assert problem.column >= 1, problem


def test_base_workspace_is_clean(tmp_path: Path) -> None:
    assert validate_workspace(write_workspace(tmp_path)).problems == ()


# --- (a) arbitrary bytes -------------------------------------------------------------


def _splice(base: bytes, data: st.DataObject) -> bytes:
    start = data.draw(st.integers(0, len(base)))
    end = data.draw(st.integers(start, min(len(base), start + 40)))
    insert = data.draw(
        st.one_of(
            st.binary(max_size=20),
            st.sampled_from(
                [
                    b"\t",
                    b"\x00",
                    b"\xff",
                    b"\xef\xbb\xbf",
                    b"\r",
                    b"\xc2\x85",
                    b"\xe2\x80\xa8",
                    b"&a ",
                    b"*a",
                    b"!!binary ",
                    b"\n---\n",
                    b": ",
                    b"- ",
                    b"{",
                    b"[",
                    b'"',
                    b"'",
                    b"? ",
                    b"~",
                    b"\n  ",
                    b"#",
                    b"|\n",
                    b">-\n",
                    b"\\",
                    b"%YAML 1.1\n",
                ]
            ),
        )
    )
    return base[:start] + insert + base[end:]


@st.composite
def plan_file_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    """(kind, content): random bytes, random text, or the valid file with a few bytes spliced in."""
    kind = draw(st.sampled_from(sorted(FILES)))
    how = draw(st.sampled_from(["bytes", "text", "splice", "splice"]))
    if how == "bytes":
        content = draw(st.binary(max_size=400))
    elif how == "text":
        content = draw(st.text(max_size=300)).encode("utf-8", "surrogatepass")
    else:
        content = BASE[kind].encode("utf-8")
        data = draw(st.data())
        for _ in range(draw(st.integers(1, 4))):
            content = _splice(content, data)
    prefix = draw(st.sampled_from([b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"---\n", b"\r\n"]))
    return kind, prefix + content


@SETTINGS
@given(plan_file_bytes())
def test_arbitrary_bytes_never_crash(case: tuple[str, bytes]) -> None:
    kind, raw = case
    with tempfile.TemporaryDirectory() as folder:
        root = write_workspace(Path(folder), **{kind: raw})
        target = root / FILES[kind]
        loaded = load_yaml(target)
        check_problems(loaded.problems, {target: raw})
        if loaded.data is None:
            assert loaded.problems, "a file that did not load must say why"
        report = validate_workspace(root)
        files = {root / name: (raw if k == kind else BASE[k].encode("utf-8")) for k, name in FILES.items()}
        check_problems(report.problems, files)
        for problem in report.problems:
            assert problem.file is None or problem.file in files, problem


# --- (b) YAML-ish text from a grammar ------------------------------------------------

NFD_VI = unicodedata.normalize("NFD", "Triển khai các hoạt động xây dựng cộng đồng gắn kết, Sở Lao động - Thương binh")
TRICKY = [
    "no",
    "No",
    "on",
    "off",
    "yes",
    "y",
    "010",
    "0o10",
    "0x1F",
    "12:30",
    "1:20:30",
    "2021-02-30",
    "2021-10-19",
    "2021-10-19T10:00:00",
    "~",
    "null",
    "NULL",
    "true",
    "True",
    "false",
    "1.10",
    "1e999",
    "-1e999",
    ".nan",
    "-.inf",
    "1_000",
    "+1",
    "-0",
    "&a",
    "&a x",
    "*a",
    "*b",
    "!!binary aGVsbG8=",
    "!!python/object:os.system x",
    "!local x",
    "! x",
    "\tx",
    "x\ty",
    "\t",
    "? complex",
    "---",
    "...",
    "-",
    "- -",
    ":",
    "x: y",
    "'",
    '"',
    "'it''s'",
    '"\\u00e9\\t\\x01"',
    '"\\0"',
    '"a\\nb"',
    "|",
    ">",
    "|-\n  a\n  b",
    ">+\n  folded",
    "#comment",
    "x #comment",
    "[a, b]",
    "{a: 1}",
    "{a: 1, a: 2}",
    "[",
    "{",
    "}",
    "]",
    "@x",
    "`x",
    "%x",
    "<<",
    "= ",
    "N1.1",
    "so-a",
    "yearly",
    "A.1",
    "E.9",
    NFD_VI,
    NFD_VI + ": x",
    "x" * 12_000,
    "y " * 3_000,
    "Đ" * 70,
    "\u2028",
    "\u00a0",
    "\ufeff",
    "a\u0300" * 50,
    "ﬁ",
    "𝔸",
    "😀",
    "N" * 65,
]
KEYS = [
    "id",
    "title",
    "title_en",
    "lead",
    "support",
    "start",
    "due",
    "recurring",
    "output",
    "indicators",
    "elements",
    "tags",
    "objective",
    "tasks",
    "source",
    "assumptions",
    "note",
    "name",
    "contributes_to",
    "baseline",
    "target",
    "unit",
    "tittle",
    "",
    "? complex",
    "<<",
    "on",
    "no",
    "010",
    "12:30",
    "~",
    "&a k",
    "*a",
    "!!str k",
    '"quoted key"',
    "'k'",
    NFD_VI[:12],
    "x" * 300,
]

scalar_text = st.one_of(
    st.sampled_from(TRICKY),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,70}", fullmatch=True),
    st.dates().map(lambda d: d.isoformat()),
    st.integers().map(str),
    st.floats(allow_nan=False).map(repr),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30),
)
key_text = st.one_of(st.sampled_from(KEYS), st.text(max_size=12))

# a node is ("scalar", text) | ("seq", flow, [nodes]) | ("map", flow, [(key, node)]) — a list of
# pairs rather than a dict so that duplicate keys are produced too
node = st.recursive(
    st.tuples(st.just("scalar"), scalar_text),
    lambda children: st.one_of(
        st.tuples(st.just("seq"), st.booleans(), st.lists(children, max_size=4)),
        st.tuples(st.just("map"), st.booleans(), st.lists(st.tuples(key_text, children), max_size=5)),
    ),
    max_leaves=25,
)


def _inline(text: str) -> str:
    return text.replace("\n", " ")


def render(tree: tuple, indent: str, flow: bool = False) -> str:
    """A node as YAML-ish text (not always valid YAML: that is the point)."""
    kind = tree[0]
    if kind == "scalar":
        text = tree[1]
        return text if not flow else _inline(text)
    if kind == "seq":
        _, as_flow, items = tree
        if as_flow or flow or not items:
            return "[" + ", ".join(render(item, indent, True) for item in items) + "]"
        return "".join(f"\n{indent}- {render(item, indent + '  ')}" for item in items)
    _, as_flow, pairs = tree
    if as_flow or flow or not pairs:
        return "{" + ", ".join(f"{_inline(k)}: {render(v, indent, True)}" for k, v in pairs) + "}"
    return "".join(f"\n{indent}{_inline(k)}: {render(v, indent + '  ')}" for k, v in pairs)


@st.composite
def task_file_text(draw: st.DrawFn) -> str:
    indent_unit = draw(st.sampled_from(["  ", "  ", "    ", " ", "\t"]))
    shape = draw(st.sampled_from(["random", "tasks", "tasks"]))
    if shape == "random":
        body = render(draw(node), "").lstrip("\n")
    else:
        # a tasks file whose tasks have the real field names with values from the grammar
        lines = [f"objective: {draw(st.one_of(st.just('N1'), scalar_text.map(_inline)))}", "tasks:"]
        for _ in range(draw(st.integers(0, 3))):
            fields = draw(st.lists(st.sampled_from(KEYS[:20]), max_size=8))
            first = True
            for name in ["id", *fields]:
                value = draw(st.one_of(scalar_text, node.map(lambda t: render(t, indent_unit * 3))))
                value = value if "\n" not in value or value.startswith("\n") else _inline(value)
                lead = f"{indent_unit}- " if first else indent_unit * 2
                lines.append(f"{lead}{name}: {value}")
                first = False
        body = "\n".join(lines)
    prefix = draw(st.sampled_from(["", "", "---\n", "%YAML 1.1\n---\n", "\ufeff", "# đầu tệp\n"]))
    suffix = draw(st.sampled_from(["", "\n", "\n...\n", "\n---\nx: 1\n", "\n" + "  " * 3, "\t\n"]))
    text = prefix + body + suffix
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    return text


@SETTINGS
@given(task_file_text())
def test_grammar_task_file_never_crashes(text: str) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as folder:
        root = write_workspace(Path(folder), tasks=raw)
        report = validate_workspace(root)
        files = {root / name: (raw if k == "tasks" else BASE[k].encode("utf-8")) for k, name in FILES.items()}
        check_problems(report.problems, files)


# --- (c) the same through the command line ------------------------------------------

runner = CliRunner()


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(task_file_text())
def test_cli_validate_json_never_crashes(text: str) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as folder:
        root = write_workspace(Path(folder), tasks=raw)
        result = runner.invoke(app, ["validate", "--plan", str(root), "--format", "json"], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        document = json.loads(result.stdout)
        assert document["ok"] == (result.exit_code == 0)
        assert document["errors"] + document["warnings"] == len(document["problems"])
        for problem in document["problems"]:
            assert problem["rule"] in RULE_IDS
            assert problem["message"]


# --- bugs found while writing the properties above, kept as plain examples ------------


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    """50,000 '[' (a 100 KB file) once crashed the process with SIGSEGV in libyaml's composer:
    run in a subprocess so that a regression fails this test instead of killing pytest."""
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    code = textwrap.dedent(f"""
        from pathlib import Path
        from aseanctl.yamlio import load_yaml
        loaded = load_yaml(Path({str(deep)!r}))
        print(sorted({{p.msg.key for p in loaded.problems}}))
    """)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-500:]}"
    assert "yaml.too_deep" in done.stdout


@pytest.mark.parametrize("kind", sorted(FILES))
@pytest.mark.parametrize("content", ["---\n", "~\n", "null\n", "# chỉ có chú thích\n---\n"])
def test_null_document_is_reported(tmp_path: Path, kind: str, content: str) -> None:
    """A file whose one document is null once loaded as None with no problem: 'The plan is valid'."""
    root = write_workspace(tmp_path, **{kind: content})
    loaded = load_yaml(root / FILES[kind])
    assert loaded.problems, loaded
    report = validate_workspace(root)
    assert report.errors >= 1
    assert any(p.file == root / FILES[kind] and p.rule in ("file-read", "schema") for p in report.problems)


def test_duplicate_key_is_reported(tmp_path: Path) -> None:
    """Any duplicate key once crashed the loader (TypeError: _problem got two values for 'key')."""
    tasks = TASKS.replace("    title: Nhiệm vụ một\n", "    title: Nhiệm vụ một\n    title: Nhiệm vụ một (lặp)\n")
    root = write_workspace(tmp_path, tasks=tasks)
    report = validate_workspace(root)
    assert [(p.rule, p.line) for p in report.problems] == [("duplicate-key", 5)]


# --- the journal -------------------------------------------------------------------------

JOURNAL_LINE = (
    '{"id": "u-1", "task": "N1.1", "date": "2024-06-01", "status": "in_progress", "progress": 50, '
    '"by": "so-a", "author": "A", "recorded": "2024-06-02T08:00:00Z"}\n'
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
record_fields = st.dictionaries(
    st.sampled_from(
        [
            "id",
            "task",
            "date",
            "status",
            "progress",
            "health",
            "actual",
            "note",
            "evidence",
            "by",
            "author",
            "recorded",
            "corrects",
            "other",
        ]
    ),
    json_values,
    max_size=14,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(
        st.one_of(st.binary(max_size=80), record_fields.map(lambda r: json.dumps(r, ensure_ascii=False).encode())),
        max_size=6,
    ),
    tail=st.binary(max_size=20),
)
def test_any_journal_never_crashes_loading_validating_or_viewing(lines: list[bytes], tail: bytes) -> None:
    import datetime as dt

    from aseanctl.progress import task_states

    with tempfile.TemporaryDirectory() as temp:
        root = write_workspace(Path(temp))
        journal = root / "p1" / "journal" / "2024.jsonl"
        journal.parent.mkdir(parents=True, exist_ok=True)
        journal.write_bytes(JOURNAL_LINE.encode() + b"\n".join(lines) + b"\n" + tail)
        report = validate_workspace(root)
        assert all(p.rule in RULE_IDS for p in report.problems)
        task_states(report.load.workspace, dt.date(2025, 12, 31))
