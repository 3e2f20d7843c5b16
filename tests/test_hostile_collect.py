"""`aseanctl collect` against hostile input: a plan repository whose reports/ folder holds
symbolic links or FIFOs, an output folder that is a file, a damaged record of forms sent, and
returned workbooks built to exhaust the reader (XML element bombs, a forged hidden sheet).
Each ends in one clear line and an exit code of 0, 1 or 2, in seconds, writing nothing
outside the folder it names."""

from __future__ import annotations

import dataclasses
import json
import os
import time
import zipfile
from pathlib import Path

import pytest
from conftest import SMALL
from planbuilder import Owner, Task, TaskFile
from test_collect import AUTHOR, OWNERS, PLAN, TASKS, form_of, runner, send

from aseanctl import collect
from aseanctl.cli import app

openpyxl = pytest.importorskip("openpyxl")


pytestmark = pytest.mark.usefixtures("isolated")  # conftest: no git config, plan or language from outside


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
    ["p1-collect-2024-so-a.xlsx", "p1-owner-request-2024-so-a-en.docx", "p1-collect-2024.json", "."],
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


# --- collect read: workbooks built to exhaust the reader -------------------------------------------


def rebuilt(form: Path, to: Path, parts: dict[str, bytes], edit: dict[str, tuple[bytes, bytes]] | None = None) -> Path:
    """``form`` with members replaced or added (``parts``) and text replaced in others (``edit``)."""
    edit = edit or {}
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(to, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = parts.pop(item.filename, None) or source.read(item)
            if item.filename in edit:
                data = data.replace(*edit[item.filename])
            target.writestr(item.filename, data)
        for name, data in parts.items():
            target.writestr(name, data)
    return to


SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _wide_row(form: Path, to: Path) -> Path:
    cells = b"".join(b'<c r="I%d"><v>1</v></c>' % n for n in range(500_000))
    return rebuilt(
        form, to, {}, {"xl/worksheets/sheet1.xml": (b"</sheetData>", b'<row r="9">' + cells + b"</row></sheetData>")}
    )


def _shared_strings(form: Path, to: Path) -> Path:
    strings = b"<si><t>abcdefghijklmnopqrstuvwxyz</t></si>" * 300_000
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>"
    return rebuilt(
        form,
        to,
        {"xl/sharedStrings.xml": sst},
        {
            "[Content_Types].xml": (
                b"</Types>",
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST}"/></Types>'.encode(),
            ),
            "xl/_rels/workbook.xml.rels": (
                b"</Relationships>",
                f'<Relationship Id="rId99" Type="{SST_REL}" Target="sharedStrings.xml"/></Relationships>'.encode(),
            ),
        },
    )


def _styles(form: Path, to: Path) -> Path:
    fonts = b'<font><b val="1"/><sz val="11"/></font>' * 30_000
    return rebuilt(form, to, {}, {"xl/styles.xml": (b"<fonts", b"<fonts><font/>" + fonts + b"</fonts><fonts")})


