"""The typed objects that pass between pipeline stages.

load → Document(pages) → structure → Section tree, BudgetTable, Fact → index → answer.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class PdfTable:
    """A table as pdfplumber found it on one page: cell text (None where merged) and where it lies."""

    cells: list[list[str | None]]
    bbox: tuple[float, float, float, float]


@dataclass
class Page:
    number: int  # 1-based, as printed in the page footer of the source
    text: str
    tables: list[PdfTable] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentMeta:
    """Who and when a disclosure is about, read from its title and first pages."""

    title: str | None = None
    district: str | None = None  # e.g. 龙岗区
    year: int | None = None
    department: str | None = None  # e.g. 深圳市龙岗区政务服务数据管理局


@dataclass
class Document:
    id: str  # file stem, e.g. longgang-2024
    source: Path
    kind: Literal["pdf", "text"]
    pages: list[Page]
    meta: DocumentMeta
    sha256: str

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)


@dataclass
class Section:
    """A node of the section tree: 文字部分 › 第二部分 … › 一、 › （一） › 1. › （1）."""

    heading: str
    level: int  # 0 = document root
    path: tuple[str, ...]  # headings from the root down to and including this one
    text: str = ""
    first_page: int = 1
    last_page: int = 1
    children: list[Section] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class TablePiece:
    """One page's piece of a table as printed, before pieces are joined and headers rebuilt.

    ``header`` is the header grid as printed: one list of cell texts per header row, a merged
    cell's text in its first position and '' in the positions it covers.
    """

    title: str  # as printed, e.g. '表 7 一般公共预算支出表（按功能分类）'
    number: int | None  # standard table number when the title gives one
    name: str
    department: str | None
    unit: str | None
    header: list[list[str]]
    body: list[list[str]]
    page: int
    span: tuple[int, int] | None = None  # [start, end) line range of the piece in its page's text
    notes: list[str] = field(default_factory=list)


RowKind = Literal["unit", "subject", "named"]


@dataclass
class TableRow:
    """One row of a budget table.

    ``kind`` is ``unit`` for a 预算单位 row (a department or sub-unit with its totals),
    ``subject`` for a 科目编码 row, ``named`` for rows such as 本年收入合计.
    """

    kind: RowKind
    label: str  # the row name (科目名称, 预算单位, or the named row)
    values: list[Decimal | None]  # one per value column; None for a blank or '-' cell
    page: int
    code: str | None = None  # 科目编码
    budget_unit: str | None = None  # the 预算单位 this row belongs to
    parent_code: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # text columns other than label/code (e.g. 年度)
    printed: str = ""  # the printed row, cells tab-separated: both halves of a 收支总表 row hold the whole row
    line: int | None = None  # the printed row's place in its table; the halves of a 收支总表 row share it
    under: tuple[str, ...] = ()  # headings the row stands under that are no rows (绩效指标: 一级, 二级)
    unit: str | None = None  # the row's own unit where it has one (绩效指标值: 人, 个, %)


@dataclass
class BudgetTable:
    """A budget table rebuilt as data, its page-broken pieces joined.

    ``columns`` holds one column path per value column, e.g.
    ('本年收入', '财政拨款', '一般公共预算拨款', '基本支出拨款').
    """

    doc_id: str
    number: int  # standard table number 1..12 (0 when not a standard table)
    name: str  # e.g. 一般公共预算支出表（按经济分类）
    title: str  # as printed
    department: str | None
    unit: str | None  # 万元 / 元
    label_columns: list[str]  # e.g. ['预算单位', '科目编码', '科目名称']
    columns: list[tuple[str, ...]]
    rows: list[TableRow]
    pages: list[int]
    side: str | None = None  # 收入 / 支出 for the halves of a two-sided table
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Fact:
    """One number, where it stands, and a stable id a citation can point to."""

    id: str
    doc_id: str
    kind: Literal["cell", "text"]
    value: Decimal
    unit: str | None
    page: int
    district: str | None = None
    year: int | None = None
    department: str | None = None
    # table cells
    budget_unit: str | None = None
    table_number: int | None = None
    table_name: str | None = None
    table_side: str | None = None  # 收入 / 支出 for the halves of a two-sided table
    row_code: str | None = None
    row_name: str | None = None
    row_path: tuple[str, ...] = ()
    column_path: tuple[str, ...] = ()
    # text facts
    sentence: str | None = None
    section_path: tuple[str, ...] = ()
    subject: str | None = None  # what the text number is about, e.g. 部门预算收入


@dataclass
class Chunk:
    """A piece of a document that is embedded and searched: a section's text or a group of table rows."""

    id: str
    doc_id: str
    text: str
    kind: str  # section | table
    where: str  # section path or table title
    first_page: int
    last_page: int
    fact_ids: list[str] = field(default_factory=list)
    table_number: int | None = None
    embed_text: str = ""  # what is embedded when it differs from text (a table's labels, not its numbers)



def fact_id(*parts: object) -> str:
    """Given the fields that place a fact, return a short id that stays the same across re-indexing."""
    key = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
