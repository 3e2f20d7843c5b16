"""Word reports: the three templates rendered on a small workspace and read back with
python-docx (layout of Nghị định 30/2020/NĐ-CP, no tag left behind, text kept exactly),
and one document converted to PDF by LibreOffice, as a clerk's machine would open it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import importlib.util
import io
import re
import os
import shutil
import subprocess
import sys
import unicodedata
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import REPO, SMALL, WriteWorkspace
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from planbuilder import Objective, Task, TaskFile, Update

from aseanctl.errors import AseanctlError
from aseanctl.loader import load_workspace
from aseanctl.progress import parse_period
from aseanctl.report.context import build_context
from aseanctl.report.docx import chart_png, render_docx

TEMPLATES = REPO / "templates"
FONT = "Times New Roman"
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Everything that breaks XML, Markdown or Jinja if it is not escaped, and Vietnamese diacritics.
TRICKY = 'Phối hợp & <liên ngành> | *ưu tiên* _số 1_ "Đắk Lắk" {{ x }} {% y %}'
TRICKY_NOTE = "Đã tổ chức 2 hội nghị & <tập huấn>\nDòng thứ hai"

FIXTURE = dataclasses.replace(
    SMALL,
    plan=dataclasses.replace(
        SMALL.plan, objectives=(*SMALL.plan.objectives, Objective("N2", "Nhóm hai & <khác>", ascc="B"))
    ),
    task_files=(
        TaskFile(
            "N1",
            (
                Task(
                    "N1.1",
                    TRICKY,
                    lead="so-a",
                    support=("so-b",),
                    recurring="yearly",
                    assumptions=("Cơ quan phối hợp suy ra từ lĩnh vực.",),
                ),
                Task("N1.2", "Nhiệm vụ quá hạn", lead="so-b", due="2024-06-30"),
            ),
        ),
        TaskFile(
            "N2",
            (Task("N2.1", "Nhiệm vụ hai", lead="so-b", support=("so-a",), start="2022-01-01", due="2025-12-31"),),
        ),
    ),
    journal=(
        Update(
            "20240510-N11",
            "N1.1",
            "2024-05-10",
            by="so-a",
            author="Kiểm Thử",
            recorded="2024-05-10T08:00:00Z",
            status="in_progress",
            progress=40,
            note=TRICKY_NOTE,
            evidence="12/BC-SA",
        ),
        Update(
            "20241101-N21",
            "N2.1",
            "2024-11-01",
            by="so-b",
            author="Kiểm Thử",
            recorded="2024-11-01T08:00:00Z",
            status="completed",
            progress=100,
        ),
    ),
)
SETTINGS = {
    "parent_body": "UBND TỈNH THỬ",
    "issuing_body": "SỞ A",
    "number_code": "BC-SA",
    "place": "Cần Thơ",
    "signer": {"authority": "KT. GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "name": "Nguyễn Văn Ả"},
    "recipients": ["UBND tỉnh (b/c)", "Lưu: VT"],
}
NARRATIVE = {
    "direction": "Chỉ đạo & <triển khai> kịp thời.",
    "strengths": "Ưu điểm *một*.",
    "number": "05",
    "date": dt.date(2025, 1, 5),
}
KINDS = ("progress", "assignment", "owner-request")


@pytest.fixture
def workspace(make_workspace: WriteWorkspace) -> Path:
    return make_workspace(FIXTURE)


def context_for(root: Path, kind: str, owner: str | None = None) -> dict[str, Any]:
    load = load_workspace(root)
    assert [p for p in load.problems if p.severity == "error"] == []
    plan = load.workspace.plans[0]
    period = parse_period("2024", plan)
    assert period is not None
    return build_context(
        load.workspace,
        plan,
        kind=kind,
        period=period,
        as_of=dt.date(2024, 12, 14),
        lang="vi",
        owner_id=owner,
        settings=SETTINGS,
        narrative=NARRATIVE,
        narrative_file="p1/reports/2024.yaml",
    )


def render(root: Path, kind: str, out_dir: Path, chart: bytes | None = None) -> tuple[Path, dict[str, Any]]:
    context = context_for(root, kind, owner="so-b" if kind == "owner-request" else None)
    out = out_dir / f"{kind}.docx"
    render_docx(TEMPLATES / f"{kind}.docx", context, out, chart)
    return out, context


def xml_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        }


def visible_text(xml: str) -> str:
    return "".join(html.unescape(t) for t in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def cell_texts(document) -> list[str]:
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


# --- the templates -------------------------------------------------------------------------------


def test_shipped_templates_are_what_the_script_builds(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_docx", TEMPLATES / "build_docx.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(tmp_path)

    def outline(path: Path) -> list[str]:
        """Every text, column width, page size and margin, and the styles, in document order:
        what the script decides, not how a python-docx version serialises it."""
        xml = xml_parts(path)
        return [
            *re.findall(
                r"<w:t(?: [^>]*)?>[^<]*</w:t>|<w:gridCol [^>]*/>|<w:pgSz [^>]*/>|<w:pgMar [^>]*/>",
                xml["word/document.xml"],
            ),
            *re.findall(r'<w:style [^>]*w:styleId="Report[^"]*".*?</w:style>', xml["word/styles.xml"]),
        ]

    for kind in KINDS:
        assert outline(tmp_path / f"{kind}.docx") == outline(TEMPLATES / f"{kind}.docx"), (
            f"templates/{kind}.docx is not what templates/build_docx.py builds: run it"
        )


@pytest.mark.parametrize("kind", KINDS)
def test_every_tag_is_one_run(kind: str) -> None:
    """Word splits a tag typed by hand over several runs; the built templates never do."""
    document = Document(str(TEMPLATES / f"{kind}.docx"))
    for text in (t.text or "" for t in document.element.body.iter(qn("w:t"))):
        for opening, closing in (("{{", "}}"), ("{%", "%}")):
            assert text.count(opening) == text.count(closing), f"a tag is split across runs: {text!r}"


# --- rendered documents --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_page_layout_and_fonts_follow_the_decree(workspace: Path, tmp_path: Path, kind: str) -> None:
    out, _ = render(workspace, kind, tmp_path)
    document = Document(str(out))
    section = document.sections[0]
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    size = sorted((round(width.mm), round(height.mm)))
    assert size == [210, 297]  # A4 (assignment and owner-request are landscape: they are tables)
    if kind == "progress":
        assert width < height
    margins = [
        m if m is None else round(m.mm)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ]
    assert margins == [20, 20, 30, 15]

    normal = document.styles["Normal"]
    assert normal.font.name == FONT
    assert 13 <= normal.font.size.pt <= 14
    styles_xml = xml_parts(out)["word/styles.xml"]
    defaults = styles_xml[styles_xml.index("<w:docDefaults>") : styles_xml.index("</w:docDefaults>")]
    for scope in (defaults, normal.element.xml):
        fonts = re.search(r"<w:rFonts [^>]*/>", scope)
        assert fonts is not None
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            assert f'w:{attr}="{FONT}"' in fonts.group(0)
        assert "Theme" not in fonts.group(0) and "cstheme" not in fonts.group(0)
    for name, xml in xml_parts(out).items():
        if name.startswith(("word/document", "word/header")):
            for found in re.findall(r'w:(?:ascii|hAnsi|cs|eastAsia)="([^"]+)"', xml):
                assert found == FONT, f"{name} uses the font {found}"


@pytest.mark.parametrize("kind", KINDS)
def test_file_properties_say_what_the_document_is(workspace: Path, tmp_path: Path, kind: str) -> None:
    """Word's File > Info and a file manager show the report's subject, its issuer and date,
    not python-docx's "python-docx" of 2013."""
    out, context = render(workspace, kind, tmp_path)
    properties = Document(str(out)).core_properties
    assert properties.title == context["doc"]["subject"] and properties.title
    assert properties.subject == "Kế hoạch thử"  # the plan
    assert properties.author == "Sở A" == properties.last_modified_by  # the issuer, as spelled
    assert properties.language == "vi-VN"
    assert "python-docx" not in f"{properties.author} {properties.comments}"
    # the narrative's date; a letter is dated its own day (it takes no report's number or date)
    signed = dt.datetime(*((2024, 12, 14) if kind == "owner-request" else (2025, 1, 5)), tzinfo=dt.timezone.utc)
    assert properties.created == signed and properties.modified == signed
    unsigned = context_for(workspace, kind, owner="so-b" if kind == "owner-request" else None)
    unsigned["doc"]["date"] = "2024-12-14"
    render_docx(TEMPLATES / f"{kind}.docx", unsigned, tmp_path / "unsigned.docx", None)
    assert Document(str(tmp_path / "unsigned.docx")).core_properties.created == dt.datetime(
        2024, 12, 14, tzinfo=dt.timezone.utc
    )


