"""Table pieces read from the ruled grids of a PDF's pages: each cell with its box, the header tree
from the cells' spans, body cells placed under the header column they stand in.

    pdf_pages_to_pieces(pages)        every page's pieces in order, continuations told apart
      page_to_pieces(page, previous)  one piece per grid (a page with a title but no grid: its text)
        ├ grid_to_bands(grid)         cells → rows of cells, top to bottom (a spanning cell in its first row)
        ├ split_grid(bands)           rows inside the rules that are title / 部门 / 单位 lines → header → body
        ├ grid_columns(header, body)  the columns the body's cells stand in, each with the path of the
        │                             header cells above it (merged cells give the tree)
        ├ body_to_cells(rows, cols)   each body cell under the column its box overlaps most
        └ grid_surroundings(…)        the title above the grid (or below it, or at the foot of the page
                                      before), 部门名称 / 单位 lines, notes under it

The positions pdfplumber gives its cells are not a column index: a Word table's borders are drawn
row by row, so the same column starts at a different x in different rows. Cells are placed by the
overlap of their boxes, never by their index in pdfplumber's rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.tables.cells import clean_text, is_real_number
from index.model import Box, CellText, Grid, GridCell, Page, TablePiece, TextLine
from common.printed import match_key
from index.reading.sections import match_heading
from index.tables.header import is_column_numbers
from index.tables.kinds import is_note, label_role, name_to_kind
from index.tables.text import text_to_pieces
from index.tables.titles import (department_in_name, is_preamble, looks_like_table_name, parse_title,
                                preamble_department, preamble_unit)

ROW_TOLERANCE = 2.0  # points: cells whose tops differ by less start the same row
MIN_COLUMN_WIDTH = 10.0  # points: an empty cell narrower than this is a rule's margin, not a column
FOOT_MARGIN = 0.18  # a table 'runs to the foot' of its page when less than this share of the page is below it
EMPTY_NOTE = re.compile(r"^(?:此表为空|本表为空|本表无数据|无数据|无)[。.]?$|为空表|无.*(?:收支|支出|收入|数据)")


@dataclass
class Column:
    """A leaf column of a grid's header: where it stands and the header cells above it, top down."""

    x0: float
    x1: float
    path: tuple[str, ...]

    @property
    def box(self) -> Box:
        return Box(self.x0, 0, self.x1, 0)


@dataclass
class GridPiece:
    """What a ruled grid holds, before the lines around it are read."""

    grid: Grid
    lead: list[str]  # title, 部门 or 单位 text printed inside the rules above the header
    header: list[list[GridCell]]  # header rows
    body: list[list[GridCell]]  # body rows


def pdf_pages_to_pieces(pages: list[Page]) -> list[TablePiece]:
    """Given a PDF's pages, return their table pieces in order; a grid at the top of a page with no title
    of its own continues the table the page before ended with."""
    pieces: list[TablePiece] = []
    previous: TablePiece | None = None
    pending_label: str | None = None  # a '公开04表' printed alone at the foot of the page before
    for page in pages:
        found, pending_label = page_to_pieces(page, previous, pending_label)
        pieces += found
        previous = found[-1] if found else (previous if not page_has_text(page) else None)
    return pieces


def page_has_text(page: Page) -> bool:
    """Given a page, return whether it prints anything (a blank page between two pages of a table does not
    end the table)."""
    return bool(page.text.strip())


def page_to_pieces(page: Page, previous: TablePiece | None, pending_label: str | None
                   ) -> tuple[list[TablePiece], str | None]:
    """Given a page, the last piece before it and a label left at the foot of the page before, return the
    page's pieces and a label left at its own foot. A page with a table title but no grid is read as text."""
    if not page.grids:
        if any(parse_title(line) or looks_like_table_name(line) for line in page.text.split("\n")):
            return [piece for piece in text_to_pieces(page) if piece.body], None
        return [], foot_label(page.lines)
    pieces: list[TablePiece] = []
    grids = sorted(page.grids, key=lambda grid: grid.box.top)
    for k, grid in enumerate(grids):
        above = grids[k - 1].box.bottom if k else 0.0
        below = grids[k + 1].box.top if k + 1 < len(grids) else page.height or float("inf")
        piece = grid_to_piece(page, grid, above, below, previous, pending_label if k == 0 else None)
        if piece is not None:
            pieces.append(piece)
            previous = piece
    last_bottom = grids[-1].box.bottom
    tail = [line for line in outside_lines(page, grids) if line.box.top >= last_bottom]
    return pieces, foot_label(tail)


