"""aseanctl schema."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app, boundary
from .params import Command, SCHEMA_KIND, LangOption


@app.command("schema", cls=Command)
@boundary
def schema_command(
    kind: Annotated[
        str | None,
        typer.Argument(
            click_type=SCHEMA_KIND,
            help="owners, plan, tasks, journal (one update line), report-settings or report-input: the schema of "
            "one kind of file (default: one schema for any of owners.yaml, plan.yaml, tasks/*.yaml).",
            show_default=False,
            metavar="[KIND]",
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of the plan files.

    Editors that use the YAML language server validate and complete plan files with it:
    see docs/plan-format.md. The validator's own checks go further (references, dates,
    owners); the schema covers the shape of each file.
    """
    import json

    from .. import console
    from ..schema import json_schema

    console.out(json.dumps(json_schema(kind), ensure_ascii=False, indent=2))
