"""Render the sample corpus (text disclosures) into PDFs that look like the real 部门预算 PDFs.

Text pages are A4 portrait with a centred ``- n -`` page number in the footer, a cover page with
the title, and headings set larger and bold-ish. Each table piece the text reader finds
(``index.tables.text.text_to_pieces``) starts a new page: ``表 N`` and the table name, the
部门名称 / 单位 line, then a ruled grid whose multi-level header has merged cells; tables wider
than ~7 columns go on landscape A4 pages. Where the source broke a piece over pages without
repeating its title (a blank line inside the grid), the PDF breaks there too; the font shrinks
so that each such page of the source fits one PDF page, and only a page that still does not fit
is split, repeating title and header (which then adds characters; the sample corpus needs no
such split). Every non-whitespace character of the source appears in the PDF exactly as often
as in the source. Output is byte-for-byte deterministic.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreakIfNotEmpty,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from index.model import Page, TablePiece
from index.tables.cells import is_wide

FONT = "STSong-Light"
PORTRAIT, LANDSCAPE = A4, landscape(A4)
MARGIN = 18 * mm
FOOTER_Y = 10 * mm
BODY_SIZE, BODY_LEADING = 11, 19
WIDE_TABLE_COLUMNS = 7  # more columns than this → landscape page
TABLE_SIZES = (9, 8.5, 8, 7.5, 7, 6.5, 6, 5.5, 5)  # font sizes tried, largest first
MIN_SPLIT_SIZE = 7  # a piece that fits no page even at the smallest size is split at this size
CELL_PAD_X, CELL_PAD_Y = 2.5, 2.0
HEADING = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
CONTENTS = re.compile(r"^\s*目\s*录\s*$")
UNIT_NAMES = ("万元", "元", "千元", "亿元")
NUMBER_CELL = re.compile(r"^[-+]?[\d,]+(?:\.\d+)?%?$|^-$")


# ---------------------------------------------------------------- corpus


def render_corpus(src_dir: Path, out_dir: Path, render=None, needs=None) -> list[Path]:
    """Given a folder of .txt disclosures and an output folder (and a renderer with its freshness test; by default
    reportlab's render_pdf and needs_render), return the PDFs rendered there.

    A PDF newer than its source and than the renderer's own code is kept as it is.
    """
    render, needs = render or render_pdf, needs or needs_render
    src_dir, out_dir = Path(src_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for text_path in sorted(src_dir.glob("*.txt")):
        pdf_path = out_dir / f"{text_path.stem}.pdf"
        if needs(text_path, pdf_path):
            render(text_path, pdf_path)
        pdfs.append(pdf_path)
    return pdfs


def needs_render(text_path: Path, pdf_path: Path) -> bool:
    """Given a source and its PDF, return whether the PDF is missing or older than source or renderer."""
    if not pdf_path.exists():
        return True
    newest_input = max(path.stat().st_mtime for path in [text_path, *renderer_files()])
    return pdf_path.stat().st_mtime <= newest_input


def renderer_files() -> list[Path]:
    """Given nothing, return the code files whose changes change the rendered PDFs."""
    root = Path(__file__).resolve().parents[1]
    names = ("corpus/render.py", "index/tables/text.py", "index/tables/titles.py", "index/tables/kinds.py",
             "index/tables/cells.py", "index/model.py", "index/tables/table_kinds.yaml")
    return [root / name for name in names if (root / name).exists()]


def render_pdf(text_path: Path, pdf_path: Path) -> int:
    """Given a .txt disclosure and where to write its PDF, write the PDF and return its page count."""
    text = Path(text_path).read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    register_font()
    story = blocks_to_story(text_to_blocks(text))
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    doc = disclosure_template(pdf_path, title=Path(text_path).stem)
    doc.build(story)
    return doc.page


def register_font() -> None:
    """Given nothing, register the built-in CID font STSong-Light with reportlab (once)."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


register_font()


def disclosure_template(pdf_path: Path, title: str) -> BaseDocTemplate:
    """Given an output path, return a deterministic doc template with portrait and landscape A4 pages."""
    doc = BaseDocTemplate(str(pdf_path), pagesize=PORTRAIT, invariant=1, title=title, author="",
                          creator="budget-qa corpus.render", leftMargin=MARGIN, rightMargin=MARGIN,
                          topMargin=MARGIN, bottomMargin=MARGIN)
    doc.pageTemplates = [page_template("portrait", PORTRAIT), page_template("landscape", LANDSCAPE)]
    return doc


def page_template(name: str, size: tuple[float, float]) -> PageTemplate:
    """Given a template name and page size, return a one-frame page template with a page-number footer."""
    width, height = size
    frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN, id=name,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    return PageTemplate(id=name, frames=[frame], pagesize=size, onPage=draw_footer)


def draw_footer(canvas, doc) -> None:
    """Given a canvas at the start of a page, draw the centred '- n -' page number."""
    width, _ = canvas._pagesize
    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(width / 2, FOOTER_Y, f"- {doc.page} -")
    canvas.restoreState()


def frame_size(orientation: str) -> tuple[float, float]:
    """Given 'portrait' or 'landscape', return the width and height of its text frame."""
    width, height = PORTRAIT if orientation == "portrait" else LANDSCAPE
    return width - 2 * MARGIN, height - 2 * MARGIN


# ---------------------------------------------------------------- blocks


@dataclass
class TextBlock:
    """Source lines rendered as running text."""

    lines: list[str]


@dataclass
class TableBlock:
    """A table piece and the source lines around its grid: title lines above, note lines below,
    and the body rows at which the source started a new page (blank lines inside the grid)."""

    piece: TablePiece
    lead: list[str]
    tail: list[str] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)


