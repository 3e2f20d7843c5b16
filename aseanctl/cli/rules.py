"""aseanctl rules."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app, boundary
from .params import Command, RULES_FORMAT, LangOption


@app.command("rules", cls=Command)
@boundary
def rules_command(
    rule: Annotated[str | None, typer.Argument(help="Show this rule's full documentation.", show_default=False)] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", click_type=RULES_FORMAT, help="text or json.", metavar="FORMAT")
    ] = "text",
    lang: LangOption = None,
) -> None:
    """List the validation rules: id, severity and what each checks.

    Rules marked "load" are checked while files are read; the others run on the loaded plan.
    """
    import json

    from .. import console
    from ..i18n import pick_lang, t
    from ..rules import RULES
    from ..suggest import did_you_mean

    language = pick_lang(lang)
    chosen = list(RULES)
    if rule is not None:
        chosen = [r for r in RULES if r.id == rule]
        if not chosen:
            from ..errors import UsageError

            raise UsageError("cli.unknown_rule", id=rule, hint=did_you_mean(rule, [r.id for r in RULES]))
    if format == "json":
        console.out(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "severity": r.severity,
                        "stage": r.stage,
                        "summary": t(f"rule.{r.id}", language),
                        "doc": r.doc,
                    }
                    for r in chosen
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for info in chosen:
        severity = t(f"severity.{info.severity}", language)
        header = f"{console.markup(info.id, 'rule')}  {console.markup(severity, info.severity)}  ({info.stage})"
        console.out(header, styled=True)
        body = info.doc if rule is not None else t(f"rule.{info.id}", language)
        console.out("    " + body.replace("\n", "\n    "))
