"""What a report is about, when the command line leaves it open: which plan, which period,
which day the figures are taken on, and the file it is written to.

Plain functions of the loaded plans and the day: no files read, nothing printed.  A choice
that cannot be made is a UsageError with a catalogue message (exit 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import AseanctlError, UsageError
from ..i18n import Lang, pick_lang
from ..loader import REPORT_SETTINGS_FILE, REPORTS_DIR, WorkspaceLoad
from ..model import Owner, Plan, Workspace
from ..problems import Msg
from ..progress import Period, parse_period, period_of
from ..suggest import did_you_mean


def reportable(plans: Iterable[Plan]) -> dict[str, tuple[Plan, dt.date, dt.date]]:
    """The plans whose plan.yaml loaded well enough to report on (an id and a period), by id,
    with their first and last days."""
    return {p.id: (p, p.start, p.end) for p in plans if p.id is not None and p.start is not None and p.end is not None}


def choose_plan(plans: Iterable[Plan], plan_id: str | None, day: dt.date) -> Plan | None:
    """``--plan-id`` if given (an unknown id is a usage error); else the plan whose period
    holds ``day``, else the one that ends last.  None when no plan can be reported on."""
    candidates = reportable(plans)
    if plan_id is not None:
        if plan_id not in candidates:
            raise UsageError("report.no_plan_id", id=plan_id, hint=did_you_mean(plan_id, list(candidates)))
        return candidates[plan_id][0]
    running = [plan for plan, start, end in candidates.values() if start <= day <= end]
    if running:
        return running[0]
    by_end = sorted(candidates.values(), key=lambda entry: entry[2])
    return by_end[-1][0] if by_end else None


def choose_period(plan: Plan, text: str | None, day: dt.date) -> Period:
    """``--period`` as the plan's calendar reads it (see ``progress.parse_period``); without it,
    the reporting period holding ``day``, taken inside the plan's period (before the plan
    began: its first period; after it ended: its last)."""
    if text is not None:
        period = parse_period(text, plan)
        if period is None:
            raise UsageError("report.bad_period", found=text)
        return period
    assert plan.start is not None and plan.end is not None  # reportable() plans only
    period = period_of(plan, max(plan.start, min(day, plan.end)))
    if period is None:  # a plan whose start is after its end has no reporting periods
        raise UsageError("report.bad_period", found="")
    return period


def figures_day(period: Period, as_of: dt.date | None, today: dt.date) -> dt.date:
    """``--as-of`` if given, else the end of the period, or today while the period runs."""
    return as_of if as_of is not None else min(period.end, today)


def choose_round(
    ws: Workspace, root: Path, plan_id: str | None, period: str | None, today: dt.date
) -> tuple[Plan, Period, dt.date]:
    """A round of collecting reports (``collect send``, ``collect status``): the plan, the period
    and the day its figures are taken, chosen as a report chooses them."""
    chosen = choose_plan(ws.plans, plan_id, today)
    if chosen is None:
        raise AseanctlError("update.plan_broken", file=str(root))
    found_period = choose_period(chosen, period, today)
    return chosen, found_period, figures_day(found_period, None, today)


def output_name(plan: Plan, kind: str, period: Period, owner: str | None, format: str, lang: str = "vi") -> str:
    """``kh-702-2021-progress-2024.md``; an owner's part carries its id: ``…-2025-so-y-te.md``;
    an English report ends ``-en`` (``…-2024-en.md``), so it never overwrites the Vietnamese one."""
    suffix = f"-{owner}" if owner else ""
    language = "" if lang == "vi" else f"-{lang}"
    return f"{plan.id}-{kind}-{period.slug}{suffix}{language}.{format}"


def letters_folder_name(plan: Plan, period: Period, lang: str = "vi") -> str:
    """The folder of one request letter per agency: ``kh-702-2021-owner-request-2025`` (``-en``
    for English), each letter in it named as ``--owner`` would name it."""
    return output_name(plan, "owner-request", period, None, "", lang).removesuffix(".")


def output_path(root: Path, output: str | None, file_name: str) -> Path | None:
    """Where the report goes: ``-o FILE``; ``None`` for ``-o -`` (stdout); by default
    ``reports/<file_name>`` beside the plan folder, in the plan repository."""
    if output is None:
        return root.parent / REPORTS_DIR / file_name
    return None if output == "-" else Path(output)


def narrative_path(plan: Plan, period: Period) -> Path:
    """The file holding the period's narrative sections: ``<plan>/reports/<period>.yaml``."""
    return plan.folder / REPORTS_DIR / f"{period.slug}.yaml"


