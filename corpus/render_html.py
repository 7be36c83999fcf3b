"""Print the sample corpus (text disclosures) the way many real 部门预算 PDFs are made: as HTML
printed to PDF by a browser.

Chromium printing with the Noto CJK fonts writes a text layer in which common characters come
out as CJK radical code points (⽀ U+2F40 for 支, ⻰ U+2EF0 for 龙, ⻔ U+2ED4 for 门, ⽬ U+2F6C for
目): the fonts map both code points to one glyph and the PDF's ToUnicode names the radical. These
PDFs test that the reader reads such a disclosure exactly as it reads the text.

The layout is ``corpus.render``'s, written as HTML instead of drawn by reportlab: the same blocks
(``text_to_blocks``), the same cover, headings, paragraphs, title lines and notes (the reportlab
flowables of ``text_to_flowables``, ``lead_flowables`` and ``tail_flowables``, turned into HTML
elements), and the same table pages (``block_chunks`` and ``chunk_layouts``: one printed page per
page of the source, its font size, orientation, column widths and merged cells, header merges from
``header_spans``). Each table page is a ruled HTML table (``border-collapse: collapse``, a 1px
black border on every cell, merged cells as colspan / rowspan) on an A4 page, landscape pages
through the named CSS page ``wide``; the page number ``- n -`` is CSS generated content in the
bottom margin. Chromium wraps cell text itself and its rules take room, so a grid gets only
``GRID_FILL`` of the height reportlab would give it; a source page of a table stays one page.

Every non-whitespace character of the source appears in the HTML's text exactly as often as in
the source (as for ``corpus.render``, a table page too long even in the smallest font would repeat
its title and header; the sample corpus has none). The PDFs are not byte-for-byte deterministic
(Chromium writes dates and ids into them).
"""
from __future__ import annotations

import html
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import unescape

from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate, PageBreakIfNotEmpty, Paragraph, Spacer