def test_file_properties_follow_the_language_and_keep_the_templates_own(workspace: Path, tmp_path: Path) -> None:
    context = context_for(workspace, "progress")
    loaded = load_workspace(workspace).workspace
    period = parse_period("2024", loaded.plans[0])
    assert period is not None
    english = build_context(
        loaded, loaded.plans[0], kind="progress", period=period, as_of=dt.date(2024, 12, 14), lang="en"
    )
    render_docx(TEMPLATES / "progress.docx", english, tmp_path / "en.docx", None)
    properties = Document(str(tmp_path / "en.docx")).core_properties
    assert properties.language == "en" and properties.title.startswith("Results of implementing")
    assert properties.created == dt.datetime(2024, 12, 14, tzinfo=dt.timezone.utc)  # unsigned: the as-of day
    # a template whose author filled a property in keeps it (a tag in it is rendered)
    own = Document(str(TEMPLATES / "progress.docx"))
    own.core_properties.author = "Văn phòng"
    own.core_properties.title = "{{ doc.title }} {{ period.label }}"
    own.save(str(tmp_path / "own.docx"))
    render_docx(tmp_path / "own.docx", context, tmp_path / "out.docx", None)
    kept = Document(str(tmp_path / "out.docx")).core_properties
    assert (kept.author, kept.title) == ("Văn phòng", "BÁO CÁO 2024")


