"""Word output: a report context rendered into a .docx template with docxtpl.

The templates (``templates/*.docx``, built by ``templates/build_docx.py``) carry the layout
of Nghị định 30/2020/NĐ-CP; this module only fills them in, in the same Jinja sandbox as the
Markdown reports (a repository's .docx is data, not code).  Autoescaping is on: docxtpl
writes values into XML, and without it a ``&`` or ``<`` in a title silently empties the
run (python-docx-template #557, #634).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import struct
import sys
import textwrap
import zipfile
import zlib
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

from ..errors import AseanctlError
from ..files import replacing

CHART_WIDTH_MM = 150
CHART_DPI = 150


def _template_error(template_path: Path, exc: Exception, part: str | None) -> AseanctlError:
    """A Jinja error in a Word template, as one line: the template file, the paragraph
    (docxtpl puts every paragraph of a part on a line of its own after one line of preamble,
    so Jinja's line number minus one counts paragraphs, table cells' included), the part when
    it is not the body (a page header), and the text around the tag.  A syntax error carries
    its line; an error while rendering (an attempt to leave the sandbox) has it in the
    traceback, under docxtpl's template name ``<template>``."""
    from jinja2.exceptions import SecurityError

    from .render import template_line

    lineno = getattr(exc, "lineno", None)
    if lineno is None:
        found = template_line(exc, "<template>")
        lineno = found[1] if found else None
    line = max(lineno - 1, 1) if lineno else 0
    detail = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if part and part != "/word/document.xml":
        detail = f"{detail} [{part.lstrip('/')}]"
    around = [text.strip() for text in getattr(exc, "docx_context", None) or () if text.strip()]
    if around:
        detail = f"{detail} (near: {textwrap.shorten(' '.join(around), 120, placeholder=' …')})"
    key = "report.template_unsafe" if isinstance(exc, SecurityError) else "report.template_error"
    return AseanctlError(key, file=str(template_path), line=line, detail=detail)


_LISTING_IN_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")
_CELL_LOOP = re.compile(r"\{%-?\s*tc\b")
_BODY_START = re.compile(r"\s*<([\w:]+)((?:\s+xmlns(?::[\w.-]+)?=\"[^\"]*\")*)\s*>")
_DECLARATION = re.compile(r"xmlns(?::[\w.-]+)?=\"[^\"]*\"")


def _resolve_by_paragraph(xml: str, resolve: Callable[[str], str]) -> str:
    """docxtpl's conversion of tabs and line breaks in text (``resolve``), given only the
    paragraphs that hold one: each from its ``<w:p>`` to its ``</w:p>``, as docxtpl's own
    pattern cuts it.  Where that cut is not plain (paragraphs inside a text box, text outside
    a paragraph), the whole part goes to docxtpl."""
    if "txbxContent" in xml:
        return resolve(xml)
    pieces: list[str] = []
    done = 0
    for found in _LISTING_IN_TEXT.finditer(xml):
        if found.start() < done:
            continue  # in the paragraph just converted
        start = max(xml.rfind("<w:p>", done, found.start()), xml.rfind("<w:p ", done, found.start()))
        end = xml.find("</w:p>", found.end())
        if start < 0 or end < 0 or xml.find("</w:p>", start, found.start()) >= 0:
            return resolve(xml)
        end += len("</w:p>")
        pieces += (xml[done:start], resolve(xml[start:end]))
        done = end
    if not pieces:
        return xml
    pieces.append(xml[done:])
    return "".join(pieces)


