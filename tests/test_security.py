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
import time
from pathlib import Path

import pytest

from conftest import child_env
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
    # a line of a problem that quotes the plan stays one line: U+2028 (pasted from web pages)
    # broke it where some terminals and editors break lines
    assert visible("a\u2028b\u2029c\x85d") == "aU+2028bU+2029c\\x85d"


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
    status = invoke("status", "--as-of", "2024-12-01", "-f", "csv", "--bom")
    assert status.stdout_bytes.startswith(b"\xef\xbb\xbf")  # Excel on Windows then reads UTF-8
    rows = list(csv.DictReader(io.StringIO(status.stdout_bytes.decode("utf-8-sig"))))
    assert rows[1]["title"] == '\'=HYPERLINK("http://x")'
    assert (rows[1]["support"], rows[1]["progress"]) == ("so-b", "20")  # a list as text; numbers as they are
    log = list(csv.DictReader(io.StringIO(invoke("log", "-f", "csv").stdout)))
    assert (log[0]["note"], log[0]["evidence"]) == ("'=cmd|' /C calc'!A0", "'@SUM(A1)")
    raw = invoke("log", "-f", "csv", "--csv-raw")
    log = list(csv.DictReader(io.StringIO(raw.stdout)))
    assert (log[0]["note"], log[0]["evidence"]) == ("=cmd|' /C calc'!A0", "@SUM(A1)")
    for command in (["status"], ["owners"], ["show", "N1.2"]):
        assert invoke(*command, "--as-of", "2024-12-01", "-f", "csv", "--bom").stdout.startswith("\ufeff"), command
        assert invoke(*command, "--as-of", "2024-12-01", "-f", "csv", "--csv-raw").exit_code == 0


def test_an_error_line_quoting_the_plan_is_shown_not_obeyed(make_workspace, monkeypatch):
    """A usage error's "did you mean" hint quotes ids from the plan."""
    tasks = "objective: N1\ntasks:\n" + '  - id: "N1.1\\u202e"\n    title: Một\n    lead: so-a\n    recurring: yearly\n'
    monkeypatch.chdir(make_workspace(tasks=tasks))
    result = invoke("show", "N1.1\u202e", "--lang", "en")
    assert result.exit_code == 2
    assert "\u202e" not in result.output and "U+202E" in result.output


# --- journal files: never followed, never special, every append whole or not at all (jwin) --------

_JOURNAL_TASKS = "objective: N1\ntasks:\n  - id: N1.1\n    title: Nhiệm vụ một\n    lead: so-a\n    recurring: yearly\n"


def _journal_dir(root: Path) -> Path:
    folder = root / "p1" / "journal"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _record_update(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "aseanctl",
            "update",
            "N1.1",
            "--plan",
            str(root),
            "--progress",
            "40",
            "--date",
            "2024-05-02",
            "--author",
            "A",
            "--lang",
            "en",
            *extra,
        ],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_symlinked_journal_is_never_read_nor_appended_to(make_workspace, tmp_path):
    """A journal symlinked to a secret printed its lines in validate's output, and made
    ``update`` append to (and cut the last line of) the target."""
    root = make_workspace(tasks=_JOURNAL_TASKS)
    secret = tmp_path / "secret.env"
    secret.write_bytes(b"TOKEN=ghp_s3cr3t\nlast line without newline")
    (_journal_dir(root) / "2024.jsonl").symlink_to(secret)

    checked = invoke("validate", "--plan", str(root), "--format", "json", "--lang", "en")
    report = json.loads(checked.stdout)
    assert checked.exit_code == 1
    assert [p["rule"] for p in report["problems"]] == ["unsafe-file"]
    assert "s3cr3t" not in checked.output

    done = _record_update(root)
    assert done.returncode == 1, done.stderr
    assert "symbolic link" in done.stderr and "internal error" not in done.stderr
    assert secret.read_bytes() == b"TOKEN=ghp_s3cr3t\nlast line without newline"