@pytest.mark.parametrize(
    ("build", "said"),
    [
        (_wide_row, "the workbook holds more than 400000 row, cell and string XML elements"),
        (_shared_strings, "the workbook holds more than 400000 row, cell and string XML elements"),
        (_styles, "the workbook holds more than 50000 other XML elements (styles, relationships, properties …)"),
    ],
    ids=["500000-cells-in-a-row", "300000-shared-strings", "30000-fonts"],
)
def test_element_bombs_are_refused_before_openpyxl_parses_them(ws, tmp_path, build, said):
    """A few hundred kilobytes of zip, well under the size caps, holding a million XML elements
    that openpyxl parses one by one (tens of microseconds each): the reader was busy for
    10 s (a row of a million cells), 58 s (three million shared strings) or 80 s (a million
    fonts).  They are counted in a stream first."""
    bomb = build(form_of(ws, tmp_path), tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < collect.MAX_BYTES
    started = time.perf_counter()
    result = runner.invoke(app, ["collect", "read", str(bomb), "--plan", str(ws), *AUTHOR, "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert f"bomb.xlsx: {said}: " in result.stderr
    assert time.perf_counter() - started < 5


# --- collect send: what the hidden sheet holds fits in a cell --------------------------------------


def test_the_hidden_sheet_never_overruns_a_cell_with_long_task_ids(make_workspace, tmp_path):
    """500 task ids of 64 characters (the longest an id may be) went into one hidden cell of
    34,999 characters, past the 32,767 an Excel cell holds: Excel cuts it on opening, and the
    returned form failed its digest, refused whole as tampered."""
    tasks = tuple(Task(f"N1.{n:03d}" + "x" * 58, f"Nhiệm vụ {n}", lead="so-a", recurring="yearly") for n in range(500))
    workspace = dataclasses.replace(
        SMALL,
        owners=(Owner("so-a", "Sở A"), Owner("so-b", "Sở B"), Owner("so-kh", "Sở Kế hoạch")),
        plan=dataclasses.replace(SMALL.plan, lead="so-kh"),
        task_files=(TaskFile("N1", tasks),),
    )
    root = make_workspace(workspace)
    form = form_of(root, tmp_path)
    meta = openpyxl.load_workbook(form)[collect.META_SHEET]
    cells = [row[1] for row in meta.iter_rows(values_only=True) if row[0] == "rows"]
    assert len(cells) == 2
    assert max(len(text) for text in cells) <= 32_767
    assert [line.split("\t")[0] for text in cells for line in text.split("\n")] == [t.id for t in tasks]


# --- collect read: a hidden sheet rewritten with a digest of its own -------------------------------


def forged(form: Path, to: Path, rows: list[list[str]], cells: dict[str, object]) -> Path:
    """``form`` with its hidden sheet's rows replaced and the digest computed again, as anyone
    can (it is no secret), and ``cells`` typed into the visible sheet."""
    book = openpyxl.load_workbook(form)
    meta = book[collect.META_SHEET]
    stored = {row[0].value: row[1] for row in meta.iter_rows() if row[0].value not in ("rows", "indicators")}
    facts = {key: stored[key].value for key in ("format", "plan", "period", "start", "end", "owner", "lang", "sent")}
    kept = [row[1] for row in meta.iter_rows(values_only=True) if row[0] == "indicators"]
    facts.update(rows=rows, indicators=[line for text in kept for line in text.split("\n")])
    digest = collect.digest_of(facts)
    stored["digest"].value, stored["form"].value = digest, digest[:12]
    for row in meta.iter_rows():
        if row[0].value == "rows":
            row[1].value = "\n".join("\t".join(item) for item in rows)
    sheet = book["Báo cáo"]
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(to)
    return to


@pytest.mark.parametrize(
    "rows",
    [[["N1.1", "lead"], ["N1.1", "lead"], ["N1.1", "lead"]], [["N1.1"], ["N1.2", "lead"]]],
    ids=["one-task-three-rows", "a-row-without-its-role"],
)
def test_a_forged_hidden_sheet_is_refused(ws, tmp_path, rows):
    """One task sent on three rows recorded three updates of it from one form; a row without its
    role ended in 'cannot read the workbook (ValueError)'.  Both are refused at the hidden sheet."""
    cells = {"A2": "N1.1", "A3": "N1.1", "A4": "N1.1", "F2": 10, "F3": 20, "F4": 30}
    bad = forged(form_of(ws, tmp_path), tmp_path / "forged.xlsx", rows, cells)
    result = runner.invoke(app, ["collect", "read", str(bad), "--plan", str(ws), *AUTHOR, "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "forged.xlsx:aseanctl!A1: the hidden sheet is not one 'collect send' writes" in result.stderr
    assert not (ws / "p1" / "journal").exists()


# --- report --kind owner-request: the folder of letters in the repository ---------------------------


def test_the_letters_folder_is_never_written_through_a_committed_symlink(ws, tmp_path):
    """The folder itself was checked, not the letters in it: a committed
    reports/<letters>/<letter>.md -> any file was followed and the file replaced by a letter."""
    folder = ws.parent / "reports" / "p1-owner-request-2024-en"
    folder.mkdir(parents=True)
    victim = tmp_path / "victim.md"
    link = folder / "p1-owner-request-2024-so-b-en.md"
    link.symlink_to(victim)
    result = runner.invoke(
        app, ["report", "--kind", "owner-request", "--period", "2024", "--plan", str(ws), "--lang", "en"]
    )
    assert result.exit_code == 1, result.output
    assert f"will not write the report through the symbolic link '{link}'" in result.stderr
    assert not victim.exists()
    assert sorted(p.name for p in folder.iterdir()) == [link.name]  # no letter written before the refusal
