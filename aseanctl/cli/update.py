"""aseanctl update."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from . import app, boundary
from .params import Command, DAY, HEALTH_WORD, STATUS_WORD, LangOption, PlanOption


@app.command(cls=Command)
@boundary
def update(
    task: Annotated[str, typer.Argument(help="The task's id, e.g. N2.3.", show_default=False)],
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            "-s",
            click_type=STATUS_WORD,
            help="not_started, in_progress, completed, recurring, suspended, change_requested "
            "(or the Vietnamese words, e.g. 'đang triển khai').",
            metavar="STATUS",
        ),
    ] = None,
    progress: Annotated[
        str | None, typer.Option("--progress", "-p", help="Per cent done, 0-100.", metavar="0-100")
    ] = None,
    actual: Annotated[
        list[str] | None,
        typer.Option(
            "--actual",
            "-a",
            help="Value reached for one of the task's indicators (2,5 or 2.5; 2.100 is refused as "
            "ambiguous); repeatable.",
            metavar="INDICATOR=VALUE",
        ),
    ] = None,
    health: Annotated[
        str | None,
        typer.Option(
            "--health",
            click_type=HEALTH_WORD,
            help="green, amber or red (or the Vietnamese words, e.g. 'có rủi ro').",
            metavar="HEALTH",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", "-m", help="What was done, in words.", metavar="TEXT")] = None,
    evidence: Annotated[
        str | None,
        typer.Option("--evidence", "-e", help="What proves it, e.g. the number of a report.", metavar="TEXT"),
    ] = None,
    date: Annotated[
        dt.date | None,
        typer.Option(
            "--date",
            "-d",
            click_type=DAY,
            help="The day the status refers to (default: today, or the plan's last day once it has "
            "ended; for a correction, the corrected update's day).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help="The reporting agency's owner id (default: the task's lead on that day).", metavar="OWNER"
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option("--author", help="Who records it (default: git config user.name and user.email).", metavar="TEXT"),
    ] = None,
    corrects: Annotated[
        str | None,
        typer.Option("--corrects", help="Supersede this earlier update (its id) without rewriting it.", metavar="ID"),
    ] = None,
    withdraws: Annotated[
        str | None,
        typer.Option(
            "--withdraws",
            help="Take back this earlier update (its id; with its corrections), e.g. one recorded for the wrong "
            "task. Needs --reason; says nothing else.",
            metavar="ID",
        ),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why --withdraws takes the update back.", metavar="TEXT")
    ] = None,
    commit: Annotated[bool, typer.Option("--commit", help="Commit just this update with git.")] = False,
    plan: PlanOption = None,
    lang: LangOption = None,
) -> None:
    """Record one status update of a task in the plan's journal, and print its id.

    Everything is checked before anything is written: an unknown task, status word or
    indicator, progress outside 0-100, a date outside the plan period or in the future,
    or a correction of an update that does not exist is an error, and nothing is written.
    A withdrawal (--withdraws ID --reason TEXT) takes an update back: the line stays, and
    the update no longer counts. Updates are appended to <plan>/journal/<year>.jsonl: one line each, never rewritten.
    """
    from .. import console, gitops
    from ..errors import AseanctlError
    from ..i18n import pick_lang, t
    from ..journal import new_update_id, write_update
    from ..loader import find_task, resolve_workspace
    from ..recording import UpdateRequest, build_record, commit_message

    root = resolve_workspace(plan)
    found = find_task(root, task)
    language = pick_lang(lang, found.plan.language if found.plan else None)
    if found.plan is not None and found.task is not None:
        broken = [
            p
            for p in found.problems
            if p.severity == "error"
            and p.file is not None
            and (p.file.name in ("owners.yaml", "plan.yaml") and not p.path)
        ]
        if broken:
            raise AseanctlError("update.plan_broken", file=str(broken[0].file))
    today = dt.date.today()
    now = dt.datetime.now(dt.timezone.utc)
    repo = None
    if commit:
        repo = gitops.repository(root)
        if repo is None:
            raise AseanctlError("update.not_git", path=str(root))
    request = UpdateRequest(
        task=task,
        status=status,
        progress=progress,
        actual=tuple(actual or ()),
        health=health,
        note=note,
        evidence=evidence,
        date=date.isoformat() if date is not None else None,
        by=by,
        author=author,
        corrects=corrects,
        withdraws=withdraws,
        reason=reason,
    )
    record = build_record(
        request,
        found,
        today=today,
        now=now,
        update_id=new_update_id(today),
        default_author=None if author else gitops.author(root),
    )
    assert found.plan is not None  # build_record refused otherwise
    if repo is None:
        path, _ = write_update(found.plan.folder, record)
    else:
        path = _write_and_commit(repo, found.plan.folder, record)
    console.line(record["id"])
    shown = (
        path.resolve().relative_to(Path.cwd().resolve())
        if path.resolve().is_relative_to(Path.cwd().resolve())
        else path
    )
    console.line(t("update.recorded", language, id=record["id"], task=record["task"], file=shown), to_stderr=True)
    if repo is not None:
        console.line(t("update.committed", language, message=commit_message(record)), to_stderr=True)


def _write_and_commit(repo: Path, plan_folder: Path, record: dict[str, Any]) -> Path:
    """Append the line and commit it under the repository's lock, all or nothing: a commit
    that fails (a hook, no git identity) takes the line back out."""
    from .. import gitops
    from ..errors import AseanctlError
    from ..journal import encode_update, write_update
    from ..recording import commit_message

    message = commit_message(record)

    def commit(path: Path) -> None:
        attributes = path.parent / ".gitattributes"  # the union merge must travel with the journal
        gitops.commit_lines(repo, path, encode_update(record), [attributes], message)

    with gitops.commit_lock(repo):
        try:
            path, _ = write_update(plan_folder, record, then=commit)
        except AseanctlError as error:
            if error.msg.key == "update.git_failed":
                raise AseanctlError("update.commit_failed", **error.msg.args) from None
            raise
    return path
