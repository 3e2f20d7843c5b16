"""The report context: plain data for the templates, computed once, from derived state.

Pure: no files, no printing.  Every figure comes from ``aseanctl.progress`` (the same
functions as ``aseanctl status``); every label from the catalogue.  Values are plain
strings, numbers, lists, dicts and ``Row`` tuples (one per task, read as ``r.title`` or
``r["title"]``), so the same context renders Markdown and Word.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple

from ..fmt import format_date, format_number, owner_name
from ..i18n import Lang, t
from ..model import Owner, Plan, Task, Update, Workspace
from ..progress import (
    DONE,
    RESTING,
    WEIGHTING,
    Period,
    Rollup,
    TaskState,
    OwedReport,
    effective_owner,
    owed_reports,
    reporting_periods,
    rollup_by_objective,
    rollup_total,
    task_states,
)
from ..schema import STATUSES

KINDS = ("progress", "assignment", "owner-request")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
LABEL_KEYS = (
    "report.title",
    "report.section.direction",
    "report.section.results",
    "report.section.assessment",
    "report.section.strengths",
    "report.section.limitations",
    "report.section.causes",
    "report.section.difficulties",
    "report.section.lessons",
    "report.section.next_steps",
    "report.section.proposals",
    "report.overdue",
    "report.stale",
    "report.missing_owners",
    "report.none",
    "report.appendix",
    "report.assignment_title",
    "report.owner_request_title",
    "report.col.stt",
    "report.col.task",
    "report.col.lead",
    "report.col.support",
    "report.col.timing",
    "report.col.status",
    "report.col.result",
    "report.col.output",
    "report.col.funding",
    "report.col.note",
    "report.col.role",
    "report.col.progress",
    "report.col.last_report",
    "report.col.this_period",
    "report.col.difficulties",
    "report.col.proposals",
    "report.recipients",
    "report.motto1",
    "report.motto2",
    "report.chart_title",
    "report.weighting",
    "report.role.lead",
    "report.role.support",
    "report.assumed",
    "report.task_groups",
    "report.tasks",
    "report.total",
    "report.status_table",
    "report.recurring_chart",
    "report.draft",
    "report.col.id",
    "report.indicators",
    "report.col.indicator",
    "report.col.unit",
    "report.col.baseline",
    "report.col.target",
    "report.col.reached",
)


def place_date(place: str, day: dt.date | None, year: int, lang: Lang) -> str:
    """«An Giang, ngày 05 tháng 3 năm 2025»: days under 10 and months 1–2 take a leading zero
    (Nghị định 30/2020/NĐ-CP); an unsigned report leaves day and month blank."""
    if lang == "en":
        return f"{place}, {day:%d %B %Y}" if day else f"{place}, … {year}"
    if day is None:
        return f"{place}, ngày      tháng      năm {year}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _title(task: Task, lang: Lang) -> str:
    return (task.title_en if lang == "en" and task.title_en else task.title) or ""


def _timing(task: Task, plan: Plan, lang: Lang) -> str:
    start = task.start or plan.start
    end = task.due or plan.end
    span = f"{format_date(start, lang)} – {format_date(end, lang)}"
    if task.recurring:
        years = f"{start.year}–{end.year}" if start and end else ""
        return t("report.timing.yearly", lang, years=years)
    return span


def _period_phrase(period: Period, lang: Lang) -> str:
    label = period.label
    if ".." in label:
        first, last = label.split("..")
        return t("report.phrase.range", lang, first=first, last=last)
    if "-H" in label:
        year, half = label.split("-H")
        return t(f"report.phrase.h{half}", lang, year=year)
    if "-Q" in label:
        year, quarter = label.split("-Q")
        return t("report.phrase.quarter", lang, quarter=ROMAN[int(quarter) - 1], year=year)
    return t("report.phrase.year", lang, year=label)


@lru_cache(maxsize=64)
def _status_label(status: str, lang: Lang) -> str:
    return t(f"status.{status}", lang)


class Row(NamedTuple):
    """One task in a report (``rows``, ``groups[].tasks``, ``overdue``, ``stale``): a template
    reads ``r.title`` (or ``r["title"]``).  A NamedTuple rather than a dict: a 10,000-task
    report builds 10,000 of these, a tuple is built five times faster than a 25-key dict, and
    Jinja reads its fields without a failed attribute look-up first."""

    stt: int
    id: str | None
    objective: str | None
    title: str
    lead: str
    lead_id: str | None
    support: str
    timing: str
    due: str
    start_iso: str
    end_iso: str
    output: str
    status: str
    status_label: str
    progress: int
    health: str
    result: str  # the last update's note and evidence
    last_update: str
    overdue: bool
    stale: bool
    assumed: bool  # its supporting agencies are an assumption
    note: str  # "(*)" when they are
    funding: str  # not in the plan: a column for the clerk
    role: str  # with --owner: "lead" or "support"
    role_label: str
    recurring: bool  # every year of the plan: no span of its own on a timeline
    results: str  # every note and evidence of the report's period, in date order, one a line

    def __getitem__(self, key: Any) -> Any:
        """``row["title"]`` as well as ``row.title``, as when rows were dicts."""
        if isinstance(key, str):
            if key in Row._fields:
                return getattr(self, key)
            raise KeyError(key)
        return tuple.__getitem__(self, key)


_new_row = tuple.__new__  # Row(...) through its generated __new__ costs a third more


class _RowMaker:
    """Builds the appendix rows: what thousands of rows share (agency names, supporter lists,
    time spans, dates, status words) is worked out once."""

    def __init__(
        self, owners: dict[str, Owner], lang: Lang, owner_id: str | None, period: Period | None = None
    ) -> None:
        self.owners, self.lang, self.owner_id, self.period = owners, lang, owner_id, period
        self.names: dict[str | None, str] = {}
        self.supports: dict[tuple[str, ...], str] = {}
        self.timings: dict[tuple[dt.date | None, dt.date | None, bool], str] = {}
        self.dates: dict[dt.date | None, tuple[str, str]] = {None: ("", "")}  # day -> (shown, ISO)
        self.roles = {role: t(f"report.role.{role}", lang) for role in ("lead", "support")}

    def name(self, owner_id: str | None) -> str:
        found = self.names.get(owner_id)
        if found is None:
            found = self.names[owner_id] = owner_name(owner_id, self.owners, self.lang)
        return found

    def date(self, day: dt.date | None) -> tuple[str, str]:
        found = self.dates.get(day)
        if found is None:
            found = self.dates[day] = (format_date(day, self.lang), day.isoformat())  # type: ignore[union-attr]
        return found

    def results(self, updates: tuple[Update, ...]) -> str:
        """«dd/mm/yyyy: note (evidence)» for every update of the period with a note or evidence,
        in the order they count (a later progress-only update hides none of them)."""
        lines = []
        first, last = (self.period.start, self.period.end) if self.period is not None else (dt.date.min, dt.date.max)
        for update in updates:
            if not (update.note or update.evidence) or not first <= update.date <= last:
                continue
            text = update.note or ""
            if update.evidence:
                text = f"{text} ({update.evidence})" if text else update.evidence
            lines.append(f"{self.date(update.date)[0]}: {text}")
        return "\n".join(lines)

    def row(self, number: int, state: TaskState) -> Row:
        task, plan, lang, owner_id = state.task, state.plan, self.lang, self.owner_id
        start, end = task.start or plan.start, task.due or plan.end
        updates = state.updates
        last = updates[-1] if updates else None
        result = ""
        if last is not None:
            result = last.note or ""
            if last.evidence:
                result = f"{result} ({last.evidence})" if result else last.evidence
        support = self.supports.get(state.support)
        if support is None:
            support = self.supports[state.support] = "; ".join(self.name(o) for o in state.support)
        timing_key = (start, end, bool(task.recurring))
        timing = self.timings.get(timing_key)
        if timing is None:
            timing = self.timings[timing_key] = _timing(task, plan, lang)
        role = ("lead" if state.lead == owner_id else "support") if owner_id else ""
        status = state.status
        last_day = self.date(last.date)[0] if last is not None else ""
        assumed = bool(task.assumptions)
        return _new_row(
            Row,
            (
                number,
                task.id,
                task.objective,
                _title(task, lang),
                self.name(state.lead),
                state.lead,
                support,
                timing,
                self.date(task.due)[0],
                self.date(start)[1],
                self.date(end)[1],
                task.output or "",
                status,
                _status_label(status, lang),
                round(state.progress),
                state.health or "",
                result,
                last_day,
                state.overdue,
                state.stale,
                assumed,
                "(*)" if assumed and state.support else "",
                "",
                role,
                self.roles[role] if role else "",
                bool(task.recurring),
                self.results(updates),
            ),
        )


def _by_lead(rows: list[Row]) -> list[dict[str, Any]]:
    """Rows grouped by lead agency, as «Sở Nội vụ: N1.1, N1.2» lines: a list of 26 full
    titles would fill pages of a report."""
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(row.lead, []).append(str(row.id))
    return [{"lead": lead, "count": len(ids), "ids": ", ".join(ids)} for lead, ids in groups.items()]


SECTIONS = ("direction", "strengths", "limitations", "causes", "difficulties", "lessons", "next_steps", "proposals")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def text_blocks(text: str | None) -> list[dict[str, Any]]:
    """Analyst-written text as it was meant: blank lines separate paragraphs, a single line
    break is a space (YAML ``|`` blocks keep the lines the writer wrapped), and a line starting
    with ``- `` is a list item (lines after it, up to the next item or blank line, continue it).
    Each block is {``text``, ``item``}."""
    blocks: list[dict[str, Any]] = []
    for chunk in _BLANK_LINE.split((text or "").replace("\r\n", "\n").replace("\r", "\n")):
        current: list[str] | None = None
        for raw in chunk.split("\n"):
            line = raw.strip()
            if not line:
                continue
            if line.startswith("- ") or line == "-":
                current = [line[1:].strip()]
                blocks.append({"text": current, "item": True})
            elif current is None:
                current = [line]
                blocks.append({"text": current, "item": False})
            else:
                current.append(line)
    return [{"text": " ".join(part for part in b["text"] if part), "item": b["item"]} for b in blocks]


def summarize(total: Rollup, lang: Lang) -> dict[str, Any]:
    """Totals of a set of tasks, from their roll-up: the same as ``aseanctl status``.

    Every status is counted (recurring, suspended and change requested as much as completed),
    so the counts in the sentence and in ``by_status`` add up to ``tasks``; overdue is a
    property of tasks across statuses, said apart.  A status outside the schema's list (a
    journal written by hand) is counted under its own name rather than dropped."""
    statuses = [*STATUSES, *sorted(s for s in total.by_status if s not in STATUSES)]
    by_status = [{"status": s, "label": _status_label(s, lang), "count": total.by_status.get(s, 0)} for s in statuses]
    progress_text = format_number(total.progress, lang)
    counted = ", ".join(f"{item['count']} {item['label']}" for item in by_status if item["count"])
    sentence = t(
        "report.summary_sentence" if counted else "report.summary_sentence_empty",
        lang,
        tasks=total.tasks,
        statuses=counted,
        overdue=total.overdue,
        progress=progress_text,
    )
    return {
        "sentence": sentence,
        "progress_text": progress_text,
        "tasks": total.tasks,
        "completed": total.completed,
        "in_progress": total.by_status.get("in_progress", 0),
        "not_started": total.by_status.get("not_started", 0),
        "recurring": total.by_status.get("recurring", 0),
        "suspended": total.by_status.get("suspended", 0),
        "change_requested": total.by_status.get("change_requested", 0),
        "overdue": total.overdue,
        "stale": total.stale,
        "progress": total.progress,
        "weighting": WEIGHTING,
        "by_status": by_status,
    }


def _recurring(ws: Workspace, states: list[TaskState], plan: Plan, as_of: dt.date) -> dict[str, Any]:
    """Recurring tasks by reporting period (up to ``as_of``): how many owed a report and how many
    gave it (``progress.owed_reports``, the definition every compliance figure uses).  A recurring
    task's span is the whole plan, so a bar per task says nothing; this says who kept reporting."""
    recurring = [s for s in states if s.task.recurring]
    periods = []
    for period in reporting_periods(plan):
        if period.start > as_of:
            break
        owed = owed_reports(ws, period, as_of, states=recurring)
        periods.append({"label": period.label, "owed": len(owed), "reported": sum(r.reported for r in owed)})
    return {"tasks": len(recurring), "periods": periods}