@pytest.mark.parametrize("kind", ["pagemap", "fifo"])
def test_a_journal_that_is_a_special_file_does_not_hang_validate(make_workspace, kind):
    """A journal symlinked to /proc/self/pagemap (or a FIFO) hung validate."""
    root = make_workspace(tasks=_JOURNAL_TASKS)
    journal_file = _journal_dir(root) / "2024.jsonl"
    if kind == "fifo":
        os.mkfifo(journal_file)
    else:
        if not Path("/proc/self/pagemap").exists():
            pytest.skip("no /proc/self/pagemap here")
        journal_file.symlink_to("/proc/self/pagemap")
    done = subprocess.run(
        [sys.executable, "-m", "aseanctl", "validate", "--plan", str(root), "--lang", "en"],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "unsafe-file" in done.stdout + done.stderr
    assert "internal error" not in done.stderr
    assert stat.S_ISFIFO(os.lstat(journal_file).st_mode) or journal_file.is_symlink()


@pytest.mark.parametrize("where", ["journal/2024.jsonl", "tasks/nhom-9.yaml", "plan.yaml", "../owners.yaml"])
def test_a_folder_where_a_plan_file_belongs_is_an_error(make_workspace, where):
    """A folder named 2024.jsonl left a plan 'valid' with that year's updates gone without a
    word (a folder named like a task file, or owners.yaml, the same): it is an unsafe-file error."""
    root = make_workspace(tasks=_JOURNAL_TASKS)
    folder = root / "p1" / where
    if folder.exists():
        folder.unlink()
    folder.mkdir(parents=True)
    checked = invoke("validate", "--plan", str(root), "--format", "json", "--lang", "en")
    report = json.loads(checked.stdout)
    assert checked.exit_code == 1, checked.output
    found = [p for p in report["problems"] if p["rule"] == "unsafe-file"]
    assert [(Path(p["file"]).name, p["message"]) for p in found] == [
        (folder.name, f"'{folder.name}' is a folder, not a file: nothing is read from it")
    ]


def _journal_with_one_line(root: Path) -> Path:
    first = _record_update(root)
    assert first.returncode == 0, first.stderr
    return root / "p1" / "journal" / "2024.jsonl"


def test_a_file_size_limit_during_update_is_one_line_and_takes_the_line_back(make_workspace):
    """EFBIG (RLIMIT_FSIZE) used to end in "internal error" and leave part of a line."""
    root = make_workspace(tasks=_JOURNAL_TASKS)
    journal_file = _journal_with_one_line(root)
    before = journal_file.read_bytes()
    limited = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before) + 20}, resource.RLIM_INFINITY))\n"
        "from aseanctl.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            limited,
            "update",
            "N1.1",
            "--plan",
            str(root),
            "--progress",
            "50",
            "--date",
            "2024-05-03",
            "--author",
            "A",
            "--note",
            "x" * 200,
            "--lang",
            "en",
        ],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"aseanctl: cannot write {journal_file}: the file is over the system's size limit; "
        "the journal is left as it was"
    ]
    assert journal_file.read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_journal_is_one_line_and_nothing_written(make_workspace):
    root = make_workspace(tasks=_JOURNAL_TASKS)
    journal_file = _journal_with_one_line(root)
    before = journal_file.read_bytes()
    journal_file.chmod(0o444)
    try:
        done = _record_update(root)
    finally:
        journal_file.chmod(0o644)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"aseanctl: cannot write {journal_file}: permission denied; the journal is left as it was"
    ]
    assert journal_file.read_bytes() == before


