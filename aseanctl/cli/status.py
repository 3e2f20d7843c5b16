"""aseanctl status, and what the four views (status, show, log, owners) share on the command line."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from . import app, boundary
from .params import (
    Command,
    AsOfOption,
    AtOption,
    FormatOption,
    LangOption,
    ObjectiveOption,
    OverdueOption,
    OwnerOption,
    PlanOption,
    StaleDaysOption,
    StaleOption,
    StatusOption,
    plan_at,
)

CsvRawOption = Annotated[
    bool,
    typer.Option(
        "--csv-raw",
        help="With --format csv, for programs: every cell as it is. "
        "By default a cell a spreadsheet would run as a formula (= + - @) starts with '.",
    ),
]
BomOption = Annotated[
    bool,
    typer.Option(
        "--bom",
        help="With --format csv, for Excel: start with a UTF-8 byte-order mark, without which "
        "Excel on Windows garbles Vietnamese. By default plain UTF-8, for scripts.",
    ),
]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write json, csv or xlsx to this file (replaced whole) instead of stdout; "
        "needed by xlsx ('-' for stdout, not a terminal).",
        metavar="FILE",
    ),
]

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from ..i18n import Lang
    from ..layout import Sheet
    from ..model import Workspace


def load_for_view(plan: str | None, lang: str | None) -> tuple[Workspace, Lang]:
    """The workspace as far as it loads, and the language; a plan with errors is still shown,
    after one line on stderr."""
    from .. import console
    from ..i18n import pick_lang, t
    from ..loader import load_workspace, resolve_workspace

    load = load_workspace(resolve_workspace(plan))
    workspace = load.workspace
    language = pick_lang(lang, next((p.language for p in workspace.plans), None))
    errors = sum(1 for problem in load.problems if problem.severity == "error")
    if errors:
        console.err(t("view.plan_problems", language, count=errors))
    return workspace, language


def view_day(workspace: Workspace, as_of: dt.date | None, lang: Lang) -> dt.date:
    """The day a view looks from: ``--as-of``, else today, or the plan's last day once the
    plan has ended (``progress.default_as_of``), said on stderr."""
    if as_of is not None:
        return as_of
    from .. import console
    from ..fmt import format_date
    from ..i18n import t
    from ..progress import default_as_of

    day, ended = default_as_of(workspace.plans, dt.date.today())
    if ended is not None:
        console.err(t("view.plan_ended", lang, date=format_date(ended, lang)))
    return day


def emit(text: str) -> None:
    """JSON and CSV: written past rich (which would wrap or expand tabs), in the stream's
    encoding, which ``console.prepare_streams`` made UTF-8 for a file or a pipe."""
    from .. import console

    console.write(text)


def output_for(format: str, output: str | None) -> Path | None:
    """Where json, csv or xlsx go: a file, or None for stdout.  Checked before the plan is
    read: a workbook needs -o (it is binary, and a terminal is no place for it), and the
    table, laid out for a terminal, goes to stdout only."""
    import sys
    from pathlib import Path

    from ..errors import UsageError

    if format == "table":
        if output is not None:
            raise UsageError("view.table_output")
        return None
    if format == "xlsx":
        if output is None:
            raise UsageError("view.xlsx_needs_output")
        if output == "-" and _isatty(sys.stdout):
            raise UsageError("view.xlsx_to_terminal")
    if output in (None, "-"):
        return None
    if Path(output).is_dir():  # a usage error before anything is read or said (and again when written)
        raise UsageError("view.output_is_folder", file=Path(output))
    return Path(output)


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):  # no such method, a closed stream
        return False


def deliver(
    view: str,
    format: str,
    document: dict[str, Any],
    items: list[dict[str, Any]],
    columns: tuple[str, ...],
    language: Lang,
    *,
    to: Path | None,
    bom: bool = False,
    csv_raw: bool = False,
) -> None:
    """The document as json, the items as csv or as a workbook, on stdout or into ``to``."""
    from ..views import format_csv, format_json

    if format == "json":
        text = format_json(document)
    elif format == "csv":
        text = format_csv(items, columns, raw=csv_raw, bom=bom)
    else:
        _write_workbook(view, items, columns, language, to)
        return
    if to is None:
        emit(text)
    else:
        _write_file(to, text.encode("utf-8", "backslashreplace"), language)  # a lone surrogate from a journal


def _write_workbook(
    view: str, items: list[dict[str, Any]], columns: tuple[str, ...], lang: Lang, to: Path | None
) -> None:
    import io
    import sys

    from .. import __version__
    from ..i18n import t
    from ..views import sheet_headers, sheet_rows
    from ..xlsx import write_xlsx

    buffer = io.BytesIO()
    title = t(f"sheet.name.{view}", lang)
    write_xlsx(
        buffer, title, sheet_headers(columns, lang), sheet_rows(items, columns, lang), creator=f"aseanctl {__version__}"
    )
    if to is not None:
        _write_file(to, buffer.getvalue(), lang)
        return
    stream = sys.stdout.buffer
    stream.write(buffer.getvalue())
    stream.flush()


def _write_file(path: Path, data: bytes, lang: Lang) -> None:
    """``data`` into ``path``, whole or not at all (``files.replacing``); one line on stderr."""
    from .. import console
    from ..errors import AseanctlError, UsageError
    from ..files import ReadOnlyFile, replacing
    from ..i18n import t

    try:
        with replacing(path) as out:
            out.write(data)
    except IsADirectoryError:
        raise UsageError("view.output_is_folder", file=path) from None
    except ReadOnlyFile:
        raise AseanctlError("view.output_read_only", file=path) from None
    except OSError as exc:
        raise AseanctlError("view.write_failed", file=path, reason=exc.strerror or str(exc)) from None
    console.line(t("view.written", lang, file=path), to_stderr=True)


def draw(sheet: Sheet) -> None:
    """A table: laid out to the terminal's width, coloured only on a terminal."""
    from .. import console

    console.show(sheet)


@app.command(cls=Command)
@boundary
def status(
    owner: OwnerOption = None,
    objective: ObjectiveOption = None,
    status_word: StatusOption = None,
    overdue: OverdueOption = False,
    stale: StaleOption = False,
    stale_days: StaleDaysOption = None,
    as_of: AsOfOption = None,
    at: AtOption = None,
    format: FormatOption = "table",
    output: OutputOption = None,
    bom: BomOption = False,
    csv_raw: CsvRawOption = False,
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Show every task's status by objective: progress, due day, last report.

    Status, progress and health are folded from the journal as of --as-of; each group ends
    with its count, completed, overdue and unweighted average progress. 'aseanctl status
    --overdue' lists what is late. Exit 0 (also when no task matches), 2 on a usage error.
    """
    from ..progress import task_states
    from ..views import (
        TASK_COLUMNS,
        TaskFilter,
        check_objective,
        check_owner,
        render_status,
        status_document,
    )

    to = output_for(format, output)
    workspace, language = load_for_view(plan_at(plan, at), lang)
    chosen = TaskFilter(
        owner=check_owner(workspace, owner) if owner is not None else None,
        objective=check_objective(workspace, objective) if objective is not None else None,
        status=status_word,
        overdue=overdue,
        stale=stale,
    )
    day = view_day(workspace, as_of, language)
    states = chosen.apply(task_states(workspace, day, stale_days=stale_days))
    document = status_document(workspace, states, day, stale_days)
    if format == "table":
        draw(render_status(document, workspace.owner_map(), language))
    else:
        deliver("status", format, document, document["tasks"], TASK_COLUMNS, language, to=to, bom=bom, csv_raw=csv_raw)