def _missing_owners(owed: list[OwedReport], owners: dict[str, Owner], lang: Lang) -> list[dict[str, Any]]:
    """The agencies that miss the period, each with how many of its tasks owed a report, how
    many gave it, and the ids of the others."""
    by_holder: dict[str, list[OwedReport]] = {}
    for report in owed:
        if report.holder is not None:
            by_holder.setdefault(report.holder, []).append(report)
    found = []
    for holder in sorted(by_holder):
        missing = [str(r.task.id) for r in by_holder[holder] if not r.reported]
        if missing:
            tasks = len(by_holder[holder])
            found.append(
                {
                    "id": holder,
                    "name": owner_name(holder, owners, lang),
                    "owed": tasks,
                    "given": tasks - len(missing),
                    "missing": len(missing),
                    "ids": ", ".join(missing),
                }
            )
    return found


def _indicators(states: list[TaskState], lang: Lang) -> list[dict[str, Any]]:
    """Every indicator of the tasks shown: its task, unit, baseline, target and the value
    reached (the latest ``actual`` of the task's updates up to the report's day)."""
    found = []
    for state in states:
        for indicator in state.task.indicators:
            reached = state.actual.get(indicator.id) if indicator.id is not None else None
            name = (indicator.name_en if lang == "en" and indicator.name_en else indicator.name) or indicator.id or ""
            found.append(
                {
                    "id": indicator.id,
                    "task": state.task.id,
                    "name": name,
                    "unit": indicator.unit or "",
                    "baseline": "" if indicator.baseline is None else format_number(indicator.baseline, lang),
                    "target": "" if indicator.target is None else format_number(indicator.target, lang),
                    "reached": "" if reached is None else format_number(reached, lang),
                }
            )
    return found


