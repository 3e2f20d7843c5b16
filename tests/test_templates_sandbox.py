"""Report templates come from a plan repository and are data, not code: Markdown and Word,
shipped or the repository's own, they render in Jinja's immutable sandbox.  An attempt to
reach Python from a template is a one-line error naming the template's file and line, exit 1,
and nothing runs and no report is written.  Compiled templates are never read back from the
cache folder (Jinja's bytecode cache loads its files with pickle and marshal and runs them).
The static check finds the same constructs without rendering."""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import sys
from pathlib import Path

import pytest
from conftest import OWNERS, PLAN, REPO, TASKS
from docx import Document
from typer.testing import CliRunner

from aseanctl.cli import app
from aseanctl.report import render

runner = CliRunner()

MARKER_NAME = "ran-python"


def escape(marker: Path) -> str:
    """The classic way out of a Jinja template: from a global's function to its module's ``os``."""
    return "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A plan repository: plan/ (a small workspace) and nothing else yet."""
    for name, text in {"owners.yaml": OWNERS, "p1/plan.yaml": PLAN, "p1/tasks/nhom-1.yaml": TASKS}.items():
        path = tmp_path / "plan" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def run_report(repo: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        ["report", "--plan", str(repo / "plan"), "--period", "2024", "--lang", "en", *args],
        catch_exceptions=False,
    )
    return result.exit_code, result.output


def word_template(path: Path, *paragraphs: str) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def reports_written(repo: Path) -> list[str]:
    return sorted(
        p.name for p in repo.rglob("*") if p.suffix in (".md", ".docx", ".tmp") and "templates" not in p.parts
    )


# --- the sandbox -----------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["templates", "plan/templates"])
def test_a_repository_markdown_template_cannot_run_python(repo: Path, folder: str) -> None:
    marker = repo / MARKER_NAME
    template = repo / folder / "progress.md.j2"
    template.parent.mkdir(parents=True)
    template.write_text("# {{ plan.title }}\n\n" + escape(marker) + "\n", encoding="utf-8")
    for output in ([], ["-o", "-"], ["-o", str(repo / "out.md")]):
        code, said = run_report(repo, *output)
        assert code == 1, said
        assert not marker.exists(), "the template ran a shell command"
        assert f"template {template}:3 tries to leave the report templates' sandbox" in said
        assert "Traceback" not in said and "# " not in said  # no part of the report was printed
    assert reports_written(repo) == []


def test_a_repository_word_template_cannot_run_python(repo: Path) -> None:
    marker = repo / MARKER_NAME
    template = word_template(repo / "templates" / "progress.docx", "{{ doc.title }}", "plain text", escape(marker))
    code, said = run_report(repo, "--format", "docx")
    assert code == 1, said
    assert not marker.exists(), "the Word template ran a shell command"
    assert f"template {template}:3 tries to leave the report templates' sandbox" in said  # the third paragraph
    code, said = run_report(repo, "--format", "docx", "-o", str(repo / "out.docx"))
    assert code == 1 and not marker.exists()
    assert reports_written(repo) == []


def test_a_word_template_s_properties_and_headers_are_sandboxed_too(repo: Path, tmp_path: Path) -> None:
    """docxtpl renders the page headers and the document properties (title, subject …) as
    templates too: they go through the same sandbox."""
    marker = repo / MARKER_NAME
    for where in ("title", "header"):
        document = Document()
        document.add_paragraph("{{ doc.title }}")
        if where == "title":
            document.core_properties.title = escape(marker)
        else:
            document.sections[0].header.paragraphs[0].text = escape(marker)
        path = tmp_path / "templates" / f"{where}.docx"
        path.parent.mkdir(exist_ok=True)
        document.save(str(path))
        code, said = run_report(repo, "--format", "docx", "--template", str(path), "-o", str(repo / "out.docx"))
        assert code == 1 and "sandbox" in said, said
        assert not marker.exists()
    assert reports_written(repo) == []


def test_an_included_template_is_named_where_it_fails(repo: Path) -> None:
    marker = repo / MARKER_NAME
    folder = repo / "templates"
    folder.mkdir()
    (folder / "progress.md.j2").write_text("a\n{% include '_mine.md.j2' %}\n", encoding="utf-8")
    (folder / "_mine.md.j2").write_text("b\nc\n" + escape(marker) + "\n", encoding="utf-8")
    code, said = run_report(repo, "-o", "-")
    assert code == 1 and not marker.exists()
    assert f"{folder / '_mine.md.j2'}:3" in said


ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ (rows | attr('__class__')).__base__ }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(cycler) }}",
    "{{ rows.append(1) }}",
    "{{ doc.update({'title': 'x'}) }}",
    "{% set x = self.__init__ %}{{ x }}",
]


