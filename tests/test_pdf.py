"""The sample corpus rendered to PDF reads back like its text: same metadata, same characters,
ruled tables with merged headers, landscape pages for wide tables, and the same budget tables."""
from __future__ import annotations

import os
import re
import shutil
import time
from collections import Counter
from functools import lru_cache
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.tables.cells import join_cell_lines
from index.reading.load import load
from index.reading.meta import pages_to_meta
from index.model import Box, Grid, GridCell, Page, TextLine
from index.tables.build import pieces_to_tables
from index.tables.grid import band_texts, grid_columns, grid_to_bands, page_to_pieces, pdf_pages_to_pieces, split_grid
from index.tables.document import document_to_tables
from corpus.render import Span, header_spans, keep_column_edges, render_corpus, render_pdf, wrap_text

from expected_corpus import DATA, EXPECTED_META, STEMS

TITLE_LINE = re.compile(r"^表\s*[\d一二三四五六七八九十]+(?:\s|[:：]|$)")


def first_row(grid: Grid) -> list[str]:
    """Given a ruled grid, return the texts of its first row of cells."""
    return band_texts(grid_to_bands(grid)[0])


@lru_cache(maxsize=None)
def load_cached(path: Path):
    """Given a document path, return it loaded (once per session; PDF parsing is slow)."""
    return load(path)


def non_space(text: str) -> Counter:
    """Given text, return the multiset of its non-whitespace characters."""
    return Counter(ch for ch in text if not ch.isspace())


def page_footers(pdf_path: Path) -> list[str]:
    """Given a PDF, return the last text line of each page (the page-number footer)."""
    with pdfplumber.open(pdf_path) as pdf:
        return [(page.extract_text() or "").rstrip().split("\n")[-1].strip() for page in pdf.pages]


def page_sizes(pdf_path: Path) -> list[tuple[float, float]]:
    """Given a PDF, return each page's width and height."""
    with pdfplumber.open(pdf_path) as pdf:
        return [(float(page.width), float(page.height)) for page in pdf.pages]


# ---------------------------------------------------------------- pages, metadata, characters


@pytest.mark.parametrize("stem", STEMS)
def test_pages_numbered_consecutively(rendered_pdfs, stem):
    footers = page_footers(rendered_pdfs[stem])
    assert len(footers) > 1
    assert footers == [f"- {number} -" for number in range(1, len(footers) + 1)]
    doc = load_cached(rendered_pdfs[stem])
    assert [page.number for page in doc.pages] == list(range(1, len(footers) + 1))


@pytest.mark.parametrize("stem", STEMS)
def test_metadata_same_as_text(rendered_pdfs, stem):
    pdf, text = load_cached(rendered_pdfs[stem]), load_cached(DATA / f"{stem}.txt")
    assert pdf.kind == "pdf"
    got = (pdf.meta.district, pdf.meta.year, pdf.meta.department)
    assert got == (text.meta.district, text.meta.year, text.meta.department) == EXPECTED_META[stem]
    assert pages_to_meta(pdf.pages) == pdf.meta


@pytest.mark.parametrize("stem", STEMS)
def test_every_character_once(rendered_pdfs, stem):
    pdf, text = load_cached(rendered_pdfs[stem]), load_cached(DATA / f"{stem}.txt")
    pdf_chars, text_chars = non_space(pdf.text), non_space(text.text)
    assert not pdf_chars - text_chars, f"characters added: {dict(pdf_chars - text_chars)}"
    assert not text_chars - pdf_chars, f"characters lost: {dict(text_chars - pdf_chars)}"


def test_render_is_deterministic(rendered_pdfs, tmp_path):
    again = tmp_path / "again.pdf"
    render_pdf(DATA / "baoan-2023.txt", again)
    assert again.read_bytes() == rendered_pdfs["baoan-2023"].read_bytes()


