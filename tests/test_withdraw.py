"""Withdrawals withdraw (issue 11): `aseanctl update TASK --withdraws ID --reason TEXT` adds a
line that takes an update back; `journal-withdrawal` reports bad withdrawals written by hand
or merged from two branches; `update-owner` reports updates by an owner with no part in the
task or that no longer existed; `log` and `show` say what was withdrawn and why."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import GIT_ENV, SMALL
from planbuilder import Owner, Task, TaskFile, Update
from typer.testing import CliRunner

from aseanctl.cli import app
from aseanctl.journal import FIELD_ORDER
from aseanctl.loader import load_workspace
from aseanctl.progress import task_states
from aseanctl.validation import validate_workspace

runner = CliRunner()
A = ("--author", "Kiểm Thử <kt@example.vn>")
TWO_TASKS = dataclasses.replace(
    SMALL,
    task_files=(
        TaskFile(
            "N1",
            (
                Task("N1.1", "Nhiệm vụ một", lead="so-a", recurring="yearly"),
                Task("N1.2", "Nhiệm vụ hai", lead="so-b", recurring="yearly"),
            ),
        ),
    ),
)


pytestmark = pytest.mark.usefixtures("isolated")  # conftest: no git config, plan or language from outside


def invoke(*args: str):
    return runner.invoke(app, [*args, "--lang", "en"], catch_exceptions=False)


def update(root: Path, *args: str):
    return invoke("update", *args, "--plan", str(root))


def recorded(root: Path, *args: str) -> str:
    result = update(root, *args)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def journal_lines(root: Path, year: str = "2024") -> list[dict]:
    raw = (root / "p1" / "journal" / f"{year}.jsonl").read_bytes()
    return [json.loads(data) for data in raw.split(b"\n")[:-1]]


def snapshot(root: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(root)): p.read_bytes() if p.is_file() else None for p in sorted(root.rglob("*"))}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def state_of(root: Path, task: str, day: str = "2024-12-31"):
    ws = load_workspace(root).workspace
    return {s.task.id: s for s in task_states(ws, dt.date.fromisoformat(day))}[task]


# --- update --withdraws ---------------------------------------------------------------------------


def test_withdrawing_a_mistaken_90_then_recording_40_is_no_step_backwards(make_workspace):
    """The issue's case: 90 % recorded by mistake, withdrawn, then the true 40 %: validate
    --strict passes, and the task stands at 40 %."""
    root = make_workspace(TWO_TASKS)
    recorded(root, "N1.1", "--date", "2024-03-01", "--status", "in_progress", "--progress", "30", *A)
    wrong = recorded(root, "N1.1", "--date", "2024-05-01", "--progress", "90", *A)
    before = (root / "p1" / "journal" / "2024.jsonl").read_bytes()

    back = recorded(root, "N1.1", "--withdraws", wrong, "--reason", "ghi nhầm: 90% là của N1.2", *A)

    after = (root / "p1" / "journal" / "2024.jsonl").read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1  # only a line added
    line = journal_lines(root)[-1]
    assert list(line) == [f for f in FIELD_ORDER if f in line]
    assert list(line) == ["id", "task", "date", "by", "author", "recorded", "withdraws", "reason"]
    assert (line["id"], line["task"], line["withdraws"], line["reason"]) == (
        back,
        "N1.1",
        wrong,
        "ghi nhầm: 90% là của N1.2",
    )
    assert (line["date"], line["by"]) == ("2024-05-01", "so-a")  # the withdrawn update's day, the lead's name
    assert (state_of(root, "N1.1").progress, state_of(root, "N1.1").status) == (30, "in_progress")

    recorded(root, "N1.1", "--date", "2024-06-01", "--progress", "40", *A)
    assert state_of(root, "N1.1").progress == 40
    result = invoke("validate", "--plan", str(root), "--strict")
    assert result.exit_code == 0, result.output
    assert validate_workspace(root).problems == ()


def test_without_the_withdrawal_the_same_journal_is_a_step_backwards(make_workspace):
    """The counterpart of the test above: the warning the withdrawal avoids is real."""
    root = make_workspace(TWO_TASKS)
    recorded(root, "N1.1", "--date", "2024-05-01", "--progress", "90", *A)
    recorded(root, "N1.1", "--date", "2024-06-01", "--progress", "40", *A)
    assert invoke("validate", "--plan", str(root), "--strict").exit_code == 1


def test_withdrawing_a_correction_restores_the_corrected_update(make_workspace):
    root = make_workspace(TWO_TASKS)
    first = recorded(root, "N1.1", "--date", "2024-05-01", "--status", "in_progress", "--progress", "60", *A)
    fix = recorded(root, "N1.1", "--corrects", first, "--progress", "20", *A)
    assert state_of(root, "N1.1").progress == 20

    recorded(root, "N1.1", "--withdraws", fix, "--reason", "the correction was wrong", *A)

    state = state_of(root, "N1.1")
    assert (state.status, state.progress, [u.id for u in state.updates]) == ("in_progress", 60, [first])
    assert validate_workspace(root).problems == ()
    # the correction is gone; the corrected update can be corrected afresh
    assert "already corrected" in update(root, "N1.1", "--corrects", first, "--progress", "50", *A).stderr
    # (the journal still names the first correction: corrections stay one per update)


def test_withdrawing_an_update_takes_its_corrections_with_it(make_workspace):
    root = make_workspace(TWO_TASKS)
    wrong = recorded(root, "N1.1", "--date", "2024-05-01", "--status", "completed", *A)
    recorded(root, "N1.1", "--corrects", wrong, "--progress", "80", *A)
    recorded(root, "N1.1", "--withdraws", wrong, "--reason", "wrong task", "--date", "2024-07-01", *A)
    state = state_of(root, "N1.1")
    assert (state.status, state.progress, state.updates) == ("not_started", 0, ())
    assert journal_lines(root)[-1]["date"] == "2024-07-01"  # --date is kept
    assert validate_workspace(root).problems == ()


# (name, arguments, what the message says); {W} is an update of N1.1, {V} one of N1.2, {B} a
# withdrawal of {X} (an update of N1.1), {C} a correction of {W}
REFUSALS = [
    ("unknown", ["N1.1", "--withdraws", "20240101-deadbeef", "--reason", "r"], "no update '20240101-deadbeef'"),
    ("other-task", ["N1.1", "--withdraws", "{V}", "--reason", "r"], "update '{V}' is about task 'N1.2', not 'N1.1'"),
    ("twice", ["N1.1", "--withdraws", "{X}", "--reason", "r"], "update '{X}' is already withdrawn by '{B}'"),
    ("a-withdrawal", ["N1.1", "--withdraws", "{B}", "--reason", "r"], "'{B}' is a withdrawal and cannot be withdrawn"),
    ("no-reason", ["N1.1", "--withdraws", "{W}"], "--withdraws needs --reason"),
    ("blank-reason", ["N1.1", "--withdraws", "{W}", "--reason", "  "], "--withdraws needs --reason"),
    ("control-reason", ["N1.1", "--withdraws", "{W}", "--reason", "a\x07b"], "--reason: the text is blank"),
    ("reason-alone", ["N1.1", "--progress", "5", "--reason", "r"], "--reason goes with --withdraws ID"),
    ("with-status", ["N1.1", "--withdraws", "{W}", "--reason", "r", "--status", "completed"], "leave out --status"),
    ("with-progress", ["N1.1", "--withdraws", "{W}", "--reason", "r", "-p", "5"], "leave out --progress"),
    ("with-actual", ["N1.1", "--withdraws", "{W}", "--reason", "r", "-a", "x=1"], "leave out --actual"),
    ("with-health", ["N1.1", "--withdraws", "{W}", "--reason", "r", "--health", "red"], "leave out --health"),
    ("with-note", ["N1.1", "--withdraws", "{W}", "--reason", "r", "-m", "n"], "leave out --note"),
    ("with-evidence", ["N1.1", "--withdraws", "{W}", "--reason", "r", "-e", "n"], "leave out --evidence"),
    (
        "with-corrects",
        ["N1.1", "--withdraws", "{W}", "--reason", "r", "--corrects", "{C}", "-m", "n"],
        "leave out --note, --corrects",
    ),
    ("correct-a-withdrawal", ["N1.1", "--corrects", "{B}", "-p", "5"], "'{B}' is a withdrawal and cannot be corrected"),
    ("unknown-by", ["N1.1", "--withdraws", "{W}", "--reason", "r", "--by", "so-z"], "so-z"),
    ("future", ["N1.1", "--withdraws", "{W}", "--reason", "r", "--date", "2099-01-01"], "is outside the plan period"),
]


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("withdrawals") / "ws"
    TWO_TASKS.write(root)
    with pytest.MonkeyPatch.context() as env:
        for name, value in GIT_ENV.items():
            env.setenv(name, value)
        ids = {
            "W": recorded(root, "N1.1", "--date", "2024-01-10", "--progress", "10", *A),
            "V": recorded(root, "N1.2", "--date", "2024-02-01", "--note", "việc khác", *A),
            "X": recorded(root, "N1.1", "--date", "2024-03-01", "--progress", "20", *A),
        }
        ids["B"] = recorded(root, "N1.1", "--withdraws", ids["X"], "--reason", "nhầm", *A)
        ids["C"] = recorded(root, "N1.1", "--corrects", ids["W"], "--progress", "15", *A)
    return root, ids


@pytest.mark.parametrize(("args", "message"), [pytest.param(a, m, id=n) for n, a, m in REFUSALS])
def test_a_refused_withdrawal_is_exit_2_with_one_line_and_writes_nothing(history, tmp_path, args, message):
    root = tmp_path / "ws"
    shutil.copytree(history[0], root)
    ids = history[1]
    before = snapshot(root)

    result = update(root, *(a.format(**ids) for a in args), *A)

    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("aseanctl: ") and result.stderr.count("\n") == 1, result.stderr
    assert message.format(**ids) in result.stderr
    assert snapshot(root) == before


def test_the_fixture_journal_is_valid(history):
    assert validate_workspace(history[0]).problems == ()


def test_commit_commits_the_withdrawal_alone_as_a_revert(tmp_path, make_workspace):
    root = make_workspace(TWO_TASKS)
    repo = root
    git(repo, "init", "-q", "-b", "main")
    wrong = recorded(root, "N1.1", "--date", "2024-05-01", "--progress", "90", *A)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the plan")
    (root / "notes.txt").write_text("chưa commit\n", encoding="utf-8")

    result = update(root, "N1.1", "--withdraws", wrong, "--reason", "nhầm nhiệm vụ", "--commit", *A)

    assert result.exit_code == 0, result.output
    back = result.stdout.strip()
    assert git(repo, "log", "-1", "--format=%s").strip() == f"revert(status): N1.1 [{back}] (withdraws {wrong})"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["p1/journal/2024.jsonl"]
    assert git(repo, "diff", "HEAD~1", "HEAD", "--numstat").split() == ["1", "0", "p1/journal/2024.jsonl"]
    assert git(repo, "status", "--porcelain").splitlines() == ["?? notes.txt"]


# --- journal-withdrawal ---------------------------------------------------------------------------


def _line(id: str, day: str, task: str = "N1.1", **fields) -> Update:
    return Update(id, task, day, "so-a", "A", f"{day}T08:00:00Z", **fields)


def test_bad_withdrawals_written_by_hand_are_errors_at_their_lines(make_workspace):
    journal = (
        _line("u1", "2024-03-01", progress=30),  # 1
        _line("u2", "2024-03-02", task="N1.2", progress=10),  # 2
        _line("w1", "2024-04-01", withdraws="nope", reason="r"),  # 3 unknown
        _line("w2", "2024-04-02", withdraws="u2", reason="r"),  # 4 another task's
        _line("w3", "2024-04-03", withdraws="u1", reason="r"),  # 5 fine
        _line("w4", "2024-04-04", withdraws="u1", reason="r"),  # 6 twice (two branches merged)
        _line("w5", "2024-04-05", withdraws="w3", reason="r"),  # 7 a withdrawal's withdrawal
        _line("w6", "2024-04-06", withdraws="u1"),  # 8 no reason, and withdrawn again
        _line("w7", "2024-04-07", withdraws="w7", reason="r"),  # 9 itself
        _line("w8", "2024-04-08", withdraws="nope", reason="r", progress=50),  # 10 says more
        _line("c1", "2024-04-09", corrects="w3", progress=5),  # 11 a correction of a withdrawal
    )
    root = make_workspace(dataclasses.replace(TWO_TASKS, journal=journal))
    found = [
        (p.line, p.msg.key, p.severity)
        for p in validate_workspace(root).problems
        if p.rule == "journal-withdrawal" and p.file is not None and p.file.name == "2024.jsonl"
    ]
    assert found == [
        (3, "journal.withdraws_unknown", "error"),
        (4, "journal.corrects_other_task", "error"),
        (6, "journal.withdrawn_twice", "error"),
        (7, "journal.withdraws_withdrawal", "error"),
        (8, "journal.withdrawal_no_reason", "error"),
        (8, "journal.withdrawn_twice", "error"),
        (9, "journal.withdraws_self", "error"),
        (10, "journal.withdrawal_says_more", "error"),
        (10, "journal.withdraws_unknown", "error"),
        (11, "journal.corrects_withdrawal", "error"),
    ]
    result = invoke("validate", "--plan", str(root))
    assert result.exit_code == 1
    assert "2024.jsonl:6: error [journal-withdrawal] update 'u1' is already withdrawn by 'w3'" in result.stdout
    assert "2024.jsonl:8: error [journal-withdrawal] the withdrawal of 'u1' gives no reason" in result.stdout


def test_two_branches_withdrawing_the_same_update_merge_into_an_error(make_workspace):
    """Each branch's `update --withdraws` is valid; git's union merge keeps both lines."""
    root = make_workspace(TWO_TASKS)
    git(root, "init", "-q", "-b", "main")
    wrong = recorded(root, "N1.1", "--date", "2024-05-01", "--progress", "90", *A)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the plan")
    git(root, "checkout", "-q", "-b", "other")
    first = recorded(root, "N1.1", "--withdraws", wrong, "--reason", "bên kia", "--commit", *A)
    git(root, "checkout", "-q", "main")
    second = recorded(root, "N1.1", "--withdraws", wrong, "--reason", "bên này", "--commit", *A)
    git(root, "merge", "-q", "--no-edit", "other")

    problems = [p for p in validate_workspace(root).problems if p.rule == "journal-withdrawal"]
    assert [p.msg.key for p in problems] == ["journal.withdrawn_twice"]
    assert problems[0].msg.args["id"] == wrong
    assert problems[0].msg.args["first"] in (first, second)


# --- update-owner -----------------------------------------------------------------------------------

OWNED = dataclasses.replace(
    SMALL,
    owners=(
        Owner("so-a", "Sở A"),
        Owner("so-b", "Sở B", active_until="2024-06-30", successor="so-c"),
        Owner("so-c", "Sở C"),
        Owner("so-d", "Sở D"),
        Owner("so-e", "Sở E"),
    ),
    task_files=(
        TaskFile(
            "N1",
            (
                Task("N1.1", "Nhiệm vụ một", lead="so-b", recurring="yearly"),
                Task("N1.2", "Nhiệm vụ hai", lead="so-e", support=("so-c",), recurring="yearly"),
            ),
        ),
    ),
)


def _by(id: str, day: str, task: str, by: str) -> Update:
    return Update(id, task, day, by, "A", f"{day}T08:00:00Z", progress=10)


def test_an_update_by_an_owner_with_no_part_or_ended_is_a_warning(make_workspace):
    journal = (
        _by("u1", "2024-03-01", "N1.1", "so-b"),  # 1 the lead
        _by("u2", "2024-08-01", "N1.1", "so-c"),  # 2 the lead's successor
        _by("u3", "2024-08-01", "N1.1", "so-b"),  # 3 the lead, after it ended
        _by("u4", "2024-08-02", "N1.1", "so-d"),  # 4 no part
        _by("u5", "2024-08-03", "N1.1", "so-a"),  # 5 the plan's lead
        _by("u6", "2024-03-01", "N1.2", "so-b"),  # 6 the supporter's predecessor, before it ended
        _by("u7", "2024-08-04", "N1.2", "so-d"),  # 7 no part
        _by("u8", "2024-08-05", "N1.2", "so-c"),  # 8 a supporter
    )
    root = make_workspace(dataclasses.replace(OWNED, journal=journal))
    found = [(p.line, p.msg.key, p.severity) for p in validate_workspace(root).problems if p.rule == "update-owner"]
    assert found == [
        (3, "journal.by_ended", "warning"),
        (4, "journal.by_no_part", "warning"),
        (7, "journal.by_no_part", "warning"),
    ]
    result = invoke("validate", "--plan", str(root))
    assert result.exit_code == 0, result.output  # warnings only
    assert "2024.jsonl:3: warning [update-owner] 'so-b' ended on 2024-06-30, before the update's date" in (
        result.stdout
    )
    assert "2024.jsonl:4: warning [update-owner] 'so-d' neither leads nor supports task 'N1.1'" in result.stdout
    assert invoke("validate", "--plan", str(root), "--strict").exit_code == 1


def test_update_owner_is_quiet_about_unknown_owners_and_tasks(make_workspace):
    journal = (_by("u1", "2024-03-01", "N1.1", "so-zz"), _by("u2", "2024-03-01", "N9.9", "so-d"))
    root = make_workspace(dataclasses.replace(OWNED, journal=journal))
    rules = sorted(p.rule for p in validate_workspace(root).problems)
    assert rules == ["unknown-owner", "unknown-task"]


def test_the_default_by_never_draws_the_warning(make_workspace):
    """`update` without --by names the lead on that day: before and after the hand-over."""
    root = make_workspace(OWNED)
    recorded(root, "N1.1", "--date", "2024-03-01", "--progress", "10", *A)
    recorded(root, "N1.1", "--date", "2024-08-01", "--progress", "20", *A)
    assert [r["by"] for r in journal_lines(root)] == ["so-b", "so-c"]
    assert validate_workspace(root).problems == ()


# --- log and show -----------------------------------------------------------------------------------


@pytest.fixture
def withdrawn(make_workspace) -> tuple[Path, str, str]:
    root = make_workspace(TWO_TASKS)
    recorded(root, "N1.1", "--date", "2024-03-01", "--progress", "30", *A)
    wrong = recorded(root, "N1.1", "--date", "2024-05-01", "--progress", "90", *A)
    back = recorded(root, "N1.1", "--withdraws", wrong, "--reason", "số của N1.2", *A)
    return root, wrong, back


def test_log_json_and_csv_say_what_was_withdrawn_and_why(withdrawn):
    root, wrong, back = withdrawn
    document = json.loads(invoke("log", "--plan", str(root), "--until", "2024-12-31", "-f", "json").stdout)
    by_id = {u["id"]: u for u in document["updates"]}
    assert (by_id[back]["withdraws"], by_id[back]["reason"], by_id[back]["withdrawn"]) == (wrong, "số của N1.2", False)
    assert (by_id[wrong]["withdrawn"], by_id[wrong]["withdrawn_by"], by_id[wrong]["withdrawn_reason"]) == (
        True,
        back,
        "số của N1.2",
    )
    assert (by_id[wrong]["withdraws"], by_id[wrong]["reason"]) == (None, None)

    text = invoke("log", "--plan", str(root), "--until", "2024-12-31", "-f", "csv").stdout
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))}
    assert (rows[back]["withdraws"], rows[back]["reason"]) == (wrong, "số của N1.2")
    assert (rows[wrong]["withdrawn"], rows[wrong]["withdrawn_by"]) == ("true", back)


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", ["withdraws {wrong}: số của N1.2", "withdrawn by {back}: số của N1.2"]), ("vi", ["rút lại {wrong}"])],
)
def test_log_and_show_tables_say_it(withdrawn, lang, said):
    root, wrong, back = withdrawn
    for command in (["log", "--until", "2024-12-31"], ["show", "N1.1", "--as-of", "2024-12-31"]):
        result = runner.invoke(app, [*command, "--plan", str(root), "--lang", lang], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        flat = " ".join(result.stdout.split())  # the details column wraps
        for text in said:
            assert text.format(wrong=wrong, back=back) in flat, (command, result.stdout)


def test_show_json_lists_the_withdrawn_update_as_withdrawn(withdrawn):
    root, wrong, back = withdrawn
    document = json.loads(invoke("show", "N1.1", "--plan", str(root), "--as-of", "2024-12-31", "-f", "json").stdout)
    marks = [(u["id"], u["withdrawn"], u["withdrawn_reason"], u["withdraws"]) for u in document["updates"]]
    assert marks[1:] == [(wrong, True, "số của N1.2", None), (back, False, None, wrong)]
    assert document["task"]["progress"] == 30


# --- hostile journals: chains and cycles of corrections -------------------------------------------


def test_a_chain_of_1500_corrections_is_folded_without_recursion(make_workspace):
    """A merged or hand-written journal may correct a correction of a correction … thousands
    deep.  Folding it used to recurse once per link: past Python's limit every command that
    reads state (validate, status, show, report, collect status) ended in 'internal error:
    RecursionError'; and show's account of each correction walked the chain again (quadratic)."""
    links = 1500  # past Python's default recursion limit of 1000
    journal = (
        _line("c0", "2024-03-01", progress=1),
        *(_line(f"c{i}", "2024-03-01", corrects=f"c{i - 1}", progress=i % 100) for i in range(1, links)),
    )
    root = make_workspace(dataclasses.replace(TWO_TASKS, journal=journal))
    assert state_of(root, "N1.1").progress == (links - 1) % 100
    for command in (("validate",), ("status", "--format", "json")):
        result = invoke(*command, "--plan", str(root))
        assert result.exit_code in (0, 1), (command, result.output)
    shown = invoke("show", "N1.1", "--format", "json", "--plan", str(root))
    assert shown.exit_code == 0, shown.output
    assert f'"c{links - 1}"' in shown.stdout


def test_cycles_of_corrections_end(make_workspace):
    """A correction of itself, and two corrections of each other: each stands as written
    where the way comes round; no command loops or crashes."""
    journal = (
        _line("u1", "2024-03-01", progress=10),
        _line("s1", "2024-03-02", corrects="s1", progress=20),
        _line("a1", "2024-03-03", corrects="b1", progress=30),
        _line("b1", "2024-03-04", corrects="a1", note="b"),
    )
    root = make_workspace(dataclasses.replace(TWO_TASKS, journal=journal))
    assert state_of(root, "N1.1").progress in (10, 20, 30)
    for command in (("validate",), ("show", "N1.1"), ("log",), ("status",)):
        result = invoke(*command, "--plan", str(root))
        assert result.exit_code in (0, 1), (command, result.output)
