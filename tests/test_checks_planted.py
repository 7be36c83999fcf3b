"""The checks an auditor signs: each kind of error a reviewer plants into a copy of a real disclosure (the
edits made by this test, the way a third-party 预决算 checker tests itself) is found, named at both places, while
the published original yields only the findings it really has (tests/test_checks.py).

The copies: the Putuo finance bureau's 2024 决算 (data/real/, a public government publication), edited where the
rendered pages print the words changed; and, for a stated change, the Wanli street office's 2023 budget.
"""
from __future__ import annotations

from copy import deepcopy
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from index.checks.run import structure_to_checks
from index.facts.structure import document_to_structure
from index.model import Document, Grid, GridCell, TextLine
from index.reading.load import load

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
FINANCE = REAL / "shanghai-putuo-finance-2024-final.pdf"
STREET = REAL / "shanghai-putuo-wanli-street-2023-budget.pdf"


@cache
def original(path: Path) -> Document:
    return load(path)


def failed(doc: Document) -> set[tuple[str, str, str]]:
    return {(r.check, r.left.place, r.right.place) for r in structure_to_checks(document_to_structure(doc))
            if r.status == "failed"}


def with_text(doc: Document, old: str, new: str) -> Document:
    """A copy of the document with the first line printing ``old`` printing ``new`` there instead."""
    copy = deepcopy(doc)
    for page in copy.pages:
        for k, line in enumerate(page.lines):
            if old in line.text:
                page.lines[k] = TextLine(line.text.replace(old, new, 1), line.box)
                page.text = "\n".join(line.text for line in page.lines)
                return copy
    raise AssertionError(f"no line prints {old!r}")


def with_cells(doc: Document, page_number: int, change) -> Document:
    """A copy of the document with each ruled cell of one page rewritten by ``change`` (text → text)."""
    copy = deepcopy(doc)
    page = copy.pages[page_number - 1]
    page.grids = [Grid(grid.box, tuple(GridCell(change(cell.text), cell.box) for cell in grid.cells))
                  for grid in page.grids]
    return copy


def new_findings(planted: Document, path: Path) -> set[tuple[str, str, str]]:
    return failed(planted) - failed(original(path))


def test_a_table_the_contents_list_but_the_copy_leaves_out_is_found(tmp_path):
    reader, writer = PdfReader(FINANCE), PdfWriter()
    for index, page in enumerate(reader.pages):
        if index != 17:  # p18: 七、财政拨款“三公”经费支出决算表
            writer.add_page(page)
    writer.write(tmp_path / "finance.pdf")
    found = new_findings(load(tmp_path / "finance.pdf"), FINANCE)
    assert any(check == "listed_table" and "三公" in left for check, left, _ in found), found


@pytest.mark.parametrize("old,new,check,where", [
    # a heading printing another year than the disclosure's own (p21)
    ("第三部分上海市普陀区财政局2024年度部门决算情况", "第三部分上海市普陀区财政局2023年度部门决算情况", "own_year",
     "2023年度部门决算"),
    # a 截至 date in the wrong year for a 2024 决算 (p24)
    ("截至2024年12月31日", "截至2023年12月31日", "own_year", "截至2023年"),
    # a placeholder left in a heading (p21)
    ("第三部分上海市普陀区财政局2024年度部门决算情况", "第三部分XX局2024年度部门决算情况", "placeholder", "XX局"),
    # stated comparisons that contradict the figures before them (p21: 年初预算 2993.92, 决算 2940.05)
    ("决算数小于预算数的主要原因：因年度工作计划安排", "决算数大于预算数的主要原因：因年度工作计划安排",
     "stated_comparison", "大于"),
    ("决算数小于预算数的主要原因：因年度工作计划安排", "决算数等于预算数的主要原因：因年度工作计划安排",
     "stated_comparison", "等于"),
])
def test_a_planted_statement_is_found_at_its_place(old, new, check, where):
    doc = original(FINANCE)
    planted = with_text(doc, old, new)
    found = new_findings(planted, FINANCE)
    assert any(c == check and where in left + right for c, left, right in found), found


def test_a_planted_change_against_its_own_figures_is_found():
    # p8: 2022年当年预算执行数为104.25万元，2023年预算安排145.02万元，比2022年预算执行数增加39.11%
    planted = with_text(original(STREET), "比2022年预算执行数增加39.11%", "比2022年预算执行数减少39.11%")
    found = new_findings(planted, STREET)
    assert any(c == "stated_change" and "减少39.11%" in left for c, left, _ in found), found


def test_a_zero_total_is_found():
    # p10 支出决算表: the 合计 row's 本年支出合计 2,940.05 printed as 0.00
    planted = with_cells(original(FINANCE), 10, lambda text: "0.00" if text == "2,940.05" else text)
    found = new_findings(planted, FINANCE)
    assert any(c in ("total_sum", "sides_balance", "same_item") and "0.00" in left + right for c, left, right in found), found


def test_an_emptied_table_without_its_reason_is_found():
    # p18 财政拨款“三公”经费支出决算表: its two figures blanked, no 本表无数据 note added
    planted = with_cells(original(FINANCE), 18, lambda text: "" if any(ch.isdigit() for ch in text) else text)
    found = new_findings(planted, FINANCE)
    assert any(c == "empty_table_note" and "三公" in left for c, left, _ in found), found


def test_the_published_originals_yield_only_their_real_findings():
    """The copies are measured against these: nothing false on the originals (their real findings are listed and
    confirmed on the pages in tests/test_checks.py)."""
    from test_checks import REAL_FINDINGS, finding

    for path in (FINANCE, STREET):
        results = structure_to_checks(document_to_structure(original(path)))
        assert {finding(r) for r in results if r.status == "failed"} == REAL_FINDINGS[path.stem]