def outside_lines(page: Page, grids: list[Grid]) -> list[TextLine]:
    """Given a page and its grids, return the page's lines that stand outside every grid."""
    return [line for line in page.lines if not any(line.box.inside(grid.box) for grid in grids)]


def foot_label(lines: list[TextLine]) -> str | None:
    """Given the lines at the end of a page, return a title label printed alone there ('公开04表'), whose
    table begins on the next page."""
    for line in reversed(lines):
        text = clean_text(line.text)
        if not text or re.fullmatch(r"[-—–\d\s]+", text):
            continue
        parsed = parse_title(text)
        return parsed.label if parsed and not parsed.name else None
    return None


# --------------------------------------------------------------------------- the grid


def grid_to_bands(grid: Grid) -> list[list[GridCell]]:
    """Given a grid, return its cells in rows, top to bottom, each row left to right; a cell spanning down
    stands in the row it starts in."""
    bands: list[list[GridCell]] = []
    for cell in sorted(grid.cells, key=lambda c: (c.box.top, c.box.x0)):
        if bands and abs(bands[-1][0].box.top - cell.box.top) < ROW_TOLERANCE:
            bands[-1].append(cell)
        else:
            bands.append([cell])
    return [sorted(band, key=lambda c: c.box.x0) for band in bands]


def band_texts(band: list[GridCell]) -> list[str]:
    """Given a row of cells, return the texts of its filled cells."""
    return [text for text in (clean_text(cell.text) for cell in band) if text]


def is_lead_band(band: list[GridCell]) -> bool:
    """Given a row of cells at the top of a grid, return whether it prints a title, 部门名称 or 单位 line
    inside the rules rather than column headers ('收支预算总表'; '部门： 南江省人民法院 … 单位：万元')."""
    texts = band_texts(band)
    if not texts:
        return True
    if all(is_preamble(text) for text in texts):
        return True
    return len(texts) == 1 and (parse_title(texts[0]) is not None or looks_like_table_name(texts[0]) or is_year_line(texts[0]))


def is_body_band(band: list[GridCell]) -> bool:
    """Given a row of cells, return whether it holds figures (a row of column numbers 1 2 3 … does not)."""
    texts = band_texts(band)
    numbers = [text for text in texts if is_real_number(text)]
    return bool(numbers) and not is_column_numbers(texts)


def is_label_band(band: list[GridCell], grid: Grid) -> bool:
    """Given a row of a grid without figures, return whether it may be a body row: a row label on the left
    (合计, a code, 此表为空) that is no column name, and cells of its own, left blank, over the right half."""
    filled = [cell for cell in band if clean_text(cell.text)]
    middle = (grid.box.x0 + grid.box.x1) / 2
    return bool(filled) and all(cell.box.x0 < middle for cell in filled) \
        and any(cell.box.x0 >= middle for cell in band) \
        and not any(label_role(clean_text(cell.text)) for cell in filled)


def split_grid(grid: Grid) -> GridPiece:
    """Given a grid, return its lead rows (title, 部门, 单位 inside the rules), header rows and body rows."""
    bands = grid_to_bands(grid)
    lead: list[str] = []
    while bands and is_lead_band(bands[0]) and not is_body_band(bands[0]):
        lead += band_texts(bands.pop(0))
    first_body = next((k for k, band in enumerate(bands) if is_body_band(band)), len(bands))
    # a row numbering the columns (栏次 1 2 3 …) names none of them
    header = [band for band in bands[:first_body] if not is_column_numbers(band_texts(band))]
    body = bands[first_body:]
    if header and not body:  # a table with no figures at all: its body is the rows of row labels at its foot
        first_body = len(header)
        while first_body > 1 and (is_label_band(header[first_body - 1], grid) or not band_texts(header[first_body - 1])):
            first_body -= 1
        header, body = header[:first_body], header[first_body:]
    if body:  # '类 款 项' under 科目编码 printed in the first row of figures (the 合计 row)
        parts = [cell for cell in body[0] if label_role(clean_text(cell.text)) == "code_part"]
        if len(parts) >= 2:
            header, body = header + [parts], [[c for c in body[0] if c not in parts]] + body[1:]
    return GridPiece(grid, lead, header, body)


