"""aseanctl init."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import app, boundary
from .params import DAY, Command, LangOption, PlanOption, WordType

if TYPE_CHECKING:
    from ..frameworks import Framework
    from ..i18n import Lang
    from ..model import Plan, Workspace


def _framework_ids() -> tuple[str, ...]:
    from ..frameworks import framework_ids

    return framework_ids()


FRAMEWORK = WordType(_framework_ids)


@app.command(cls=Command)
@boundary
def init(
    directory: Annotated[str, typer.Argument(help="The folder to create (new, or empty).", metavar="DIR")],
    from_plan: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Start a successor of this plan: a plan folder, or a plan id of the workspace.",
            metavar="PLAN",
        ),
    ] = None,
    plan_id: Annotated[
        str | None, typer.Option("--id", help="The new plan's id (default: the folder's name).", metavar="ID")
    ] = None,
    start: Annotated[
        dt.date | None,
        typer.Option(
            "--start",
            click_type=DAY,
            help="First day (default: the day after the earlier plan ends, or the framework's start).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    end: Annotated[
        dt.date | None,
        typer.Option("--end", click_type=DAY, help="Last day (default: the framework's end).", metavar="YYYY-MM-DD"),
    ] = None,
    framework: Annotated[
        str | None,
        typer.Option(
            "--framework",
            click_type=FRAMEWORK,
            help="The ASCC framework (default: the newest; with --from, the successor of the earlier plan's).",
            metavar="NAME",
        ),
    ] = None,
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Create a plan repository, or the plan that follows an earlier one.

    What it writes passes 'aseanctl validate --strict' as it is.

    'aseanctl init DIR' writes a new repository: plan/owners.yaml, plan/<id>/ (plan.yaml,
    one task group, report settings, journal/.gitattributes), templates/ (empty but for a
    README: the shipped templates are used until one is copied there), the CI workflow
    .github/workflows/plan.yml (aseanctl from a pinned release) and .gitignore. Values to
    fill in are marked CẦN ĐIỀN (TO FILL IN).

    'aseanctl init DIR --from PLAN' starts the plan that follows PLAN: its unfinished and
    recurring tasks as candidates, each tagged continues:<plan>/<task>, led by their owners'
    successors. A DIR beside PLAN, in its workspace, adds the plan there (owners.yaml is shared);
    elsewhere DIR becomes a new repository with the owners still active.

    Nothing is ever overwritten: DIR must be new or empty (a lone .git is fine).
    Exit 0; 1 when a file cannot be written; 2 on a usage error (DIR not empty among them).
    """
    from .. import console
    from ..i18n import pick_lang, t
    from ..scaffold import check_target, valid_id, write_files

    target = Path(directory)
    new_id = plan_id or target.resolve().name
    if not valid_id(new_id):
        from ..errors import UsageError

        raise UsageError("init.bad_id", id=new_id)
    check_target(target)
    if from_plan is None:
        language = pick_lang(lang)
        files = _new_repository(new_id, start, end, framework, language)
        summary = ""
    else:
        files, summary, language = _successor(target, from_plan, new_id, start, end, framework, plan, lang)
    written = write_files(target, files)
    console.line(t("init.done", language, count=len(written), path=str(target)))
    if summary:
        console.line(summary)
    console.line(t("init.next_from" if from_plan else "init.next", language, marker=t("init.marker", language)))


def _period(start: dt.date, end: dt.date | None, fallback: dt.date) -> tuple[dt.date, dt.date]:
    from ..errors import UsageError

    last = end or fallback
    if last < start:
        raise UsageError("init.bad_period", start=start.isoformat(), end=last.isoformat())
    return start, last


def _new_repository(
    new_id: str, start: dt.date | None, end: dt.date | None, framework_id: str | None, lang: Lang
) -> dict[str, str]:
    from ..frameworks import current_framework, load_framework
    from ..scaffold import PlanSpec, render_repository

    chosen = load_framework(framework_id) if framework_id else current_framework()
    first = start or max(dt.date(dt.date.today().year, 1, 1), chosen.start or dt.date.min)
    fallback = chosen.end if chosen.end and chosen.end > first else dt.date(first.year + 4, 12, 31)
    first, last = _period(first, end, fallback)
    return render_repository(PlanSpec(new_id, first, last, chosen, lang))