Block = TextBlock | TableBlock


def text_to_blocks(text: str) -> list[Block]:
    """Given a disclosure's text, return it as text blocks and table blocks in reading order.

    Tables come from ``index.tables.text.text_to_pieces``; a piece whose
    rendering would not reproduce exactly the characters of its source lines stays text.
    """
    lines = text.split("\n")
    pieces = sorted(text_pieces(text), key=lambda piece: piece.span[0])
    blocks: list[Block] = []
    cursor = 0
    for piece in pieces:
        start, end = piece.span
        if start < cursor:
            continue
        table = piece_to_block(piece, lines[start:end])
        if table is None:
            continue
        if start > cursor:
            blocks.append(TextBlock(lines[cursor:start]))
        blocks.append(table)
        cursor = end
    if cursor < len(lines):
        blocks.append(TextBlock(lines[cursor:]))
    return blocks


def text_pieces(text: str) -> list[TablePiece]:
    """Given a disclosure's text, return the table pieces the text reader finds."""
    from index.tables.text import text_to_pieces

    return [piece for piece in text_to_pieces(Page(number=1, text=text)) if piece.span is not None]


def piece_to_block(piece: TablePiece, span_lines: list[str]) -> TableBlock | None:
    """Given a piece and its source lines, return its table block, or None when characters would not match.

    The lines before the first grid line are the lead (title, 部门名称, 单位); the note lines after
    the last grid line are the tail. The grid itself is drawn from the piece's cells.
    """
    lead_end = grid_start(span_lines, piece)
    tail_start = grid_end(span_lines, lead_end)
    tail = [" ".join(cell for cell in line.split("\t") if cell.strip()) for line in span_lines[tail_start:]]
    breaks = source_page_breaks(span_lines[lead_end:tail_start], piece)
    block = TableBlock(piece, span_lines[:lead_end], tail, breaks)
    drawn = chars_of(block.lead + block.tail + [cell for row in piece.header + piece.body for cell in row])
    return block if drawn == chars_of(span_lines) else None


def grid_start(span_lines: list[str], piece: TablePiece) -> int:
    """Given a piece's source lines, return the index of the first line holding grid cells.

    The lead is the title, 部门名称 / 单位 and year lines; the grid starts at the first other line.
    """
    previous = ""
    for index, line in enumerate(span_lines):
        if "\t" in line:
            return index
        if line.strip():
            unit_value = re.search(r"单位[:：]$", squash(previous)) and squash(line) in UNIT_NAMES
            if not (is_lead_line(line, piece) or unit_value):
                return index
            previous = line
    return len(span_lines)


def is_lead_line(line: str, piece: TablePiece) -> bool:
    """Given a source line above a table's grid, return whether it is title, unit, year or department text."""
    flat = squash(line)
    if re.match(r"^表[\d一二三四五六七八九十]+[:：]?", flat) or flat in squash(piece.title):
        return True
    if re.match(r"^(?:部门|单位)名称[:：]", flat):
        return True
    rest = re.sub(r"(?:金额)?单位[:：](?:万元|元|千元|亿元)?$", "", flat)
    return rest != flat and rest == "" or bool(re.fullmatch(r"20\d{2}年度?", rest))


def grid_end(span_lines: list[str], start: int) -> int:
    """Given a piece's source lines and where its grid starts, return where its trailing notes begin:
    the trailing lines (tab-separated or not) whose only text is a note (注：…, 备注：…, 本表…)."""
    end = len(span_lines)
    while end > start and (not span_lines[end - 1].strip() or is_note_line(span_lines[end - 1])):
        end -= 1
    while end < len(span_lines) and not span_lines[end].strip():
        end += 1
    return end


def is_note_line(line: str) -> bool:
    """Given a source line, return whether its only text is a table note."""
    from index.tables.kinds import is_note

    filled = [cell for cell in line.split("\t") if cell.strip()]
    return len(filled) == 1 and is_note(filled[0])


