"""`aseanctl update` through the command line: every check before anything is written (1),
hand-edited files never rewritten (2), corrections (6), --commit (7) and the defaults (8)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import GIT_ENV, REPO, SHIPPED_PLAN, SMALL, start_together
from planbuilder import Indicator, Task, TaskFile
from typer.testing import CliRunner

from aseanctl.cli import app
from aseanctl.journal import FIELD_ORDER, write_update
from aseanctl.loader import find_task, load_workspace
from aseanctl.progress import effective_updates, task_states
from aseanctl.recording import UpdateRequest, build_record
from aseanctl.validation import validate_workspace

runner = CliRunner()
TODAY = dt.date.today()
PLAN_DIR = "kh-702-2021"

# two tasks, one with an indicator to report on
TWO_TASKS = dataclasses.replace(
    SMALL,
    task_files=(
        TaskFile(
            "N1",
            (
                Task(
                    "N1.1",
                    "Nhiệm vụ một",
                    lead="so-a",
                    recurring="yearly",
                    indicators=(Indicator("so-lop", "Số lớp tập huấn", unit="lớp", target=10),),
                ),
                Task("N1.2", "Nhiệm vụ hai", lead="so-b", recurring="yearly"),
            ),
        ),
    ),
)
# the same in a plan still running, so "a date in the future" can be inside it
OPEN = dataclasses.replace(TWO_TASKS, plan=dataclasses.replace(SMALL.plan, end="2099-12-31"))


pytestmark = pytest.mark.usefixtures("isolated")  # conftest: no git config, plan or language from outside


def update(root: Path, *args: str):
    """`aseanctl update ARGS --plan ROOT --lang en` in this process."""
    return runner.invoke(app, ["update", *args, "--plan", str(root), "--lang", "en"])


def recorded(root: Path, *args: str) -> str:
    result = update(root, *args)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def git_repo(repo: Path) -> Path:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the plan")
    return repo


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under root."""
    return {str(p.relative_to(root)): p.read_bytes() if p.is_file() else None for p in sorted(root.rglob("*"))}


def journal_lines(plan_folder: Path, year: str) -> list[dict]:
    raw = (plan_folder / "journal" / f"{year}.jsonl").read_bytes()
    assert raw.endswith(b"\n")
    return [json.loads(data) for data in raw.split(b"\n")[:-1]]


# --- 1. everything is checked before anything is written ------------------------------------------------

TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()
A = ("--author", "Kiểm Thử <kt@example.vn>")
# (name, arguments, needs earlier updates, what the message says)
REFUSALS = [
    ("unknown-task", ["N9.9", "--progress", "10", *A], False, "there is no task 'N9.9'"),
    ("unknown-task-close", ["N1.3", "--progress", "10", *A], False, "there is no task 'N1.3'"),
    ("bad-status", ["N1.1", "--status", "xong rồi", *A], False, "--status: 'xong rồi' is not valid"),
    (  # "rolled out" was stored as completed, though rolled-out work is as often in progress
        "status-rolled-out",
        ["N1.1", "--status", "đã triển khai", *A],
        False,
        "--status: 'đã triển khai' is not valid (did you mean 'đang triển khai'?)",
    ),
    ("bad-health", ["N1.1", "--health", "purple", *A], False, "--health: 'purple' is not valid"),
    ("progress-over", ["N1.1", "--progress", "101", *A], False, "--progress must be a number from 0 to 100"),
    ("progress-under", ["N1.1", "--progress", "-1", *A], False, "--progress must be a number from 0 to 100"),
    ("progress-word", ["N1.1", "--progress", "bốn mươi", *A], False, "--progress must be a number from 0 to 100"),
    ("progress-percent", ["N1.1", "--progress", "40%", *A], False, "--progress must be a number from 0 to 100"),
    ("progress-nan", ["N1.1", "--progress", "nan", *A], False, "--progress must be a number from 0 to 100"),
    ("progress-inf", ["N1.1", "--progress", "inf", *A], False, "--progress must be a number from 0 to 100"),
    ("actual-unknown", ["N1.1", "--actual", "so-hoc-vien=5", *A], False, "task 'N1.1' has no indicator 'so-hoc-vien'"),
    ("actual-other-task", ["N1.2", "--actual", "so-lop=5", *A], False, "task 'N1.2' has no indicator 'so-lop'"),
    ("actual-no-equals", ["N1.1", "--actual", "so-lop", *A], False, "--actual takes INDICATOR=VALUE"),
    ("actual-no-number", ["N1.1", "--actual", "so-lop=năm", *A], False, "--actual takes INDICATOR=VALUE"),
    ("actual-no-name", ["N1.1", "--actual", "=5", *A], False, "--actual takes INDICATOR=VALUE"),
    # 2,100 written the Vietnamese way, or 2.1 with three decimals: it was stored as 2.1
    ("actual-ambiguous", ["N1.1", "--actual", "so-lop=2.100", *A], False, "--actual: '2.100' reads as 2100 or as 2.1"),
    (
        "progress-ambiguous",
        ["N1.1", "--progress", "12,500", *A],
        False,
        "--progress: '12,500' reads as 12500 or as 12.5",
    ),
    (
        "actual-one-bad",
        ["N1.1", "--actual", "so-lop=5", "--actual", "so-lop", *A],
        False,
        "--actual takes INDICATOR=VALUE",
    ),
    (
        "date-before-plan",
        ["N1.1", "--progress", "5", "--date", "2020-12-31", *A],
        False,
        "2020-12-31 is outside the plan period (2021-01-01 – 2099-12-31)",
    ),
    ("date-after-plan", ["N1.1", "--progress", "5", "--date", "2100-01-01", *A], False, "is outside the plan period"),
    ("date-future", ["N1.1", "--progress", "5", "--date", TOMORROW, *A], False, f"{TOMORROW} is in the future"),
    (
        "date-not-a-day",
        ["N1.1", "--progress", "5", "--date", "2024-02-30", *A],
        False,
        "--date: '2024-02-30' is not a date",
    ),
    (
        "corrects-unknown",
        ["N1.1", "--corrects", "20240101-deadbeef", "--progress", "5", *A],
        False,
        "there is no update '20240101-deadbeef' to correct",
    ),
    (
        "corrects-other-task",
        ["N1.1", "--corrects", "{Y}", "--progress", "5", *A],
        True,
        "update '{Y}' is about task 'N1.2', not 'N1.1'",
    ),
    (
        "corrects-twice",
        ["N1.1", "--corrects", "{X2}", "--progress", "5", *A],
        True,
        "update '{X2}' is already corrected by '{C}'",
    ),
    ("nothing", ["N1.1", *A], False, "nothing to record"),
    ("nothing-but-a-date", ["N1.1", "--date", "2024-01-01", "--by", "so-b", *A], False, "nothing to record"),
    ("blank-note", ["N1.1", "--note", "   ", *A], False, "--note: the text is blank"),
    ("empty-note", ["N1.1", "--progress", "5", "--note", "", *A], False, "--note: the text is blank"),
    ("blank-evidence", ["N1.1", "--evidence", " \t", *A], False, "--evidence: the text is blank"),
    ("control-char-note", ["N1.1", "--note", "a\x07b", *A], False, "--note: the text is blank"),
    ("blank-author", ["N1.1", "--progress", "5", "--author", "  "], False, "--author: the text is blank"),
    ("unknown-by", ["N1.1", "--progress", "5", "--by", "so-khong-co", *A], False, "so-khong-co"),
    ("no-author", ["N1.1", "--progress", "5"], False, "use --author or set 'git config user.name'"),
]


def _refusal_params():
    for name, args, needs_history, message in REFUSALS:
        for history in (True, False) if not needs_history else (True,):
            yield pytest.param(args, history, message, id=f"{name}-{'journal' if history else 'fresh'}")


