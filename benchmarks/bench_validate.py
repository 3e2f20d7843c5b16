"""How fast ``aseanctl validate`` is, beside its peer and its floor.

    python benchmarks/bench_validate.py [--sizes 1000,10000] [--runs 5] [--json]

For each size a synthetic workspace (``benchmarks/generate.py``) is written to a
temporary folder, and these are timed, each in a fresh process, wall time and the
process's own peak resident memory (``os.wait4`` in a small wrapper process):

- ``aseanctl validate --plan DIR --format json``;
- ``check-jsonschema --schemafile tasks.json`` over the task files, with the schema
  printed by ``aseanctl schema tasks`` (the nearest peer: a generic schema validator);
- a bare ``python -c`` that reads every plan file with PyYAML's C loader
  (``yaml.load(text, Loader=yaml.CSafeLoader)``): the floor for a PyYAML design.

and, once, the start-up of ``aseanctl --version`` beside ``python -c "import typer"``.
Every command runs once untimed first (to warm the file cache and write bytecode);
each figure is the median of ``--runs`` runs.  The table ends with the targets:

- ``--version`` / ``import typer`` <= 1.5;
- validate / check-jsonschema <= 0.25 at the largest size;
- validate / C-loader process <= 1.5 at the largest size;
- growth of validate's time per task from the smallest to the largest size, net of
  the ``--version`` start-up, <= 1.2 (about linear).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml
from _common import REPO, Run, aseanctl, measure, note, run_once, verdict
from generate import generate

STARTUP_TARGET = 1.5
PEER_TARGET = 0.25
FLOOR_TARGET = 1.5
GROWTH_TARGET = 1.2

CLOADER_SCRIPT = """\
import sys, time, yaml
started = time.perf_counter()
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as stream:
        yaml.load(stream.read(), Loader=yaml.CSafeLoader)
print(time.perf_counter() - started)
"""


def check_validate_output(run: Run, tasks: int) -> bool:
    """Whether validate found the generated plan clean; say why not otherwise."""
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        note(f"  ! validate ({tasks} tasks) exited {run.returncode} without JSON output: {run.stderr.strip()[:500]}")
        return False
    problems = report.get("problems", [])
    if run.returncode == 0 and not problems:
        return True
    note(f"  ! validate ({tasks} tasks) exited {run.returncode} with {len(problems)} problems; the first:")
    for problem in problems[:5]:
        note(f"      {json.dumps(problem, ensure_ascii=False)}")
    return False


def check_peer_output(run: Run, tasks: int) -> bool:
    """Whether check-jsonschema accepted the task files; say why not otherwise."""
    if run.returncode == 0:
        return True
    note(f"  ! check-jsonschema ({tasks} tasks) exited {run.returncode}: {(run.stdout + run.stderr).strip()[:500]}")
    return False


def tasks_schema(directory: Path) -> Path:
    """Write the tasks-file schema printed by ``aseanctl schema tasks``."""
    run = run_once(aseanctl("schema", "tasks"))
    if run.returncode != 0:
        raise SystemExit(f"aseanctl schema tasks failed ({run.returncode}): {run.stderr.strip()}")
    path = directory / "tasks.schema.json"
    path.write_text(run.stdout, encoding="utf-8")
    return path


def bench_size(tasks: int, root: Path, runs: int, peer: list[str] | None, warm: bool) -> dict[str, Any]:
    """Generate a workspace of ``tasks`` tasks and time the three readers on it."""
    workspace = root / f"ws-{tasks}"
    plan_dir = generate(workspace, tasks)
    task_files = sorted(str(path) for path in (plan_dir / "tasks").glob("*.yaml"))
    all_files = [str(workspace / "owners.yaml"), str(plan_dir / "plan.yaml"), *task_files]
    size_bytes = sum(Path(path).stat().st_size for path in all_files)
    note(f"{tasks:,} tasks: {len(task_files)} task files, {size_bytes / 1e6:.1f} MB")

    commands: dict[str, list[str]] = {
        "validate": aseanctl("validate", "--plan", str(workspace), "--format", "json"),
        "cloader": [sys.executable, "-c", CLOADER_SCRIPT, *all_files],
    }
    if peer is not None:
        commands["check_jsonschema"] = [*peer, *task_files]

    result: dict[str, Any] = {"tasks": tasks, "task_files": len(task_files), "bytes": size_bytes}
    for name, command in commands.items():
        note(f"  {name} x {runs}")
        if warm:
            run_once(command)
        figure, samples = measure(command, runs)
        result[name] = asdict(figure)
        last = samples[-1]
        if name == "validate":
            result["validate_clean"] = check_validate_output(last, tasks)
        elif name == "cloader":
            result[name]["parse_seconds"] = statistics.median(float(run.stdout) for run in samples)
        else:
            result["check_jsonschema_clean"] = check_peer_output(last, tasks)
    return result


def targets(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The ratios named in the targets, each with its limit and verdict."""
    startup = figures["startup"]
    sizes = figures["sizes"]
    small, large = sizes[0], sizes[-1]
    at = f"at {large['tasks']:,} tasks"

    def ratio(name: str, value: float | None, limit: float) -> dict[str, Any]:
        return {"name": name, "value": value, "limit": limit, "pass": None if value is None else value <= limit}

    startup_ratio = startup["aseanctl_version"]["seconds"] / startup["import_typer"]["seconds"]
    peer = large.get("check_jsonschema")
    peer_ratio = large["validate"]["seconds"] / peer["seconds"] if peer else None
    floor_ratio = large["validate"]["seconds"] / large["cloader"]["seconds"]
    # net of start-up; undefined with one size, or when the small plan costs no more than start-up
    base = startup["aseanctl_version"]["seconds"]
    small_net = small["validate"]["seconds"] - base
    growth = None
    if large["tasks"] > small["tasks"] and small_net > 0:
        growth = ((large["validate"]["seconds"] - base) / large["tasks"]) / (small_net / small["tasks"])
    return [
        ratio("aseanctl --version / python -c 'import typer'", startup_ratio, STARTUP_TARGET),
        ratio(f"validate / check-jsonschema {at}", peer_ratio, PEER_TARGET),
        ratio(f"validate / C-loader process {at}", floor_ratio, FLOOR_TARGET),
        ratio(
            f"validate time per task, {small['tasks']:,} -> {large['tasks']:,}, net of start-up", growth, GROWTH_TARGET
        ),
    ]