@pytest.mark.parametrize("attempt", ESCAPES)
def test_every_way_out_is_refused(repo: Path, tmp_path: Path, attempt: str) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("first line\n" + attempt + "\n", encoding="utf-8")
    code, said = run_report(repo, "--template", str(template), "-o", "-")
    assert code == 1, said
    assert f"template {template}:2 tries to leave the report templates' sandbox" in said


@pytest.mark.parametrize("attempt", ESCAPES[:4])
def test_every_way_out_is_refused_in_word_too(repo: Path, tmp_path: Path, attempt: str) -> None:
    template = word_template(tmp_path / "mine.docx", "{{ doc.title }}", attempt)
    code, said = run_report(repo, "--format", "docx", "--template", str(template), "-o", str(tmp_path / "o.docx"))
    assert code == 1, said
    assert f"template {template}:2 tries to leave" in said
    assert not (tmp_path / "o.docx").exists()


def test_both_environments_are_the_sandbox() -> None:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    for env in (render.markdown_environment([render.shipped_templates()]), render.word_environment()):
        assert isinstance(env, ImmutableSandboxedEnvironment)
        assert env.bytecode_cache is None


def test_the_shipped_templates_render_in_the_sandbox(repo: Path) -> None:
    for kind in ("progress", "assignment"):
        for fmt in ("md", "docx"):
            out = repo / f"{kind}.{fmt}"
            code, said = run_report(repo, "--kind", kind, "--format", fmt, "-o", str(out))
            assert code == 0, said
            assert out.stat().st_size > 0


# --- the bytecode cache ----------------------------------------------------------------------------


