"""The rules' verdict, cached: a plan read again unchanged skips the rules, and whatever
changed (a byte of a plan file or journal, aseanctl's code) is a verdict found anew, equal
to what validate finds with no cache at all."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aseanctl import validation
from aseanctl.loader import load_workspace
from aseanctl.problems import Problem
from aseanctl.validation import count_errors, validate_workspace

JOURNAL = "p1/journal/2024.jsonl"


def _line(**fields: object) -> str:
    record = {
        "id": "20240301-0000000a",
        "task": "N1.1",
        "date": "2024-03-01",
        "status": "in_progress",
        "progress": 40,
        "by": "so-a",
        "author": "Lan <lan@example.org>",
        "recorded": "2024-03-02T09:00:00+07:00",
    }
    record.update(fields)
    return json.dumps(record, ensure_ascii=False) + "\n"


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ASEANCTL_CACHE_DIR", str(folder))
    monkeypatch.delenv("ASEANCTL_NO_CACHE", raising=False)
    return folder


def _rules_run(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the runs of the rules from now on."""
    runs: list[int] = []
    real = validation.check_workspace

    def counted(ws: object) -> list[Problem]:
        runs.append(1)
        return real(ws)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "check_workspace", counted)
    return runs


def test_an_unchanged_clean_plan_skips_the_rules(private: Path, make_workspace, monkeypatch) -> None:
    root = make_workspace()
    assert validate_workspace(root).problems == ()
    runs = _rules_run(monkeypatch)
    assert validate_workspace(root).problems == ()
    assert runs == []


def test_a_plan_with_problems_shows_them_every_time(private: Path, make_workspace, monkeypatch) -> None:
    root = make_workspace(**{JOURNAL: _line(by="so-khong-co")})
    first = validate_workspace(root).problems
    assert [p.rule for p in first] == ["unknown-owner"]
    runs = _rules_run(monkeypatch)
    assert validate_workspace(root).problems == first  # found again, with its line
    assert runs == [1]
    assert count_errors(root)[1] == 1


