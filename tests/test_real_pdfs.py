"""The five real disclosures in data/real/ (public government publications, as published) read as a person
reads them: metadata, the table inventory, and cells read by hand from the rendered pages.

What is expected is in tests/real_pdfs/<file>.yaml, written by reading the page images, not from the
program's output. A cell names its table kind, page, row (label or code) and the header cells above it;
the reader must give exactly the figure as printed there.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from index.reading.load import load
from index.model import BudgetTable, TableRow
from common.printed import match_key
from index.facts.structure import document_to_structure
from index.tables.document import document_to_tables

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "data" / "real"
EXPECTED = Path(__file__).with_name("real_pdfs")
FILES = sorted(path.stem for path in EXPECTED.glob("*.yaml"))


@cache
def expected(stem: str) -> dict:
    return yaml.safe_load((EXPECTED / f"{stem}.yaml").read_text(encoding="utf-8"))


@cache
def read(stem: str):
    doc = load(REAL / f"{stem}.pdf")
    return doc, document_to_tables(doc)


def tables_of_kind(tables: list[BudgetTable], kind: str, title: str | None = None) -> list[BudgetTable]:
    """The parts of the tables of one kind ('其他' = of no known kind), narrowed by title when given."""
    found = [t for t in tables if (t.kind or "其他") == kind]
    if title:
        key = match_key(title.split("（")[0] if "（" in title and kind == "绩效目标表" else title)
        found = [t for t in found if key in match_key(t.title) or key in match_key(t.name)] or found
    return found


def full_column(table: BudgetTable, column: tuple[str, ...]) -> tuple[str, ...]:
    """A column's header cells from the top: the side-by-side group's own cells, then the column's."""
    side = tuple(table.side.split("/")) if table.side else ()
    return tuple(match_key(c) for c in (*side, *column))


def row_matches(row: TableRow, cell: dict, table: BudgetTable) -> bool:
    if cell.get("code"):
        if match_key(row.code or "") != match_key(str(cell["code"])):
            return False
        return not cell.get("row") or match_key(cell["row"]) in match_key(row.label) or \
            match_key(row.label) in match_key(cell["row"])
    if cell.get("row") is None:  # printed with no label: a table of values only names its row by its unit
        return not row.label or not table.label_columns
    # a row with several label cells (专项名称 | 经济科目 | 采购物品名称) is named by any of them
    return match_key(cell["row"]) in (match_key(row.label), *map(match_key, row.under))


def find_cell(tables: list[BudgetTable], cell: dict) -> list[str]:
    """Every printed cell the reader gives at the cell's table, page, row and column: a figure of a value
    column, or the text of a label column other than the row's name (序号, 备注)."""
    wanted = tuple(match_key(c) for c in cell.get("column") or [])
    found = []
    for table in tables_of_kind(tables, cell["table"], cell.get("title")):
        rows = [row for row in table.rows if row.page == cell["page"] and row_matches(row, cell, table)]
        for k, column in enumerate(table.columns):
            if not wanted or full_column(table, column) == wanted:
                found += [row.cells[k] if k < len(row.cells) else "" for row in rows]
        if wanted:  # text beside a row's labels, by its column's name ('部门预算支出经济科目编码/类' for a code part)
            found += [text for row in rows for name, text in row.extra.items() if match_key(name) == "/".join(wanted)]
            found += ["" for row in rows if match_key(wanted[0]) in map(match_key, table.label_columns)
                      and not any(match_key(name) == wanted[0] for name in row.extra)]
    return found


# A cell the reader is known to misread is expected to fail (strict: a reader that learns it must say so).
CELLS = [pytest.param(stem, k, marks=pytest.mark.xfail(strict=True, reason=cell["known_misread"]))
         if cell.get("known_misread") else (stem, k)
         for stem in FILES for k, cell in enumerate(expected(stem)["cells"])]


@pytest.mark.parametrize("stem", FILES)
def test_metadata(stem):
    doc, _ = read(stem)
    meta = expected(stem)["metadata"]
    assert doc.meta.region == tuple(meta["region"])
    assert doc.meta.department == meta["department"]
    assert doc.meta.year == meta["year"]
    assert doc.meta.kind == meta["kind"]
    assert doc.meta.parent == meta.get("parent")