def _find_plan(from_plan: str, explicit: str | None) -> tuple[Path, Workspace, Plan]:
    from ..errors import UsageError
    from ..loader import PLAN_FILE, find_workspace, load_workspace, resolve_workspace
    from ..suggest import did_you_mean

    given = Path(from_plan)
    folder = given.resolve() if (given / PLAN_FILE).is_file() else None
    root = find_workspace(given) if folder is not None else resolve_workspace(explicit)
    if root is None:  # a plan folder always lies in a workspace; kept for the type checker
        raise UsageError("cli.no_plan", start=from_plan)
    workspace = load_workspace(root).workspace
    for candidate in workspace.plans:
        if (folder is not None and candidate.folder.resolve() == folder) or (
            folder is None and candidate.id == from_plan
        ):
            return root, workspace, candidate
    known = [p.id for p in workspace.plans if p.id]
    raise UsageError("init.no_plan", plan=from_plan, root=str(root), hint=did_you_mean(from_plan, known))


def _framework_for(old: Plan, framework_id: str | None) -> Framework:
    """--framework; else the successor of the framework whose programme the old plan implements."""
    from ..frameworks import current_framework, framework_of, load_framework

    if framework_id:
        return load_framework(framework_id)
    followed = framework_of([doc.number for doc in old.implements if doc.number])
    if followed is None:
        return current_framework()
    return load_framework(followed.successor) if followed.successor else followed


def _raw(path: Path, key: str | None = None) -> Any:
    """A plan file's data as written (for entries copied over unchanged); None if it does not load."""
    from ..yamlio import load_yaml

    if not path.is_file():
        return None
    data = load_yaml(path).data
    if key is None:
        return data if isinstance(data, dict) else None
    items = data.get(key) if isinstance(data, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _successor(
    target: Path,
    from_plan: str,
    new_id: str,
    start: dt.date | None,
    end: dt.date | None,
    framework_id: str | None,
    explicit: str | None,
    lang: str | None,
) -> tuple[dict[str, str], str, Lang]:
    from ..errors import UsageError
    from ..i18n import pick_lang, t
    from ..loader import OWNERS_FILE, REPORT_SETTINGS_FILE, REPORTS_DIR
    from ..scaffold import PlanSpec
    from ..scaffold.successor import render_successor

    root, workspace, old = _find_plan(from_plan, explicit)
    language = pick_lang(lang, old.language)
    same = target.resolve().parent == root.resolve()
    if same and any(p.id == new_id for p in workspace.plans):
        raise UsageError("init.id_taken", id=new_id, root=str(root))
    chosen = _framework_for(old, framework_id)
    after = (old.end + dt.timedelta(days=1)) if old.end else dt.date(dt.date.today().year, 1, 1)
    first = start or after
    if chosen.end and chosen.end > first:
        fallback = chosen.end
    else:
        years = (old.end.year - old.start.year + 1) if old.end and old.start else 5
        fallback = dt.date(first.year + years - 1, 12, 31)
    first, last = _period(first, end, fallback)
    carried = render_successor(
        workspace,
        old,
        PlanSpec(new_id, first, last, chosen, language),
        same_workspace=same,
        owner_entries=_raw(root / OWNERS_FILE, "owners") or [],
        settings=_raw(old.folder / REPORTS_DIR / REPORT_SETTINGS_FILE),
    )
    summary = t(
        "init.done_from",
        language,
        id=new_id,
        old=old.id,
        tasks=carried.candidates,
        completed=carried.completed,
        owners=carried.owners,
        day=first.strftime("%d/%m/%Y") if language == "vi" else first.isoformat(),
    )
    return carried.files, summary, language
