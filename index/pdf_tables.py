"""Table pieces of a PDF disclosure, read from the ruled tables pdfplumber finds on its pages.

Each ruled table becomes a TablePiece: its title, 部门名称 and 单位 come from the page's text
lines above the grid, its notes from the lines below, its header rows and body rows from the
grid (a merged cell's continuation positions, None in pdfplumber, become '' as in the header grid
of a text table). The lines and the grid are handed to the text reader as the tab-separated
text of a clean disclosure, so that a PDF and its text are read by the same rules; a page with a
table title but no ruled table is read as text.
"""
from __future__ import annotations

import re
import unicodedata

from index.model import Document, Page, PdfTable, TablePiece

TITLE_LINE = re.compile(r"^\s*表\s*[\d一二三四五六七八九十]+")
UNIT_LINE = re.compile(r"^(?:部门|单位)名称[:：]|(?:^|[^名])单位[:：](?:万元|元|千元|亿元)")
NUMBER_CELL = re.compile(r"^[-+]?[\d,]+(?:\.\d+)?%?$|^-$")


def pdf_pieces(doc: Document) -> list[TablePiece]:
    """Given a loaded PDF document, return the table pieces of all its pages in page order.

    A ruled table with no title above it, on a page after a table, continues that table.
    """
    pieces: list[TablePiece] = []
    previous: TablePiece | None = None
    for page in doc.pages:
        found = page_pieces(page, previous)
        pieces += found
        previous = found[-1] if found else None
    return pieces


def page_pieces(page: Page, previous: TablePiece | None = None) -> list[TablePiece]:
    """Given a PDF page and the last table piece of the page before, return the page's table
    pieces: one per ruled table (an untitled one continuing ``previous``), else what the text
    reader finds when the page has a table title but no ruled table."""
    lines = page.text.split("\n")
    if page.tables:
        tables = sorted(page.tables, key=lambda table: table.bbox[1])
        pieces: list[TablePiece] = []
        for table, (lead, tail) in zip(tables, table_surroundings(lines, tables)):
            piece = table_piece(page.number, table, lead, tail, previous)
            if piece is not None:
                pieces.append(piece)
                previous = piece
        return pieces
    if any(is_title(line) for line in lines):
        return text_reader_pieces(page)
    return []


def text_reader_pieces(page: Page) -> list[TablePiece]:
    """Given a page, return the table pieces the text reader (index.tables) finds in its text."""
    from index.tables import text_to_pieces

    return text_to_pieces(page)


def table_surroundings(lines: list[str], tables: list[PdfTable]) -> list[tuple[list[str], list[str]]]:
    """Given a page's text lines and its ruled tables top to bottom, return each table's title lines
    (表 N, name, 部门名称, 单位) and note lines (注：…) from the page text.

    Titles pair with tables in order; when there are fewer titles than tables, the first tables
    continue a table from an earlier page and have only the 部门名称 / 单位 lines at the page top.
    """
    titles = [index for index, line in enumerate(lines) if is_title(line)][-len(tables):]
    starts: list[int | None] = [None] * (len(tables) - len(titles)) + titles
    result = []
    for k, (table, start) in enumerate(zip(tables, starts)):
        following = next((s for s in starts[k + 1:] if s is not None), len(lines))
        if start is None:
            lead = [line for line in lines[:min(4, following)] if UNIT_LINE.search(squash(line))]
            lead_end = 0
        else:
            lead_end = title_end(lines, start)
            lead = lines[start:lead_end]
        cells = {squash(cell) for row in clean_grid(table.cells) for cell in row}
        tail = [line for line in lines[lead_end:following] if is_note(line) and squash(line) not in cells]
        result.append((lead, tail))
    return result


def title_end(lines: list[str], start: int) -> int:
    """Given page lines and the index of a 表 N line, return the end of the table's title lines:
    through the last 部门名称 / 单位 / 年度 line just below it, else the title and its name line."""
    last = None
    for index in range(start + 1, min(start + 5, len(lines))):
        if UNIT_LINE.search(squash(lines[index])) or re.fullmatch(r"20\d{2}年度?", squash(lines[index])):
            last = index
    if last is not None:
        return last + 1
    named = re.sub(r"^表\s*[\d一二三四五六七八九十]+\s*[:：]?", "", lines[start].strip())
    return start + (1 if named else 2)


def table_piece(page_number: int, table: PdfTable, lead: list[str], tail: list[str],
                previous: TablePiece | None = None) -> TablePiece | None:
    """Given a page number, a ruled table, its title and note lines and the piece before it,
    return the table's piece (None for an untitled table that continues nothing)."""
    grid = clean_grid(table.cells)
    if not grid:
        return None
    titled = any(is_title(line) for line in lead)
    if not titled and previous is None:
        return None
    piece = read_as_text(page_number, lead, grid, tail, None if titled else previous)
    if piece is not None:
        return piece
    return direct_piece(page_number, lead, grid, tail) if titled else continued_piece(page_number, grid, tail, previous)


