"""One verdict per file: whether a plan file is valid, what its data is and where its
problems are never depend on what else the file holds or on which code path read it.

A second, faster parser once read some files and not others (chosen by whether the text
held something like ``010``); these are the places where it disagreed with libyaml, each
of which must now come out the way the strict path has always read it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aseanctl.cli import app
from aseanctl.yamlio import MAX_DEPTH, Loaded, load_yaml

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]


def load(tmp_path: Path, text: str, name: str = "some.yaml") -> Loaded:
    # never plan.yaml by default: a test folder holding one makes pytest's base folder, and so
    # every test folder beside it, look like part of a plan to a command that looks for none
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return load_yaml(file)


def where(loaded: Loaded) -> list[tuple[str, str, int | None, int | None]]:
    return [(p.rule, p.msg.key, p.line, p.column) for p in loaded.problems]


# --- the scalars the fast parser read as numbers ------------------------------------------


@pytest.mark.parametrize("scalar", ["1e3_", "5_", "1_", "1e3__", "-5_", "0.5_"])
def test_a_number_with_a_trailing_underscore_is_text(tmp_path, scalar):
    loaded = load(tmp_path, f"title: {scalar}\n")
    assert (loaded.data, loaded.problems) == ({"title": scalar}, [])


# --- what libyaml refuses is refused, whatever else the file holds ------------------------


@pytest.mark.parametrize("flow", ["[:e]", "[a, :e]", "{:e}"])
def test_a_flow_scalar_led_by_a_colon_is_a_syntax_error_at_its_line(tmp_path, flow):
    loaded = load(tmp_path, f"a: 1\nk: {flow}\n")
    assert loaded.data is None
    assert [(rule, key, line) for rule, key, line, _ in where(loaded)] == [("yaml-syntax", "yaml.syntax", 2)]


CONTROL = [pytest.param("\x1b", id="ESC"), pytest.param("\x9b", id="C1-CSI"), pytest.param("\x80", id="C1-PAD")]


@pytest.mark.parametrize("char", CONTROL)
@pytest.mark.parametrize("other", ["", "b: 010\n"], ids=["alone", "beside-010"])
def test_a_control_character_in_a_comment_is_refused_at_its_line_and_column(tmp_path, char, other):
    loaded = load(tmp_path, f"a: 1\n{other}# Việt {char} note\n")
    line = 3 if other else 2
    assert loaded.data is None
    assert where(loaded) == [("yaml-syntax", "yaml.syntax", line, 8)]
    assert f"U+{ord(char):04X}" in loaded.problems[0].msg.args["detail"]


@pytest.mark.parametrize("char", CONTROL)
def test_a_control_character_in_a_value_is_refused_at_its_line(tmp_path, char):
    loaded = load(tmp_path, f"a: 1\ntitle: x{char}y\n")
    assert where(loaded) == [("yaml-syntax", "yaml.syntax", 2, 9)]


# YAML 1.1 reads these as line breaks; editors, git and GitHub show none.  They used to pass, and
# every line libyaml gave after one was off from the file's (an annotation on the wrong line),
# a plain title holding one was cut in two and a quoted one had U+0085 folded into a space.
HIDDEN_BREAKS = [
    pytest.param("\x85", id="NEL"),
    pytest.param("\u2028", id="line-separator"),
    pytest.param("\u2029", id="paragraph-separator"),
]


@pytest.mark.parametrize("char", HIDDEN_BREAKS)
@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        pytest.param('a: 1\ntitle: "Việt{char}Nam"\nb: 2\n', 2, 13, id="quoted"),
        pytest.param("a: 1\ntitle: Việt{char} Nam\nb: 2\n", 2, 12, id="plain"),
        pytest.param("a: 1\r\n# ghi chú{char}\r\nb: 2\r\n", 2, 10, id="comment-crlf"),
    ],
)
def test_a_character_yaml_reads_as_a_hidden_line_break_is_refused_at_its_line(tmp_path, char, text, line, column):
    loaded = load(tmp_path, text.format(char=char))
    assert loaded.data is None
    assert where(loaded) == [("yaml-syntax", "yaml.hidden_break", line, column)]
    assert loaded.problems[0].msg.args["code"] == f"U+{ord(char):04X}"


def test_a_journal_problem_shows_its_own_line_after_a_note_holding_a_line_separator(make_workspace):
    """JSON keeps U+2028 as a character, and the problem's line number was right, but the line
    quoted under it was cut from the note of an earlier update (str.splitlines breaks there)."""
    note = json.dumps(
        {
            "id": "u1",
            "task": "N1.1",
            "date": "2024-06-01",
            "note": "a\u2028b\u2029c",
            "by": "so-a",
            "author": "A",
            "recorded": "2024-06-02T08:00:00Z",
        },
        ensure_ascii=False,
    )
    root = make_workspace(**{"p1/journal/2024.jsonl": note + '\n{"id": "bad"}\n'})
    result = runner.invoke(app, ["validate", "--plan", str(root), "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 1
    said = result.output.splitlines()
    assert said[0].endswith("p1/journal/2024.jsonl:2:1: error [schema] required field 'task' is missing"), said
    assert said[1] == '    {"id": "bad"}'


# --- through validate: every problem keeps its line ---------------------------------------

runner = CliRunner()

TASKS_WITH = """\
objective: N1
tasks:
  - id: N1.1
    title: {title}
    lead: so-a
    recurring: yearly
    # {comment}
    lead2: so-b