_DATE = attrgetter("date")


def _reported_within(updates: tuple[Update, ...], period: Period) -> bool:
    """Whether any of a task's updates (in the order they count: by date) is dated within ``period``."""
    found = bisect_left(updates, period.start, key=_DATE)
    return found < len(updates) and updates[found].date <= period.end


def _stale_in(state: TaskState, period: Period) -> TaskState:
    """Stale in the report's own period (a half-year or quarter report asks about its half or
    quarter, not the reporting year that holds its day): started, neither completed nor
    suspended, and no update within the period up to the report's day."""
    if not state.stale and not state.updates:
        return state
    start = state.task.start or state.plan.start
    active = (start is None or start <= state.as_of) and state.status not in RESTING
    reported = _reported_within(state.updates, period)
    stale = active and not reported
    return state if stale == state.stale else state._replace(stale=stale)


REQUEST_DAYS = 15  # days an agency is given to answer a request letter, unless settings say


def issuer(
    plan: Plan, day: dt.date, owners: dict[str, Owner], settings: dict[str, Any]
) -> tuple[str | None, Owner | None, str]:
    """Who issues a document of the plan dated ``day``: the plan's lead then (after hand-overs),
    and the issuing body's line in the header (the settings' ``issuing_body``, else the lead's
    name in capitals)."""
    lead_id = effective_owner(plan.lead, day, owners)
    lead = owners.get(lead_id) if lead_id else None
    issuing = settings.get("issuing_body") or ((lead.name or "").upper() if lead else "")
    return lead_id, lead, issuing


