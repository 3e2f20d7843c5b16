"""How long ``aseanctl collect`` takes: forms for every agency of a large plan, and one large
returned form read back.

    python benchmarks/bench_collect.py [--tasks 10000] [--rows 5000] [--runs 3] [--json]

``send``: ``collect send --period 2024 --no-letter`` for every agency that owes a report,
on a plan of --tasks tasks (benchmarks/generate.py).  ``read``: a plan of --rows tasks all
led by one agency, its form filled on every row through openpyxl (a status word and a
progress), then ``collect read --dry-run`` (every check, nothing written) and once
``collect read`` itself (the same, and one journal line per row).  Figures are medians of
fresh processes, with peak memory.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import aseanctl, measure, note, run_once
from generate import generate

AUTHOR = ["--author", "Benchmark <bench@example.invalid>"]


def one_owner(plan_folder: Path, owner: str) -> None:
    """Every task led by ``owner`` from the plan's first day, nobody supporting: one form of every task."""
    for path in plan_folder.glob("**/tasks/*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^(\s+)lead: .*$", rf"\1lead: {owner}", text)
        text = re.sub(r"(?m)^\s+(support|start): .*\n", "", text)
        path.write_text(text, encoding="utf-8")


def filled_form(workspace: Path, out: Path, owner: str) -> Path:
    import openpyxl

    done = run_once(aseanctl("collect", "send", "--plan", str(workspace), "--period", "2024", "--owner", owner,
                             "--no-letter", "-o", str(out)))  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"collect send failed: {done.stderr[-500:]}")
    form = next(out.glob(f"*-{owner}.xlsx"))
    book = openpyxl.load_workbook(form)
    sheet = book["Báo cáo"]
    for number in range(2, sheet.max_row + 1):
        sheet.cell(number, 5, "đang triển khai")
        sheet.cell(number, 6, number % 100)
    filled = out / "filled.xlsx"
    book.save(filled)
    return filled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"tasks": args.tasks, "rows": args.rows, "runs": args.runs}
    with tempfile.TemporaryDirectory(prefix="aseanctl-bench-collect-") as temp:
        root = Path(temp)
        big = generate(root / "big", args.tasks)
        note(f"{args.tasks:,} tasks: collect send for every agency x {args.runs}")
        send = aseanctl("collect", "send", "--plan", str(big), "--period", "2024", "--no-letter", "-o", str(root / "f"))
        figure, samples = measure(send, args.runs)
        if samples[0].returncode != 0:
            raise SystemExit(f"collect send failed: {samples[0].stderr[-500:]}")
        forms = len(list((root / "f").glob("*.xlsx")))
        results["send"] = {"seconds": figure.seconds, "cpu": figure.cpu_seconds, "peak_mib": figure.peak_kib / 1024,
                           "forms": forms}  # fmt: skip
        small = generate(root / "small", args.rows)
        one_owner(small, "so-y-te")
        filled = filled_form(small, root / "g", "so-y-te")
        read = aseanctl("collect", "read", str(filled), "--plan", str(small), *AUTHOR)
        note(f"{args.rows:,}-row form: collect read --dry-run x {args.runs}")
        figure, samples = measure([*read, "--dry-run"], args.runs)
        if samples[0].returncode != 0:
            raise SystemExit(f"collect read failed: {samples[0].stderr[-500:]}")
        results["read_dry_run"] = {"seconds": figure.seconds, "cpu": figure.cpu_seconds,
                                   "peak_mib": figure.peak_kib / 1024}  # fmt: skip
        note(f"{args.rows:,}-row form: collect read (records) x 1")
        once = run_once(read)
        results["read"] = {"seconds": once.seconds, "cpu": once.cpu_seconds, "peak_mib": once.peak_kib / 1024,
                           "recorded": len(once.stdout.splitlines())}  # fmt: skip
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"median of {args.runs} fresh runs; wall time (CPU time), peak memory")
    send_fig = results["send"]
    print(f"collect send, {args.tasks:,} tasks, {send_fig['forms']} forms: "
          f"{send_fig['seconds']:.2f} s ({send_fig['cpu']:.2f} s), {send_fig['peak_mib']:.0f} MiB")  # fmt: skip
    for key, label in (("read_dry_run", "collect read --dry-run"), ("read", "collect read (1 run)")):
        item = results[key]
        print(f"{label}, {args.rows:,}-row form: {item['seconds']:.2f} s ({item['cpu']:.2f} s), "
              f"{item['peak_mib']:.0f} MiB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
