"""`aseanctl collect` against hostile input: a plan repository whose reports/ folder holds
symbolic links or FIFOs, an output folder that is a file, a damaged record of forms sent, and
returned workbooks built to exhaust the reader (XML element bombs, a forged hidden sheet).
Each ends in one clear line and an exit code of 0, 1 or 2, in seconds, writing nothing
outside the folder it names."""

from __future__ import annotations

import json
import os
import time
import zipfile
from pathlib import Path

import pytest
from test_collect import AUTHOR, OWNERS, PLAN, TASKS, form_of, runner, send

from aseanctl import collect
from aseanctl.cli import app

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.delenv("ASEANCTL_PLAN", raising=False)
    monkeypatch.delenv("ASEANCTL_LANG", raising=False)


@pytest.fixture
def ws(make_workspace) -> Path:
    return make_workspace(owners=OWNERS, plan=PLAN, tasks=TASKS)


def send_default(root: Path, *args: str):
    """collect send into its default folder: reports/ beside the plan, in the plan repository."""
    return runner.invoke(
        app, ["collect", "send", "--period", "2024", "--plan", str(root), "--owner", "so-a", "--lang", "en", *args]
    )


# --- collect send: reports/ in the plan repository is untrusted ---------------------------------


@pytest.mark.parametrize(
    "name",
    ["p1-collect-2024-so-a.xlsx", "p1-owner-request-2024-so-a.docx", "p1-collect-2024.json", "."],
    ids=["form", "letter", "record", "reports-folder"],
)
def test_send_never_writes_through_a_symlink_in_the_repository(ws, tmp_path, name):
    """A pull request can commit reports/<form>.xlsx -> ~/.bashrc (or reports/ -> anywhere):
    send used to follow it and replace the target with a workbook.  Now it refuses, naming the
    link, before writing anything."""
    reports = ws.parent / "reports"
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep").write_text("mine", encoding="utf-8")
    if name == ".":
        reports.symlink_to(victim, target_is_directory=True)
        link = reports
    else:
        reports.mkdir()
        link = reports / name
        link.symlink_to(victim / "keep")
    result = send_default(ws)
    assert result.exit_code == 1, result.output
    assert f"will not write through the symbolic link '{link}'" in result.stderr
    assert sorted(p.name for p in victim.iterdir()) == ["keep"]
    assert (victim / "keep").read_text(encoding="utf-8") == "mine"
    assert not any(p.suffix == ".xlsx" and not p.is_symlink() for p in reports.iterdir())


def test_send_never_writes_into_a_fifo_in_the_repository(ws):
    """A FIFO committed at a form's name made send wait for ever for a reader.  (The test holds a
    reader open, so that the old code wrote into it instead of hanging the suite.)"""
    reports = ws.parent / "reports"
    reports.mkdir()
    fifo = reports / "p1-collect-2024-so-a.xlsx"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = send_default(ws, "--no-letter")
    finally:
        os.close(reader)
    assert result.exit_code == 1, result.output
    assert f"'{fifo}' is not a regular file (a FIFO, a device …): no form is written there" in result.stderr
    assert not (reports / "p1-collect-2024.json").exists()


def test_a_symlink_in_a_folder_given_with_o_is_refused_too(ws, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "p1-collect-2024-so-a.xlsx").symlink_to(tmp_path / "elsewhere.xlsx")
    result = send(ws, out, "--owner", "so-a", "--lang", "en")
    assert result.exit_code == 1
    assert "will not write through the symbolic link" in result.stderr
    assert not (tmp_path / "elsewhere.xlsx").exists()


def test_a_file_given_as_the_folder_is_a_usage_error(ws, tmp_path):
    """It used to read as 'the record of forms sent is damaged (NotADirectoryError)'."""
    file = tmp_path / "a-file"
    file.write_text("x", encoding="utf-8")
    sent = send(ws, file, "--lang", "en")
    assert sent.exit_code == 2
    assert f"'{file}' is a file, not a folder: -o needs the folder of the forms" in sent.stderr
    status = runner.invoke(
        app, ["collect", "status", "--period", "2024", "--plan", str(ws), "--forms", str(file), "--lang", "en"]
    )
    assert status.exit_code == 2
    assert "--forms needs the folder of the forms" in status.stderr
    assert file.read_text(encoding="utf-8") == "x"


def test_a_record_listing_a_million_tasks_is_checked_in_a_second(ws, tmp_path):
    """Each task id of the record was checked with an import and a regex of its own: a
    damaged record of a million ids (8 MB, under the 16 MB cap) took about 7 s."""
    out = tmp_path / "out"
    assert send(ws, out, "--owner", "so-a").exit_code == 0
    record = out / "p1-collect-2024.json"
    document = json.loads(record.read_text(encoding="utf-8"))
    document["forms"][0]["tasks"] = ["N1.1"] * 1_000_000
    record.write_text(json.dumps(document), encoding="utf-8")
    started = time.perf_counter()
    result = runner.invoke(
        app, ["collect", "status", "--period", "2024", "--plan", str(ws), "--forms", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - started < 3