def source_page_breaks(grid_lines: list[str], piece: TablePiece) -> list[int]:
    """Given the source lines of a piece's grid and the piece, return the body rows before which
    the source had a page break: a blank line between two tab-separated rows, or two or more
    blank lines in space-flattened text (where a row starts exactly there)."""
    rows = [index for index, line in enumerate(grid_lines) if line.strip() and not is_note_line(line)]
    if rows and all("\t" in grid_lines[i] for i in rows):
        if len(rows) != len(piece.header) + len(piece.body):
            return []
        return [k - len(piece.header) for k in range(len(piece.header) + 1, len(rows)) if rows[k] - rows[k - 1] > 1]
    return flattened_page_breaks(grid_lines, piece)


def flattened_page_breaks(grid_lines: list[str], piece: TablePiece) -> list[int]:
    """Given the lines of a space-flattened grid and its piece, return the body rows that begin
    right after a run of two or more blank lines, matching rows to lines by their characters."""
    offset, blanks, break_offsets = 0, 0, set()
    for line in grid_lines:
        if not line.strip():
            blanks += 1
            continue
        if blanks >= 2 and offset:
            break_offsets.add(offset)
        blanks = 0
        offset += len(squash(line))
    start = len(squash("".join(cell for row in piece.header for cell in row)))
    breaks = []
    for k, row in enumerate(piece.body):
        if k and start in break_offsets:
            breaks.append(k)
        start += len(squash("".join(row)))
    return breaks


def squash(text: str) -> str:
    """Given text, return it without any whitespace."""
    return re.sub(r"\s+", "", text)


def chars_of(lines: list[str]) -> Counter:
    """Given lines of text, return the multiset of their non-whitespace characters."""
    return Counter(ch for line in lines for ch in line if not ch.isspace())


# ---------------------------------------------------------------- story


def blocks_to_story(blocks: list[Block]) -> list[Flowable]:
    """Given text and table blocks, return the flowables that lay them out on pages."""
    story: list[Flowable] = []
    orientation = "portrait"
    for index, block in enumerate(blocks):
        if isinstance(block, TextBlock):
            place = text_place(blocks, index)
            if place == "none":
                continue
            if place == "under_table":
                story += [Spacer(1, 4)] + note_flowables(block.lines)
                continue
            if orientation != "portrait" or place == "new_page":
                story += [NextPageTemplate("portrait"), PageBreakIfNotEmpty()]
                orientation = "portrait"
            story += text_to_flowables(block.lines, first=index == 0)
        else:
            pages = table_pages(block)
            for page in pages:
                story += [NextPageTemplate(page.orientation), PageBreakIfNotEmpty()]
                story += page.flowables
            orientation = pages[-1].orientation
    return story


def text_place(blocks: list[Block], index: int) -> str:
    """Given the blocks and the index of a text block, return where it goes: 'none' (it is blank),
    'under_table' (up to three lines after a table are its notes, on the table's page), 'new_page' (other
    text after a table) or 'flow'."""
    lines = [line for line in blocks[index].lines if line.strip()]
    after_table = index > 0 and isinstance(blocks[index - 1], TableBlock)
    if not lines:
        return "none"
    if after_table:
        return "under_table" if len(lines) <= 3 else "new_page"
    return "flow"


def text_to_flowables(lines: list[str], first: bool) -> list[Flowable]:
    """Given source lines of running text, return paragraphs and headings (a cover page when first)."""
    flowables: list[Flowable] = []
    if first:
        cover, lines = split_cover(lines)
        if cover:
            flowables += cover_flowables(cover)
    blank = False
    seen_parts: set[str] = set()
    for line in join_wrapped_lines(lines):
        kind = line_kind(line)
        if kind == "part" and squash(line) in seen_parts:  # the body after the table of contents
            flowables.append(PageBreakIfNotEmpty())
            seen_parts.clear()
        elif kind == "part":
            seen_parts.add(squash(line))
        if kind == "blank":
            if not blank:
                flowables.append(Spacer(1, 4))
            blank = True
            continue
        blank = False
        if kind == "part":
            flowables += [CondPageBreak(120), BoldText(line.strip(), 15, align="center", space=10)]
        elif kind == "section":
            flowables += [CondPageBreak(80), BoldText(line.strip(), 13, align="left", space=6)]
        elif kind == "subsection":
            flowables.append(BoldText(line.strip(), BODY_SIZE + 0.5, align="left", space=3, indent=2 * BODY_SIZE))
        else:
            flowables.append(Paragraph(escape(line.strip()), body_style()))
    return flowables


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Given source lines of running text, return them with hard-wrapped paragraph lines joined.

    Text taken from a PDF breaks paragraphs at the old line ends and page ends; a body line that
    does not end a sentence is joined with the next body line unless that one starts a new item.
    """
    joined: list[str] = []
    open_index: int | None = None  # index in joined of a paragraph that may continue
    for line in lines:
        kind = line_kind(line)
        if kind == "blank":
            joined.append(line)
            continue
        if kind == "body" and open_index is not None and not starts_item(line):
            joined[open_index] = joined[open_index].rstrip() + line.strip()
        else:
            joined.append(line)
            open_index = len(joined) - 1 if kind == "body" else None
        if open_index is not None and re.search(r"[。；：！？:;]\s*$|^\s*-\s", joined[open_index]):
            open_index = None
    return [line for i, line in enumerate(joined) if line.strip() or not (i and not joined[i - 1].strip())]


def starts_item(line: str) -> bool:
    """Given a source line, return whether it starts a new item (heading, numbered or bulleted line)."""
    return bool(HEADING.match(line.strip()) or re.match(
        r"^\s*(?:[-•·]\s|\d+[.、．]|[（(][\d一二三四五六七八九十]+[)）]|[①-⑩⒈-⒓]|注[:：]|备注)", line))


def split_cover(lines: list[str]) -> tuple[list[str], list[str]]:
    """Given a document's first lines, return its cover title lines (before 目录) and the rest."""
    for index, line in enumerate(lines[:12]):
        if CONTENTS.match(line):
            title = [line for line in lines[:index] if line.strip()]
            if 0 < len(title) <= 4 and "预算" in squash("".join(title)):
                return title, lines[index:]
            break
    return [], lines


