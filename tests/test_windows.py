"""The analyst's own PC (issue 14): locking without ``fcntl`` (Windows has none), and the files
Notepad and ``core.autocrlf`` leave behind (a BOM, CRLF line ends), each with real files and
real processes on this machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import GIT_ENV, REPO, start_together
from typer.testing import CliRunner

from aseanctl import locks
from aseanctl.cli import app

runner = CliRunner()
PLAN_DIR = "kh-702-2021"

# aseanctl in a process where ``import fcntl`` fails, as on Windows; it says which lock it took
_WITHOUT_FCNTL = """\
import sys
sys.modules["fcntl"] = None
from aseanctl import locks
assert not locks.NATIVE, "the lock without fcntl must be the portable one"
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def git_repo(repo: Path) -> Path:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the plan")
    return repo


def start_without_fcntl(tmp_path: Path, commands: list[list[str]]) -> list[subprocess.Popen[bytes]]:
    return start_together(tmp_path / "signals", commands, prelude=_WITHOUT_FCNTL)


def test_without_fcntl_twenty_concurrent_commits_keep_every_line_and_a_clean_tree(tmp_path, shipped_copy):
    """Without fcntl, ``update --commit`` used to write its line, say so, then end in
    ``internal error: ModuleNotFoundError`` before committing; now the portable lock serialises
    twenty of them: twenty whole lines, twenty commits, nothing left modified."""
    repo = git_repo(tmp_path)
    with open(repo / ".git" / "info" / "exclude", "a", encoding="utf-8") as exclude:
        exclude.write("signals/\n")  # the test's own start signals
    tasks = ["N1.1", "N1.2", "N2.1", "N2.2"]
    procs = start_without_fcntl(
        tmp_path,
        [
            [
                *("update", tasks[i % 4], "--plan", str(shipped_copy), "--progress", str(i)),
                *("--note", f"số {i} " * 50, "--author", f"P{i}", "--commit", "--lang", "en"),
            ]
            for i in range(20)
        ],
    )
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 20, [err.decode() for _, err in outputs]
    journal = shipped_copy / PLAN_DIR / "journal" / "2025.jsonl"
    raw = journal.read_bytes()
    assert raw.endswith(b"\n")
    lines = [json.loads(line) for line in raw.splitlines()]
    assert sorted(r["progress"] for r in lines) == list(range(20))
    assert all(r["note"] == f"số {r['progress']} " * 50 for r in lines)
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "rev-list", "--count", "HEAD") == "21\n"
    assert not list(journal.parent.glob(".*.lock"))  # the portable lock's file is gone when released


def test_the_portable_lock_makes_another_writer_wait(tmp_path, shipped_copy, monkeypatch):
    """The switch forced to the path taken without fcntl: while this process holds the
    journal's lock, an ``update`` in another process (fcntl hidden) waits, then appends."""
    monkeypatch.setattr(locks, "NATIVE", False)
    journal = shipped_copy / PLAN_DIR / "journal" / "2025.jsonl"
    journal.parent.mkdir()
    journal.write_bytes(b"")
    fd = os.open(journal, os.O_RDWR)
    try:
        with locks.holding(fd, journal):
            (proc,) = start_without_fcntl(
                tmp_path,
                [["update", "N1.1", "--plan", str(shipped_copy), "--progress", "5", "--author", "A", "--lang", "en"]],
            )
            time.sleep(2)
            assert proc.poll() is None, proc.communicate()
            assert journal.read_bytes() == b""
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(fd)
    assert proc.returncode == 0, err.decode()
    assert [json.loads(line)["id"] for line in journal.read_bytes().splitlines()] == [out.decode().strip()]


# --- office habits --------------------------------------------------------------------------------


def test_a_notepad_task_file_and_a_crlf_journal_read_as_written(make_workspace):
    """A task file saved by Notepad (UTF-8 with a BOM, CRLF) and a journal whose lines end in CRLF
    (a checkout with core.autocrlf): validate is clean and status reads the update."""
    tasks = "objective: N1\ntasks:\n  - id: N1.1\n    title: Nhiệm vụ một\n    lead: so-a\n    recurring: yearly\n"
    record = {
        "id": "20250102-0000000a",
        "task": "N1.1",
        "date": "2025-01-02",
        "status": "in_progress",
        "progress": 40,
        "by": "so-a",
        "author": "Kiểm Thử",
        "recorded": "2025-01-02T03:04:05Z",
    }
    second = {
        **record,
        "id": "20250103-0000000b",
        "date": "2025-01-03",
        "progress": 55,
        "recorded": "2025-01-03T03:04:05Z",
    }
    journal = "".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in (record, second))
    root = make_workspace(
        tasks=b"\xef\xbb\xbf" + tasks.replace("\n", "\r\n").encode("utf-8"),
    )
    (root / "p1" / "journal").mkdir()
    (root / "p1" / "journal" / "2025.jsonl").write_bytes(journal.encode("utf-8"))

    checked = runner.invoke(app, ["validate", "--plan", str(root), "--format", "json", "--lang", "en"])
    report = json.loads(checked.stdout)
    assert (checked.exit_code, report["errors"], report["warnings"]) == (0, 0, 0), report
    shown = runner.invoke(app, ["status", "--plan", str(root), "--format", "json", "--lang", "en"])
    assert shown.exit_code == 0, shown.output
    assert '"progress": 55' in shown.stdout and "in_progress" in shown.stdout


def test_the_journal_stays_lf_in_a_checkout_with_autocrlf(tmp_path, shipped_copy):
    """journal/.gitattributes keeps journal lines LF-terminated in every checkout: with
    core.autocrlf=true (Windows' default) a fresh checkout of the journal has no CR, so the next
    append (always LF) does not leave a file of mixed line ends that git shows as modified."""
    repo = git_repo(tmp_path)
    git(repo, "config", "core.autocrlf", "true")
    done = runner.invoke(
        app,
        ["update", "N1.1", "--plan", str(shipped_copy), "--progress", "5", "--author", "A", "--commit"],
        env=GIT_ENV,
    )
    assert done.exit_code == 0, done.output
    attributes = (shipped_copy / PLAN_DIR / "journal" / ".gitattributes").read_text(encoding="utf-8")
    assert "merge=union" in attributes and "eol=lf" in attributes
    journal = shipped_copy / PLAN_DIR / "journal" / "2025.jsonl"
    journal.unlink()
    git(repo, "checkout", "--", ".")
    assert b"\r" not in journal.read_bytes()
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.skipif(sys.platform == "win32", reason="the test hides fcntl on a platform that has it")
def test_no_module_but_locks_imports_fcntl():
    """One small module decides how to lock: nothing else in aseanctl imports fcntl."""
    users = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "aseanctl").rglob("*.py")
        if "fcntl" in path.read_text(encoding="utf-8") and path.name != "locks.py"
    ]
    assert users == []
