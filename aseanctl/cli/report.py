"""aseanctl report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import app, boundary
from .params import Command, DAY, REPORT_FORMAT, REPORT_KIND, AtOption, LangOption, PlanOption

if TYPE_CHECKING:
    from ..i18n import Lang
    from ..loader import WorkspaceLoad
    from ..report.choose import PreparedReport


@app.command(cls=Command)
@boundary
def report(
    format: Annotated[
        str,
        typer.Option(
            "--format", "-f", click_type=REPORT_FORMAT, help="md (Markdown) or docx (Word).", metavar="md|docx"
        ),
    ] = "md",
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            click_type=REPORT_KIND,
            help="progress (the periodic report), assignment (Phụ lục phân công nhiệm vụ) or "
            "owner-request (the letter asking an agency to report: to --owner, else one to every "
            "agency that owes a report, into a folder).",
            metavar="KIND",
        ),
    ] = "progress",
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="2024, 2024-H1, 2024-Q3, or 2021..2025 for the whole plan (default: the reporting "
            "period holding --as-of; the plan's first or last one when --as-of is outside the plan).",
            metavar="PERIOD",
        ),
    ] = None,
    as_of: Annotated[
        dt.date | None,
        typer.Option(
            "--as-of",
            click_type=DAY,
            help="Compute figures as of this date (default: the end of the period, or today if earlier).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="One agency's part only (owner id).", metavar="OWNER")
    ] = None,
    deadline: Annotated[
        dt.date | None,
        typer.Option(
            "--deadline",
            click_type=DAY,
            help="owner-request: the day the answer is due (default: request_days of settings.yaml, "
            "15 unless set, after the letter's day).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            help="A template name (looked up in the plan repository's templates/, then the shipped "
            "ones) or a file path.",
            metavar="NAME|PATH",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write ('-' for stdout, Markdown only; default: "
            "reports/<plan>-<kind>-<period>.<ext> in the plan repository); for owner-request "
            "without --owner, the folder of the letters.",
            metavar="FILE|DIR",
        ),
    ] = None,
    plan_id: Annotated[
        str | None,
        typer.Option(
            "--plan-id",
            help="Which plan, when the workspace holds several (default: the one whose period holds "
            "--as-of, else the latest).",
            metavar="ID",
        ),
    ] = None,
    at: AtOption = None,
    final: Annotated[
        bool,
        typer.Option(
            "--final",
            help="Write only a document that can be signed: refuse a plan with errors, unwritten "
            "sections, no signer's name or no document number.",
        ),
    ] = False,
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Render a report of the plan, as Markdown or Word.

    Every figure comes from the same derived state as 'aseanctl status'. Narrative
    sections come from <plan>/reports/<period>.yaml and the issuing body, signer and
    recipients from <plan>/reports/settings.yaml (docs/reports.md). The plan is checked
    as by 'aseanctl validate': with errors, the report is marked as a draft and stderr
    says so; unwritten sections are named on stderr. With --final, either is refused
    (exit 1), as are a missing signer's name and document number.

    --kind owner-request is a công văn (Nghị định 30/2020/NĐ-CP) written on --as-of
    (default today): «Kính gửi» the agency, its tasks open in the period, and the day
    the answer is due. Without --owner, one letter per agency that owes a report goes
    into a folder; an agency with no open task, or no longer existing on the letter's
    day, gets none (with --owner: refused, exit 1).
    """
    from ..errors import UsageError
    from ..loader import load_workspace, resolve_workspace
    from ..report.choose import output_name, output_path, prepare_report

    if deadline is not None and kind != "owner-request":
        raise UsageError("letter.deadline_kind")
    letters = kind == "owner-request" and owner is None
    if letters and output == "-":
        raise UsageError("letter.folder_stdout")
    if output == "-" and format == "docx":
        raise UsageError("report.docx_stdout")
    snapshot = None
    if at is not None:  # read from the revision; written, by default, into the repository as it is
        from ..history import open_at

        snapshot = open_at(at, plan)
    root = snapshot.root if snapshot else resolve_workspace(plan)
    home = snapshot.real_root if snapshot else root
    load = load_workspace(root)
    if letters:
        commit = snapshot.commit if snapshot else None
        _letters(load, root, home, format, template, output, final, plan_id, period, as_of, deadline, lang, commit)
        return
    the_plan, found_period, language, context = prepare_report(
        load, root, kind=kind, plan_id=plan_id, period=period, as_of=as_of, owner=owner, lang=lang, deadline=deadline
    )
    context["commit"] = snapshot.commit if snapshot else None
    file_name = output_name(the_plan, kind, found_period, owner, format, language)
    out_path = output_path(home, output, file_name)
    if out_path is not None and out_path.is_dir():
        raise UsageError("report.output_is_folder", file=out_path, example=out_path / file_name)
    if output is None and out_path is not None:
        _refuse_links(out_path, home.parent)
    default_name = f"{kind}.{'md.j2' if format == 'md' else 'docx'}"
    template_name = template or default_name
    from ..report.render import find_template, shipped_templates, template_dirs

    # the kind's own template, shipped or restyled under its name in the repository's templates/
    # (as docs/reports.md invites a clerk to do), prints every section: --final checks them
    own = template_name == default_name or (
        find_template(template_name, template_dirs(root)).resolve().parent == shipped_templates().resolve()
    )
    _draft_or_final(load, root, context, kind if own else "", final, language)
    _deliver(context, root, template_name, format, out_path, language)