def report_inputs(load: WorkspaceLoad, plan: Plan, period: Period) -> tuple[dict[str, Any], dict[str, Any], Path]:
    """The plan's report settings, the period's narrative, and the narrative's file; a broken
    input file stops the report at its first problem (AseanctlError naming file and line)."""
    reports_dir = plan.folder / REPORTS_DIR
    broken = [p for p in load.problems if p.severity == "error" and p.file is not None and p.file.parent == reports_dir]
    if broken:
        from ..validation import locate

        first = locate(broken[:1], load.text)[0]
        raise AseanctlError("report.inputs_broken", file=f"{first.file}:{first.line or 1}")
    settings = load.reports.get(reports_dir / REPORT_SETTINGS_FILE, {})
    narrative_file = narrative_path(plan, period)
    return settings, load.reports.get(narrative_file, {}), narrative_file


class PreparedReport(NamedTuple):
    """A report decided and its context built: what ``aseanctl report`` renders."""

    plan: Plan
    period: Period
    lang: Lang
    context: dict[str, Any]


def prepare_report(
    load: WorkspaceLoad,
    root: Path,
    *,
    kind: str = "progress",
    plan_id: str | None = None,
    period: str | None = None,
    as_of: dt.date | None = None,
    owner: str | None = None,
    lang: str | None = None,
    today: dt.date | None = None,
    deadline: dt.date | None = None,
) -> PreparedReport:
    """Choose the plan and period, read the report inputs and build the template context, as
    ``aseanctl report`` does (the same function).  ``root`` is the plan workspace folder.

    An owner-request is a letter written on ``as_of`` (default today): to an owner that exists
    on that day and leads or supports a task open in the period (else AseanctlError), answered
    by ``deadline`` (UsageError when it comes before the letter)."""
    from .context import build_context

    today = today or dt.date.today()
    ws = load.workspace
    plan = choose_plan(ws.plans, plan_id, as_of or today)
    if plan is None:
        raise AseanctlError("update.plan_broken", file=str(root))
    language = pick_lang(lang, plan.language)
    found_period = choose_period(plan, period, as_of or today)
    owners = ws.owner_map()
    if owner is not None and owner not in owners:
        raise UsageError("ref.unknown_owner", id=owner, hint=did_you_mean(owner, list(owners)))
    letter_day = as_of or today
    if kind == "owner-request":
        if deadline is not None and deadline < letter_day:
            raise UsageError("letter.deadline_early", deadline=deadline.isoformat(), day=letter_day.isoformat())
        if owner is not None:
            check_addressee(owners[owner], letter_day)
    settings, narrative, narrative_file = report_inputs(load, plan, found_period)
    context = build_context(
        ws,
        plan,
        kind=kind,
        period=found_period,
        as_of=figures_day(found_period, as_of, today),
        lang=language,
        owner_id=owner,
        settings=settings,
        narrative=narrative,
        # named from the plan repository's top (plan/…), the same wherever the command runs
        narrative_file=narrative_file.resolve().relative_to(root.resolve().parent).as_posix(),
        letter_day=letter_day,
        deadline=deadline,
    )
    if kind == "owner-request" and owner is not None and not context["rows"]:
        raise AseanctlError("letter.nothing", owner=owner, period=found_period.label)
    return PreparedReport(plan, found_period, language, context)


def check_addressee(owner: Owner, day: dt.date, sent: str = "letter") -> None:
    """A letter goes to an agency that exists on its day: one dissolved before it (a district
    after 30/06/2025) or not yet set up is refused, naming the successor that holds its work.
    ``sent``: what would have gone to it, ``letter`` or (collect's) ``form``."""
    if owner.active_until is not None and day > owner.active_until:
        successor = Msg("letter.successor", {"id": owner.successor}) if owner.successor else ""
        raise AseanctlError(
            f"{sent}.owner_gone",
            owner=owner.id,
            day=day.isoformat(),
            until=owner.active_until.isoformat(),
            successor=successor,
        )
    if owner.active_from is not None and day < owner.active_from:
        raise AseanctlError(
            f"{sent}.owner_not_yet", owner=owner.id, day=day.isoformat(), since=owner.active_from.isoformat()
        )
