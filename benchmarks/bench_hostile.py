"""Hostile inputs (issue 10, docs/security.md): each command finishes within seconds, in bounded memory.

A corpus of small inputs that used to take minutes, hang or crash, scaled up, each in a
workspace of its own in a temporary folder; every command runs as a fresh process from the
repository root (the same wrapper as the other benchmarks: wall time, CPU time, the
command's own peak resident memory), with the parse cache off, as in CI on a pull request.

    python benchmarks/bench_hostile.py [--runs 1] [--timeout 120] [--json]

A command that has not finished after ``--timeout`` seconds is stopped and shown as such.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import aseanctl, measure
from generate import generate

os.environ["ASEANCTL_NO_CACHE"] = "1"  # every run is a first run, as on a pull request

TARGET_SECONDS = 10.0
TARGET_PEAK_MIB = 500.0

UPDATE_FIELDS = (
    '"date":"2024-06-01","status":"in_progress","progress":50,"by":"{by}",'
    '"author":"A <a@example.org>","recorded":"2024-06-02T08:00:00Z"'
)


@dataclass(frozen=True)
class Case:
    name: str
    args: list[str]
    measured_only: bool = False  # a known problem another part of aseanctl owns: measured, no target


def _workspace(base: Path, name: str, tasks: int = 100) -> tuple[Path, Path]:
    """A clean generated workspace and its plan folder."""
    root = base / name
    plan = generate(root, tasks)
    return root, plan


def _journal_line(number: int, task: str, by: str = "so-y-te") -> str:
    return f'{{"id":"20240602-{number:08x}","task":"{task}",' + UPDATE_FIELDS.format(by=by) + "}\n"


def _task_ids(plan: Path) -> list[str]:
    ids = []
    for file in sorted((plan / "tasks").glob("*.yaml")):
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.startswith("  - id: "):
                ids.append(line.removeprefix("  - id: ").strip().strip("'\""))
    return ids


def corpus(base: Path) -> list[Case]:
    cases = []

    root, plan = _workspace(base, "near-miss-tasks", 10_000)
    journal = plan / "journal"
    journal.mkdir(exist_ok=True)
    ids = _task_ids(plan)[:5000]
    (journal / "2024.jsonl").write_text(
        "".join(_journal_line(i, f"{task}x") for i, task in enumerate(ids)), encoding="utf-8"
    )
    cases.append(Case("5,000 near-miss task ids (journal), 10,000 tasks", ["validate", "--plan", str(root)]))

    root, plan = _workspace(base, "near-miss-owners", 100)
    leads = "".join(
        f"  - id: X{i}\n    title: Việc {i}\n    lead: so-y-te-{i}\n    recurring: yearly\n" for i in range(5000)
    )
    (plan / "tasks" / "leads.yaml").write_text("objective: N1\ntasks:\n" + leads, encoding="utf-8")
    cases.append(Case("5,000 near-miss owner ids (task leads)", ["validate", "--plan", str(root)]))

    root, plan = _workspace(base, "blank-lines", 100)
    (plan / "tasks" / "blank.yaml").write_text("objective: N1\ntasks:\n" + "\n" * 60_000 + "# end\n", encoding="utf-8")
    cases.append(
        Case(
            "60,000 blank lines in a task file, `update` of an unknown id",
            ["update", "N9.99", "--progress", "10", "--author", "A", "--date", "2024-06-01", "--plan", str(root)],
        )
    )

    root, plan = _workspace(base, "newline-titles", 100)
    titles = "".join(
        f'  - id: T{i}\n    title: "a' + "\\n" * 9_000 + f'b{i}"\n    lead: so-y-te\n    recurring: yearly\n'
        for i in range(10)
    )
    (plan / "tasks" / "titles.yaml").write_text("objective: N1\ntasks:\n" + titles, encoding="utf-8")
    out = base / "newline-titles.md"
    cases.append(
        Case(
            "10 titles of 9,000 line breaks, Markdown report",
            ["report", "--plan", str(root), "--period", "2024", "--format", "md", "-o", str(out)],
        )
    )

    root, plan = _workspace(base, "deep", 100)
    (plan / "tasks" / "deep.yaml").write_text("- " * 20_000 + "x\n", encoding="utf-8")
    cases.append(Case("a task file of `- - - …` 20,000 deep", ["validate", "--plan", str(root)]))

    root, plan = _workspace(base, "long-int", 100)
    (plan / "tasks" / "int.yaml").write_text(
        "objective: N1\ntasks:\n  - id: L1\n    title: Số\n    lead: so-y-te\n    recurring: yearly\n"
        "    indicators:\n      - id: so\n        name: Số\n        target: " + "9" * 5_000 + "\n",
        encoding="utf-8",
    )
    cases.append(Case("an integer of 5,000 digits", ["validate", "--plan", str(root)]))

    if hasattr(os, "mkfifo"):
        root, plan = _workspace(base, "fifo", 100)
        os.mkfifo(plan / "tasks" / "fifo.yaml")
        (plan / "journal").mkdir(exist_ok=True)
        os.mkfifo(plan / "journal" / "2024.jsonl")
        cases.append(Case("a FIFO task file and journal", ["validate", "--plan", str(root)]))

    root, plan = _workspace(base, "bogus-journal", 100)
    (plan / "journal").mkdir(exist_ok=True)
    (plan / "journal" / "2024.jsonl").write_text('{"bogus": 1}\n' * 200_000, encoding="utf-8")
    cases.append(
        Case("200,000 bogus journal lines (journal.py's)", ["validate", "--plan", str(root)], measured_only=True)
    )
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=120, help="seconds before a command is stopped")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    timeout = shutil.which("timeout")
    rows = []
    with tempfile.TemporaryDirectory(prefix="aseanctl-hostile-") as temp:
        for case in corpus(Path(temp)):
            command = aseanctl(*case.args)
            if timeout:
                command = [timeout, "-s", "KILL", str(options.timeout), *command]
            figure, samples = measure(command, options.runs)
            last = samples[-1]
            stopped = last.returncode in (124, 137, -9)
            rows.append(
                {
                    "case": case.name,
                    "seconds": figure.seconds,
                    "cpu_seconds": figure.cpu_seconds,
                    "peak_mib": figure.peak_kib / 1024,
                    "exit": last.returncode,
                    "stdout_lines": last.stdout.count("\n"),
                    "stopped": stopped,
                    "internal_error": "internal error" in (last.stdout + last.stderr).lower()
                    or "Traceback" in last.stderr,
                    "target": not case.measured_only,
                }
            )
    if options.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    print(f"{'input':<62} {'wall s':>7} {'cpu s':>7} {'peak MiB':>9} {'exit':>5} {'lines':>8}  verdict")
    failed = False
    for row in rows:
        ok = not row["stopped"] and not row["internal_error"] and row["seconds"] <= TARGET_SECONDS
        ok = ok and row["peak_mib"] <= TARGET_PEAK_MIB
        verdict = ("PASS" if ok else "MISS") if row["target"] else "(measured)"
        if row["stopped"]:
            verdict += f" stopped after {options.timeout} s"
        if row["internal_error"]:
            verdict += " internal error"
        failed = failed or (row["target"] and not ok)
        print(
            f"{row['case']:<62} {row['seconds']:>7.2f} {row['cpu_seconds']:>7.2f} {row['peak_mib']:>9.0f}"
            f" {row['exit']:>5} {row['stdout_lines']:>8}  {verdict}"
        )
    print(f"targets: each command ≤ {TARGET_SECONDS:.0f} s and ≤ {TARGET_PEAK_MIB:.0f} MiB peak, no internal error")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