def cover_flowables(title: list[str]) -> list[Flowable]:
    """Given the cover title lines, return a cover page: the title large and centred, then a page break."""
    flowables: list[Flowable] = [Spacer(1, 180)]
    flowables += [BoldText(line.strip(), 24, align="center", space=12) for line in title]
    return flowables + [NextPageTemplate("portrait"), PageBreakIfNotEmpty()]


def line_kind(line: str) -> str:
    """Given a source line, return 'blank', 'part' (第X部分, 一、文字部分), 'section' (一、), 'subsection' (（一）) or 'body'."""
    flat = line.strip()
    if not flat:
        return "blank"
    if CONTENTS.match(flat):
        return "part"
    match = HEADING.match(flat)
    if not match or re.search(r"[，。：；:;,]", flat):
        return "body"
    if flat.startswith("第") or re.match(r"^[一二]、\s*(?:文字|表格)部分$", flat):
        return "part"
    if flat.startswith("（"):
        return "subsection" if len(flat) <= 20 and "、" not in flat else "body"
    return "section" if len(flat) <= 30 else "body"


def body_style() -> ParagraphStyle:
    """Given nothing, return the paragraph style of running text (CJK wrapping, first-line indent)."""
    return ParagraphStyle("body", fontName=FONT, fontSize=BODY_SIZE, leading=BODY_LEADING, wordWrap="CJK",
                          alignment=TA_JUSTIFY, firstLineIndent=2 * BODY_SIZE)


class BoldText(Flowable):
    """A heading line drawn bold-ish (filled and stroked glyphs), wrapped to the frame width."""

    def __init__(self, text: str, size: float, align: str = "left", space: float = 4, indent: float = 0):
        super().__init__()
        self.text, self.size, self.align, self.space, self.indent = text, size, align, space, indent
        self.lines: list[str] = [text]

    def wrap(self, avail_width, avail_height):
        self.avail = avail_width
        self.lines = wrap_text(self.text, avail_width - self.indent, self.size)
        self.height = len(self.lines) * self.size * 1.5 + 2 * self.space
        return avail_width, self.height

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(self.size * 0.035)
        y = self.height - self.space - self.size * 1.15
        for line in self.lines:
            width = pdfmetrics.stringWidth(line, FONT, self.size)
            x = {"center": (self.avail - width) / 2, "right": self.avail - width}.get(self.align, self.indent)
            text = canvas.beginText(x, y)
            text.setFont(FONT, self.size)
            text.setTextRenderMode(2)
            text.textOut(line)
            canvas.drawText(text)
            y -= self.size * 1.5
        canvas.restoreState()


class SplitLine(Flowable):
    """One line of small text: at the left (部门名称 …), centred (年度) and at the right (单位：万元)."""

    def __init__(self, left: str, right: str, size: float, centre: str = ""):
        super().__init__()
        self.left, self.right, self.size, self.centre = left, right, size, centre

    def wrap(self, avail_width, avail_height):
        self.avail = avail_width
        self.height = self.size * 1.8
        return avail_width, self.height

    def draw(self):
        self.canv.setFont(FONT, self.size)
        self.canv.drawString(0, self.size * 0.5, self.left)
        if self.centre:
            self.canv.drawCentredString(self.avail / 2, self.size * 0.5, self.centre)
        if self.right:
            self.canv.drawRightString(self.avail, self.size * 0.5, self.right)


