"""How fast ``aseanctl`` reads and appends to a large journal of status updates.

    python benchmarks/bench_journal.py [--tasks 10000] [--sizes 10000,100000] [--runs 5] [--json]

One synthetic plan of ``--tasks`` tasks (``benchmarks/generate.py``) is written to a
temporary folder; for each journal size, and for an empty journal (the baseline),
``generate_journal`` writes that many updates into it and these are timed, each in a
fresh process, wall time and the process's own peak resident memory:

- ``aseanctl status --plan DIR --format json --as-of 2025-12-31`` (``--runs`` runs);
- ``aseanctl status ... --format table`` (one run, for information);
- ``aseanctl validate --plan DIR --format json`` (``--runs`` runs);
- ``aseanctl update TASK --progress 100 --author ... --date 2025-12-31`` (at least 5 runs;
  each run appends one line, so it runs after the readers).

Every command runs once untimed first at the first size; each figure is the median.
The table ends with the targets, checked at the largest journal:

- ``update`` <= 0.5 s, however large the journal;
- ``status`` <= 3 s and <= 500 MB;
- growth of ``status``'s CPU time per update from the smallest to the largest journal, net
  of the empty-journal baseline, <= 1.2 (about linear).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from _common import REPO, Run, aseanctl, measure, median_figure, note, run_once, verdict
from generate import PERIOD_END, generate, generate_journal

AS_OF = PERIOD_END.isoformat()
UPDATE_TASK = "N1.1"  # a prefix of a thousand other ids: the most task files for update's byte search
UPDATE_AUTHOR = "Nguyễn Văn A <a@example.org>"
MIN_UPDATE_RUNS = 5

UPDATE_TARGET = 0.5  # seconds
STATUS_TARGET = 3.0  # seconds
STATUS_MEMORY_TARGET = 500.0  # MB (10^6 bytes)
GROWTH_TARGET = 1.2


def status_available() -> bool:
    return run_once(aseanctl("status", "--help")).returncode == 0


def check_validate(run: Run, updates: int) -> dict[str, Any]:
    """What validate found on the generated plan: problem counts by rule and severity."""
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        note(f"  ! validate ({updates:,} updates) exited {run.returncode} without JSON: {run.stderr.strip()[:500]}")
        return {"clean": False, "returncode": run.returncode, "by_rule": {}}
    problems = report.get("problems", [])
    by_rule: dict[str, int] = {}
    for problem in problems:
        key = f"{problem.get('rule')} ({problem.get('severity')})"
        by_rule[key] = by_rule.get(key, 0) + 1
    clean = run.returncode == 0 and not problems
    if not clean:
        note(f"  ! validate ({updates:,} updates) exited {run.returncode} with {len(problems)} problems: {by_rule}")
        for problem in problems[:5]:
            note(f"      {json.dumps(problem, ensure_ascii=False)}")
    return {"clean": clean, "returncode": run.returncode, "by_rule": by_rule}


def check_status(run: Run, updates: int, fmt: str) -> bool:
    """Whether status exited 0 (and, in JSON, printed JSON); say why not otherwise."""
    if run.returncode == 0:
        if fmt != "json":
            return True
        try:
            json.loads(run.stdout)
            return True
        except json.JSONDecodeError as error:
            note(f"  ! status --format json ({updates:,} updates) printed no JSON: {error}")
            return False
    note(
        f"  ! status --format {fmt} ({updates:,} updates) exited {run.returncode}: "
        f"{(run.stderr or run.stdout).strip()[:500]}"
    )
    return False


def bench_size(
    workspace: Path, updates: int, runs: int, update_runs: int, has_status: bool, warm: bool
) -> dict[str, Any]:
    """Write a journal of ``updates`` updates into ``workspace`` and time the commands on it."""
    files = generate_journal(workspace, updates)
    size_bytes = sum(path.stat().st_size for path in files)
    note(f"{updates:,} updates: {len(files)} journal files, {size_bytes / 1e6:.1f} MB")
    result: dict[str, Any] = {"updates": updates, "journal_files": len(files), "bytes": size_bytes}

    readers: dict[str, list[str]] = {}
    if has_status:
        readers["status"] = aseanctl("status", "--plan", str(workspace), "--format", "json", "--as-of", AS_OF)
    readers["validate"] = aseanctl("validate", "--plan", str(workspace), "--format", "json")
    for name, command in readers.items():
        note(f"  {name} x {runs}")
        if warm:
            run_once(command)
        figure, samples = measure(command, runs)
        result[name] = asdict(figure)
        if name == "validate":
            result["validate_problems"] = check_validate(samples[-1], updates)
        else:
            result["status_ok"] = check_status(samples[-1], updates, "json")
    if has_status:
        # the first run after a change parses everything: the parse cache turned off
        note(f"  status without the parse cache x {runs}")
        os.environ["ASEANCTL_NO_CACHE"] = "1"
        try:
            figure, _ = measure(readers["status"], runs)
        finally:
            del os.environ["ASEANCTL_NO_CACHE"]
        result["status_cold"] = asdict(figure)
        note("  status --format table x 1")
        table = run_once(aseanctl("status", "--plan", str(workspace), "--format", "table", "--as-of", AS_OF))
        result["status_table"] = asdict(median_figure([table]))
        result["status_table_ok"] = check_status(table, updates, "table")

    day = min(PERIOD_END, date.today()).isoformat()
    command = aseanctl(
        "update", UPDATE_TASK, "--progress", "100", "--author", UPDATE_AUTHOR, "--date", day, "--plan", str(workspace)
    )
    note(f"  update x {update_runs}")
    if warm:
        run_once(command)
    figure, samples = measure(command, update_runs)
    result["update"] = asdict(figure)
    failed = [run for run in samples if run.returncode != 0]
    result["update_ok"] = not failed
    if failed:
        note(f"  ! update exited {failed[0].returncode}: {failed[0].stderr.strip()[:500]}")
    return result


def targets(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures named in the targets, each with its limit and verdict (limit None: for information)."""
    base, *journals = figures["sizes"]
    small, large = journals[0], journals[-1]
    at = f"at {large['updates']:,} updates"

    def item(name: str, value: float | None, limit: float | None) -> dict[str, Any]:
        return {
            "name": name,
            "value": value,
            "limit": limit,
            "pass": None if value is None or limit is None else value <= limit,
        }

    def growth(key: str) -> float | None:
        """CPU time per update at the largest journal over that at the smallest, both net of the
        baseline (CPU rather than wall time: the net figures are small, and a busy machine swamps
        them in wall time)."""
        if key not in large or large["updates"] <= small["updates"]:
            return None
        small_net: float = small[key]["cpu_seconds"] - base[key]["cpu_seconds"]
        if small_net <= 0:
            return None
        large_net: float = large[key]["cpu_seconds"] - base[key]["cpu_seconds"]
        return float((large_net / large["updates"]) / (small_net / small["updates"]))

    status = large.get("status")
    ratio = (
        large["status"]["seconds"] / small["status"]["seconds"] if status is not None and large is not small else None
    )
    return [
        item(f"update time {at} (s)", large["update"]["seconds"], UPDATE_TARGET),
        item(f"status --format json time {at} (s)", status["seconds"] if status else None, STATUS_TARGET),
        item(
            f"status --format json peak memory {at} (MB)",
            status["peak_kib"] * 1024 / 1e6 if status else None,
            STATUS_MEMORY_TARGET,
        ),
        item(
            f"status CPU time per update, {small['updates']:,} -> {large['updates']:,}, net of baseline",
            growth("status"),
            GROWTH_TARGET,
        ),
        item(f"status time, {large['updates']:,} / {small['updates']:,} updates", ratio, None),
        item(
            f"validate CPU time per update, {small['updates']:,} -> {large['updates']:,}, net of baseline",
            growth("validate"),
            None,
        ),
    ]


