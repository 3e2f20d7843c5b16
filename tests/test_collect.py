"""`aseanctl collect send` and `collect read`: forms written for each agency, filled the way
people fill them (through openpyxl, and through LibreOffice when it is installed), read back
into the journal; every bad cell pointed at; hostile workbooks end in one problem line."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import SMALL
from planbuilder import plan_yaml
from typer.testing import CliRunner

openpyxl = pytest.importorskip("openpyxl")

from aseanctl import collect
from aseanctl.cli import app

runner = CliRunner()

OWNERS = """\
owners:
  - id: so-a
    name: Sở A
    kind: department
  - id: so-b
    name: Sở B
    kind: department
  - id: so-c
    name: Sở C
    kind: department
    active_until: 2023-06-30
    successor: so-b
  - id: so-d
    name: Sở D
    kind: department
  - id: so-kh
    name: Sở Kế hoạch
    kind: department
"""
# the plan's lead, who sends the forms, has no task of its own here (it is never sent one)
PLAN = plan_yaml(dataclasses.replace(SMALL.plan, lead="so-kh"))
TASKS = """\
objective: N1
tasks:
  - id: N1.1
    title: Nhiệm vụ một
    title_en: Task one
    lead: so-a
    support: [so-b, so-d]
    recurring: yearly
    indicators:
      - id: so-lop
        name: Số lớp tập huấn
        unit: lớp
        target: 10
  - id: N1.2
    title: Nhiệm vụ hai
    lead: so-a
    recurring: yearly
  - id: N1.3
    title: Nhiệm vụ ba
    lead: so-c
    recurring: yearly
  - id: N1.4
    title: Nhiệm vụ bốn
    lead: so-b
    recurring: yearly
