"""aseanctl report."""

from __future__ import annotations

from typing import Annotated

import typer

from . import LangOption, PlanOption, app, boundary


@app.command()
@boundary
def report(
    format: Annotated[
        str, typer.Option("--format", "-f", help="md (Markdown) or docx (Word).", metavar="md|docx")
    ] = "md",
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="progress (the periodic report), assignment (Phụ lục phân công nhiệm vụ) or "
            "owner-request (what one agency must report on; needs --owner).",
            metavar="KIND",
        ),
    ] = "progress",
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="2024, 2024-H1, 2024-Q3, or 2021..2025 for the whole plan (default: the reporting "
            "period holding --as-of).",
            metavar="PERIOD",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Compute figures as of this date (default: the end of the period, or today if earlier).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="One agency's part only (owner id).", metavar="OWNER")
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
            "reports/<plan>-<kind>-<period>.<ext> in the plan repository).",
            metavar="FILE",
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
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Render a report of the plan, as Markdown or Word.

    Every figure comes from the same derived state as 'aseanctl status'. Narrative
    sections come from <plan>/reports/<period>.yaml and the issuing body, signer and
    recipients from <plan>/reports/settings.yaml (docs/reports.md).
    """
    import datetime as dt
    from pathlib import Path

    from .. import console
    from ..errors import AseanctlError, UsageError
    from ..files import ReadOnlyFile, replacing
    from ..i18n import pick_lang, t
    from ..loader import REPORT_SETTINGS_FILE, REPORTS_DIR, load_workspace, resolve_workspace
    from ..progress import parse_period, period_of
    from ..report.context import KINDS, build_context
    from ..report.render import find_template, markdown_chunks, mermaid_sources, render_markdown, template_dirs
    from ..suggest import did_you_mean

    if format not in ("md", "docx"):
        raise typer.BadParameter(f"'{format}' is not one of md, docx", param_hint="--format")
    if lang is not None and lang not in ("vi", "en"):
        raise typer.BadParameter(f"'{lang}' is not one of vi, en", param_hint="--lang")
    if kind not in KINDS:
        raise UsageError("report.bad_kind", found=kind, allowed=", ".join(KINDS))
    if kind == "owner-request" and owner is None:
        raise UsageError("report.owner_required")
    if output == "-" and format == "docx":
        raise UsageError("report.docx_stdout")
    today = dt.date.today()
    as_of_date = None
    if as_of is not None:
        try:
            as_of_date = dt.date.fromisoformat(as_of.strip())
        except ValueError:
            raise UsageError("update.bad_date", found=as_of) from None

    root = resolve_workspace(plan)
    load = load_workspace(root)
    ws = load.workspace
    # plans whose plan.yaml loaded well enough to report on: an id and a period
    plans = {
        p.id: (p, p.start, p.end) for p in ws.plans if p.id is not None and p.start is not None and p.end is not None
    }
    if plan_id is not None:
        if plan_id not in plans:
            raise UsageError("report.no_plan_id", id=plan_id, hint=did_you_mean(plan_id, list(plans)))
        chosen = [plans[plan_id]]
    else:
        moment = as_of_date or today
        chosen = [entry for entry in plans.values() if entry[1] <= moment <= entry[2]] or sorted(
            plans.values(), key=lambda entry: entry[2]
        )[-1:]
    if not chosen:
        raise AseanctlError("update.plan_broken", file=str(root))
    the_plan, _, plan_end = chosen[0]
    language = pick_lang(lang, the_plan.language)

    if period is not None:
        found_period = parse_period(period, the_plan)
        if found_period is None:
            raise UsageError("report.bad_period", found=period)
    else:
        found_period = period_of(the_plan, min(as_of_date or today, plan_end))
        if found_period is None:
            raise UsageError("report.bad_period", found="")
    if as_of_date is None:
        as_of_date = min(found_period.end, today)
    if owner is not None and owner not in ws.owner_map():
        raise UsageError("ref.unknown_owner", id=owner, hint=did_you_mean(owner, list(ws.owner_map())))

    reports_dir = the_plan.folder / REPORTS_DIR
    broken = [p for p in load.problems if p.severity == "error" and p.file is not None and p.file.parent == reports_dir]
    if broken:
        from ..validation import locate

        first = locate(broken[:1], load.text)[0]
        raise AseanctlError("report.inputs_broken", file=f"{first.file}:{first.line or 1}")
    settings = load.reports.get(reports_dir / REPORT_SETTINGS_FILE, {})
    narrative_path = reports_dir / f"{found_period.label.replace('..', '-')}.yaml"
    narrative = load.reports.get(narrative_path, {})
    # named from the plan repository's top (plan/…), the same wherever the command runs
    shown_narrative = narrative_path.resolve().relative_to(root.resolve().parent).as_posix()
    context = build_context(
        ws,
        the_plan,
        kind=kind,
        period=found_period,
        as_of=as_of_date,
        lang=language,
        owner_id=owner,
        settings=settings,
        narrative=narrative,
        narrative_file=shown_narrative,
    )

    dirs = template_dirs(root)
    name = template or f"{kind}.{'md.j2' if format == 'md' else 'docx'}"
    template_path = find_template(name, dirs)
    suffix = f"-{owner}" if owner else ""
    file_name = f"{the_plan.id}-{kind}-{found_period.label.replace('..', '-')}{suffix}.{format}"
    if output is None:
        out_path: Path | None = root.parent / REPORTS_DIR / file_name  # beside plan/
    else:
        out_path = None if output == "-" else Path(output)

    if out_path is not None and out_path.is_dir():
        raise UsageError("report.output_is_folder", file=out_path, example=out_path / file_name)

    if format == "md" and out_path is None:
        context["mermaid"] = mermaid_sources(context)
        text = render_markdown(template_path, dirs, context)
        console.line(text.rstrip("\n"))  # as it is: rich would lay out 5 MB of text for seconds
        return
    assert out_path is not None
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        if format == "md":
            context["mermaid"] = mermaid_sources(context)
            with replacing(out_path) as out:
                for chunk in markdown_chunks(template_path, dirs, context):
                    out.write(chunk.encode("utf-8"))
        else:
            from ..report.docx import chart_png, render_docx

            render_docx(
                template_path,
                context,
                out_path,
                chart_png(context["groups"], context["labels"]["chart_title"]) if kind == "progress" else None,
            )
    except ReadOnlyFile:
        raise AseanctlError("report.output_read_only", file=out_path) from None
    except OSError as exc:
        raise AseanctlError("report.write_failed", file=out_path, reason=exc.strerror or str(exc)) from None
    console.line(t("report.written", language, file=out_path), to_stderr=True)