@pytest.mark.parametrize(("code", "said"), [(28, "the disk is full"), (30, "the file system is read-only")])
def test_a_full_disk_mid_line_leaves_the_journal_byte_for_byte(make_workspace, monkeypatch, code, said):
    """ENOSPC (28) or EROFS (30) after part of the line was written: one line, exit 1, and the
    journal exactly as it was (no partial line)."""
    import errno

    from aseanctl import journal

    assert (code, said) in ((errno.ENOSPC, "the disk is full"), (errno.EROFS, "the file system is read-only"))
    root = make_workspace(tasks=_JOURNAL_TASKS)
    journal_file = _journal_with_one_line(root)
    before = journal_file.read_bytes()
    real_write = os.write
    calls = []

    def failing_write(fd: int, data: bytes) -> int:
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[:10]))
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(journal.os, "write", failing_write)
    result = invoke(
        "update",
        "N1.1",
        "--plan",
        str(root),
        "--progress",
        "60",
        "--date",
        "2024-05-04",
        "--author",
        "A",
        "--lang",
        "en",
    )
    monkeypatch.undo()
    assert len(calls) == 2
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"aseanctl: cannot write {journal_file}: {said}; the journal is left as it was"
    ]
    assert journal_file.read_bytes() == before


def test_bogus_journal_lines_give_a_bounded_number_of_problems(make_workspace):
    """200,000 bogus journal lines gave 3.6 million output lines and 9.8 GB: the reader says
    what is wrong on the first lines of each kind and counts the rest in one problem."""
    from aseanctl.journal import PROBLEMS_PER_RULE, load_journal

    root = make_workspace(tasks=_JOURNAL_TASKS)
    lines = 5_000
    (_journal_dir(root) / "2024.jsonl").write_bytes(b"".join(b"bogus %d\n" % i for i in range(lines)))
    _, problems = load_journal(root / "p1")
    assert len(problems) == PROBLEMS_PER_RULE + 1
    summary = problems[-1]
    assert summary.rule == "journal-syntax"
    assert summary.msg.key == "journal.more_like_this" and summary.msg.args["count"] == lines - PROBLEMS_PER_RULE
    assert summary.line == PROBLEMS_PER_RULE + 1
    checked = invoke("validate", "--plan", str(root), "--lang", "en")
    assert checked.exit_code == 1
    assert f"and {lines - PROBLEMS_PER_RULE} more lines like this" in checked.stdout
    assert checked.stdout.count("\n") < 10 * PROBLEMS_PER_RULE


# --- symlinks and special files in the plan tree (rule unsafe-file) ---------------------------

SECRET = (
    "objective: N1\ntasks:\n  - id: N1.2\n    title: ghp_SECRETTOKEN0123456789\n    lead: so-a\n    recurring: yearly\n"
)


def _validate_in_a_process(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """validate as CI runs it, in a process of its own: a hang is a timeout, not a stuck test run."""
    return subprocess.run(
        [sys.executable, "-m", "aseanctl", "validate", "--plan", str(root), "--lang", "en", *extra],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "ASEANCTL_NO_CACHE": "1"},
        check=False,
    )


def test_a_task_file_linked_outside_the_repository_is_never_read(make_workspace, tmp_path, monkeypatch):
    """A task file symlinked to `.git/config` or a `.env` printed their lines in validate's output."""
    secret = tmp_path / "outside" / "secrets.yaml"
    secret.parent.mkdir()
    secret.write_text(SECRET + "  - id: N1.3\n    title: [broken\n", encoding="utf-8")
    root = make_workspace(**{"p1/tasks/nhom-2.yaml": secret})
    monkeypatch.chdir(root)
    text = invoke("validate", "--lang", "en").output  # shows the source line of each problem
    assert "SECRET" not in text and "broken" not in text
    result = invoke("validate", "--lang", "en", "--format", "json")
    assert "SECRET" not in result.output and "broken" not in result.output
    problems = json.loads(result.output)["problems"]
    assert [(p["file"], p["rule"]) for p in problems] == [("p1/tasks/nhom-2.yaml", "unsafe-file")]
    assert problems[0]["message"] == (
        "'nhom-2.yaml' is a symbolic link: aseanctl reads nothing through a link in the plan repository; "
        "replace it with the file itself"
    )
    assert result.exit_code == 1
    # nor does `update` suggest an id it could only have read through the link
    update = invoke("update", "N1.3", "--progress", "10", "--author", "A <a@example.org>", "--lang", "en")
    assert "SECRET" not in update.output and "N1.2" not in update.output