# ---------------------------------------------------------------- wrapping


def wrap_text(text: str, width: float, size: float) -> list[str]:
    """Given text, a width and a font size, return the lines it wraps to, breaking only where
    ``index.tables.cells.join_cell_lines`` puts the text back together exactly.

    A break may fall between two characters when either is full-width, or at a space between two
    narrow characters (the space is dropped); elsewhere only when a run is wider than the line.
    """
    text = re.sub(r"\s+", " ", text.strip())
    lines: list[str] = []
    while text:
        cut = break_position(text, width, size)
        lines.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return lines or [""]


def break_position(text: str, width: float, size: float) -> int:
    """Given text, a width and a font size, return where its first line ends."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return len(text)
    used, best = 0.0, 0
    for index, ch in enumerate(text):
        used += pdfmetrics.stringWidth(ch, FONT, size)
        if used > width:
            break
        if index + 1 < len(text) and may_break(text, index + 1):
            best = index + 1
    if best == 0:  # no allowed break within the width: cut at the next allowed one, else hard
        best = next((i for i in range(1, len(text)) if may_break(text, i)), len(text))
    return best


def may_break(text: str, index: int) -> bool:
    """Given text and a position between two characters, return whether a line may break there."""
    left, right = text[index - 1], text[index]
    if right == " ":
        return 0 < index and index + 1 < len(text) and not is_wide(left) and not is_wide(text[index + 1])
    if left == " ":
        return False
    return is_wide(left) or is_wide(right)


def text_width(text: str, size: float) -> float:
    """Given text and a font size, return its printed width."""
    return pdfmetrics.stringWidth(text, FONT, size)


def unbreakable_width(text: str, size: float) -> float:
    """Given text and a font size, return the width of its widest run that cannot be broken."""
    text = re.sub(r"\s+", " ", text.strip())
    widest, start = 0.0, 0
    for index in range(1, len(text) + 1):
        if index == len(text) or may_break(text, index):
            widest = max(widest, text_width(text[start:index].strip(), size))
            start = index
    return widest


# ---------------------------------------------------------------- table layout


@dataclass(frozen=True)
class Span:
    """A merged cell: its top-left position and how many rows and columns it covers."""

    row: int
    col: int
    rows: int = 1
    cols: int = 1


def header_spans(header: list[list[str]]) -> list[Span]:
    """Given a header grid ('' continues a merged cell), return the merged cells, one per printed cell.

    Row by row, an empty cell continues the cell to its left in the same row when both lie under
    the same cell of the row above; otherwise it continues the cell above (when the whole width of
    that cell is empty in this row); otherwise it stays an empty cell.
    """
    ncols = max((len(row) for row in header), default=0)
    grid = [row + [""] * (ncols - len(row)) for row in header]
    owner: list[list[Span | None]] = [[None] * ncols for _ in grid]
    spans: list[Span] = []
    for r, row in enumerate(grid):
        c = 0
        while c < ncols:
            if row[c].strip():
                end = c + 1
                while end < ncols and not row[end].strip() and same_parent(owner, r, c, end):
                    end += 1
                place(owner, spans, Span(r, c, 1, end - c))
                c = end
                continue
            above = owner[r - 1][c] if r else None
            if above and above.col == c and all(not row[k].strip() for k in range(c, c + above.cols)) \
                    and all(owner[r][k] is None for k in range(c, c + above.cols)):
                grown = Span(above.row, above.col, above.rows + 1, above.cols)
                spans[spans.index(above)] = grown
                for rr in range(grown.row, grown.row + grown.rows):
                    for cc in range(grown.col, grown.col + grown.cols):
                        owner[rr][cc] = grown
                c += above.cols
                continue
            place(owner, spans, Span(r, c))
            c += 1
    return spans


def same_parent(owner: list[list[Span | None]], row: int, col: int, other: int) -> bool:
    """Given the cells placed so far, return whether two columns lie under the same cell of the row above."""
    return row == 0 or owner[row - 1][col] is owner[row - 1][other]


def place(owner: list[list[Span | None]], spans: list[Span], span: Span) -> None:
    """Given the ownership grid and span list, record a new merged cell in both."""
    spans.append(span)
    for c in range(span.col, span.col + span.cols):
        owner[span.row][c] = span


def body_spans(body: list[list[str]], widths: list[float], size: float, first_row: int) -> list[Span]:
    """Given body rows, column widths and font size, return merged cells for long texts that would
    otherwise wrap in a narrow column while the cells to their right are empty."""
    spans = []
    for r, row in enumerate(body):
        c = 0
        while c < len(row):
            end = c + 1
            while end < len(row) and not row[end].strip():
                end += 1
            text = row[c].strip()
            if text and end - c > 1 and not NUMBER_CELL.match(text) and text_width(text, size) > 2 * widths[c]:
                spans.append(Span(first_row + r, c, 1, end - c))
            c = end
    return spans


@dataclass
class TableLayout:
    """How one table page is laid out: orientation, font size, column widths, row heights, cell lines."""

    orientation: str
    size: float
    widths: list[float]
    heights: list[float]
    lines: dict[tuple[int, int], list[str]]
    spans: list[Span]


def layout_table(header: list[list[str]], body: list[list[str]], ncols: int, orientation: str, size: float,
                 room: float) -> TableLayout | None:
    """Given a grid, its column count, an orientation, a font size and the height left for the grid,
    return its layout, or None when it does not fit."""
    width, _ = frame_size(orientation)
    rows = [row + [""] * (ncols - len(row)) for row in header + body]
    spans = header_spans([row[:] for row in rows[: len(header)]])
    widths = column_widths(rows, spans, width, size)
    if widths is None:
        return None
    spans = keep_column_edges(spans + body_spans(rows[len(header):], widths, size, len(header)), len(header),
                              len(rows), ncols)
    lines = {(s.row, s.col): wrap_text(rows[s.row][s.col], sum(widths[s.col:s.col + s.cols]) - 2 * CELL_PAD_X, size)
             for s in spans}
    lines.update({(r, c): wrap_text(cell, widths[c] - 2 * CELL_PAD_X, size)
                  for r, row in enumerate(rows) for c, cell in enumerate(row)
                  if (r, c) not in lines and not covered(spans, r, c)})
    heights = row_heights(len(rows), spans, lines, size)
    if sum(heights) > room:
        return None
    return TableLayout(orientation, size, widths, heights, lines, spans)


def keep_column_edges(spans: list[Span], header_rows: int, nrows: int, ncols: int) -> list[Span]:
    """Given merged cells, return them with body merges cut short where otherwise no cell in any
    row would start at a column (pdfplumber sees a column only where some cell starts)."""
    for col in range(1, ncols):
        if any(not covered(spans, row, col) for row in range(nrows)):
            continue
        spans = [Span(s.row, s.col, s.rows, col - s.col) if s.row >= header_rows and s.col < col < s.col + s.cols
                 else s for s in spans]
    return spans


def covered(spans: list[Span], row: int, col: int) -> bool:
    """Given merged cells and a position, return whether a merged cell other than its own covers it."""
    return any(s.row <= row < s.row + s.rows and s.col <= col < s.col + s.cols and (s.row, s.col) != (row, col)
               for s in spans)


def column_widths(rows: list[list[str]], spans: list[Span], width: float, size: float) -> list[float] | None:
    """Given the grid rows, header merges, the frame width and a font size, return column widths
    filling the width, or None when the unbreakable runs (numbers, codes) cannot fit.

    Every column first gets room for its unbreakable runs (and four characters of its header),
    then room for its body texts (they repeat on every row, so wrapping them costs most), then
    for its header text; what is left is shared in proportion.
    """
    ncols = len(rows[0])
    header_rows = max((s.row + s.rows for s in spans), default=0)
    single = {(s.row, s.col) for s in spans if s.cols == 1}
    pad = 2 * CELL_PAD_X
    minimum, body, head = [pad + 2 * size] * ncols, [pad + 2 * size] * ncols, [pad + 2 * size] * ncols
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if r < header_rows:
                if (r, c) in single:
                    minimum[c] = max(minimum[c], min(text_width(cell, size), 4 * size) + pad + 0.5)
                    head[c] = max(head[c], min(text_width(cell, size), 12 * size) + pad)
                continue
            number_room = size if NUMBER_CELL.match(cell.strip()) else 0.5
            minimum[c] = max(minimum[c], unbreakable_width(cell, size) + pad + number_room)
            body[c] = max(body[c], min(text_width(cell, size), 24 * size) + pad)
    body = [max(b, m) for b, m in zip(body, minimum)]
    head = [max(h, b) for h, b in zip(head, body)]
    for low, high in ((head, None), (body, head), (minimum, body)):
        if high is None and sum(low) <= width:
            return [w * width / sum(low) for w in low]
        if high is not None and sum(low) <= width:
            extra = sum(h - l for h, l in zip(high, low))
            share = (width - sum(low)) / extra if extra else 0
            return [l + (h - l) * share for l, h in zip(low, high)]
    return None


def row_heights(nrows: int, spans: list[Span], lines: dict[tuple[int, int], list[str]], size: float) -> list[float]:
    """Given the number of rows, merged cells, wrapped cell lines and font size, return each row's height."""
    leading = size * 1.25
    heights = [leading + 2 * CELL_PAD_Y] * nrows
    multi = {(s.row, s.col): s for s in spans}
    for (r, c), cell_lines in lines.items():
        span = multi.get((r, c))
        if span is None or span.rows == 1:
            heights[r] = max(heights[r], len(cell_lines) * leading + 2 * CELL_PAD_Y)
    for span in spans:
        if span.rows > 1:
            need = len(lines[(span.row, span.col)]) * leading + 2 * CELL_PAD_Y
            have = sum(heights[span.row:span.row + span.rows])
            if need > have:
                heights[span.row + span.rows - 1] += need - have
    return heights