from common.errors import BudgetQAError
from corpus.render import (
    CELL_PAD_X,
    CELL_PAD_Y,
    FOOTER_Y,
    MARGIN,
    NUMBER_CELL,
    BoldText,
    ChunkPage,
    Span,
    SplitLine,
    TableBlock,
    TableChunk,
    TableLayout,
    TextBlock,
    block_chunks,
    chunk_layouts,
    covered,
    lead_flowables,
    needs_render,
    render_corpus,
    note_flowables,
    tail_flowables,
    text_place,
    text_to_blocks,
    text_to_flowables,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer")
PRINT_TIMEOUT = 180  # seconds for one document
FONT_FAMILY = '"Noto Serif CJK SC", "Noto Sans CJK SC"'
GRID_FILL = 0.9  # share of reportlab's grid height a printed grid may take (rules, Chromium's line breaks)


class PrintError(BudgetQAError):
    """A disclosure that Chromium could not print."""


# ---------------------------------------------------------------- corpus


def print_corpus(src_dir: Path, out_dir: Path, chromium: Path = CHROMIUM) -> list[Path]:
    """Given a folder of .txt disclosures and an output folder, return the PDFs Chromium printed there.

    A PDF newer than its source, than the reportlab renderer's code and than this module is kept as it is.
    """
    return render_corpus(src_dir, out_dir, render=lambda text, pdf: print_disclosure(text, pdf, chromium),
                         needs=needs_print)


def needs_print(text_path: Path, pdf_path: Path) -> bool:
    """Given a source and its printed PDF, return whether the PDF is missing or older than the
    source, the reportlab renderer's code or this module."""
    return needs_render(text_path, pdf_path) or pdf_path.stat().st_mtime <= Path(__file__).stat().st_mtime


def print_disclosure(text_path: Path, pdf_path: Path, chromium: Path = CHROMIUM) -> Path:
    """Given a .txt disclosure and where to write its PDF, print it with Chromium and return the PDF's path."""
    return html_to_pdf(disclosure_html(read_disclosure(text_path), title=Path(text_path).stem), pdf_path, chromium)


def read_disclosure(text_path: Path) -> str:
    """Given a .txt disclosure, return its text with Unix line ends (as ``corpus.render.render_pdf`` reads it)."""
    return Path(text_path).read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------- document


@dataclass
class Sheet:
    """A run of content that starts on a new page: its orientation and HTML elements."""

    orientation: str
    parts: list[str] = field(default_factory=list)


def disclosure_html(text: str, title: str) -> str:
    """Given a disclosure's text and a document title, return the HTML of the disclosure laid out for print."""
    return sheets_to_html(blocks_to_sheets(text_to_blocks(text)), title)


def blocks_to_sheets(blocks: list[TextBlock | TableBlock]) -> list[Sheet]:
    """Given text and table blocks, return the sheets that lay them out, page breaks as in
    ``corpus.render.blocks_to_story``: every table page on its own sheet, notes of up to three
    lines after a table under it, other text after a table on a new portrait sheet."""
    sheets = [Sheet("portrait")]
    for index, block in enumerate(blocks):
        if isinstance(block, TextBlock):
            place = text_place(blocks, index)
            if place == "none":
                continue
            if place == "under_table":
                add_flowables(sheets, [Spacer(1, 4)] + note_flowables(block.lines))
                continue
            if sheets[-1].orientation != "portrait" or place == "new_page":
                new_sheet(sheets, "portrait")
            add_flowables(sheets, text_to_flowables(block.lines, first=index == 0))
            continue
        for chunk in block_chunks(block):
            for page in chunk_layouts(chunk, GRID_FILL):
                new_sheet(sheets, page.layout.orientation)
                sheets[-1].parts += table_page_html(chunk, page)
    return [sheet for sheet in sheets if sheet.parts]


def new_sheet(sheets: list[Sheet], orientation: str) -> None:
    """Given the sheets so far and an orientation, start a new sheet (or turn the last one when it is still empty)."""
    if sheets[-1].parts:
        sheets.append(Sheet(orientation))
    else:
        sheets[-1].orientation = orientation


def add_flowables(sheets: list[Sheet], flowables: list[Flowable]) -> None:
    """Given the sheets so far and reportlab flowables, append them as HTML, a page break starting a new sheet."""
    orientation = sheets[-1].orientation
    for flowable in flowables:
        if isinstance(flowable, NextPageTemplate):
            orientation = flowable.action[1]
        elif isinstance(flowable, PageBreakIfNotEmpty):
            new_sheet(sheets, orientation)
        elif not isinstance(flowable, CondPageBreak):  # headings keep with what follows (CSS break-after)
            sheets[-1].parts.append(flowable_html(flowable))


def flowable_html(flowable: Flowable) -> str:
    """Given a reportlab flowable of ``corpus.render`` (heading, paragraph, split line, spacer), return it as HTML."""
    if isinstance(flowable, BoldText):
        style = f"font-size:{pt(flowable.size)};text-align:{flowable.align};padding:{pt(flowable.space)} 0"
        if flowable.indent:
            style += f";padding-left:{pt(flowable.indent)}"
        return f'<div class="bold" style="{style}">{text_html(flowable.text)}</div>'
    if isinstance(flowable, SplitLine):
        spans = "".join(f"<span>{text_html(part)}</span>" for part in (flowable.left, flowable.centre, flowable.right))
        return f'<div class="split" style="font-size:{pt(flowable.size)}">{spans}</div>'
    if isinstance(flowable, Paragraph):
        if flowable.style.name not in ("body", "note"):
            raise TypeError(f"no HTML for paragraph style {flowable.style.name!r}")
        return f'<p class="{flowable.style.name}">{text_html(unescape(flowable.text))}</p>'
    if isinstance(flowable, Spacer):
        return f'<div class="gap" style="height:{pt(flowable.height)}"></div>'
    raise TypeError(f"no HTML for {type(flowable).__name__}")


def text_html(text: str) -> str:
    """Given plain text, return it escaped for HTML with runs of whitespace as one space."""
    return html.escape(" ".join(text.split()), quote=False)


def pt(value: float) -> str:
    """Given a length in points, return it as a CSS length."""
    return f"{round(value, 2):g}pt"


# ---------------------------------------------------------------- tables


def table_page_html(chunk: TableChunk, page: ChunkPage) -> list[str]:
    """Given a table chunk and one of its page layouts, return the page's HTML elements: title
    lines, 部门名称 / 单位 line, the ruled grid, and the notes when the page ends the chunk."""
    parts = [flowable_html(flowable) for flowable in lead_flowables(chunk.lead)]
    parts.append(grid_html(page.layout, chunk.header, page.body, chunk.codes))
    if page.with_tail:
        parts += [flowable_html(flowable) for flowable in tail_flowables(chunk.tail)]
    return parts


def grid_html(layout: TableLayout, header: list[list[str]], body: list[list[str]], codes: set[int]) -> str:
    """Given a layout, the grid rows and the 科目编码 columns, return the ruled HTML table: header
    rows in <thead> with the layout's merged cells as colspan / rowspan, amounts right-aligned."""
    ncols = len(layout.widths)
    rows = [row + [""] * (ncols - len(row)) for row in header + body]
    spans = {(span.row, span.col): span for span in layout.spans}
    total = sum(layout.widths)
    cols = "".join(f'<col style="width:{100 * width / total:.3f}%">' for width in layout.widths)
    lines = [f'<table class="grid" style="font-size:{pt(layout.size)}"><colgroup>{cols}</colgroup>', "<thead>"]
    for r, row in enumerate(rows):
        if r == len(header):
            lines += ["</thead>", "<tbody>"]
        cells = [cell_html(row[c], spans.get((r, c)), r < len(header), c in codes)
                 for c in range(ncols) if not covered(layout.spans, r, c)]
        lines.append(f"<tr>{''.join(cells)}</tr>")
    if len(rows) == len(header):
        lines += ["</thead>", "<tbody>"]
    return "\n".join(lines + ["</tbody></table>"])


def cell_html(text: str, span: Span | None, in_header: bool, code_column: bool) -> str:
    """Given a cell's text, its merged cell (or None), whether it is a header cell and whether its
    column holds 科目编码, return the <th> or <td> element."""
    attrs = ""
    if span is not None and span.cols > 1:
        attrs += f' colspan="{span.cols}"'
    if span is not None and span.rows > 1:
        attrs += f' rowspan="{span.rows}"'
    if in_header:
        return f"<th{attrs}>{text_html(text)}</th>"
    if NUMBER_CELL.match(text.strip()) and not code_column:
        attrs += ' class="num"'
    return f"<td{attrs}>{text_html(text)}</td>"


# ---------------------------------------------------------------- page


def sheets_to_html(sheets: list[Sheet], title: str) -> str:
    """Given the sheets of a document and its title, return the whole HTML page with its print style."""
    body = "\n".join(f'<div class="sheet {sheet.orientation}">\n' + "\n".join(sheet.parts) + "\n</div>"
                     for sheet in sheets)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{print_css()}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def print_css() -> str:
    """Given nothing, return the style sheet: A4 pages with corpus.render's margins and footer,
    a named landscape page, and the text and table styles."""
    footer_pad = pt(FOOTER_Y - 3)  # the baseline of the number FOOTER_Y above the edge
    return f"""@page {{
  size: A4 portrait;
  margin: {pt(MARGIN)};
  @bottom-center {{
    content: "- " counter(page) " -";
    font-family: {FONT_FAMILY};
    font-size: 9pt;
    vertical-align: bottom;
    padding-bottom: {footer_pad};
  }}
}}
@page wide {{ size: A4 landscape; }}
html {{ font-family: {FONT_FAMILY}; font-size: 11pt; color: #000;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; }}
.sheet + .sheet {{ break-before: page; }}
.sheet.landscape {{ page: wide; }}
.bold {{ font-weight: bold; line-height: 1.5; break-after: avoid; }}
p {{ margin: 0; }}
p.body {{ font-size: 11pt; line-height: 19pt; text-indent: 22pt; text-align: justify; }}
p.note {{ font-size: 8pt; line-height: 12pt; }}
.split {{ display: grid; grid-template-columns: 1fr auto 1fr; line-height: 1.8; }}
.split span:last-child {{ text-align: right; }}
table.grid {{ border-collapse: collapse; width: 100%; table-layout: fixed; line-height: 1.25;
  break-inside: avoid; }}
table.grid th, table.grid td {{ border: 1px solid #000; padding: {pt(CELL_PAD_Y)} {pt(CELL_PAD_X)};
  vertical-align: middle; text-align: left; font-weight: normal; }}
table.grid th {{ background: #EEEEEE; text-align: center; }}
table.grid td.num {{ text-align: right; }}
"""


# ---------------------------------------------------------------- printing


def html_to_pdf(page_html: str, pdf_path: Path, chromium: Path = CHROMIUM, timeout: float = PRINT_TIMEOUT) -> Path:
    """Given an HTML page and where to write its PDF, print it with headless Chromium (a fresh
    profile in a temporary folder) and return the PDF's path; a failed print leaves no file."""
    chromium, pdf_path = Path(chromium), Path(pdf_path)
    if not chromium.exists():
        raise PrintError(f"找不到浏览器 {chromium}（apt-get install chromium fonts-noto-cjk）",
                         f"no browser at {chromium} (apt-get install chromium fonts-noto-cjk)")
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="budget-qa-print-") as tmp:
        html_path, out = Path(tmp) / "disclosure.html", Path(tmp) / "disclosure.pdf"
        html_path.write_text(page_html, encoding="utf-8")
        run_chromium(chromium_command(chromium, html_path, out, Path(tmp) / "profile"), timeout)
        if not out.exists() or out.stat().st_size == 0:
            raise PrintError(f"浏览器没有写出 PDF：{pdf_path.name}", f"the browser wrote no PDF for {pdf_path.name}")
        shutil.move(str(out), str(pdf_path))
    return pdf_path


def chromium_command(chromium: Path, html_path: Path, pdf_path: Path, profile: Path) -> list[str]:
    """Given the browser, an HTML file, the PDF to write and a fresh profile folder, return the print command."""
    return [str(chromium), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri()]


def run_chromium(command: list[str], timeout: float) -> None:
    """Given a print command and a time limit, run it in its own process group; on a timeout or
    a failure, end that group (the browser and its helper processes) and raise PrintError."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process.pid)
        process.communicate()
        raise PrintError(f"浏览器打印超时（{timeout:g} 秒）", f"the browser did not finish printing in {timeout:g}s")
    finally:
        kill_group(process.pid)  # helpers left behind by the browser, if any
    if process.returncode != 0:
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise PrintError(f"浏览器打印失败（退出码 {process.returncode}）：{' | '.join(tail)}",
                         f"the browser failed to print (exit code {process.returncode}): {' | '.join(tail)}")


def kill_group(pgid: int) -> None:
    """Given the id of a process group this module started, end whatever is left of it."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