"""


def validate_json(root: Path) -> dict[str, object]:
    result = runner.invoke(
        app, ["validate", "--plan", str(root), "--format", "json", "--lang", "en"], catch_exceptions=False
    )
    assert result.exit_code == 1, result.output
    report: dict[str, object] = json.loads(result.output)
    return report


@pytest.mark.parametrize(
    ("title", "comment", "line"),
    [
        pytest.param("Nhiệm vụ một", "ghi chú \x1b", 7, id="control-character-in-a-comment"),
        pytest.param("[:e]", "ghi chú", 4, id="colon-led-flow-scalar"),
    ],
)
def test_a_file_libyaml_refuses_is_a_yaml_problem_with_a_line(make_workspace, title, comment, line):
    root = make_workspace(tasks=TASKS_WITH.format(title=title, comment=comment))
    problems = validate_json(root)["problems"]
    assert isinstance(problems, list)
    assert [(p["rule"], p["line"]) for p in problems] == [("yaml-syntax", line)]


def test_a_trailing_underscore_number_is_a_valid_title(make_workspace):
    root = make_workspace(tasks=TASKS_WITH.format(title="1e3_", comment="ghi chú").replace("    lead2: so-b\n", ""))
    result = runner.invoke(app, ["validate", "--plan", str(root), "--format", "json"], catch_exceptions=False)
    assert (result.exit_code, json.loads(result.output)["problems"]) == (0, [])


# --- the depth guard runs before any parser ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("- " * 20_000 + "x\n", id="compact-block-sequences"),
        pytest.param("[" * 20_000 + "]" * 20_000 + "\n", id="flow-sequences"),
        pytest.param("a: " + "{b: " * 20_000 + "}" * 20_000 + "\n", id="flow-mappings"),
        pytest.param("? " * 20_000 + "x\n", id="compact-complex-keys"),
        pytest.param("k: " + '[ "]", ' * 20_000 + "x" + "]" * 20_000 + "\n", id="quoted-brackets-between"),
    ],
)
def test_absurd_nesting_is_a_positioned_problem_not_a_crash(make_workspace, text):
    """In a child process, so that a crash of the parser fails the test instead of pytest."""
    root = make_workspace(tasks=text)
    env = {**os.environ, "ASEANCTL_NO_CACHE": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "aseanctl", "validate", "--plan", str(root), "--format", "json", "--lang", "en"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])
    (problem,) = json.loads(run.stdout)["problems"]
    assert (problem["rule"], problem["file"].endswith("nhom-1.yaml"), problem["line"]) == ("yaml-syntax", True, 1)
    assert f"at most {MAX_DEPTH} levels" in problem["message"]


# --- properties: nothing else in the file changes a value's verdict ------------------------

# Lines that used to send a file down the other parser's path.
OTHER_LINES = ["w: 010\n", "w: 1_000\n", "w: .inf\n", "w: 0x1F\n", 'w: "e\\u0301"\n', "w: plain\n"]

SCALAR_CHARS = st.sampled_from([*"0123456789eE_.+-:[]{},#'\"~ abnoyst", "\x1b", "\x9b", "\u2028", "\t"])


def problem_shape(loaded: Loaded, line_offset: int) -> list[tuple[str, str, int | None, int | None]]:
    return [(p.rule, p.msg.key, None if p.line is None else p.line - line_offset, p.column) for p in loaded.problems]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scalar=st.text(SCALAR_CHARS, min_size=1, max_size=8), other=st.sampled_from(OTHER_LINES))
@example(scalar="1e3_", other="w: plain\n")
@example(scalar="5_", other="w: plain\n")
@example(scalar="[:e]", other="w: plain\n")
@example(scalar="1 # \x1b", other="w: plain\n")
@example(scalar="1 # \x9b", other="w: plain\n")
def test_a_line_elsewhere_never_changes_a_value_or_a_problem(tmp_path_factory, scalar, other):
    """``v: SCALAR`` alone, and after another line: the same value, or the same problems one
    line further down.  ``other`` comes first so SCALAR cannot run into it."""
    folder = tmp_path_factory.mktemp("verdict")
    alone = load(folder, f"v: {scalar}\n", "alone.yaml")
    beside = load(folder, f"{other}v: {scalar}\n", "beside.yaml")
    assert problem_shape(beside, 1) == problem_shape(alone, 0)
    if alone.data is not None and not alone.problems:
        assert type(beside.data["v"]) is type(alone.data["v"])
        assert beside.data["v"] == alone.data["v"]
    for loaded in (alone, beside):
        assert all(p.line is not None for p in loaded.problems), where(loaded)


def flow_nesting(depth: int, kinds: list[bool]) -> str:
    opens = "".join("[" if kinds[i % len(kinds)] else "{a: " for i in range(depth))
    closes = "".join("]" if kinds[i % len(kinds)] else "}" for i in reversed(range(depth)))
    return f"k: {opens}x{closes}\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    depth=st.integers(min_value=MAX_DEPTH - 3, max_value=MAX_DEPTH + 3) | st.integers(1, 3000),
    kinds=st.lists(st.booleans(), min_size=1, max_size=5),
    siblings=st.integers(0, 80),
)
def test_flow_nesting_is_refused_exactly_past_the_limit(tmp_path_factory, depth, kinds, siblings):
    """The cheap pre-check that decides whether to walk the events for depth must never let
    a too-deep file through: the verdict is decided by the depth alone, with many shallow
    flow lists beside it or none."""
    text = flow_nesting(depth, kinds) + "".join(f"s{i}: [a, b]\n" for i in range(siblings))
    loaded = load(tmp_path_factory.mktemp("deep"), text)
    # the mapping at the root and the one holding "k" count as levels too
    too_deep = depth + 1 > MAX_DEPTH
    assert [p.msg.key for p in loaded.problems] == (["yaml.too_deep"] if too_deep else [])
    assert all(p.line == 1 for p in loaded.problems)


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 5, 900, 1500])
def test_brackets_inside_quotes_do_not_hide_the_depth(tmp_path, depth):
    loaded = load(tmp_path, "k: " + '[ "]", ' * depth + "x" + "]" * depth + "\n")
    assert [(p.msg.key, p.line) for p in loaded.problems] == [("yaml.too_deep", 1)]
