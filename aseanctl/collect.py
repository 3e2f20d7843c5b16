"""Forms out to the agencies, their answers back into the journal (``aseanctl collect``).

A form is one workbook per agency and reporting period: a visible sheet of the agency's
tasks, and a hidden sheet that says which plan, period and owner it was made for, which
task each row was sent for, and a digest of all that.  A returned workbook is untrusted
input: it is size-checked before it is unzipped, read in openpyxl's streaming mode without
evaluating anything, and every cell that cannot become part of an update is a problem
naming the workbook, sheet and cell.  What a row says is turned into a journal record by
``recording.build_record``, the very function ``aseanctl update`` calls, so a form row is
accepted exactly when the same update typed on the command line would be.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeGuard

from . import schema
from .errors import AseanctlError
from .i18n import Lang, parse_word, render, t
from .loader import TaskLookup
from .model import Owner, Plan, Task, Update, Workspace
from .numtext import AmbiguousNumber, ambiguous_message, number_text, parse_number
from .problems import Msg
from .progress import (
    Period,
    TaskState,
    effective_owner,
    effective_updates,
    owed_reports,
    parse_period,
    task_states,
)
from .recording import UpdateRequest, build_record
from .safetext import UNSAFE

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMAT = "aseanctl-form/1"
META_SHEET = "aseanctl"
# a returned form is refused before it is unzipped when it is larger than this, unpacks to
# more than MAX_UNPACKED (a zip bomb), or holds more rows than MAX_ROWS
MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_MEMBERS = 1_000
MAX_ROWS = 20_000
# openpyxl parses every element of a sheet it reads and of the parts it loads whole (shared
# strings, styles, the workbook): tens of microseconds each, so a zip of a few hundred kilobytes
# holding millions of them kept the reader busy for minutes.  The elements a sheet and its
# strings repeat (rows, cells, values, strings and their runs) are counted against MAX_ELEMENTS,
# the ample room of a MAX_ROWS-row form; every other kind against MAX_OTHER_ELEMENTS, far more
# than a form's styles, relationships and properties need.
MAX_ELEMENTS = 400_000
MAX_OTHER_ELEMENTS = 50_000
_PER_CELL = 500  # lines per hidden cell, fewer when they would overrun what a cell holds (_packed)
FIXED_COLUMNS = 8  # task, title, role, current status, status, progress, note, evidence
STATUS_COL, PROGRESS_COL, NOTE_COL, EVIDENCE_COL = 5, 6, 7, 8
_MARK = re.compile(r"\[collect:([0-9a-f]{12}):([0-9]{1,6})\]")
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?row[\s>/]")
_START_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?([A-Za-z_][\w.-]{0,31})")
_BULK = frozenset({b"row", b"c", b"v", b"f", b"is", b"t", b"si", b"r"})

Role = Literal["lead", "support"]
Severity = Literal["error", "warning"]


class FormRow(NamedTuple):
    task: Task
    role: Role
    status: str  # the task's status when the form was made
    progress: float


class Form(NamedTuple):
    """What one agency is asked for one period: the rows, and the hidden sheet's facts."""

    plan: Plan
    period: Period
    owner: Owner
    lang: Lang
    sent: dt.date
    rows: tuple[FormRow, ...]
    indicators: tuple[tuple[str, str | None], ...]  # (id, unit), in column order

    def facts(self) -> dict[str, Any]:
        """What the digest covers: everything the reader relies on."""
        return {
            "format": FORMAT,
            "plan": self.plan.id,
            "period": self.period.label,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "owner": self.owner.id,
            "lang": self.lang,
            "sent": self.sent.isoformat(),
            "rows": [[row.task.id, row.role] for row in self.rows],
            "indicators": [ident for ident, _ in self.indicators],
        }

    @property
    def digest(self) -> str:
        return digest_of(self.facts())

    @property
    def form_id(self) -> str:
        return self.digest[:12]


