"""The views as Excel workbooks (``--format xlsx -o FILE``), the views written to a file, and
the CSV's byte-order mark as an option: read back with openpyxl, and opened by LibreOffice."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from planbuilder import Indicator, Objective, Owner, Plan, Task, TaskFile, Update, Workspace
from typer.testing import CliRunner

from aseanctl import views
from aseanctl.cli import app
from aseanctl.i18n import CATALOGUE
from aseanctl.safetext import SHEET_CELL_LIMIT, sheet_text

runner = CliRunner()

LONG_TITLE = (
    "Tham gia xây dựng, thực hiện, giám sát và đánh giá các chương trình, chính sách, pháp luật "
    "hoạt động liên quan đến các lĩnh vực chăm sóc sức khỏe, giáo dục, khoa học công nghệ"
)
HYPERLINK = '=HYPERLINK("http://x.example/?a=1","bấm vào đây")'
AUTHOR = "Chuyên viên <cv@example.vn>"

SHEET_PLAN = Workspace(
    owners=(
        Owner("so-a", "Sở A", short="SA"),
        Owner("so-b", "Sở B", name_en="Department B"),
        Owner("so-c", "Sở C"),
    ),
    plan=Plan(objectives=(Objective("N1", "Nhóm một", ascc="A"),)),
    task_files=(
        TaskFile(
            "N1",
            (
                Task(
                    "N1.1",
                    LONG_TITLE,
                    title_en="Take part in programmes",
                    lead="so-a",
                    support=("so-b", "so-c"),
                    start="2024-01-01",
                    due="2024-10-31",
                    indicators=(Indicator("so-lop", "Số lớp", unit="lớp", target=10),),
                ),
                Task("N1.2", HYPERLINK, lead="so-b", recurring="yearly"),
            ),
        ),
    ),
    journal=(
        Update(
            "20240311-0000b001",
            "N1.1",
            "2024-03-10",
            by="so-a",
            author=AUTHOR,
            recorded="2024-03-11T01:00:00Z",
            status="in_progress",
            progress=42.5,
            health="amber",
            actual={"so-lop": 4},
            note=HYPERLINK,
            evidence="@SUM(A1)",
        ),
        Update(
            "20240602-0000b002",
            "N1.2",
            "2024-06-01",
            by="so-b",
            author=AUTHOR,
            recorded="2024-06-02T01:00:00Z",
            status="recurring",
            progress=50,
            note="#N/A\ndòng hai \u202eđảo",
        ),
        Update(
            "20240312-0000b003",
            "N1.1",
            "2024-03-10",
            by="so-a",
            author=AUTHOR,
            recorded="2024-03-12T01:00:00Z",
            progress=45,
            note="-5 lớp: sửa",
            corrects="20240311-0000b001",
        ),
    ),
)
AS_OF = "2024-12-01"
VIEWS = {  # view -> its command line and the document list and columns its rows come from
    "status": (["status"], "tasks", views.TASK_COLUMNS),
    "log": (["log"], "updates", views.UPDATE_COLUMNS),
    "owners": (["owners"], "owners", views.OWNER_COLUMNS),
    "show": (["show", "N1.1"], "updates", views.UPDATE_COLUMNS),
}


@pytest.fixture
def sheet_plan(make_workspace, monkeypatch) -> Path:
    root = make_workspace(SHEET_PLAN)
    monkeypatch.chdir(root)
    monkeypatch.delenv("ASEANCTL_LANG", raising=False)
    monkeypatch.delenv("ASEANCTL_PLAN", raising=False)
    return root


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def workbook(view: str, out: Path, *extra: str):
    args, _, _ = VIEWS[view]
    result = invoke(*args, "--as-of", AS_OF, "-f", "xlsx", "-o", str(out), *extra)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    return load_workbook(out).active, result


def rows_of(sheet) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def by_id(sheet) -> dict[Any, list[Any]]:
    return {row[0]: row for row in rows_of(sheet)[1:]}


# --- what each sheet holds -----------------------------------------------------------------------


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_view_is_one_sheet_with_a_frozen_filtered_header_and_sized_columns(sheet_plan, tmp_path, view, lang):
    sheet, result = workbook(view, tmp_path / "out.xlsx", "--lang", lang)
    _, key, columns = VIEWS[view]
    assert result.stderr == f"{CATALOGUE['view.written'][lang == 'en'].format(file=tmp_path / 'out.xlsx')}\n"
    assert sheet.title == CATALOGUE[f"sheet.name.{view}"][lang == "en"]
    header = [cell for cell in sheet[1]]
    assert [cell.value for cell in header] == [CATALOGUE[f"sheet.col.{c}"][lang == "en"] for c in columns]
    assert all(cell.font.b for cell in header)
    assert sheet.freeze_panes == "A2"
    items = invoke(*VIEWS[view][0], "--as-of", AS_OF, "-f", "json").stdout
    count = len(__import__("json").loads(items)[key])
    assert sheet.max_row == count + 1 and count > 0
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(columns)).column_letter}{count + 1}"
    widths = [sheet.column_dimensions[cell.column_letter].width for cell in header]
    assert all(6 < width <= 63 for width in widths), widths


def test_status_cells_are_typed(sheet_plan, tmp_path):
    sheet, _ = workbook("status", tmp_path / "s.xlsx", "--lang", "en")
    columns = views.TASK_COLUMNS
    rows = by_id(sheet)
    first = dict(zip(columns, rows["N1.1"], strict=True))
    assert first["progress"] == 45 and isinstance(first["progress"], int)  # the correction counts
    assert first["due"] == dt.datetime(2024, 10, 31) and first["start"] == dt.datetime(2024, 1, 1)
    assert first["last_update"] == dt.datetime(2024, 3, 10)
    assert (first["status"], first["health"], first["overdue"], first["recurring"]) == (
        "in progress",
        "amber",
        True,
        None,
    )
    assert first["support"] == "so-b\nso-c"  # one list item per line, not ["so-b", "so-c"]
    second = dict(zip(columns, rows["N1.2"], strict=True))
    assert (second["title"], second["recurring"], second["due"], second["support"]) == (HYPERLINK, "yearly", None, None)
    cells = {cell.column: cell for cell in next(sheet.iter_rows(min_row=2, max_row=2))}
    due = cells[columns.index("due") + 1]
    assert (due.is_date, due.number_format) == (True, "dd/mm/yyyy")
    support = cells[columns.index("support") + 1]
    assert support.alignment.wrap_text
    # the widest column is the title's, capped; the id's is narrow
    widths = {c: sheet.column_dimensions[sheet.cell(1, i).column_letter].width for i, c in enumerate(columns, 1)}
    assert widths["title"] == 63 and widths["id"] < 12 and widths["due"] >= 12


def test_status_words_are_in_the_chosen_language(sheet_plan, tmp_path):
    sheet, _ = workbook("status", tmp_path / "s.xlsx")
    row = dict(zip(views.TASK_COLUMNS, by_id(sheet)["N1.2"], strict=True))
    assert (row["status"], row["recurring"]) == ("thực hiện thường xuyên", "hằng năm")


def test_log_cells_are_typed_and_hostile_text_stays_text(sheet_plan, tmp_path):
    out = tmp_path / "log.xlsx"
    sheet, _ = workbook("log", out, "--lang", "en")
    rows = {row[0]: dict(zip(views.UPDATE_COLUMNS, row, strict=True)) for row in rows_of(sheet)[1:]}
    first = rows["20240311-0000b001"]
    assert (first["note"], first["evidence"]) == (HYPERLINK, "@SUM(A1)")
    assert (first["date"], first["progress"], first["actual"]) == (dt.datetime(2024, 3, 10), 42.5, "so-lop = 4")
    assert (first["superseded"], first["superseded_by"]) == (True, "20240312-0000b003")
    assert first["recorded"] == "2024-03-11T01:00:00Z"  # a moment with its offset: kept as written
    assert rows["20240312-0000b003"]["note"] == "-5 lớp: sửa"
    # a direction control written out, the line break kept; "#N/A" is text, not an error value
    assert rows["20240602-0000b002"]["note"] == "#N/A\ndòng hai U+202Eđảo"
    types = {cell.data_type for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert "f" not in types and "e" not in types
    with zipfile.ZipFile(out) as archive:  # no formula anywhere in the file itself
        xml = b"".join(archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml and b"HYPERLINK" in xml


def test_owners_counts_are_numbers_and_days_dates(sheet_plan, tmp_path):
    sheet, _ = workbook("owners", tmp_path / "o.xlsx")
    row = dict(zip(views.OWNER_COLUMNS, by_id(sheet)["so-a"], strict=True))
    assert (row["led"], row["supported"], row["completed"], row["overdue"]) == (1, 0, 0, 1)
    assert all(isinstance(row[key], int) for key in ("led", "supported", "completed", "overdue"))
    assert row["last_report"] == dt.datetime(2024, 3, 10)
    assert all(isinstance(row[key], int) for key in ("reports_owed", "reports_given"))
    assert row["reports_given"] <= row["reports_owed"]


def test_show_is_the_timeline(sheet_plan, tmp_path):
    sheet, _ = workbook("show", tmp_path / "t.xlsx")
    assert [row[0] for row in rows_of(sheet)[1:]] == ["20240311-0000b001", "20240312-0000b003"]


def test_a_view_with_no_rows_is_the_header(sheet_plan, tmp_path):
    out = tmp_path / "none.xlsx"
    result = invoke("status", "--as-of", AS_OF, "--status", "completed", "-f", "xlsx", "-o", str(out))
    assert result.exit_code == 0
    sheet: Any = load_workbook(out).active
    assert sheet.max_row == 1 and sheet.auto_filter.ref == "A1:Q1"


# --- the typed values themselves -------------------------------------------------------------------


def test_text_a_workbook_cannot_hold_is_written_out(sheet_plan, tmp_path):
    """A journal note holding a C1 control, which would act in a terminal copy-paste.  (A lone
    surrogate, which XML cannot hold, never reaches a view: the schema refuses its line.)"""
    journal = sheet_plan / "p1" / "journal" / "2024.jsonl"
    journal.write_text(journal.read_text(encoding="utf-8").replace("dòng hai", "dòng hai \\u009b"), encoding="utf-8")
    sheet, _ = workbook("log", tmp_path / "log.xlsx")
    notes = [row[views.UPDATE_COLUMNS.index("note")] for row in rows_of(sheet)]
    assert "#N/A\ndòng hai \\x9b U+202Eđảo" in notes


def test_the_two_code_points_xml_cannot_hold_are_written_out(sheet_plan, tmp_path):
    """U+FFFE and U+FFFF pass the schema (YAML and JSON hold them) but not XML 1.0: a note
    holding one made the workbook 'internal error: ValueError'."""
    journal = sheet_plan / "p1" / "journal" / "2024.jsonl"
    journal.write_text(
        journal.read_text(encoding="utf-8").replace("dòng hai", "dòng \\uffff hai \\ufffe"), encoding="utf-8"
    )
    sheet, _ = workbook("log", tmp_path / "log.xlsx")
    notes = [row[views.UPDATE_COLUMNS.index("note")] for row in rows_of(sheet)]
    assert any("dòng U+FFFF hai U+FFFE" in str(note) for note in notes), notes


def test_sheet_rows_types():
    items: list[dict[str, Any]] = [
        {"due": "2024-03-05", "status": "completed", "support": ["a", "b"], "actual": {"x": 1.5}, "n": 3},
        {"due": "1899-12-31", "status": "made-up", "support": [], "actual": {}, "n": None},
    ]
    rows = views.sheet_rows(items, ("due", "status", "support", "actual", "n"), "en")
    assert rows == [
        [dt.date(2024, 3, 5), "completed", "a\nb", "x = 1.5", 3],
        ["1899-12-31", "made-up", None, None, None],
    ]


def test_sheet_text_writes_out_what_a_workbook_cannot_hold():
    assert sheet_text("a\tb\nc\x00\x1b\u202e\ud800") == "a\\tb\nc\\x00\\x1bU+202EU+D800"
    long = sheet_text("x" * (SHEET_CELL_LIMIT + 10))
    assert len(long) == SHEET_CELL_LIMIT and long.endswith("…")
    assert sheet_text("=1+1") == "=1+1"  # stored as a string by the writer, not changed


def test_every_column_of_every_view_has_a_header():
    columns = {*views.TASK_COLUMNS, *views.UPDATE_COLUMNS, *views.OWNER_COLUMNS}
    assert sorted(c for c in columns if f"sheet.col.{c}" not in CATALOGUE) == []
    assert all(f"sheet.name.{view}" in CATALOGUE for view in VIEWS)
    assert all(len(CATALOGUE[f"sheet.name.{view}"][i]) <= 31 for view in VIEWS for i in (0, 1))


# --- where it goes -------------------------------------------------------------------------------


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_a_workbook_needs_a_file(sheet_plan, view):
    result = invoke(*VIEWS[view][0], "-f", "xlsx", "--lang", "en")
    assert result.exit_code == 2
    assert (
        result.stderr == "aseanctl: --format xlsx needs -o FILE (e.g. -o status.xlsx), or -o - to write into a pipe\n"
    )
    assert result.stdout == ""


def test_a_workbook_goes_into_a_pipe_with_dash(sheet_plan):
    result = invoke("status", "--as-of", AS_OF, "-f", "xlsx", "-o", "-")
    assert result.exit_code == 0 and result.stderr == ""
    sheet: Any = load_workbook(io.BytesIO(result.stdout_bytes)).active
    assert sheet.max_row == 3


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_a_workbook_is_never_written_to_a_terminal(sheet_plan):
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "aseanctl", "status", "-f", "xlsx", "-o", "-", "--lang", "en"],
            stdout=follower,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
            timeout=60,
        )
        os.set_blocking(leader, False)
        try:
            shown = os.read(leader, 4096)
        except BlockingIOError:
            shown = b""
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode == 2
    assert done.stderr.decode() == "aseanctl: a workbook is binary and is not written to a terminal: use -o FILE\n"
    assert b"PK" not in shown


def test_the_table_is_not_written_with_o(sheet_plan, tmp_path):
    result = invoke("status", "-o", str(tmp_path / "t.txt"), "--lang", "en")
    assert result.exit_code == 2
    assert "redirect it with > FILE" in result.stderr
    assert not (tmp_path / "t.txt").exists()


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_with_o_are_what_stdout_gets(sheet_plan, tmp_path, view, fmt):
    args = [*VIEWS[view][0], "--as-of", AS_OF, "-f", fmt]
    out = tmp_path / f"out.{fmt}"
    written = invoke(*args, "-o", str(out))
    assert written.exit_code == 0 and written.stdout == ""
    assert out.read_bytes() == invoke(*args).stdout_bytes
    assert invoke(*args, "-o", "-").stdout_bytes == out.read_bytes()


def test_a_folder_a_read_only_file_and_a_missing_folder_are_refused(sheet_plan, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    result = invoke("status", "-f", "xlsx", "-o", str(tmp_path), "--lang", "en")
    assert (result.exit_code, result.stderr) == (2, f"aseanctl: '{tmp_path}' is a folder: give a file name\n")
    kept = tmp_path / "kept.xlsx"
    kept.write_bytes(b"old")
    kept.chmod(0o444)
    result = invoke("status", "-f", "xlsx", "-o", str(kept), "--lang", "en", "--as-of", AS_OF)
    assert (result.exit_code, result.stderr) == (1, f"aseanctl: '{kept}' is read-only: it is left as it is\n")
    assert kept.read_bytes() == b"old"
    result = invoke("status", "-f", "csv", "-o", str(tmp_path / "no" / "such.csv"), "--lang", "en")
    assert result.exit_code == 1 and "could not write" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["kept.xlsx"]  # no temporary file left behind


def test_a_workbook_replaces_the_file_whole(sheet_plan, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "s.xlsx"
    out.write_bytes(b"an older workbook")
    workbook("status", out)
    assert zipfile.is_zipfile(out)
    assert [p.name for p in tmp_path.iterdir()] == ["s.xlsx"]


# --- CSV: plain UTF-8 by default, a byte-order mark for Excel on request -------------------------


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_csv_is_plain_utf8_and_bom_is_asked_for(sheet_plan, tmp_path, view):
    """The CSV started with a byte-order mark whoever read it: a script's first column
    became '\\ufeffid'."""
    args = [*VIEWS[view][0], "--as-of", AS_OF, "-f", "csv"]
    plain = invoke(*args).stdout_bytes
    assert plain.startswith(VIEWS[view][2][0].encode())
    assert next(csv.reader(io.StringIO(plain.decode("utf-8"))))[0] == "id"
    marked = invoke(*args, "--bom").stdout_bytes
    assert marked == b"\xef\xbb\xbf" + plain
    invoke(*args, "--bom", "-o", str(tmp_path / "x.csv"))
    assert (tmp_path / "x.csv").read_bytes() == marked


# --- LibreOffice opens them --------------------------------------------------------------------


def test_libreoffice_reads_every_view(sheet_plan, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    books = []
    for view in VIEWS:
        workbook(view, tmp_path / f"{view}.xlsx", "--lang", "en")
        books.append(str(tmp_path / f"{view}.xlsx"))
    out = tmp_path / "csv"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # comma, double quote, UTF-8
            "--outdir",
            str(out),
            *books,
        ],
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    read = {view: list(csv.reader((out / f"{view}.csv").open(encoding="utf-8"))) for view in VIEWS}
    status = {row[0]: dict(zip(views.TASK_COLUMNS, row, strict=True)) for row in read["status"][1:]}
    assert read["status"][0][:3] == ["ID", "Plan", "Objective"]
    assert status["N1.1"]["title"] == LONG_TITLE
    assert (status["N1.1"]["due"], status["N1.1"]["progress"], status["N1.1"]["overdue"]) == (
        "31/10/2024",
        "45",
        "TRUE",
    )
    assert status["N1.1"]["support"] == "so-b\nso-c"
    assert status["N1.2"]["title"] == HYPERLINK  # shown as text: LibreOffice did not run it
    log = {row[0]: dict(zip(views.UPDATE_COLUMNS, row, strict=True)) for row in read["log"][1:]}
    assert (log["20240311-0000b001"]["note"], log["20240311-0000b001"]["evidence"]) == (HYPERLINK, "@SUM(A1)")
    assert (log["20240311-0000b001"]["date"], log["20240311-0000b001"]["progress"]) == ("10/03/2024", "42.5")
    assert log["20240312-0000b003"]["note"] == "-5 lớp: sửa"
    assert log["20240602-0000b002"]["note"].startswith("#N/A\n")
    owners = {row[0]: dict(zip(views.OWNER_COLUMNS, row, strict=True)) for row in read["owners"][1:]}
    assert (owners["so-a"]["led"], owners["so-a"]["last_report"]) == ("1", "10/03/2024")
    assert [row[0] for row in read["show"][1:]] == ["20240311-0000b001", "20240312-0000b003"]