def letter_code(lead: Owner | None, settings: dict[str, Any]) -> str:
    """The ký hiệu of a công văn after its number: the issuer's code (``short`` in owners.yaml),
    then the drafting unit's (``letter_unit`` of the settings), «SNV-VP»; never a type code such
    as BC (Nghị định 30/2020/NĐ-CP: a công văn has none)."""
    return "-".join(part for part in ((lead.short if lead else None), settings.get("letter_unit")) if part)


def letter_recipients(settings: dict[str, Any], lang: Lang) -> list[str]:
    """«Nơi nhận» of a letter: «Như trên» (the addressee in «Kính gửi»), the settings'
    ``letter_recipients``, and the archive line with the drafting unit."""
    unit = settings.get("letter_unit")
    return [
        t("letter.as_above", lang),
        *(settings.get("letter_recipients") or []),
        t("letter.archive", lang, unit=f", {unit}" if unit else ""),
    ]


def _letter(
    plan: Plan, period: Period, lang: Lang, *, sender: str, owner: str, count: int, deadline: dt.date
) -> dict[str, Any]:
    document = plan.document
    words = {
        "number": document.number if document else "",
        "date": format_date(document.date if document else None, lang),
        "issuer": document.issuer if document else "",
        "period": _period_phrase(period, lang),
        "sender": sender,
        "owner": owner,
        "count": count,
        "deadline": format_date(deadline, lang),
    }
    return {
        "addressee": owner,
        "sender": sender,
        "deadline": words["deadline"],
        "deadline_iso": deadline.isoformat(),
        "to": t("letter.to", lang),
        "request": t("letter.request", lang, **words),
        "answer_by": t("letter.answer_by", lang, **words),
    }