def test_render_corpus_skips_fresh_pdfs(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(DATA / "baoan-2023.txt", source)
    (pdf,) = render_corpus(source, tmp_path / "out")
    future = time.time() + 3600
    os.utime(pdf, (future, future))
    render_corpus(source, tmp_path / "out")
    assert pdf.stat().st_mtime == pytest.approx(future)  # newer than source and renderer: kept
    os.utime(pdf, (1, 1))
    render_corpus(source, tmp_path / "out")
    assert pdf.stat().st_mtime > 1  # older: rendered again


# ---------------------------------------------------------------- ruled tables and page layout


@pytest.mark.parametrize("stem", STEMS)
def test_table_pages_have_ruled_tables(rendered_pdfs, stem):
    doc = load_cached(rendered_pdfs[stem])
    table_pages = [page for page in doc.pages if any(TITLE_LINE.match(line) for line in page.text.split("\n"))]
    assert table_pages
    for page in table_pages:
        assert page.grids, f"page {page.number} has a table title but no ruled table"


def test_wide_tables_on_landscape_pages(rendered_pdfs):
    landscape = 0
    for stem in STEMS:
        doc = load_cached(rendered_pdfs[stem])
        sizes = page_sizes(rendered_pdfs[stem])
        for page in doc.pages:
            widest = max((len(first_row(grid)) for grid in page.grids), default=0)
            width, height = sizes[page.number - 1]
            if widest > 7:
                assert width > height, f"{stem} page {page.number}: {widest} columns on a portrait page"
                landscape += 1
            if not page.grids:
                assert width < height, f"{stem} page {page.number}: a text page in landscape"
    assert landscape >= 5


def test_multi_level_header_is_merged(rendered_pdfs):
    doc = load(rendered_pdfs["yantian-2024"])
    grid = next(g for page in doc.pages for g in page.grids if first_row(g)[0] == "预算单位"
                and "本年收入" in first_row(g))
    split = split_grid(grid)
    columns = grid_columns(split.header, split.body)
    assert len([c for c in columns if c.path[0] == "本年收入"]) == 13  # 本年收入 spans 13 columns
    assert columns[0].path == ("预算单位",)  # 预算单位 spans the header rows, nothing below it


LONG_TABLE = """2024 年深圳市南山区某某局部门预算

目 录

一、文字部分

第一部分 部门概况

本部门预算为汇总预算。

二、表格部分

表 7

一般公共预算支出表（按功能分类）

部门名称：深圳市南山区某某局

单位：万元

预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出
深圳市南山区某某局\t\t\t{total}\t{total}\t0.00
{rows}
"""


def test_split_table_repeats_title_and_header(tmp_path):
    rows = "\n".join(f"\t{2010300 + i}\t第{i}项事务支出\t1.00\t1.00\t0.00" for i in range(1, 121))
    source = tmp_path / "nanshan-2024.txt"
    source.write_text(LONG_TABLE.format(total="120.00", rows=rows), encoding="utf-8")
    pdf_path = tmp_path / "nanshan-2024.pdf"
    render_pdf(source, pdf_path)
    doc = load(pdf_path)
    table_pages = [page for page in doc.pages if page.grids]
    assert len(table_pages) >= 2
    for page in table_pages:
        lines = page.text.split("\n")
        assert any(re.match(r"^表\s*7$", line.strip()) for line in lines)
        assert any("一般公共预算支出表（按功能分类）" in line for line in lines)
        assert first_row(page.grids[0]) == ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]

    tables = pieces_to_tables(doc.id, pdf_pages_to_pieces(doc.pages))
    assert len(tables) == 1
    assert len([row for row in tables[0].rows if row.code]) == 120


# ---------------------------------------------------------------- the same budget tables


def table_key(table) -> tuple:
    """Given a BudgetTable, return what must be equal between its PDF and text forms."""
    rows = tuple((row.kind, row.budget_unit, row.code, re.sub(r"\s+", "", row.label),
                  tuple(None if value is None else Decimal(value) for value in row.values))
                 for row in table.rows)
    columns = tuple(tuple(re.sub(r"\s+", "", part) for part in column) for column in table.columns)
    return table.kind, table.side, table.department, table.unit, columns, rows


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_tables_equal_text_tables(rendered_pdfs, stem):
    text_tables = document_to_tables(load_cached(DATA / f"{stem}.txt"))
    pdf_tables = document_to_tables(load_cached(rendered_pdfs[stem]))
    assert len(text_tables) >= 8 and sum(len(table.rows) for table in text_tables) >= 50
    assert [table_key(t) for t in pdf_tables] == [table_key(t) for t in text_tables]


# ---------------------------------------------------------------- the pieces