def is_note(line: str) -> bool:
    """Given a line under a table, return whether it is a note of the table (注：…, 备注：…, 本表…),
    by the text reader's rule when it is present."""
    try:
        from index.tables import is_note as reader_is_note
    except ImportError:
        return bool(re.match(r"^\s*(?:备\s*注|注|说明)\s*[:：]|^\s*本(?:套报表|表)", line))
    return reader_is_note(line)


def is_title(line: str) -> bool:
    """Given a page line, return whether it is a table title (表 1, 表一：收支总表 …)."""
    try:
        from index.tables import parse_title
    except ImportError:
        return bool(TITLE_LINE.match(line))
    return parse_title(line) is not None


def clean_grid(cells: list[list[str | None]]) -> list[list[str]]:
    """Given pdfplumber's cells (None where merged), return the grid as text: merged positions as '',
    each cell's wrapped lines joined back."""
    grid = [[join_cell_lines((cell or "").split("\n")) for cell in row] for row in cells]
    return [row for row in grid if any(cell.strip() for cell in row)]


def join_cell_lines(lines: list[str]) -> str:
    """Given the lines of a wrapped cell, return its text: lines joined directly next to a full-width
    character, with one space between two narrow characters (the renderer breaks only there)."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if text and not is_wide(text[-1]) and not is_wide(line[0]):
            text += " "
        text += line
    return text


def is_wide(ch: str) -> bool:
    """Given a character, return whether it is a full-width (CJK) character."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def squash(text: str) -> str:
    """Given text, return it without any whitespace."""
    return re.sub(r"\s+", "", text)


def grid_to_text(lead: list[str], grid: list[list[str]], tail: list[str]) -> str:
    """Given title lines, a grid and note lines, return them as the text of a clean disclosure:
    title lines apart, then one tab-separated line per row, then the notes."""
    head = "\n\n".join(line.strip() for line in lead if line.strip())
    rows = "\n".join("\t".join(cell.replace("\t", " ") for cell in row) for row in grid)
    notes = "\n\n".join(line.strip() for line in tail if line.strip())
    return "\n\n".join(part for part in (head, rows, notes) if part) + "\n"


def read_as_text(page_number: int, lead: list[str], grid: list[list[str]], tail: list[str],
                 previous: TablePiece | None = None) -> TablePiece | None:
    """Given a table's title lines, grid and notes (and the piece it continues, when untitled),
    return the one piece the text reader makes of them (None when it does not make exactly one)."""
    try:
        from index.tables import text_to_pieces
    except ImportError:
        return None
    pieces = text_to_pieces(Page(number=page_number, text=grid_to_text(lead, grid, tail)), previous)
    if len(pieces) != 1:
        return None
    piece = pieces[0]
    piece.page, piece.span = page_number, None
    return piece


def continued_piece(page_number: int, grid: list[list[str]], tail: list[str], previous: TablePiece) -> TablePiece:
    """Given an untitled grid and notes and the piece it continues, return it as a piece of that table."""
    return TablePiece(title=previous.title, number=previous.number, name=previous.name,
                      department=previous.department, unit=previous.unit, header=[], body=grid,
                      page=page_number, notes=[line.strip() for line in tail if line.strip()])


def direct_piece(page_number: int, lead: list[str], grid: list[list[str]], tail: list[str]) -> TablePiece:
    """Given a table's title lines, grid and notes, return its piece read directly: the title from the
    表 N line and the name after it, 部门名称 and 单位 from their lines, the leading rows with no
    number as the header."""
    title_lines = [line.strip() for line in lead if line.strip() and not re.search(r"(?:部门|单位)名称|^单位", squash(line))]
    title = " ".join(title_lines[:2])
    match = re.match(r"^表\s*([\d一二三四五六七八九十]+)\s*[:：]?\s*(.*)$", title)
    number = chinese_number(match.group(1)) if match else None
    name = squash(match.group(2)) if match else squash(title)
    lead_text = " ".join(lead)
    department = re.search(r"(?:部门|单位)名称\s*[:：]\s*(\S+)", lead_text)
    unit = re.search(r"(?<!名称)单位\s*[:：]\s*(万元|元|千元|亿元)", lead_text)
    header_end = 0
    while header_end < len(grid) and not any(NUMBER_CELL.match(cell.strip()) for cell in grid[header_end]):
        header_end += 1
    if header_end == len(grid):
        header_end = min(1, len(grid))
    return TablePiece(title=title, number=number, name=name,
                      department=department.group(1) if department else None,
                      unit=unit.group(1) if unit else None,
                      header=grid[:header_end], body=grid[header_end:], page=page_number,
                      notes=[line.strip() for line in tail if line.strip()])


def chinese_number(text: str) -> int | None:
    """Given a table number as printed (7, 七, 十二), return it as an int."""
    if text.isdigit():
        return int(text)
    digits = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + digits.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return digits.get(tens, 0) * 10 + digits.get(ones, 0)
    return digits.get(text)
