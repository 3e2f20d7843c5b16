"""How fast ``aseanctl`` reads a plan from git: ``diff`` between two revisions, and ``--at``
beside the same command on a checkout.

    python benchmarks/bench_history.py [--tasks 10000] [--updates 100000] [--runs 5] [--json]

A git repository is made in a temporary folder with one synthetic plan
(``benchmarks/generate.py``) under ``plan/``: revision A holds the plan and the journal less
its last one per cent of lines in each file; revision B adds those lines back and moves the
due day of one task file's tasks a year later.  A second folder is a checkout of A.  Timed,
each in a fresh process (the same wrapper and medians as the other benchmarks), after one
untimed run each (so that both read warm parse caches, as a user's second command does):

- ``aseanctl diff A B --format json`` (both sides read from git);
- ``aseanctl diff A --format md`` (B is the working tree, as in a pull request's CI);
- ``aseanctl status --format json --as-of 2025-12-31 --at A`` run in the repository, and
  the same without ``--at`` in the checkout of A, in alternate runs;
- ``aseanctl validate --format json``, the same way.

Targets: ``diff`` between the two revisions <= 5 s; ``--at`` <= 1.5 x the checkout's time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _common import REPO, Run, note, run_once, verdict
from generate import PERIOD_END, generate, generate_journal

AS_OF = PERIOD_END.isoformat()
DIFF_TARGET = 5.0  # seconds: "a few seconds"
AT_RATIO_TARGET = 1.5
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, env={**os.environ, **GIT_ENV}
    )
    return done.stdout.strip()


def make_repository(top: Path, tasks: int, updates: int) -> tuple[Path, Path, str, str]:
    """(repository, checkout of A, A, B)."""
    repo = top / "repo"
    workspace = repo / "plan"
    generate(workspace, tasks)
    journals = generate_journal(workspace, updates)
    full = {path: path.read_bytes() for path in journals}
    for path, data in full.items():  # A: each journal without its last one per cent of lines
        lines = data.splitlines(keepends=True)
        path.write_bytes(b"".join(lines[: len(lines) - len(lines) // 100]))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "A")
    commit_a = git(repo, "rev-parse", "HEAD")
    for path, data in full.items():
        path.write_bytes(data)
    first = sorted((workspace).glob("*/tasks/*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("due: 2024-", "due: 2025-"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "B")
    commit_b = git(repo, "rev-parse", "HEAD")
    checkout = top / "checkout"
    git(top, "clone", "-q", str(repo), str(checkout))
    git(checkout, "checkout", "-q", commit_a)
    return repo, checkout, commit_a, commit_b


def in_folder(folder: Path, *args: str) -> list[str]:
    """``aseanctl ARGS`` run with ``folder`` as the current folder (the wrapper runs at the repository)."""
    code = (
        "import os, sys, runpy; os.chdir(sys.argv.pop(1)); sys.argv[0] = 'aseanctl'; "
        "runpy.run_module('aseanctl', run_name='__main__')"
    )
    return [sys.executable, "-c", code, str(folder), *args]


def timed(command: list[str], runs: int) -> list[Run]:
    run_once(command)  # untimed: caches warm
    samples = [run_once(command) for _ in range(runs)]
    for sample in samples:
        if sample.returncode not in (0, 1):
            raise SystemExit(f"{command[-6:]} exited {sample.returncode}: {sample.stderr.strip()[:500]}")
    return samples


def interleaved(first: list[str], second: list[str], runs: int) -> tuple[list[Run], list[Run]]:
    run_once(first)
    run_once(second)
    a, b = [], []
    for _ in range(runs):
        a.append(run_once(first))
        b.append(run_once(second))
    return a, b


def median(samples: list[Run]) -> float:
    return statistics.median(s.seconds for s in samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10000, help="tasks in the plan (default 10000)")
    parser.add_argument("--updates", type=int, default=100000, help="updates in the journal (default 100000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported (default 5)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    with tempfile.TemporaryDirectory(prefix="aseanctl-bench-history-") as temp:
        note(f"repository: {args.tasks:,} tasks, {args.updates:,} updates, two revisions")
        repo, checkout, commit_a, commit_b = make_repository(Path(temp), args.tasks, args.updates)
        note("diff A B")
        diff_revs = timed(in_folder(repo, "diff", commit_a, commit_b, "--format", "json"), args.runs)
        changes = json.loads(diff_revs[-1].stdout)["changes"]
        note("diff A (working tree)")
        diff_tree = timed(in_folder(repo, "diff", commit_a, "--format", "md"), args.runs)
        figures: dict[str, Any] = {
            "environment": {
                "python": sys.version.split()[0],
                "tasks": args.tasks,
                "updates": args.updates,
                "runs": args.runs,
                "cpus": os.cpu_count(),
                "load_before": load_before,
            },
            "diff_revisions_s": median(diff_revs),
            "diff_working_tree_s": median(diff_tree),
            "diff_changes": len(changes),
            "diff_risky": sum(1 for c in changes if c["risks"]),
        }
        for command in (["status", "--format", "json", "--as-of", AS_OF], ["validate", "--format", "json"]):
            note(f"{command[0]} --at A / on a checkout of A")
            at, plain = interleaved(
                in_folder(repo, *command, "--at", commit_a), in_folder(checkout, *command), args.runs
            )
            if at[-1].stdout != plain[-1].stdout:
                raise SystemExit(f"{command[0]} --at differs from the checkout's output")
            figures[f"{command[0]}_at_s"] = median(at)
            figures[f"{command[0]}_checkout_s"] = median(plain)
            figures[f"{command[0]}_ratio"] = median(at) / median(plain)
    figures["environment"]["load_after"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    diff_ok = figures["diff_revisions_s"] <= DIFF_TARGET
    ratio_ok = max(figures["status_ratio"], figures["validate_ratio"]) <= AT_RATIO_TARGET
    figures["targets"] = {"diff": diff_ok, "at_ratio": ratio_ok}
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0 if diff_ok and ratio_ok else 1
    env = figures["environment"]
    print(f"aseanctl history benchmark: {env['tasks']:,} tasks, {env['updates']:,} updates, {env['runs']} runs")
    print(f"load average {env['load_before']} -> {env['load_after']} on {env['cpus']} CPUs (repository: {REPO})")
    print("| figure | seconds | target |\n|---|---|---|")
    print(
        f"| diff A B --format json ({figures['diff_changes']:,} changes, {figures['diff_risky']} risky) "
        f"| {figures['diff_revisions_s']:.2f} | <= {DIFF_TARGET} s {verdict(diff_ok)} |"
    )
    print(f"| diff A --format md (working tree) | {figures['diff_working_tree_s']:.2f} | |")
    for name in ("status", "validate"):
        print(f"| {name} --at A | {figures[f'{name}_at_s']:.2f} | |")
        print(f"| {name} on a checkout of A | {figures[f'{name}_checkout_s']:.2f} | |")
        ratio = figures[f"{name}_ratio"]
        print(f"| {name}: --at / checkout | {ratio:.2f} | <= {AT_RATIO_TARGET} {verdict(ratio <= AT_RATIO_TARGET)} |")
    return 0 if diff_ok and ratio_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
