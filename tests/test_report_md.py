"""aseanctl report, Markdown: golden files, escaping, templates, and numbers recomputed
independently from the journal.

Golden files live in tests/golden/; after an intended change, regenerate them with
``ASEANCTL_UPDATE_GOLDEN=1 python -m pytest tests/test_report_md.py`` and review the diff.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from planbuilder import (
    Document,
    Objective,
    Owner,
    Plan,
    Reporting,
    Task,
    TaskFile,
    Update,
    Workspace,
    journal_text,
    tasks_yaml,
)
from typer.testing import CliRunner, Result

from aseanctl.cli import app
from aseanctl.i18n import Lang

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"

TRICKY = "Nhiệm vụ <b>đặc biệt</b> & khó | *in nghiêng* _gạch_ # không"

OWNERS = (
    Owner(
        "so-a",
        "Sở Ánh Sáng",
        name_en="Department of Light",
        active_until="2024-06-30",
        successor="so-b",
    ),
    Owner("so-b", "Sở Bình Minh", name_en="Department of Dawn", short="SBM"),
    Owner("so-c", "Sở Cầu Vồng"),
)

PLAN = Plan(
    title="Kế hoạch thử nghiệm",
    title_en="A test plan",
    document=Document(issuer="UBND tỉnh Thử"),
    reporting=Reporting(),
    objectives=(
        Objective("N1", "Nhóm một", title_en="Group one", ascc="A"),
        Objective("N2", "Nhóm hai", title_en="Group two", ascc="B"),
    ),
)

TASKS_1 = TaskFile(
    "N1",
    (
        Task(
            "N1.1",
            TRICKY,
            lead="so-a",
            support=("so-c",),
            recurring="yearly",
            assumptions=("Cơ quan phối hợp là giả định.",),
        ),
        Task("N1.2", "Lập báo cáo đánh giá", title_en="Write the assessment", lead="so-c", due="2024-06-30"),
    ),
)

TASKS_2 = TaskFile(
    "N2",
    (Task("N2.1", "Hỗ trợ người khuyết tật", lead="so-b", start="2022-01-01", due="2025-06-30"),),
)

SETTINGS = """\
parent_body: UBND TỈNH THỬ
place: Thử
signer:
  authority: KT. GIÁM ĐỐC
  title: PHÓ GIÁM ĐỐC
recipients:
  - UBND tỉnh (b/c)
  - "Lưu: VT"
letter_unit: VP
"""

NARRATIVE = """\
direction: |
  Đã ban hành văn bản hướng dẫn.

  Dòng thứ hai có ký tự * và | .
proposals: Đề nghị bổ sung kinh phí.
"""


AUTHOR = "A <a@example.org>"
JOURNAL = (
    Update(
        "u-1",
        "N1.1",
        "2024-03-01",
        by="so-a",
        author=AUTHOR,
        recorded="2024-03-02T08:00:00Z",
        status="in_progress",
        progress=30,
        note="Đã họp & thống nhất",
    ),
    Update("u-2", "N1.1", "2024-09-01", by="so-b", author=AUTHOR, recorded="2024-09-02T08:00:00Z", progress=60),
    Update(
        "u-3",
        "N1.1",
        "2024-09-01",
        by="so-b",
        author=AUTHOR,
        recorded="2024-09-03T08:00:00Z",
        progress=55,
        evidence="Báo cáo số 12/BC-SBM",
        corrects="u-2",
    ),
    Update("u-4", "N2.1", "2024-05-01", by="so-b", author=AUTHOR, recorded="2024-05-02T08:00:00Z", status="completed"),
)
JOURNAL_2024 = journal_text(JOURNAL)

REPO_PLAN = Workspace(
    owners=OWNERS,
    plan=PLAN,
    task_files=(TASKS_1, TASKS_2),
    journal=JOURNAL,
    extra={"p1/reports/settings.yaml": SETTINGS, "p1/reports/2024.yaml": NARRATIVE},
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A plan repository: plan/ with owners, one plan, a journal, report inputs."""
    REPO_PLAN.write(tmp_path / "plan")
    return tmp_path