def format_table(figures: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    env = figures["environment"]
    sizes = figures["sizes"]
    lines = [
        f"aseanctl {env['aseanctl']} - Python {env['python']}; {env['tasks']:,} tasks, as of {env['as_of']}",
        f"median of {env['runs']} runs each (update: {env['update_runs']}); wall time and the process's peak RSS",
    ]
    if None not in env["load_average"]:
        busy = max(env["load_average"]) > (env["cpus"] or 1)
        lines.append(
            f"{env['cpus']} CPUs; load average (1 min) {env['load_average'][0]:.1f} at the start, "
            f"{env['load_average'][1]:.1f} at the end" + (" (a busy machine: figures run slow)" if busy else "")
        )
    lines.append("")
    label_width = 40
    titles = [f"{s['updates']:,} updates" + (" (baseline)" if s["updates"] == 0 else "") for s in sizes]
    lines += [
        f"{'':<{label_width}}" + "".join(title.rjust(25) for title in titles),
        f"{'':<{label_width}}" + "".join(f"{'time':>12}{'peak mem':>13}" for _ in sizes),
    ]

    def row(label: str, key: str, cpu: bool = False) -> str:
        cells = ""
        for size in sizes:
            figure = size.get(key)
            if figure is None:
                cells += f"{'n/a':>12}{'':>13}"
            elif cpu:
                cells += f"{figure['cpu_seconds']:>10.3f} s{'':>13}"
            else:
                cells += f"{figure['seconds']:>10.3f} s{figure['peak_kib'] / 1024:>9.1f} MiB"
        return f"{label:<{label_width}}{cells}"

    lines += [
        f"{'journal files (MB)':<{label_width}}" + "".join(f"{s['bytes'] / 1e6:>12.2f}{'':>13}" for s in sizes),
        row("aseanctl status --format json", "status"),
        row("  the same, parse cache off (first run)", "status_cold"),
        row("  of which CPU (user + system)", "status", cpu=True),
        row("aseanctl status --format table (1 run)", "status_table"),
        row("aseanctl validate --format json", "validate"),
        row("  of which CPU (user + system)", "validate", cpu=True),
        row(f"aseanctl update {UPDATE_TASK} --progress ...", "update"),
        "",
        (
            f"{'aseanctl --version':<{label_width}}{figures['startup']['seconds']:>10.3f} s"
            f"{figures['startup']['peak_kib'] / 1024:>9.1f} MiB"
        ),
        "",
        "targets",
    ]
    for target in figures["targets"]:
        value = "n/a" if target["value"] is None else f"{target['value']:.2f}"
        limit = "(for information)" if target["limit"] is None else f"<= {target['limit']:<6} {verdict(target['pass'])}"
        lines.append(f"{target['name']:<68}{value:>8}  {limit}")
    if not env["status_available"]:
        lines.append("note: 'aseanctl status' is not available in this version, so its rows and targets are n/a")
    for size in sizes:
        problems = size.get("validate_problems", {})
        if problems and not problems["clean"]:
            found = ", ".join(f"{count} {rule}" for rule, count in sorted(problems["by_rule"].items()))
            lines.append(
                f"note: validate exited {problems['returncode']} on the {size['updates']:,}-update journal: "
                f"{found or 'no JSON output'}"
            )
        for key, what in (
            ("status_ok", "status --format json"),
            ("status_table_ok", "status --format table"),
            ("update_ok", "update"),
        ):
            if size.get(key) is False:
                lines.append(f"note: {what} failed on the {size['updates']:,}-update journal (see above)")
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10000, help="tasks in the plan (default 10000)")
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="journal sizes in updates, comma-separated (default 10000,100000); "
        "an empty journal is always measured too, as the baseline",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported (default 5)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()} - {0})
    except ValueError:
        parser.error(f"--sizes: expected numbers separated by commas, got {args.sizes!r}")
    if not sizes or sizes[0] < 1:
        parser.error("--sizes: give at least one journal size of 1 update or more")
    if args.tasks < 5:
        parser.error("--tasks must be at least 5")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    update_runs = max(args.runs, MIN_UPDATE_RUNS)

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    version = run_once(aseanctl("--version"))
    if version.returncode != 0:
        raise SystemExit(f"cannot run aseanctl from {REPO}: {version.stderr.strip()}")
    has_status = status_available()
    if not has_status:
        note("aseanctl status is not available in this version: its figures are skipped")

    with tempfile.TemporaryDirectory(prefix="aseanctl-bench-journal-") as temp:
        workspace = Path(temp) / "ws"
        note(f"plan of {args.tasks:,} tasks")
        generate(workspace, args.tasks)
        sizes_figures = [
            bench_size(workspace, size, args.runs, update_runs, has_status, warm=index == 0)
            for index, size in enumerate([0, *sizes])
        ]

    note("start-up")
    run_once(aseanctl("--version"))
    startup = asdict(measure(aseanctl("--version"), args.runs)[0])
    figures: dict[str, Any] = {
        "environment": {
            "aseanctl": version.stdout.strip().rsplit(" ", 1)[-1],
            "python": sys.version.split()[0],
            "tasks": args.tasks,
            "as_of": AS_OF,
            "runs": args.runs,
            "update_runs": update_runs,
            "status_available": has_status,
            "cpus": os.cpu_count(),
            "load_average": [load_before, os.getloadavg()[0] if hasattr(os, "getloadavg") else None],
        },
        "startup": startup,
        "sizes": sizes_figures,
    }
    figures["targets"] = targets(figures)
    print(json.dumps(figures, indent=2, ensure_ascii=False) if args.json else format_table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