def digest_of(facts: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


# --- who is asked, for what ----------------------------------------------------------------


def owing_owners(ws: Workspace, plan: Plan, period: Period, as_of: dt.date) -> list[str]:
    """The agencies that owe a report for ``period``: the holders of the tasks that
    ``progress.owed_reports`` says owe one."""
    owners = ws.owner_map()
    held = {r.holder for r in owed_reports(ws._replace(plans=(plan,)), period, as_of)}
    return sorted(owner for owner in held if owner is not None and owner in owners)


class Addressees(NamedTuple):
    """Who is asked for a period's report on the day the forms and letters go out."""

    to: list[str]  # each once, in the order of the agencies that owe a report
    sender: str | None  # the plan's lead on that day, when work that owes a report is its own


def addressees(ws: Workspace, plan: Plan, period: Period, figures_day: dt.date, send_day: dt.date) -> Addressees:
    """The agencies a form and a request letter go to: whoever holds, on ``send_day`` (after
    hand-overs), the work of an agency that owes a report (``owing_owners`` on ``figures_day``),
    once each, never the sender itself (the plan's lead on ``send_day``), which reports its own
    part.  A department merged after the period gets nothing: its successor is asked."""
    return _addressed(ws.owner_map(), plan, owing_owners(ws, plan, period, figures_day), send_day)


def _addressed(owners: dict[str, Owner], plan: Plan, owing: Iterable[str], send_day: dt.date) -> Addressees:
    hold = holder_on(owners, send_day)
    sender = hold(plan.lead)
    held = dict.fromkeys(holder for holder in map(hold, owing) if holder is not None)
    return Addressees([owner for owner in held if owner != sender], sender if sender in held else None)


def holder_on(owners: dict[str, Owner], day: dt.date) -> Callable[[str | None], str | None]:
    """``owner id -> who holds its work on day`` (the id itself when it holds it)."""

    def holder(owner_id: str | None) -> str | None:
        return effective_owner(owner_id, day, owners) or owner_id

    return holder


def held_on(state: TaskState, day: dt.date, owners: dict[str, Owner]) -> TaskState:
    """The task as the agencies holding its lead's and supporters' work on ``day`` have it: what
    a form or a letter sent that day asks each agency about."""
    hold = holder_on(owners, day)
    lead = hold(state.lead)
    support = dict.fromkeys(o for o in map(hold, state.support) if o is not None and o != lead)
    return state._replace(lead=lead, support=tuple(support))


def open_states(
    ws: Workspace, plan: Plan, period: Period, as_of: dt.date, states: list[TaskState] | None = None
) -> list[TaskState]:
    """The plan's tasks that owe a report for ``period`` (``progress.owed_reports``, the one
    definition), in their state on ``as_of`` (``states``: the plan's, when the caller has them):
    what a form, and a request letter, asks about."""
    only = ws._replace(plans=(plan,))
    every = states if states is not None else task_states(only, as_of)
    owing = {r.task.id for r in owed_reports(only, period, as_of, states=every)}
    return [s for s in every if s.task.id is not None and s.task.id in owing]


def build_forms(
    ws: Workspace, plan: Plan, period: Period, owner_ids: Iterable[str], as_of: dt.date, lang: Lang, sent: dt.date
) -> list[Form]:
    """One form per owner, of the tasks that owe a report for the period (in their state on
    ``as_of``, the day the figures are taken) whose lead or support, after hand-overs on
    ``sent``, is that owner; an owner with no such task gets none."""
    owners = ws.owner_map()
    held = [held_on(s, sent, owners) for s in open_states(ws, plan, period, as_of)]
    forms: list[Form] = []
    for owner_id in owner_ids:
        rows = [
            FormRow(s.task, "lead" if s.lead == owner_id else "support", s.status, s.progress)
            for s in held
            if s.lead == owner_id or owner_id in s.support
        ]
        if not rows:
            continue
        indicators: dict[str, str | None] = {}
        for row in rows:
            for indicator in row.task.indicators:
                if indicator.id is not None and indicator.id not in indicators:
                    indicators[indicator.id] = indicator.unit
        forms.append(Form(plan, period, owners[owner_id], lang, sent, tuple(rows), tuple(indicators.items())))
    return forms


def form_file_name(form: Form) -> str:
    return f"{form.plan.id}-collect-{form.period.slug}-{form.owner.id}.xlsx"


def headers(lang: Lang, indicators: Iterable[tuple[str, str | None]]) -> list[str]:
    fixed = [t(f"collect.col.{name}", lang) for name in _COLUMNS]
    return fixed + [f"{ident} ({unit})" if unit else ident for ident, unit in indicators]


_COLUMNS = ("task", "title", "role", "current", "status", "progress", "note", "evidence")
_WIDTHS = (12, 60, 11, 24, 24, 12, 40, 30)
_TITLE_CHARS = 55  # of an average Vietnamese sentence in the 60-wide title column
_LINE_POINTS = 15


def _status_words(lang: Lang) -> list[str]:
    return [t(f"status.{word}", lang) for word in schema.STATUSES]


# --- writing a form ------------------------------------------------------------------------


def write_form(form: Form, path: Path) -> None:
    """The workbook for ``form`` at ``path`` (replaced whole: a temporary file renamed)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.properties import PageSetupProperties

    from .files import replacing
    from .safetext import sheet_text
    from .xlsx import string_cell

    lang = form.lang
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("collect.sheet", lang)
    sheet.append(headers(lang, form.indicators))
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font, cell.alignment = bold, wrap
    # one styled cell of each kind, whose style the others share: openpyxl hashes a style object
    # on every assignment, which costs a minute over an agency's 300,000 cells
    titled, open_cell, known = sheet.cell(1, 2), sheet.cell(1, STATUS_COL), sheet.cell(1, 1)
    top = Alignment(vertical="top")  # a row's cells start on its first line, beside a long title
    column_of = {ident: FIXED_COLUMNS + 1 + offset for offset, (ident, _) in enumerate(form.indicators)}
    for number, row in enumerate(form.rows, start=2):
        task = row.task
        title = (task.title_en or task.title) if lang == "en" else task.title
        current = t(f"status.{row.status}", lang) + f" ({row.progress:g}%)"
        # every sent cell a string (the title is the plan's text, untrusted): never a formula
        # that Excel would run when the agency opens the form
        for column, text in enumerate((task.id, title, t(f"collect.role.{row.role}", lang), current), start=1):
            if text is not None:  # a title the schema refused
                string_cell(sheet.cell(number, column), sheet_text(text))
        lines = -(-len(title or "") // _TITLE_CHARS)
        if lines > 1:  # neither Excel nor LibreOffice grows a row for wrapped text it did not lay out itself
            sheet.row_dimensions[number].height = _LINE_POINTS * min(lines, 15)
        if number == 2:
            titled, open_cell, known = sheet.cell(2, 2), sheet.cell(2, STATUS_COL), sheet.cell(2, 1)
            titled.alignment, known.alignment = wrap, top
            open_cell.protection, open_cell.alignment = Protection(locked=False), top
            _same_style(sheet.cell(2, 3), known)
            _same_style(sheet.cell(2, 4), known)
        else:
            _same_style(sheet.cell(number, 2), titled)
            _same_style(sheet.cell(number, STATUS_COL), open_cell)
            for column in (1, 3, 4):
                _same_style(sheet.cell(number, column), known)
        # cells left alone stay locked: the sheet is protected, and openpyxl locks by default
        for column in (*range(STATUS_COL + 1, FIXED_COLUMNS + 1), *(column_of[i.id] for i in task.indicators if i.id)):
            _same_style(sheet.cell(number, column), open_cell)
    last = len(form.rows) + 1
    words = DataValidation(
        type="list", formula1='"' + ",".join(_status_words(lang)) + '"', allow_blank=True, errorStyle="warning"
    )
    words.add(f"E2:E{last}")
    progress = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
    progress.add(f"F2:F{last}")
    sheet.add_data_validation(words)
    sheet.add_data_validation(progress)
    for column, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset in range(len(form.indicators)):
        sheet.column_dimensions[get_column_letter(FIXED_COLUMNS + 1 + offset)].width = 16
    sheet.freeze_panes = "A2"
    # printed, as many agencies do before filling in: landscape, every column on the page's width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    sheet.protection.sheet = True  # known cells stay as sent; no password: it guards against slips
    meta = book.create_sheet(META_SHEET)
    facts = form.facts()
    for key in ("format", "plan", "period", "start", "end", "owner", "lang", "sent"):
        meta.append([key, facts[key]])
    meta.append(["sheet", sheet.title])
    meta.append(["form", form.form_id])
    meta.append(["digest", form.digest])
    # a few cells of many lines each, not a row per task: openpyxl reads a cell in tens of
    # microseconds, and the hidden sheet is read whole before the first row is checked
    for key, items in (("indicators", [[i] for i in facts["indicators"]]), ("rows", facts["rows"])):
        for text in _packed(["\t".join(map(str, item)) for item in items]):
            meta.append([key, text])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    with replacing(path) as out:
        book.save(out)


def _packed(lines: list[str]) -> Iterator[str]:
    """``lines`` joined into cells of at most _PER_CELL lines and of what an Excel cell holds: 500
    task ids of 64 characters overran it, and a cell Excel cuts short on opening makes the
    returned form's digest fail (it is refused whole, as tampered)."""
    from .safetext import SHEET_CELL_LIMIT

    cell: list[str] = []
    size = 0
    for line in lines:
        if cell and (len(cell) >= _PER_CELL or size + 1 + len(line) > SHEET_CELL_LIMIT):
            yield "\n".join(cell)
            cell, size = [], 0
        size += len(line) + (1 if cell else 0)
        cell.append(line)
    if cell:
        yield "\n".join(cell)


def _same_style(cell: Any, model: Any) -> None:
    """``model``'s style on ``cell``, as openpyxl's own copy does (the style array, not its objects)."""
    from copy import copy

    cell._style = copy(model._style)


# --- reading a returned form ---------------------------------------------------------------


class FormProblem(NamedTuple):
    where: str  # so-y-te-2024.xlsx:Báo cáo!F7
    severity: Severity
    msg: Msg

    def render(self, lang: Lang) -> str:
        return f"{self.where}: {render(self.msg, lang)}"


class Reading(NamedTuple):
    """What one returned workbook gives: records to write, problems, rows already recorded."""

    file: Path
    records: list[dict[str, Any]]
    problems: list[FormProblem]
    already: int
    folder: Path | None = None  # the plan folder whose journal the records go into
    owner: str | None = None  # the agency the form was made for, once its hidden sheet is trusted
    form_id: str | None = None

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


class _Meta(NamedTuple):
    facts: dict[str, Any]
    sheet: str
    form_id: str


def _where(file: Path, sheet: str | None = None, cell: str | None = None) -> str:
    if sheet is None:
        return file.name
    return f"{file.name}:{sheet}!{cell or 'A1'}"


def parse_status(text: str) -> str | None:
    """A status word as people type it in a form: what ``aseanctl update --status`` takes,
    or the same without diacritics."""
    return parse_word("status", text, schema.STATUSES)


def parse_percent(value: Any, number_format: str | None) -> float | None:
    """45, 45.0, '45', '45%', '45,5' and a cell typed 45% in a spreadsheet (0.45 shown as a
    per cent) as 45; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        figure = float(value)
        return figure * 100 if number_format and "%" in number_format else figure
    if isinstance(value, str):
        return parse_number(value.strip().removesuffix("%"))
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _plain(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _open_checks(file: Path) -> Msg | None:
    """Why ``file`` must not be opened at all: too large, not a zip, a zip bomb."""
    try:
        size = file.stat().st_size
    except OSError as error:
        return Msg("file.unreadable", {"reason": error.strerror or str(error)})
    if size > MAX_BYTES:
        return Msg("file.too_large", {"size": size, "limit": MAX_BYTES})
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return Msg("collect.not_xlsx", {})
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED:
        return Msg("collect.zip_bomb", {"size": unpacked, "limit": MAX_UNPACKED})
    try:
        return _census(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return Msg("collect.not_xlsx", {})  # a member that does not inflate (bad CRC, encrypted …)


def _census(file: Path) -> Msg | None:
    """Why ``file`` holds too many XML elements to be parsed (see MAX_ELEMENTS), counted in every
    member as a stream, before openpyxl parses any: None when it does not."""
    bulk = other = 0
    with zipfile.ZipFile(file) as archive:
        for member in archive.infolist():
            tail = b""
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    data = tail + chunk
                    # up to the last "<" near the end: a tag cut in two by the chunk's end is
                    # counted whole with the next chunk; a name never runs past the next "<"
                    end = data.rfind(b"<", max(0, len(data) - 80))
                    end = len(data) if end < 0 else end
                    names = _START_TAG.findall(data, 0, end)
                    found = sum(1 for name in names if name in _BULK)
                    bulk, other, tail = bulk + found, other + len(names) - found, data[end:]
                    if bulk > MAX_ELEMENTS:
                        return Msg("collect.too_many_cells", {"limit": MAX_ELEMENTS})
                    if other > MAX_OTHER_ELEMENTS:
                        return Msg("collect.too_many_parts", {"limit": MAX_OTHER_ELEMENTS})
            names = _START_TAG.findall(tail)
            found = sum(1 for name in names if name in _BULK)
            bulk, other = bulk + found, other + len(names) - found
    if bulk > MAX_ELEMENTS:
        return Msg("collect.too_many_cells", {"limit": MAX_ELEMENTS})
    if other > MAX_OTHER_ELEMENTS:
        return Msg("collect.too_many_parts", {"limit": MAX_OTHER_ELEMENTS})
    return None


def _more_rows_than(file: Path, member: str | None, limit: int) -> bool:
    """Whether the sheet stored in ``member`` holds more than ``limit`` rows, counted in its XML
    as a stream: openpyxl would parse every one of them before the reader could refuse."""
    if member is None:
        return False
    keep = 64  # longer than any row tag: one cut in two by a chunk's end is counted in the next
    count, tail = 0, b""
    with zipfile.ZipFile(file) as archive, archive.open(member.lstrip("/")) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            cut = max(0, len(data) - keep)
            count += sum(1 for found in _ROW_TAG.finditer(data) if found.start() < cut)
            tail = data[cut:]
            if count > limit:
                return True
    return count + len(_ROW_TAG.findall(tail)) > limit


def _read_meta(book: Any, file: Path) -> tuple[_Meta | None, list[FormProblem]]:
    if META_SHEET not in book.sheetnames:
        return None, [FormProblem(_where(file), "error", Msg("collect.not_a_form", {}))]
    facts: dict[str, Any] = {"rows": [], "indicators": []}
    stored: dict[str, str] = {}
    for count, row in enumerate(book[META_SHEET].iter_rows(values_only=True, max_row=MAX_ROWS + 200)):
        if count >= MAX_ROWS + 100:
            break
        key, *rest = (*row, None, None, None)[:3]
        if key in ("rows", "indicators") and isinstance(rest[0], str):
            lines = [line.split("\t") for line in rest[0].split("\n")]
            facts[key].extend(lines if key == "rows" else [items[0] for items in lines])
        elif isinstance(key, str):
            stored[key] = rest[0]
    for key in ("format", "plan", "period", "start", "end", "owner", "lang", "sent"):
        facts[key] = stored.get(key)
    tampered = [FormProblem(_where(file, META_SHEET), "error", Msg("collect.tampered", {}))]
    if stored.get("digest") != digest_of(facts) or stored.get("form") != str(stored.get("digest"))[:12]:
        return None, tampered
    if facts["format"] != FORMAT or not isinstance(stored.get("sheet"), str):
        return None, tampered
    # the digest is no secret: a sheet rewritten with a digest of its own is held to what send writes
    rows, indicators = facts["rows"], facts["indicators"]
    if (
        any(len(row) != 2 or row[1] not in ("lead", "support") for row in rows)
        or len({row[0] for row in rows}) != len(rows)
        or len(set(indicators)) != len(indicators)
    ):
        return None, [FormProblem(_where(file, META_SHEET), "error", Msg("collect.forged", {}))]
    return _Meta(facts, stored["sheet"], stored["form"]), []


def _counted_from_forms(plan: Plan) -> list[tuple[Update, list[tuple[str, str]]]]:
    """The plan's updates that carry a form's mark and still count: a withdrawn update (and
    the corrections of it) is no answer; a correction that gives no evidence keeps the mark of
    the update it amends, so the amended update still answers for that form's row."""
    marked = [u for u in plan.updates if u.evidence and "[collect:" in u.evidence]
    if not marked:
        return []
    return [
        (u, _MARK.findall(u.evidence))
        for u in effective_updates(plan.updates)
        if u.evidence and "[collect:" in u.evidence
    ]


def taken_rows(plans: Iterable[Plan]) -> set[tuple[str, int]]:
    """The (form id, row) pairs an update that still counts was recorded from: a row whose
    update was withdrawn is not recorded any more, and may be read again."""
    taken: set[tuple[str, int]] = set()
    for plan in plans:
        for _update, marks in _counted_from_forms(plan):
            for form_id, row in marks:
                taken.add((form_id, int(row)))
    return taken


class FormReader:
    """Reads returned forms against one loaded workspace; remembers the rows it has taken
    (in the journal, and in this run) so that the same form read twice records nothing new."""

    def __init__(
        self,
        ws: Workspace,
        *,
        today: dt.date,
        now: dt.datetime,
        author: str | None,
        lang: Lang,
        plan_id: str | None = None,
        period: str | None = None,
        new_id: Any = None,
    ) -> None:
        from .journal import new_update_id

        self.ws, self.today, self.now, self.author, self.lang = ws, today, now, author, lang
        self.plan_id, self.period = plan_id, period
        self.new_id = new_id or new_update_id
        self.owners = ws.owner_map()
        self.taken = taken_rows(ws.plans)

    def read(self, file: Path, *, skip_bad_rows: bool = False) -> Reading:
        refused = _open_checks(file)
        if refused is not None:
            return Reading(file, [], [FormProblem(_where(file), "error", refused)], 0)
        try:
            return self._read(file, skip_bad_rows)
        except AseanctlError:
            raise
        except Exception as error:  # any parse failure of an untrusted workbook is one problem line
            msg = Msg("collect.unreadable", {"reason": type(error).__name__})
            return Reading(file, [], [FormProblem(_where(file), "error", msg)], 0)

    def _read(self, file: Path, skip_bad_rows: bool) -> Reading:
        from openpyxl import load_workbook

        book = load_workbook(file, read_only=True, data_only=False, keep_links=False)
        try:
            meta, problems = _read_meta(book, file)
            if meta is None:
                return Reading(file, [], problems, 0)
            plan, form_problems = self._check_form(file, meta)
            if plan is None or meta.sheet not in book.sheetnames:
                if plan is None:
                    return Reading(file, [], form_problems, 0)
                form_problems.append(FormProblem(_where(file, meta.sheet), "error", Msg("collect.no_sheet", {})))
                return Reading(file, [], form_problems, 0, owner=str(meta.facts["owner"]), form_id=meta.form_id)
            sheet = book[meta.sheet]
            if _more_rows_than(file, getattr(sheet, "_worksheet_path", None), MAX_ROWS + 1):
                msg = Msg("collect.too_many_rows", {"limit": MAX_ROWS})
                problem = FormProblem(_where(file, meta.sheet), "error", msg)
                return Reading(file, [], [problem], 0, owner=str(meta.facts["owner"]), form_id=meta.form_id)
            reading = self._rows(file, book[meta.sheet], meta, plan, skip_bad_rows)
            return reading._replace(owner=str(meta.facts["owner"]), form_id=meta.form_id)
        finally:
            book.close()

    def _check_form(self, file: Path, meta: _Meta) -> tuple[Plan | None, list[FormProblem]]:
        facts = meta.facts
        where = _where(file, META_SHEET)
        plan = next((p for p in self.ws.plans if p.id == facts["plan"]), None)
        if plan is None or (self.plan_id is not None and facts["plan"] != self.plan_id):
            return None, [FormProblem(where, "error", Msg("collect.other_plan", {"found": facts["plan"]}))]
        period = parse_period(str(facts["period"]), plan)
        same = period is not None and (period.start.isoformat(), period.end.isoformat()) == (
            facts["start"],
            facts["end"],
        )
        if not same or (self.period is not None and facts["period"] != self.period):
            return None, [FormProblem(where, "error", Msg("collect.other_period", {"found": facts["period"]}))]
        if facts["owner"] not in self.owners:
            return None, [FormProblem(where, "error", Msg("ref.unknown_owner", {"id": facts["owner"], "hint": ""}))]
        return plan, []

    def _rows(self, file: Path, sheet: Worksheet, meta: _Meta, plan: Plan, skip_bad_rows: bool) -> Reading:
        facts = meta.facts
        lang: Lang = "en" if facts["lang"] == "en" else "vi"
        indicators = [str(i) for i in facts["indicators"]]
        owner = str(facts["owner"])
        period = parse_period(str(facts["period"]), plan)
        assert period is not None  # _check_form made sure
        day = max(plan.start or period.start, min(self.today, period.end, plan.end or period.end))
        problems: list[FormProblem] = []
        width = FIXED_COLUMNS + len(indicators)
        rows = sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 2, max_col=width)
        header = next(rows, ())
        expected = headers(lang, [(i, None) for i in indicators])
        for column, cell in enumerate(header, start=1):
            found = _text(getattr(cell, "value", None)) or ""
            wanted = expected[column - 1]
            if found != wanted if column <= FIXED_COLUMNS else not found.startswith(wanted):
                problems.append(
                    FormProblem(
                        _where(file, sheet.title, _ref(1, column)),
                        "error",
                        Msg("collect.header_changed", {"found": found, "expected": wanted}),
                    )
                )
        if problems:
            return Reading(file, [], problems, 0)
        mine = self._parts(plan, owner, day)
        sent = [str(task_id) for task_id, _ in facts["rows"]]
        records: list[dict[str, Any]] = []
        already = 0
        for number, cells in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                problems.append(
                    FormProblem(_where(file, sheet.title), "error", Msg("collect.too_many_rows", {"limit": MAX_ROWS}))
                )
                return Reading(file, [], problems, 0)
            values = _Row(file, sheet.title, number, cells)
            if values.blank():
                continue
            row_problems: list[FormProblem] = []
            request = values.request(sent, mine, indicators, lang, row_problems)
            problems.extend(row_problems)
            if request is None or row_problems:
                continue
            key = (meta.form_id, number)
            if key in self.taken:
                already += 1
                continue
            where = _where(file, sheet.title, _ref(number, 1))
            record = self._record(
                plan, mine[request.task], request, owner, day, file.name, meta.form_id, number, where, problems
            )
            if record is not None:
                records.append(record)
                self.taken.add(key)
        errors = any(p.severity == "error" for p in problems)
        return Reading(file, records if skip_bad_rows or not errors else [], problems, already, plan.folder)

    def _parts(self, plan: Plan, owner: str, day: dt.date) -> dict[str, Task]:
        """The tasks ``owner`` has a part in on ``day`` (after hand-overs: a form of an agency
        that has since merged speaks for tasks its successor holds), or holds today (a form
        sent, after the period, to the successor of an agency merged since)."""
        now = holder_on(self.owners, self.today)
        # every agency whose part is this owner's: a few dozen, against thousands of tasks
        mine = {owner, effective_owner(owner, day, self.owners)} | {o for o in self.owners if now(o) == owner}
        only = self.ws._replace(plans=(plan,))
        return {
            s.task.id: s.task
            for s in task_states(only, day)
            if s.task.id is not None and (s.lead in mine or not mine.isdisjoint(s.support))
        }

    def _record(
        self,
        plan: Plan,
        task: Task,
        request: UpdateRequest,
        owner: str,
        day: dt.date,
        file_name: str,
        form_id: str,
        number: int,
        where: str,
        problems: list[FormProblem],
    ) -> dict[str, Any] | None:
        mark = f"{file_name} [collect:{form_id}:{number}]"
        evidence = f"{request.evidence}; {mark}" if request.evidence else mark
        full = dataclasses.replace(request, evidence=evidence, date=day.isoformat(), by=owner, author=self.author)
        found = TaskLookup(plan, task, self.owners, [], [])
        try:
            return build_record(
                full, found, today=self.today, now=self.now, update_id=self.new_id(self.today), default_author=None
            )
        except AseanctlError as error:
            problems.append(FormProblem(where, "error", error.msg))
            return None