def report(repo: Path, *args: str) -> str:
    result = runner.invoke(app, ["report", "--plan", str(repo / "plan"), "-o", "-", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ASEANCTL_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}: run with ASEANCTL_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_fixture_plan_is_valid(repo: Path) -> None:
    result = runner.invoke(app, ["validate", "--plan", str(repo / "plan"), "--format", "json"], catch_exceptions=False)
    assert json.loads(result.stdout)["errors"] == 0, result.stdout


@pytest.mark.parametrize(
    ("kind", "args"),
    [
        ("progress", ["--period", "2024", "--as-of", "2024-12-14"]),
        ("assignment", ["--as-of", "2024-12-14"]),
        ("owner-request", ["--owner", "so-c", "--period", "2025", "--as-of", "2025-01-10"]),
    ],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_golden(repo: Path, kind: str, args: list[str], lang: str) -> None:
    text = report(repo, "--kind", kind, "--lang", lang, *args)
    check_golden(f"{kind}-{lang}.md", text)
    assert text == report(repo, "--kind", kind, "--lang", lang, *args)  # byte-identical on a second run


def _tables(markdown: str) -> list[list[list[str]]]:
    """Every GFM table as rows of cell texts, parsed by markdown-it-py."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables: list[list[list[str]]] = []
    row: list[str] = []
    in_cell = False
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and tables and token.map is not None and row is not None:
            pass
        if token.type in ("th_open", "td_open"):
            row.append("")
            in_cell = True
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        elif token.type == "inline" and row and tables and in_cell:
            row[-1] = "".join(child.content for child in token.children or [] if child.type in ("text", "html_inline"))
        elif token.type == "tr_close":
            tables[-1].append(row)
    return tables


def test_tricky_title_stays_text_in_tables(repo: Path) -> None:
    text = report(repo, "--period", "2024", "--as-of", "2024-12-14")
    appendix = _tables(text)[-1]
    widths = {len(row) for row in appendix}
    assert widths == {8}, "a | in a title must not add a cell"
    titles = [row[2] for row in appendix[1:]]
    assert TRICKY in titles
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<b>đặc biệt</b>" not in html  # no HTML injected
    assert "<em>in nghiêng</em>" not in html and "<em>gạch</em>" not in html


def test_narrative_comes_from_the_plan_repository(repo: Path) -> None:
    text = report(repo, "--period", "2024", "--as-of", "2024-12-14")
    assert "Đã ban hành văn bản hướng dẫn." in text
    assert "Đề nghị bổ sung kinh phí." in text
    assert "plan/p1/reports/2024.yaml" in text or "reports/2024.yaml" in text  # the missing sections say where


def independent_counts(journal: str, as_of: str) -> dict[str, tuple[str, float]]:
    """Task -> (status, progress) recomputed from the raw journal lines, without aseanctl."""
    records = [json.loads(x) for x in journal.splitlines() if x.strip()]
    superseded = {r["corrects"] for r in records if "corrects" in r}
    state: dict[str, tuple[str, float]] = {}
    for r in sorted(
        (r for r in records if r["id"] not in superseded and r["date"] <= as_of),
        key=lambda r: (r["date"], r["recorded"], r["id"]),
    ):
        status, progress = state.get(r["task"], ("not_started", 0.0))
        status = r.get("status", status)
        if "progress" in r:
            progress = float(r["progress"])
        elif r.get("status") == "completed":
            progress = 100.0
        state[r["task"]] = (status, progress)
    return state


def test_every_number_is_the_journal_s(repo: Path) -> None:
    from aseanctl.loader import load_workspace
    from aseanctl.progress import parse_period
    from aseanctl.report.context import build_context

    ws = load_workspace(repo / "plan").workspace
    plan = ws.plans[0]
    import datetime as dt

    period = parse_period("2024", plan)
    assert period is not None
    context = build_context(ws, plan, kind="progress", period=period, as_of=dt.date(2024, 12, 14), lang="en")
    expected = independent_counts(JOURNAL_2024, "2024-12-14")
    all_tasks = ["N1.1", "N1.2", "N2.1"]
    states = {t: expected.get(t, ("not_started", 0.0)) for t in all_tasks}
    assert {r["id"]: (r["status"], r["progress"]) for r in context["rows"]} == {
        t: (s, round(p)) for t, (s, p) in states.items()
    }
    assert context["summary"]["tasks"] == 3
    assert context["summary"]["completed"] == sum(s == "completed" for s, _ in states.values())
    assert context["summary"]["progress"] == round(sum(p for _, p in states.values()) / 3, 1)
    overdue = [t for t in all_tasks if t == "N1.2"]  # due 2024-06-30, never completed
    assert [r["id"] for r in context["overdue"]] == overdue
    # and the status view says the same
    result = runner.invoke(
        app,
        ["status", "--plan", str(repo / "plan"), "--as-of", "2024-12-14", "--format", "json"],
        catch_exceptions=False,
    )
    if result.exit_code == 0 and result.stdout.strip().startswith("{"):
        view = {t["id"]: (t["status"], round(t["progress"])) for t in json.loads(result.stdout)["tasks"]}
        assert view == {r["id"]: (r["status"], r["progress"]) for r in context["rows"]}


def test_lead_hands_over_in_the_report(repo: Path) -> None:
    text = report(repo, "--kind", "assignment", "--as-of", "2024-12-14", "--lang", "en")
    assert "Department of Light" not in text.split("|---")[1]  # so-a ended 2024-06-30: so-b leads
    assert "Department of Dawn" in text


def test_repository_templates_override_by_name(repo: Path) -> None:
    (repo / "templates").mkdir()
    (repo / "templates" / "progress.md.j2").write_text(
        "Riêng: {{ plan.title }} {{ summary.tasks }}\n", encoding="utf-8"
    )
    assert report(repo, "--period", "2024", "--as-of", "2024-12-14") == "Riêng: Kế hoạch thử nghiệm 3\n"


def test_template_path_and_its_errors_name_file_and_line(repo: Path, tmp_path: Path) -> None:
    good = tmp_path / "mine.md.j2"
    good.write_text("{{ doc.title }}\n", encoding="utf-8")
    assert report(repo, "--template", str(good), "--period", "2024") == "BÁO CÁO\n"
    broken = tmp_path / "broken.md.j2"
    broken.write_text("dòng một\n{% for x in rows %}\n{{ x.id }\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["report", "--plan", str(repo / "plan"), "--template", str(broken), "-o", "-", "--lang", "en"],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    assert f"error in template {broken}:3" in result.output
    undefined = tmp_path / "undefined.md.j2"
    undefined.write_text("a\nb\n{{ no_such_thing.x }}\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["report", "--plan", str(repo / "plan"), "--template", str(undefined), "-o", "-", "--lang", "en"],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    assert f"{undefined}:3" in result.output


def test_default_output_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["report", "--period", "2024", "--as-of", "2024-12-14"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (repo / "reports" / "p1-progress-2024.md").read_text(encoding="utf-8").startswith("UBND TỈNH THỬ")


def test_a_failed_report_leaves_the_last_one_as_it_was(repo: Path, tmp_path: Path) -> None:
    """The report is written to a temporary file and renamed over the old one only once whole:
    a template that fails after 8,000 rows of output leaves the last good report, and no
    temporary file, behind.  A new report is readable by others, as any file the user writes."""
    import stat

    out = tmp_path / "reports" / "bao-cao.md"
    out.parent.mkdir()
    good = runner.invoke(
        app, ["report", "--plan", str(repo / "plan"), "--period", "2024", "-o", str(out)], catch_exceptions=False
    )
    assert good.exit_code == 0, good.output
    before = out.read_bytes()
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~_umask()
    failing = tmp_path / "failing.md.j2"
    failing.write_text(
        "{% for n in range(8000) %}{% for r in rows %}| {{ r.title | cell }} |\n{% endfor %}"
        "{% endfor %}\n{{ 1 // 0 }}\n",
        encoding="utf-8",
    )
    bad = runner.invoke(
        app,
        [
            "report",
            "--plan",
            str(repo / "plan"),
            "--period",
            "2024",
            "--template",
            str(failing),
            "-o",
            str(out),
            "--lang",
            "en",
        ],
        catch_exceptions=False,
    )
    assert bad.exit_code == 1 and f"{failing}:3" in bad.output
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["bao-cao.md"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize(
    "args",
    [
        ["--period", "2030"],
        ["--period", "năm nay"],
        ["--kind", "budget"],
        ["--kind", "owner-request", "-o", "-"],  # letters to every agency go into a folder
        ["--deadline", "2025-01-31"],  # a progress report has no deadline
        ["--kind", "owner-request", "--owner", "so-c", "--as-of", "2025-01-10", "--deadline", "2025-01-09"],
        ["--format", "docx", "-o", "-"],
        ["--owner", "so-khong-co"],
        ["--as-of", "31-12-2024"],  # dd/mm/yyyy is a day (the tool prints it); this is not
        ["--format", "pdf"],
        ["--template", "khong-co.md.j2"],
        ["--plan-id", "p9"],
    ],
)
def test_usage_errors_exit_2(repo: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["report", "--plan", str(repo / "plan"), *args], catch_exceptions=False)
    assert result.exit_code == 2, result.output


def test_broken_report_input_names_file_and_line(repo: Path) -> None:
    (repo / "plan/p1/reports/2024.yaml").write_text("direction: a\ndirection: b\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["report", "--plan", str(repo / "plan"), "--period", "2024", "-o", "-", "--lang", "en"],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    assert "reports/2024.yaml:2" in result.output


def test_shipped_plan_reports_render() -> None:
    plan = Path(__file__).resolve().parents[1] / "plan"
    for kind in ("progress", "assignment"):
        result = runner.invoke(
            app, ["report", "--plan", str(plan), "--kind", kind, "--period", "2024", "-o", "-"], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        assert "Kế hoạch số 702/KH-UBND" in result.stdout or kind == "assignment"
        # every task of the shipped plan recurs: no Gantt of identical 2021-2025 bars, but the
        # progress report charts who reported in each period
        assert ("```mermaid" in result.stdout) == (kind == "progress")
        assert "gantt" not in result.stdout


@pytest.mark.parametrize(
    "text",
    [
        "1. Mở đầu",
        "2) Hai",
        "27.5",
        "01/03/2024",
        "10.",
        "3.14 mét",
        "# tiêu đề",
        "- gạch",
        "+ cộng",
        "> trích",
        "*nghiêng* và _gạch_",
        "a | b",
        "<b>x</b>",
        "&amp;",
        "[liên kết](http://x)",
        "`mã`",
        "~~gạch~~",
        "\\",
    ],
)
def test_escaped_text_reads_as_itself(text: str) -> None:
    """What md_inline makes of a value is a paragraph showing exactly that value: no list,
    heading, quote, emphasis, link, code or HTML; and nothing is escaped that needs no escape."""
    import html as html_module

    from aseanctl.report.render import md_inline

    rendered = MarkdownIt("commonmark").enable("strikethrough").render(md_inline(text))
    assert rendered == f"<p>{html_module.escape(text, quote=False)}</p>\n"
    if text in ("27.5", "01/03/2024", "3.14 mét"):
        assert md_inline(text) == text


def test_a_template_may_print_markdown_as_written(repo: Path, tmp_path: Path) -> None:
    """Values are escaped, unless the template says otherwise with `| raw` or Jinja's own `| safe`."""
    mine = tmp_path / "mine.md.j2"
    mine.write_text('{{ "**a**" }} {{ "**b**" | raw }} {{ "**c**" | safe }}\n', encoding="utf-8")
    assert report(repo, "--template", str(mine), "--period", "2024") == "\\*\\*a\\*\\* **b** **c**\n"


# text made to hit every branch of the escaping: special characters, line starts that open a
# list or heading, digits (ASCII and others), every kind of line break, edge whitespace
_TRICKY = "ab ệĐ\\`*_[]<>|~&#>+-=.)019٣\t \u00a0\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def _reference_cell(text: str) -> str:
    """md_cell as first written (one line: escaped and stripped; several: joined with <br>)."""
    import re

    from aseanctl.report.render import _md_inline

    if not re.search(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]", text):
        return _md_inline(text.strip())
    return "<br>".join([_md_inline(line.strip()) for line in text.splitlines()] or [""])


@given(st.text(alphabet=_TRICKY, max_size=12) | st.text(max_size=40))
@settings(max_examples=600, deadline=None)
def test_the_quick_path_escapes_as_the_full_rules_do(text: str) -> None:
    """md_inline and md_cell skip the full escaping for text that passes a quick test, and
    remember their results: neither may ever change what the full rules give."""
    from aseanctl.report.render import Escaped, _md_inline, md_cell, md_inline

    for _ in range(2):  # the first call computes, the second comes from the memo
        assert md_inline(text) == _md_inline(text)
        cell = md_cell(text)
        assert cell == _reference_cell(text)
        assert type(cell) is Escaped


def test_a_row_reads_as_a_mapping_too(repo: Path, tmp_path: Path) -> None:
    """Rows are NamedTuples for speed; templates (and scripts) may still read ``r["title"]``."""
    mine = tmp_path / "rows.md.j2"
    mine.write_text(
        '{% for r in rows %}{{ r.id }}={{ r["id"] }} {{ r["status_label"] }}\n{% endfor %}'
        '{{ rows[0]["no_such_field"] is undefined }}\n',
        encoding="utf-8",
    )
    text = report(repo, "--template", str(mine), "--period", "2024", "--as-of", "2024-12-14")
    lines = text.splitlines()
    assert lines[0].startswith("N1.1=N1.1 ") and lines[-1] == "True"


def test_where_a_report_cannot_go_is_said_plainly(repo: Path, tmp_path: Path) -> None:
    """A folder, a read-only report and a place that cannot be written each give a one-line
    message and leave every file as it was; a symlink's target is replaced, the link kept."""
    base = ["report", "--plan", str(repo / "plan"), "--period", "2024", "--lang", "en"]
    folder = runner.invoke(app, [*base, "-o", str(tmp_path)], catch_exceptions=False)
    assert folder.exit_code == 2 and f"'{tmp_path}' is a folder" in folder.output
    assert "p1-progress-2024-en.md" in folder.output  # the example names the file it would write (English: -en)
    signed = tmp_path / "signed.md"
    signed.write_text("đã ký\n", encoding="utf-8")
    signed.chmod(0o444)
    for fmt in ("md", "docx"):
        kept = runner.invoke(app, [*base, "--format", fmt, "-o", str(signed)], catch_exceptions=False)
        assert kept.exit_code == 1 and "is read-only" in kept.output
    assert signed.read_text(encoding="utf-8") == "đã ký\n"
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be", encoding="utf-8")
    failed = runner.invoke(app, [*base, "-o", str(blocked / "report.md")], catch_exceptions=False)
    assert failed.exit_code == 1 and "could not write the report" in failed.output
    assert "Traceback" not in failed.output and blocked.read_text(encoding="utf-8").startswith("a file")
    target = tmp_path / "target.md"
    link = tmp_path / "latest.md"
    link.symlink_to(target)
    linked = runner.invoke(app, [*base, "-o", str(link)], catch_exceptions=False)
    assert linked.exit_code == 0 and link.is_symlink() and target.read_text(encoding="utf-8").startswith("UBND")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


# --- figures that add up ---------------------------------------------------------------------

_STATUS_OR_NONE = st.sampled_from(
    [None, "not_started", "in_progress", "completed", "recurring", "suspended", "change_requested"]
)


@st.composite
def journals(draw: st.DrawFn) -> list[dict[str, object]]:
    """Random journals over the fixture's three tasks: any status (recurring, suspended and
    change requested too), progress-only lines, corrections of earlier lines."""
    records: list[dict[str, object]] = []
    for number in range(draw(st.integers(0, 12))):
        status = draw(_STATUS_OR_NONE)
        progress = draw(st.none() | st.integers(0, 100))
        if status is None and progress is None:
            progress = 10
        record: dict[str, object] = {
            "id": f"u-{number}",
            "task": draw(st.sampled_from(["N1.1", "N1.2", "N2.1"])),
            "date": f"2024-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}",
            "by": "so-b",
            "author": "A <a@example.org>",
            "recorded": f"2024-12-20T08:{number:02d}:00Z",
        }
        if status is not None:
            record["status"] = status
        if progress is not None:
            record["progress"] = progress
        corrects: bool = draw(st.booleans()) and draw(st.booleans())
        if records and corrects:
            record["corrects"] = draw(st.sampled_from([str(r["id"]) for r in records]))
        records.append(record)
    return records


def _sentence_counts(sentence: str) -> tuple[int, int]:
    """(tasks, sum of the per-status counts) read back from a summary sentence."""
    head, _, rest = sentence.partition("(")
    inside = rest.partition(")")[0]
    return int(head.split()[0]), sum(int(part.split()[0]) for part in inside.split(", ") if part)


@settings(max_examples=40, deadline=None)
@given(records=journals(), lang=st.sampled_from(["vi", "en"]))
def test_status_counts_add_up_over_random_journals(records: list[dict[str, object]], lang: Lang) -> None:
    """Whatever the journal says, every status is counted: the counts of each group, of the
    whole, of the sentence and of the Markdown status table sum to the tasks shown."""
    import datetime as dt
    import tempfile

    from aseanctl.loader import load_workspace
    from aseanctl.model import Update
    from aseanctl.progress import parse_period
    from aseanctl.report.context import build_context
    from aseanctl.report.render import mermaid_sources, render_markdown, shipped_templates

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        Workspace(owners=OWNERS, plan=PLAN, task_files=(TASKS_1, TASKS_2)).write(root / "plan")
        ws = load_workspace(root / "plan").workspace
    updates = tuple(Update.from_record(Path("j.jsonl"), n, **r) for n, r in enumerate(records, 1))  # type: ignore[arg-type]
    plan = ws.plans[0]._replace(updates=updates)
    ws = ws._replace(plans=(plan,))
    period = parse_period("2024", plan)
    assert period is not None
    context = build_context(ws, plan, kind="progress", period=period, as_of=dt.date(2024, 12, 14), lang=lang)
    summary = context["summary"]
    assert summary["tasks"] == len(context["rows"]) == 3
    assert sum(s["count"] for s in summary["by_status"]) == summary["tasks"]
    assert sum(g["summary"]["tasks"] for g in context["groups"]) == summary["tasks"]
    for scope in [summary, *(g["summary"] for g in context["groups"])]:
        assert sum(s["count"] for s in scope["by_status"]) == scope["tasks"]
        tasks, counted = _sentence_counts(scope["sentence"])
        assert tasks == counted == scope["tasks"], scope["sentence"]
    context["mermaid"] = mermaid_sources(context)
    text = render_markdown(shipped_templates() / "progress.md.j2", [shipped_templates()], context)
    status_table = next(t for t in _tables(text) if len(t[0]) == 9)
    for row in status_table[1:]:
        numbers = [int(cell.strip("*")) for cell in row[1:-1]]
        assert numbers[0] == sum(numbers[1:]), row
    assert int(status_table[-1][1].strip("*")) == 3


def test_narrative_paragraphs_as_written(repo: Path) -> None:
    """A YAML ``|`` block: wrapped lines join, blank lines part paragraphs, ``- `` lines are a list."""
    (repo / "plan/p1/reports/2024.yaml").write_text(
        "direction: |\n"
        "  Đã ban hành văn bản\n"
        "  hướng dẫn số 12.\n"
        "\n"
        "  Kết quả:\n"
        "  - tổ chức 3 lớp\n"
        "    tập huấn;\n"
        "  - in 500 tờ rơi.\n",
        encoding="utf-8",
    )
    text = report(repo, "--period", "2024", "--as-of", "2024-12-14")
    html = MarkdownIt("commonmark").render(text)
    assert "<p>Đã ban hành văn bản hướng dẫn số 12.</p>" in html
    assert "<p>Kết quả:</p>\n<ul>\n<li>tổ chức 3 lớp tập huấn;</li>\n<li>in 500 tờ rơi.</li>\n</ul>" in html
    assert "<br>" not in text.split("## II.")[0].split("## I.")[1]


def test_text_blocks() -> None:
    from aseanctl.report.context import text_blocks

    assert text_blocks("a\nb\n\n- c\nd\n- e\n\nf") == [
        {"text": "a b", "item": False},
        {"text": "c d", "item": True},
        {"text": "e", "item": True},
        {"text": "f", "item": False},
    ]
    assert text_blocks("") == [] and text_blocks(None) == []
    assert text_blocks("-5 độ\n- x") == [{"text": "-5 độ", "item": False}, {"text": "x", "item": True}]


# --- draft and final -------------------------------------------------------------------------


def test_a_plan_with_errors_gives_a_draft_said_on_stderr(repo: Path) -> None:
    tasks = repo / "plan/p1/tasks/nhom-2.yaml"
    tasks.write_text(tasks_yaml(TASKS_2).replace("lead: so-b", "lead: so-bb"), encoding="utf-8")  # a misspelt owner
    result = runner.invoke(
        app, ["report", "--plan", str(repo / "plan"), "-o", "-", "--period", "2024", "--as-of", "2024-12-14"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("**DỰ THẢO**\n")
    assert "1 lỗi" in result.stderr and "DỰ THẢO" in result.stderr
    assert "mục chưa viết" in result.stderr and "strengths" in result.stderr  # placeholders are named


def test_a_clean_plan_is_no_draft(repo: Path) -> None:
    result = runner.invoke(
        app, ["report", "--plan", str(repo / "plan"), "-o", "-", "--period", "2024", "--as-of", "2024-12-14"]
    )
    assert "DỰ THẢO" not in result.stdout and "lỗi" not in result.stderr


def test_final_refuses_what_cannot_be_signed(repo: Path) -> None:
    args = ["report", "--plan", str(repo / "plan"), "-o", "-", "--period", "2024", "--as-of", "2024-12-14"]
    result = runner.invoke(app, [*args, "--final", "--lang", "en"])
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "--final" in message
    assert "strengths" in message and "no signer's name" in message and "no document number" in message
    assert result.stdout == ""
    # everything written, signed and numbered: the final report is written
    sections = ["direction", "strengths", "limitations", "causes", "difficulties", "lessons", "next_steps"]
    (repo / "plan/p1/reports/2024.yaml").write_text(
        "".join(f"{name}: Nội dung {name}.\n" for name in [*sections, "proposals"])
        + 'number: "05"\ndate: 2024-12-20\n',
        encoding="utf-8",
    )
    (repo / "plan/p1/reports/settings.yaml").write_text(
        SETTINGS.replace("  title: PHÓ GIÁM ĐỐC\n", "  title: PHÓ GIÁM ĐỐC\n  name: Nguyễn Văn A\n"), encoding="utf-8"
    )
    result = runner.invoke(app, [*args, "--final"])
    assert result.exit_code == 0, result.output
    assert "Số: 05/" in result.stdout and "DỰ THẢO" not in result.stdout


def test_appendix_keeps_every_note_of_the_period_and_shows_indicators(repo: Path) -> None:
    """A task completed with a note and evidence, then given a progress-only update: the
    appendix still shows the note and the evidence (it showed just a date); indicators list
    unit, baseline, target and the value reached."""
    (repo / "plan/p1/tasks/nhom-2.yaml").write_text(
        tasks_yaml(TASKS_2)
        + "    indicators:\n"
        + "      - id: so-nguoi\n        name: Số người được hỗ trợ\n        unit: người\n"
        + "        baseline: 100\n        target: 2500\n",
        encoding="utf-8",
    )
    journal = repo / "plan/p1/journal/2024.jsonl"
    journal.write_text(
        JOURNAL_2024
        + journal_text(
            [
                Update(
                    "u-5",
                    "N2.1",
                    "2024-06-01",
                    by="so-b",
                    author=AUTHOR,
                    recorded="2024-06-02T08:00:00Z",
                    status="completed",
                    actual={"so-nguoi": 2100.5},
                    note="Đã hỗ trợ",
                    evidence="QĐ 9",
                ),
                Update(
                    "u-6", "N2.1", "2024-10-01", by="so-b", author=AUTHOR, recorded="2024-10-02T08:00:00Z", progress=100
                ),
            ]
        ),
        encoding="utf-8",
    )
    text = report(repo, "--period", "2024", "--as-of", "2024-12-14")
    tables = _tables(text)
    appendix = next(t for t in tables if t[0][1] == "Mã")
    row = next(r for r in appendix if r[1] == "N2.1")
    assert row[7] == "01/06/2024: Đã hỗ trợ (QĐ 9)"
    assert [r[2] for r in appendix[1:] if r[0] == ""] == ["Nhóm một", "Nhóm hai"]  # group rows
    indicators = tables[-1]
    assert indicators[1] == ["N2.1", "Số người được hỗ trợ", "người", "100", "2500", "2100,5"]


def test_small_things_a_reader_notices(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--lang en writes a file of its own; no '****' where the signer has no name yet."""
    monkeypatch.chdir(repo)
    for lang in ("vi", "en"):
        result = runner.invoke(
            app, ["report", "--period", "2024", "--as-of", "2024-12-14", "--lang", lang], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
    assert (repo / "reports" / "p1-progress-2024.md").read_text(encoding="utf-8").count("KẾT QUẢ ĐẠT ĐƯỢC") == 1
    assert "RESULTS" in (repo / "reports" / "p1-progress-2024-en.md").read_text(encoding="utf-8")
    assert "****" not in report(repo, "--period", "2024", "--as-of", "2024-12-14")


def test_the_document_date_decides_the_issuer(repo: Path) -> None:
    """so-a hands over to so-b on 30/06/2024: a 2023 report signed on 10/12/2023 is so-a's,
    however late its figures are computed; without a date, the period's end decides."""
    (repo / "plan/p1/reports/2023.yaml").write_text('number: "07"\ndate: 2023-12-10\n', encoding="utf-8")
    text = report(repo, "--period", "2023", "--as-of", "2024-12-14")
    assert "**SỞ ÁNH SÁNG**" in text and "SỞ BÌNH MINH" not in text.split("# BÁO CÁO")[0]
    text = report(repo, "--period", "2024", "--as-of", "2025-03-05")
    assert "**SỞ BÌNH MINH**" in text


def test_a_half_year_report_asks_about_its_own_half(repo: Path) -> None:
    """A quarter's report lists as without report the tasks with no update in that quarter,
    not in the reporting year holding its day (N1.1 last reported on 01/09/2024)."""
    from aseanctl.loader import load_workspace
    from aseanctl.progress import parse_period
    from aseanctl.report.context import build_context

    ws = load_workspace(repo / "plan").workspace
    plan = ws.plans[0]
    import datetime as dt

    def stale(label: str, day: dt.date) -> list[str]:
        period = parse_period(label, plan)
        assert period is not None
        context = build_context(ws, plan, kind="progress", period=period, as_of=day, lang="vi")
        return [r.id for r in context["stale"]]

    # 2024-Q3 (15/06-14/09/2024): N1.1 reported on 01/09: not stale; N1.2 never reported
    assert stale("2024-Q3", dt.date(2024, 9, 14)) == ["N1.2"]
    # 2024-Q4 (15/09-14/12/2024): N1.1's last report is 01/09, in the year but not in the quarter
    assert stale("2024-Q4", dt.date(2024, 12, 14)) == ["N1.1", "N1.2"]


# --- owner-request: the letter ----------------------------------------------------------------


def _letter_cli(repo: Path, *args: str) -> Result:
    return runner.invoke(
        app, ["report", "--plan", str(repo / "plan"), "--kind", "owner-request", *args], catch_exceptions=False
    )


def test_letters_to_every_agency_that_owes_a_report_go_into_a_folder(repo: Path, tmp_path: Path) -> None:
    result = _letter_cli(repo, "--period", "2025", "--as-of", "2025-01-10")
    assert result.exit_code == 0, result.output
    folder = repo / "reports" / "p1-owner-request-2025"
    # N1.1 is so-a's, held by so-b since 01/07/2024, and so-b, the plan's lead, sends the letters:
    # none to itself; N1.2 is so-c's; N2.1 was completed in 2024
    names = ["p1-owner-request-2025-so-c.md"]
    assert sorted(p.name for p in folder.iterdir()) == names
    assert result.stdout.split() == [str(folder / name) for name in names]
    assert "1 thư" in result.stderr and "không viết thư cho so-b: đó là cơ quan gửi thư" in result.stderr
    # each letter is the one --owner writes
    alone = report(repo, "--kind", "owner-request", "--owner", "so-c", "--period", "2025", "--as-of", "2025-01-10")
    assert (folder / names[0]).read_text(encoding="utf-8") == alone
    assert "Kính gửi:** Sở Cầu Vồng." in alone

    english = _letter_cli(repo, "--period", "2025", "--as-of", "2025-01-10", "--lang", "en", "-o", str(tmp_path / "x"))
    assert english.exit_code == 0, english.output
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == [n.replace(".md", "-en.md") for n in names]
    assert "Wrote 1 request letter into" in english.stderr

    word = _letter_cli(repo, "--period", "2025", "--as-of", "2025-01-10", "-f", "docx", "-o", str(tmp_path / "w"))
    assert word.exit_code == 0, word.output
    assert sorted(p.name for p in (tmp_path / "w").iterdir()) == [n.replace(".md", ".docx") for n in names]


def test_letters_go_to_the_holder_on_the_letters_day_and_never_to_the_sender(shipped_copy: Path) -> None:
    """The shipped plan's 2024 tasks were Sở LĐ-TB&XH's; a letter written today goes to whoever
    holds them now, Sở Nội vụ, which is the sender: no letter to itself, and no refusal of a
    department that no longer exists."""
    result = runner.invoke(
        app, ["report", "--plan", str(shipped_copy), "--kind", "owner-request", "--period", "2024", "--lang", "en"]
    )
    assert result.exit_code == 1
    assert "no letter for so-noi-vu: it is the sender" in result.stderr
    assert "so-ldtbxh" not in result.stderr
    assert not (shipped_copy.parent / "reports").exists()


def test_a_letter_lists_the_tasks_its_addressee_holds_on_the_letters_day(shipped_copy: Path) -> None:
    """A 2024 task led by Sở KH&ĐT, merged into Sở Tài chính on 01/03/2025: a letter written
    after the merger asks Sở Tài chính about it, as its lead (it listed only the tasks Sở Tài
    chính supported)."""
    tasks = shipped_copy / "kh-702-2021" / "tasks" / "nhom-2.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(text.replace("lead: so-ldtbxh", "lead: so-khdt", 2), encoding="utf-8")
    args = ["--kind", "owner-request", "--owner", "so-tai-chinh", "--period", "2024"]  # written today
    letter = report(shipped_copy.parent, *args, "--lang", "en")
    rows = [line for line in letter.splitlines() if line.startswith("| ") and "N2." in line]
    assert any("N2.1" in row and "| Lead |" in row for row in rows), rows


def test_a_letter_to_an_agency_that_no_longer_exists_is_refused(repo: Path) -> None:
    result = _letter_cli(repo, "--owner", "so-a", "--period", "2025", "--as-of", "2025-01-10", "--lang", "en")
    assert result.exit_code == 1
    assert "'so-a' no longer exists on 2025-01-10 (it ended on 2024-06-30); its work went to 'so-b'" in result.stderr
    assert not (repo / "reports").exists()


def test_a_letter_to_an_agency_with_nothing_open_is_refused(tmp_path: Path) -> None:
    workspace = dataclasses.replace(REPO_PLAN, owners=(*OWNERS, Owner("so-d", "Sở Đông")))
    workspace.write(tmp_path / "plan")
    result = _letter_cli(tmp_path, "--owner", "so-d", "--period", "2025", "--as-of", "2025-01-10")
    assert result.exit_code == 1
    assert "'so-d' không chủ trì hay phối hợp nhiệm vụ nào đang thực hiện trong kỳ 2025" in result.stderr
    assert not (tmp_path / "reports").exists()
    # the folder mode writes no letter to it either
    folder = _letter_cli(tmp_path, "--period", "2025", "--as-of", "2025-01-10")
    assert folder.exit_code == 0 and "so-d" not in folder.stdout


def test_the_answer_is_due_by_the_deadline_or_after_request_days(repo: Path) -> None:
    args = ("--kind", "owner-request", "--owner", "so-c", "--period", "2025", "--as-of", "2025-01-10")
    assert "trước ngày 25/01/2025" in report(repo, *args)  # 15 days by default
    assert "trước ngày 28/02/2025" in report(repo, *args, "--deadline", "2025-02-28")
    settings = repo / "plan/p1/reports/settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "request_days: 30\n", encoding="utf-8")
    assert "trước ngày 09/02/2025" in report(repo, *args)
    # the letter's own day decides its issuer: so-a until 30/06/2024, then so-b
    assert "Sở Ánh Sáng đề nghị Sở Cầu Vồng" in report(
        repo, "--kind", "owner-request", "--owner", "so-c", "--period", "2024", "--as-of", "2024-03-01"
    )


@pytest.mark.parametrize("days", ["1.5", "15.0", "true"])
def test_request_days_is_a_whole_number(repo: Path, days: str) -> None:
    # 1.5 used to give a day's deadline without a word: a count of days is refused unless whole
    settings = repo / "plan/p1/reports/settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"request_days: {days}\n", encoding="utf-8")
    line = settings.read_text(encoding="utf-8").count("\n")
    checked = runner.invoke(app, ["validate", "--plan", str(repo / "plan")], catch_exceptions=False)
    assert checked.exit_code == 1
    assert f"settings.yaml:{line}:15: lỗi [schema]" in checked.stdout
    args = ["--kind", "owner-request", "--owner", "so-c", "--period", "2025", "--as-of", "2025-01-10"]
    letter = runner.invoke(app, ["report", "--plan", str(repo / "plan"), "-o", "-", *args], catch_exceptions=False)
    assert letter.exit_code == 1 and f"settings.yaml:{line}" in letter.stderr and not letter.stdout