def _fast_template_class() -> type:
    """docxtpl's DocxTemplate without three whole-document costs that a report rarely needs
    (most of a 10,000-task Word report's time: benchmarks/README.md):

    - turning tabs and line breaks inside values into Word's own elements: done paragraph by
      paragraph, only in those whose text holds one (a report lists every note of the period,
      so a few thousand of a hundred thousand paragraphs do);
    - widening tables for ``{%tc %}`` column loops: skipped when the template has none;
    - moving the rendered body into the template's document tree, which makes lxml
      reconcile the namespaces of a million nodes one by one: the rendered body is parsed
      inside a copy of the document element instead, and that document becomes the part's.
    """
    from docx.oxml.ns import nsmap
    from docx.oxml.parser import element_class_lookup
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]
    from lxml import etree  # type: ignore[import-untyped]

    class FastTemplate(DocxTemplate):  # type: ignore[misc]
        def resolve_listing(self, xml: str) -> str:
            return _resolve_by_paragraph(xml, lambda part: str(super(FastTemplate, self).resolve_listing(part)))

        def fix_tables(self, xml: str) -> Any:
            if _CELL_LOOP.search(self.get_xml()):
                return super().fix_tables(xml)
            return self._body_in_new_document(xml)

        def _body_in_new_document(self, body_xml: str) -> Any:
            """The rendered body (``<w:body …>…</w:body>``), parsed as the body of a new
            document element like the template's (its namespaces, its other children), with
            python-docx's element classes, as docxtpl's own parser would recover from errors."""
            shell = copy.deepcopy(self.docx._element)
            body = shell.body
            body.clear()
            marker = f"<{body.prefix}:body/>" if body.prefix else "<body/>"
            text = etree.tostring(shell, encoding="unicode")
            if text.count(marker) != 1:  # an unexpected shape: docxtpl's own way
                return etree.fromstring(body_xml, parser=etree.XMLParser(recover=True))
            # the body's own copies of the document element's namespace declarations go
            start = _BODY_START.match(body_xml)
            if start is not None:
                root_tag = text[: text.index(">")]
                if all(declaration in root_tag for declaration in _DECLARATION.findall(start.group(2))):
                    body_xml = f"<{start.group(1)}>{body_xml[start.end() :]}"
            parser = etree.XMLParser(recover=True, resolve_entities=False, huge_tree=True)
            parser.set_element_class_lookup(element_class_lookup)
            return etree.fromstring(text.replace(marker, body_xml), parser=parser).body

        def fix_docpr_ids(self, tree: Any) -> None:
            """docxtpl's renumbering of drawing ids, through lxml's own ``xpath``: python-docx's
            elements (which the body now is) take no ``namespaces`` argument."""
            for element in etree._Element.xpath(tree, "//wp:docPr", namespaces=nsmap):
                self.docx_ids_index += 1
                element.attrib["id"] = str(self.docx_ids_index)

        def map_tree(self, tree: Any) -> None:
            document = tree.getparent()
            if document is None:
                super().map_tree(tree)
                return
            self.docx._part._element = document
            self.docx._element = document

    return FastTemplate


def render_docx(template_path: Path, context: dict[str, Any], out: Path, chart_png: bytes | ChartLater | None) -> None:
    """Fill ``template_path`` with ``context`` and write the document to ``out``.
    ``chart_png`` (see :func:`chart_png`) becomes the ``chart`` image, 150 mm wide; a chart
    still being drawn (:class:`ChartLater`) holds its place, a blank image of its size, until
    the document is rendered, and then takes it (a chart of another size, or none, after all:
    the document is rendered again with what came)."""
    later: ChartLater | None = None
    drawn: bytes | None
    if isinstance(chart_png, ChartLater):
        later, drawn = chart_png, blank_png(*chart_png.size)
    else:
        drawn = chart_png
    template = _render(template_path, context, drawn)
    if later is not None:
        final = later.result()
        image = _image_part(template, drawn) if final is not None and _png_size(final) == later.size else None
        if image is not None:
            image._blob = final  # the same size: the layout around it is the same
        else:
            template = _render(template_path, context, final)
    _set_properties(template.docx.core_properties, context)
    if context.get("commit"):  # built with --at: the document says from which commit
        properties = template.docx.core_properties
        properties.identifier = str(context["commit"])
        properties.comments = f"aseanctl: built from commit {context['commit']}"
    with replacing(out) as file:
        template.save(file)