"""
HEADER_VI = [
    "Mã nhiệm vụ",
    "Nội dung nhiệm vụ",
    "Vai trò",
    "Tình trạng hiện tại",
    "Tình trạng",
    "Tiến độ (%)",
    "Kết quả, ghi chú",
    "Văn bản chứng minh",
]
AUTHOR = ("--author", "Chuyên viên <cv@example.vn>")


pytestmark = pytest.mark.usefixtures("isolated")  # conftest: no git config, plan or language from outside


@pytest.fixture
def ws(make_workspace) -> Path:
    return make_workspace(owners=OWNERS, plan=PLAN, tasks=TASKS)


def send(root: Path, out: Path, *args: str):
    return runner.invoke(
        app, ["collect", "send", "--period", "2024", "--plan", str(root), "-o", str(out), "--no-letter", *args]
    )


def read(root: Path, *args: str):
    return runner.invoke(app, ["collect", "read", *args, "--plan", str(root), *AUTHOR])


def journal(root: Path) -> list[dict]:
    path = root / "p1" / "journal" / "2024.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def form_of(root: Path, tmp_path: Path, owner: str = "so-a", *args: str) -> Path:
    out = tmp_path / "out"
    result = send(root, out, "--owner", owner, *args)
    assert result.exit_code == 0, result.output
    return out / f"p1-collect-2024-{owner}.xlsx"


def fill(form: Path, to: Path, cells: dict[str, object], formats: dict[str, str] | None = None) -> Path:
    """Open the form, type into cells as a person would (the sheet stays protected), save as ``to``."""
    book = openpyxl.load_workbook(form)
    sheet = book["Báo cáo"] if "Báo cáo" in book.sheetnames else book["Report"]
    for ref, value in cells.items():
        sheet[ref] = value
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    book.save(to)
    return to


# --- collect send ------------------------------------------------------------------------------


def test_send_writes_a_form_per_agency_that_owes_a_report(ws, tmp_path):
    out = tmp_path / "out"
    result = send(ws, out)
    assert result.exit_code == 0, result.output
    # so-c handed over to so-b in 2023: its task is so-b's; so-d only supports, and owes nothing
    assert sorted(p.name for p in out.iterdir()) == [
        "p1-collect-2024-so-a.xlsx",
        "p1-collect-2024-so-b.xlsx",
        "p1-collect-2024.json",  # what was sent, for collect status
    ]
    book = openpyxl.load_workbook(out / "p1-collect-2024-so-a.xlsx")
    sheet = book["Báo cáo"]
    assert [c.value for c in sheet[1]] == [*HEADER_VI, "so-lop (lớp)"]
    assert [[c.value for c in row][:4] for row in sheet.iter_rows(min_row=2)] == [
        ["N1.1", "Nhiệm vụ một", "chủ trì", "chưa triển khai (0%)"],
        ["N1.2", "Nhiệm vụ hai", "chủ trì", "chưa triển khai (0%)"],
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.protection.sheet
    assert sheet["A2"].protection.locked and sheet["D2"].protection.locked
    assert not sheet["E2"].protection.locked and not sheet["I2"].protection.locked
    assert sheet["I3"].protection.locked  # N1.2 has no indicator so-lop
    assert sheet.column_dimensions["B"].width == 60
    # printed landscape on the page's width; a row as tall as its wrapped title, its cells at the top
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet["A2"].alignment.vertical == "top" and sheet["E3"].alignment.vertical == "top"
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert rules["E2:E3"].type == "list" and "đang triển khai" in rules["E2:E3"].formula1
    assert (rules["F2:F3"].type, rules["F2:F3"].formula1, rules["F2:F3"].formula2) == ("decimal", "0", "100")
    meta = book[collect.META_SHEET]
    assert meta.sheet_state == "hidden"
    facts = {row[0]: row[1] for row in meta.iter_rows(values_only=True)}
    assert (facts["plan"], facts["period"], facts["owner"]) == ("p1", "2024", "so-a")
    assert facts["form"] == facts["digest"][:12]
    other = openpyxl.load_workbook(out / "p1-collect-2024-so-b.xlsx")["Báo cáo"]
    assert [(row[0].value, row[2].value) for row in other.iter_rows(min_row=2)] == [
        ("N1.1", "phối hợp"),
        ("N1.3", "chủ trì"),
        ("N1.4", "chủ trì"),
    ]


def test_send_in_english(ws, tmp_path):
    form = form_of(ws, tmp_path, "so-a", "--lang", "en")
    sheet = openpyxl.load_workbook(form)["Report"]
    assert [c.value for c in sheet[1]][:8] == [
        "Task id",
        "Task",
        "Role",
        "Current status",
        "Status",
        "Progress (%)",
        "Results, notes",
        "Evidence",
    ]
    assert (sheet["B2"].value, sheet["C2"].value, sheet["D2"].value) == ("Task one", "lead", "not started (0%)")


def test_send_refuses_an_unknown_owner_as_usage(ws, tmp_path):
    result = send(ws, tmp_path / "out", "--owner", "so-x", "--lang", "en")
    assert result.exit_code == 2
    assert "no owner 'so-x'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_send_to_a_dissolved_agency_is_refused_naming_its_successor(ws, tmp_path):
    # so-c ended on 30/06/2023: it used to be told it had "nothing to report" for 2024, and
    # nobody learnt that its work now sits with so-b
    result = send(ws, tmp_path / "out", "--owner", "so-a", "--owner", "so-c", "--lang", "en")
    assert result.exit_code == 1
    assert "'so-c' no longer exists on" in result.stderr
    assert "(it ended on 2023-06-30); its work went to 'so-b': no form is sent to it" in result.stderr
    assert not (tmp_path / "out").exists()  # not even so-a's form: nothing half-sent


def test_an_english_send_names_its_letter_as_report_does(ws, tmp_path):
    # the English letter took the Vietnamese one's name: the two overwrote each other
    out = tmp_path / "out"
    for lang in ("vi", "en"):
        result = runner.invoke(
            app,
            [
                "collect",
                "send",
                "--period",
                "2024",
                "--plan",
                str(ws),
                "-o",
                str(out),
                "--owner",
                "so-a",
                "--lang",
                lang,
            ],
        )
        assert result.exit_code == 0, result.output
    letters = sorted(p.name for p in out.iterdir() if p.suffix == ".docx")
    assert letters == ["p1-owner-request-2024-so-a-en.docx", "p1-owner-request-2024-so-a.docx"]


def test_send_writes_the_request_letter_beside_the_form(ws, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["collect", "send", "--period", "2024", "--plan", str(ws), "-o", str(out), "--owner", "so-a"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "p1-collect-2024-so-a.xlsx",
        "p1-collect-2024.json",
        "p1-owner-request-2024-so-a.docx",
    ]


# --- collect read: filled the way people fill forms ----------------------------------------------


def test_read_records_each_filled_row_as_update_would(ws, tmp_path):
    form = form_of(ws, tmp_path, "so-b")
    back = fill(
        form,
        tmp_path / "so-b-tra-loi.xlsx",
        {
            "E2": "  Dang   TRIEN khai ",  # no diacritics, other case and spacing
            "F2": "45%",
            "G2": "Đã mở 3 lớp",
            "I2": "3",  # a figure typed as text
            "E3": "đã hoàn thành",  # picked from the list
            "F3": 1,  # typed 100% in a per-cent cell
            "H3": "Báo cáo 12/BC-SB",
            # row 4 (N1.4) left blank
        },
        {"F3": "0%"},
    )
    result = read(ws, str(back))
    assert result.exit_code == 0, result.output
    records = journal(ws)
    assert [(r["task"], r.get("status"), r.get("progress"), r.get("actual")) for r in records] == [
        ("N1.1", "in_progress", 45, {"so-lop": 3}),
        ("N1.3", "completed", 100, None),
    ]
    assert {r["by"] for r in records} == {"so-b"}
    assert {r["author"] for r in records} == {"Chuyên viên <cv@example.vn>"}
    assert records[0]["note"] == "Đã mở 3 lớp"
    assert "so-b-tra-loi.xlsx" in records[0]["evidence"]
    assert records[1]["evidence"].startswith("Báo cáo 12/BC-SB; so-b-tra-loi.xlsx")
    assert {r["date"] for r in records} == {"2024-12-31"}  # the period's last day: the period has ended
    # what it prints: one line per update recorded, with its id
    assert [line.split()[1] for line in result.stdout.splitlines()] == ["N1.1", "N1.3"]
    validate = runner.invoke(app, ["validate", "--plan", str(ws)])
    assert validate.exit_code == 0, validate.output


HOSTILE_TITLES = {
    "Nhiệm vụ một": '=HYPERLINK("http://example.invalid/?x","Bấm vào đây")',
    "Nhiệm vụ ba": "@SUM(1+1)*cmd|' /C calc'!A0",
    "Nhiệm vụ bốn": "#N/A",
}


def test_a_title_that_looks_like_a_formula_is_sent_as_text_and_read_back(make_workspace, tmp_path):
    """A plan repository is untrusted: a task title starting with = (or @, or an error value
    such as #N/A) reaches every agency's form as the text it is, never as a formula that Excel
    would run when the form is opened; and the form returned still reads.  openpyxl's normal
    mode made a formula of it (and an error value of #N/A)."""
    tasks = TASKS
    for title, hostile in HOSTILE_TITLES.items():
        tasks = tasks.replace(f"title: {title}", "title: " + json.dumps(hostile, ensure_ascii=False))
    ws = make_workspace(owners=OWNERS, plan=PLAN, tasks=tasks)
    form = form_of(ws, tmp_path, "so-b")
    with zipfile.ZipFile(form) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and 't="e"' not in sheet_xml
    sheet = openpyxl.load_workbook(form, read_only=True)["Báo cáo"]
    titles = [(row[1].value, row[1].data_type) for row in sheet.iter_rows(min_row=2)]
    assert titles == [(hostile, "s") for hostile in HOSTILE_TITLES.values()]
    back = fill(form, tmp_path / "so-b-tra-loi.xlsx", {"E2": "đang triển khai", "E3": "tạm dừng", "G4": "xong"})
    result = read(ws, str(back))
    assert result.exit_code == 0, result.output
    assert [(r["task"], r.get("status"), r.get("note")) for r in journal(ws)] == [
        ("N1.1", "in_progress", None),
        ("N1.3", "suspended", None),
        ("N1.4", None, "xong"),
    ]


def test_a_formula_typed_into_a_returned_form_is_never_taken(ws, tmp_path):
    """A formula where a value belongs is refused at its cell, whatever it computes: the
    reader never evaluates one nor takes the value a spreadsheet saved with it."""
    back = fill(form_of(ws, tmp_path, "so-b"), tmp_path / "b.xlsx", {"E2": '="đã hoàn thành"', "F3": "=50+50"})
    result = read(ws, str(back), "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "b.xlsx:Báo cáo!E2: the cell holds a formula; type the value instead",
        "b.xlsx:Báo cáo!F3: the cell holds a formula; type the value instead",
    ]
    assert journal(ws) == []


def test_read_parses_the_ways_people_type_figures():
    assert collect.parse_percent("45", None) == 45
    assert collect.parse_percent(" 45 % ", None) == 45
    assert collect.parse_percent("45,5", None) == 45.5
    assert collect.parse_percent(0.45, "0%") == 45
    assert collect.parse_percent(45.0, "General") == 45
    assert collect.parse_percent("bốn lăm", None) is None
    assert collect.parse_percent(True, None) is None
    for typed in ("Đang triển khai", "dang trien khai", "IN_PROGRESS", "in-progress", "Đang thực hiện"):
        assert collect.parse_status(typed) == "in_progress", typed
    assert collect.parse_status("da hoan thanh") == "completed"
    assert collect.parse_status("xong rồi") is None
    assert collect.parse_status("đã triển khai") is None  # rolled out: completed or in progress?
    assert collect.parse_status("da trien khai") is None


def test_read_shares_updates_number_parser(ws, tmp_path):
    """A figure typed as 2.100 reads as 2100 or 2.1: refused, as by update --actual; a figure
    the spreadsheet holds as a number (1.234) is recorded as it is, never refused as text."""
    back = fill(form_of(ws, tmp_path, "so-b"), tmp_path / "a.xlsx", {"E2": "đang triển khai", "I2": "2.100"})
    result = read(ws, str(back), "--lang", "en")
    assert result.exit_code == 1
    assert "a.xlsx:Báo cáo!I2: '2.100' reads as 2100 or as 2.1" in result.stderr
    assert journal(ws) == []
    back = fill(
        form_of(ws, tmp_path, "so-b"), tmp_path / "b.xlsx", {"E2": "đang triển khai", "F2": "12,5", "I2": 1.234}
    )
    assert read(ws, str(back)).exit_code == 0
    [record] = journal(ws)
    assert (record["progress"], record["actual"]) == (12.5, {"so-lop": 1.234})


def test_reading_the_same_form_twice_records_nothing_new(ws, tmp_path):
    form = form_of(ws, tmp_path)
    back = fill(form, tmp_path / "a.xlsx", {"E2": "đang triển khai", "F2": 30})
    assert read(ws, str(back)).exit_code == 0
    assert len(journal(ws)) == 1
    copy = tmp_path / "a-ban-sao.xlsx"  # the same form, saved again under another name
    shutil.copy(back, copy)
    again = read(ws, str(back), str(copy), "--lang", "en")
    assert again.exit_code == 0, again.output
    assert len(journal(ws)) == 1
    assert "0 updates recorded, 1 row recorded before" in again.stderr


def test_dry_run_prints_and_records_nothing(ws, tmp_path):
    back = fill(form_of(ws, tmp_path), tmp_path / "a.xlsx", {"E2": "đang triển khai"})
    result = read(ws, str(back), "--dry-run", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "N1.1 in_progress" in result.stdout
    assert journal(ws) == []
    assert "would record 1 update" in result.stderr


# --- collect read: every bad cell pointed at -------------------------------------------------------


def test_every_bad_cell_is_named_and_nothing_is_recorded(ws, tmp_path):
    back = fill(
        form_of(ws, tmp_path, "so-b"),
        tmp_path / "so-b-2024.xlsx",
        {
            "E2": "xong rồi",
            "F3": 150,
            "G4": "=1+1",
            "A5": "N1.2",  # a row added by hand, for a task so-b has no part in
            "E5": "đang triển khai",
            "E4": "đang triển khai",
        },
    )
    result = read(ws, str(back), "--lang", "en")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:4] == [
        "so-b-2024.xlsx:Báo cáo!E2: unknown status 'xong rồi'; use: chưa triển khai, đang triển khai, "
        "đã hoàn thành, thực hiện thường xuyên, tạm dừng, đề nghị điều chỉnh",
        "so-b-2024.xlsx:Báo cáo!F3: progress must be from 0 to 100, found 150",
        "so-b-2024.xlsx:Báo cáo!G4: the cell holds a formula; type the value instead",
        "so-b-2024.xlsx:Báo cáo!A5: the agency neither leads nor supports task 'N1.2': the row is not recorded",
    ]
    assert journal(ws) == []
    assert "Traceback" not in result.output


def test_skip_bad_rows_records_the_good_ones(ws, tmp_path):
    back = fill(form_of(ws, tmp_path, "so-b"), tmp_path / "b.xlsx", {"E2": "xong rồi", "E3": "tạm dừng"})
    result = read(ws, str(back), "--skip-bad-rows")
    assert result.exit_code == 1  # problems were found, though the good row is recorded
    assert [(r["task"], r["status"]) for r in journal(ws)] == [("N1.3", "suspended")]


def test_a_row_appended_by_hand_is_reported_not_recorded(ws, tmp_path):
    back = fill(form_of(ws, tmp_path), tmp_path / "a.xlsx", {"E2": "đang triển khai", "A4": "N1.1", "E4": "tạm dừng"})
    result = read(ws, str(back), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "a.xlsx:Báo cáo!A4: row added by hand for task 'N1.1': not recorded" in result.stderr
    assert [(r["task"], r["status"]) for r in journal(ws)] == [("N1.1", "in_progress")]


def test_a_changed_task_id_and_wrong_types_are_problems(ws, tmp_path):
    import datetime as dt

    back = fill(
        form_of(ws, tmp_path),
        tmp_path / "a.xlsx",
        {"A2": "N1.2", "E2": "tạm dừng", "F3": dt.datetime(2024, 5, 1), "E3": 7},
    )
    result = read(ws, str(back), "--lang", "en")
    assert result.exit_code == 1
    assert "a.xlsx:Báo cáo!A2: the task id was changed: found 'N1.2', the form was sent with 'N1.1'" in result.stderr
    assert "a.xlsx:Báo cáo!E3: unknown status '7'" in result.stderr
    assert "a.xlsx:Báo cáo!F3: '2024-05-01T00:00:00' is not a number" in result.stderr
    assert journal(ws) == []


def test_a_tampered_hidden_sheet_is_refused(ws, tmp_path):
    form = form_of(ws, tmp_path, "so-b")
    book = openpyxl.load_workbook(form)
    book["Báo cáo"]["E2"] = "đang triển khai"
    meta = book[collect.META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "owner":
            row[1].value = "so-a"  # speak for another agency
    book.save(tmp_path / "t.xlsx")
    result = read(ws, str(tmp_path / "t.xlsx"), "--skip-bad-rows", "--lang", "en")
    assert result.exit_code == 1
    assert "t.xlsx:aseanctl!A1: the hidden sheet was changed (its digest does not match)" in result.stderr
    assert journal(ws) == []


def test_a_form_for_another_period_or_plan_is_refused(ws, tmp_path):
    back = fill(form_of(ws, tmp_path), tmp_path / "a.xlsx", {"E2": "đang triển khai"})
    result = read(ws, str(back), "--period", "2023", "--lang", "en")
    assert result.exit_code == 1
    assert "a.xlsx:aseanctl!A1: the form is for another reporting period: '2024'" in result.stderr
    result = read(ws, str(back), "--plan-id", "p2", "--lang", "en")
    assert result.exit_code == 1
    assert "a.xlsx:aseanctl!A1: the form is for another plan: 'p1'" in result.stderr
    assert journal(ws) == []


# --- hostile workbooks: one problem line, never a traceback ------------------------------------------


def _one_problem(ws: Path, file: Path, expected: str) -> None:
    result = read(ws, str(file), "--lang", "en")
    assert result.exit_code == 1, result.output
    assert f"{file.name}: {expected}" in result.stderr.splitlines()[0], result.stderr
    assert "Traceback" not in result.output
    assert journal(ws) == []


def test_not_a_zip(ws, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("Mã nhiệm vụ,Tình trạng\nN1.1,đang triển khai\n", encoding="utf-8")
    _one_problem(ws, bad, "not an Excel workbook (.xlsx)")


def test_a_truncated_workbook(ws, tmp_path):
    form = form_of(ws, tmp_path)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(form.read_bytes()[:2000])
    _one_problem(ws, cut, "not an Excel workbook (.xlsx)")


def test_a_zip_that_is_no_workbook(ws, tmp_path):
    odd = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(odd, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    _one_problem(ws, odd, "cannot read the workbook")


def test_a_workbook_from_another_tool(ws, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(HEADER_VI)
    book.active.append(["N1.1", "", "", "", "đang triển khai"])
    book.save(tmp_path / "other.xlsx")
    _one_problem(ws, tmp_path / "other.xlsx", "not a form made by aseanctl collect send")


def test_a_zip_bomb_is_refused_before_unpacking(ws, tmp_path, monkeypatch):
    monkeypatch.setattr(collect, "MAX_UNPACKED", 8 << 20)  # the check is the same at 200 MB; the test is faster
    bomb = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(9):
            member.write(b"\0" * (1 << 20))
    assert bomb.stat().st_size < 100_000
    _one_problem(ws, bomb, "the workbook unpacks to too much")


def test_a_file_too_large_is_refused(ws, tmp_path, monkeypatch):
    form = form_of(ws, tmp_path)
    monkeypatch.setattr(collect, "MAX_BYTES", 100)
    _one_problem(ws, form, "file is too large")


def test_a_sheet_of_25000_rows_is_refused(ws, tmp_path):
    """(Under the count of XML elements, which refuses 100,000 such rows before this check.)"""
    form = form_of(ws, tmp_path)
    huge = tmp_path / "huge.xlsx"
    rows = "".join(f'<row r="{n}"><c r="G{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(4, 25_004))
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # the visible sheet: 100,000 rows appended
                data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
            target.writestr(item, data)
    result = read(ws, str(huge), "--lang", "en")
    assert result.exit_code == 1
    assert "huge.xlsx:Báo cáo!A1: the sheet has more than 20000 rows" in result.stderr
    assert "Traceback" not in result.output
    assert journal(ws) == []


def test_a_missing_file_is_a_usage_error(ws, tmp_path):
    result = read(ws, str(tmp_path / "nowhere.xlsx"), "--lang", "en")
    assert result.exit_code == 2
    assert "no file" in result.stderr


# --- collect status: what was sent, what came back, what is left ---------------------------------------


def sent_record(out: Path) -> dict:
    return json.loads((out / "p1-collect-2024.json").read_text(encoding="utf-8"))


def status(root: Path, out: Path, *args: str):
    return runner.invoke(
        app, ["collect", "status", "--period", "2024", "--plan", str(root), "--forms", str(out), *args]
    )


def agencies(result) -> dict[str, dict]:
    assert result.exit_code in (0, 1), result.output
    return {item["owner"]: item for item in json.loads(result.stdout)["agencies"]}


def test_send_records_what_was_sent_beside_the_forms(ws, tmp_path):
    out = tmp_path / "out"
    assert send(ws, out).exit_code == 0
    record = sent_record(out)
    assert (record["format"], record["plan"], record["period"]) == ("aseanctl-collect-sent/1", "p1", "2024")
    forms = {item["owner"]: item for item in record["forms"]}
    assert forms["so-a"]["tasks"] == ["N1.1", "N1.2"] and forms["so-b"]["tasks"] == ["N1.1", "N1.3", "N1.4"]
    assert forms["so-a"]["file"] == "p1-collect-2024-so-a.xlsx"
    meta = openpyxl.load_workbook(out / forms["so-a"]["file"])[collect.META_SHEET]
    assert forms["so-a"]["form"] == {row[0]: row[1] for row in meta.iter_rows(values_only=True)}["form"]
    # sent again to one agency: the other's entry stays, the same form is not listed twice
    assert send(ws, out, "--owner", "so-a").exit_code == 0
    assert sent_record(out)["forms"] == record["forms"][1:] + record["forms"][:1]
    # a form in English is another form (another id): both stay, an agency may return either
    assert send(ws, out, "--owner", "so-a", "--lang", "en").exit_code == 0
    assert [item["owner"] for item in sent_record(out)["forms"]] == ["so-b", "so-a", "so-a"]


def test_status_follows_the_round_from_send_to_done(ws, tmp_path):
    out = tmp_path / "out"
    before = agencies(status(ws, out, "--format", "json"))
    # who owes a report is decided as collect send decides it: so-c handed over to so-b, so-d only supports
    assert {k: (v["owes"], v["todo"]) for k, v in before.items()} == {"so-a": (True, "send"), "so-b": (True, "send")}
    assert send(ws, out).exit_code == 0
    sent = agencies(status(ws, out, "--format", "json"))
    assert {k: (v["sent"] is not None, v["rows"], v["answered"], v["todo"]) for k, v in sent.items()} == {
        "so-a": (True, 2, 0, "remind"),
        "so-b": (True, 3, 0, "remind"),
    }
    back = fill(out / "p1-collect-2024-so-b.xlsx", tmp_path / "so-b-tra-loi.xlsx", {"E2": "đang triển khai", "F3": 50})
    assert read(ws, str(back)).exit_code == 0
    answered = agencies(status(ws, out, "--format", "json"))["so-b"]
    assert (answered["answered"], answered["rows"], answered["todo"]) == (2, 3, "partial")
    # one of so-b's tasks still owes its report: so-b has not given every report it owes
    assert answered["returned"] == answered["forms"] and answered["reported"] is False
    back = fill(out / "p1-collect-2024-so-a.xlsx", tmp_path / "so-a.xlsx", {"E2": "đang triển khai", "F3": 10})
    assert read(ws, str(back)).exit_code == 0
    done = agencies(status(ws, out, "--format", "json"))["so-a"]
    assert (done["answered"], done["rows"], done["todo"]) == (2, 2, "done")
    assert done["reported"] is True


def test_status_checks_returned_workbooks_and_records_nothing(ws, tmp_path):
    out = tmp_path / "out"
    assert send(ws, out).exit_code == 0
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fill(out / "p1-collect-2024-so-a.xlsx", inbox / "so-a.xlsx", {"E2": "đang triển khai", "F3": 30})
    fill(out / "p1-collect-2024-so-b.xlsx", inbox / "so-b.xlsx", {"E2": "xong rồi"})
    (inbox / "ghi-chu.xlsx").write_text("không phải bảng tính", encoding="utf-8")
    result = status(ws, out, str(inbox), "--format", "json", "--lang", "en")
    assert result.exit_code == 1  # a returned workbook has errors, as collect read --dry-run would say
    assert "so-b.xlsx:Báo cáo!E2: unknown status 'xong rồi'" in result.stderr
    assert "ghi-chu.xlsx: not an Excel workbook (.xlsx)" in result.stderr
    document = json.loads(result.stdout)
    found = {item["owner"]: item for item in document["agencies"]}
    assert (found["so-a"]["todo"], found["so-a"]["to_read"], found["so-a"]["files"]) == ("read", 2, ["so-a.xlsx"])
    assert (found["so-b"]["todo"], found["so-b"]["errors"]) == ("fix", 1)
    assert found["so-b"]["problems"][0]["where"] == "so-b.xlsx:Báo cáo!E2"
    assert [item["file"] for item in document["unmatched"]] == ["ghi-chu.xlsx"]
    assert journal(ws) == []
    # read for real, the same workbook checked again: nothing left to read
    assert read(ws, str(inbox / "so-a.xlsx")).exit_code == 0
    again = agencies(status(ws, out, str(inbox / "so-a.xlsx"), "--format", "json"))["so-a"]
    assert (again["to_read"], again["todo"]) == (0, "done")


def test_status_as_table_and_csv(ws, tmp_path):
    out = tmp_path / "out"
    assert send(ws, out, "--owner", "so-b").exit_code == 0
    table = status(ws, out, "--lang", "en")
    assert table.exit_code == 0, table.output
    text = table.stdout
    assert "Collecting reports for 2024" in text
    rows = text.split("─")[-1]  # below the rule under the header
    assert rows.index("so-a") < rows.index("send the form") < rows.index("so-b") < rows.index("remind the agency")
    assert "0/3" in text
    assert "not sent: 1, not returned: 1" in text
    csv_text = status(ws, out, "--format", "csv", "--csv-raw").stdout
    lines = csv_text.splitlines()
    assert lines[0] == ",".join(collect.STATUS_COLUMNS)
    assert [line.split(",")[0] for line in lines[1:]] == ["so-a", "so-b"]
    assert lines[1].endswith(",send") and lines[2].endswith(",remind")


def test_status_refuses_a_damaged_record_and_send_does_not_overwrite_it(ws, tmp_path):
    out = tmp_path / "out"
    assert send(ws, out, "--owner", "so-a").exit_code == 0
    record = out / "p1-collect-2024.json"
    for damage, reason in (("{not json", "JSON 1:2"), ('{"format": "aseanctl-collect-sent/1"}', "plan")):
        record.write_text(damage, encoding="utf-8")
        result = status(ws, out, "--lang", "en")
        assert result.exit_code == 1
        assert f"the record of forms sent '{record}' is damaged or belongs to another period ({reason})" in (
            result.stderr
        )
        assert "Traceback" not in result.output
        refused = send(ws, out, "--owner", "so-b", "--lang", "en")
        assert refused.exit_code == 1
        assert not (out / "p1-collect-2024-so-b.xlsx").exists()
        assert record.read_text(encoding="utf-8") == damage
    items = {"format": "aseanctl-collect-sent/1", "plan": "p1", "period": "2024", "forms": [{"form": "zz"}]}
    record.write_text(json.dumps(items), encoding="utf-8")
    assert "(forms[0].form)" in status(ws, out, "--lang", "en").stderr


def test_status_usage_errors(ws, tmp_path):
    out = tmp_path / "out"
    result = status(ws, out, "--period", "20x4", "--lang", "en")
    assert result.exit_code == 2
    result = status(ws, out, str(tmp_path / "nowhere.xlsx"), "--lang", "en")
    assert result.exit_code == 2
    assert "no file" in result.stderr


# --- a real office suite -----------------------------------------------------------------------------


def test_a_form_saved_by_libreoffice_is_read(ws, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    back = fill(
        form_of(ws, tmp_path),
        tmp_path / "filled.xlsx",
        {"E2": "Đang triển khai", "F2": "45%", "I2": 4, "E3": "da hoan thanh", "F3": 0.3, "G3": "Xong"},
        {"F3": "0%"},
    )
    saved = tmp_path / "lo"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(saved),
            str(back),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    returned = saved / "filled.xlsx"
    book = openpyxl.load_workbook(returned)  # what the office suite kept of the form
    assert book[collect.META_SHEET].sheet_state == "hidden"
    assert book["Báo cáo"].protection.sheet  # (headless conversion drops the frozen pane: a view setting)
    result = read(ws, str(returned))
    assert result.exit_code == 0, result.output
    assert [(r["task"], r["status"], r["progress"], r.get("actual")) for r in journal(ws)] == [
        ("N1.1", "in_progress", 45, {"so-lop": 4}),
        ("N1.2", "completed", 30, None),
    ]
    assert read(ws, str(returned)).exit_code == 0
    assert len(journal(ws)) == 2  # read twice: nothing new


# --- a withdrawn answer is no answer --------------------------------------------------------------


def withdraw(root: Path, task: str, update_id: str):
    return runner.invoke(
        app, ["update", task, "--withdraws", update_id, "--reason", "nhầm dòng", "--plan", str(root), *AUTHOR]
    )


def test_a_withdrawn_answer_is_not_counted_and_its_row_can_be_read_again(ws, tmp_path):
    out = tmp_path / "out"
    assert send(ws, out, "--owner", "so-a").exit_code == 0
    back = fill(out / "p1-collect-2024-so-a.xlsx", tmp_path / "so-a.xlsx", {"E2": "đang triển khai"})
    assert read(ws, str(back)).exit_code == 0
    assert agencies(status(ws, out, "--format", "json"))["so-a"]["answered"] == 1
    (recorded,) = journal(ws)
    assert withdraw(ws, "N1.1", recorded["id"]).exit_code == 0
    after = agencies(status(ws, out, "--format", "json"))["so-a"]
    assert (after["answered"], after["returned"], after["todo"]) == (0, [], "remind")
    # the row is no longer recorded: the same form, or a corrected one, is read again
    again = fill(out / "p1-collect-2024-so-a.xlsx", tmp_path / "so-a-2.xlsx", {"E2": "đã hoàn thành"})
    result = read(ws, str(again), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "1 update recorded, 0 rows recorded before" in result.output
    assert [(r["task"], r.get("status")) for r in journal(ws) if "withdraws" not in r][-1] == ("N1.1", "completed")
    assert agencies(status(ws, out, "--format", "json"))["so-a"]["answered"] == 1


def test_a_corrected_answer_still_counts_and_its_row_is_not_read_twice(ws, tmp_path):
    out = tmp_path / "out"
    assert send(ws, out, "--owner", "so-a").exit_code == 0
    back = fill(out / "p1-collect-2024-so-a.xlsx", tmp_path / "so-a.xlsx", {"E2": "đang triển khai", "F2": 20})
    assert read(ws, str(back)).exit_code == 0
    (recorded,) = journal(ws)
    # a correction with no evidence of its own keeps the form's mark
    fixed = runner.invoke(
        app, ["update", "N1.1", "--corrects", recorded["id"], "--progress", "30", "--plan", str(ws), *AUTHOR]
    )
    assert fixed.exit_code == 0, fixed.output
    assert agencies(status(ws, out, "--format", "json"))["so-a"]["answered"] == 1
    result = read(ws, str(back), "--lang", "en")
    assert "0 updates recorded, 1 row recorded before" in result.output


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("owner", "\ud800x"),  # valid JSON, but no output can encode it
        ("owner", "so-a\x1b[2J"),
        ("file", "a\nb.xlsx"),
        ("sent", "9999-99-99"),
        ("sent", "2024-02-30"),
        ("tasks", ["N1.1", "\udfff"]),
    ],
)
def test_status_refuses_text_send_never_writes_in_the_record(ws, tmp_path, key, value):
    out = tmp_path / "out"
    assert send(ws, out, "--owner", "so-a").exit_code == 0
    record = out / "p1-collect-2024.json"
    document = sent_record(out)
    document["forms"][0][key] = value
    record.write_text(json.dumps(document), encoding="utf-8")  # ascii escapes: valid JSON, valid UTF-8
    for fmt in ("json", "csv", "table"):
        result = status(ws, out, "--format", fmt, "--lang", "en")
        assert result.exit_code == 1, result.output
        assert f"the record of forms sent '{record}' is damaged or belongs to another period (forms[0].{key})" in (
            result.stderr
        )
        assert "internal error" not in result.output


# --- whom the forms go to: as the request letters, the holder on the day they are sent ---------------

MERGED_SINCE = (
    OWNERS
    + """\
  - id: so-e
    name: Sở E
    kind: department
    active_until: 2025-02-28
    successor: so-d
"""
)
TASK_OF_SO_E = """\
  - id: N1.5
    title: Nhiệm vụ năm
    lead: so-e
    support: [so-b]
    recurring: yearly
"""


def test_forms_go_to_whoever_holds_the_work_on_the_day_they_are_sent(make_workspace, tmp_path):
    # so-e ended after the period (2024) and before today: its work is so-d's now
    root = make_workspace(owners=MERGED_SINCE, plan=PLAN, tasks=TASKS + TASK_OF_SO_E)
    out = tmp_path / "out"
    before = agencies(status(root, out, "--format", "json"))
    assert {k: (v["owes"], v["todo"]) for k, v in before.items()} == {
        "so-a": (True, "send"),
        "so-b": (True, "send"),
        "so-d": (True, "send"),
    }
    assert send(root, out).exit_code == 0
    assert sorted(p.name for p in out.glob("*.xlsx")) == [
        "p1-collect-2024-so-a.xlsx",
        "p1-collect-2024-so-b.xlsx",
        "p1-collect-2024-so-d.xlsx",
    ]
    sheet = openpyxl.load_workbook(out / "p1-collect-2024-so-d.xlsx")["Báo cáo"]
    # so-d supports N1.1 itself, and leads N1.5 as so-e's successor
    assert [[c.value for c in row][:3] for row in sheet.iter_rows(min_row=2)] == [
        ["N1.1", "Nhiệm vụ một", "phối hợp"],
        ["N1.5", "Nhiệm vụ năm", "chủ trì"],
    ]
    sent = agencies(status(root, out, "--format", "json"))
    assert {k: (v["owes"], v["todo"]) for k, v in sent.items()} == {
        "so-a": (True, "remind"),
        "so-b": (True, "remind"),
        "so-d": (True, "remind"),
    }
    # the successor's answer about its predecessor's task is read, and counts
    back = fill(out / "p1-collect-2024-so-d.xlsx", tmp_path / "so-d.xlsx", {"E3": "đang triển khai"})
    result = read(root, str(back), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert [(r["task"], r["status"]) for r in journal(root)] == [("N1.5", "in_progress")]
    assert agencies(status(root, out, "--format", "json"))["so-d"]["todo"] == "partial"


def test_the_sender_is_sent_no_form(make_workspace, tmp_path):
    # the plan's lead so-a leads tasks of its own: it reports them itself, as it gets no letter
    root = make_workspace(owners=OWNERS, plan=plan_yaml(SMALL.plan), tasks=TASKS)
    out = tmp_path / "out"
    result = send(root, out, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.xlsx")) == ["p1-collect-2024-so-b.xlsx"]
    assert "no form for so-a: it is the sender" in result.stderr
    assert set(agencies(status(root, out, "--format", "json"))) == {"so-b"}