# ---------------------------------------------------------------- table pages


@dataclass
class TablePage:
    """One page of a rendered table: its orientation and flowables."""

    orientation: str
    flowables: list[Flowable]


@dataclass
class TableChunk:
    """The part of a table piece printed on one source page: title lines and header (on its
    first page only, as in the source), body rows and notes (on its last page)."""

    lead: list[str]
    header: list[list[str]]
    body: list[list[str]]
    tail: list[str]
    ncols: int
    codes: set[int] = field(default_factory=set)  # columns of 科目编码 (left-aligned although digits)


def table_pages(block: TableBlock) -> list[TablePage]:
    """Given a table block, return its pages: one per page of the source, each at the largest font
    size that fits it on one page (portrait for narrow tables when that is as large as landscape);
    a chunk too long for one page even in the smallest font is split, repeating title and header."""
    pages: list[TablePage] = []
    for chunk in block_chunks(block):
        pages += chunk_pages(chunk)
    return pages


def block_chunks(block: TableBlock) -> list[TableChunk]:
    """Given a table block, return its chunks, cut where the source started a new page."""
    piece = block.piece
    ncols = max(len(row) for row in piece.header + piece.body)
    bounds = [0] + [b for b in block.breaks if 0 < b < len(piece.body)] + [len(piece.body)]
    codes = {c for row in piece.header for c, cell in enumerate(row) if "编码" in cell or "代码" in cell}
    chunks = []
    for index, (start, end) in enumerate(zip(bounds, bounds[1:])):
        first, last = index == 0, index == len(bounds) - 2
        chunks.append(TableChunk(block.lead if first else [], piece.header if first else [],
                                 piece.body[start:end], block.tail if last else [], ncols, codes))
    return chunks