def grid_columns(header: list[list[GridCell]], body: list[list[GridCell]]) -> list[Column]:
    """Given a grid's header and body rows, return its columns, left to right: where the body's cells stand
    (each filled cell that spans one column at most), with the path of the header cells above each
    column's middle; a header column with no figure below it (an empty table) is a column too."""
    columns = cell_columns([cell for band in body for cell in band
                            if clean_text(cell.text) or cell.box.width >= MIN_COLUMN_WIDTH])
    leaves = header_leaves(header)
    for leaf in leaves:
        if not any(leaf.box.x0 <= (c.x0 + c.x1) / 2 <= leaf.box.x1 for c in columns):
            columns.append(Column(leaf.box.x0, leaf.box.x1, ()))
    columns.sort(key=lambda c: c.x0)
    cells = [cell for band in header for cell in band if clean_text(cell.text)]
    for column in columns:
        middle = (column.x0 + column.x1) / 2
        above = sorted((c for c in cells if c.box.x0 - 1 <= middle <= c.box.x1 + 1), key=lambda c: c.box.top)
        column.path = tuple(dict.fromkeys(clean_text(c.text) for c in above))
    return columns


def cell_columns(cells: list[GridCell]) -> list[Column]:
    """Given the cells of a grid's body (filled, or wide enough to be a column of their own), return the
    columns they stand in: cells whose boxes overlap by more than half the narrower one share a column; a
    cell over two columns (a 合计 label across the code and name columns) makes none. Filled cells go
    first at equal width, narrow before wide: a blank cell of one column is a column before a filled one over two."""
    columns: list[Column] = []
    for cell in sorted(cells, key=lambda c: (c.box.width, not clean_text(c.text))):
        box = cell.box
        overlapping = [c for c in columns if box.x_overlap(c.box) > 0.5 * min(box.width, c.box.width)]
        if len(overlapping) > 1:
            continue
        if overlapping:
            column = overlapping[0]
            column.x0, column.x1 = min(column.x0, box.x0), max(column.x1, box.x1)
        else:
            columns.append(Column(box.x0, box.x1, ()))
    return sorted(columns, key=lambda c: c.x0)


def header_leaves(header: list[list[GridCell]]) -> list[GridCell]:
    """Given a grid's header rows, return its filled header cells with no filled header cell below them."""
    cells = [cell for band in header for cell in band if clean_text(cell.text)]
    return [cell for cell in cells if not any(
        other is not cell and other.box.top >= cell.box.bottom - ROW_TOLERANCE
        and other.box.x_overlap(cell.box) > 0.5 * min(other.box.width, cell.box.width) for other in cells)]


def best_column(box: Box, columns: list[Column]) -> int | None:
    """Given a cell's box and the columns, return the index of the column it overlaps most, if any."""
    overlaps = [(box.x_overlap(column.box), k) for k, column in enumerate(columns)]
    best = max(overlaps, default=(0.0, None))
    return best[1] if best[0] > 0 else None


def body_to_cells(body: list[list[GridCell]], columns: list[Column]) -> list[list[CellText | None]]:
    """Given body rows and the columns, return each row's cells by column: a cell's text (knowing its box)
    under the column it overlaps most, '' where the row has no cell, None where a label cell of a row above
    spans down over it. A label spanning several columns stands in the last label column it covers: it
    names the figures to its right ('合 计' over the code and name columns; '当年支出小计' across a
    收支总表's 支出 groups, its figure in the last group)."""
    labels = label_columns(body, columns)
    rows: list[list[CellText | None]] = []
    spanning: list[Box] = []  # boxes of cells reaching below the row they start in
    for band in body:
        top = min(cell.box.top for cell in band)
        spanning = [box for box in spanning if box.bottom > top + ROW_TOLERANCE]
        row: list[CellText | None] = [CellText("") for _ in columns]
        for k, column in enumerate(columns):
            if any(box.x_overlap(column.box) > 0.5 * column.box.width for box in spanning):
                row[k] = None
        for cell in band:
            text = clean_text(cell.text)
            k = best_column(cell.box, columns)
            covered = [j for j in covered_columns(cell.box, columns) if j in labels]
            if len(covered) > 1 and not is_real_number(text):
                k = covered[-1]
            if k is None:
                continue
            row[k] = CellText(text if not row[k] else f"{row[k]}{text}", cell.box)
            if cell.box.bottom > band_bottom(band) + ROW_TOLERANCE:
                spanning.append(cell.box)
        rows.append(row)
    return rows


