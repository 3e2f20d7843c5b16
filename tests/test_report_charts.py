"""Every Mermaid chart of every report kind, in both languages, parsed by Mermaid itself.

Mermaid's parsers differ by chart type (``sankey-beta`` takes ASCII labels only, so the
Vietnamese report's chart did not draw): only the real parser can say a chart draws.  The
test installs the npm packages ``mermaid`` and ``jsdom`` into a cache folder once (about 30 MB,
``ASEANCTL_MERMAID_DIR`` to choose it) and parses every block in one Node process.  It skips
only where Node is missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_report_md import repo  # noqa: F401  (the fixture plan repository)
from typer.testing import CliRunner

from aseanctl.cli import app
from aseanctl.report.render import mermaid_sources

runner = CliRunner()
SHIPPED = Path(__file__).resolve().parents[1] / "plan"
BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.MULTILINE | re.DOTALL)

PARSE_SCRIPT = """\
import { JSDOM } from "jsdom";
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const text of JSON.parse(input)) {
  try { await mermaid.parse(text); out.push(null); }
  catch (e) { out.push(String((e && e.message) || e)); }
}
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def mermaid_parse():
    """A function: Mermaid sources -> None (parses) or the parser's message, per source."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node is not installed: the Mermaid charts are not parsed")
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aseanctl-tests" / "mermaid"
    folder = Path(os.environ.get("ASEANCTL_MERMAID_DIR") or default)
    marker = folder / "installed.ok"  # written last: a folder without it is a half-done install
    if not marker.exists() and not (folder / "node_modules" / "mermaid" / "package.json").is_file():
        npm = shutil.which("npm")
        assert npm is not None, "Node without npm: install npm, or set ASEANCTL_MERMAID_DIR to a folder holding mermaid"
        # installed beside the folder, then renamed into place: two test runs at once never see half
        staging = folder.with_name(f"{folder.name}.{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(staging), "mermaid@11", "jsdom"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"npm install mermaid jsdom failed: {done.stderr[-2000:]}"
        (staging / "installed.ok").write_text("mermaid jsdom\n", encoding="utf-8")
        if not marker.exists():
            shutil.rmtree(folder, ignore_errors=True)
            with contextlib.suppress(OSError):  # another run put its install there first
                staging.rename(folder)
        shutil.rmtree(staging, ignore_errors=True)
    script = folder / "parse.mjs"
    if not script.exists() or script.read_text(encoding="utf-8") != PARSE_SCRIPT:
        script.write_text(PARSE_SCRIPT, encoding="utf-8")

    def parse(sources: list[str]) -> list[str | None]:
        done = subprocess.run(
            [node, str(script)], input=json.dumps(sources), capture_output=True, text=True, timeout=300, cwd=folder
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout)

    return parse


def _report(plan: Path, *args: str) -> str:
    result = runner.invoke(app, ["report", "--plan", str(plan), "-o", "-", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_chart_of_every_report_parses(mermaid_parse, repo: Path) -> None:  # noqa: F811
    reports: dict[str, str] = {}
    for lang in ("vi", "en"):
        for kind, args in (
            ("progress", ["--period", "2024", "--as-of", "2024-12-14"]),
            ("progress", ["--period", "2024-H1", "--as-of", "2024-06-14"]),
            ("assignment", ["--as-of", "2024-12-14"]),
            ("owner-request", ["--owner", "so-b", "--period", "2025", "--as-of", "2025-01-10"]),
        ):
            reports[f"fixture {kind} {lang} {args[1]}"] = _report(repo / "plan", "--kind", kind, "--lang", lang, *args)
        for kind in ("progress", "assignment"):
            reports[f"shipped {kind} {lang}"] = _report(
                SHIPPED, "--kind", kind, "--lang", lang, "--period", "2024", "--as-of", "2024-12-14"
            )
    blocks = [(name, block) for name, text in reports.items() for block in BLOCK.findall(text)]
    kinds = {block.split(None, 1)[0] for _, block in blocks}
    assert {"pie", "xychart-beta", "gantt"} <= kinds
    assert "sankey-beta" not in kinds
    failures = [
        f"{name}:\n{block}\n-> {error}"
        for (name, block), error in zip(blocks, mermaid_parse([b for _, b in blocks]), strict=True)
        if error is not None
    ]
    assert failures == []


def test_the_parser_is_real(mermaid_parse) -> None:
    """The check can fail: the sankey chart the reports used to print is refused in Vietnamese."""
    sankey = 'sankey-beta\n\n"N1","đang triển khai",2'
    refused, drawn = mermaid_parse([sankey, 'pie\n    "đang triển khai" : 2'])
    assert refused is not None and "ESCAPED_TEXT" in refused
    assert drawn is None


def test_charts_of_a_plan_without_tasks_parse(mermaid_parse) -> None:
    """No task at all: the charts left are ones that parse (an empty bar chart does not)."""
    labels = {
        "status_table": "Số nhiệm vụ",
        "chart_title": "Tiến độ",
        "col.progress": "Tiến độ",
        "tasks": "Số",
        "recurring_chart": "Thường xuyên",
    }
    empty = {
        "labels": labels,
        "summary": {"by_status": []},
        "groups": [],
        "rows": [],
        "plan": {"title": "Kế hoạch"},
        "recurring": {"tasks": 0, "periods": []},
    }
    sources = [s for s in mermaid_sources(empty).values() if s]
    errors = mermaid_parse(sources)
    assert errors == [None] * len(sources), list(zip(sources, errors, strict=True))
