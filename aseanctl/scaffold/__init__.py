"""``aseanctl init``: the files of a new plan repository, as text, and the one function that writes them.

``render_repository`` and ``successor.render_successor`` are pure: they return the files to
write (a relative path -> its text) and touch nothing.  ``write_files`` writes them into a
folder that is empty (or holds only ``.git``), each file created exclusively, so that an
existing file is never overwritten, whatever happens meanwhile.

Every file written passes ``aseanctl validate --strict`` as it is; the values a person must
supply are placeholders marked with the catalogue's ``init.marker`` (CẦN ĐIỀN / TO FILL IN).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from .. import __version__
from ..errors import AseanctlError, UsageError
from ..frameworks import Characteristic, Framework, codes
from ..i18n import Lang, t
from ..journal import GITATTRIBUTES
from ..schema import ID_PATTERN
from .emit import Note, dump

PLAN_DIR = "plan"  # the workspace inside a new repository
WORKFLOW = ".github/workflows/plan.yml"
PLACEHOLDER_OWNER = "co-quan-chu-tri"
FIRST_OBJECTIVE = "N1"


class PlanSpec(NamedTuple):
    """What the command line decided about the new plan."""

    id: str
    start: dt.date
    end: dt.date
    framework: Framework
    lang: Lang


def valid_id(text: str) -> bool:
    return re.fullmatch(ID_PATTERN, text) is not None


def shipped(name: str) -> str:
    """A file shipped in this package (the workflow, .gitignore, the templates folder's README)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def fill(lang: Lang, what: str) -> str:
    """A placeholder value: the thing to write, marked so that nobody mistakes it for data."""
    return f"({t('init.marker', lang)}) {t(what, lang)}"


# --- pieces shared by a new repository and a successor plan -----------------------------------


def framework_note(framework: Framework, lang: Lang) -> tuple[str, list[str]]:
    """The comment listing the codes a plan may use, and the assumption to record when the
    framework borrows another's codes."""
    source, characteristics = codes(framework)
    lines = [t("init.codes_comment", lang, name=framework.name, codes=source.name)]
    lines += [_code_line(item) for item in characteristics]
    assumptions = []
    if source.id != framework.id:
        assumptions.append(t("init.codes_borrowed", lang, name=framework.name, codes=source.name))
    return "\n".join(lines), assumptions


def _code_line(item: Characteristic) -> str:
    elements = ", ".join(code for code, _ in item.elements)
    return f"  {item.code}: {item.name}" + (f" ({elements})" if elements else "")


def programme(framework: Framework) -> dict[str, Any]:
    """The national programme as an ``implements`` entry; a date that does not parse is left out."""
    entry: dict[str, Any] = {}
    for key in ("number", "date", "issuer", "title"):
        value = framework.programme.get(key)
        if value is None:
            continue
        if key == "date":
            try:
                entry[key] = dt.date.fromisoformat(value)
            except ValueError:
                continue
        else:
            entry[key] = value
    return entry


def plan_document(spec: PlanSpec, body: dict[str, Any], assumptions: list[str]) -> str:
    """plan.yaml: ``body`` holds title, lead, reporting, objectives, indicators (in that order)."""
    lang = spec.lang
    note, borrowed = framework_note(spec.framework, lang)
    data: dict[str, Any] = {"id": spec.id, "title": body["title"]}
    if body.get("title_en"):
        data["title_en"] = body["title_en"]
    data["language"] = lang
    data[Note(t("init.document_comment", lang, marker=t("init.marker", lang)))] = None
    data["document"] = {
        "number": fill(lang, "init.fill_number"),
        "date": spec.start,
        "issuer": fill(lang, "init.fill_issuer"),
    }
    implemented = programme(spec.framework)
    if implemented.get("number") and implemented.get("issuer"):
        data[Note(t("init.implements_comment", lang, name=spec.framework.name))] = None
        data["implements"] = [implemented]
    data["period"] = {"start": spec.start, "end": spec.end}
    data["lead"] = body["lead"]
    data["reporting"] = body["reporting"]
    data[Note(note)] = None
    data["objectives"] = body["objectives"]
    if body.get("indicators"):
        data["indicators"] = body["indicators"]
    every = [*assumptions, *borrowed]
    if every:
        data["assumptions"] = every
    return dump(data, t("init.plan_header", lang, marker=t("init.marker", lang)))


def placeholder_settings(lang: Lang) -> str:
    data = {
        "parent_body": fill(lang, "init.fill_parent_body"),
        "place": fill(lang, "init.fill_place"),
        "recipients": [t("init.recipient_archive", lang)],
    }
    return dump(data, t("init.settings_header", lang))


def repository_files(lang: Lang) -> dict[str, str]:
    """The files around the plan: CI, .gitignore, the templates folder's README."""
    return {
        WORKFLOW: shipped("workflow.yml").replace("__ASEANCTL_VERSION__", __version__),
        ".gitignore": shipped("gitignore.txt"),
        "templates/README.md": shipped(f"templates-readme.{lang}.md"),
    }


def plan_files(folder: str, plan_yaml: str, tasks: dict[str, str], settings: str) -> dict[str, str]:
    files = {f"{folder}/plan.yaml": plan_yaml}
    files.update({f"{folder}/tasks/{name}": text for name, text in tasks.items()})
    files[f"{folder}/reports/settings.yaml"] = settings
    files[f"{folder}/journal/.gitattributes"] = GITATTRIBUTES
    return files


def placeholder_group(lang: Lang, lead: str, due: dt.date, objective: str = FIRST_OBJECTIVE) -> str:
    task = {"id": f"{objective}.1", "title": fill(lang, "init.fill_task"), "lead": lead, "due": due}
    return dump({"objective": objective, "tasks": [task]}, t("init.tasks_header", lang))


def placeholder_objective(spec: PlanSpec) -> dict[str, Any]:
    _, characteristics = codes(spec.framework)
    first = characteristics[0].code if characteristics else "A"
    return {"id": FIRST_OBJECTIVE, "title": fill(spec.lang, "init.fill_objective"), "ascc": first}


# --- a new repository --------------------------------------------------------------------------


def render_repository(spec: PlanSpec) -> dict[str, str]:
    """Every file of a new plan repository with one plan, one owner, one task group and one task."""
    lang = spec.lang
    owners = {
        "owners": [{"id": PLACEHOLDER_OWNER, "name": fill(lang, "init.fill_owner"), "kind": "department"}],
    }
    body = {
        "title": fill(lang, "init.fill_title"),
        "lead": PLACEHOLDER_OWNER,
        "reporting": {"frequency": "yearly", "cutoff": "12-31"},
        "objectives": [placeholder_objective(spec)],
    }
    files = {f"{PLAN_DIR}/owners.yaml": dump(owners, t("init.owners_header", lang))}
    files.update(
        plan_files(
            f"{PLAN_DIR}/{spec.id}",
            plan_document(spec, body, []),
            {"nhom-1.yaml": placeholder_group(lang, PLACEHOLDER_OWNER, spec.end)},
            placeholder_settings(lang),
        )
    )
    files.update(repository_files(lang))
    return files


# --- writing -----------------------------------------------------------------------------------


def check_target(target: Path) -> None:
    """Refuse a target that is a file, or a folder holding anything but ``.git``: init never
    writes over what is there (UsageError, exit 2)."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError("init.not_a_folder", path=str(target))
    if target.is_dir():
        try:
            present = sorted(entry.name for entry in os.scandir(target) if entry.name != ".git")
        except OSError as error:
            raise AseanctlError("init.write_failed", path=str(target), reason=error.strerror or str(error)) from None
        if present:
            raise UsageError("init.not_empty", path=str(target), found=", ".join(present[:3]))


def write_files(target: Path, files: dict[str, str]) -> list[Path]:
    """Create every file under ``target`` (which :func:`check_target` accepted); each file is
    created exclusively, so a file that appeared meanwhile is refused, never overwritten."""
    check_target(target)
    written: list[Path] = []
    for relative, text in files.items():
        path = target / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as error:
            raise AseanctlError("init.write_failed", path=str(path), reason=error.strerror or str(error)) from None
        written.append(path)
    return written