def test_header_spans_of_a_four_level_header():
    header = [
        ["预算单位", "收入总计", "本年收入", "", "", "", "", "上年结余"],
        ["", "", "财政拨款", "", "", "", "单位资金", ""],
        ["", "", "一般公共预算拨款", "", "", "政府性基金预算拨款", "", ""],
        ["", "", "小计", "基本支出拨款", "项目拨款", "", "", ""],
    ]
    spans = set(header_spans(header))
    assert Span(0, 0, 4, 1) in spans  # 预算单位 down all header rows
    assert Span(0, 2, 1, 5) in spans  # 本年收入 over its five columns
    assert Span(0, 7, 4, 1) in spans  # 上年结余 down
    assert Span(1, 2, 1, 4) in spans  # 财政拨款
    assert Span(1, 6, 3, 1) in spans  # 单位资金 down to the bottom row
    assert Span(2, 2, 1, 3) in spans  # 一般公共预算拨款
    assert Span(2, 5, 2, 1) in spans  # 政府性基金预算拨款 down one row
    assert Span(3, 2) in spans and Span(3, 4) in spans


def test_two_sided_header_merges_left():
    assert set(header_spans([["收 入", "", "支 出", ""], ["项目", "预算数", "项目", "预算数"]])) == {
        Span(0, 0, 1, 2), Span(0, 2, 1, 2), Span(1, 0), Span(1, 1), Span(1, 2), Span(1, 3)}


def test_body_merges_keep_every_column_visible():
    # one header row; both body rows merge their long text over the last two columns
    spans = [Span(0, 0), Span(0, 1), Span(0, 2, 1, 2), Span(1, 1, 1, 3), Span(2, 1, 1, 3)]
    kept = keep_column_edges(spans, header_rows=1, nrows=3, ncols=4)
    assert Span(0, 2, 1, 2) in kept  # header merges stay
    assert Span(1, 1, 1, 2) in kept and Span(2, 1, 1, 2) in kept  # column 3 starts in the body rows


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("政务服务数据（）、：2024年 ab.1,%-") + [" 2024 ", "12,345.67", "ICT"]),
                min_size=1, max_size=40),
       st.floats(min_value=20, max_value=200))
def test_wrapped_cell_text_joins_back(parts, width):
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    lines = wrap_text(text, width, 8)
    assert join_cell_lines(lines) == text


def ruled_grid(rows: list[list[str]], top: float, width: float = 60.0, height: float = 20.0) -> Grid:
    """Given rows of cell texts and where the grid's top is, return it as a ruled grid of equal cells."""
    cells = [GridCell(text, Box(50 + c * width, top + r * height, 50 + (c + 1) * width, top + (r + 1) * height))
             for r, row in enumerate(rows) for c, text in enumerate(row)]
    return Grid(Box(50, top, 50 + width * len(rows[0]), top + height * len(rows)), tuple(cells))


def text_lines(lines: list[tuple[str, float]]) -> list[TextLine]:
    """Given texts and their tops, return them as page lines."""
    return [TextLine(text, Box(50, top, 400, top + 10)) for text, top in lines]


def test_two_ruled_tables_on_one_page_get_their_own_titles():
    header = ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]
    first_rows = [header, ["深圳市南山区某某局", "", "", "0.00", "0.00", "0.00"]]
    second_rows = [header, ["深圳市南山区某某局", "", "", "1.00", "1.00", "0.00"]]
    lines = text_lines([("表 10", 40), ("政府性基金预算支出表", 55), ("部门名称：深圳市南山区某某局 单位：万元", 75),
                        ("注：本表本年无发生额。", 150),
                        ("表 11", 340), ("国有资本经营预算支出表", 355), ("部门名称：深圳市南山区某某局 单位：万元", 375)])
    page = Page(number=7, text="\n".join(line.text for line in lines), lines=lines,
                grids=[ruled_grid(first_rows, 100), ruled_grid(second_rows, 400)], width=595, height=842)
    (first, second), _ = page_to_pieces(page, None, None)
    assert (first.number, second.number) == (10, 11)
    assert (first.kind, second.kind) == ("政府性基金预算支出表", "国有资本经营预算支出表")
    assert first.department == second.department == "深圳市南山区某某局" and first.unit == "万元"
    assert first.notes and not second.notes
    assert first.header == [header] and [str(c) for c in second.body[0]] == second_rows[1]
    assert first.page == second.page == 7


def test_page_with_a_title_but_no_ruled_table_is_read_as_text():
    text = "表 10\n\n政府性基金预算支出表\n\n部门名称：深圳市南山区某某局\n\n单位：万元\n\n" \
           "预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出\n深圳市南山区某某局\t\t\t0.00\t0.00\t0.00\n"
    (piece,), _ = page_to_pieces(Page(number=4, text=text), None, None)
    assert piece.number == 10 and piece.page == 4 and piece.body[0][3] == "0.00"
