"""The parse cache: what it returns is what parsing the same bytes returns, never more."""

from __future__ import annotations

import datetime as dt
import marshal
import os
from pathlib import Path
from typing import Any

import pytest

from aseanctl import cache, journal, schema, yamlio
from aseanctl.journal import load_journal_file
from aseanctl.validation import validate_workspace
from aseanctl.yamlio import load_yaml


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ASEANCTL_CACHE_DIR", str(folder))
    monkeypatch.delenv("ASEANCTL_NO_CACHE", raising=False)
    return folder


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> object:
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(yamlio, "_load_text", refuse)
    monkeypatch.setattr(journal, "_parse_journal", refuse)


def test_a_second_load_comes_from_the_cache_and_is_equal(
    private: Path, make_workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace()
    first = load_yaml(root / "p1/tasks/nhom-1.yaml")
    assert first.text is not None and list(private.iterdir())
    no_parsing(monkeypatch)
    second = load_yaml(root / "p1/tasks/nhom-1.yaml")
    assert second.data == first.data and second.problems == [] and second.text is None


def test_changed_bytes_are_never_served_stale(private: Path, make_workspace) -> None:
    root = make_workspace()
    file = root / "p1/tasks/nhom-1.yaml"
    assert load_yaml(file).data["tasks"][0]["title"] == "Nhiệm vụ một"
    stat = file.stat()
    file.write_text(file.read_text(encoding="utf-8").replace("một", "hai"), encoding="utf-8")  # same size
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time stamp
    assert load_yaml(file).data["tasks"][0]["title"] == "Nhiệm vụ hai"


def test_a_damaged_entry_is_a_miss(private: Path, make_workspace) -> None:
    root = make_workspace()
    file = root / "p1/tasks/nhom-1.yaml"
    expected = load_yaml(file).data
    for entry in private.iterdir():
        entry.write_bytes(b"\x00garbage")
    assert load_yaml(file).data == expected


def test_off_when_asked(private: Path, make_workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASEANCTL_NO_CACHE", "1")
    load_yaml(make_workspace() / "owners.yaml")
    assert not private.exists()


def test_files_with_problems_are_not_cached(private: Path, make_workspace) -> None:
    root = make_workspace(tasks="objective: N1\ntasks:\n  - id: N1.1\n    id: N1.2\n")
    for _ in range(2):
        assert [p.rule for p in load_yaml(root / "p1/tasks/nhom-1.yaml").problems] == ["duplicate-key"]


def test_problems_in_a_cached_file_still_show_their_line(private: Path, make_workspace) -> None:
    root = make_workspace(
        tasks="objective: N1\ntasks:\n  - id: N1.1\n    title: x\n    lead: so-khong-co\n    recurring: yearly\n"
    )
    validate_workspace(root)  # fills the cache: the file has no problem of its own
    report = validate_workspace(root)
    (problem,) = report.problems
    assert (problem.rule, problem.line) == ("unknown-owner", 5)
    assert problem.file is not None and problem.line is not None
    assert report.load.source_line(problem.file, problem.line) == "    lead: so-khong-co"


def test_journal_from_the_cache_is_the_journal(private: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "2024.jsonl"
    line = (
        '{"id": "u-%d", "task": "N1.1", "date": "2024-06-0%d", "progress": %d, "note": "Ghi chú", '
        '"by": "so-a", "author": "A", "recorded": "2024-06-09T08:00:00+07:00"}\n'
    )
    file.write_text(line % (1, 1, 10) + "\n" + line % (2, 2, 20), encoding="utf-8")  # a blank line: line 3
    parsed, problems = load_journal_file(file)
    assert problems == [] and [u.line for u in parsed] == [1, 3]
    monkeypatch.setattr(journal, "_parse_journal", lambda *a: (_ for _ in ()).throw(AssertionError("parsed")))
    cached, _ = load_journal_file(file)
    assert cached == parsed
    monkeypatch.undo()
    monkeypatch.setenv("ASEANCTL_CACHE_DIR", str(private))
    with file.open("a", encoding="utf-8") as handle:
        handle.write(line % (3, 3, 30))
    assert [u.id for u in load_journal_file(file)[0]] == ["u-1", "u-2", "u-3"]


def test_the_entry_names_the_version_and_the_parsing_code(private: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cache.FORMAT.startswith("aseanctl ")
    cache.put("yaml", private / "y.yaml", "abc", [1])
    monkeypatch.setattr(cache, "_format", lambda: cache.FORMAT + " other parsing code")
    assert cache.get("yaml", private / "y.yaml", "abc") is None  # parsed by other code: a miss
    monkeypatch.undo()
    monkeypatch.setenv("ASEANCTL_CACHE_DIR", str(private))
    cache.put("yaml", private / "x.yaml", "abc", {"a": [1, "b", None, 2.5, True]})
    assert cache.get("yaml", private / "x.yaml", "abc") == {"a": [1, "b", None, 2.5, True]}
    assert cache.get("yaml", private / "x.yaml", "abd") is None


def test_a_cached_plan_is_the_plan(private: Path, shipped_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second command builds its tasks from the task cache: the same model, the same findings."""
    first = validate_workspace(shipped_copy)
    assert any(entry.name.startswith("tasks-") for entry in private.iterdir())
    no_parsing(monkeypatch)
    full_check = schema.check_value

    def no_full_check_of_tasks(spec: schema.Spec, *args: Any) -> object:
        assert spec is not schema.TASKS_FILE, "task file checked in full although cached"
        return full_check(spec, *args)

    monkeypatch.setattr(schema, "check_value", no_full_check_of_tasks)
    second = validate_workspace(shipped_copy)
    assert second.load.workspace == first.load.workspace
    assert [(p.rule, p.file, p.line, p.msg) for p in second.problems] == [
        (p.rule, p.file, p.line, p.msg) for p in first.problems
    ]
    tasks = second.load.workspace.tasks()
    assert len(tasks) == 26 and all(t.plan_id == "kh-702-2021" for t in tasks)


def test_every_task_field_survives_the_cache(private: Path, make_workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_workspace(
        tasks="""\
        objective: N1
        tasks:
          - id: N1.1
            title: Nhiệm vụ một
            title_en: Task one
            lead: so-a
            support: [so-a]
            start: 2022-03-01
            due: 2023-06-30
            output: Báo cáo
            elements: [A.1]
            tags: [tre-em]
            assumptions: [Giả định]
            indicators:
              - {id: ho, name: Số hộ, name_en: Households, unit: hộ, baseline: 10, target: 5000.5}
          - id: N1.2
            objective: N1
            title: Nhiệm vụ hai
            lead: so-a
            recurring: yearly
        """
    )
    first = validate_workspace(root).load.workspace
    no_parsing(monkeypatch)
    second = validate_workspace(root).load.workspace
    assert second == first
    one, two = second.tasks()
    assert one.indicators[0].src.path == ("tasks", 0, "indicators", 0) and one.due == dt.date(2023, 6, 30)
    assert (one.objective_src.path, two.objective_src.path) == (("objective",), ("tasks", 1, "objective"))


@pytest.mark.parametrize(
    "tasks",
    [
        "objective: N1\ntasks:\n  - id: N1.1\n    title: x\n    lead: so-a\n    recurring: yearly\n    colour: red\n",
        "tasks:\n  - id: N1.1\n    title: x\n    lead: so-a\n    recurring: yearly\n",  # no objective anywhere
    ],
    ids=["unknown-key", "no-objective"],
)
def test_task_files_with_shape_problems_are_not_cached(private: Path, make_workspace, tasks: str) -> None:
    root = make_workspace(tasks=tasks)
    found = [[(p.rule, p.line) for p in validate_workspace(root).problems] for _ in range(2)]
    assert found[0] == found[1] and any(rule == "schema" for rule, _ in found[0])
    assert not any(entry.name.startswith("tasks-") for entry in private.iterdir())


def test_shared_values_keep_their_types(private: Path) -> None:
    """Equal strings are stored once, but a 1 never comes back as 1.0 or True."""
    value = ((1, 2), (1.0, 2.0), (True, False), ("a", "b"), ("a", "b"), ["a", {"a": (1,)}], None)
    cache.put("yaml", private / "x.yaml", "abc", value)
    back = cache.get("yaml", private / "x.yaml", "abc")
    assert back == value
    assert [[type(item) for item in part] for part in back[:3]] == [[int, int], [float, float], [bool, bool]]


def test_a_task_entry_of_another_shape_is_a_miss(private: Path, make_workspace) -> None:
    root = make_workspace()
    expected = validate_workspace(root).load.workspace
    (entry,) = [e for e in private.iterdir() if e.name.startswith("tasks-")]
    stored = marshal.loads(entry.read_bytes())
    entry.write_bytes(marshal.dumps((stored[0], stored[1], (("only", "three", "fields"),))))
    assert validate_workspace(root).load.workspace == expected


def test_a_journal_entry_of_another_shape_is_a_miss(private: Path, tmp_path: Path) -> None:
    file = tmp_path / "2024.jsonl"
    file.write_text(
        '{"id": "u-1", "task": "N1.1", "date": "2024-06-01", "progress": 10, "by": "so-a", '
        '"author": "A", "recorded": "2024-06-09T08:00:00+07:00"}\n',
        encoding="utf-8",
    )
    parsed, _ = load_journal_file(file)
    (entry,) = list(private.iterdir())
    stored = marshal.loads(entry.read_bytes())
    entry.write_bytes(marshal.dumps((stored[0], stored[1], ((1, 2), ("x",)))))
    assert load_journal_file(file) == (parsed, [])


def test_a_cached_report_does_not_import_the_yaml_parsers(private: Path, make_workspace) -> None:
    """A command whose files all come from the cache starts without PyYAML and yaml-rs (30 ms):
    checked in fresh processes, the second one after the first filled the cache."""
    import subprocess
    import sys

    root = make_workspace()
    probe = (
        "import sys; from pathlib import Path; from aseanctl.loader import load_workspace; "
        f"load = load_workspace(Path({str(root)!r})); assert load.workspace.tasks(); "
        "print(sorted(m for m in ('yaml', 'yaml_rs', 'aseanctl.yamlparse') if m in sys.modules))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "ASEANCTL_CACHE_DIR": str(private)},
        ).stdout.strip()
        for _ in range(2)
    ]
    assert "'yaml'" in runs[0] and runs[1] == "[]"


def test_entries_whose_parts_do_not_line_up_are_misses(private: Path, make_workspace, tmp_path: Path) -> None:
    """An indicator given as a row of values, or journal columns of unequal lengths, would give
    tasks or updates with shifted or missing values: such an entry is a miss, never data."""
    root = make_workspace(
        tasks=(
            "objective: N1\ntasks:\n  - id: N1.1\n    title: Một\n    lead: so-a\n    recurring: yearly\n"
            "    indicators:\n      - id: c1\n        name: Chỉ số\n        target: 5\n"
        )
    )
    expected = validate_workspace(root).load.workspace
    (entry,) = [e for e in private.iterdir() if e.name.startswith("tasks-")]
    stored = marshal.loads(entry.read_bytes())
    stored[2]["tasks"][0]["indicators"] = [["c1", "Chỉ số"]]  # an indicator as a row of values
    entry.write_bytes(marshal.dumps(stored))
    assert validate_workspace(root).load.workspace == expected

    file = tmp_path / "2024.jsonl"
    file.write_text(
        "".join(
            f'{{"id": "u-{n}", "task": "N1.1", "date": "2024-06-0{n}", "progress": 10, "by": "so-a", '
            '"author": "A", "recorded": "2024-06-09T08:00:00+07:00"}\n'
            for n in (1, 2)
        ),
        encoding="utf-8",
    )
    parsed, _ = load_journal_file(file)
    (journal_entry,) = [e for e in private.iterdir() if e.name.startswith("journal-")]
    stored = marshal.loads(journal_entry.read_bytes())
    columns = list(stored[2])
    columns[1] = columns[1][:1]  # one id for two updates
    journal_entry.write_bytes(marshal.dumps((stored[0], stored[1], tuple(columns))))
    assert load_journal_file(file) == (parsed, [])


POISONS = {
    "lead is a list": ("lead", ["so-a", "so-b"]),
    "id not an id": ("id", "../not an id"),
    "two ids in one": ("id", "N1.1\nN1.2"),
    "no such day": ("start", "2024-02-30"),
    "blank title": ("title", " \t"),
    "support not a list": ("support", "so-a"),
    "number as text": ("output", 7),
    "unknown field": ("colour", "red"),
}


@pytest.mark.parametrize(("field", "value"), POISONS.values(), ids=POISONS.keys())
def test_a_poisoned_task_entry_is_a_miss(private: Path, make_workspace, field: str, value: object) -> None:
    """An entry with this version's format and the file's digest (anyone can compute both)
    but data that no file without problems gives: the tasks are read from the file again,
    exactly as the first time, and the entry is replaced."""
    root = make_workspace()
    first = validate_workspace(root)
    (entry,) = [e for e in private.iterdir() if e.name.startswith("tasks-")]
    clean = entry.read_bytes()
    stored = marshal.loads(clean)
    stored[2]["tasks"][0][field] = value
    entry.write_bytes(marshal.dumps(stored))
    second = validate_workspace(root)
    assert second.load.workspace == first.load.workspace
    assert [(p.rule, p.line, p.msg) for p in second.problems] == [(p.rule, p.line, p.msg) for p in first.problems]
    assert entry.read_bytes() == clean


def test_status_on_a_poisoned_entry_is_the_status(private: Path, make_workspace) -> None:
    """A list as a task's lead, planted in the cache, once made every command an internal error."""
    from typer.testing import CliRunner

    from aseanctl.cli import app

    root = make_workspace()
    command = ["status", "--plan", str(root), "--format", "json", "--as-of", "2024-12-31"]
    first = CliRunner().invoke(app, command, catch_exceptions=False)
    (entry,) = [e for e in private.iterdir() if e.name.startswith("tasks-")]
    stored = marshal.loads(entry.read_bytes())
    stored[2]["tasks"][0]["lead"] = ["so-a"]
    entry.write_bytes(marshal.dumps(stored))
    second = CliRunner().invoke(app, command, catch_exceptions=False)
    assert (second.exit_code, second.output) == (first.exit_code, first.output) and first.exit_code == 0