def covered_columns(box: Box, columns: list[Column]) -> list[int]:
    """Given a cell's box and the columns, return the columns whose middle it covers."""
    return [k for k, column in enumerate(columns) if box.x0 - 1 <= (column.x0 + column.x1) / 2 <= box.x1 + 1]


def label_columns(body: list[list[GridCell]], columns: list[Column]) -> set[int]:
    """Given body rows and the columns, return the columns that label rows: named as label columns by their
    header, or holding text but no figure."""
    numbers: set[int] = set()
    texts: set[int] = set()
    for band in body:
        for cell in band:
            text = clean_text(cell.text)
            k = best_column(cell.box, columns)
            if text and k is not None and len(covered_columns(cell.box, columns)) <= 1:
                (numbers if is_real_number(text) else texts).add(k)
    named = {k for k, column in enumerate(columns) if any(label_role(name) for name in column.path)}
    return named | (texts - numbers)


def band_bottom(band: list[GridCell]) -> float:
    """Given a row of cells, return where the row ends: the lowest bottom of its cells that span no further
    than the row."""
    return min(cell.box.bottom for cell in band)


def columns_to_header(header: list[list[GridCell]], columns: list[Column]) -> list[list[str]]:
    """Given the header rows and the leaf columns, return the header as printed, one list of texts per header
    row under the columns (a merged cell in the first column it covers)."""
    grid = []
    for band in header:
        row = [""] * len(columns)
        for cell in band:
            covered = [k for k, column in enumerate(columns) if cell.box.x0 - 1 <= (column.x0 + column.x1) / 2 <= cell.box.x1 + 1]
            if covered:
                row[covered[0]] = CellText(clean_text(cell.text), cell.box)
        grid.append(row)
    return grid


def continued_columns(body: list[list[GridCell]], previous: TablePiece) -> list[Column]:
    """Given the body rows of a grid with no header and the piece it continues, return the grid's columns
    named as the continued table's: each by the column at the same place when the grids line up, else in
    order when there are as many."""
    own = grid_columns([], body)
    before = [Column(x0, x1, path) for (x0, x1), path in zip(previous.column_spans or [], previous.paths or [])]
    placed = [max(before, key=lambda b: b.box.x_overlap(c.box), default=None) for c in own]
    if all(b is not None and b.box.x_overlap(c.box) > 0.5 * min(b.box.width, c.box.width) for b, c in zip(placed, own)) \
            and len({id(b) for b in placed}) == len(own):
        return [Column(c.x0, c.x1, b.path) for c, b in zip(own, placed)]
    if len(own) == len(before):
        return [Column(c.x0, c.x1, b.path) for c, b in zip(own, before)]
    return [Column(c.x0, c.x1, b.path if b else ()) for c, b in zip(own, placed)]


# --------------------------------------------------------------------------- around the grid


@dataclass
class Surroundings:
    """The lines around a grid that belong to its table."""

    title: str  # as printed ('公开07表 一般公共预算支出预算表（功能科目）'), '' when none
    label: str | None
    number: int | None
    name: str
    department: str | None
    unit: str | None
    notes: list[str]
    heading: str = ""  # for a table with no title: the heading of the section it stands in


def heading_above(before: list[str]) -> str:
    """Given the lines above a grid that has no title (since the grid before it), return the nearest heading,
    without its ordinal ('二、部门决算单位构成' → 部门决算单位构成): it names the section, and so the table."""
    for text in reversed(before):
        found = match_heading(clean_text(text))
        if found and found.rest:
            return clean_text(found.rest)
    return ""


