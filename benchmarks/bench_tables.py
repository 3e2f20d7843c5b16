"""How much the tables people read cost beside the JSON scripts read.

    python benchmarks/bench_tables.py [--tasks 10000] [--updates 10000] [--runs 5] [--width 80] [--json]

One synthetic plan of ``--tasks`` tasks with a journal of ``--updates`` updates
(``benchmarks/generate.py``) is written to a temporary folder.  For each of ``status``,
``log`` and ``owners`` (``--as-of`` the plan's last day), the command runs with
``--format json``, with ``--format table`` (``COLUMNS=--width``, output to a pipe, so
without colour) and with ``--format xlsx -o FILE`` (an Excel workbook in the temporary
folder), in turn, ``--runs`` times each, every run a fresh process from the repository
root, after one untimed run of each.  Each figure is the median wall time and CPU time
(user + system); the ratios table / json and xlsx / json are taken on CPU time, which
other processes on a busy machine inflate far less than wall time.

Target, for each command: table / json <= 3 (a table on 10,000 tasks is about as quick to
get as the JSON).  xlsx / json is reported, with no target: a workbook is asked for now and
then, not on every look.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from _common import Run, aseanctl, median_figure, note, run_once, verdict
from generate import PERIOD_END, generate, generate_journal

COMMANDS = ("status", "log", "owners")
RATIO_TARGET = 3.0


def bench(workspace: Path, runs: int, width: int) -> dict[str, Any]:
    os.environ["COLUMNS"] = str(width)
    figures: dict[str, Any] = {}
    for command in COMMANDS:
        samples: dict[str, list[Run]] = {"json": [], "table": [], "xlsx": []}
        lines = {
            "json": [*aseanctl(command), "--plan", str(workspace), "--as-of", PERIOD_END.isoformat(), "-f", "json"]
        }
        lines["table"] = [*lines["json"][:-1], "table"]
        lines["xlsx"] = [*lines["json"][:-1], "xlsx", "-o", str(workspace / f"{command}.xlsx")]
        for fmt in samples:  # untimed: file cache, bytecode, the parse cache
            first = run_once(lines[fmt])
            if first.returncode != 0:
                raise SystemExit(f"{command} --format {fmt} exited {first.returncode}: {first.stderr.strip()[:500]}")
        for _ in range(runs):  # in turn, so that a busy spell hurts every format alike
            for fmt in samples:
                samples[fmt].append(run_once(lines[fmt]))
        table, as_json, xlsx = (median_figure(samples[fmt]) for fmt in ("table", "json", "xlsx"))
        ratio = table.cpu_seconds / as_json.cpu_seconds if as_json.cpu_seconds else None
        xlsx_ratio = xlsx.cpu_seconds / as_json.cpu_seconds if as_json.cpu_seconds else None
        figures[command] = {
            "json_seconds": as_json.seconds,
            "json_cpu_seconds": as_json.cpu_seconds,
            "table_seconds": table.seconds,
            "table_cpu_seconds": table.cpu_seconds,
            "table_lines": samples["table"][-1].stdout.count("\n"),
            "ratio": ratio,
            "verdict": verdict(None if ratio is None else ratio <= RATIO_TARGET),
            "xlsx_seconds": xlsx.seconds,
            "xlsx_cpu_seconds": xlsx.cpu_seconds,
            "xlsx_ratio": xlsx_ratio,
        }
        note(
            f"  {command}: table {table.cpu_seconds:.2f} s CPU, xlsx {xlsx.cpu_seconds:.2f} s CPU, "
            f"json {as_json.cpu_seconds:.2f} s CPU"
        )
    return figures


def format_table(figures: dict[str, Any], environment: dict[str, Any]) -> str:
    lines = [
        f"{environment['tasks']:,} tasks, {environment['updates']:,} updates, {environment['width']} columns; "
        f"median of {environment['runs']} runs; load average {environment['load_average']}",
        "",
        f"| command | json wall (s) | json CPU (s) | table wall (s) | table CPU (s) | table lines "
        f"| table / json (CPU) | target ≤ {RATIO_TARGET:g} | xlsx wall (s) | xlsx CPU (s) | xlsx / json (CPU) |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for command, f in figures.items():
        ratio = "n/a" if f["ratio"] is None else f"{f['ratio']:.2f}"
        xlsx_ratio = "n/a" if f["xlsx_ratio"] is None else f"{f['xlsx_ratio']:.2f}"
        lines.append(
            f"| `{command}` | {f['json_seconds']:.2f} | {f['json_cpu_seconds']:.2f} | {f['table_seconds']:.2f} "
            f"| {f['table_cpu_seconds']:.2f} | {f['table_lines']:,} | {ratio} | {f['verdict']} "
            f"| {f['xlsx_seconds']:.2f} | {f['xlsx_cpu_seconds']:.2f} | {xlsx_ratio} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10000, help="tasks in the plan (default 10000)")
    parser.add_argument("--updates", type=int, default=10000, help="updates in the journal (default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported (default 5)")
    parser.add_argument("--width", type=int, default=80, help="the terminal width the tables fit (default 80)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args(argv)
    if args.tasks < 5 or args.updates < 1 or args.runs < 1 or args.width < 20:
        parser.error("--tasks >= 5, --updates >= 1, --runs >= 1 and --width >= 20, please")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    with tempfile.TemporaryDirectory(prefix="aseanctl-bench-tables-") as temp:
        root = Path(temp)
        note(f"writing {args.tasks:,} tasks and {args.updates:,} updates ...")
        generate(root, args.tasks)
        generate_journal(root, args.updates)
        figures = bench(root, args.runs, args.width)
    environment = {
        "tasks": args.tasks,
        "updates": args.updates,
        "runs": args.runs,
        "width": args.width,
        "python": sys.version.split()[0],
        "load_average": None if load is None else f"{load[0]:.1f}",
    }
    if args.json:
        print(json.dumps({"environment": environment, "figures": figures}, indent=2))
    else:
        print(format_table(figures, environment))
    return 0 if all(f["verdict"] != "MISS" for f in figures.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