def _letters(
    load: WorkspaceLoad,
    root: Path,
    home: Path,
    format: str,
    template: str | None,
    output: str | None,
    final: bool,
    plan_id: str | None,
    period: str | None,
    as_of: dt.date | None,
    deadline: dt.date | None,
    lang: str | None,
    commit: str | None,
) -> None:
    """One request letter per agency asked for a report (``collect.addressees``, the agencies
    'collect send' writes forms for), into one folder; each is what --owner would write.  A
    letter goes to whoever holds the work on the letter's day (a department merged since
    the period gets none: its successor does), never to the sender itself."""
    from .. import console
    from ..collect import addressees
    from ..errors import AseanctlError, UsageError
    from ..i18n import render, t
    from ..report.choose import figures_day, letters_folder_name, output_name, prepare_report

    today = dt.date.today()
    first = prepare_report(
        load, root, kind="owner-request", plan_id=plan_id, period=period, as_of=as_of, lang=lang, deadline=deadline
    )
    the_plan, found_period, language = first.plan, first.period, first.lang
    folder = (
        Path(output)
        if output is not None
        else home.parent / "reports" / letters_folder_name(the_plan, found_period, language)
    )
    if folder.exists() and not folder.is_dir():
        raise UsageError("letter.output_is_file", file=folder)
    if output is None:
        _refuse_links(folder, home.parent)
    template_name = template or f"owner-request.{'md.j2' if format == 'md' else 'docx'}"
    day = figures_day(found_period, as_of, today)
    to, sender = addressees(load.workspace, the_plan, found_period, day, as_of or today)
    if sender is not None:
        console.err(t("letter.to_sender", language, owner=sender))
    prepared: list[PreparedReport] = []
    for owner_id in to:
        try:
            prepared.append(
                prepare_report(
                    load,
                    root,
                    kind="owner-request",
                    plan_id=the_plan.id,
                    period=found_period.label,
                    as_of=as_of,
                    owner=owner_id,
                    lang=language,
                    deadline=deadline,
                    today=today,
                )
            )
        except AseanctlError as refused:
            console.err(t("letter.skipped", language, owner=owner_id, reason=render(refused.msg, language)))
    if not prepared:
        raise AseanctlError("letter.nobody", period=found_period.label)
    # the plan's errors are counted once: every letter is a draft, or none is
    _draft_or_final(load, root, prepared[0].context, "owner-request", final, language)
    paths = [
        folder / output_name(the_plan, "owner-request", found_period, one.context["owner"]["id"], format, language)
        for one in prepared
    ]
    if output is None:  # a letter's name in the repository's folder may be a committed link or FIFO
        for out_path in paths:
            _refuse_links(out_path, home.parent)
    for one, out_path in zip(prepared, paths, strict=True):
        one.context["commit"] = commit
        one.context["draft"] = prepared[0].context["draft"]
        _deliver(one.context, root, template_name, format, out_path, language, quiet=True)
        console.line(str(out_path))
    console.err(t("letter.written", language, count=len(prepared), folder=folder))