@pytest.mark.parametrize("kind", KINDS)
def test_header_block_and_closing(workspace: Path, tmp_path: Path, kind: str) -> None:
    out, context = render(workspace, kind, tmp_path)
    document = Document(str(out))
    header = document.tables[0]
    left, right = (cell.text for cell in header.rows[0].cells)
    assert "UBND TỈNH THỬ" in left and "SỞ A" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert 'w:val="nil"' in header._tbl.tblPr.xml  # borderless
    body = [p.text for p in document.paragraphs]
    closing = [t for t in document.tables if "Nơi nhận:" in t.rows[0].cells[0].text]
    assert len(closing) == 1
    recipients, signer = (cell.text for cell in closing[0].rows[0].cells)
    if kind == "owner-request":
        # a công văn: no /BC; its «V/v» line under the number; its number and day left to the clerk
        # (the progress report's number and date are not the letter's); «Như trên» is the addressee
        assert left.splitlines()[-2:] == ["Số:       /", "V/v báo cáo kết quả thực hiện Kế hoạch số 1/KH-UBND năm 2024"]
        assert "Cần Thơ, ngày      tháng      năm 2024" in right
        assert context["doc"]["title"] == "" and "Kính gửi: Sở B." in body
        assert recipients.splitlines()[1:] == ["- Như trên;", "- Lưu: VT."]
    else:
        assert "Số: 05/BC-SA" in left
        assert "Cần Thơ, ngày 05 tháng 01 năm 2025" in right
        assert context["doc"]["title"] in body
        assert "- UBND tỉnh (b/c);" in recipients and recipients.rstrip().endswith("- Lưu: VT.")
    assert "KT. GIÁM ĐỐC" in signer and "PHÓ GIÁM ĐỐC" in signer and "Nguyễn Văn Ả" in signer


@pytest.mark.parametrize("kind", KINDS)
def test_no_tag_is_left_and_tricky_text_survives(workspace: Path, tmp_path: Path, kind: str) -> None:
    out, _ = render(workspace, kind, tmp_path)
    parts = xml_parts(out)
    for name, xml in parts.items():
        text = visible_text(xml)
        # the tricky title holds "{{ x }}" and "{% y %}" itself: they must come out as text, once per use
        leftover = text.replace(unicodedata.normalize("NFC", TRICKY), "")
        assert "{{" not in leftover and "{%" not in leftover and "%}" not in leftover, name
    cells = cell_texts(Document(str(out)))
    assert unicodedata.normalize("NFC", TRICKY) in cells
    assert "Nhiệm vụ quá hạn" in cells


