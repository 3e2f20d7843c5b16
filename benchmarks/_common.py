"""What the benchmark scripts share: timing a command in a fresh process, and medians.

Each run gives the command's wall time, its CPU time (user + system, which other
processes on a busy machine inflate much less than wall time) and its peak memory.

Each command runs as a child of a small, fresh wrapper process that times it and
reports its own peak resident memory (``os.wait4``).  On Linux a child's ``ru_maxrss``
includes the memory of the process it was forked from (the high-water mark survives
fork and exec), so a child forked straight from a benchmark, which holds generated
plans in memory, would report at least the benchmark's peak.
"""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# aseanctl's parse cache (aseanctl/cache.py) goes to a folder of the benchmark's own, never
# the user's ~/.cache, removed when the benchmark ends (a 100,000-update plan leaves tens of
# megabytes in it); scripts that measure first runs turn it off with ASEANCTL_NO_CACHE.
if "ASEANCTL_CACHE_DIR" not in os.environ:
    os.environ["ASEANCTL_CACHE_DIR"] = tempfile.mkdtemp(prefix="aseanctl-bench-cache-")
    atexit.register(shutil.rmtree, os.environ["ASEANCTL_CACHE_DIR"], ignore_errors=True)

RUSAGE_WRAPPER = """\
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - started
child.returncode = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as report:
    report.write(f"{seconds} {usage.ru_maxrss} {child.returncode} {usage.ru_utime + usage.ru_stime}")
"""


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    seconds: float
    peak_kib: int
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0  # user + system time of the command: less sensitive than wall time to a busy machine


@dataclass(frozen=True)
class Figure:
    """Medians over the runs of one command."""

    seconds: float
    peak_kib: int
    cpu_seconds: float = 0.0


# The commands run as an installed aseanctl runs: from compiled bytecode.  pip compiles a
# package's modules when it installs it, and Python caches what it compiles; an environment
# that sets PYTHONDONTWRITEBYTECODE (some sandboxes and containers do) would make every run
# compile aseanctl's 60 modules from source again (about 60 ms), which no user pays.
def child_env() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run_once(command: list[str]) -> Run:
    """Run ``command`` from the repository root under the rusage wrapper."""
    with tempfile.TemporaryDirectory(prefix="aseanctl-run-") as temp:
        report = Path(temp) / "rusage"
        wrapper = subprocess.run(
            [sys.executable, "-I", "-S", "-c", RUSAGE_WRAPPER, str(report), *command],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            env=child_env(),
        )
        if not report.exists():
            raise SystemExit(f"could not run {command[:3]}: {wrapper.stderr.decode('utf-8', 'replace')}")
        seconds, peak, returncode, cpu = report.read_text().split()
    # ru_maxrss is KiB on Linux, bytes on macOS
    peak_kib = int(peak) // 1024 if sys.platform == "darwin" else int(peak)
    return Run(
        float(seconds),
        peak_kib,
        int(returncode),
        wrapper.stdout.decode("utf-8", "replace"),
        wrapper.stderr.decode("utf-8", "replace"),
        float(cpu),
    )


def median_figure(samples: list[Run]) -> Figure:
    """The median wall time and the median peak memory of some runs."""
    return Figure(
        statistics.median(run.seconds for run in samples),
        int(statistics.median(run.peak_kib for run in samples)),
        statistics.median(run.cpu_seconds for run in samples),
    )


def measure(command: list[str], runs: int) -> tuple[Figure, list[Run]]:
    """The median wall time and peak memory of ``runs`` runs, and the runs themselves."""
    samples = [run_once(command) for _ in range(runs)]
    return median_figure(samples), samples


def note(message: str) -> None:
    """A progress line, on stderr so that ``--json`` output stays clean."""
    print(message, file=sys.stderr, flush=True)


def aseanctl(*args: str) -> list[str]:
    """The command line of ``aseanctl ARGS`` run from the repository's sources."""
    return [sys.executable, "-m", "aseanctl", *args]


def verdict(passed: bool | None) -> str:
    return {True: "PASS", False: "MISS", None: "n/a"}[passed]


SPEED_PROBE = """\
import time
started = time.perf_counter()
total = 0
for i in range(10_000_000):
    total += i
print(time.perf_counter() - started)
"""


def python_speed() -> float:
    """Seconds a fresh interpreter takes for a pure-Python loop of ten million additions: the
    machine's speed at the moment.  A shared virtual machine's speed drifts by a third or more
    within minutes, so figures are comparable only beside the speed they were taken at."""
    probe = subprocess.run([sys.executable, "-I", "-c", SPEED_PROBE], capture_output=True, text=True, check=True)
    return float(probe.stdout)
