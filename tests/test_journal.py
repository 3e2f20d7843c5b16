"""The journal's storage guarantees, each proved with real files, real git and real processes:

- reading: every complete line is one update; anything else is a located problem (9);
- branches that append updates merge without a conflict, thanks to journal/.gitattributes (3);
- concurrent `aseanctl update` processes never lose or mix lines (4);
- a write cut short leaves the whole update or none, and never breaks the next command (5).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import pytest
from conftest import GIT_ENV, start_together
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aseanctl import journal, schema
from aseanctl.cli import app
from aseanctl.journal import FIELD_ORDER, GITATTRIBUTES, load_journal, load_journal_file, write_update
from aseanctl.loader import load_workspace
from aseanctl.progress import task_states

runner = CliRunner()
PLAN_DIR = "kh-702-2021"  # the shipped plan's folder
UPDATE_ID = r"^[0-9]{8}-[0-9a-f]{8}$"


# --- helpers -------------------------------------------------------------------------------------


def record(**fields: object) -> dict[str, object]:
    """A journal record as aseanctl writes it; keyword arguments replace or add fields."""
    base: dict[str, object] = {
        "id": "20250102-0000000a",
        "task": "N1.1",
        "date": "2025-01-02",
        "status": "in_progress",
        "progress": 40,
        "by": "so-a",
        "author": "Kiểm Thử",
        "recorded": "2025-01-02T03:04:05Z",
    }
    base.update(fields)
    return base


def line(**fields: object) -> bytes:
    return (json.dumps(record(**fields), ensure_ascii=False) + "\n").encode("utf-8")


def cli(*args: str):
    """aseanctl in this process, English messages."""
    return runner.invoke(app, [*args, "--lang", "en"])


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=False
    )
    if check:
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done


def year_file(plan_root: Path, year: str = "2025") -> Path:
    return plan_root / PLAN_DIR / "journal" / f"{year}.jsonl"


def validate_json(plan_root: Path) -> tuple[int, dict]:
    result = runner.invoke(app, ["validate", "--plan", str(plan_root), "--format", "json", "--lang", "en"])
    return result.exit_code, json.loads(result.stdout)


def complete_lines(path: Path) -> list[dict]:
    """Every line of a journal file, each required to be whole: ends in a newline and parses."""
    raw = path.read_bytes()
    assert raw.endswith(b"\n"), f"torn tail in {path}: {raw[-80:]!r}"
    return [json.loads(data) for data in raw.split(b"\n")[:-1]]


# --- 9. reading one file ---------------------------------------------------------------------------


def test_load_journal_file_locates_every_bad_line_and_keeps_the_good_ones(tmp_path):
    nfd_note = unicodedata.normalize("NFD", "Đã tổ chức 3 lớp tập huấn")
    assert nfd_note != unicodedata.normalize("NFC", nfd_note)
    dup = (
        b'{"id": "20250102-0000000d", "task": "N1.1", "date": "2025-01-02", "progress": 10, "progress": 90, '
        b'"by": "so-a", "author": "A", "recorded": "2025-01-02T03:04:05Z"}\n'
    )
    escaped = (json.dumps(record(id="20250102-0000000e", note=nfd_note), ensure_ascii=True) + "\n").encode()
    assert b"\\u" in escaped
    content = b"".join(
        [
            line(id="20250102-0000000a"),  # 1 good
            b"this is not json\n",  # 2
            dup,  # 3 a repeated key
            b'{"id": "20250102-0000000c", "note": "\xff\xfe"}\n',  # 4 not UTF-8
            b"\n",  # 5 blank
            b"   \t \n",  # 6 blank
            line(id="20250102-0000000b", note=nfd_note),  # 7 NFD, raw
            escaped,  # 8 NFD, escaped
            line(id="20250102-0000000f", mood="tốt"),  # 9 an unknown field
            line(id="20250102-00000010", progress=140),  # 10 out of range
            b"[1, 2]\n",  # 11 not an object
        ]
    )
    path = tmp_path / "2025.jsonl"
    path.write_bytes(content)

    updates, problems = load_journal_file(path)

    assert [(u.id, u.src.line) for u in updates] == [
        ("20250102-0000000a", 1),
        ("20250102-0000000b", 7),
        ("20250102-0000000e", 8),
    ]
    assert all(u.src.file == path for u in updates)
    assert updates[1].note == updates[2].note == unicodedata.normalize("NFC", nfd_note)
    assert unicodedata.is_normalized("NFC", updates[1].note)
    found = {(p.line, p.rule, p.severity) for p in problems}
    assert (2, "journal-syntax", "error") in found
    assert (3, "duplicate-key", "error") in found
    assert (4, "journal-syntax", "error") in found
    assert (9, "schema", "error") in found
    assert (10, "schema", "error") in found
    assert (11, "schema", "error") in found
    assert {p.line for p in problems} == {2, 3, 4, 9, 10, 11}, "blank lines 5 and 6 are no problem"
    by_line = {p.line: p for p in problems if p.line in (2, 3, 4)}
    assert by_line[2].msg.key == "journal.not_json"
    assert by_line[3].msg.key == "yaml.duplicate_key" and by_line[3].msg.args["key"] == "progress"
    assert by_line[4].msg.key == "journal.not_utf8"
    assert any("mood" in repr(p.msg.args) + repr(p.path) for p in problems if p.line == 9)
    assert all(p.file == path for p in problems)


def test_a_repeated_key_inside_actual_is_found_too(tmp_path):
    path = tmp_path / "2025.jsonl"
    path.write_bytes(
        b'{"id": "20250102-0000000a", "task": "N1.1", "date": "2025-01-02", '
        b'"actual": {"so-lop": 1, "so-lop": 2}, "by": "so-a", "author": "A", '
        b'"recorded": "2025-01-02T03:04:05Z"}\n'
    )
    updates, problems = load_journal_file(path)
    assert updates == []
    assert [(p.line, p.rule) for p in problems] == [(1, "duplicate-key")]


def test_what_aseanctl_writes_reads_back_the_same(tmp_path):
    rec = record(
        id="20250102-00000001",
        health="amber",
        actual={"so-lop": 3, "ti-le": 2.5},
        note="Đã tổ chức",
        evidence="Báo cáo 12/BC-SLĐTBXH",
        corrects="20250101-00000009",
    )
    path, created = write_update(tmp_path, rec)
    assert path == tmp_path / "journal" / "2025.jsonl"
    assert created == [tmp_path / "journal" / ".gitattributes", path]
    written = path.read_bytes()
    assert written.endswith(b"\n") and written.count(b"\n") == 1
    assert list(json.loads(written)) == [k for k in FIELD_ORDER if k in rec]
    (update,) = load_journal_file(path)[0]
    assert {k: getattr(update, k) for k in FIELD_ORDER if k in rec and k != "date"} == {
        k: v for k, v in rec.items() if k != "date"
    }
    assert update.date.isoformat() == rec["date"]


def test_the_year_file_follows_the_status_date_and_gitattributes_is_written_once(tmp_path):
    write_update(tmp_path, record(id="20250102-00000001", date="2023-05-01"))
    (tmp_path / "journal" / ".gitattributes").write_text("*.jsonl merge=union\n# kept\n", encoding="utf-8")
    _, created = write_update(tmp_path, record(id="20250102-00000002", date="2024-05-01"))
    assert created == [tmp_path / "journal" / "2024.jsonl"]
    assert (tmp_path / "journal" / ".gitattributes").read_text(encoding="utf-8").endswith("# kept\n")
    assert [p.name for p in journal.journal_files(tmp_path)] == ["2023.jsonl", "2024.jsonl"]
    updates, problems = load_journal(tmp_path)
    assert problems == [] and [u.id for u in updates] == ["20250102-00000001", "20250102-00000002"]
    assert "*.jsonl text eol=lf merge=union" in GITATTRIBUTES.splitlines()


# --- 5a. a torn tail: ignored with a warning, cut off by the next update ------------------------------

TORN_TAILS = {
    "ascii": b'{"id": "20251231-1234abcd", "task": "N1.1", "da',
    "mid-utf8": '{"id": "20251231-1234abcd", "task": "N1.1", "note": "Đ'.encode()[:-1],  # half of "Đ"
}


@pytest.mark.parametrize("tail", TORN_TAILS.values(), ids=TORN_TAILS.keys())
def test_torn_tail_is_a_warning_every_reader_works_and_the_next_update_cuts_it(shipped_copy, tail):
    first = cli(
        "update",
        "N1.1",
        "--plan",
        str(shipped_copy),
        "--date",
        "2025-03-01",
        "--progress",
        "20",
        "--author",
        "A <a@example.vn>",
    )
    assert first.exit_code == 0, first.output
    first_id = first.stdout.strip()
    path = year_file(shipped_copy)
    whole = path.read_bytes()
    with open(path, "ab") as handle:
        handle.write(tail)

    # the loader: one update, one warning at the torn line
    updates, problems = load_journal_file(path)
    assert [u.id for u in updates] == [first_id]
    assert [(p.severity, p.line, p.msg.key) for p in problems] == [("warning", 2, "journal.torn_tail")]
    load = load_workspace(shipped_copy)
    assert [u.id for u in load.workspace.updates()] == [first_id]
    states = {s.task.id: s for s in task_states(load.workspace, dt.date(2025, 12, 31))}
    assert states["N1.1"].progress == 20
    # validate: a warning, not an error
    code, report = validate_json(shipped_copy)
    assert code == 0, report
    assert (report["errors"], report["warnings"]) == (0, 1)
    assert report["problems"][0]["severity"] == "warning"
    assert "incomplete" in report["problems"][0]["message"]
    # a correction finds the update behind the torn tail
    fix = cli(
        "update",
        "N1.1",
        "--plan",
        str(shipped_copy),
        "--corrects",
        first_id,
        "--progress",
        "25",
        "--author",
        "A <a@example.vn>",
    )
    assert fix.exit_code == 0, fix.output

    # the update cut the tail first, then appended one whole line
    raw = path.read_bytes()
    assert raw.startswith(whole) and tail not in raw
    assert [r["id"] for r in complete_lines(path)] == [first_id, fix.stdout.strip()]
    code, report = validate_json(shipped_copy)
    assert (code, report["errors"], report["warnings"]) == (0, 0, 0), report


def test_a_file_that_is_only_a_torn_line_is_emptied_then_appended(tmp_path):
    folder = tmp_path / "journal"
    folder.mkdir()
    (folder / "2025.jsonl").write_bytes(b'{"id": "2025')
    assert load_journal(tmp_path)[0] == []
    path, _ = write_update(tmp_path, record())
    assert path.read_bytes() == line()


# --- 3. two branches merge without a conflict -----------------------------------------------------------


def _update(plan_root: Path, task: str, note: str) -> str:
    result = cli("update", task, "--plan", str(plan_root), "--note", note, "--author", "Analyst <a@example.vn>")
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def _branches_that_both_append(
    tmp_path: Path, plan_root: Path, tasks: tuple[str, str], *, gitattributes: bool
) -> tuple[Path, list[str]]:
    """main: the plan and a journal with one update; branches a and b each add two updates."""
    repo = tmp_path
    journal_dir = plan_root / PLAN_DIR / "journal"

    def commit(message: str) -> None:
        if not gitattributes:
            (journal_dir / ".gitattributes").unlink(missing_ok=True)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", message)

    git(repo, "init", "-q", "-b", "main")
    ids = [_update(plan_root, "N1.1", "trên main")]
    commit("plan and journal")
    assert ("plan/kh-702-2021/journal/.gitattributes" in git(repo, "ls-files").stdout.splitlines()) == gitattributes
    for branch, task in zip(("a", "b"), tasks, strict=True):
        git(repo, "checkout", "-q", "-b", branch, "main")
        ids += [_update(plan_root, task, f"nhánh {branch} (1)"), _update(plan_root, task, f"nhánh {branch} (2)")]
        commit(f"updates on {branch}")
    git(repo, "checkout", "-q", "a")
    return repo, ids


@pytest.mark.parametrize("tasks", [("N1.1", "N1.1"), ("N1.2", "N2.1")], ids=["same-task", "different-tasks"])
def test_updates_on_two_branches_merge_without_conflict(tmp_path, shipped_copy, tasks):
    repo, ids = _branches_that_both_append(tmp_path, shipped_copy, tasks, gitattributes=True)
    merged = git(repo, "merge", "--no-edit", "b", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "CONFLICT" not in merged.stdout
    assert git(repo, "status", "--porcelain").stdout == ""
    path = year_file(shipped_copy)
    text = path.read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text and "=======" not in text
    assert sorted(r["id"] for r in complete_lines(path)) == sorted(ids) and len(ids) == 5
    code, report = validate_json(shipped_copy)
    assert (code, report["errors"]) == (0, 0), report
    assert sorted(u.id for u in load_workspace(shipped_copy).workspace.updates()) == sorted(ids)


def test_without_the_gitattributes_the_same_merge_conflicts(tmp_path, shipped_copy):
    """The control: the same histories, but journal/.gitattributes never committed."""
    repo, _ = _branches_that_both_append(tmp_path, shipped_copy, ("N1.1", "N1.1"), gitattributes=False)
    assert not (shipped_copy / PLAN_DIR / "journal" / ".gitattributes").exists()
    merged = git(repo, "merge", "--no-edit", "b", check=False)
    assert merged.returncode != 0
    assert "CONFLICT" in merged.stdout
    assert "<<<<<<<" in year_file(shipped_copy).read_text(encoding="utf-8")
    git(repo, "merge", "--abort")


# --- 4. twenty processes at once ---------------------------------------------------------------------


def test_twenty_concurrent_updates_are_twenty_whole_lines(tmp_path, shipped_copy):
    tasks = ["N1.1", "N1.2", "N2.1", "N2.2"]
    procs = start_together(
        tmp_path / "signals",
        [
            [
                "update",
                tasks[i % len(tasks)],
                "--plan",
                str(shipped_copy),
                "--progress",
                str(i),
                "--note",
                f"tiến trình số {i:02d} " + "x" * (i * 300),  # up to 6 kB: more than one pipe buffer
                "--author",
                f"Process {i} <p{i}@example.vn>",
                "--lang",
                "en",
            ]
            for i in range(20)
        ],
    )
    outputs = [p.communicate(timeout=120) for p in procs]

    assert [p.returncode for p in procs] == [0] * 20, [err.decode() for _, err in outputs]
    printed = [out.decode() for out, _ in outputs]
    assert all(out.count("\n") == 1 for out in printed), printed
    ids = [out.strip() for out in printed]
    assert len(set(ids)) == 20 and all(re.fullmatch(UPDATE_ID, i) for i in ids), ids
    lines = complete_lines(year_file(shipped_copy))
    assert len(lines) == 20
    assert sorted(r["id"] for r in lines) == sorted(ids)
    for r in lines:  # none mixed into another: each line is exactly what one process meant to write
        i = r["progress"]
        assert r["note"] == f"tiến trình số {i:02d} " + "x" * (i * 300)
        assert (r["task"], r["author"]) == (tasks[i % len(tasks)], f"Process {i} <p{i}@example.vn>")
    assert sorted(r["progress"] for r in lines) == list(range(20))
    code, report = validate_json(shipped_copy)
    assert (code, report["errors"]) == (0, 0), report


# --- 5b. processes killed at random moments --------------------------------------------------------------


def test_killed_updates_leave_whole_lines_or_none(tmp_path, shipped_copy):
    chance = random.Random(702)
    # seconds after the start signal; two killed at once (before writing), two never killed (after)
    delays: list[float | None] = [0.0, 0.0, None, None, *(chance.uniform(0.0, 2.0) for _ in range(6))]
    chance.shuffle(delays)
    procs = start_together(
        tmp_path / "signals",
        [
            [
                "update",
                "N1.1",
                "--plan",
                str(shipped_copy),
                "--note",
                f"bị ngắt {i}",
                "--author",
                "Kill <k@example.vn>",
                "--lang",
                "en",
            ]
            for i in range(len(delays))
        ],
    )
    start = time.monotonic()
    timed = [(p, d) for p, d in zip(procs, delays, strict=True) if d is not None]
    for proc, delay in sorted(timed, key=lambda pair: pair[1]):
        time.sleep(max(0.0, start + delay - time.monotonic()))
        if proc.poll() is None:
            proc.kill()  # SIGKILL: no cleanup, no finally
    finished_ids = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        if proc.returncode == 0:
            finished_ids.append(out.decode().strip())
    assert all(proc.returncode in (0, -9) for proc in procs)
    killed = sum(proc.returncode == -9 for proc in procs)
    assert killed >= 2 and len(finished_ids) >= 2

    path = year_file(shipped_copy)
    updates, problems = load_journal_file(path)
    assert all(p.msg.key == "journal.torn_tail" and p.severity == "warning" for p in problems), problems
    raw = path.read_bytes()
    whole = raw[: raw.rfind(b"\n") + 1]
    assert len(updates) == whole.count(b"\n")  # every complete line is a valid update
    assert len({u.id for u in updates}) == len(updates)
    assert {u.note for u in updates} <= {f"bị ngắt {i}" for i in range(len(delays))}
    assert set(finished_ids) <= {u.id for u in updates}, "an id printed is an update written"
    code, report = validate_json(shipped_copy)
    assert (code, report["errors"]) == (0, 0), report

    after = cli("update", "N1.1", "--plan", str(shipped_copy), "--note", "sau khi bị ngắt", "--author", "A")
    assert after.exit_code == 0, after.output
    lines = complete_lines(path)
    assert lines[-1]["id"] == after.stdout.strip()
    assert [r["id"] for r in lines[:-1]] == [u.id for u in updates]
    code, report = validate_json(shipped_copy)
    assert (code, report["errors"], report["warnings"]) == (0, 0, 0), report
    print(f"{killed} of {len(delays)} killed; {len(finished_ids)} finished; {len(updates)} lines written")


# --- 10. what a valid line is, said once: by the schema ----------------------------------------------


def write_journal(root: Path, lines: list[dict[str, object]], year: str = "2024") -> Path:
    path = root / "p1" / "journal" / f"{year}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in lines))
    return path


def test_a_recorded_time_that_is_no_time_is_refused_by_validate(make_workspace):
    """25:99 matched the journal reader's pattern, and only the schema parsed it: validate,
    which reads through the reader, said nothing of it."""
    root = make_workspace()
    path = write_journal(
        root,
        [
            record(id="20240601-00000001", date="2024-06-01", recorded="2024-06-02T08:00:00Z"),
            record(id="20240601-00000002", date="2024-06-01", recorded="2024-06-02T25:99:00Z"),
        ],
    )
    code, report = validate_json(root)
    assert code == 1
    assert [(p["line"], p["rule"], p["severity"]) for p in report["problems"]] == [(2, "schema", "error")]
    assert "25:99" in report["problems"][0]["message"]
    assert Path(report["problems"][0]["file"]).name == path.name


def status_of(root: Path, task: str = "N1.1") -> dict[str, object]:
    result = runner.invoke(app, ["status", "--plan", str(root), "--format", "json", "--as-of", "2024-12-31"])
    assert result.exit_code == 0, result.output
    return next(t for t in json.loads(result.stdout)["tasks"] if t["id"] == task)


def test_updates_of_one_day_count_in_the_order_recorded_whatever_the_utc_offsets(make_workspace):
    """40 % recorded at 09:00 in Hà Nội (02:00 UTC), then 60 % at 05:00 UTC by someone whose
    clock says UTC: the later one counts.  As text, "…T05:00:00Z" sorts before
    "…T09:00:00+07:00", so status said 40 and validate warned that progress went down.
    (The later line comes first in the file, as a merge of two branches may leave it:
    the order of the instants decides, not the order of the lines.)"""
    root = make_workspace()
    write_journal(
        root,
        [
            record(id="20240601-00000001", date="2024-06-01", progress=60, recorded="2024-06-01T05:00:00Z"),
            record(id="20240601-00000002", date="2024-06-01", progress=40, recorded="2024-06-01T09:00:00+07:00"),
        ],
    )
    assert status_of(root)["progress"] == 60
    code, report = validate_json(root)
    assert (code, report["problems"]) == (0, [])


def test_updates_recorded_in_the_same_second_count_in_the_order_written(make_workspace):
    """Updates recorded in one second (a script, or two people at once) were ordered by the
    random part of their ids: a different winner for each set of ids.  They count in the
    order written, on every run, parsed or read from the cache."""
    rng = random.Random(9)
    for attempt in range(6):
        fresh = make_workspace()
        root = fresh.rename(fresh.parent / f"ws{attempt}")
        lines = [
            record(
                id=f"20240601-{rng.getrandbits(32):08x}",
                date="2024-06-01",
                progress=progress,
                recorded="2024-06-01T03:04:05+07:00",
            )
            for progress in (10, 20, 30, 40, 50)
        ]
        write_journal(root, lines)
        for _ in range(2):  # the second run reads the journal from the cache
            assert status_of(root)["progress"] == 50, [line["id"] for line in lines]
            code, report = validate_json(root)
            assert (code, report["problems"]) == (0, [])


# --- 11. the reader and the schema agree, on any line -------------------------------------------------

_WRONG = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats()
    | st.text(max_size=8)
    | st.lists(st.integers(), max_size=2)
    | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
)
_IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,12}", fullmatch=True)
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_ZONES = [dt.timezone.utc, dt.timezone(dt.timedelta(hours=7)), dt.timezone(dt.timedelta(hours=-5, minutes=-30))]
_VALID_TIMESTAMPS = st.builds(
    lambda moment, digits: (
        moment.isoformat(timespec="seconds")[:19]
        + (f".{moment.microsecond:06d}"[: digits + 1] if digits else "")
        + moment.isoformat()[-6:].replace("+00:00", "Z")
    ),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1), timezones=st.sampled_from(_ZONES)),
    st.integers(0, 6),
)
# every part of a timestamp in and out of its range: 25:99, 30 February, +05:99, year 0 ...
_ANY_TIMESTAMPS = st.builds(
    "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}{}".format,
    st.integers(0, 2100),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 29),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(["", ".5", ".123456", ".1234567", "."]),
    st.sampled_from(["Z", "+07:00", "-05:30", "+05:99", "+24:00", "+23:59", "-00:00", "", "z", "+0700"]),
)
_ANY_DATES = st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(0, 2100), st.integers(0, 13), st.integers(0, 32))
_ODD_TEXT = st.sampled_from(
    [
        "",
        "  \t",
        "a\x07b",
        "dòng\nmới",
        "Đã tổ chức",
        unicodedata.normalize("NFD", "Đã tổ chức"),
        "x" * 10_001,
        "a\ud800b",  # a lone surrogate: "\\ud800" in JSON
        "\udfff",
    ]
)


@st.composite
def journal_records(draw: st.DrawFn) -> object:
    """A journal line's JSON value: half the time a valid update, else one with wrong
    values, missing or extra keys, or no object at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(_WRONG)
    valid = draw(st.booleans())

    def value(good: st.SearchStrategy[object], bad: st.SearchStrategy[object]) -> object:
        return draw(good if valid or draw(st.booleans()) else bad)

    text_good = _TEXT.filter(str.strip).filter(lambda t: not any(c < " " or c == "\x7f" for c in t))
    fields: dict[str, object] = {
        "id": value(_IDS, _WRONG | _TEXT),
        "task": value(_IDS, _WRONG),
        "date": value(st.dates().map(dt.date.isoformat), _ANY_DATES | _WRONG),
        "by": value(_IDS, _WRONG),
        "author": value(text_good, _ODD_TEXT | _WRONG),
        "recorded": value(_VALID_TIMESTAMPS, _ANY_TIMESTAMPS | _WRONG),
    }
    optional = {
        "status": value(st.sampled_from(schema.STATUSES), st.sampled_from(["done", "In Progress"]) | _WRONG),
        "progress": value(st.integers(0, 100) | st.floats(0, 100), st.floats() | st.integers(-5, 105) | _WRONG),
        "health": value(st.sampled_from(schema.HEALTHS), _WRONG),
        "actual": value(
            st.dictionaries(_IDS, st.integers(-(10**15), 10**15) | st.floats(-1e15, 1e15), max_size=3),
            st.dictionaries(_IDS | _TEXT, st.floats() | _WRONG, max_size=3) | _WRONG,
        ),
        "note": value(text_good, _ODD_TEXT | _WRONG),
        "evidence": value(text_good, _ODD_TEXT | _WRONG),
        "corrects": value(_IDS, _WRONG),
    }
    fields["progress"] = optional.pop("progress")  # an update says something
    fields.update((name, v) for name, v in optional.items() if draw(st.booleans()))
    if not valid:
        for name in draw(st.sets(st.sampled_from(sorted(fields)), max_size=2)):
            del fields[name]
        fields.update(draw(st.dictionaries(st.sampled_from(["mood", "Progress", "ghi_chú", ""]), _WRONG, max_size=1)))
    return fields


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_UPDATE_FIELDS = (
    "id", "task", "by", "author", "recorded", "status", "progress", "health", "actual", "note", "evidence", "corrects"
)  # fmt: skip