def _render(template_path: Path, context: dict[str, Any], chart_png: bytes | None) -> Any:
    import jinja2
    from docx.opc.exceptions import PackageNotFoundError
    from docx.shared import Mm
    from docxtpl import InlineImage

    from .render import word_environment

    try:
        template = _fast_template_class()(template_path)
        template.init_docx()  # docxtpl opens the file lazily: open it here, where errors are caught
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise AseanctlError(
            "report.template_error", file=str(template_path), line=0, detail=f"not a Word document ({exc})"
        ) from None
    values = {
        **context,
        "chart": InlineImage(template, BytesIO(chart_png), width=Mm(CHART_WIDTH_MM)) if chart_png else "",
    }
    try:
        # every part (body, headers, footers, footnotes, properties) renders in the sandbox
        template.render(values, word_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        part = getattr(getattr(template, "current_rendering_part", None), "partname", None)
        raise _template_error(template_path, exc, str(part) if part else None) from None
    return template


def _image_part(template: Any, png: bytes | None) -> Any:
    """The document's image part holding exactly ``png``, if one does."""
    from docx.parts.image import ImagePart

    for part in template.docx.part.package.iter_parts():
        if isinstance(part, ImagePart) and part.blob == png:
            return part
    return None


# --- the chart, drawn beside the document ----------------------------------------------------------


def _chart_inches(groups: int) -> tuple[float, float]:
    return 5.9, 0.6 * groups + 1.0


def chart_pixels(groups: int) -> tuple[int, int]:
    """The chart's size in pixels, as matplotlib will draw it (a guess proved by a test: a
    chart of another size is not wrong, only slower, the document being rendered again)."""
    width, height = _chart_inches(groups)
    return round(width * CHART_DPI), round(height * CHART_DPI)


def _png_size(png: bytes) -> tuple[int, int] | None:
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def blank_png(width: int, height: int) -> bytes:
    """A white PNG of ``width`` x ``height`` pixels at the chart's resolution (Word sizes an image
    from its pixels and resolution, so this one takes exactly the chart's place)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    per_metre = round(CHART_DPI / 0.0254)
    rows = (b"\x00" + b"\xff" * ((width + 7) // 8)) * height  # 1 bit per pixel, each row unfiltered
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            chunk(b"IDAT", zlib.compress(rows)),
            chunk(b"IEND", b""),
        )
    )


def _draw_into(connection: Any, groups: list[dict[str, Any]], title: str) -> None:
    try:
        connection.send_bytes(chart_png(groups, title) or b"")
    except Exception:  # said where it is drawn again, in the command's own process
        pass
    finally:
        connection.close()


def chart_later(groups: list[dict[str, Any]], title: str) -> ChartLater | None:
    """:func:`chart_png`, started now and taken when the document has been rendered; None when
    there will be no chart (no group, or no matplotlib)."""
    from importlib.util import find_spec

    try:
        installed = find_spec("matplotlib") is not None
    except (ImportError, ValueError):  # found in sys.modules as None, or without a spec
        installed = False
    if not groups or not installed:
        return None
    return ChartLater(groups, title)


class ChartLater:
    """The chart, drawn in a process of its own while the document renders: importing
    matplotlib and drawing is a large share of a Word report's time, and it needs nothing
    the rendering does.  Where processes cannot simply be forked (not Linux) or fail to
    start, it is drawn here, when asked for."""

    WAIT_SECONDS = 120.0

    def __init__(self, groups: list[dict[str, Any]], title: str) -> None:
        self.groups, self.title = groups, title
        self.size = chart_pixels(len(groups))
        self._process: Any = None
        self._connection: Any = None
        if sys.platform.startswith("linux"):
            import multiprocessing

            try:
                context = multiprocessing.get_context("fork")
                receiving, sending = context.Pipe(duplex=False)
                self._process = context.Process(target=_draw_into, args=(sending, groups, title), daemon=True)
                self._process.start()
                sending.close()
                self._connection = receiving
            except (OSError, ValueError):
                self._process = None

    def result(self) -> bytes | None:
        """The PNG (None without matplotlib); drawn here if the other process gave nothing."""
        if self._process is not None:
            try:
                if self._connection.poll(self.WAIT_SECONDS):
                    return self._connection.recv_bytes() or None
            except (OSError, EOFError):
                pass
            finally:
                self._connection.close()
                if self._process.is_alive():
                    self._process.kill()
                self._process.join()
        return chart_png(self.groups, self.title)


# what python-docx's blank document says of itself (author "python-docx", created 2013):
# a template's property still holding one of these was never set by its author
_PYTHON_DOCX_DEFAULTS = frozenset({"", "python-docx", "generated by python-docx"})


def _set_properties(properties: Any, context: dict[str, Any]) -> None:
    """The file's properties (what Word's File > Info and a file manager show) say what the
    document is, who issues it, its date and language, rather than python-docx's "python-docx,
    2013".  A text property the template's author set (or wrote a tag in) is kept; the dates
    are always the document's: a template's own dates are never the report's.  The date is the
    day the document is dated, not the build time, so the same inputs give the same file."""
    doc = context.get("doc") or {}
    lead_name = str((context.get("plan") or {}).get("lead", {}).get("name") or "")
    issuer = str(doc.get("issuing_body") or "")
    # the issuing body is printed in capitals; the lead's own spelling reads better as an author
    author = lead_name if lead_name and lead_name.upper() == issuer else issuer or lead_name
    kind_title = str(doc.get("title") or "")
    texts = {
        "title": str(doc.get("subject") or kind_title),
        "subject": str((context.get("plan") or {}).get("title") or ""),
        "author": author,
        "last_modified_by": author,
        "category": kind_title[:1].upper() + kind_title[1:].lower(),
        "language": "en" if context.get("lang") == "en" else "vi-VN",
        "comments": "",
    }
    for name, value in texts.items():
        if (getattr(properties, name) or "") in _PYTHON_DOCX_DEFAULTS:
            setattr(properties, name, value)
    try:
        day = dt.datetime.combine(dt.date.fromisoformat(str(doc.get("date"))), dt.time())
    except ValueError:
        return
    properties.created = day
    properties.modified = day
    properties.revision = 1


def _short(text: str, width: int = 40, lines: int = 3) -> str:
    """A group's title over up to ``lines`` lines: titles of one plan often share their first
    words, and a one-line cut made them all read the same."""
    return textwrap.fill(re.sub(r"\s+", " ", text), width, max_lines=lines, placeholder=" …")


def chart_bars(groups: list[dict[str, Any]]) -> tuple[list[str], list[float], list[str]]:
    """The chart's bars, bottom up: each group's label (its number and title over up to three
    lines), its mean progress, and that figure as the text prints it (7,5% stays 7,5%)."""
    labels = [f"{g['number']}. {_short(str(g['title']))}" for g in groups][::-1]
    values = [float(g["summary"]["progress"]) for g in groups][::-1]
    shown = [f"{g['summary']['progress_text']}%" for g in groups][::-1]
    return labels, values, shown


def chart_png(groups: list[dict[str, Any]], title: str) -> bytes | None:
    """A horizontal bar chart of the mean progress of each task group, as PNG bytes; None
    when matplotlib (the optional extra ``charts``) is not installed or there is no group.
    The bytes are the same for the same figures: no timestamp, no software tag."""
    if not groups:
        return None
    try:
        from matplotlib import font_manager, rc_context
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return None

    installed = {font.name for font in font_manager.fontManager.ttflist}
    family = next(
        (name for name in ("Times New Roman", "Liberation Serif", "DejaVu Serif") if name in installed), "serif"
    )
    labels, values, shown = chart_bars(groups)
    with rc_context(
        {
            "font.family": family,
            "font.size": 9,
            "svg.hashsalt": "aseanctl",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        figure = Figure(figsize=_chart_inches(len(groups)), dpi=CHART_DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        bars = axes.barh(range(len(values)), values, color="#3b5b8c", height=0.6)
        # text as written: a "$" pair in a title ("US$ 5 … US$ 3") is no formula
        axes.set_yticks(range(len(values)), labels, parse_math=False)
        axes.set_xlim(0, 100)
        axes.set_xlabel("%")
        axes.set_title(title, fontsize=10, fontweight="bold", parse_math=False)
        axes.bar_label(bars, labels=shown, padding=3, fontsize=8, parse_math=False)
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        figure.tight_layout()
        buffer = BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