def grid_surroundings(lines: list[TextLine], lead: list[str], grid: Grid, above: float, below: float,
                      pending_label: str | None, title_below: bool) -> Surroundings:
    """Given the page's lines outside its grids, the title / 部门 / 单位 text inside the grid's rules, the
    grid, the room between the grids around it, a label left at the foot of the page before and whether a
    title under the grid may be its own, return the grid's title (above it or inside its rules; else, when
    allowed, just below it), its 部门名称 and 单位 (above it, or inside its rules), and its notes (under it)."""
    before = [line.text for line in lines if above - 1 <= line.box.bottom <= grid.box.top + 1]
    after = [line.text for line in lines if grid.box.bottom - 1 <= line.box.top < below]
    lead_lines = trailing_lead(before) + lead
    title_lines = [text for text in lead_lines if not is_preamble(text)]
    label, number, name = read_title(title_lines, pending_label)
    notes_from = 0
    if not name and after and title_below:  # the title printed below the table
        label, number, name = read_title(after[:1], None)
        notes_from = 1 if name else 0
    heading = "" if name else heading_above(before)
    notes = [clean_text(text) for text in after[notes_from:] if is_note(text) or EMPTY_NOTE.search(match_key(text))]
    department = next((d for text in lead_lines if (d := preamble_department(text))), None)
    unit = next((u for text in [*lead_lines, *after[:1]] if (u := preamble_unit(text))), None)
    title = " ".join(part for part in (label, name) if part)
    return Surroundings(title, label, number, name, department or department_in_name(name), unit, notes, heading)


TITLE_LINES = 3  # a table's name may wrap over this many lines


def trailing_lead(before: list[str]) -> list[str]:
    """Given the lines between the grid above (or the page top) and a grid, return those that belong to the
    grid: from its title on (the last title, its name wrapped over up to three lines, with a label line just
    before it), else its 部门 / 单位 lines just above it."""
    for k in range(len(before) - 1, -1, -1):
        for j in range(k, max(k - TITLE_LINES, -1), -1):
            joined = "".join(clean_text(text) for text in before[j:k + 1])
            if parse_title(joined) or looks_like_table_name(joined):
                start = j - 1 if j and (parsed := parse_title(before[j - 1])) and not parsed.name else j
                return before[start:]
        if not (is_preamble(before[k]) or is_year_line(before[k])):
            return before[k + 1:]
    return before


def read_title(lines: list[str], pending_label: str | None) -> tuple[str | None, int | None, str]:
    """Given a table's title lines (a label line such as '公开01表' and the name, or one line with both, the name
    maybe wrapped over lines) and a label left at the foot of the page before, return (label, number, name)."""
    label, number, names = pending_label, None, []
    if pending_label:
        number = parse_title(pending_label).number
    for text in lines:
        parsed = parse_title(text)
        if parsed:
            label, number = parsed.label, parsed.number
            if parsed.name:
                names.append(parsed.name)
        elif not is_year_line(text):  # '（2023年度）' under the name is no part of it
            names.append(clean_text(text))
    while names and not looks_like_table_name("".join(names)):
        names.pop(0)  # lines above the name that are none of it
    return label, number, "".join(names)


def is_year_line(text: str) -> bool:
    """Given a line by a table, return whether it only prints the year ('2024', '（2023年度）')."""
    return re.fullmatch(r"[(（]?\d{4}(?:年度?)?[)）]?", match_key(text)) is not None


# --------------------------------------------------------------------------- pieces


def is_contents(grid: Grid) -> bool:
    """Given a grid, return whether it lists tables rather than holds one: most of its rows name a table (its
    label '表3' or a title ending in 表), as a 目录 drawn with rules does."""
    bands = [band_texts(band) for band in grid_to_bands(grid)]
    naming = [texts for texts in bands if any(parse_title(text) or looks_like_table_name(text) for text in texts)]
    return len(bands) >= 3 and len(naming) > len(bands) / 2