def format_table(figures: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    env = figures["environment"]
    sizes = figures["sizes"]
    lines = [
        (
            f"aseanctl {env['aseanctl']} - Python {env['python']}, PyYAML {env['pyyaml']}"
            f" (libyaml: {'yes' if env['libyaml'] else 'no'}),"
            f" check-jsonschema {env['check_jsonschema'] or 'not installed (pip install check-jsonschema)'}"
        ),
        f"median of {env['runs']} runs each; wall time and the process's peak RSS",
        "",
    ]
    label_width = 40
    header = f"{'':<{label_width}}" + "".join(f"{s['tasks']:,} tasks".rjust(25) for s in sizes)
    lines += [header, f"{'':<{label_width}}" + "".join(f"{'time':>12}{'peak mem':>13}" for _ in sizes)]

    def row(label: str, key: str, field: str = "seconds") -> str:
        cells = ""
        for size in sizes:
            figure = size.get(key)
            if figure is None:
                cells += f"{'n/a':>12}{'':>13}"
            elif field == "seconds":
                cells += f"{figure['seconds']:>10.3f} s{figure['peak_kib'] / 1024:>9.1f} MiB"
            else:
                cells += f"{figure[field]:>10.3f} s{'':>13}"
        return f"{label:<{label_width}}{cells}"

    lines += [
        f"{'plan files (MB)':<{label_width}}" + "".join(f"{s['bytes'] / 1e6:>12.2f}{'':>13}" for s in sizes),
        row("aseanctl validate --format json", "validate"),
        row("check-jsonschema (tasks schema)", "check_jsonschema"),
        row("PyYAML CSafeLoader, whole process", "cloader"),
        row("  of which parsing, in-process", "cloader", "parse_seconds"),
        "",
        "start-up",
    ]
    for label, key in (("aseanctl --version", "aseanctl_version"), ("python -c 'import typer'", "import_typer")):
        figure = figures["startup"][key]
        lines.append(f"{label:<{label_width}}{figure['seconds']:>10.3f} s{figure['peak_kib'] / 1024:>9.1f} MiB")
    lines += ["", "targets"]
    for target in figures["targets"]:
        value = "n/a" if target["value"] is None else f"{target['value']:.2f}"
        lines.append(f"{target['name']:<68}{value:>7}  <= {target['limit']:<5}{verdict(target['pass'])}")
    for size in sizes:
        if not size.get("validate_clean", True):
            lines.append(f"note: validate reported problems on the {size['tasks']:,}-task plan (see above)")
        if not size.get("check_jsonschema_clean", True):
            lines.append(f"note: check-jsonschema rejected the {size['tasks']:,}-task files (see above)")
    return "\n".join(line.rstrip() for line in lines)


def check_jsonschema_version() -> str | None:
    run = run_once(["check-jsonschema", "--version"])
    return run.stdout.strip().rsplit(" ", 1)[-1] if run.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="task counts, comma-separated (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported (default 5)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args(argv)
    os.environ["ASEANCTL_NO_CACHE"] = "1"  # every run parses: the figures of a first run, as in CI
    try:
        sizes = sorted({int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        parser.error(f"--sizes: expected numbers separated by commas, got {args.sizes!r}")
    if not sizes or sizes[0] < 5:
        parser.error("--sizes: each size must be at least 5 tasks")
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    version = run_once(aseanctl("--version"))
    if version.returncode != 0:
        raise SystemExit(f"cannot run aseanctl from {REPO}: {version.stderr.strip()}")
    has_peer = shutil.which("check-jsonschema") is not None
    if not has_peer:
        note(
            "check-jsonschema is not installed, so the peer is skipped: pip install check-jsonschema "
            "(or pip install -e '.[bench]')"
        )

    with tempfile.TemporaryDirectory(prefix="aseanctl-bench-") as temp:
        root = Path(temp)
        peer = ["check-jsonschema", "--schemafile", str(tasks_schema(root))] if has_peer else None
        sizes_figures = [bench_size(size, root, args.runs, peer, warm=index == 0) for index, size in enumerate(sizes)]

    note("start-up")
    startup: dict[str, Any] = {}
    for key, command in (
        ("aseanctl_version", aseanctl("--version")),
        ("import_typer", [sys.executable, "-c", "import typer"]),
    ):
        run_once(command)
        startup[key] = asdict(measure(command, args.runs)[0])

    figures: dict[str, Any] = {
        "environment": {
            "aseanctl": version.stdout.strip().rsplit(" ", 1)[-1],
            "python": sys.version.split()[0],
            "pyyaml": yaml.__version__,
            "libyaml": yaml.__with_libyaml__,
            "check_jsonschema": check_jsonschema_version() if has_peer else None,
            "runs": args.runs,
        },
        "startup": startup,
        "sizes": sizes_figures,
    }
    figures["targets"] = targets(figures)
    print(json.dumps(figures, indent=2) if args.json else format_table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
