"""Everything a user can meet is documented: commands, rules, messages in both languages."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from aseanctl.cli import app
from aseanctl.i18n import CATALOGUE, fill
from aseanctl.rules import RULES

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]
runner = CliRunner()


def test_the_app_has_commands() -> None:
    assert {"validate", "rules", "schema"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_help(name: str) -> None:
    command = COMMANDS[name]
    assert (command.help or "").strip(), f"'aseanctl {name}' has no docstring"
    assert (command.get_short_help_str() or "").strip()
    for param in command.params:
        if param.param_type_name == "option" and param.name not in ("help",):
            assert (param.help or "").strip(), f"'aseanctl {name}' option {param.opts} has no help"


def readme_mentions(text: str, name: str) -> bool:
    """``aseanctl <name>`` as a word: not ``aseanctl rulesets`` for ``rules``."""
    return re.search(rf"(?<![\w-])aseanctl {re.escape(name)}(?![\w-])", text) is not None


def test_readme_mentions_check() -> None:  # the check itself, on a README that exists only here
    readme = "Run `aseanctl validate --plan plan`.\n\n    aseanctl schema tasks > tasks.json\n\naseanctl rulesets\n"
    assert readme_mentions(readme, "validate")
    assert readme_mentions(readme, "schema")
    assert not readme_mentions(readme, "rules")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_in_readme(name: str) -> None:
    assert README.is_file(), "README.md does not exist yet"
    assert readme_mentions(README.read_text(encoding="utf-8"), name), f"README.md never shows 'aseanctl {name}'"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_documented(rule) -> None:
    assert rule.doc.strip(), f"rule {rule.id} has no docstring"
    assert rule.summary.strip()
    assert rule.severity in ("error", "warning")
    assert rule.stage in ("load", "check")
    assert f"rule.{rule.id}" in CATALOGUE, f"rule {rule.id} has no summary in the catalogue"


def test_rule_ids_are_unique() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))


def test_every_rule_summary_in_the_catalogue_is_a_rule() -> None:
    ids = {rule.id for rule in RULES}
    stale = [key for key in CATALOGUE if key.startswith("rule.") and key[len("rule.") :] not in ids]
    assert stale == []


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_catalogue_entry_has_both_languages(key: str) -> None:
    entry = CATALOGUE[key]
    assert isinstance(entry, tuple) and len(entry) == 2, entry
    vietnamese, english = entry
    assert vietnamese.strip() and english.strip(), f"{key}: a language is missing"
    assert placeholders(vietnamese) == placeholders(english), f"{key}: placeholders differ"
    # both render with every placeholder given, with a plural ({count:task|tasks}) or not
    for count in (1, 2):
        args = {name: count for name in placeholders(english)}
        fill(vietnamese, args)
        fill(english, args)


def test_root_help() -> None:
    result = runner.invoke(app, ["--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_help(name: str) -> None:
    result = runner.invoke(app, [name, "--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"aseanctl {name}" in result.stdout or name in result.stdout
    assert (COMMANDS[name].help or "").strip().splitlines()[0] in result.stdout


# --- what docs/plan-format.md promises ------------------------------------------------


def test_backup_file_in_tasks_is_reported_as_stray(make_workspace) -> None:
    """docs/plan-format.md promises it; the loader once kept only *.yaml/*.yml and skipped it silently."""
    from aseanctl.validation import validate_workspace

    assert "tasks/nhom-1.yml.bak" in (REPO / "docs" / "plan-format.md").read_text(encoding="utf-8")
    root = make_workspace(**{"p1/tasks/nhom-1.yml.bak": "objective: N1\ntasks: []\n"})
    rules = [(p.rule, p.file.name if p.file else None) for p in validate_workspace(root).problems]
    assert ("stray-file", "nhom-1.yml.bak") in rules, rules


def test_misplaced_task_folder_is_reported_as_stray(make_workspace) -> None:
    from aseanctl.validation import validate_workspace

    root = make_workspace(**{"p1/task/nhom-1.yaml": "objective: N1\ntasks: []\n"})
    rules = [(p.rule, p.file.name if p.file else None) for p in validate_workspace(root).problems]
    assert rules == [("stray-file", "nhom-1.yaml")]


def test_every_message_key_in_the_code_is_in_the_catalogue() -> None:
    """A key removed from the catalogue but still used would show the bare key to a user."""
    import ast

    from aseanctl.i18n import CATALOGUE

    prefixes = (
        "file.",
        "yaml.",
        "schema.",
        "type.",
        "ref.",
        "kind.",
        "date.",
        "owner.",
        "ascc.",
        "cli.",
        "severity.",
        "update.",
        "journal.",
        "report.",
        "view.",
        "health.",
        "status.",
    )
    package = Path(__file__).resolve().parents[1] / "aseanctl"
    used: set[str] = set()
    for source in package.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
        for node in ast.walk(tree):
            if (
                id(node) not in in_fstrings
                and isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith(prefixes)
                and re.fullmatch(r"[a-z_]+\.[a-z_.-]+", node.value)
                and not node.value.endswith((".", ".py"))
            ):
                used.add(node.value)
    missing = sorted(key for key in used if key not in CATALOGUE)
    assert missing == [], missing


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_command_run_on_its_own_is_the_same_command(name: str) -> None:
    """The console script builds only the command it runs (``app_for``): its help, options
    and usage must be exactly those of the whole app's."""
    from aseanctl.cli import app_for

    single = app_for([name, "--help"])
    assert single is not app and list(typer.main.get_command(single).commands) == [name]  # type: ignore[attr-defined]
    for args in ([name, "--help"], [name, "--no-such-option"]):  # the help, and a usage error
        assert runner.invoke(single, args).output == runner.invoke(app, args).output


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["reprot"], ["-h", "report"]])
def test_anything_but_a_command_gets_the_whole_app(args: list[str]) -> None:
    from aseanctl.cli import app_for

    assert app_for(args) is app


# --- English plurals: "1 task", never "1 tasks" (the catalogue's {count:one|other}) ----------------

_COUNTED = re.compile(r"\b1 (?:more )?[a-z]+s\b|\(s\)")
_NOT_PLURAL = {"is", "has", "does", "tries", "continues", "reports", "requests", "needs", "bytes", "digits", "levels"}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_an_english_count_of_one_takes_the_singular(key: str) -> None:
    english = CATALOGUE[key][1]
    text = fill(english, {name: 1 for name in placeholders(english)})
    wrong = [m for m in _COUNTED.findall(text) if m.split()[-1] not in _NOT_PLURAL]
    assert not wrong, f"{key}: {text!r}"


def test_validate_says_one_task_in_english(make_workspace) -> None:
    result = runner.invoke(app, ["validate", "--plan", str(make_workspace()), "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "The plan is valid: 3 files, 1 plan, 1 task, 2 owners." in result.stdout


# --- what README and docs/collect.md promise of collect status ---------------------------------


def _collect_status(plan: Path, *args: str):
    return runner.invoke(app, ["collect", "status", "--period", "2024", "--plan", str(plan), *args])


def test_collect_status_offers_only_the_formats_it_writes(shipped_copy: Path) -> None:
    """Its --help offered the views' xlsx ("needs -o") with no -o to give, and printed the table."""
    assert "needs -o" not in runner.invoke(app, ["collect", "status", "--help"]).stdout
    result = _collect_status(shipped_copy, "--format", "xlsx", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == "aseanctl: --format: 'xlsx' is not valid; use: table, json, csv\n"
    assert result.stdout == ""


def test_collect_status_csv_for_excel_into_a_file(shipped_copy: Path, tmp_path: Path) -> None:
    """docs/collect.md: a CSV "for a spreadsheet, as the other views": Excel on Windows needs the
    byte-order mark, and a file written by aseanctl itself, not by a shell's redirection."""
    out = tmp_path / "round-2024.csv"
    result = _collect_status(shipped_copy, "--format", "csv", "--bom", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_bytes().startswith("\ufeffowner,name,owes,".encode())
    assert _collect_status(shipped_copy, "-o", str(out)).exit_code == 2  # the table is for a terminal


# --- what README, docs/reports.md and report --help promise of --final ---------------------------


def test_final_refuses_unwritten_sections_with_a_restyled_template_too(shipped_copy: Path) -> None:
    """docs/reports.md invites a clerk to restyle the templates in the repository's templates/;
    --final then wrote a 'signable' report with a placeholder for every unwritten section."""
    shipped = REPO / "templates"
    restyled = shipped_copy.parent / "templates"
    restyled.mkdir()
    for name in ("progress.md.j2", "_header.md.j2", "_closing.md.j2", "progress.docx"):
        (restyled / name).write_bytes((shipped / name).read_bytes())
    reports = shipped_copy / "kh-702-2021" / "reports"
    (reports / "2024.yaml").write_text('number: "12"\n', encoding="utf-8")
    settings = reports / "settings.yaml"
    text = settings.read_text(encoding="utf-8").replace(
        "  title: PHÓ GIÁM ĐỐC\n", "  title: PHÓ GIÁM ĐỐC\n  name: Nguyễn Văn B\n"
    )
    settings.write_text(text, encoding="utf-8")
    for format in ("md", "docx"):
        args = [
            "report",
            "--plan",
            str(shipped_copy),
            "--period",
            "2024",
            "--format",
            format,
            "--final",
            "--lang",
            "en",
        ]
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert "direction, strengths" in result.stderr and "signer" not in result.stderr
        assert not (shipped_copy.parent / "reports").exists()
    # another template, given by path, need not print the sections: it is not refused for them
    other = restyled / "figures.md.j2"
    other.write_text("{{ summary.sentence }}\n", encoding="utf-8")
    result = runner.invoke(
        app, ["report", "--plan", str(shipped_copy), "--period", "2024", "--final", "--template", str(other), "-o", "-"]
    )
    assert result.exit_code == 0, result.output


# --- docs/api.md: a notebook user copies its examples verbatim -----------------------------------


def _python_blocks(doc: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.DOTALL)


@pytest.mark.parametrize("number", [0, 1])
def test_api_examples_run_on_the_shipped_plan(number: int, shipped_copy: Path, monkeypatch) -> None:
    block = _python_blocks(REPO / "docs" / "api.md")[number]
    if "import pandas" in block:
        pytest.importorskip("pandas")  # not a dependency of aseanctl
        # the progress lines need a journal, which the shipped plan does not have yet (the doc says so)
        args = ["update", "N2.3", "--plan", str(shipped_copy), "--progress", "40", "--date", "2024-12-10"]
        assert runner.invoke(app, [*args, "--author", "A <a@example.vn>"]).exit_code == 0
    monkeypatch.chdir(shipped_copy.parent)  # the examples name the workspace "plan"
    exec(compile(block, f"docs/api.md block {number + 1}", "exec"), {})


# --- docs/ci.md: "pin every action by commit id, not by a tag that can move" ---------------------


def test_every_workflow_pins_its_actions_by_commit(tmp_path: Path) -> None:
    """The workflow aseanctl init writes, and the examples of docs/security.md, used tags (@v4)."""
    assert runner.invoke(app, ["init", str(tmp_path / "r")]).exit_code == 0
    texts = {
        "init": (tmp_path / "r/.github/workflows/plan.yml").read_text(encoding="utf-8"),
        "plan.yml": (REPO / ".github/workflows/plan.yml").read_text(encoding="utf-8"),
        **{doc: (REPO / "docs" / doc).read_text(encoding="utf-8") for doc in ("security.md", "ci.md")},
    }
    for where, text in texts.items():
        for action in re.findall(r"uses: *([^\s#]+)", text):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), f"{where}: {action}"