def _ref(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


class _Row:
    """One row of a returned sheet, its cells checked one by one."""

    def __init__(self, file: Path, sheet: str, number: int, cells: tuple[Any, ...]) -> None:
        self.file, self.sheet, self.number = file, sheet, number
        # the cells holding something, by column: a form of many indicators is thousands of
        # columns wide, nearly all of them empty on any one row
        self.cells = {
            column: cell for column, cell in enumerate(cells, start=1) if getattr(cell, "value", None) is not None
        }

    def cell(self, column: int) -> Any:
        return self.cells.get(column)

    def value(self, column: int) -> Any:
        cell = self.cells.get(column)
        return None if cell is None else cell.value

    def where(self, column: int) -> str:
        return _where(self.file, self.sheet, _ref(self.number, column))

    def blank(self) -> bool:
        return all(_text(cell.value) is None for column, cell in self.cells.items() if column >= STATUS_COL)

    def formulas(self) -> Iterator[int]:
        """Cells that hold a formula; and, where the agency types, text that reads as one.  The
        cells sent hold the plan's text, stored as strings, which may start with ``=``."""
        for column, cell in self.cells.items():
            value = cell.value
            if getattr(cell, "data_type", None) == "f" or (
                column >= STATUS_COL and isinstance(value, str) and value.startswith("=")
            ):
                yield column

    def request(
        self, sent: list[str], mine: dict[str, Task], indicators: list[str], lang: Lang, out: list[FormProblem]
    ) -> UpdateRequest | None:
        for column in self.formulas():
            out.append(FormProblem(self.where(column), "error", Msg("collect.formula", {})))
        if out:
            return None
        task_id = _text(self.value(1)) or ""
        at = self.number - 2
        if at >= len(sent):
            if task_id not in mine:
                out.append(FormProblem(self.where(1), "error", Msg("collect.no_part", {"task": task_id})))
            else:
                out.append(FormProblem(self.where(1), "warning", Msg("collect.extra_row", {"task": task_id})))
            return None
        if task_id != sent[at]:
            out.append(
                FormProblem(self.where(1), "error", Msg("collect.task_changed", {"found": task_id, "sent": sent[at]}))
            )
            return None
        task = mine.get(task_id)
        if task is None:
            out.append(FormProblem(self.where(1), "error", Msg("collect.no_part", {"task": task_id})))
            return None
        status = None
        word = _text(self.value(STATUS_COL))
        if word is not None:
            status = parse_status(word)
            if status is None:
                allowed = ", ".join(_status_words(lang))
                out.append(
                    FormProblem(
                        self.where(STATUS_COL), "error", Msg("collect.bad_status", {"found": word, "allowed": allowed})
                    )
                )
        progress = self._figure(PROGRESS_COL, out, percent=True)
        if progress is not None and not 0 <= progress <= 100:
            out.append(
                FormProblem(
                    self.where(PROGRESS_COL), "error", Msg("collect.progress_range", {"found": _plain(progress)})
                )
            )
        actual: list[str] = []
        own = {i.id for i in task.indicators}
        for column in sorted(c for c in self.cells if c > FIXED_COLUMNS):
            ident = indicators[column - FIXED_COLUMNS - 1]
            figure = self._figure(column, out, percent=False)
            if figure is None:
                continue
            if ident not in own:
                out.append(
                    FormProblem(
                        self.where(column), "error", Msg("collect.not_indicator", {"id": ident, "task": task_id})
                    )
                )
            else:
                actual.append(f"{ident}={number_text(figure)}")  # the recorder reads it back as it is
        if out:
            return None
        return UpdateRequest(
            task=task_id,
            status=status,
            progress=number_text(progress) if progress is not None else None,
            actual=tuple(actual),
            note=_text(self.value(NOTE_COL)),
            evidence=_text(self.value(EVIDENCE_COL)),
        )

    def _figure(self, column: int, out: list[FormProblem], *, percent: bool) -> float | None:
        raw = self.value(column)
        if _text(raw) is None:
            return None
        cell = self.cell(column)
        number_format = getattr(cell, "number_format", None) if percent else None
        try:
            figure = parse_percent(raw, number_format) if percent else parse_percent(raw, None)
        except AmbiguousNumber as ambiguous:
            out.append(FormProblem(self.where(column), "error", ambiguous_message(ambiguous)))
            return None
        if figure is None:
            out.append(FormProblem(self.where(column), "error", Msg("collect.bad_number", {"found": _text(raw)})))
        return figure


# --- what was sent: the record beside the forms ------------------------------------------------

SENT_FORMAT = "aseanctl-collect-sent/1"
MAX_SENT_BYTES = 16 * 1024 * 1024  # a record of every form of a 20,000-task plan is under 1 MB
_FORM_ID = re.compile(r"[0-9a-f]{12}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Sent(NamedTuple):
    """One form as it went out: enough to say, later, what was asked of whom."""

    form: str  # the form id, as the journal's evidence marks name it
    owner: str
    file: str
    sent: str  # ISO day
    lang: str
    tasks: tuple[str, ...]

    def record(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "owner": self.owner,
            "file": self.file,
            "sent": self.sent,
            "lang": self.lang,
            "tasks": list(self.tasks),
        }


def sent_of(form: Form) -> Sent:
    assert form.owner.id is not None
    tasks = tuple(row.task.id for row in form.rows if row.task.id is not None)
    return Sent(form.form_id, form.owner.id, form_file_name(form), form.sent.isoformat(), form.lang, tasks)


def sent_file_name(plan: Plan, period: Period) -> str:
    """Beside the forms, sorted with them: ``<plan>-collect-<period>.json``."""
    return f"{plan.id}-collect-{period.slug}.json"


def load_sent(path: Path, plan: Plan, period: Period) -> list[Sent]:
    """The forms sent for ``period``, as ``collect send`` recorded them in ``path``; none when
    there is no such file.  A file that is not what send writes is an AseanctlError naming it."""
    from .files import NotRegularFile, read_regular

    try:
        data = read_regular(path, MAX_SENT_BYTES)
    except FileNotFoundError:
        return []
    except (NotRegularFile, OSError) as error:
        raise AseanctlError("collect.bad_sent", file=str(path), reason=type(error).__name__) from None
    if len(data) > MAX_SENT_BYTES:
        raise AseanctlError("collect.bad_sent", file=str(path), reason=f"> {MAX_SENT_BYTES} bytes")
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise AseanctlError("collect.bad_sent", file=str(path), reason="UTF-8") from None
    except (ValueError, RecursionError) as error:
        where = f"JSON {error.lineno}:{error.colno}" if isinstance(error, json.JSONDecodeError) else "JSON"
        raise AseanctlError("collect.bad_sent", file=str(path), reason=where) from None
    reason = _sent_shape(document, plan, period)
    if reason is not None:
        raise AseanctlError("collect.bad_sent", file=str(path), reason=reason)
    return [
        Sent(item["form"], item["owner"], item["file"], item["sent"], item["lang"], tuple(item["tasks"]))
        for item in document["forms"]
    ]


def _sent_shape(document: Any, plan: Plan, period: Period) -> str | None:
    """Where ``document`` is not a record of forms sent for ``plan`` and ``period``: a path into it."""
    if not isinstance(document, dict) or document.get("format") != SENT_FORMAT:
        return "format"
    if document.get("plan") != plan.id:
        return "plan"
    if document.get("period") != period.label:
        return "period"
    forms = document.get("forms")
    if not isinstance(forms, list):
        return "forms"
    for at, item in enumerate(forms):
        if not isinstance(item, dict):
            return f"forms[{at}]"
        for key, pattern in (("form", _FORM_ID), ("sent", _DAY), ("owner", None), ("file", None), ("lang", None)):
            value = item.get(key)
            if not _plain_text(value) or (pattern is not None and not pattern.fullmatch(value)):
                return f"forms[{at}].{key}"
        if not _real_day(item["sent"]):
            return f"forms[{at}].sent"
        tasks = item.get("tasks")
        if not isinstance(tasks, list) or not _plain_texts(tasks):
            return f"forms[{at}].tasks"
    return None


def _plain_text(value: Any) -> TypeGuard[str]:
    """A string send could have written: valid JSON may still hold a lone surrogate (which no
    output can encode) or a control character (which would reach the terminal)."""
    return isinstance(value, str) and UNSAFE.search(value) is None and "\n" not in value and "\t" not in value


def _plain_texts(values: list[Any]) -> bool:
    """Every value a :func:`_plain_text`, checked in one pass over them joined: a damaged record
    may list millions of tasks, and a check per string costs seconds."""
    if not all(isinstance(value, str) for value in values):
        return False
    joined = "\n".join(values)
    return UNSAFE.search(joined) is None and "\t" not in joined and joined.count("\n") == max(len(values) - 1, 0)


def _real_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def render_sent(plan: Plan, period: Period, sent: Iterable[Sent]) -> str:
    """The record as JSON, a form a line: readable, and a diff shows which forms were added."""
    head = {"format": SENT_FORMAT, "plan": plan.id, "period": period.label}
    lines = [json.dumps(item.record(), ensure_ascii=False) for item in sent]
    body = ",\n    ".join(lines)
    text = json.dumps(head, ensure_ascii=False)[:-1]
    return f'{text},\n  "forms": [\n    {body}\n  ]\n}}\n' if lines else f'{text}, "forms": []}}\n'


def merge_sent(before: Sequence[Sent], forms: Iterable[Form]) -> list[Sent]:
    """The record after sending ``forms``: every earlier form stays (an agency may still return
    it), a form sent again with the same id appears once, the newest send last."""
    new = [sent_of(form) for form in forms]
    fresh = {item.form for item in new}
    return [item for item in before if item.form not in fresh] + new


def write_sent(path: Path, plan: Plan, period: Period, sent: Iterable[Sent]) -> None:
    from .files import replacing

    with replacing(path) as out:
        out.write(render_sent(plan, period, sent).encode("utf-8"))


# --- collect status: who was sent what, what came back, what is left to do ----------------------

TODO = ("send", "fix", "read", "remind", "partial", "done", "reported")
STATUS_COLUMNS = (
    "owner",
    "name",
    "owes",
    "reported",
    "sent",
    "forms",
    "rows",
    "answered",
    "returned",
    "files",
    "to_read",
    "errors",
    "warnings",
    "todo",
)


@dataclasses.dataclass
class AgencyRound:
    """One agency in one period's round of forms."""

    owner: str
    owes: bool = False
    reported: bool | None = None  # None: it owes no report, so the question does not arise
    sent: list[Sent] = dataclasses.field(default_factory=list)
    answered: set[str] = dataclasses.field(default_factory=set)  # tasks with an update from a form
    returned: set[str] = dataclasses.field(default_factory=set)  # form ids the journal has updates from
    readings: list[Reading] = dataclasses.field(default_factory=list)

    @property
    def asked(self) -> set[str]:
        return {task for item in self.sent for task in item.tasks}

    @property
    def errors(self) -> int:
        return sum(reading.errors for reading in self.readings)

    @property
    def warnings(self) -> int:
        return sum(len(reading.problems) - reading.errors for reading in self.readings)

    @property
    def to_read(self) -> int:
        return sum(len(reading.records) for reading in self.readings)

    @property
    def todo(self) -> str:
        """The lead department's next step with this agency, the most pressing first."""
        if self.errors:
            return "fix"
        if self.to_read:
            return "read"
        if not self.sent:
            return "reported" if self.reported or self.answered else "send"
        asked = self.asked
        answered = len(self.answered & asked)
        if answered == 0:
            return "remind"
        return "partial" if answered < len(asked) else "done"


def collect_round(
    ws: Workspace,
    plan: Plan,
    period: Period,
    as_of: dt.date,
    sent: Sequence[Sent],
    readings: Sequence[Reading] = (),
    send_day: dt.date | None = None,
) -> list[AgencyRound]:
    """Per agency: whether it owes a report (``progress.owed_reports`` as ``collect send`` asks
    it), whether it has reported at all (``progress.missing_reports``), the forms sent, and what
    the journal holds from them.  The journal is the truth: a form has come back when updates
    carry its mark; ``readings`` (returned workbooks checked, nothing recorded) add what is
    waiting to be read and the problems in it.  ``send_day`` (default ``as_of``): the day forms
    go out, whose hand-overs decide who is asked (``addressees``)."""
    from .progress import missing_reports

    rounds: dict[str, AgencyRound] = {}

    def agency(owner: str) -> AgencyRound:
        found = rounds.get(owner)
        if found is None:
            found = rounds[owner] = AgencyRound(owner)
        return found

    missing = set(missing_reports(ws, period, as_of))
    # who owes is whom collect send asks today: the holder, on send_day, of the work of an
    # agency that owes a report; it has reported when every agency whose work it holds has
    owners, owing = ws.owner_map(), owing_owners(ws, plan, period, as_of)
    addressed = set(_addressed(owners, plan, owing, send_day or as_of).to)
    hold = holder_on(owners, send_day or as_of)
    for owner in owing:
        held = hold(owner)
        if held is None or held not in addressed:
            continue
        found = agency(held)
        found.reported = (found.reported is not False) and owner not in missing
        found.owes = True
    form_owner: dict[str, str] = {}
    for item in sent:
        agency(item.owner).sent.append(item)
        form_owner[item.form] = item.owner
    end = min(period.end, as_of)
    for update, marks in _counted_from_forms(plan):
        for form_id, _row in marks:
            holder = form_owner.get(form_id)
            if holder is None and period.start <= update.date <= end:
                holder = update.by  # a form this record never saw (sent from another copy)
            if holder is not None:
                found = agency(holder)
                found.returned.add(form_id)
                found.answered.add(update.task)
    for reading in readings:
        if reading.owner is not None:
            agency(reading.owner).readings.append(reading)
    return [rounds[owner] for owner in sorted(rounds)]


def round_record(item: AgencyRound, owners: dict[str, Owner], lang: Lang) -> dict[str, Any]:
    from .fmt import localized

    owner = owners.get(item.owner)
    asked = item.asked
    return {
        "owner": item.owner,
        "name": localized(owner.name, owner.name_en, lang) if owner is not None else None,
        "owes": item.owes,
        "reported": item.reported,
        "sent": max((s.sent for s in item.sent), default=None),
        "forms": [s.form for s in item.sent],
        "rows": len(asked) if item.sent else None,
        "answered": len(item.answered & asked) if item.sent else len(item.answered),
        "returned": sorted(item.returned),
        "files": [reading.file.name for reading in item.readings],
        "to_read": item.to_read,
        "errors": item.errors,
        "warnings": item.warnings,
        "todo": item.todo,
        "problems": [
            {"where": p.where, "severity": p.severity, "message": p.render(lang).removeprefix(p.where + ": ")}
            for reading in item.readings
            for p in reading.problems
        ],
    }


def round_document(
    plan: Plan,
    period: Period,
    as_of: dt.date,
    rounds: Sequence[AgencyRound],
    unmatched: Sequence[Reading],
    owners: dict[str, Owner],
    lang: Lang,
    sent_file: Path,
) -> dict[str, Any]:
    agencies = [round_record(item, owners, lang) for item in rounds]
    return {
        "plan": plan.id,
        "period": {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "as_of": as_of.isoformat(),
        "sent_record": str(sent_file),
        "todo": {word: sum(1 for a in agencies if a["todo"] == word) for word in TODO},
        "agencies": agencies,
        "unmatched": [
            {"file": r.file.name, "problems": [{"where": p.where, "message": p.render(lang)} for p in r.problems]}
            for r in unmatched
        ],
    }


def round_sheet(document: dict[str, Any], lang: Lang) -> Any:
    """The to-do list as a table: agency | sent | rows answered | problems | next step."""
    from .layout import Cell, Column, Line, Sheet, Table
    from .views import EMPTY, format_date

    period = document["period"]
    start, end = format_date(period["start"], lang), format_date(period["end"], lang)
    heading = Line(t("collect.status.heading", lang, label=period["label"], start=start, end=end), "bold")
    if not document["agencies"]:
        return Sheet((heading, Line(t("collect.nobody", lang, period=period["label"]))))
    columns = (
        Column(t("view.col.owner", lang), flex=True),
        Column(t("collect.status.col.sent", lang), wrap=False, max_width=10),
        Column(t("collect.status.col.answered", lang), align="right", max_width=10),
        Column(t("collect.status.col.problems", lang), align="right", max_width=8),
        Column(t("collect.status.col.todo", lang), flex=True),
    )
    styles = {"send": "red", "fix": "red", "read": "yellow", "remind": "yellow", "partial": "yellow", "done": "green"}
    rows = []
    for record in document["agencies"]:
        name = record["name"]
        label = record["owner"] if not name else f"{record['owner']}\n{name}"
        rows_sent = record["rows"]
        answered = EMPTY if rows_sent is None and not record["answered"] else f"{record['answered']}/{rows_sent or 0}"
        problems = record["errors"] + record["warnings"]
        todo = t(f"collect.todo.{record['todo']}", lang, owner=record["owner"], files=", ".join(record["files"]))
        rows.append(
            (
                Cell(label, first_style="bold"),
                Cell(format_date(record["sent"], lang)),
                Cell(answered),
                Cell(str(problems) if record["files"] else EMPTY, "red" if record["errors"] else ""),
                Cell(todo, styles.get(record["todo"], "")),
            )
        )
    counts = ", ".join(
        t("collect.status.count", lang, count=count, what=t(f"collect.todo_word.{word}", lang))
        for word, count in document["todo"].items()
        if count
    )
    return Sheet((heading, Table(columns, rows), Line(counts)))
