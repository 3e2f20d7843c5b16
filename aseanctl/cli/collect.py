"""aseanctl collect send / collect read / collect status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import APP_SETTINGS, app, boundary
from .params import LANGS, ROUND_FORMAT, Command, LangOption, PlanOption
from .status import BomOption, CsvRawOption

if TYPE_CHECKING:
    from ..collect import Form
    from ..i18n import Lang
    from ..loader import WorkspaceLoad

collect_app = typer.Typer(
    **{**APP_SETTINGS, "name": "collect", "help": "Excel forms out to the agencies, their answers back."}
)
app.add_typer(collect_app, name="collect")

PeriodOption = Annotated[
    str, typer.Option("--period", help="The reporting period, e.g. 2024, 2024-H1.", metavar="PERIOD")
]
PlanIdOption = Annotated[
    str | None, typer.Option("--plan-id", help="Which plan (default: the one running today).", metavar="ID")
]
RoundFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        click_type=ROUND_FORMAT,
        help="table (for people, fits 80 columns), json or csv (for scripts and spreadsheets).",
        metavar="FORMAT",
    ),
]
RoundOutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write json or csv to this file (replaced whole) instead of stdout ('-' for stdout).",
        metavar="FILE",
    ),
]


@collect_app.command("send", cls=Command)
@boundary
def send(
    period: PeriodOption,
    owner: Annotated[
        list[str] | None,
        typer.Option("--owner", help="Only this agency; repeatable (default: every agency that owes a report)."),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", help="The folder to write into (default: reports/ beside the plan).", metavar="DIR"
        ),
    ] = None,
    letter: Annotated[
        bool, typer.Option("--letter/--no-letter", help="Write the request letter (Word) beside each form.")
    ] = True,
    plan_id: PlanIdOption = None,
    plan: PlanOption = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", click_type=LANGS, is_eager=True, help="Language of the form and messages.", metavar="vi|en"
        ),
    ] = None,
) -> None:
    """Write one Excel form per agency that owes a report for the period.

    Each form (<plan>-collect-<period>-<owner>.xlsx) lists the tasks the agency leads or
    supports that are open in the period, with a drop-down of status words and a 0-100
    progress column; a hidden sheet records the plan, period, owner and a digest, so that
    'aseanctl collect read' can match the returned form and recognise a tampered one.
    <plan>-collect-<period>.json beside the forms records what was sent, for
    'aseanctl collect status'. Exit 0 when written, 1 when the tool cannot go on, 2 on a usage error.
    """
    from .. import console
    from ..collect import (
        addressees,
        build_forms,
        form_file_name,
        load_sent,
        merge_sent,
        sent_file_name,
        write_form,
        write_sent,
    )
    from ..errors import AseanctlError, UsageError
    from ..i18n import pick_lang, t
    from ..loader import load_workspace, resolve_workspace
    from ..loader import REPORTS_DIR
    from ..report.choose import check_addressee, choose_round
    from ..suggest import did_you_mean

    today = dt.date.today()
    root = resolve_workspace(plan)
    load = load_workspace(root)
    ws = load.workspace
    chosen, found_period, as_of = choose_round(ws, root, plan_id, period, today)
    language = pick_lang(lang, chosen.language)
    owners = ws.owner_map()
    for wanted in owner or []:
        if wanted not in owners:
            raise UsageError("ref.unknown_owner", id=wanted, hint=did_you_mean(wanted, list(owners)))
    if owner:
        asked = list(dict.fromkeys(owner))
        for wanted in asked:  # a form goes where a letter would: to an agency that exists on the day sent
            check_addressee(owners[wanted], today, sent="form")
    else:
        asked, sender = addressees(ws, chosen, found_period, as_of, today)
        if sender is not None:
            console.err(t("collect.to_sender", language, owner=sender))
    forms = build_forms(ws, chosen, found_period, asked, as_of, language, today)
    for missing in sorted(set(asked) - {form.owner.id for form in forms}):
        console.err(t("collect.no_tasks", language, owner=missing, period=found_period.label))
    if not forms:
        console.err(t("collect.nobody", language, period=found_period.label))
        return
    folder = Path(output) if output is not None else root.parent / REPORTS_DIR
    if folder.exists() and not folder.is_dir():
        raise UsageError("collect.output_is_file", file=str(folder), option="-o")
    record = folder / sent_file_name(chosen, found_period)
    targets = [folder / form_file_name(form) for form in forms] + [record]
    if letter:
        targets += [folder / _letter_name(form) for form in forms]
    # by default the folder is reports/ in the plan repository, which a pull request can fill:
    # every step from the repository down is checked; in a folder given with -o, the files
    _refuse_links(targets, folder if output is not None else root.parent)
    before = load_sent(record, chosen, found_period)  # a damaged record stops the send before any form
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written: list[Form] = []
        try:
            for form in forms:
                path = folder / form_file_name(form)
                write_form(form, path)
                written.append(form)
                console.line(str(path))
                console.err(t("collect.written", language, file=path, rows=len(form.rows)))
                if letter:
                    _letter(load, root, form, folder, language)
        finally:
            if written:  # the forms that did go out are recorded, even when a later one failed
                write_sent(record, chosen, found_period, merge_sent(before, written))
                console.err(t("collect.sent_record", language, file=record))
    except OSError as exc:
        raise AseanctlError("report.write_failed", file=folder, reason=exc.strerror or str(exc)) from None


def _letter_name(form: Form) -> str:
    from ..report.choose import output_name

    return output_name(form.plan, "owner-request", form.period, form.owner.id, "docx", form.lang)


def _refuse_links(paths: list[Path], below: Path) -> None:
    """Forms, letters and the record of forms sent are written as regular files only: a symbolic
    link at one of their names (or on the way to it, below ``below``) could point the write at
    any file the user can write, and a FIFO would make send wait for ever for a reader."""
    from ..errors import AseanctlError
    from ..files import SymlinkRefused, is_special, refuse_symlinks

    for path in paths:
        try:
            refuse_symlinks(path, below)
        except SymlinkRefused as refused:
            raise AseanctlError("collect.output_symlink", file=str(refused.link)) from None
        if is_special(path):
            raise AseanctlError("collect.output_special", file=str(path))


def _letter(load: WorkspaceLoad, root: Path, form: Form, folder: Path, language: Lang) -> None:
    """The owner-request report as a Word letter beside the form; a letter that cannot be made
    is said in one line and the form still goes out."""
    from .. import console
    from ..errors import AseanctlError
    from ..i18n import render, t
    from ..report.choose import prepare_report
    from ..report.docx import render_docx
    from ..report.render import find_template, template_dirs

    assert form.owner.id is not None
    try:
        prepared = prepare_report(
            load,
            root,
            kind="owner-request",
            plan_id=form.plan.id,
            period=form.period.label,
            owner=form.owner.id,
            lang=language,
        )
        out = folder / _letter_name(form)
        render_docx(find_template("owner-request.docx", template_dirs(root)), prepared.context, out, None)
    except AseanctlError as error:
        reason = render(error.msg, language)
        console.err(t("collect.no_letter", language, owner=form.owner.id, reason=reason))
        return
    console.line(str(out))
    console.err(t("collect.letter", language, file=out))


@collect_app.command("read", cls=Command)
@boundary
def read(
    files: Annotated[list[Path], typer.Argument(help="Returned forms (.xlsx).", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the updates and problems; record nothing.")] = False,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Record the good rows of a form that has bad ones.")
    ] = False,
    period: Annotated[
        str | None, typer.Option("--period", help="Refuse forms of any other period.", metavar="PERIOD")
    ] = None,
    author: Annotated[
        str | None,
        typer.Option("--author", help="Who records it (default: git config user.name and user.email).", metavar="TEXT"),
    ] = None,
    plan_id: PlanIdOption = None,
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Read returned forms into the journal: one update per filled row.

    Each row is checked as 'aseanctl update' checks it, reported by the form's agency
    (--by) and recorded by you (--author), with the file named in the update's evidence.
    Every problem names workbook, sheet and cell. A form with errors records nothing
    unless --skip-bad-rows is given; a row already recorded is not recorded again.
    Exit 0 when no form has an error (warnings, such as a row added by hand, are only
    shown), 1 when one has, 2 on a usage error.
    """
    from .. import console, gitops
    from ..collect import FormReader
    from ..errors import UsageError
    from ..i18n import pick_lang, t
    from ..journal import write_update
    from ..loader import load_workspace, resolve_workspace
    from ..safetext import visible

    for file in files:
        if not file.is_file():
            raise UsageError("collect.no_file", file=str(file))
    root = resolve_workspace(plan)
    ws = load_workspace(root).workspace
    language = pick_lang(lang, next((p.language for p in ws.plans), None))
    who = author if author is not None else gitops.author(root)
    if who is None:
        raise UsageError("update.no_author")
    today = dt.date.today()
    reader = FormReader(
        ws,
        today=today,
        now=dt.datetime.now(dt.timezone.utc),
        author=who,
        lang=language,
        plan_id=plan_id,
        period=period,
    )
    found_problems = False
    for file in files:
        reading = reader.read(file, skip_bad_rows=skip_bad_rows)
        for problem in reading.problems:
            console.err(visible(problem.render(language)))
        found_problems = found_problems or bool(reading.problems and reading.errors)
        for record in reading.records:
            if not dry_run:
                assert reading.folder is not None  # records come only from a form matched to a plan
                write_update(reading.folder, record)
            said = " ".join(str(record[k]) for k in ("status", "progress") if k in record)
            console.line(visible(f"{record['id']} {record['task']} {said}".rstrip()))
        if reading.errors and not skip_bad_rows:
            console.err(t("collect.nothing_recorded", language, file=file.name))
        key = "collect.would_record" if dry_run else "collect.recorded"
        console.err(
            t(
                key,
                language,
                file=file.name,
                count=len(reading.records),
                already=reading.already,
                problems=len(reading.problems),
            )
        )
    if found_problems:
        raise typer.Exit(1)