def test_a_changed_byte_is_a_new_verdict(private: Path, make_workspace) -> None:
    root = make_workspace(**{JOURNAL: _line()})
    assert validate_workspace(root).problems == ()
    journal = root / JOURNAL
    stat = journal.stat()
    journal.write_text(_line(by="so-khong-co").replace("so-khong-co", "so-c"), encoding="utf-8")
    os.utime(journal, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same time stamp: bytes decide
    assert [p.rule for p in validate_workspace(root).problems] == ["unknown-owner"]
    assert count_errors(root)[1] == 1


def test_the_draft_mark_follows_the_plan_not_the_cache(private: Path, make_workspace) -> None:
    root = make_workspace(**{JOURNAL: _line(task="N9.9")})
    assert count_errors(root)[1] == 1
    assert count_errors(root)[1] == 1  # from the cache
    (root / JOURNAL).write_text(_line(), encoding="utf-8")
    assert count_errors(root)[1] == 0
    assert count_errors(root)[1] == 0


def test_writing_the_narrative_keeps_the_verdict(private: Path, make_workspace, monkeypatch) -> None:
    """A report's narrative is no part of what the rules check: an analyst writing it and
    rendering again does not pay for the rules again."""
    root = make_workspace(**{"p1/reports/2024.yaml": "direction: Đã chỉ đạo.\n"})
    validate_workspace(root)
    (root / "p1/reports/2024.yaml").write_text("direction: Đã chỉ đạo sát sao.\n", encoding="utf-8")
    runs = _rules_run(monkeypatch)
    assert validate_workspace(root).problems == ()
    assert runs == []


def test_an_error_count_alone_does_not_stand_for_a_clean_validate(private: Path, make_workspace, monkeypatch) -> None:
    """report and diff run only the error rules; validate must still run the warning rules."""
    root = make_workspace(
        **{
            JOURNAL: _line()
            + _line(id="20240401-0000000b", date="2024-04-01", recorded="2024-04-02T09:00:00+07:00", progress=10)
        }
    )
    assert count_errors(root)[1] == 0
    runs = _rules_run(monkeypatch)
    assert [p.rule for p in validate_workspace(root).problems] == ["progress-backwards"]
    assert runs == [1]


def test_other_code_is_another_verdict(private: Path, make_workspace, monkeypatch) -> None:
    root = make_workspace()
    validate_workspace(root)
    monkeypatch.setattr(validation, "_code_digest", lambda: "a patched rule")
    runs = _rules_run(monkeypatch)
    validate_workspace(root)
    assert runs == [1]


@pytest.mark.parametrize("forged", [b"\x00garbage", None])
def test_a_forged_or_damaged_entry_is_a_miss(private: Path, make_workspace, monkeypatch, forged: bytes | None) -> None:
    root = make_workspace(**{JOURNAL: _line(task="N9.9")})
    assert count_errors(root)[1] == 1
    load = load_workspace(root)
    if forged is None:  # a well-formed entry under the right key, with a value of another shape
        validation.cache.put("verdict", root, str(validation._verdict_key(load)), ("0", "0"))
    else:
        for entry in private.glob("verdict-*"):
            entry.write_bytes(forged)
    assert validation._cached_verdict(load) is None
    assert count_errors(root)[1] == 1


def test_off_when_asked(private: Path, make_workspace, monkeypatch) -> None:
    monkeypatch.setenv("ASEANCTL_NO_CACHE", "1")
    root = make_workspace()
    validate_workspace(root)
    runs = _rules_run(monkeypatch)
    validate_workspace(root)
    assert runs == [1] and not private.exists()


# --- differential: with the cache, every verdict is the one found without it ---------------------

_EDITS = {
    "unknown owner in the journal": (JOURNAL, _line(by="so-x")),
    "good journal": (JOURNAL, _line()),
    "backwards journal": (
        JOURNAL,
        _line() + _line(id="20240401-0000000b", date="2024-04-01", recorded="2024-04-02T09:00:00+07:00", progress=5),
    ),
    "journal torn": (JOURNAL, _line()[:-20]),
    "no journal": (JOURNAL, None),
    "unknown lead": (
        "p1/tasks/nhom-1.yaml",
        "objective: N1\ntasks:\n  - id: N1.1\n    title: Một\n    lead: so-x\n    recurring: yearly\n",
    ),
    "good tasks": (
        "p1/tasks/nhom-1.yaml",
        "objective: N1\ntasks:\n  - id: N1.1\n    title: Một\n    lead: so-a\n    recurring: yearly\n",
    ),
    "broken yaml": ("p1/tasks/nhom-1.yaml", "objective: N1\ntasks: [\n"),
    "second task file": (
        "p1/tasks/nhom-2.yaml",
        "objective: N1\ntasks:\n  - id: N1.1\n    title: Hai\n    lead: so-b\n    recurring: yearly\n",
    ),
    "no second task file": ("p1/tasks/nhom-2.yaml", None),
    "owner gone": ("owners.yaml", "owners:\n  - id: so-a\n    name: Sở A\n    kind: department\n"),
    "owners back": (
        "owners.yaml",
        "owners:\n  - id: so-a\n    name: Sở A\n    kind: department\n"
        "  - id: so-b\n    name: Sở B\n    kind: department\n",
    ),
    "narrative": ("p1/reports/2024.yaml", "direction: x\n"),
}


def _apply(root: Path, edit: str) -> None:
    name, text = _EDITS[edit]
    path = root / name
    if text is None:
        path.unlink(missing_ok=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _verdicts(root: Path) -> tuple[tuple[Problem, ...], int]:
    return validate_workspace(root).problems, count_errors(root)[1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.sampled_from(sorted(_EDITS)), min_size=1, max_size=8), order=st.booleans())
def test_cached_verdicts_equal_uncached_ones(
    make_workspace, monkeypatch: pytest.MonkeyPatch, edits: list[str], order: bool
) -> None:
    template = make_workspace()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "ws"
        shutil.copytree(template, root)
        monkeypatch.setenv("ASEANCTL_CACHE_DIR", str(Path(scratch) / "cache"))
        for edit in edits:
            _apply(root, edit)
            monkeypatch.delenv("ASEANCTL_NO_CACHE", raising=False)
            if order:  # the error count first (report, diff), or validate first
                count_errors(root)
            cached = _verdicts(root)
            again = _verdicts(root)
            monkeypatch.setenv("ASEANCTL_NO_CACHE", "1")
            assert cached == again == _verdicts(root), edit