def test_progress_report_body(workspace: Path, tmp_path: Path) -> None:
    out, context = render(workspace, "progress", tmp_path)
    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Chỉ đạo & <triển khai> kịp thời." in text  # the narrative, escaped and kept
    assert "Ưu điểm *một*." in text
    assert context["labels"]["to_fill"] in text  # a section not written yet says where to write it
    for number, label in (
        ("I", "section.direction"),
        ("II", "section.results"),
        ("III", "section.assessment"),
        ("IV", "section.difficulties"),
        ("V", "section.lessons"),
        ("VI", "section.next_steps"),
        ("VII", "section.proposals"),
    ):
        assert f"{number}. {context['labels'][label]}" in text
    for group in context["groups"]:
        assert f"{group['number']}. {group['title']}" in text
        assert group["summary"]["sentence"] in text
    assert "N1.2 Nhiệm vụ quá hạn (Sở B, 30/06/2024)." in text  # III: the overdue task
    # III c): the agencies that have not reported, with how many reports they owe and for which
    # tasks, as in the Markdown report (the Word report used to give the names alone)
    lines = text.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("c) " + context["labels"]["missing_owners"]))
    missing = context["missing_owners"]
    assert missing, "the fixture must have an agency that has not reported"
    expected = [f"- {o['name']} ({o['missing']}): {o['ids']}" + ("." if o is missing[-1] else ";") for o in missing]
    assert lines[heading + 1 : heading + 1 + len(missing)] == expected

    appendix = document.tables[-1]  # no task has an indicator: no indicators table after it
    # a row per task group, then its tasks, each with its id: the body's «N1.2» can be found
    assert len(appendix.rows) == 1 + len(context["groups"]) + len(context["rows"])
    assert [c.text for c in appendix.rows[0].cells][:4] == ["STT", "Mã", "Nội dung nhiệm vụ", "Cơ quan chủ trì"]
    header = appendix.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert appendix.rows[1].cells[0].text == "N1. " + context["groups"][0]["title"]
    tricky = next(row for row in appendix.rows[1:] if row.cells[2].text == unicodedata.normalize("NFC", TRICKY))
    assert tricky.cells[1].text == "N1.1"
    assert tricky.cells[7].text == "10/05/2024: " + TRICKY_NOTE + " (12/BC-SA)"  # the newline is a line break
    assert tricky.cells[4].text == "Sở B (*)"  # assumed support is marked
    grid = [int(c.get(qn("w:w"))) for c in appendix._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 8 and all(w > 0 for w in grid)
    assert appendix._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    first_row_widths = [
        None if tc.tcPr is None else int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in tricky._tr.tc_lst
    ]
    assert first_row_widths == grid


def test_assignment_groups_its_tasks(workspace: Path, tmp_path: Path) -> None:
    out, context = render(workspace, "assignment", tmp_path)
    table = Document(str(out)).tables[1]
    assert len(table.rows) == 1 + len(context["groups"]) + len(context["rows"])
    texts = [row.cells[0].text for row in table.rows]
    assert texts[1] == "Nhóm nhiệm vụ 1: Nhóm một"
    assert "Nhóm nhiệm vụ 2: Nhóm hai & <khác>" in texts
    assert [row.cells[1].text for row in table.rows if row.cells[0].text in ("1", "2", "3")] == [
        unicodedata.normalize("NFC", TRICKY),
        "Nhiệm vụ quá hạn",
        "Nhiệm vụ hai",
    ]
    assert context["labels"]["assumed"] in [p.text for p in Document(str(out)).paragraphs]


def test_owner_request_is_a_letter_about_the_owners_open_tasks(workspace: Path, tmp_path: Path) -> None:
    out, context = render(workspace, "owner-request", tmp_path)
    document = Document(str(out))
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert section.page_width < section.page_height  # a letter is portrait
    table = document.tables[1]
    # so-b: lead of N1.2 (overdue), N2.1 (completed on 01/11/2024, but open when 2024 began);
    # support of N1.1
    assert len(table.rows) == 1 + len(context["rows"]) == 1 + 3
    roles = {row.cells[1].text: row.cells[2].text for row in table.rows[1:]}
    assert roles["Nhiệm vụ quá hạn"] == "Chủ trì" and roles[unicodedata.normalize("NFC", TRICKY)] == "Phối hợp"
    body = [p.text for p in document.paragraphs]
    assert body.index("Kính gửi: Sở B.") < body.index(context["letter"]["request"])
    assert "Sở A đề nghị Sở B báo cáo kết quả thực hiện năm 2024" in context["letter"]["request"]
    # due 15 days after the letter's day (the day the figures are taken, 14/12/2024)
    assert "Đề nghị Sở B gửi báo cáo về Sở A trước ngày 29/12/2024 để tổng hợp, báo cáo UBND tỉnh./." in body


@pytest.mark.parametrize("kind", KINDS)
def test_page_numbers_from_page_two(workspace: Path, tmp_path: Path, kind: str) -> None:
    out, _ = render(workspace, kind, tmp_path)
    section = Document(str(out)).sections[0]
    assert section.different_first_page_header_footer
    assert re.search(r"<w:instrText[^>]*> ?PAGE ?</w:instrText>", section.header._element.xml)
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert all(p.text == "" for p in first.paragraphs) and "instrText" not in first._element.xml


def test_chart_is_an_inline_image_and_stable(workspace: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    context = context_for(workspace, "progress")
    png = chart_png(context["groups"], context["labels"]["chart_title"])
    assert png is not None and png.startswith(b"\x89PNG")
    assert chart_png(context["groups"], context["labels"]["chart_title"]) == png  # same figures, same bytes
    assert chart_png([], "x") is None
    out, _ = render(workspace, "progress", tmp_path, chart=png)
    parts = xml_parts(out)
    assert "<a:blip " in parts["word/document.xml"]
    with zipfile.ZipFile(out) as archive:
        assert any(name.startswith("word/media/") for name in archive.namelist())


def test_without_matplotlib_there_is_no_chart_and_no_error(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    context = context_for(workspace, "progress")
    assert chart_png(context["groups"], context["labels"]["chart_title"]) is None


def test_without_chart_no_image(workspace: Path, tmp_path: Path) -> None:
    out, _ = render(workspace, "progress", tmp_path, chart=None)
    assert "<a:blip " not in xml_parts(out)["word/document.xml"]


def test_a_template_error_names_the_file_and_line(tmp_path: Path) -> None:
    broken = Document()
    broken.add_paragraph("{{ doc.title }}")
    broken.add_paragraph("{% if doc.title %}no end")
    path = tmp_path / "broken.docx"
    broken.save(str(path))
    with pytest.raises(AseanctlError) as caught:
        render_docx(path, {"doc": {"title": "x"}}, tmp_path / "out.docx", None)
    assert caught.value.msg.key == "report.template_error"
    assert caught.value.msg.args["file"] == str(path)
    assert isinstance(caught.value.msg.args["line"], int)
    assert not (tmp_path / "out.docx").exists()

    unknown = Document()
    unknown.add_paragraph("{{ doc.title }}")
    unknown.add_paragraph("{{ doc.title | no_such_filter }}")
    unknown.save(str(path))
    with pytest.raises(AseanctlError) as caught:
        render_docx(path, {"doc": {"title": "x"}}, tmp_path / "out.docx", None)
    assert caught.value.msg.args["line"] == 2  # the second paragraph
    assert "no_such_filter" in caught.value.msg.args["detail"]


def test_a_file_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "not.docx"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(AseanctlError) as caught:
        render_docx(path, {}, tmp_path / "out.docx", None)
    assert caught.value.msg.key == "report.template_error"


# --- LibreOffice -------------------------------------------------------------------------------------


def test_libreoffice_opens_the_report(workspace: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    # soffice may be there with Calc alone (libreoffice-calc-nogui): Writer is its libsw library
    program = Path(os.path.realpath(soffice)).parent if soffice else None
    if soffice is None or program is None or not any(program.glob("libsw*.so")):
        pytest.skip(
            "LibreOffice (libreoffice-writer-nogui) is not installed: the PDF conversion is not checked; "
            "apt-get install libreoffice-writer-nogui fonts-liberation2 poppler-utils"
        )
    out, _ = render(workspace, "owner-request", tmp_path)
    profile = (tmp_path / f"lo-{uuid.uuid4().hex}").as_uri()
    done = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    pdf = tmp_path / "owner-request.pdf"
    assert pdf.is_file(), f"LibreOffice made no PDF: {done.stdout} {done.stderr}"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed: the PDF was made but its text is not checked")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    text = " ".join(unicodedata.normalize("NFC", text).split())
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Nhiệm vụ quá hạn" in text and "Nhiệm vụ hai" in text
    assert "Kính gửi: Sở B." in text and "V/v báo cáo kết quả thực hiện Kế hoạch số 1/KH-UBND năm 2024" in text
    assert "trước ngày 29/12/2024" in text and "- Như trên;" in text and "/BC" not in text
    leftover = text.replace("{{ x }}", "").replace("{% y %}", "")  # the tricky title's own braces
    assert "{{" not in leftover and "{%" not in leftover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


@pytest.mark.parametrize("kind", KINDS)
def test_the_fast_rendering_gives_docxtpls_own_document(workspace: Path, tmp_path: Path, kind: str) -> None:
    """render_docx skips docxtpl's whole-document passes where they change nothing and parses
    the body in place: the document is the one stock docxtpl makes, namespace for namespace
    (exclusive canonical XML drops declarations that merely repeat an ancestor's)."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage  # type: ignore[import-untyped]
    from lxml import etree  # type: ignore[import-untyped]

    png = chart_png(context_for(workspace, "progress")["groups"], "x") if kind == "progress" else None
    ours, context = render(workspace, kind, tmp_path, chart=png)
    stock = DocxTemplate(TEMPLATES / f"{kind}.docx")
    stock.render(
        {**context, "chart": InlineImage(stock, io.BytesIO(png), width=Mm(150)) if png else ""}, autoescape=True
    )
    stock.save(tmp_path / "stock.docx")

    def canonical(path: Path) -> bytes:
        with zipfile.ZipFile(path) as archive:
            root = etree.fromstring(archive.read("word/document.xml"))
        return etree.tostring(root, method="c14n", exclusive=True)

    assert canonical(ours) == canonical(tmp_path / "stock.docx")


def test_word_status_table_counts_every_status(make_workspace, tmp_path: Path) -> None:
    """Recurring, suspended and change-requested tasks are counted in the Word report's
    status table: each group's row and the total row add up to their task counts."""

    def update(task: str, date: str, status: str, by: str = "so-a") -> Update:
        update_id = f"2024{date[5:7]}{date[8:]}-{task.replace('.', '')}"
        return Update(update_id, task, date, by=by, author="Kiểm Thử", recorded=f"{date}T08:00:00Z", status=status)

    journal = (
        update("N1.1", "2024-05-10", "recurring"),
        update("N1.2", "2024-05-11", "suspended"),
        update("N2.1", "2024-05-12", "change_requested", by="so-b"),
    )
    root = make_workspace(dataclasses.replace(FIXTURE, journal=journal))
    out, context = render(root, "progress", tmp_path)
    document = Document(str(out))
    status = next(t for t in document.tables if t.rows[0].cells[-1].text.startswith("Tiến độ"))
    heading = [c.text for c in status.rows[0].cells]
    assert heading[2:8] == [
        "chưa triển khai",
        "đang triển khai",
        "đã hoàn thành",
        "thực hiện thường xuyên",
        "tạm dừng",
        "đề nghị điều chỉnh",
    ]
    rows = [[c.text for c in row.cells] for row in status.rows[1:]]
    assert len(rows) == len(context["groups"]) + 1
    for row in rows:
        assert int(row[1]) == sum(int(n) for n in row[2:8]), row
    assert rows[-1][:8] == ["Cộng", "3", "0", "0", "0", "1", "1", "1"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "3 nhiệm vụ (1 thực hiện thường xuyên, 1 tạm dừng, 1 đề nghị điều chỉnh)" in text


def test_word_chart_prints_the_figures_of_the_text() -> None:
    """7.5% is 7,5% in the Vietnamese text and on its bar (it was rounded to 8%), and groups
    whose titles begin alike keep labels that tell them apart."""
    from aseanctl.report.docx import chart_bars

    same_start = "Tham gia xây dựng, thực hiện, giám sát và đánh giá các chương trình, chính sách"
    groups = [
        {"number": 1, "title": same_start + " về lao động", "summary": {"progress": 7.5, "progress_text": "7,5"}},
        {"number": 2, "title": same_start + " về y tế", "summary": {"progress": 100.0, "progress_text": "100"}},
    ]
    labels, values, shown = chart_bars(groups)
    assert shown == ["100%", "7,5%"] and values == [100.0, 7.5]
    assert len(set(labels)) == 2
    assert [label.split(".")[0] for label in labels] == ["2", "1"]


def test_word_narrative_paragraphs_as_written(workspace: Path, tmp_path: Path) -> None:
    """Wrapped lines join into one justified paragraph (no line breaks stretched word by word),
    blank lines part paragraphs, ``- `` lines are paragraphs of their own."""
    context = context_for(workspace, "progress")
    from aseanctl.report.context import text_blocks

    context["narrative"]["direction"] = "Đã ban hành\nvăn bản.\n\nKết quả:\n- lớp một;\n- lớp hai."
    context["narrative_blocks"]["direction"] = text_blocks(context["narrative"]["direction"])
    out = tmp_path / "p.docx"
    render_docx(TEMPLATES / "progress.docx", context, out, None)
    texts = [p.text for p in Document(str(out)).paragraphs]
    start = texts.index("Đã ban hành văn bản.")
    assert texts[start : start + 4] == ["Đã ban hành văn bản.", "Kết quả:", "- lớp một;", "- lớp hai."]
    assert not any("\n" in t for t in texts[start : start + 4])


@pytest.mark.parametrize("kind", KINDS)
def test_a_draft_says_so_above_the_header(workspace: Path, tmp_path: Path, kind: str) -> None:
    context = context_for(workspace, kind, owner="so-b" if kind == "owner-request" else None)
    out = tmp_path / f"{kind}.docx"
    render_docx(TEMPLATES / f"{kind}.docx", context, out, None)
    assert "DỰ THẢO" not in "\n".join(p.text for p in Document(str(out)).paragraphs)
    context["draft"] = True
    render_docx(TEMPLATES / f"{kind}.docx", context, out, None)
    first = next(p for p in Document(str(out)).paragraphs if p.text.strip())
    assert first.text == "DỰ THẢO"


def test_word_indicators_table(workspace: Path, tmp_path: Path) -> None:
    context = context_for(workspace, "progress")
    context["indicators"] = [
        {
            "id": "x",
            "task": "N1.1",
            "name": "Số người",
            "unit": "người",
            "baseline": "100",
            "target": "2500",
            "reached": "2100,5",
        }
    ]
    out = tmp_path / "p.docx"
    render_docx(TEMPLATES / "progress.docx", context, out, None)
    last = Document(str(out)).tables[-1]
    assert [c.text for c in last.rows[0].cells] == [
        "Mã",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Giá trị cơ sở",
        "Mục tiêu",
        "Đạt được",
    ]
    assert [c.text for c in last.rows[1].cells] == ["N1.1", "Số người", "người", "100", "2500", "2100,5"]


_TEXTS = st.sampled_from(["a", "b c", "x\ny", "tab\there", "bell\aring", "page\fbreak", "&amp; ở", ""])


@st.composite
def _paragraph(draw: st.DrawFn) -> str:
    properties = draw(st.sampled_from(["", '<w:pPr><w:jc w:val="both"/></w:pPr>']))
    runs = draw(st.lists(st.tuples(st.sampled_from(["", "<w:rPr><w:b/></w:rPr>"]), _TEXTS), max_size=3))
    opening = draw(st.sampled_from(["<w:p>", '<w:p w:rsidR="00A1">']))
    body = "".join(f'<w:r>{rp}<w:t xml:space="preserve">{text}</w:t></w:r>' for rp, text in runs)
    return f"{opening}{properties}{body}</w:p>"


@settings(max_examples=300, deadline=None)
@given(
    paragraphs=st.lists(_paragraph(), max_size=6),
    wrapper=st.sampled_from(["{}", "<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>", "<w:sectPr/>{}"]),
    textbox=st.booleans(),
)
def test_line_breaks_are_converted_as_docxtpl_converts_them(paragraphs: list[str], wrapper: str, textbox: bool) -> None:
    """Tabs, line breaks, bells and form feeds in values become Word's own elements paragraph by
    paragraph, only where a text holds one: the result is docxtpl's own pass over the whole part."""
    from docxtpl import DocxTemplate

    from aseanctl.report.docx import _resolve_by_paragraph

    body = "".join(paragraphs)
    if textbox and paragraphs:  # a paragraph inside a text box inside a paragraph: docxtpl's own way
        outer = '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:i/></w:rPr>'
        body = f"{outer}<w:txbxContent>{body}</w:txbxContent></w:r></w:p>"
    xml = f"<w:body>{wrapper.format(body)}</w:body>"
    stock = DocxTemplate.resolve_listing

    assert _resolve_by_paragraph(xml, lambda part: str(stock(None, part))) == stock(None, xml)


_HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.skipif(not _HAS_MATPLOTLIB, reason="the chart needs matplotlib (the charts extra)")
@pytest.mark.parametrize("how", ["forked", "here", "child fails", "another size"])
def test_a_chart_drawn_beside_the_document_gives_the_same_document(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The Word report's chart is drawn in a process of its own while the document renders, in
    a blank image's place: the document is byte for byte the one rendered with the chart
    drawn first, whether the other process drew it, could not be started (not Linux), died,
    or drew a chart of another size than the place kept for it."""
    from aseanctl.report import docx

    context = context_for(workspace, "progress")
    png = chart_png(context["groups"], context["labels"]["chart_title"])
    assert png is not None
    render_docx(TEMPLATES / "progress.docx", context, tmp_path / "first.docx", png)
    if how == "here":
        monkeypatch.setattr(docx.sys, "platform", "win32")
    elif how == "child fails":
        monkeypatch.setattr(docx, "_draw_into", lambda connection, groups, title: os._exit(3))
    later = docx.chart_later(context["groups"], context["labels"]["chart_title"])
    assert later is not None
    assert (later._process is None) == (how == "here")
    if how == "another size":
        later.size = (later.size[0], later.size[1] + 7)
    render_docx(TEMPLATES / "progress.docx", context, tmp_path / "later.docx", later)
    assert _parts(tmp_path / "later.docx") == _parts(tmp_path / "first.docx")


@pytest.mark.skipif(not _HAS_MATPLOTLIB, reason="the chart needs matplotlib (the charts extra)")
@pytest.mark.parametrize("groups", range(1, 31))
def test_the_place_kept_for_the_chart_is_its_size(groups: int) -> None:
    """The blank image is exactly the chart's size in pixels and resolution, so the drawn chart
    takes its place without the document being rendered again."""
    from aseanctl.report.docx import blank_png, chart_pixels

    figures = [
        {"number": n, "title": f"Nhóm {n}", "summary": {"progress": 3.0 * n, "progress_text": f"{3 * n}"}}
        for n in range(1, groups + 1)
    ]
    drawn = chart_png(figures, "Tiến độ")
    assert drawn is not None
    blank = blank_png(*chart_pixels(groups))
    assert blank[16:24] == drawn[16:24]  # IHDR: width and height
    resolution = slice(blank.index(b"pHYs"), blank.index(b"pHYs") + 13)
    assert blank[resolution] == drawn[drawn.index(b"pHYs") : drawn.index(b"pHYs") + 13]


def test_no_chart_to_wait_for_without_groups_or_matplotlib(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aseanctl.report.docx import chart_later

    assert chart_later([], "x") is None
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert chart_later(context_for(workspace, "progress")["groups"], "x") is None


@pytest.mark.skipif(not _HAS_MATPLOTLIB, reason="the chart needs matplotlib (the charts extra)")
def test_dollar_signs_in_titles_are_text_not_formulas() -> None:
    """matplotlib reads a pair of "$" as a formula: a group titled "$\\frac{ x$" ended the Word
    report in an internal error, and "US$ 5 … US$ 3" would print as maths."""
    groups = [
        {"number": 1, "title": "Carry out $\\frac{ x$ activities", "summary": {"progress": 5.0, "progress_text": "5"}},
        {"number": 2, "title": "US$ 5 to US$ 3 per head", "summary": {"progress": 7.5, "progress_text": "7,5"}},
    ]
    png = chart_png(groups, "Tiến độ $x$")
    assert png is not None and png.startswith(b"\x89PNG")