def _jsonl(line: object) -> bytes:
    """A journal line as a person or a tool may write it: letters as they are, a lone surrogate
    (which UTF-8 cannot hold) as its escape."""
    text = json.dumps(line, ensure_ascii=False)
    try:
        return text.encode() + b"\n"
    except UnicodeEncodeError:
        return json.dumps(line).encode() + b"\n"


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(journal_records(), min_size=1, max_size=4))
def test_the_reader_keeps_exactly_the_lines_the_schema_accepts(lines: list[object]) -> None:
    """Differential: a file of random lines, read by the journal reader (whole-file fast path,
    line-by-line path, cache) against schema.UPDATE checking each line alone.  The reader
    keeps a line if and only if the schema accepts it, and builds from it the update the
    schema's reading describes (its day, the instant of its time of recording)."""
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "2024.jsonl"
        path.write_bytes(b"".join(_jsonl(line) for line in lines))
        accepted = {}
        for number, line in enumerate(lines, 1):
            normal = journal._nfc(line)  # the reader reads text as NFC
            clean, problems = schema.check_value(schema.UPDATE, normal)
            if not problems:
                accepted[number] = (normal, clean)
        for reading in ("parsed", "from the cache"):
            updates, problems = load_journal_file(path)
            assert [u.line for u in updates] == list(accepted), reading
            assert {p.line for p in problems} == set(range(1, len(lines) + 1)) - set(accepted), reading
            for update in updates:
                normal, clean = accepted[update.line]
                assert {name: getattr(update, name) for name in _UPDATE_FIELDS} == {
                    name: normal.get(name) for name in _UPDATE_FIELDS
                }
                assert update.date == clean["date"]
                assert update.instant == clean["recorded"] - _EPOCH


