"""Hostile plan repositories (issue 10): one test per attack, each run the way an attacker would."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from typer.testing import CliRunner

from aseanctl.cli import app
from aseanctl.formats import SHOWN_IN_ALL, STEP_SUMMARY_LIMIT, format_github, format_text
from aseanctl.problems import Msg, Problem
from aseanctl.safetext import csv_cell, github_log, visible


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def _show(path: Path | None) -> str:
    return path.as_posix() if path else ""


def _key_problem(key: str, file: str = "p1/tasks/nhom-1.yaml") -> Problem:
    return Problem("schema", "error", Msg("yaml.syntax", {"detail": key}), file=Path(file), line=3, column=1)


# --- output injection --------------------------------------------------------------------------


def test_no_problem_text_becomes_a_workflow_command_past_the_tenth(make_workspace, monkeypatch):
    """From the 11th problem on, the github format used to print messages raw: a YAML key holding
    a line break and ``::add-mask::`` became a workflow command."""
    evil = "x\n::add-mask::secret\n::stop-commands::tok\n::error file=a::pwned"
    problems = [_key_problem(f"{evil} {i}") for i in range(25)]
    commands, summary = format_github(problems, "en", _show)
    for line in commands.splitlines():
        assert line.startswith(("::error file=", "p1/tasks/")), line
    assert "\n::" not in summary


def test_a_file_name_that_starts_like_a_workflow_command_is_quoted():
    problems = [_key_problem("x", file="::add-mask::y.yaml") for _ in range(11)]
    commands, _ = format_github(problems, "en", _show)
    last = commands.splitlines()[-1]
    assert not last.lstrip().startswith("::")
    assert github_log("##[error]x") == "> ##[error]x"


def test_terminal_escapes_are_shown_not_sent(make_workspace, monkeypatch):
    """Raw ESC bytes from a broken journal line or a file name cleared the screen in tmux."""
    problem = Problem(
        "yaml-syntax",
        "error",
        Msg("yaml.syntax", {"detail": "\x1b]0;pwned\x07\x1b[2J \u202eevil \x9b"}),
        file=Path("a\x1b[2J.yaml"),
        line=1,
        column=3,
    )
    text = format_text([problem], "en", _show, lambda f, n: "ab\x1bcd")
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\x9b" not in text
    assert "\\x1b]0;pwned\\x07" in text and "U+202E" in text and "\\x9b" in text
    # the caret still points under the column, after the escape was widened
    source, caret = text.splitlines()[1:3]
    assert source == "    ab\\x1bcd" and caret == "      ^"


def test_visible_keeps_vietnamese_and_shows_controls():
    assert visible("Sở Y tế — 2021–2025") == "Sở Y tế — 2021–2025"
    assert visible("a\r\nb\tc") == "a\\r\\nb\\tc"
    assert visible("a\nb", one_line=False) == "a\nb"


def test_csv_cells_are_never_formulas():
    """OWASP: a cell starting with = + - @ (or tab, CR) is prefixed with a quote."""
    for text in ('=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(text) == "'" + text
    assert csv_cell("Sở Y tế") == "Sở Y tế"


# --- bounded output ----------------------------------------------------------------------------


def test_problems_shown_are_capped_and_the_rest_counted():
    problems = [_key_problem(f"k{i}", file=f"f{i % 7}.yaml") for i in range(5 * SHOWN_IN_ALL)]
    text = format_text(problems, "en", _show, lambda f, n: None)
    lines = text.splitlines()
    assert len(lines) == SHOWN_IN_ALL + 1
    assert lines[-1] == f"… and {4 * SHOWN_IN_ALL} more problems not shown (use --format json to see them all)"


def test_step_summary_stays_under_githubs_limit():
    """200,000 bogus journal lines gave a 155 MB step summary; GitHub accepts 1 MiB."""
    problems = [_key_problem("y" * 300 + str(i)) for i in range(20_000)]
    _, summary = format_github(problems, "en", _show)
    assert len(summary.encode("utf-8")) < 1024 * 1024
    assert len(summary.encode("utf-8")) <= STEP_SUMMARY_LIMIT + 200
    assert summary.rstrip().endswith("more problems not shown (use --format json to see them all)")


def test_control_and_bidi_characters_in_plan_text_are_flagged(make_workspace, monkeypatch):
    """C1 controls and bidi overrides passed validation in titles and notes (C0 controls such as
    ESC are already refused by the schema)."""
    tasks = (
        "objective: N1\ntasks:\n"
        "  - id: N1.1\n    title: Việc \u202ehai\n    lead: so-a\n    recurring: yearly\n"
        '  - id: N1.2\n    title: "Việc \\x9b ba"\n    lead: so-a\n    recurring: yearly\n'
    )
    journal = (
        '{"id":"20240601-aaaa0001","task":"N1.1","date":"2024-06-01","by":"so-a","author":"A",'
        '"recorded":"2024-06-02T01:00:00Z","progress":10,"note":"ghi \\u009b]0;x \\u2066 chú"}\n'
    )
    monkeypatch.chdir(make_workspace(tasks=tasks, **{"p1__journal__2024.jsonl": journal}))
    result = invoke("validate", "--lang", "en", "--format", "json")
    problems = json.loads(result.output)["problems"]
    found = [(p["file"], p["line"], p["message"]) for p in problems if p["rule"] == "control-character"]
    assert found == [
        ("p1/journal/2024.jsonl", 1, "field 'note' holds control or direction characters: \\x9b U+2066"),
        ("p1/tasks/nhom-1.yaml", 4, "field 'title' holds control or direction characters: U+202E"),
        ("p1/tasks/nhom-1.yaml", 8, "field 'title' holds control or direction characters: \\x9b"),
    ]
    assert result.exit_code == 0  # warnings only
    text = invoke("validate", "--lang", "en").output
    assert "\u202e" not in text and "\x9b" not in text and "\u2066" not in text
    assert invoke("validate", "--strict").exit_code == 1


# --- files written -----------------------------------------------------------------------------


def test_a_report_to_a_device_streams_and_never_replaces_it(tmp_path):
    """`report -o /dev/null` replaced the device with a regular file."""
    from aseanctl.files import replacing

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(
        [sys.executable, "-c", f"import sys; sys.stdout.write(open({str(fifo)!r}).read())"],
        stdout=subprocess.PIPE,
        text=True,
    )
    with replacing(fifo) as out:
        out.write("báo cáo\n".encode())
    assert reader.communicate(timeout=10)[0] == "báo cáo\n"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    with replacing(Path(os.devnull)) as out:
        out.write(b"x")
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


def test_symlinks_below_the_repository_are_refused(tmp_path):
    from aseanctl.files import SymlinkRefused, refuse_symlinks

    repo = tmp_path / "repo"
    (repo / "reports").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo / "reports" / "a.md").symlink_to(outside / "authorized_keys")
    with pytest.raises(SymlinkRefused):
        refuse_symlinks(repo / "reports" / "a.md", repo)
    (repo / "linked").symlink_to(outside)
    with pytest.raises(SymlinkRefused):
        refuse_symlinks(repo / "linked" / "b.md", repo)
    refuse_symlinks(repo / "reports" / "new.md", repo)


def test_a_committed_report_symlink_is_never_written_through(shipped_copy, tmp_path):
    """A `reports/<default name>.md` symlink made the report overwrite any file the user can write."""
    victim = tmp_path / "home" / "authorized_keys"
    victim.parent.mkdir()
    victim.write_text("ssh-ed25519 AAAA… analyst\n", encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    args = ["report", "--plan", str(shipped_copy), "--period", "2024", "--lang", "en"]
    name = "kh-702-2021-progress-2024-en.md"  # the English report's default name
    (reports / name).symlink_to(victim)
    result = invoke(*args)
    assert result.exit_code == 1
    assert result.output == (
        f"aseanctl: will not write the report through the symbolic link '{reports / name}' in the plan "
        "repository; remove the link or use -o FILE\n"
    )
    (reports / name).unlink()
    reports.rmdir()
    reports.symlink_to(victim.parent)  # a linked folder on the way
    assert invoke(*args).exit_code == 1
    assert victim.read_text(encoding="utf-8") == "ssh-ed25519 AAAA… analyst\n"
    assert sorted(p.name for p in victim.parent.iterdir()) == ["authorized_keys"]


# --- the views: terminal and spreadsheet -------------------------------------------------------

HOSTILE_TASKS = (
    "objective: N1\ntasks:\n"
    '  - id: N1.1\n    title: "Việc \\x9b]0;pwned\\x9c \\u202eevil\\r=x\\ty\\nhai"\n    lead: so-a\n'
    "    recurring: yearly\n"
    '  - id: N1.2\n    title: "=HYPERLINK(\\"http://x\\")"\n    lead: so-a\n    support: [so-b]\n'
    "    recurring: yearly\n"
)
HOSTILE_JOURNAL = (
    '{"id":"20240601-aaaa0001","task":"N1.1","date":"2024-06-01","by":"so-a","author":"A",'
    '"recorded":"2024-06-02T01:00:00Z","progress":10,'
    '"note":"ghi \\u009b]0;x\\u009c \\u2066 chú\\nline2\\rX\\tY","evidence":"b\\u202ec"}\n'
    '{"id":"20240602-aaaa0002","task":"N1.2","date":"2024-06-02","by":"so-a","author":"A",'
    '"recorded":"2024-06-03T01:00:00Z","progress":20,"note":"=cmd|\' /C calc\'!A0","evidence":"@SUM(A1)"}\n'
)
_SGR = re.compile(r"\x1b\[[0-9;]*m")  # the colours aseanctl itself writes


@pytest.fixture
def hostile_views(make_workspace, monkeypatch):
    from aseanctl import console

    monkeypatch.chdir(make_workspace(tasks=HOSTILE_TASKS, **{"p1__journal__2024.jsonl": HOSTILE_JOURNAL}))
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("ASEANCTL_LANG", raising=False)
    console.stdout.cache_clear()
    yield
    console.stdout.cache_clear()


@pytest.mark.parametrize(
    "args", [["status"], ["show", "N1.1"], ["log"], ["log", "N1.1"]], ids=["status", "show", "log", "log-task"]
)
def test_escapes_and_bidi_in_titles_and_notes_never_reach_the_terminal(hostile_views, args):
    """The views printed titles and notes raw: a C1 CSI (\\x9b) or an OSC retitled the terminal,
    a bidi override reversed the row, a CR or a tab broke the table's columns."""
    result = invoke(*args, "--as-of", "2024-12-01", "--lang", "en", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout  # coloured, as on a terminal
    text = _SGR.sub("", result.stdout)
    assert visible(text, one_line=False) == text  # no control or bidi character left at all
    assert "\t" not in text
    for shown in (
        ("\\x9b]0;", "U+2066", "line2\\rX\\tY") if args[0] == "log" else ("\\x9b]0;pwned\\x9c", "U+202Eevil\\r=x\\ty")
    ):
        assert shown in text, shown
    assert all(len(line) <= 80 for line in text.splitlines())
    if args[0] == "log":  # the note's line break is a line within its cell, under the note
        note, below = (line for line in text.splitlines() if "ghi" in line or "line2" in line)
        assert below.index("line2") == note.index("ghi")


def test_csv_text_cells_never_run_as_formulas_and_csv_raw_keeps_them(hostile_views):
    """The views' CSV wrote '=HYPERLINK(…)' and '=cmd|…' as they were: a spreadsheet ran them."""
    status = invoke("status", "--as-of", "2024-12-01", "-f", "csv")
    assert status.stdout_bytes.startswith(b"\xef\xbb\xbf")  # Excel on Windows then reads UTF-8
    rows = list(csv.DictReader(io.StringIO(status.stdout_bytes.decode("utf-8-sig"))))
    assert rows[1]["title"] == '\'=HYPERLINK("http://x")'
    assert (rows[1]["support"], rows[1]["progress"]) == ("so-b", "20")  # a list as text; numbers as they are
    log = list(csv.DictReader(io.StringIO(invoke("log", "-f", "csv").stdout.removeprefix("\ufeff"))))
    assert (log[0]["note"], log[0]["evidence"]) == ("'=cmd|' /C calc'!A0", "'@SUM(A1)")
    raw = invoke("log", "-f", "csv", "--csv-raw")
    assert not raw.stdout.startswith("\ufeff")
    log = list(csv.DictReader(io.StringIO(raw.stdout)))
    assert (log[0]["note"], log[0]["evidence"]) == ("=cmd|' /C calc'!A0", "@SUM(A1)")
    for command in (["status"], ["owners"], ["show", "N1.2"]):
        assert invoke(*command, "--as-of", "2024-12-01", "-f", "csv").stdout.startswith("\ufeff"), command
        assert invoke(*command, "--as-of", "2024-12-01", "-f", "csv", "--csv-raw").exit_code == 0


def test_an_error_line_quoting_the_plan_is_shown_not_obeyed(make_workspace, monkeypatch):
    """A usage error's "did you mean" hint quotes ids from the plan."""
    tasks = "objective: N1\ntasks:\n" + '  - id: "N1.1\\u202e"\n    title: Một\n    lead: so-a\n    recurring: yearly\n'
    monkeypatch.chdir(make_workspace(tasks=tasks))
    result = invoke("show", "N1.1\u202e", "--lang", "en")
    assert result.exit_code == 2
    assert "\u202e" not in result.output and "U+202E" in result.output