def printed_tables(tables: list[BudgetTable]) -> dict[tuple, list[BudgetTable]]:
    """The tables as printed: the parts one was read into (side-by-side groups) together, by kind, title and
    first page (five forms may share one title)."""
    printed: dict[tuple, list[BudgetTable]] = {}
    for table in tables:
        printed.setdefault((table.kind or "其他", table.title, min(table.pages, default=0)), []).append(table)
    return printed


@pytest.mark.parametrize("stem", FILES)
def test_inventory_kinds_in_order(stem):
    _, tables = read(stem)
    assert [kind for kind, _, _ in printed_tables(tables)] == [table["kind"] for table in expected(stem)["tables"]]


@pytest.mark.parametrize("stem", FILES)
def test_inventory_pages_units_rows(stem):
    _, tables = read(stem)
    for ((kind, title, _), parts), table in zip(printed_tables(tables).items(), expected(stem)["tables"]):
        where = f"{kind} {title} (expected {table['title']})"
        got = (sorted({p for t in parts for p in t.pages}), parts[0].unit, len({(r.page, r.line) for t in parts for r in t.rows if not r.repeated}))
        assert got == (table["pages"], table["unit"], table["rows"]), where


NUMBERING = ("行次", "栏次", "序号")  # a row's or column's number: printed, never a figure


def is_numbering(cell: dict) -> bool:
    return any(match_key(word) in map(match_key, [cell.get("row") or "", *(cell.get("column") or [])]) for word in NUMBERING)


def figures_at(tables: list[BudgetTable], cell: dict) -> list[str]:
    """Every figure (a value column's cell that holds a number) the reader gives at the cell's page and row."""
    return [row.cells[k] for table in tables_of_kind(tables, cell["table"], cell.get("title"))
            for row in table.rows if row.page == cell["page"] and row_matches(row, cell, table)
            for k, value in enumerate(row.values) if value is not None and k < len(row.cells)]


@pytest.mark.parametrize("stem", FILES)
def test_inventory_raises_no_false_alarm(stem):
    """Every table the reader was shown was read: no 'title with no table' for a 目录's list of tables, a title
    repeated on the pages of its table, a part's heading ('第四部分 公开报表') or a grid that lists the tables."""
    from index.checks.inventory import document_to_inventory

    doc, tables = read(stem)
    assert document_to_inventory(doc, tables).problems == ()


@pytest.mark.parametrize("stem,k", CELLS)
def test_cell_read_by_hand(stem, k):
    _, tables = read(stem)
    cell = expected(stem)["cells"][k]
    if is_numbering(cell):  # 行次 / 栏次 / 序号 label rows and columns: no figure of the table
        assert str(cell["printed"]) not in figures_at(tables, cell), f"{cell}: a number of rows or columns read as a figure"
        return
    found = find_cell(tables, cell)
    assert str(cell["printed"]) in found, f"{cell}: reader gives {found}"


def test_a_disclosure_in_two_files_is_one_disclosure(tmp_path):
    """A department publishing its text part and its tables as two PDFs: both files say the same department,
    year and kind, and each fact cites its own file and page."""
    from pypdf import PdfReader, PdfWriter

    source = PdfReader(REAL / "shanghai-putuo-justice-2026-budget.pdf")
    parts = {"justice-text": range(0, 9), "justice-tables": range(9, len(source.pages))}
    docs = {}
    for name, pages in parts.items():
        writer = PdfWriter()
        for index in pages:
            writer.add_page(source.pages[index])
        writer.write(tmp_path / f"{name}.pdf")
        docs[name] = load(tmp_path / f"{name}.pdf")
    text, tables = docs["justice-text"], docs["justice-tables"]
    assert text.meta.disclosure == tables.meta.disclosure == ("上海市普陀区司法局", 2026, "部门预算")
    assert text.meta.region == tables.meta.region == ("上海市", "普陀区")
    table_facts = [f for f in document_to_structure(tables).facts if f.kind == "cell"]
    cell = next(f for f in table_facts if f.row_code == "2040699" and f.column_path[-1] == "合计"
                and f.table_kind == "一般公共预算支出表")
    assert (cell.doc_id, cell.page, cell.printed) == ("justice-tables", 6, "38454900.00")  # p15 of the whole file
    assert not [f for f in document_to_structure(text).facts if f.kind == "cell"]