def test_a_linked_folder_under_the_plan_is_never_read(make_workspace, tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "nhom-1.yaml").write_text(SECRET, encoding="utf-8")
    (outside / "2024.jsonl").write_text('{"id": "ghp_SECRETTOKEN", "note": [}\n', encoding="utf-8")
    root = make_workspace(tasks=None, **{"p1/journal": outside})
    (root / "p1" / "tasks").symlink_to(outside)
    monkeypatch.chdir(root)
    result = invoke("validate", "--lang", "en", "--format", "json")
    assert "SECRET" not in result.output
    found = {(p["file"], p["rule"]) for p in json.loads(result.output)["problems"]}
    assert found == {("p1/tasks", "unsafe-file"), ("p1/journal", "unsafe-file")}


def test_a_journal_linked_elsewhere_is_never_read(make_workspace, tmp_path, monkeypatch):
    """A journal symlinked to `/etc/passwd` printed its lines as broken journal lines."""
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:SECRET:/root:/bin/bash\n", encoding="utf-8")
    root = make_workspace(**{"p1/journal/2024.jsonl": secret})
    monkeypatch.chdir(root)
    result = invoke("validate", "--lang", "en")
    assert "SECRET" not in result.output and "root:x" not in result.output
    assert "p1/journal/2024.jsonl" in result.output and "unsafe-file" in result.output


def test_a_task_file_linked_to_a_file_without_end_does_not_hang(make_workspace):
    """A task file symlinked to /proc/self/pagemap hung validate."""
    if not Path("/proc/self/pagemap").exists():
        pytest.skip("no /proc/self/pagemap here")
    root = make_workspace(**{"p1/tasks/nhom-2.yaml": Path("/proc/self/pagemap")})
    result = _validate_in_a_process(root)
    assert result.returncode == 1
    assert "p1/tasks/nhom-2.yaml" in result.stdout and "symbolic link" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_the_plan_tree_is_refused_without_waiting(make_workspace):
    """A FIFO task file or journal made validate wait for a writer that never comes."""
    root = make_workspace()
    os.mkfifo(root / "p1" / "tasks" / "nhom-2.yaml")
    (root / "p1" / "journal").mkdir()
    os.mkfifo(root / "p1" / "journal" / "2024.jsonl")
    result = _validate_in_a_process(root)
    assert result.returncode == 1
    assert "'nhom-2.yaml' is a FIFO (named pipe), not a regular file: it is not read" in result.stdout
    assert "'2024.jsonl' is a FIFO (named pipe), not a regular file: it is not read" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_swapped_in_after_the_check_is_not_waited_for(tmp_path):
    """Between listing a folder and opening a file, a FIFO can take the file's place: the open
    does not wait for a writer, and the file is refused."""
    from aseanctl.files import NotRegularFile, read_regular
    from aseanctl.yamlio import YamlFailure, read_bytes

    fifo = tmp_path / "nhom-1.yaml"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFile):
        read_regular(fifo, 100)
    with pytest.raises(YamlFailure):
        read_bytes(fifo)
    from aseanctl.cache import file_digest

    assert file_digest(fifo, 100) is None
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "target.yaml")
    (tmp_path / "target.yaml").write_text("a: 1\n", encoding="utf-8")
    with pytest.raises(OSError):
        read_regular(link, 100)


# --- the cache folder: private, or not used -----------------------------------------------------


