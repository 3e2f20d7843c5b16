"""The views (status, show, log, owners) through the command line: exact JSON on a known
journal, CSV, filters, both languages, 80 columns, exit codes."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import SMALL, WriteWorkspace
from planbuilder import Objective, Owner, Plan, Task, TaskFile, Update, Workspace
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from aseanctl import console, fmt, layout, views
from aseanctl.cli import app
from aseanctl.loader import load_workspace
from aseanctl.progress import task_states

runner = CliRunner()

OWNERS = (
    Owner("so-a", "Sở A", short="SA", active_until="2024-06-30", successor="so-c"),
    Owner("so-b", "Sở B", name_en="Department B"),
    Owner("so-c", "Sở C", active_from="2024-07-01"),
)

PLAN = Plan(
    lead="so-b",
    objectives=(
        Objective(
            "N1",
            "Triển khai các hoạt động xây dựng cộng đồng gắn kết và mang lại lợi ích cho người dân",
            title_en="Build a caring community",
            ascc="A",
        ),
        Objective("N2", "Nhóm hai", ascc="B"),
    ),
)

LONG_TITLE = (
    "Tham gia xây dựng, thực hiện, giám sát và đánh giá các chương trình, chính sách, pháp luật "
    "hoạt động liên quan đến các lĩnh vực chăm sóc sức khỏe, giáo dục, khoa học công nghệ, văn hóa, "
    "môi trường, biến đổi khí hậu, an sinh xã hội"
)

TASKS_1 = TaskFile(
    "N1",
    (
        Task(
            "N1.1",
            LONG_TITLE,
            title_en="Take part in programmes and policies",
            lead="so-a",
            support=("so-b",),
            recurring="yearly",
        ),
        Task("N1.2", "Nhiệm vụ hai", lead="so-b", due="2024-03-31"),
    ),
)

TASKS_2 = TaskFile(
    "N2",
    (
        Task("N2.1", "Nhiệm vụ ba", lead="so-b", support=("so-a",), due="2024-10-31"),
        Task("N2.2", "Nhiệm vụ bốn", lead="so-c", start="2024-07-01", due="2025-06-30"),
    ),
)

AUTHOR = "Chuyên viên <cv@example.vn>"

U1 = Update(
    "20240311-0000a001",
    "N1.1",
    "2024-03-10",
    by="so-a",
    author=AUTHOR,
    recorded="2024-03-11T01:00:00Z",
    status="in_progress",
    progress=40,
    note="Đã tổ chức 3 lớp tập huấn",
)
U2 = Update(
    "20240302-0000a002",
    "N1.2",
    "2024-03-01",
    by="so-b",
    author=AUTHOR,
    recorded="2024-03-02T01:00:00Z",
    status="completed",
    evidence="Báo cáo 12/BC-SB",
)
U3 = Update(
    "20240911-0000a003",
    "N1.1",
    "2024-09-10",
    by="so-c",
    author=AUTHOR,
    recorded="2024-09-11T01:00:00Z",
    progress=60,
    health="amber",
)
U4 = Update(
    "20240912-0000a004",
    "N1.1",
    "2024-09-10",
    by="so-c",
    author=AUTHOR,
    recorded="2024-09-12T01:00:00Z",
    progress=55,
    note="Sửa số liệu",
    corrects="20240911-0000a003",
)
U5 = Update(
    "20240602-0000a005",
    "N2.1",
    "2024-06-01",
    by="so-b",
    author=AUTHOR,
    recorded="2024-06-02T01:00:00Z",
    status="in_progress",
    progress=20,
)
U6 = Update(
    "20250202-0000a006",
    "N2.2",
    "2025-02-01",
    by="so-c",
    author=AUTHOR,
    recorded="2025-02-02T01:00:00Z",
    status="in_progress",
    progress=10,
)

# Four tasks in two groups; so-a hands over to so-c on 2024-07-01; U4 corrects U3.
VIEWS_PLAN = Workspace(owners=OWNERS, plan=PLAN, task_files=(TASKS_1, TASKS_2), journal=(U1, U2, U3, U4, U5, U6))


@pytest.fixture
def plan_root(make_workspace: WriteWorkspace) -> Path:
    """Four tasks in two groups; so-a hands over to so-c on 2024-07-01; U4 corrects U3."""
    return make_workspace(VIEWS_PLAN)


@pytest.fixture(autouse=True)
def terminal_80(monkeypatch):
    """An 80-column, colourless stdout console, and no language from the environment."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("ASEANCTL_LANG", raising=False)
    monkeypatch.delenv("ASEANCTL_PLAN", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    console.stdout.cache_clear()
    yield
    console.stdout.cache_clear()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def run_json(*args: str) -> dict:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return json.loads(result.stdout)


def task_ids(document: dict) -> list[str]:
    return [task["id"] for task in document["tasks"]]


def update_ids(document: dict) -> list[str]:
    return [update["id"][-4:] for update in document["updates"]]


def assert_fits_80(text: str) -> None:
    too_wide = [line for line in text.splitlines() if cell_len(line) > 80]
    assert too_wide == []


GOLDEN = Path(__file__).parent / "golden" / "views"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/views/NAME; after an intended change, regenerate with
    ``ASEANCTL_UPDATE_GOLDEN=1 python -m pytest tests/test_views.py`` and review the diff."""
    path = GOLDEN / name
    if os.environ.get("ASEANCTL_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}: run with ASEANCTL_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def at_width(monkeypatch, width: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    console.stdout.cache_clear()
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


# --- status ----------------------------------------------------------------------------------

BY_STATUS_ZERO = {
    "not_started": 0,
    "in_progress": 0,
    "completed": 0,
    "recurring": 0,
    "suspended": 0,
    "change_requested": 0,
}


def by_status(**counts: int) -> dict[str, int]:
    return {**BY_STATUS_ZERO, **counts}


def test_status_json_is_exact(plan_root):
    document = run_json("status", "--plan", str(plan_root), "--as-of", "2024-12-01")
    assert document == {
        "as_of": "2024-12-01",
        "weighting": "unweighted",
        "stale_days": None,
        "total": {
            "tasks": 4,
            "by_status": by_status(not_started=1, in_progress=2, completed=1),
            "completed": 1,
            "overdue": 1,
            "stale": 1,
            "progress": 43.8,
        },
        "groups": [
            {
                "id": "N1",
                "plan": "p1",
                "title": "Triển khai các hoạt động xây dựng cộng đồng gắn kết và mang lại lợi ích cho người dân",
                "title_en": "Build a caring community",
                "tasks": 2,
                "by_status": by_status(in_progress=1, completed=1),
                "completed": 1,
                "overdue": 0,
                "stale": 0,
                "progress": 77.5,
            },
            {
                "id": "N2",
                "plan": "p1",
                "title": "Nhóm hai",
                "title_en": None,
                "tasks": 2,
                "by_status": by_status(not_started=1, in_progress=1),
                "completed": 0,
                "overdue": 1,
                "stale": 1,
                "progress": 10,
            },
        ],
        "tasks": [
            # so-a handed N1.1 over to so-c; U4 amends U3's progress and keeps its amber health
            {
                "id": "N1.1",
                "plan": "p1",
                "objective": "N1",
                "title": LONG_TITLE,
                "title_en": "Take part in programmes and policies",
                "lead": "so-c",
                "support": ["so-b"],
                "status": "in_progress",
                "progress": 55,
                "health": "amber",
                "start": "2021-01-01",
                "due": None,
                "recurring": "yearly",
                "due_soon": False,
                "overdue": False,
                "stale": False,
                "last_update": "2024-09-10",
            },
            {
                "id": "N1.2",
                "plan": "p1",
                "objective": "N1",
                "title": "Nhiệm vụ hai",
                "title_en": None,
                "lead": "so-b",
                "support": [],
                "status": "completed",
                "progress": 100,
                "health": None,
                "start": "2021-01-01",
                "due": "2024-03-31",
                "recurring": None,
                "due_soon": False,
                "overdue": False,
                "stale": False,
                "last_update": "2024-03-01",
            },
            {
                "id": "N2.1",
                "plan": "p1",
                "objective": "N2",
                "title": "Nhiệm vụ ba",
                "title_en": None,
                "lead": "so-b",
                "support": ["so-c"],
                "status": "in_progress",
                "progress": 20,
                "health": None,
                "start": "2021-01-01",
                "due": "2024-10-31",
                "recurring": None,
                "due_soon": False,
                "overdue": True,
                "stale": False,
                "last_update": "2024-06-01",
            },
            {
                "id": "N2.2",
                "plan": "p1",
                "objective": "N2",
                "title": "Nhiệm vụ bốn",
                "title_en": None,
                "lead": "so-c",
                "support": [],
                "status": "not_started",
                "progress": 0,
                "health": None,
                "start": "2024-07-01",
                "due": "2025-06-30",
                "recurring": None,
                "due_soon": False,
                "overdue": False,
                "stale": True,
                "last_update": None,
            },
        ],
    }


def test_status_before_the_correction_day_and_before_the_hand_over(plan_root):
    document = run_json("status", "--plan", str(plan_root), "--as-of", "2024-05-01")
    first = document["tasks"][0]
    assert (first["lead"], first["progress"], first["last_update"]) == ("so-a", 40, "2024-03-10")
    assert document["tasks"][2]["support"] == ["so-a"]


def test_status_items_carry_the_csv_columns(plan_root):
    document = run_json("status", "--plan", str(plan_root), "--as-of", "2024-12-01")
    assert all(tuple(task) == views.TASK_COLUMNS for task in document["tasks"])


def test_status_json_is_one_item_per_line(plan_root):
    result = invoke("status", "--plan", str(plan_root), "--as-of", "2024-12-01", "--format", "json")
    lines = result.stdout.splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    assert sum(1 for line in lines if line.startswith('    {"id": "N')) == 6  # two groups, four tasks


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--overdue"], ["N2.1"]),
        (["--stale"], ["N2.2"]),
        (["--stale-days", "60"], ["N1.1", "N2.1", "N2.2"]),  # the flags of every task, not a filter
        (["--stale", "--stale-days", "60"], ["N1.1", "N2.1", "N2.2"]),
        (["--owner", "so-c"], ["N1.1", "N2.1", "N2.2"]),  # the lead after the hand-over, and a supporter
        (["--owner", "so-a"], []),  # handed everything over
        (["--owner", "so-b"], ["N1.1", "N1.2", "N2.1"]),
        (["--objective", "N2"], ["N2.1", "N2.2"]),
        (["--status", "đang triển khai"], ["N1.1", "N2.1"]),
        (["--status", "Completed"], ["N1.2"]),
        (["-s", "chưa triển khai", "--objective", "N1"], []),
    ],
)
def test_status_filters(plan_root, options, expected):
    document = run_json("status", "--plan", str(plan_root), "--as-of", "2024-12-01", *options)
    if options == ["--stale-days", "60"]:
        assert [t["id"] for t in document["tasks"] if t["stale"]] == expected
        assert document["stale_days"] == 60
    else:
        assert task_ids(document) == expected
        assert [g["tasks"] for g in document["groups"]] == [
            sum(1 for t in document["tasks"] if t["objective"] == g["id"]) for g in document["groups"]
        ]
        assert document["total"]["tasks"] == len(expected)


def test_status_owner_before_the_hand_over(plan_root):
    document = run_json("status", "--plan", str(plan_root), "--as-of", "2024-05-01", "--owner", "so-a")
    assert task_ids(document) == ["N1.1", "N2.1"]


def test_status_csv(plan_root):
    result = invoke("status", "--plan", str(plan_root), "--as-of", "2024-12-01", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"id,")  # plain UTF-8 for scripts: no byte-order mark
    lines = result.stdout.split("\n")
    assert lines[0] == ",".join(views.TASK_COLUMNS)
    assert lines[2] == (
        "N1.2,p1,N1,Nhiệm vụ hai,,so-b,,completed,100,,2021-01-01,2024-03-31,,false,false,false,2024-03-01"
    )
    assert lines[-1] == ""  # ends with a newline
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8"))))
    assert [row["id"] for row in rows] == ["N1.1", "N1.2", "N2.1", "N2.2"]
    assert rows[0]["title"] == LONG_TITLE  # commas quoted
    assert rows[2]["support"] == "so-c"  # a list as text, not as JSON
    assert rows[3]["last_update"] == "" and rows[3]["stale"] == "true"


def test_status_csv_with_no_rows_is_the_header(plan_root):
    result = invoke("status", "--plan", str(plan_root), "--as-of", "2024-12-01", "--owner", "so-a", "-f", "csv")
    assert (result.exit_code, result.stdout) == (0, ",".join(views.TASK_COLUMNS) + "\n")


def test_status_table_in_vietnamese(plan_root):
    result = invoke("status", "--plan", str(plan_root), "--as-of", "2024-12-01")
    assert result.exit_code == 0
    out = result.stdout
    assert "Tình hình thực hiện đến ngày 01/12/2024" in out
    for label in (
        "Mã",
        "Nhiệm vụ",
        "Chủ trì",
        "Trạng thái",
        "Tiến độ",
        "Thời hạn",
        "gần nhất",
        "hằng năm",
        "31/10/2024",
        "10/09/2024",
        "quá hạn",
        "chưa báo",
        "████░░░░  55%",
        "████████ 100%",
    ):
        assert label in out, label
    assert "2 nhiệm vụ · 1 hoàn thành · 0 quá hạn · tiến độ bình quân 77,5% (không trọng số)" in out
    assert "Tất cả: 4 nhiệm vụ · 1 hoàn thành · 1 quá hạn" in out
    for english in ("Status", "yearly", "2024-10-31", "overdue"):
        assert english not in out
    assert_fits_80(out)


def test_status_table_in_english(plan_root):
    result = invoke("status", "--plan", str(plan_root), "--as-of", "2024-12-01", "--lang", "en")
    out = result.stdout
    for label in (
        "Status as of 2024-12-01",
        "ID",
        "Task",
        "Lead",
        "Status",
        "Progress",
        "Due",
        "Last",
        "yearly",
        "2024-10-31",
        "in progress",
        "overdue",
        "N1 · Build a caring community",
        "2 tasks · 1 completed · 0 overdue · average progress 77.5% (unweighted)",
    ):
        assert label in out, label
    for vietnamese in ("Trạng thái", "hằng năm", "31/10/2024", "quá hạn", "đang triển"):
        assert vietnamese not in out
    assert_fits_80(out)


def test_status_table_wraps_a_long_vietnamese_title_at_spaces(plan_root):
    out = invoke("status", "--plan", str(plan_root), "--as-of", "2024-12-01").stdout
    assert_fits_80(out)
    # every word whole on one line: the title was wrapped at spaces, no letter cut from its marks
    lines = out.splitlines()
    for word in LONG_TITLE.split():
        assert any(word in line for line in lines), word
    assert "…" not in out


def test_status_table_colours_on_a_terminal(plan_root):
    workspace = load_workspace(plan_root).workspace
    day = dt.date(2024, 12, 1)
    document = views.status_document(workspace, task_states(workspace, day), day)
    terminal = Console(width=80, force_terminal=True, color_system="standard", record=True)
    terminal.print(views.render_status(document, workspace.owner_map(), "vi"), soft_wrap=False)
    styled = terminal.export_text(styles=True)
    assert "\x1b[31m" in styled  # the overdue task in red
    assert "\x1b[32m" in styled  # the completed one in green
    assert all(cell_len(line) <= 80 for line in terminal.export_text().splitlines())


MARKUP = dataclasses.replace(
    SMALL,
    task_files=(TaskFile("N1", (Task("N1.1", "[I] Nhiệm vụ [bold]một[/bold]", lead="so-a", recurring="yearly"),)),),
    journal=(
        Update(
            "20240302-0000b001",
            "N1.1",
            "2024-03-01",
            by="so-a",
            author=AUTHOR,
            recorded="2024-03-02T01:00:00Z",
            note="[/] [red]x[/red]",
        ),
    ),
)


def test_brackets_in_plan_text_are_not_markup(make_workspace: WriteWorkspace) -> None:
    root = make_workspace(MARKUP)
    for args, fragments in (
        (["status"], ["[I]", "[bold]một[/bold]"]),
        (["show", "N1.1"], ["[/] [red]x[/red]"]),
        (["log"], ["[/] [red]x[/red]"]),
    ):
        out = invoke(*args, "--plan", str(root), "--as-of", "2024-12-01").stdout
        assert all(fragment in out for fragment in fragments), (args, out)
    # the renderables themselves, on a console that reads markup
    workspace = load_workspace(root).workspace
    states = task_states(workspace, dt.date(2024, 12, 1))
    terminal = Console(width=80, record=True)
    terminal.print(views.render_status(views.status_document(workspace, states, dt.date(2024, 12, 1)), {}, "vi"))
    terminal.print(views.render_show(views.show_document(states[0]), {}, "vi"))
    text = terminal.export_text()
    assert "[I] Nhiệm vụ [bold]một[/bold]" in text and "[/] [red]x[/red]" in text


def test_status_with_no_tasks_says_so_and_exits_0(plan_root):
    result = invoke("status", "--plan", str(plan_root), "--as-of", "2024-12-01", "--owner", "so-a", "--lang", "en")
    assert result.exit_code == 0
    assert "No tasks match." in result.stdout


# --- show --------------------------------------------------------------------------------------


def test_show_json_has_the_task_and_its_whole_timeline(plan_root):
    document = run_json("show", "N1.1", "--plan", str(plan_root), "--as-of", "2024-12-01")
    task = document["task"]
    assert document["as_of"] == "2024-12-01"
    assert (task["id"], task["lead"], task["declared_lead"], task["declared_support"]) == (
        "N1.1",
        "so-c",
        "so-a",
        ["so-b"],
    )
    assert task["objective_title"].startswith("Triển khai")
    assert (task["status"], task["progress"], task["last_update"]) == ("in_progress", 55, "2024-09-10")
    assert [(u["id"][-4:], u["superseded"], u["superseded_by"], u["corrects"]) for u in document["updates"]] == [
        ("a001", False, None, None),
        ("a003", True, "20240912-0000a004", None),  # kept and marked
        ("a004", False, None, "20240911-0000a003"),
    ]


def test_show_timeline_stops_at_as_of(plan_root):
    document = run_json("show", "N1.1", "--plan", str(plan_root), "--as-of", "2024-06-01")
    assert update_ids(document) == ["a001"]


def test_show_csv_is_the_timeline(plan_root):
    result = invoke("show", "N1.1", "--plan", str(plan_root), "--as-of", "2024-12-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == views.UPDATE_COLUMNS
    assert [(r["id"][-4:], r["superseded"]) for r in rows] == [("a001", "false"), ("a003", "true"), ("a004", "false")]


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        (
            "vi",
            [
                "Chủ trì",
                "so-c · Sở C",
                "(tiếp nhận từ so-a)",
                "Phối hợp",
                "hằng năm",
                "Diễn biến",
                "đã được đính chính bởi",
                "đính chính 20240911-0000a003",
                "10/09/2024",
            ],
        ),
        (
            "en",
            [
                "Lead",
                "so-c · Sở C",
                "(taken over from so-a)",
                "Supporting",
                "yearly",
                "Timeline",
                "superseded by",
                "corrects 20240911-0000a003",
                "2024-09-10",
                "Take part in programmes and policies",
            ],
        ),
    ],
)
def test_show_table(plan_root, lang, labels):
    result = invoke("show", "N1.1", "--plan", str(plan_root), "--as-of", "2024-12-01", "--lang", lang)
    assert result.exit_code == 0
    for label in labels:
        assert label in result.stdout, label
    assert_fits_80(result.stdout)


def test_show_unknown_task_is_a_usage_error(plan_root):
    result = invoke("show", "N1.9", "--plan", str(plan_root), "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith("aseanctl: there is no task 'N1.9' in the plan (did you mean 'N1.")


# --- log ---------------------------------------------------------------------------------------


def test_log_json_is_exact_and_newest_first(plan_root):
    document = run_json("log", "--plan", str(plan_root), "--until", "2025-12-31")
    assert document["since"] is None and document["until"] == "2025-12-31"
    assert update_ids(document) == ["a006", "a004", "a003", "a005", "a001", "a002"]
    assert all(tuple(u) == views.UPDATE_COLUMNS for u in document["updates"])
    assert document["updates"][1] == {
        "id": "20240912-0000a004",
        "task": "N1.1",
        "date": "2024-09-10",
        "status": None,
        "progress": 55,
        "health": None,
        "actual": None,
        "note": "Sửa số liệu",
        "evidence": None,
        "by": "so-c",
        "author": "Chuyên viên <cv@example.vn>",
        "recorded": "2024-09-12T01:00:00Z",
        "corrects": "20240911-0000a003",
        "withdraws": None,
        "reason": None,
        "superseded": False,
        "superseded_by": None,
        "withdrawn": False,
        "withdrawn_by": None,
        "withdrawn_reason": None,
    }
    assert document["updates"][2] == {
        "id": "20240911-0000a003",
        "task": "N1.1",
        "date": "2024-09-10",
        "status": None,
        "progress": 60,
        "health": "amber",
        "actual": None,
        "note": None,
        "evidence": None,
        "by": "so-c",
        "author": "Chuyên viên <cv@example.vn>",
        "recorded": "2024-09-11T01:00:00Z",
        "corrects": None,
        "withdraws": None,
        "reason": None,
        "superseded": True,
        "superseded_by": "20240912-0000a004",
        "withdrawn": False,
        "withdrawn_by": None,
        "withdrawn_reason": None,
    }


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--since", "2024-06-01"], ["a006", "a004", "a003", "a005"]),
        (["--since", "2024-09-01", "--until", "2024-12-31"], ["a004", "a003"]),
        (["--as-of", "2024-06-30"], ["a005", "a001", "a002"]),
        (["N1.1"], ["a004", "a003", "a001"]),
        (["--owner", "so-c"], ["a006", "a004", "a003", "a001"]),  # and what so-a reported before handing over
        (["--owner", "so-a"], ["a001"]),
        (["--owner", "so-b", "--since", "2024-04-01"], ["a005"]),
        (["--objective", "N2"], ["a006", "a005"]),
        (["--status", "đã hoàn thành"], ["a002"]),
        (["--overdue", "--as-of", "2024-12-01"], ["a005"]),
        (["--stale", "--as-of", "2024-12-01"], []),
        (["N2.2", "--since", "2026-01-01"], []),
    ],
)
def test_log_filters(plan_root, options, expected):
    result = invoke("log", "--plan", str(plan_root), *options, "--format", "json")
    assert result.exit_code == 0, result.output
    assert update_ids(json.loads(result.stdout)) == expected
    # the plan has ended: without --as-of or --until, the log ends on its last day and says so
    assert result.stderr == ("" if {"--as-of", "--until"} & set(options) else ENDED_VI)


def test_log_csv(plan_root):
    result = invoke("log", "--plan", str(plan_root), "--since", "2024-09-01", "--until", "2024-12-31", "-f", "csv")
    assert result.stdout.splitlines() == [
        ",".join(views.UPDATE_COLUMNS),
        (
            "20240912-0000a004,N1.1,2024-09-10,,55,,,Sửa số liệu,,so-c,Chuyên viên <cv@example.vn>,2024-09-12T01:00:00Z,"  # noqa: E501 - one CSV row as written
            "20240911-0000a003,,,false,,false,,"
        ),
        (
            "20240911-0000a003,N1.1,2024-09-10,,60,amber,,,,so-c,Chuyên viên <cv@example.vn>,2024-09-11T01:00:00Z,,,,true,"  # noqa: E501 - one CSV row as written
            "20240912-0000a004,false,,"
        ),
    ]


def test_log_table_in_both_languages(plan_root):
    vi = invoke("log", "--plan", str(plan_root), "--until", "2024-12-31").stdout
    en = invoke("log", "--plan", str(plan_root), "--until", "2024-12-31", "--lang", "en").stdout
    for label in ("Ngày", "Đơn vị", "Nội dung", "Văn bản: Báo cáo 12/BC-SB", "đã hoàn", "10/09/2024", "5 cập nhật."):
        assert label in vi, label
    for label in ("Date", "By", "Details", "Evidence: Báo cáo 12/BC-SB", "completed", "2024-09-10", "5 updates."):
        assert label in en, label
    assert "SA" in vi  # an owner's short name
    assert_fits_80(vi)
    assert_fits_80(en)


def test_log_unknown_task_is_a_usage_error(plan_root):
    assert invoke("log", "N7", "--plan", str(plan_root)).exit_code == 2


# --- owners ------------------------------------------------------------------------------------


def test_owners_json_is_exact(plan_root):
    document = run_json("owners", "--plan", str(plan_root), "--as-of", "2024-12-01")
    assert document == {
        "as_of": "2024-12-01",
        "period": {"label": "2024", "start": "2024-01-01", "end": "2024-12-31"},
        "owners": [
            {
                "id": "so-b",
                "name": "Sở B",
                "name_en": "Department B",
                "short": None,
                "kind": "department",
                "led": 2,
                "supported": 1,
                "completed": 1,
                "overdue": 1,
                "last_report": "2024-06-01",
                "reports_owed": 2,
                "reports_given": 2,
                "reports_missing": [],
            },
            # so-c took N1.1 over from so-a on 2024-07-01 and reported on it (U3, U4); N2.2,
            # started in July, has no report: so-c misses the period.  so-a's report of March
            # (U1) stays so-a's.
            {
                "id": "so-c",
                "name": "Sở C",
                "name_en": None,
                "short": None,
                "kind": "department",
                "led": 2,
                "supported": 1,
                "completed": 0,
                "overdue": 0,
                "last_report": "2024-09-10",
                "reports_owed": 2,
                "reports_given": 1,
                "reports_missing": ["N2.2"],
            },
        ],
    }
    assert all(tuple(o) == views.OWNER_COLUMNS for o in document["owners"])


def test_owners_missing_lists_who_has_not_reported(plan_root):
    # in 2025 so-b has not reported on the unfinished N2.1; so-c reported on N2.2 (U6) but not
    # on N1.1: a report on one task does not stand for the others
    document = run_json("owners", "--plan", str(plan_root), "--as-of", "2025-03-01", "--missing")
    assert [(o["id"], o["reports_missing"]) for o in document["owners"]] == [("so-b", ["N2.1"]), ("so-c", ["N1.1"])]
    assert document["period"] == {"label": "2025", "start": "2025-01-01", "end": "2025-12-31"}
    everyone = run_json("owners", "--plan", str(plan_root), "--as-of", "2025-03-01")
    assert [(o["id"], o["reports_owed"], o["reports_given"]) for o in everyone["owners"]] == [
        ("so-b", 1, 0),
        ("so-c", 2, 1),
    ]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--owner", "so-c"], [("so-c", 2, 1)]),
        (["--objective", "N2"], [("so-b", 1, 0), ("so-c", 1, 1)]),
        (["--overdue"], [("so-b", 1, 0), ("so-c", 0, 1)]),
        (["--status", "completed"], [("so-b", 1, 0)]),
    ],
)
def test_owners_filters(plan_root, options, expected):
    document = run_json("owners", "--plan", str(plan_root), "--as-of", "2024-12-01", *options)
    assert [(o["id"], o["led"], o["supported"]) for o in document["owners"]] == expected


def test_owners_csv(plan_root):
    result = invoke("owners", "--plan", str(plan_root), "--as-of", "2024-12-01", "--format", "csv")
    assert result.stdout.splitlines() == [
        ",".join(views.OWNER_COLUMNS),
        "so-b,Sở B,Department B,,department,2,1,1,1,2024-06-01,2,2,",
        "so-c,Sở C,,,department,2,1,0,0,2024-09-10,2,1,N2.2",
    ]


def test_owners_table_in_both_languages(plan_root):
    vi = invoke("owners", "--plan", str(plan_root), "--as-of", "2025-03-01").stdout
    en = invoke("owners", "--plan", str(plan_root), "--as-of", "2025-03-01", "--lang", "en").stdout
    for label in ("Kỳ báo cáo 2025: 01/01/2025 – 31/12/2025", "Cơ quan", "Phối hợp", " 0/1\n", " 1/2\n", "Sở B"):
        assert label in vi, label
    for label in (
        "Reporting period 2025: 2025-01-01 – 2025-12-31",
        "Owner",
        "Supports",
        " 0/1\n",
        "This period: tasks reported in the period / tasks owing a report",
        "Department B",
    ):
        assert label in en, label
    assert_fits_80(vi)
    assert_fits_80(en)


# --- through aseanctl update; plans with problems; usage errors ----------------------------------


def test_an_update_recorded_by_the_cli_shows_in_every_view(make_workspace):
    root = make_workspace()
    result = invoke(
        "update",
        "N1.1",
        "--plan",
        str(root),
        "--status",
        "đang triển khai",
        "--progress",
        "30",
        "--date",
        "2024-05-02",
        "--author",
        "A <a@example.vn>",
    )
    assert result.exit_code == 0, result.output
    status = run_json("status", "--plan", str(root), "--as-of", "2024-06-01")
    assert [(t["id"], t["status"], t["progress"], t["last_update"]) for t in status["tasks"]] == [
        ("N1.1", "in_progress", 30, "2024-05-02")
    ]
    log = run_json("log", "--plan", str(root), "--as-of", "2024-06-01")
    assert [(u["task"], u["by"], u["author"]) for u in log["updates"]] == [("N1.1", "so-a", "A <a@example.vn>")]
    owners = run_json("owners", "--plan", str(root), "--as-of", "2024-06-01")
    assert [(o["id"], o["led"], o["reports_given"]) for o in owners["owners"]] == [("so-a", 1, 1)]


def test_a_plan_with_errors_is_shown_after_one_line_on_stderr(plan_root):
    (plan_root / "p1" / "tasks" / "nhom-2.yaml").write_text("objective: N2\ntasks: [\n", encoding="utf-8")
    result = invoke("status", "--plan", str(plan_root), "--as-of", "2024-12-01", "--lang", "en", "-f", "json")
    assert result.exit_code == 0
    assert result.stderr == "the plan has 1 problem, so some of it may be missing; run 'aseanctl validate'\n"
    assert task_ids(json.loads(result.stdout)) == ["N1.1", "N1.2"]


def test_a_broken_journal_line_does_not_stop_the_views(plan_root):
    with open(plan_root / "p1" / "journal" / "2024.jsonl", "ab") as journal:
        journal.write(b'{"id": "x"}\n')
    result = invoke("log", "--plan", str(plan_root), "-f", "json")
    assert result.exit_code == 0
    assert "aseanctl validate" in result.stderr
    assert len(json.loads(result.stdout)["updates"]) == 6


@pytest.mark.parametrize("command", [["status"], ["show", "N1.1"], ["log"], ["owners"]])
@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--as-of", "2024-13-01"], "--as-of: '2024-13-01' is not a date YYYY-MM-DD"),
        (["--as-of", "20241201"], "--as-of: '20241201' is not a date YYYY-MM-DD"),
        (["--format", "xml"], "--format: 'xml' is not valid; use: table, json, csv, xlsx"),
        (["--lang", "fr"], "--lang: 'fr' không hợp lệ; dùng: vi, en"),  # no language to speak yet
    ],
)
def test_bad_options_are_usage_errors(plan_root, command, options, message):
    lang = [] if "--lang" in options else ["--lang", "en"]
    result = invoke(*command, "--plan", str(plan_root), *options, *lang)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"aseanctl: {message}\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["status", "--status", "xong"],
            (
                "--status: 'xong' is not valid; use: not_started, in_progress, completed, "
                "recurring, suspended, change_requested"
            ),
        ),
        (["log", "--status", "xong"], "--status: 'xong' is not valid"),
        (["owners", "--status", "xong"], "--status: 'xong' is not valid"),
        (["log", "--since", "June"], "--since: 'June' is not a date YYYY-MM-DD"),
        (["log", "--until", "2024-02-30"], "--until: '2024-02-30' is not a date YYYY-MM-DD"),
        (["status", "--owner", "so-cc"], "no owner 'so-cc' in owners.yaml (did you mean 'so-c'?)"),
        (["log", "--owner", "so-x"], "no owner 'so-x' in owners.yaml"),
        (["owners", "--owner", "so-x"], "no owner 'so-x' in owners.yaml"),
        (["status", "--objective", "N9"], "there is no objective 'N9' in the plan"),
    ],
)
def test_bad_values_are_usage_errors(plan_root, args, message):
    result = invoke(*args, "--plan", str(plan_root), "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"aseanctl: {message}")


def test_a_bad_status_word_is_reported_in_vietnamese_by_default(plan_root):
    result = invoke("status", "--plan", str(plan_root), "--status", "xong")
    assert result.exit_code == 2
    assert result.stderr.startswith("aseanctl: --status: 'xong' không hợp lệ; dùng: not_started")


def test_no_plan_is_a_usage_error(tmp_path):
    result = invoke("status", "--plan", str(tmp_path))
    assert result.exit_code == 2
    assert "aseanctl:" in result.stderr


def test_the_shipped_plan_has_every_view():
    for args in (["status"], ["show", "N1.1"], ["log"], ["owners"]):
        for lang in ("vi", "en"):
            result = invoke(*args, "--plan", "plan", "--as-of", "2025-12-31", "--lang", lang)
            assert result.exit_code == 0, (args, result.output)
            assert result.stderr == ""
            assert_fits_80(result.stdout)


# --- pieces ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress", "bar"),
    [
        (0, "░░░░░░░░   0%"),
        (100, "████████ 100%"),
        (40, "███░░░░░  40%"),
        (50, "████░░░░  50%"),
        (0.2, "█░░░░░░░   1%"),
        (99.9, "███████░  99%"),
        (55, "████░░░░  55%"),
    ],
)
def test_progress_bar_is_13_cells(progress, bar):
    assert views.progress_bar(progress) == bar
    assert cell_len(bar) == 13


def test_dates_and_numbers_follow_the_language():
    assert views.format_date("2024-03-07", "vi") == "07/03/2024"
    assert views.format_date("2024-03-07", "en") == "2024-03-07"
    assert views.format_date(None, "en") == "—"
    assert views.format_number(43.75, "vi") == "43,8"
    assert views.format_number(40.0, "en") == "40"


# --- the tables, exactly; the layout ------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("status", ["status", "--as-of", "2024-12-01"]),
        ("log", ["log", "--until", "2024-12-31"]),
        ("owners", ["owners", "--as-of", "2025-03-01"]),
        ("show", ["show", "N1.1", "--as-of", "2024-12-01"]),
    ],
)
def test_tables_are_exact(plan_root, monkeypatch, name, args, lang, width):
    out = at_width(monkeypatch, width, *args, "--plan", str(plan_root), "--lang", lang)
    assert all(cell_len(line) <= width for line in out.splitlines())
    assert not [line for line in out.splitlines() if line != line.rstrip()]  # no spaces at the ends
    check_golden(f"{name}-{lang}-{width}.txt", out)


# Six tasks with long Vietnamese titles, one in each status.
EVERY_STATUS = Workspace(
    owners=OWNERS,
    plan=PLAN,
    task_files=(
        TaskFile("N1", tuple(Task(f"N1.{n}", LONG_TITLE, lead="so-b", due="2025-06-30") for n in range(1, 7))),
    ),
    journal=tuple(
        Update(
            f"20240302-0000c00{n}",
            f"N1.{n}",
            "2024-03-01",
            by="so-b",
            author=AUTHOR,
            recorded="2024-03-02T01:00:00Z",
            status=status,
        )
        for n, status in enumerate(
            ("not_started", "in_progress", "completed", "recurring", "suspended", "change_requested"), 1
        )
    ),
)


@pytest.fixture
def every_status(make_workspace: WriteWorkspace) -> Path:
    """Six tasks with long Vietnamese titles, one in each status."""
    return make_workspace(EVERY_STATUS)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("width", [100, 120, 200])
def test_status_words_are_never_wrapped_from_100_columns(every_status, monkeypatch, lang, width):
    out = at_width(monkeypatch, width, "status", "--plan", str(every_status), "--as-of", "2024-12-01", "--lang", lang)
    lines = out.splitlines()
    for status in views.schema.STATUSES:
        word = views.t(f"status.{status}", lang)
        assert any(word in line for line in lines), (word, out)
    assert all(cell_len(line) <= width for line in lines)


def test_status_words_wrap_at_80_and_the_table_fits(every_status, monkeypatch):
    out = at_width(monkeypatch, 80, "status", "--plan", str(every_status), "--as-of", "2024-12-01")
    assert_fits_80(out)
    for word in LONG_TITLE.split():  # the titles wrapped at spaces, no word cut
        assert any(word in line.split() or word in line for line in out.splitlines()), word
    assert "…" not in out


def test_decomposed_vietnamese_is_measured_and_shown_composed(make_workspace, monkeypatch):
    decomposed = unicodedata.normalize("NFD", LONG_TITLE)
    assert decomposed != LONG_TITLE
    root = make_workspace(
        tasks=f"objective: N1\ntasks:\n  - id: N1.1\n    title: {decomposed}\n    lead: so-a\n    recurring: yearly\n"
    )
    out = at_width(monkeypatch, 80, "status", "--plan", str(root), "--as-of", "2024-12-01")
    assert unicodedata.is_normalized("NFC", out)
    assert "Tham gia xây dựng," in out
    assert_fits_80(out)


def test_colour_on_a_terminal_and_none_under_no_color_or_in_a_pipe(plan_root, monkeypatch):
    args = ("status", "--plan", str(plan_root), "--as-of", "2024-12-01")
    plain = at_width(monkeypatch, 80, *args)
    assert "\x1b[" not in plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = at_width(monkeypatch, 80, *args)
    assert "\x1b[31m" in coloured and "\x1b[32m" in coloured and "\x1b[1m" in coloured
    assert ANSI.sub("", coloured) == plain  # the same layout, only styled
    monkeypatch.setenv("NO_COLOR", "1")
    bold_only = at_width(monkeypatch, 80, *args)
    assert "\x1b[31m" not in bold_only and "\x1b[32m" not in bold_only and "\x1b[1m" in bold_only
    assert ANSI.sub("", bold_only) == plain


def test_a_sheet_prints_the_same_through_a_rich_console(plan_root):
    workspace = load_workspace(plan_root).workspace
    day = dt.date(2024, 12, 1)
    sheet = views.status_sheet(views.status_document(workspace, task_states(workspace, day), day), {}, "vi")
    terminal = Console(width=80, record=True)
    terminal.print(sheet)
    assert terminal.export_text() == layout.render_text(sheet, 80)


def test_cells_count_terminal_columns():
    assert layout.cells("Tham gia xây dựng") == 17
    assert layout.cells(unicodedata.normalize("NFD", "Tham gia xây dựng")) == 17
    assert layout.cells("計画") == 4
    assert layout.cells("░░░ — …") == 7


def test_wrap_breaks_at_spaces_by_cells_and_cuts_only_longer_words():
    assert layout.wrap("đang triển khai", 10) == [("đang triển", 10), ("khai", 4)]
    assert layout.wrap("đang triển khai", 9) == [("đang", 4), ("triển", 5), ("khai", 4)]
    assert layout.wrap("đang triển khai", 15) == [("đang triển khai", 15)]
    assert layout.wrap("計画計画計画 ab", 8) == [("計画計画", 8), ("計画 ab", 7)]
    assert layout.wrap("a\n\nb", 5) == [("a", 1), ("", 0), ("b", 1)]


def test_controls_in_a_cell_are_laid_out_as_shown_and_measured_so():
    """A bidi override measured 0 cells and a C1 CSI was sent as is: the column came out one
    cell short per character and the terminal read an escape; a tab or a CR broke the row."""
    table = layout.Table(
        (layout.Column("A"), layout.Column("B")),
        [(layout.Cell("x\u202ey\x9bz\tw"), layout.Cell("1")), (layout.Cell("r\rs\nt"), layout.Cell("2"))],
    )
    text = layout.render_text(layout.Sheet((layout.Line("h\x1b]0;t\x07"), table)), 80)
    assert text.splitlines() == [
        "h\\x1b]0;t\\x07",
        "A                B",
        "─" * 18,
        "xU+202Ey\\x9bz\\tw 1",
        "r\\rs" + " " * 13 + "2",
        "t",
    ]


def test_free_text_gives_way_first_then_the_other_columns():
    table = layout.Table(
        (
            layout.Column("ID", wrap=False),
            layout.Column("Title", flex=True),
            layout.Column("Status", min_width=12),
            layout.Column("Day", wrap=False, max_width=10),
        ),
        [
            (
                layout.Cell("N1.1"),
                layout.Cell(" ".join(["x"] * 40)),
                layout.Cell("thực hiện thường xuyên"),
                layout.Cell("01/01/2025"),
            )
        ],
    )
    texts = [{row[i].text for row in table.rows} for i in range(4)]
    assert layout.column_widths(table, 200, texts) == [4, 79, 22, 10]
    assert layout.column_widths(table, 80, texts) == [4, 41, 22, 10]
    assert layout.column_widths(table, 60, texts) == [4, 21, 22, 10]  # the title down to 21 first
    assert layout.column_widths(table, 50, texts) == [4, 20, 13, 10]  # then the status
    assert layout.column_widths(table, 40, texts) == [4, 11, 12, 10]  # then the title again
    assert sum(layout.column_widths(table, 20, texts)) + 3 <= 20  # words cut, but it fits


def test_views_and_reports_format_alike():
    day = dt.date(2024, 3, 7)
    assert fmt.format_date(day, "vi") == fmt.format_date("2024-03-07", "vi") == "07/03/2024"
    assert fmt.format_date(day, "en") == "2024-03-07"
    assert fmt.format_date(None, "vi") == "" and fmt.format_date(None, "vi", "—") == "—"
    assert fmt.format_number(27.5, "vi") == "27,5" and fmt.format_number(27.5, "en") == "27.5"
    owners = load_workspace_owners()
    assert fmt.owner_name("so-b", owners, "en") == "Department B"
    assert fmt.owner_name("so-b", owners, "vi") == "Sở B"
    assert fmt.owner_name("so-x", owners, "vi") == "so-x" and fmt.owner_name(None, owners, "vi") == ""
    assert fmt.owner_short("so-a", owners) == "SA" and fmt.owner_short("so-b", owners) == "so-b"


def load_workspace_owners() -> dict:
    from aseanctl.model import Owner

    return {
        "so-a": Owner("so-a", "Sở A", "department", None, short="SA"),  # type: ignore[arg-type]
        "so-b": Owner("so-b", "Sở B", "department", None, name_en="Department B"),  # type: ignore[arg-type]
    }


# --- the day a view looks from, when --as-of is not given ----------------------------------------

ENDED_VI = "Kế hoạch đã kết thúc ngày 31/12/2025: số liệu tính đến ngày đó (--as-of để chọn ngày khác).\n"


@pytest.mark.parametrize(
    "command", [["status"], ["show", "N2.2"], ["log"], ["owners"]], ids=["status", "show", "log", "owners"]
)
def test_an_ended_plan_is_seen_from_its_last_day_and_the_view_says_so(plan_root, command):
    """The plan ended on 31/12/2025: seen from today, every open task would look overdue and
    unreported.  Without --as-of the views look from the plan's last day and say so."""
    result = invoke(*command, "--plan", str(plan_root), "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stderr == "The plan ended on 2025-12-31: figures are as of that day (--as-of for another day).\n"
    document = json.loads(result.stdout)
    assert document.get("as_of", document.get("until")) == "2025-12-31"
    assert invoke(*command, "--plan", str(plan_root)).stderr == ENDED_VI


def test_an_ended_plan_by_default_is_exactly_the_plan_on_its_last_day(plan_root):
    for command in (["status"], ["owners"]):
        by_default = invoke(*command, "--plan", str(plan_root), "--format", "json").stdout
        assert by_default == invoke(*command, "--plan", str(plan_root), "--as-of", "2025-12-31", "-f", "json").stdout


def test_an_explicit_as_of_wins_and_says_nothing(plan_root):
    result = invoke("status", "--plan", str(plan_root), "--as-of", "2026-06-01", "--format", "json")
    assert result.stderr == ""
    assert json.loads(result.stdout)["as_of"] == "2026-06-01"


def test_a_running_plan_is_seen_from_today(make_workspace):
    root = make_workspace(dataclasses.replace(VIEWS_PLAN, plan=dataclasses.replace(PLAN, end="2099-12-31")))
    result = invoke("owners", "--plan", str(root), "--format", "json")
    assert result.stderr == ""
    assert json.loads(result.stdout)["as_of"] == dt.date.today().isoformat()
