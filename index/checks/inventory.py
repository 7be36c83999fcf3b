"""What a reader of a disclosure gets from it: its tables as printed (kind, title, pages, unit, rows, figures),
and what could not be read (a ruled grid no table claims, a table title with no grid under it).
`qa index` prints it, the documents tab shows it, and it is stored with the document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.model import BudgetTable, Document
from index.reading.sections import TOC_TITLE, match_heading
from index.tables.cells import clean_text
from index.tables.grid import is_contents
from index.tables.kinds import is_collective
from index.tables.titles import looks_like_table_name, parse_title


PROSE_MARKS = re.compile(r"[，。；;,《》]")


@dataclass(frozen=True)
class TableEntry:
    """One printed table: the parts it was read into (side-by-side groups) counted once."""

    kind: str | None  # None: a table of no known kind, read generically
    title: str
    pages: tuple[int, ...]
    unit: str | None
    rows: int  # printed rows below the header
    figures: int  # cells that print a number
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Inventory:
    tables: tuple[TableEntry, ...]
    problems: tuple[str, ...]  # what could not be read, each naming its page


def document_to_inventory(doc: Document, tables: list[BudgetTable]) -> Inventory:
    """Given a document and its tables, return its inventory."""
    return Inventory(tuple(table_entries(tables)), tuple(unread_grids(doc, tables) + titles_without_grid(doc, tables)))


def table_entries(tables: list[BudgetTable]) -> list[TableEntry]:
    """Given a document's tables, return one entry per printed table, in order."""
    groups: dict[tuple, list[BudgetTable]] = {}
    for table in tables:
        groups.setdefault((table.kind, table.title, min(table.pages, default=0)), []).append(table)
    entries = []
    for (kind, title, _), parts in groups.items():
        pages = tuple(sorted({page for part in parts for page in part.pages}))
        rows = len({(row.page, row.line) for part in parts for row in part.rows if not row.repeated})
        figures = sum(1 for part in parts for row in part.rows for value in row.values if value is not None)
        notes = tuple(dict.fromkeys(note for part in parts for note in part.notes))
        entries.append(TableEntry(kind, title, pages, parts[0].unit, rows, figures, notes))
    return entries


def unread_grids(doc: Document, tables: list[BudgetTable]) -> list[str]:
    """Given a document and its tables, return a problem for each page with ruled cells holding text that no
    table was read from."""
    claimed = {page for table in tables for page in table.pages}
    return [f"第{page.number}页有表格线框内的文字，但未读出表格 / page {page.number}: ruled cells no table was read from"
            for page in doc.pages if page.number not in claimed
            and any(cell.text.strip() for grid in page.grids if not is_contents(grid) for cell in grid.cells)]


def titles_without_grid(doc: Document, tables: list[BudgetTable]) -> list[str]:
    """Given a document and its tables, return a problem for each table title printed on a page (outside a
    目录) where no table begins."""
    printed = {page for table in tables for page in table.pages}  # a title repeated on each page of its table
    problems = []
    for page in doc.pages:
        lines = page.prose.split("\n")
        if page.number in printed or any(TOC_TITLE.match(line.strip()) for line in lines):
            continue
        for line in lines:
            if PROSE_MARKS.search(line) or is_collective(line) or match_heading(clean_text(line)):
                continue  # a sentence that wraps at '…《财政拨款支出预算表'; '…公开报表', the name of a set of tables;
                # a section's heading ('第四部分 公开报表')
            parsed = parse_title(line)
            if (parsed and parsed.name) or looks_like_table_name(line) and len(line) <= 40:
                problems.append(f"第{page.number}页的表题「{line.strip()}」下没有读出表格 / page {page.number}: "
                                f"a table title with no table read under it")
    return problems