def _run(root: Path, cache_folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ASEANCTL_NO_CACHE"}
    return subprocess.run(
        [sys.executable, "-m", "aseanctl", *args, "--plan", str(root), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "ASEANCTL_CACHE_DIR": str(cache_folder)},
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_the_cache_folder_is_created_private(make_workspace, tmp_path):
    folder = tmp_path / "home" / ".cache" / "aseanctl"
    result = _run(make_workspace(), folder, "validate")
    assert result.returncode == 0 and result.stderr == ""
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert any(folder.iterdir())  # and used


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
@pytest.mark.parametrize("how", ["group-writable", "world-writable", "another user's"])
def test_a_cache_folder_others_can_write_is_not_used(make_workspace, tmp_path, how):
    """Anyone who can write the cache folder can forge entries (names and digests are predictable)
    or plant links where entries will be written: such a folder is not used, with one warning."""
    folder = tmp_path / "shared-cache"
    folder.mkdir()
    if how == "another user's":
        if os.getuid() != 0:
            pytest.skip("needs root to give the folder away")
        os.chown(folder, 65534, 65534)
        folder.chmod(0o755)
    else:
        folder.chmod(0o770 if how == "group-writable" else 0o777)
    root = make_workspace()
    for command in (["validate"], ["status", "--as-of", "2024-06-01"]):
        result = _run(root, folder, *command)
        assert result.returncode == 0, result.stderr
        assert result.stderr.splitlines() == [
            f"aseanctl: warning: the cache folder '{folder}' is not used: another user owns it or others can "
            "write to it; the command runs without it, only slower (set ASEANCTL_CACHE_DIR to a folder of your own)"
        ]
    assert list(folder.iterdir()) == []


def _entry_of(kind: str, file: Path, folder: Path, monkeypatch) -> Path:
    from aseanctl import cache

    monkeypatch.setenv("ASEANCTL_CACHE_DIR", str(folder))
    monkeypatch.delenv("ASEANCTL_NO_CACHE", raising=False)
    entry = cache._entry(kind, file)
    assert entry is not None
    return entry


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_link_planted_where_an_entry_goes_is_never_written_through(make_workspace, tmp_path, monkeypatch):
    """Cache entry names are predictable: a symlink planted in the cache folder made aseanctl
    overwrite its target."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    root = make_workspace()
    victim = tmp_path / "authorized_keys"
    victim.write_text("ssh-ed25519 AAAA analyst\n", encoding="utf-8")
    tasks = root / "p1" / "tasks" / "nhom-1.yaml"
    for kind in ("yaml", "tasks"):
        _entry_of(kind, tasks, folder, monkeypatch).symlink_to(victim)
    _entry_of("yaml", root / "owners.yaml", folder, monkeypatch).symlink_to(victim)
    for _ in range(2):
        assert _run(root, folder, "validate").returncode == 0
    assert victim.read_text(encoding="utf-8") == "ssh-ed25519 AAAA analyst\n"
    assert not any(entry.is_symlink() for entry in folder.iterdir())  # replaced by entries of its own


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_an_entry_that_is_a_fifo_or_a_link_is_a_miss(make_workspace, tmp_path, monkeypatch):
    import marshal

    from aseanctl import cache

    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    root = make_workspace()
    owners = root / "owners.yaml"
    forged = tmp_path / "forged"
    forged.write_bytes(
        marshal.dumps((cache._format(), cache.digest(owners.read_bytes()), {"owners": [{"id": "so-a"}]}))
    )
    _entry_of("yaml", owners, folder, monkeypatch).symlink_to(forged)
    os.mkfifo(_entry_of("yaml", root / "p1" / "plan.yaml", folder, monkeypatch))
    result = _run(root, folder, "validate")  # in a process of its own: waiting on the FIFO is a timeout
    assert (result.returncode, result.stderr) == (0, "")  # neither was read: the files were parsed


def test_a_yaml_entry_no_file_could_give_is_a_miss(make_workspace, tmp_path, monkeypatch):
    """An entry with a valid format and digest (anyone can compute both) but data no YAML file
    gives (text keys only, plain values, bounded numbers) is a miss, not a crash or a false problem."""
    import marshal

    from aseanctl import cache
    from aseanctl.validation import validate_workspace

    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    root = make_workspace()
    owners = root / "owners.yaml"
    entry = _entry_of("yaml", owners, folder, monkeypatch)
    for value in (
        {"owners": [{1: "so-a"}]},
        {"owners": {"so-a", "so-b"}},
        {"owners": [{"id": "so-a", "name": b"bytes", "kind": "department"}]},
        {"owners": 10**5000},
        {"owners": [{"id": ("so-a",), "name": "A", "kind": "department"}]},
    ):
        entry.write_bytes(marshal.dumps((cache._format(), cache.digest(owners.read_bytes()), value)))
        assert validate_workspace(root).problems == (), value


def test_the_default_cache_folder_is_the_platforms(monkeypatch, tmp_path):
    """XDG on Linux as before; platformdirs gives macOS and Windows their own folders (issue 14)."""
    import platformdirs

    from aseanctl import cache

    monkeypatch.delenv("ASEANCTL_CACHE_DIR", raising=False)
    monkeypatch.delenv("ASEANCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == Path(platformdirs.user_cache_dir("aseanctl", appauthor=False))
    if sys.platform.startswith("linux"):
        assert cache.cache_dir() == tmp_path / "xdg" / "aseanctl"
    monkeypatch.setenv("ASEANCTL_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"


# --- bounded work ----------------------------------------------------------------------------


def test_an_integer_of_thousands_of_digits_is_a_problem_at_its_line(make_workspace, monkeypatch):
    """An integer of more than 4,300 digits ended in "internal error" (Python's int max str digits)."""
    tasks = "objective: N1\ntasks:\n  - id: N1.1\n    title: Một\n    lead: so-a\n    recurring: yearly\n"
    tasks += "    indicators:\n      - id: ti-le\n        name: Tỷ lệ\n        target: " + "9" * 5000 + "\n"
    monkeypatch.chdir(make_workspace(tasks=tasks))
    result = invoke("validate", "--lang", "en", "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    assert [(p["file"], p["line"], p["column"], p["rule"], p["message"]) for p in problems] == [
        ("p1/tasks/nhom-1.yaml", 10, 17, "schema", "expected a number, found nothing (null)"),
        (
            "p1/tasks/nhom-1.yaml",
            10,
            17,
            "yaml-syntax",
            "a number of 5000 digits: numbers of at most 4300 digits are read; quote it if it is text",
        ),
    ]
    assert invoke("status", "--lang", "en").exit_code == 0  # the other commands go on without the file's tasks


def test_markdown_escaping_is_linear_on_titles_of_line_breaks():
    """Markdown escaping was quadratic on long titles of newlines (ten of them: a 21 s report)."""
    from aseanctl.report.render import md_cell, md_inline, md_paragraphs

    # line breaks and nothing to escape after them: every line start was searched to the end
    started = time.perf_counter()
    assert md_inline("a" + "\n" * 50_000 + "b") == "a" + "\n" * 50_000 + "b"
    assert md_inline("a" + "\n \t" * 50_000 + "# b").endswith("\n \t\\# b")
    assert md_cell("c" + " \n" * 50_000 + "d") == "c" + "<br>" * 50_000 + "d"
    assert md_paragraphs("x" + "\n\n" * 50_000 + "+ d") == "x\n\n\\+ d"
    assert time.perf_counter() - started < 2  # seconds: the quadratic search took minutes


def test_update_reads_task_files_of_blank_lines_in_linear_time(make_workspace):
    """The `id:` line search was cubic in blank lines: 6,000 of them made `update` take 259 s."""
    root = make_workspace(**{"p1/tasks/nhom-2.yaml": "objective: N1\ntasks:\n" + "\n" * 20_000 + "# none yet\n"})
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "aseanctl", "update", "N1.2", "--progress", "10", "--author", "A", "--plan", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert time.perf_counter() - started < 30
    assert result.returncode == 2
    assert "'N1.1'?)" in result.stderr


def test_suggestions_for_thousands_of_near_miss_ids_cost_seconds(make_workspace, monkeypatch):
    """did_you_mean compared every problem with every candidate: 5,000 near-miss ids kept
    validate running for more than 10 minutes."""
    tasks = "objective: N1\ntasks:\n" + "".join(
        f"  - id: N1.{i}\n    title: Việc {i}\n    lead: so-a\n    recurring: yearly\n" for i in range(1, 5001)
    )
    journal = "".join(
        json.dumps(
            {
                "id": f"u-{i}",
                "task": f"N1.{i}x",
                "date": "2024-06-01",
                "status": "in_progress",
                "progress": 50,
                "by": "so-a",
                "author": "A <a@example.org>",
                "recorded": "2024-06-02T08:00:00Z",
            }
        )
        + "\n"
        for i in range(1, 5001)
    )
    monkeypatch.chdir(make_workspace(tasks=tasks, **{"p1/journal/2024.jsonl": journal}))
    started = time.perf_counter()
    result = invoke("validate", "--lang", "en", "--format", "json")
    assert time.perf_counter() - started < 30
    problems = [p for p in json.loads(result.output)["problems"] if p["rule"] == "unknown-task"]
    assert len(problems) == 5000
    assert problems[0]["message"].endswith("(did you mean 'N1.1'?)")
    assert sum("did you mean" in p["message"] for p in problems) >= 1000


def test_did_you_mean_stays_difflibs_answer_on_short_lists():
    import difflib

    from aseanctl.suggest import did_you_mean

    owners = [f"so-{name}" for name in ("y-te", "gd-dt", "tc", "khcn", "tnmt", "ld-tbxh", "ct", "nn-ptnt")]
    for typo in ("so-yte", "so-gddt", "so-tn-mt", "so-ldtbxh", "SO-TC", "xyz"):
        expected = difflib.get_close_matches(typo, owners, n=1, cutoff=0.6) or [
            o for o in owners if o.lower() == typo.lower()
        ]
        hint = did_you_mean(typo, owners)
        assert (hint.args["suggestion"] if isinstance(hint, Msg) else None) == (expected[0] if expected else None)
    many = [f"N{o}.{i}" for o in range(1, 6) for i in range(1, 2001)]

    def suggested(typo: str) -> object:
        hint = did_you_mean(typo, many)
        return hint.args["suggestion"] if isinstance(hint, Msg) else None

    assert suggested("N3.1999x") == "N3.1999"
    assert suggested("N3.9991") in ("N3.1999", "N3.999")
    assert suggested("n2.15") == "N2.15"


def test_a_bare_carriage_return_in_a_title_starts_no_markdown_heading():
    """A bare CR in a title started a Markdown heading: CommonMark ends a line at CR."""
    from markdown_it import MarkdownIt

    from aseanctl.report.render import md_inline

    for brk in ("\r", "\r\n", "\u2028", "\f"):
        html = MarkdownIt("commonmark").render("Nhiệm vụ: " + md_inline(f"abc{brk}# tiêu đề giả"))
        assert "<h1>" not in html, repr(brk)


def test_a_committed_fifo_at_the_report_path_is_refused_not_waited_on(shipped_copy, tmp_path):
    """Only an explicit -o streams into a special file: a FIFO committed at the default report
    path would make the report wait forever for a reader."""
    reports = tmp_path / "reports"
    reports.mkdir()
    fifo = reports / "kh-702-2021-progress-2024-en.md"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "aseanctl", "report", "--plan", str(shipped_copy), "--period", "2024", "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "is not a regular file" in done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