def grid_to_piece(page: Page, grid: Grid, above: float, below: float, previous: TablePiece | None,
                  pending_label: str | None) -> TablePiece | None:
    """Given a page, one of its grids, the room between it and the grids around it, the piece before and a
    label left at the foot of the page before, return the grid's piece (None for a grid with no cells)."""
    if is_contents(grid):
        return None  # a list of the document's tables (a 目录 drawn as a grid) is no table
    split = split_grid(grid)
    lines = outside_lines(page, page.grids)
    first = min(page.grids, key=lambda g: g.box.top) is grid
    last = max(page.grids, key=lambda g: g.box.top) is grid
    may_continue = first and previous is not None and previous.page < page.number and previous.column_spans is not None
    if not (split.header or split.body) and not may_continue:
        return None  # rules with nothing in them, on their own
    # A title under a grid is its own only when no grid below claims it, and the grid does not go on with a
    # table from the page before (the title under it then belongs to the next page's table, or to nothing).
    around = grid_surroundings(lines, split.lead, grid, above, below, pending_label, last and not may_continue)
    continues = may_continue and continues_previous(around, split, previous)
    if continues:
        if not repeats_header(split.header, previous):  # rows without figures at the top are body rows
            split = GridPiece(split.grid, split.lead, [], split.header + split.body)
        columns = grid_columns(split.header, split.body) if split.header else continued_columns(split.body, previous)
        header = columns_to_header(split.header, columns)
        body = join_split_row(body_to_cells(split.body, columns), label_columns(split.body, columns), previous)
        return TablePiece(title=previous.title, number=previous.number, name=previous.name,
                          department=previous.department, unit=around.unit or previous.unit, header=header,
                          body=body, page=page.number, notes=around.notes,
                          kind=previous.kind, label=previous.label, continues=True,
                          paths=[c.path for c in columns], column_spans=[(c.x0, c.x1) for c in columns])
    columns = grid_columns(split.header, split.body)
    kind = name_to_kind(around.name, around.number)
    name = around.name or around.heading
    return TablePiece(title=around.title or name, number=around.number, name=name,
                      department=around.department, unit=around.unit,
                      header=columns_to_header(split.header, columns), body=body_to_cells(split.body, columns),
                      page=page.number, notes=around.notes, kind=kind.name if kind else None, label=around.label,
                      continues=False, paths=[c.path for c in columns], column_spans=[(c.x0, c.x1) for c in columns])


def join_split_row(body: list[list[CellText | None]], labels: set[int], previous: TablePiece
                   ) -> list[list[CellText | None]]:
    """Given the rows of a grid continuing a table, its label columns and the piece before, return the rows
    without a first row that only ends a label of the row before (a row broken by the page: '信息网络及软件购'
    above the break with its figure, '置更新' alone below it), whose text goes back to that row."""
    if not body or not previous.body or len(body[0]) != len(previous.body[-1]):
        return body
    first, last = body[0], previous.body[-1]
    filled = [k for k, cell in enumerate(first) if cell and clean_text(cell)]
    above = clean_text(last[filled[0]]) if len(filled) == 1 and last[filled[0]] else ""
    if len(filled) != 1 or filled[0] not in labels or not above or is_real_number(above):
        return body  # one label cell alone goes on the label above it; a row of labels is a row of its own
    if not any(cell and is_real_number(clean_text(cell)) for cell in last):
        return body  # the row above is not finished by its figures: this may be a heading of its own
    k = filled[0]
    last[k] = CellText(f"{last[k]}{first[k]}", last[k].box if isinstance(last[k], CellText) else None)
    return body[1:]


def continues_previous(around: Surroundings, split: GridPiece, previous: TablePiece) -> bool:
    """Given the first grid of a page, what is around it and the last piece of an earlier page, return whether
    the grid continues that piece: it has no title of its own, or it repeats that piece's title and header."""
    if not around.name:
        return True
    return match_key(around.name) == match_key(previous.name) and repeats_header(split.header, previous)


def repeats_header(header: list[list[GridCell]], previous: TablePiece) -> bool:
    """Given the rows without figures at the top of a grid and the piece it may continue, return whether they
    are that piece's header printed again (every text of them is one of its header's)."""
    printed = {match_key(text) for row in previous.header for text in row if text}
    texts = [match_key(text) for band in header for text in band_texts(band)]
    return bool(texts) and all(text in printed for text in texts)