@settings(max_examples=250, deadline=None)
@given(st.lists(journal_records(), max_size=4))
def test_the_schema_column_by_column_is_the_schema_line_by_line(lines: list[object]) -> None:
    """UPDATE.accepts_all, the reader's whole-file check, says yes exactly when check_value
    finds nothing wrong with any line: never a bad line let through, nor a good file sent
    down the slow path."""
    assert schema.UPDATE.accepts_all(lines) == all(not schema.check_value(schema.UPDATE, line)[1] for line in lines)


@given(_VALID_TIMESTAMPS)
def test_timestamps_read_the_same_on_python_3_10(text: str) -> None:
    """Python 3.10's fromisoformat reads neither Z nor 1-5 digits of a fraction: what it is given there."""
    assert dt.datetime.fromisoformat(schema._iso_for_py310(text)) == schema.parse_timestamp(text)


def test_the_constructor_takes_exactly_the_fields_the_schema_knows() -> None:
    """Update.from_record(file, line, **record) takes what the schema allows in a record, and
    the cache's columns follow its parameters: a field added to one and not the other fails here."""
    import inspect

    from aseanctl.model import RECORD_FIELDS, Update

    assert list(inspect.signature(Update.from_record).parameters) == ["file", "line", *RECORD_FIELDS]
    assert sorted(f.name for f in schema.UPDATE.fields) == sorted(RECORD_FIELDS)