@collect_app.command("status", cls=Command)
@boundary
def status(
    period: PeriodOption,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Returned forms (.xlsx) or folders of them, checked as 'collect read --dry-run' checks them.",
            show_default=False,
        ),
    ] = None,
    forms: Annotated[
        str | None,
        typer.Option(
            "--forms",
            help="The folder 'collect send' wrote into (its -o; default: reports/ beside the plan).",
            metavar="DIR",
        ),
    ] = None,
    format: RoundFormatOption = "table",
    output: RoundOutputOption = None,
    bom: BomOption = False,
    csv_raw: CsvRawOption = False,
    plan_id: PlanIdOption = None,
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Show each agency's form for the period: sent, returned, rows answered, problems, and what to do next.

    'Sent' comes from <plan>-collect-<period>.json, written by 'aseanctl collect send' beside
    the forms; 'returned' and 'rows answered' from the journal (the updates 'aseanctl collect
    read' recorded from each form); who owes a report is decided as 'collect send' decides
    it. Returned workbooks given as FILES are checked without recording anything: their
    problems and the rows waiting to be read join the list. Exit 0, also when work is left;
    1 when a given workbook has errors or the record of forms sent is damaged; 2 on a usage
    error.
    """
    from .. import console
    from ..collect import (
        STATUS_COLUMNS,
        FormReader,
        collect_round,
        load_sent,
        round_document,
        round_sheet,
        sent_file_name,
    )
    from ..errors import UsageError
    from ..i18n import pick_lang
    from ..loader import REPORTS_DIR, load_workspace, resolve_workspace
    from ..report.choose import choose_round
    from ..safetext import visible
    from .status import deliver, draw, output_for

    to = output_for(format, output)
    workbooks: list[Path] = []
    for given in files or []:
        if given.is_dir():
            workbooks.extend(sorted(p for p in given.iterdir() if p.suffix.lower() == ".xlsx" and p.is_file()))
        elif given.is_file():
            workbooks.append(given)
        else:
            raise UsageError("collect.no_file", file=str(given))
    today = dt.date.today()
    root = resolve_workspace(plan)
    ws = load_workspace(root).workspace
    chosen, found_period, as_of = choose_round(ws, root, plan_id, period, today)
    language = pick_lang(lang, chosen.language)
    folder = Path(forms) if forms is not None else root.parent / REPORTS_DIR
    if folder.exists() and not folder.is_dir():
        raise UsageError("collect.output_is_file", file=str(folder), option="--forms")
    record = folder / sent_file_name(chosen, found_period)
    sent = load_sent(record, chosen, found_period)
    reader = FormReader(
        ws,
        today=today,
        now=dt.datetime.now(dt.timezone.utc),
        author="aseanctl collect status",  # nothing is recorded: the rows are only checked
        lang=language,
        plan_id=chosen.id,
        period=found_period.label,
    )
    readings = [reader.read(file) for file in dict.fromkeys(workbooks)]
    for reading in readings:
        for problem in reading.problems:
            console.err(visible(problem.render(language)))
    rounds = collect_round(
        ws, chosen, found_period, as_of, sent, [r for r in readings if r.owner is not None], send_day=today
    )
    unmatched = [r for r in readings if r.owner is None]
    document = round_document(chosen, found_period, as_of, rounds, unmatched, ws.owner_map(), language, record)
    if format == "table":
        draw(round_sheet(document, language))
    else:
        rows = document["agencies"]
        deliver("collect", format, document, rows, STATUS_COLUMNS, language, to=to, bom=bom, csv_raw=csv_raw)
    if any(reading.errors for reading in readings):
        raise typer.Exit(1)