@dataclass
class ChunkPage:
    """One page of a chunk: the grid's layout, the body rows printed on it, and whether the notes follow."""

    layout: TableLayout
    body: list[list[str]]
    with_tail: bool


def chunk_pages(chunk: TableChunk) -> list[TablePage]:
    """Given a chunk, return it on one page at the largest size that fits, else split over pages."""
    return [TablePage(page.layout.orientation, page_flowables(chunk, page.layout, page.body, page.with_tail))
            for page in chunk_layouts(chunk)]


def chunk_layouts(chunk: TableChunk, fill: float = 1.0) -> list[ChunkPage]:
    """Given a chunk and the share of the height under its title the grid may take (less than 1
    for a printer whose rules and line breaks take more room than reportlab's), return its pages:
    one at the largest size that fits, else as many as a legible size needs."""
    orientations = ["landscape"] if chunk.ncols > WIDE_TABLE_COLUMNS else ["portrait", "landscape"]
    for size in TABLE_SIZES:
        for orientation in orientations:
            layout = layout_table(chunk.header, chunk.body, chunk.ncols, orientation, size,
                                  grid_room(chunk, orientation) * fill)
            if layout:
                return [ChunkPage(layout, chunk.body, True)]
    return split_chunk_layouts(chunk, orientations[-1], fill)


def split_chunk_layouts(chunk: TableChunk, orientation: str, fill: float = 1.0) -> list[ChunkPage]:
    """Given a chunk too long for one page, its orientation and the share of the room the grid may
    take, return pages each holding as many body rows as fit at a legible size, each repeating
    the title lines and header."""
    pages, rows = [], list(chunk.body)
    room = grid_room(chunk, orientation) * fill
    while rows:
        count, layout = len(rows), None
        while count > 0 and layout is None:
            layout = fitting_layout(chunk.header, rows[:count], chunk.ncols, orientation, room)
            count -= layout is None
        if layout is None:  # one row taller than a page: draw it in the smallest font anyway
            count, layout = 1, layout_table(chunk.header, rows[:1], chunk.ncols, orientation, TABLE_SIZES[-1], 1e9)
        pages.append(ChunkPage(layout, rows[:count], count == len(rows)))
        rows = rows[count:]
    return pages


def fitting_layout(header, body, ncols, orientation, room) -> TableLayout | None:
    """Given a grid and page, return its layout at the largest size not below MIN_SPLIT_SIZE that fits."""
    for size in TABLE_SIZES:
        if size < MIN_SPLIT_SIZE:
            return None
        layout = layout_table(header, body, ncols, orientation, size, room)
        if layout:
            return layout
    return None