def test_the_benchmark_generator_writes_journals_as_aseanctl_does(monkeypatch):
    """benchmarks/generate.py repeats the line format so as not to import what it measures: the
    copies must not drift (they had: the generator kept a .gitattributes without eol=lf)."""
    import importlib.util

    from aseanctl.journal import FIELD_ORDER, GITATTRIBUTES

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_generate", generate)  # its dataclasses look it up
    spec.loader.exec_module(generate)
    assert generate.JOURNAL_FIELD_ORDER == FIELD_ORDER
    assert generate.JOURNAL_GITATTRIBUTES == GITATTRIBUTES


def test_a_withdrawal_line_keeps_its_fields_when_encoded():
    from aseanctl.journal import encode_update

    record = {
        "id": "u-9",
        "task": "N1.1",
        "date": "2024-06-01",
        "by": "so-a",
        "author": "A",
        "recorded": "2024-06-02T08:00:00Z",
        "withdraws": "u-1",
        "reason": "nhập nhầm",
    }
    assert json.loads(encode_update(record)) == record


JOURNAL_LINE_FOR_SURROGATES = (
    '{"id": "u-1", "task": "N1.1", "date": "2024-06-01", "progress": 50, "by": "so-a", "author": "A", '
    '"recorded": "2024-06-02T08:00:00Z"}'
)


def test_a_lone_surrogate_is_refused_at_its_line(tmp_path: Path) -> None:
    """A "\\ud800" escape is valid JSON and decodes to a lone surrogate, which no UTF-8 stream or
    file can hold: the line is refused where it stands, the character named, as a control
    character is, and its neighbours still count.  It used to be read, and to crash the views."""
    good = json.loads(JOURNAL_LINE_FOR_SURROGATES)
    path = tmp_path / "2024.jsonl"
    path.write_bytes(
        _jsonl(good)
        + _jsonl({**good, "id": "u-2", "note": "a\ud800b"})
        + _jsonl({**good, "id": "u-3", "author": "\udfff"})
    )
    assert b"\\ud800" in path.read_bytes()
    updates, problems = load_journal_file(path)
    assert [u.id for u in updates] == ["u-1"]
    assert [(p.line, p.rule, p.msg.key, p.msg.args) for p in problems] == [
        (2, "schema", "schema.surrogate", {"code": 0xD800}),
        (3, "schema", "schema.surrogate", {"code": 0xDFFF}),
    ]