@pytest.fixture(scope="module")
def with_history(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A workspace whose journal holds updates X (N1.1), Y (N1.2), X2 (N1.1) and C (corrects X2); written once."""
    root = tmp_path_factory.mktemp("history") / "ws"
    OPEN.write(root)
    with pytest.MonkeyPatch.context() as env:
        for name, value in GIT_ENV.items():
            env.setenv(name, value)
        ids = {
            "X": recorded(root, "N1.1", "--date", "2024-01-10", "--progress", "10", *A),
            "Y": recorded(root, "N1.2", "--date", "2024-02-01", "--note", "việc khác", *A),
            "X2": recorded(root, "N1.1", "--date", "2024-03-01", "--progress", "20", *A),
        }
        ids["C"] = recorded(root, "N1.1", "--corrects", ids["X2"], "--progress", "15", *A)
    assert len(journal_lines(root / "p1", "2024")) == 4
    return root, ids


@pytest.mark.parametrize(("args", "history", "message"), list(_refusal_params()))
def test_a_refused_update_is_exit_2_with_a_message_and_writes_nothing(
    make_workspace, with_history, tmp_path, args, history, message
):
    ids: dict[str, str] = {}
    if history:
        root = tmp_path / "ws"
        shutil.copytree(with_history[0], root)
        ids = with_history[1]
    else:
        root = make_workspace(OPEN)
    before = snapshot(root)

    result = update(root, *(a.format(**ids) for a in args))

    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.stderr.startswith("aseanctl: ") and result.stderr.count("\n") == 1, result.stderr
    assert message.format(**ids) in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(root) == before, "a refused update changed the files"
    assert (root / "p1" / "journal").exists() == history, "a refused update made the journal folder"


def test_a_refusal_in_a_real_process_is_one_line_on_stderr(make_workspace):
    root = make_workspace(OPEN)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "aseanctl",
            "update",
            "N1.1",
            "--progress",
            "140",
            "--plan",
            str(root),
            "--author",
            "A",
            "--lang",
            "en",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "aseanctl: --progress must be a number from 0 to 100, found '140'\n"
    assert sorted(p.name for p in root.rglob("*")) == sorted(["owners.yaml", "p1", "plan.yaml", "tasks", "nhom-1.yaml"])


# --- 2. recording never rewrites a file people edit -------------------------------------------------------


def test_recording_leaves_every_plan_file_byte_for_byte_and_only_adds_lines(tmp_path, shipped_copy):
    repo = git_repo(tmp_path)
    originals = {p: p.read_bytes() for p in shipped_copy.rglob("*") if p.is_file()}
    assert any(b"#" in data for data in originals.values())  # comments are there to lose

    recorded(shipped_copy, "N1.1", "--date", "2024-06-30", "--status", "đang triển khai", "--progress", "30", *A)
    recorded(shipped_copy, "N2.1", "--note", "Đã tổ chức hội nghị", "--evidence", "Báo cáo 12/BC-UBND", *A)
    recorded(shipped_copy, "N1.1", "--date", "2025-06-30", "--progress", "60", "--health", "amber", *A)

    assert git(repo, "diff", "--numstat") == ""
    assert sorted(git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()) == [
        f"?? plan/{PLAN_DIR}/journal/.gitattributes",
        f"?? plan/{PLAN_DIR}/journal/2024.jsonl",
        f"?? plan/{PLAN_DIR}/journal/2025.jsonl",
    ]
    for path, data in originals.items():
        assert path.read_bytes() == data, path
        assert data == (SHIPPED_PLAN / path.relative_to(shipped_copy)).read_bytes()

    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "journal")
    first = recorded(shipped_copy, "N1.2", "--note", "ghi thêm", *A)
    second = recorded(shipped_copy, "N1.1", "--date", "2024-12-01", "--progress", "45", *A)
    journal = f"plan/{PLAN_DIR}/journal"
    assert sorted(git(repo, "diff", "--numstat").splitlines()) == [
        f"1\t0\t{journal}/2024.jsonl",
        f"1\t0\t{journal}/2025.jsonl",
    ]
    body = [ln for ln in git(repo, "diff", "-U0").splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
    assert [ln[0] for ln in body] == ["+", "+"]
    assert [json.loads(ln[1:])["id"] for ln in body] == [second, first]  # 2024.jsonl sorts first
    assert git(repo, "status", "--porcelain").splitlines() == [f" M {journal}/2024.jsonl", f" M {journal}/2025.jsonl"]


# --- 6. corrections supersede without rewriting ---------------------------------------------------------


def test_a_correction_supersedes_without_rewriting(make_workspace):
    root = make_workspace(TWO_TASKS)
    plan = root / "p1"
    wrong = recorded(
        root,
        "N1.1",
        "--date",
        "2024-06-01",
        "--status",
        "đang triển khai",
        "--progress",
        "40",
        "--actual",
        "so-lop=4",
        "--note",
        "nhầm số liệu",
        *A,
    )
    other = recorded(root, "N1.2", "--date", "2024-06-02", "--progress", "10", *A)
    before = (plan / "journal" / "2024.jsonl").read_bytes()

    fix = update(
        root, "N1.1", "--corrects", wrong, "--status", "in_progress", "--progress", "30", "--actual", "so-lop=3", *A
    )
    assert fix.exit_code == 0, fix.output
    fixed = fix.stdout.strip()

    after = (plan / "journal" / "2024.jsonl").read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    lines = journal_lines(plan, "2024")
    assert [r["id"] for r in lines] == [wrong, other, fixed]
    assert lines[0]["progress"] == 40  # the old line is still there, as it was
    assert (lines[2]["corrects"], lines[2]["date"]) == (wrong, "2024-06-01"), "a correction keeps the corrected day"
    assert lines[2]["by"] == "so-a"

    ws = load_workspace(root).workspace
    assert sorted(u.id for u in ws.updates()) == sorted([wrong, other, fixed])
    assert [u.id for u in effective_updates(ws.updates())] == [fixed, other]
    state = {s.task.id: s for s in task_states(ws, dt.date(2024, 12, 31))}["N1.1"]
    assert (state.status, state.progress, state.actual) == ("in_progress", 30, {"so-lop": 3})
    assert [u.id for u in state.updates] == [fixed]
    early = {s.task.id: s for s in task_states(ws, dt.date(2024, 5, 31))}["N1.1"]
    assert (early.status, early.progress) == ("not_started", 0)
    assert not validate_workspace(root).problems


def test_a_correction_may_name_its_own_day(make_workspace):
    root = make_workspace(TWO_TASKS)
    wrong = recorded(root, "N1.1", "--date", "2024-06-01", "--progress", "40", *A)
    fixed = recorded(root, "N1.1", "--corrects", wrong, "--date", "2024-05-01", "--progress", "35", *A)
    assert [(r["id"], r["date"]) for r in journal_lines(root / "p1", "2024")] == [
        (wrong, "2024-06-01"),
        (fixed, "2024-05-01"),
    ]


# --- 7. --commit ----------------------------------------------------------------------------------------


def test_commit_commits_just_the_update_and_leaves_other_work_alone(tmp_path, shipped_copy):
    repo = git_repo(tmp_path)
    journal = f"plan/{PLAN_DIR}/journal"
    with open(shipped_copy / "owners.yaml", "a", encoding="utf-8") as handle:
        handle.write("# đang sửa, chưa xong\n")  # modified, not staged
    plan_yaml = shipped_copy / PLAN_DIR / "plan.yaml"
    plan_yaml.write_bytes(plan_yaml.read_bytes() + b"# staged\n")
    (repo / "notes.txt").write_text("ghi chú\n", encoding="utf-8")
    git(repo, "add", "notes.txt", f"plan/{PLAN_DIR}/plan.yaml")  # staged, new and modified
    others = sorted(git(repo, "status", "--porcelain").splitlines())
    assert others == sorted(["A  notes.txt", f"M  plan/{PLAN_DIR}/plan.yaml", " M plan/owners.yaml"])

    result = update(shipped_copy, "N1.1", "--status", "đang triển khai", "--progress", "40", "--commit", *A)
    assert result.exit_code == 0, result.output
    first = result.stdout.strip()
    assert result.stdout == first + "\n"
    assert git(repo, "log", "-1", "--format=%s").startswith("chore(status): N1.1 ")
    assert first in git(repo, "log", "-1", "--format=%s")
    assert sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == [
        f"{journal}/.gitattributes",
        f"{journal}/2025.jsonl",
    ]
    assert sorted(git(repo, "status", "--porcelain").splitlines()) == others
    assert git(repo, "show", f"HEAD:{journal}/2025.jsonl").count("\n") == 1

    fix = update(shipped_copy, "N1.1", "--corrects", first, "--progress", "35", "--commit", *A)
    assert fix.exit_code == 0, fix.output
    subject = git(repo, "log", "-1", "--format=%s")
    assert subject.startswith("fix(status): N1.1 ") and first in subject and fix.stdout.strip() in subject
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [f"{journal}/2025.jsonl"]
    assert git(repo, "diff", "HEAD~1", "HEAD", "--numstat").split() == ["1", "0", f"{journal}/2025.jsonl"]
    assert sorted(git(repo, "status", "--porcelain").splitlines()) == others
    assert git(repo, "rev-list", "--count", "HEAD") == "3\n"


def test_commit_does_not_take_earlier_uncommitted_updates_along(tmp_path, shipped_copy):
    repo = git_repo(tmp_path)
    earlier = recorded(shipped_copy, "N1.2", "--note", "chưa commit", *A)
    this = recorded(shipped_copy, "N1.1", "--progress", "40", "--commit", *A)
    committed = git(repo, "show", f"HEAD:plan/{PLAN_DIR}/journal/2025.jsonl")
    assert this in committed
    assert earlier not in committed


def test_commit_outside_a_git_repository_is_an_error_and_writes_nothing(make_workspace):
    root = make_workspace(TWO_TASKS)
    before = snapshot(root)
    result = update(root, "N1.1", "--progress", "40", "--commit", *A)
    assert result.exit_code != 0 and result.stdout == ""
    assert "--commit needs a git repository" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(root) == before and not (root / "p1" / "journal").exists()


# --- 8. defaults ------------------------------------------------------------------------------------------

SHIPPED_END = dt.date(2025, 12, 31)
DEFAULT_DAY = min(TODAY, SHIPPED_END)  # today, or the plan's last day once it has ended


@pytest.mark.parametrize(
    ("date", "day", "by"),
    [
        ("2025-02-28", "2025-02-28", "so-ldtbxh"),  # the lead's last day
        ("2025-03-01", "2025-03-01", "so-noi-vu"),  # its successor's first
        (None, DEFAULT_DAY.isoformat(), "so-ldtbxh" if dt.date(2025, 2, 28) >= DEFAULT_DAY else "so-noi-vu"),
    ],
)
def test_by_and_date_default_to_the_lead_on_that_day(shipped_copy, date, day, by):
    args = ["N1.1", "--progress", "10", *A] + (["--date", date] if date else [])
    recorded(shipped_copy, *args)
    [line] = journal_lines(shipped_copy / PLAN_DIR, day[:4])
    assert (line["date"], line["by"]) == (day, by)


def test_by_given_is_kept(shipped_copy):
    recorded(shipped_copy, "N1.1", "--date", "2024-05-05", "--progress", "10", "--by", "so-noi-vu", *A)
    assert journal_lines(shipped_copy / PLAN_DIR, "2024")[0]["by"] == "so-noi-vu"


@pytest.mark.parametrize(
    ("name", "email", "author"),
    [
        ("Nguyễn Thị Bình", "binh@example.vn", "Nguyễn Thị Bình <binh@example.vn>"),
        ("Nguyễn Thị Bình", None, "Nguyễn Thị Bình"),
    ],
)
def test_author_defaults_to_git_config(tmp_path, shipped_copy, name, email, author):
    repo = git_repo(tmp_path)
    git(repo, "config", "user.name", name)
    if email:
        git(repo, "config", "user.email", email)
    recorded(shipped_copy, "N1.1", "--progress", "10")
    assert journal_lines(shipped_copy / PLAN_DIR, DEFAULT_DAY.isoformat()[:4])[0]["author"] == author


@pytest.mark.parametrize(
    ("option", "word", "stored"),
    [
        ("--status", "đang triển khai", "in_progress"),
        ("--status", "Đã hoàn thành", "completed"),
        ("--status", unicodedata.normalize("NFD", "Đã hoàn thành"), "completed"),
        ("--status", "ĐANG  TRIỂN KHAI", "in_progress"),
        ("--status", "chưa triển khai", "not_started"),
        ("--status", "in-progress", "in_progress"),
        ("--health", "có rủi ro", "amber"),
    ],
)
def test_status_and_health_words_in_vietnamese(make_workspace, option, word, stored):
    root = make_workspace(TWO_TASKS)
    recorded(root, "N1.1", option, word, "--date", "2024-03-03", *A)
    assert journal_lines(root / "p1", "2024")[0][option[2:]] == stored


def test_prints_only_the_id_and_writes_one_json_line_in_field_order(make_workspace):
    root = make_workspace(TWO_TASKS)
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    result = update(
        root,
        "N1.1",
        "--status",
        "đang triển khai",
        "--progress",
        "12.5",
        "--actual",
        "so-lop = 3",
        "--health",
        "green",
        "--note",
        unicodedata.normalize("NFD", "Đã tổ chức 3 lớp"),
        "--evidence",
        "Báo cáo 5/BC-SA",
        "--date",
        "2024-12-10",
        "--by",
        "so-b",
        *A,
    )
    assert result.exit_code == 0, result.output
    update_id = result.stdout.strip()
    assert result.stdout == update_id + "\n"
    assert re.fullmatch(rf"{TODAY:%Y%m%d}-[0-9a-f]{{8}}", update_id)
    assert update_id in result.stderr  # the human sentence goes to stderr

    raw = (root / "p1" / "journal" / "2024.jsonl").read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == 1
    line = json.loads(raw)
    assert list(line) == [k for k in FIELD_ORDER if k in line]
    assert line == {
        "id": update_id,
        "task": "N1.1",
        "date": "2024-12-10",
        "status": "in_progress",
        "progress": 12.5,
        "health": "green",
        "actual": {"so-lop": 3},
        "note": "Đã tổ chức 3 lớp",
        "evidence": "Báo cáo 5/BC-SA",
        "by": "so-b",
        "author": "Kiểm Thử <kt@example.vn>",
        "recorded": line["recorded"],
    }
    assert raw.decode("utf-8").count("Đã tổ chức") == 1  # NFC, and not \u-escaped
    stamp = dt.datetime.strptime(line["recorded"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    assert before <= stamp <= dt.datetime.now(dt.timezone.utc)
    assert type(line["actual"]["so-lop"]) is int
    # valid; so-b has no part in N1.1, which validate says as a warning (update-owner)
    assert [(p.rule, p.severity) for p in validate_workspace(root).problems] == [("update-owner", "warning")]


def test_figures_typed_the_vietnamese_way_are_read_as_meant(make_workspace):
    root = make_workspace(TWO_TASKS)
    recorded(root, "N1.1", "--progress", "12,5", "--actual", "so-lop=1.234.567", "--date", "2024-01-02", *A)
    recorded(root, "N1.1", "--actual", "so-lop=2.100,5", "--date", "2024-01-03", *A)
    lines = journal_lines(root / "p1", "2024")
    assert [(line.get("progress"), line["actual"]) for line in lines] == [
        (12.5, {"so-lop": 1234567}),
        (None, {"so-lop": 2100.5}),
    ]


def test_whole_number_progress_is_written_as_an_integer(make_workspace):
    root = make_workspace(TWO_TASKS)
    recorded(root, "N1.1", "--progress", "40.0", "--date", "2024-01-02", *A)
    assert b'"progress": 40,' in (root / "p1" / "journal" / "2024.jsonl").read_bytes()


def test_an_update_recorded_early_in_the_morning_in_viet_nam_is_valid(make_workspace):
    root = make_workspace(OPEN)
    hanoi = dt.timezone(dt.timedelta(hours=7))
    now = dt.datetime(2024, 6, 2, 6, 0, tzinfo=hanoi)  # 06:00 on 2 June in Hà Nội is 23:00 on 1 June UTC
    found = find_task(root, "N1.1")
    record = build_record(
        UpdateRequest(task="N1.1", progress="40"),
        found,
        today=now.date(),
        now=now,
        update_id="20240602-0000abcd",
        default_author="A",
    )
    assert (record["date"], record["recorded"]) == ("2024-06-02", "2024-06-01T23:00:00Z")
    assert found.plan is not None
    write_update(found.plan.folder, record)
    assert [p.msg.key for p in validate_workspace(root).problems if p.severity == "error"] == []


# --- 9. the recorder and validate agree on what a valid update is ---------------------------------


def test_the_recorder_writes_nothing_the_schema_refuses(make_workspace):
    """Whatever the options and the author git config gives, build_record either refuses
    (UsageError: exit 2, one line) or returns a record schema.UPDATE accepts.  It once
    checked text options by hand and took git's author unchecked: a blank or 20,000-character
    author was written, and validate then refused the journal."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from aseanctl import schema
    from aseanctl.errors import UsageError

    root = make_workspace(OPEN)
    found = find_task(root, "N1.1")
    now = dt.datetime(2024, 6, 2, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    odd = st.sampled_from(["", " ", "\t\n", "a\x07b", "Đã xong", unicodedata.normalize("NFD", "Đã xong"), "x" * 10_001])
    texts = st.none() | odd | st.text(max_size=12)
    numbers = st.sampled_from(["40", "100.0", "-1", "101", "nan", "inf", "1e16", "40%"]) | st.text(max_size=5)

    @given(
        note=texts,
        evidence=texts,
        author=texts,
        default_author=texts,
        progress=st.just("40") | numbers,
        actual=st.lists(numbers.map(lambda n: f"so-lop={n}"), max_size=1),
    )
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def check(
        note: str | None,
        evidence: str | None,
        author: str | None,
        default_author: str | None,
        progress: str,
        actual: list[str],
    ) -> None:
        request = UpdateRequest(
            task="N1.1", note=note, evidence=evidence, author=author, progress=progress, actual=tuple(actual)
        )
        try:
            record = build_record(
                request, found, today=now.date(), now=now, update_id="20240602-0000abcd", default_author=default_author
            )
        except UsageError:
            return
        assert schema.check_value(schema.UPDATE, record)[1] == [], record

    check()


# --- 7b. --commit is all or nothing and leaves the tree clean -------------------------------------------


def test_twenty_concurrent_commits_lose_nothing_and_leave_git_status_empty(tmp_path, shipped_copy):
    """Twenty ``update --commit`` at once used to leave the working tree's journal in another
    order than the commit's, so git status showed it modified."""
    repo = git_repo(tmp_path)
    tasks = ["N1.1", "N1.2", "N2.1", "N2.2"]
    commands = [
        ["update", tasks[i % 4], "--plan", str(shipped_copy), "--progress", str(i), "--commit", *A] for i in range(20)
    ]
    # the signals outside the repository: git status must see nothing but the journal
    procs = start_together(tmp_path.parent / f"{tmp_path.name}-signals", commands)
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 20, [err.decode() for _, err in outputs]
    assert git(repo, "status", "--porcelain") == ""
    committed = git(repo, "show", f"HEAD:plan/{PLAN_DIR}/journal/2025.jsonl")
    assert sorted(json.loads(line)["progress"] for line in committed.splitlines()) == list(range(20))
    assert git(repo, "rev-list", "--count", "HEAD") == "21\n"


@pytest.mark.parametrize("cause", ["hook", "identity"])
def test_a_commit_that_fails_leaves_no_journal_line_and_one_line_of_message(tmp_path, shipped_copy, monkeypatch, cause):
    """A pre-commit hook that refuses, or no git identity: the line was written (and said so),
    then the command failed; now the line is taken back out and one line says why."""
    repo = git_repo(tmp_path)
    recorded(shipped_copy, "N1.1", "--progress", "10", "--commit", *A)
    journal_file = shipped_copy / PLAN_DIR / "journal" / "2025.jsonl"
    before, head = journal_file.read_bytes(), git(repo, "rev-parse", "HEAD")
    if cause == "hook":
        hook = repo / ".git" / "hooks" / "pre-commit"
        hook.write_text("#!/bin/sh\necho 'kiểm tra thất bại' >&2\nexit 1\n", encoding="utf-8")
        hook.chmod(0o755)
    else:
        for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
            monkeypatch.delenv(name)
        monkeypatch.setenv("EMAIL", "")
        monkeypatch.setenv("HOME", str(tmp_path / "no-home"))
    result = update(shipped_copy, "N1.2", "--progress", "20", "--commit", *A)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    message = result.stderr.strip().splitlines()
    assert len(message) == 1 and message[0].startswith("aseanctl: git could not commit (git commit"), message
    assert message[0].endswith("the update was not recorded")
    assert journal_file.read_bytes() == before
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain") == ""