class _Payload:
    """Unpickling this creates the marker file: what a planted cache file would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


def _jinja_magic() -> bytes:
    """The header Jinja's bytecode cache expects (jinja2.bccache.bc_magic), built here so the
    test needs no private import."""
    version = 5  # jinja2.bccache.bc_version since Jinja 3.0
    return b"j2" + pickle.dumps(version, 2) + pickle.dumps((sys.version_info[0] << 24) | sys.version_info[1], 2)


@pytest.mark.parametrize("kind", ["pickle", "marshal"])
def test_a_file_planted_in_the_cache_folder_never_runs(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Every file a report may find under the cache folder's templates/ (those an earlier
    report left and those named as Jinja names its entries for this template) is replaced by
    a payload that creates a marker file when read: with pickle, in the checksum; with marshal,
    as the compiled template itself, behind the template's true checksum."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("ASEANCTL_CACHE_DIR", str(cache))
    monkeypatch.delenv("ASEANCTL_NO_CACHE", raising=False)
    marker = tmp_path / MARKER_NAME
    folder = repo / "templates"
    folder.mkdir()
    source = "# {{ plan.title }}\n"
    (folder / "progress.md.j2").write_text(source, encoding="utf-8")
    assert run_report(repo, "-o", "-")[0] == 0  # an earlier report: fills the cache where there is one

    if kind == "pickle":
        payload = _jinja_magic() + pickle.dumps(_Payload(marker), 2)
    else:
        code = compile(f"open({str(marker)!r}, 'w').close()", "<planted>", "exec")
        checksum = hashlib.sha1(source.encode("utf-8")).hexdigest()
        payload = _jinja_magic() + pickle.dumps(checksum, 2) + marshal.dumps(code)
    planted = cache / "templates"
    planted.mkdir(parents=True, exist_ok=True)
    names = {p.name for p in planted.iterdir()}
    for place in {str(folder), os.path.realpath(folder)}:
        key = hashlib.sha1(b"progress.md.j2")
        key.update(f"|{os.path.normpath(os.path.join(place, 'progress.md.j2'))}".encode())
        names |= {f"__aseanctl_md2_{key.hexdigest()}.cache", f"__jinja2_{key.hexdigest()}.cache"}
    for name in names:
        (planted / name).write_bytes(payload)

    code_, said = run_report(repo, "-o", "-")
    assert not marker.exists(), "a file from the cache folder ran"
    assert code_ == 0, said
    assert said.splitlines()[-1].startswith("# ")  # the report, after a note on stderr of unwritten sections


# --- the static check ------------------------------------------------------------------------------


def found(problems: list) -> list[tuple[int, str, str]]:
    return [(p.line, p.rule, p.msg.args.get("name", "")) for p in problems]


def test_the_check_finds_what_the_sandbox_refuses(tmp_path: Path) -> None:
    from aseanctl.report.templatecheck import UNSAFE, check_template

    path = tmp_path / "mine.md.j2"
    path.write_text(
        "{{ plan.title }} {{ rows | selectattr('assumed') | list }} {{ r['title'] }}\n"
        "{{ cycler.__init__.__globals__.os }}\n"
        "{{ x['__class__'] }} {{ rows.append(1) }}\n"
        "{{ rows | map(attribute='a.__class__') | list }} {{ x | attr('__dict__') }}\n"
        "{{ f.gi_frame.f_globals }} {{ ''.mro() }}\n",
        encoding="utf-8",
    )
    problems = check_template(path)
    assert {p.file for p in problems} == {path}
    assert found(problems) == [
        (2, UNSAFE, "__globals__"),
        (2, UNSAFE, "__init__"),
        (3, UNSAFE, "__class__"),
        (3, UNSAFE, "append"),
        (4, UNSAFE, "__class__"),
        (4, UNSAFE, "__dict__"),
        (5, UNSAFE, "f_globals"),
        (5, UNSAFE, "gi_frame"),
        (5, UNSAFE, "mro"),
    ]
    assert all(p.msg.key == "report.template_forbidden" and p.severity == "error" for p in problems)


def test_the_check_reports_a_syntax_error_at_its_line(tmp_path: Path) -> None:
    from aseanctl.report.templatecheck import SYNTAX, check_template

    path = tmp_path / "broken.md.j2"
    path.write_text("a\nb\n{% for x in rows %}\n{{ x.id }\n", encoding="utf-8")
    [problem] = check_template(path)
    assert (problem.file, problem.line, problem.rule) == (path, 4, SYNTAX)
    assert problem.msg.key == "report.template_syntax"


def test_the_check_reads_word_templates_paragraph_by_paragraph(tmp_path: Path) -> None:
    from aseanctl.report.templatecheck import SYNTAX, check_template

    document = Document()
    document.add_paragraph("{{ doc.title }}")
    document.add_paragraph("plain text")
    document.add_paragraph("{{ cycler.__init__ }}")
    document.sections[0].header.paragraphs[0].text = "{{ x._private }}"
    document.core_properties.subject = "{{ x.__class__ }}"
    path = tmp_path / "mine.docx"
    document.save(str(path))
    problems = check_template(path)
    assert [(p.line, p.path, p.msg.args["name"]) for p in problems] == [
        (1, ("word/header1.xml",), "_private"),
        (1, ("docProps/core.xml subject",), "__class__"),
        (3, (), "__init__"),
    ]
    not_word = tmp_path / "not.docx"
    not_word.write_text("hello", encoding="utf-8")
    assert [p.rule for p in check_template(not_word)] == [SYNTAX]


def test_the_shipped_templates_pass_the_check() -> None:
    from aseanctl.report.templatecheck import check_templates

    assert check_templates(REPO / "templates") == []


# --- validate checks the repository's templates ------------------------------------------------


def validate_json(repo: Path) -> tuple[int, list[tuple[str, int, str]]]:
    import json

    result = runner.invoke(
        app, ["validate", "--plan", str(repo / "plan"), "--format", "json", "--lang", "en"], catch_exceptions=False
    )
    problems = json.loads(result.stdout)["problems"]
    return result.exit_code, [(Path(p["file"]).name, p["line"], p["rule"]) for p in problems]


def test_validate_refuses_an_escape_attempt_in_a_repository_template(repo: Path) -> None:
    marker = repo / MARKER_NAME
    (repo / "templates").mkdir()
    (repo / "templates" / "progress.md.j2").write_text("# x\n\n" + escape(marker) + "\n", encoding="utf-8")
    (repo / "plan" / "templates").mkdir()
    (repo / "plan" / "templates" / "owner-request.md.j2").write_text("{% if %}\n", encoding="utf-8")
    word_template(repo / "templates" / "progress.docx", "{{ doc.title }}", escape(marker))
    code, found = validate_json(repo)
    assert code == 1 and not marker.exists()
    assert sorted(set(found)) == [  # one problem per forbidden name: __init__, __globals__
        ("owner-request.md.j2", 1, "template-syntax"),
        ("progress.docx", 2, "template-unsafe"),
        ("progress.md.j2", 3, "template-unsafe"),
    ]


def test_a_symlinked_repository_template_is_refused_and_never_read(repo: Path, tmp_path: Path) -> None:
    """A template symlinked to a secret would print the secret into a report that CI publishes."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=hunter2\n", encoding="utf-8")
    (repo / "templates").mkdir()
    (repo / "templates" / "progress.md.j2").symlink_to(secret)
    code, found = validate_json(repo)
    assert code == 1 and found == [("progress.md.j2", None, "template-syntax")]
    code, output = run_report(repo, "-o", "-")
    assert code == 1 and "TOKEN" not in output and "is a symbolic link" in output
    (repo / "templates" / "progress.md.j2").unlink()
    (repo / "templates" / "progress.md.j2").write_text("{% include 'part.md.j2' %}\n", encoding="utf-8")
    (repo / "templates" / "part.md.j2").symlink_to(secret)
    code, output = run_report(repo, "-o", "-")
    assert code == 1 and "TOKEN" not in output and "is a symbolic link" in output