def _draft_or_final(
    load: WorkspaceLoad, root: Path, context: dict[str, Any], kind: str, final: bool, language: Lang
) -> None:
    """Every check of 'validate' that reports errors runs (the same count as validate's): a plan
    with errors gives a draft (said on stderr), and
    --final refuses it, unwritten sections, a missing signer's name and a missing number.
    Unwritten sections are looked for in the progress report's own template only, shipped or
    the repository's restyled copy (``kind`` is empty for another template given with
    --template: it need not print them)."""
    from .. import console
    from ..errors import AseanctlError
    from ..i18n import t
    from ..validation import error_count

    errors = error_count(load, root)
    missing = [name for name, text in context["narrative"].items() if not text] if kind == "progress" else []
    names = ", ".join(missing)
    file = context["labels"]["to_fill_file"]
    if final:
        reasons = []
        if errors:
            reasons.append(t("report.final.errors", language, count=errors))
        if missing:
            reasons.append(t("report.final.placeholders", language, names=names, file=file))
        if not context["doc"]["signer"]["name"]:
            reasons.append(t("report.final.signer", language))
        # a letter's number is given when it is registered on sending: it has no input file
        if not context["doc"]["signed_number"] and context.get("kind") != "owner-request":
            reasons.append(t("report.final.number", language, file=file))
        if reasons:
            raise AseanctlError("report.final_refused", reasons="; ".join(reasons))
        return
    if errors:
        context["draft"] = True
        console.line(t("report.draft_errors", language, count=errors), to_stderr=True)
    if missing:
        console.line(t("report.placeholders", language, count=len(missing), names=names, file=file), to_stderr=True)


def _refuse_links(out_path: Path, repository: Path) -> None:
    """The default report path comes from the repository: a committed symlink there (or in a
    folder on the way) could point the report at any file the user can write, and a committed
    FIFO would make the report wait forever for a reader: only an explicit -o streams."""
    from ..errors import AseanctlError
    from ..files import SymlinkRefused, is_special, refuse_symlinks

    try:
        refuse_symlinks(out_path, repository)
    except SymlinkRefused as refused:
        raise AseanctlError("report.output_symlink", file=refused.link) from None
    if is_special(out_path):
        raise AseanctlError("report.output_special", file=out_path)


def _deliver(
    context: dict[str, Any],
    root: Path,
    template: str,
    format: str,
    out_path: Path | None,
    language: Lang,
    *,
    quiet: bool = False,
) -> None:
    """Render ``template`` as ``format`` and write it to ``out_path`` (replacing the file
    whole), or to stdout."""
    from .. import console
    from ..errors import AseanctlError
    from ..files import ReadOnlyFile, replacing
    from ..i18n import t
    from ..report.render import find_template, markdown_chunks, mermaid_sources, render_markdown, template_dirs

    dirs = template_dirs(root)
    template_path = find_template(template, dirs)
    markdown = format == "md"
    if markdown:
        context["mermaid"] = mermaid_sources(context)
    # the commit a report was built from (--at), in a comment no reader sees
    stamp = f"<!-- aseanctl: built from commit {context['commit']} -->\n" if context.get("commit") else ""
    if out_path is None:
        text = stamp + render_markdown(template_path, dirs, context)
        console.line(text.rstrip("\n"))  # as it is: rich would lay out 5 MB of text for seconds
        return
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        if markdown:
            with replacing(out_path) as out:
                out.write(stamp.encode("utf-8"))
                for chunk in markdown_chunks(template_path, dirs, context):
                    out.write(chunk.encode("utf-8"))
        else:
            from ..report.docx import chart_later, render_docx

            chart = (
                chart_later(context["groups"], context["labels"]["chart_title"])
                if context["kind"] == "progress"
                else None
            )
            render_docx(template_path, context, out_path, chart)
    except ReadOnlyFile:
        raise AseanctlError("report.output_read_only", file=out_path) from None
    except OSError as exc:
        raise AseanctlError("report.write_failed", file=out_path, reason=exc.strerror or str(exc)) from None
    if not quiet:
        console.line(t("report.written", language, file=out_path), to_stderr=True)