def build_context(
    ws: Workspace,
    plan: Plan,
    *,
    kind: str,
    period: Period,
    as_of: dt.date,
    lang: Lang,
    owner_id: str | None = None,
    settings: dict[str, Any] | None = None,
    narrative: dict[str, Any] | None = None,
    narrative_file: str = "",
    letter_day: dt.date | None = None,
    deadline: dt.date | None = None,
) -> dict[str, Any]:
    """Everything a report template may use (docs/reports.md lists it).  ``narrative_file``
    names the file an analyst writes the missing sections in.  An owner-request is a letter
    written on ``letter_day`` (default ``as_of``) about the owner's tasks open in the period,
    to be answered by ``deadline`` (default: ``request_days`` of the settings after it)."""
    settings = settings or {}
    narrative = narrative or {}
    owners = ws.owner_map()
    plan_ws = Workspace(root=ws.root, owners=ws.owners, plans=(plan,), files=ws.files, incomplete=ws.incomplete)
    every = [s for s in task_states(plan_ws, as_of) if s.task.id is not None]
    if kind == "owner-request":
        from ..collect import held_on, open_states  # a letter asks about what a form asks about

        # a letter goes to whoever holds the work on the day it is written: the tasks it asks
        # about are the ones that agency leads or supports then (a task taken over since the
        # period is the successor's to report on)
        day = letter_day or as_of
        states = [_stale_in(held_on(s, day, owners), period) for s in open_states(plan_ws, plan, period, as_of, every)]
    else:
        states = [_stale_in(s, period) for s in every]
    if owner_id is not None:
        states = [s for s in states if s.lead == owner_id or owner_id in s.support]
    maker = _RowMaker(owners, lang, owner_id, period)
    rows = [maker.row(number, state) for number, state in enumerate(states, 1)]

    rows_by_group: dict[str, list[Row]] = {}
    for state, row in zip(states, rows, strict=True):
        rows_by_group.setdefault(state.task.objective or "?", []).append(row)
    groups = []
    titles = {o.id: o for o in plan.objectives}
    for number, rollup in enumerate(rollup_by_objective(states), 1):
        objective = titles.get(rollup.key)
        groups.append(
            {
                "number": number,
                "id": rollup.key,
                "title": (
                    (objective.title_en if lang == "en" and objective.title_en else objective.title)
                    if objective
                    else rollup.key
                )
                or rollup.key,
                "ascc": objective.ascc if objective else None,
                "summary": summarize(rollup, lang),
                "tasks": rows_by_group.get(rollup.key, []),
            }
        )

    letter = kind == "owner-request"
    if letter:
        # a letter has no narrative: its number and date are the clerk's, its day is the one it
        # is written on (default: the day the figures are taken)
        narrative = {}
    signed = narrative.get("date")
    # the document's date decides who issues it (a 2024 report signed on 20/12/2024 is the old
    # department's even when its figures are computed later): the narrative's date, else the
    # period's end; a letter's, the day it is written
    report_day = signed if isinstance(signed, dt.date) else period.end
    document_day = (letter_day or as_of) if letter else report_day
    lead_id, lead, issuing = issuer(plan, document_day, owners, settings)
    if letter:
        code = letter_code(lead, settings)
    else:
        code = settings.get("number_code") or (f"BC-{lead.short}" if lead and lead.short else "BC")
    signed_number = narrative.get("number")
    document = plan.document
    subject_default = t(
        f"report.subject.{kind}",
        lang,
        number=document.number if document else "",
        date=format_date(document.date if document else None, lang),
        issuer=document.issuer if document else "",
        period=_period_phrase(period, lang),
        owner=owner_name(owner_id, owners, lang),
    )
    signer = settings.get("signer") or {}
    # who owes the period's reports is asked of every task, whatever --owner shows
    owed = owed_reports(plan_ws, period, as_of, states=every) if kind == "progress" else []
    owner = owners.get(owner_id) if owner_id else None
    recipients = list(settings.get("recipients") or [])
    letter_context = None
    if letter:
        subject_default = t(
            "letter.subject", lang, number=document.number if document else "", period=_period_phrase(period, lang)
        )
        recipients = letter_recipients(settings, lang)
        letter_context = _letter(
            plan,
            period,
            lang,
            sender=owner_name(lead_id, owners, lang),
            owner=owner_name(owner_id, owners, lang),
            count=len(rows),
            deadline=deadline or document_day + dt.timedelta(days=int(settings.get("request_days") or REQUEST_DAYS)),
        )
    return {
        "lang": lang,
        "kind": kind,
        "labels": {
            **{key.removeprefix("report."): t(key, lang) for key in LABEL_KEYS},
            "to_fill": t("report.to_fill", lang, file=narrative_file),
            "to_fill_file": narrative_file,
            "source": t("report.source", lang, as_of=format_date(as_of, lang)),
        },
        "plan": {
            "id": plan.id,
            "title": (plan.title_en if lang == "en" and plan.title_en else plan.title) or "",
            "document": {
                "number": document.number if document else "",
                "date": format_date(document.date if document else None, lang),
                "issuer": document.issuer if document else "",
            },
            "implements": [
                {"number": d.number, "date": format_date(d.date, lang), "issuer": d.issuer, "title": d.title or ""}
                for d in plan.implements
            ],
            "start": format_date(plan.start, lang),
            "end": format_date(plan.end, lang),
            "lead": {"id": lead_id, "name": owner_name(lead_id, owners, lang)},
        },
        "period": {
            "label": period.label,
            "phrase": _period_phrase(period, lang),
            "start": format_date(period.start, lang),
            "end": format_date(period.end, lang),
        },
        "as_of": format_date(as_of, lang),
        "doc": {
            "parent_body": settings.get("parent_body") or "",
            "issuing_body": issuing,
            "number": t("report.number", lang, number=signed_number or "      ", code=code),
            "signed_number": str(signed_number or ""),
            "place_date": place_date(
                settings.get("place") or "", signed, (signed or (document_day if letter else as_of)).year, lang
            ),
            # the day the document is dated (its signing date, else a letter's day or the as-of
            # day), for the Word file's properties
            "date": (signed if isinstance(signed, dt.date) else (document_day if letter else as_of)).isoformat(),
            "title": ""
            if letter
            else t("report.title" if kind == "progress" else f"report.{kind.replace('-', '_')}_title", lang),
            "subject": narrative.get("subject") or subject_default,
            "recipients": recipients,
            "signer": {
                "authority": signer.get("authority") or "",
                "title": signer.get("title") or "",
                "name": signer.get("name") or "",
            },
        },
        "narrative": {name: narrative.get(name) for name in SECTIONS},
        "narrative_blocks": {name: text_blocks(_text(narrative.get(name))) for name in SECTIONS},
        "summary": summarize(rollup_total(states), lang),
        "recurring": _recurring(plan_ws, states, plan, as_of),
        "indicators": _indicators(states, lang),
        "groups": groups,
        "rows": rows,
        "overdue": [row for row in rows if row.overdue],
        "stale": [row for row in rows if row.stale],
        "stale_by_owner": _by_lead([row for row in rows if row.stale]),
        "missing_owners": _missing_owners(owed, owners, lang),
        "owner": {"id": owner_id, "name": owner_name(owner_id, owners, lang)} if owner_id else None,
        "owner_known": owner is not None,
        "letter": letter_context,
        "done": DONE,
        "draft": False,  # set by the command when the plan has errors
    }