def grid_room(chunk: TableChunk, orientation: str) -> float:
    """Given a chunk and orientation, return the height left for the grid under the title and above the notes."""
    width, height = frame_size(orientation)
    taken = sum(f.wrap(width, height)[1] for f in lead_flowables(chunk.lead) + tail_flowables(chunk.tail))
    return height - taken - 2


def page_flowables(chunk: TableChunk, layout: TableLayout, body: list[list[str]], with_tail: bool) -> list[Flowable]:
    """Given a chunk, a layout and the body rows of this page, return the page's flowables."""
    flowables = lead_flowables(chunk.lead) + [grid_table(layout, chunk.header, body, chunk.codes)]
    return flowables + (tail_flowables(chunk.tail) if with_tail else [])


def lead_flowables(lead: list[str]) -> list[Flowable]:
    """Given a table's title lines, return them drawn: 表 N small at the left, the name centred
    and large, the 部门名称 / 年度 line with the 单位 at its right."""
    flowables: list[Flowable] = []
    for line in joined_unit_lines(lead):
        left, right = split_unit(line)
        if re.match(r"^(?:部门|单位)名称", squash(left)) or not left:
            flowables.append(SplitLine(left, right, 9))
        elif re.fullmatch(r"20\d{2}年度?", squash(left)):
            flowables.append(SplitLine("", right, 9, centre=left))
        elif re.fullmatch(r"表\s*[\d一二三四五六七八九十]+\s*[:：]?", left):
            flowables += [BoldText(left, 10, align="left", space=1)] + ([SplitLine("", right, 9)] if right else [])
        else:
            flowables += [BoldText(left, 15, align="center", space=4)] + ([SplitLine("", right, 9)] if right else [])
    return merge_unit_lines(flowables)


def joined_unit_lines(lead: list[str]) -> list[str]:
    """Given title lines, return the non-blank ones with a lone unit (万元) joined to its '单位：' line."""
    lines: list[str] = []
    for line in (line.strip() for line in lead):
        if not line:
            continue
        if lines and line in UNIT_NAMES and re.search(r"单位\s*[:：]$", lines[-1]):
            lines[-1] += line
        else:
            lines.append(line)
    return lines


def merge_unit_lines(flowables: list[Flowable]) -> list[Flowable]:
    """Given title flowables, return them with a lone 单位 line moved onto the 部门名称 or 年度 line above."""
    merged: list[Flowable] = []
    for flowable in flowables:
        lone_unit = isinstance(flowable, SplitLine) and not flowable.left and not flowable.centre
        if lone_unit and merged and isinstance(merged[-1], SplitLine) and not merged[-1].right:
            merged[-1].right = flowable.right
        else:
            merged.append(flowable)
    return merged


def split_unit(line: str) -> tuple[str, str]:
    """Given a title line, return its text before a trailing '单位：万元' and that unit text."""
    match = re.search(r"(?:^|\s)(?:金额)?单位\s*[:：]\s*(?:万元|元|千元|亿元)?\s*$", line)
    if not match:
        return line.strip(), ""
    return line[: match.start()].strip(), match.group(0).strip()


def tail_flowables(tail: list[str]) -> list[Flowable]:
    """Given a table's note lines, return them drawn under the grid."""
    flowables: list[Flowable] = [Spacer(1, 3)] if any(line.strip() for line in tail) else []
    return flowables + note_flowables(tail)


def note_flowables(lines: list[str]) -> list[Flowable]:
    """Given note lines (注：…), return them as small paragraphs."""
    style = ParagraphStyle("note", fontName=FONT, fontSize=8, leading=12, wordWrap="CJK")
    return [Paragraph(escape(line.strip()), style) for line in lines if line.strip()]


def grid_table(layout: TableLayout, header: list[list[str]], body: list[list[str]], codes: set[int]) -> Table:
    """Given a layout, the grid rows and the code columns, return the ruled reportlab table with
    merged header cells, amounts right-aligned."""
    rows = header + body
    ncols = len(layout.widths)
    data = [["" for _ in range(ncols)] for _ in rows]
    for (r, c), cell_lines in layout.lines.items():
        data[r][c] = "\n".join(cell_lines)
    nheader = len(header)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, layout.size, layout.size * 1.25),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
    ]
    if nheader:
        style += [("ALIGN", (0, 0), (-1, nheader - 1), "CENTER"),
                  ("BACKGROUND", (0, 0), (-1, nheader - 1), "#EEEEEE")]
    for r, row in enumerate(body, start=nheader):
        for c, cell in enumerate(row):
            if NUMBER_CELL.match(cell.strip()) and c not in codes:
                style.append(("ALIGN", (c, r), (c, r), "RIGHT"))
    style += [("SPAN", (s.col, s.row), (s.col + s.cols - 1, s.row + s.rows - 1))
              for s in layout.spans if s.rows > 1 or s.cols > 1]
    return Table(data, colWidths=layout.widths, rowHeights=layout.heights, style=TableStyle(style))
