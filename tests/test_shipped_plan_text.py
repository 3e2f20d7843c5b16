"""The shipped plan data (plan/kh-702-2021) must carry every published word of KH 702/KH-UBND.

The source is the provincial portal's news item about the plan, kept outside the
repository at ../shared/sources/kh-702-ubnd-2021-an-giang.txt. Each task group is one
paragraph "(n) heading: activity; activity; …". Every semicolon-separated piece must
appear verbatim in the titles of that group's task file (tasks/nhom-n.yaml); a piece may
share a task with the previous one (then the title keeps the "; "). Allowed differences:
the first letter of a piece/title may change case, and the paragraph's final full stop is
not part of an activity.

YAML is read with yaml.safe_load on purpose: this test is about the text, not the loader.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

REPO = Path(__file__).resolve().parents[1]
PLAN_DIR = REPO / "plan" / "kh-702-2021"
SOURCE = Path(__file__).resolve().parents[2] / "shared" / "sources" / "kh-702-ubnd-2021-an-giang.txt"

GROUPS = range(1, 6)
TOTAL_PIECES = 28

PARAGRAPH = re.compile(r"^\((\d)\)\s+(.*?):\s+(.*\S)\s*$", re.MULTILINE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold_first(text: str) -> str:
    """Lower-case the first character only (titles may capitalise it)."""
    return text[:1].lower() + text[1:]


def source_paragraphs() -> dict[int, tuple[str, list[str]]]:
    if not SOURCE.is_file():
        pytest.skip(f"source text not available at {SOURCE} (it lives outside the repository)")
    text = nfc(SOURCE.read_text(encoding="utf-8-sig"))
    groups: dict[int, tuple[str, list[str]]] = {}
    for match in PARAGRAPH.finditer(text):
        number, heading, body = int(match.group(1)), match.group(2).strip(), match.group(3)
        pieces = [piece.strip() for piece in body.split(";")]
        # The paragraph's closing full stop ends the sentence, not the activity;
        # a trailing ellipsis ("…", U+2026) is kept.
        pieces[-1] = pieces[-1].removesuffix(".").rstrip()
        groups[number] = (heading, [piece for piece in pieces if piece])
    return groups


def load_yaml(path: Path):
    with path.open(encoding="utf-8-sig") as handle:
        return yaml.safe_load(handle)


def group_titles(number: int) -> list[str]:
    data = load_yaml(PLAN_DIR / "tasks" / f"nhom-{number}.yaml")
    assert isinstance(data, dict), f"nhom-{number}.yaml is not a mapping"
    assert data.get("objective") == f"N{number}"
    tasks = data.get("tasks") or []
    assert len(tasks) >= 1, f"nhom-{number}.yaml has no task"
    return [nfc(str(task["title"])) for task in tasks]


def covered(piece: str, titles: list[str]) -> bool:
    haystack = "\n".join(fold_first(title) for title in titles)
    return fold_first(piece) in haystack or piece in haystack


def test_source_has_five_groups_and_28_pieces():
    groups = source_paragraphs()
    assert sorted(groups) == list(GROUPS)
    assert sum(len(pieces) for _, pieces in groups.values()) == TOTAL_PIECES


@pytest.mark.parametrize("number", GROUPS)
def test_every_piece_is_in_its_group_file(number):
    groups = source_paragraphs()
    _, pieces = groups[number]
    titles = group_titles(number)
    missing = [piece for piece in pieces if not covered(piece, titles)]
    assert not missing, f"nhom-{number}.yaml lacks, verbatim: {missing}"


def test_all_28_pieces_covered():
    groups = source_paragraphs()
    count = 0
    for number in GROUPS:
        titles = group_titles(number)
        for piece in groups[number][1]:
            assert covered(piece, titles), f"N{number}: {piece!r}"
            count += 1
    assert count == TOTAL_PIECES


def test_objective_titles_are_the_group_headings():
    groups = source_paragraphs()
    plan = load_yaml(PLAN_DIR / "plan.yaml")
    objectives = {objective["id"]: nfc(objective["title"]) for objective in plan["objectives"]}
    for number in GROUPS:
        heading = groups[number][0]
        assert fold_first(objectives[f"N{number}"]) == fold_first(heading)


def test_task_ids_follow_their_group():
    for number in GROUPS:
        data = load_yaml(PLAN_DIR / "tasks" / f"nhom-{number}.yaml")
        ids = [task["id"] for task in data["tasks"]]
        assert ids == [f"N{number}.{index}" for index in range(1, len(ids) + 1)]


# --- the owners registry: document codes and the 2025 reorganisation --------------------------


def test_every_owner_that_issues_documents_has_its_code() -> None:
    """A 2025 report read «Số: /BC»: Sở Nội vụ, the lead from 01/03/2025, had no `short`."""
    from aseanctl.loader import load_workspace

    owners = load_workspace(REPO / "plan").workspace.owners
    assert [o.id for o in owners if not o.short] == []
    lines = (REPO / "plan" / "owners.yaml").read_text(encoding="utf-8").splitlines()
    unmarked = [
        line for line in lines if line.strip().startswith("short:") and "UBND" not in line and "[I]" not in line
    ]
    assert unmarked == ["    short: SLĐTBXH"]  # the decree's own example «Số: 05/BC-SLĐTBXH» (domain.md)


@pytest.mark.parametrize(
    ("period", "as_of", "code"), [("2024", "2024-12-14", "BC-SLĐTBXH"), ("2025", "2025-12-14", "BC-SNV")]
)
def test_the_report_number_carries_the_lead_of_its_day(period: str, as_of: str, code: str) -> None:
    from typer.testing import CliRunner

    from aseanctl.cli import app

    result = CliRunner().invoke(
        app,
        ["report", "--plan", str(REPO / "plan"), "--period", period, "--as-of", as_of, "-o", "-"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert re.search(rf"Số: *\S*/{code}\b", result.stdout), result.stdout[:600]
