"""What a report is about when the command line leaves it open: plan, period, day, file name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aseanctl.cli import app
from aseanctl.errors import UsageError
from aseanctl.model import Plan, Reporting, Src
from aseanctl.progress import Period
from aseanctl.report.choose import (
    choose_period,
    choose_plan,
    figures_day,
    narrative_path,
    output_name,
    output_path,
    reportable,
)

D = dt.date


def plan(plan_id: str | None, start: dt.date | None, end: dt.date | None, cutoff: str = "12-31") -> Plan:
    folder = Path("/ws") / (plan_id or "broken")
    return Plan(
        plan_id, "t", folder, Src(folder / "plan.yaml"), start=start, end=end, reporting=Reporting(cutoff=cutoff)
    )


OLD = plan("kh-2016", D(2016, 1, 1), D(2020, 12, 31))
NOW = plan("kh-2021", D(2021, 1, 1), D(2025, 12, 31), cutoff="12-14")
BROKEN = plan(None, D(2021, 1, 1), None)


def test_only_plans_with_an_id_and_a_period_are_reportable() -> None:
    assert list(reportable([OLD, BROKEN, NOW, plan("x", None, D(2020, 1, 1))])) == ["kh-2016", "kh-2021"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2018, 6, 1), "kh-2016"),  # the plan running that day
        (D(2021, 1, 1), "kh-2021"),
        (D(2030, 1, 1), "kh-2021"),  # after every plan: the one that ended last
        (D(2000, 1, 1), "kh-2021"),  # before every plan: the one that ends last too
    ],
)
def test_the_plan_running_on_the_day_else_the_last(day: dt.date, expected: str) -> None:
    chosen = choose_plan([OLD, NOW], None, day)
    assert chosen is not None and chosen.id == expected


def test_plan_id_wins_over_the_day() -> None:
    chosen = choose_plan([OLD, NOW], "kh-2016", D(2024, 1, 1))
    assert chosen is not None and chosen.id == "kh-2016"


def test_an_unknown_plan_id_is_a_usage_error_with_a_hint() -> None:
    with pytest.raises(UsageError) as caught:
        choose_plan([OLD, NOW], "kh-2016x", D(2024, 1, 1))
    assert caught.value.exit_code == 2
    assert caught.value.msg.key == "report.no_plan_id"
    assert caught.value.msg.args["hint"].args == {"suggestion": "kh-2016"}


def test_no_reportable_plan_is_none() -> None:
    assert choose_plan([BROKEN], None, D(2024, 1, 1)) is None


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (D(2024, 6, 1), "2024"),
        (D(2024, 12, 15), "2025"),  # past the 14/12 cut-off: the next reporting year
        (D(2031, 1, 1), "2025"),  # after the plan: its last period
        (D(1999, 1, 1), "2021"),  # before the plan: its first period (was a usage error with an empty period)
    ],
)
def test_the_default_period_holds_the_day_inside_the_plan(day: dt.date, label: str) -> None:
    assert choose_period(NOW, None, day).label == label


def test_a_given_period_is_read_in_the_plan_calendar() -> None:
    assert choose_period(NOW, "2024", D(2000, 1, 1)) == Period("2024", D(2023, 12, 15), D(2024, 12, 14))
    assert choose_period(NOW, " 2021..2022 ", D(2000, 1, 1)) == Period("2021..2022", D(2021, 1, 1), D(2022, 12, 14))


@pytest.mark.parametrize("text", ["2030", "năm nay", "2024-Q5", "2025..2021", ""])
def test_a_period_the_plan_does_not_have_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        choose_period(NOW, text, D(2024, 1, 1))
    assert (caught.value.msg.key, caught.value.msg.args) == ("report.bad_period", {"found": text})


def test_figures_are_taken_at_the_period_end_or_today() -> None:
    period = Period("2024", D(2023, 12, 15), D(2024, 12, 14))
    assert figures_day(period, None, today=D(2024, 3, 1)) == D(2024, 3, 1)
    assert figures_day(period, None, today=D(2025, 3, 1)) == D(2024, 12, 14)
    assert figures_day(period, D(2020, 1, 1), today=D(2025, 3, 1)) == D(2020, 1, 1)


def test_file_names() -> None:
    whole = Period("2021..2025", D(2021, 1, 1), D(2025, 12, 31))
    half = Period("2024-H1", D(2023, 12, 15), D(2024, 6, 14))
    assert output_name(NOW, "progress", whole, None, "md") == "kh-2021-progress-2021-2025.md"
    assert output_name(NOW, "owner-request", half, "so-y-te", "docx") == "kh-2021-owner-request-2024-H1-so-y-te.docx"
    assert narrative_path(NOW, whole) == Path("/ws/kh-2021/reports/2021-2025.yaml")


def test_output_paths() -> None:
    root = Path("/repo/plan")
    assert output_path(root, None, "a.md") == Path("/repo/reports/a.md")  # beside plan/, in the repository
    assert output_path(root, "-", "a.md") is None
    assert output_path(root, "out/x.md", "a.md") == Path("out/x.md")


def test_report_before_the_plan_began_reports_its_first_period() -> None:
    # the command used to say "--period: '' is not a reporting period" for a day before the plan
    plan_dir = Path(__file__).resolve().parents[1] / "plan"
    result = CliRunner().invoke(
        app, ["report", "--plan", str(plan_dir), "--as-of", "2020-06-01", "-o", "-"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    first = CliRunner().invoke(
        app,
        ["report", "--plan", str(plan_dir), "--as-of", "2020-06-01", "--period", "2021", "-o", "-"],
        catch_exceptions=False,
    )
    assert result.stdout == first.stdout
