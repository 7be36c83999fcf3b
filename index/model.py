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
class Box:
    """A rectangle on a page, in PDF points from the top-left corner (pdfplumber's x0, top, x1, bottom)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def x_overlap(self, other: Box) -> float:
        return max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0))

    def y_overlap(self, other: Box) -> float:
        return max(0.0, min(self.bottom, other.bottom) - max(self.top, other.top))

    def inside(self, outer: Box, margin: float = 1.0) -> bool:
        """Whether this box's centre lies within ``outer`` (give or take ``margin`` points)."""
        x, y = (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2
        return outer.x0 - margin <= x <= outer.x1 + margin and outer.top - margin <= y <= outer.bottom + margin

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.top, other.top), max(self.x1, other.x1), max(self.bottom, other.bottom))


@dataclass(frozen=True)
class TextLine:
    """One line of a page's text as printed, and where it stands."""

    text: str
    box: Box


@dataclass(frozen=True)
class GridCell:
    """One cell of a ruled table as drawn: its text as printed (wrapped lines joined) and its box."""

    text: str
    box: Box


@dataclass(frozen=True)
class Grid:
    """A ruled table as drawn on one page: the box of its rules and every cell it draws."""

    box: Box
    cells: tuple[GridCell, ...]


@dataclass
class Page:
    number: int  # 1-based index of the page in its file
    text: str  # everything printed on the page, tables included
    lines: list[TextLine] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0

    @property
    def prose(self) -> str:
        """The page's text outside its ruled tables (a table's cells are read from its grid, never as
        sentences): all of it for a page with no grid."""
        if not self.grids:
            return self.text
        return "\n".join(line.text for line in self.lines if not any(line.box.inside(grid.box) for grid in self.grids))


DISCLOSURE_KINDS = ("部门预算", "单位预算", "部门决算", "单位决算")


@dataclass(frozen=True)
class DocumentMeta:
    """Who, where and when a disclosure is about, read from wherever it prints them (cover, title, 部门名称 lines
    by its tables, running heads, text).

    ``region`` is the chain of places the document names, top down (南江省; 东海市 › 临江区 ›
    石桥街道), or 中央 for a central unit; ``kind`` tells 预算 from 决算, which is part of a document's identity.
    """

    title: str | None = None
    region: tuple[str, ...] = ()
    year: int | None = None
    department: str | None = None
    kind: str | None = None  # one of DISCLOSURE_KINDS
    parent: str | None = None  # the national organ a central unit is directly under (a university's ministry)

    @property
    def district(self) -> str | None:
        """The county-level place of the region chain (a 区, 县 or 旗), if the document names one."""
        return next((place for place in reversed(self.region) if place.endswith(("区", "县", "旗"))), None)

    @property
    def disclosure(self) -> tuple | None:
        """What makes two files one disclosure (a text part and a tables part published apart): the same
        department, year and kind; None when the file does not say who and when it is about."""
        if not (self.department and self.year):
            return None
        return (self.department, self.year, self.kind)

    @property
    def is_final(self) -> bool:
        """Whether the disclosure reports final accounts (决算) rather than a budget."""
        return bool(self.kind and self.kind.endswith("决算"))


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


class CellText(str):
    """A cell's text that knows where the cell stands on its page: read from a ruled grid, it goes through
    the table builder as text and its box comes out on the fact."""

    box: Box | None = None

    def __new__(cls, text: str, box: Box | None = None):
        cell = super().__new__(cls, text)
        cell.box = box
        return cell


@dataclass
class TablePiece:
    """One page's piece of a table as printed, before pieces are joined and headers rebuilt.

    ``header`` is the header grid as printed: one list of cell texts per header row, a merged
    cell's text in its first position and '' in the positions it covers.
    """

    title: str  # as printed, e.g. '表 7 一般公共预算支出表（按功能分类）', '公开07表 一般公共预算支出预算表（功能科目）'
    number: int | None  # the number the title prints (表7 → 7, 公开07表 → 7, 一、 → 1)
    name: str  # the title without its number label
    department: str | None
    unit: str | None
    header: list[list[str]]
    body: list[list[str | None]]  # None: covered by a label cell spanning down from a row above
    page: int
    span: tuple[int, int] | None = None  # [start, end) line range of the piece in its page's text
    notes: list[str] = field(default_factory=list)
    kind: str | None = None  # the table's kind (table_kinds.yaml), None for a table of no known kind
    label: str | None = None  # the number label as printed: '表 7', '公开07表', '一、'
    continues: bool | None = None  # whether it continues the piece before, when its reader can tell
    paths: list[tuple[str, ...]] | None = None  # each column's header path, when the reader built the tree
    column_spans: list[tuple[float, float]] | None = None  # each column's x-extent on a ruled grid


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
    cells: list[str] = field(default_factory=list)  # each value cell as printed ('2,087,959.00', '0.00', '-', '')
    boxes: list[Box | None] = field(default_factory=list)  # where each value cell stands, when known
    repeated: bool = False  # a row printed again (a total above the rows of a page going on with the table)


@dataclass
class BudgetTable:
    """A budget table rebuilt as data, its page-broken pieces joined.

    ``columns`` holds one column path per value column, e.g.
    ('本年收入', '财政拨款', '一般公共预算拨款', '基本支出拨款').
    """

    doc_id: str
    kind: str | None  # e.g. 一般公共预算支出表 (table_kinds.yaml); None for a table of no known kind
    label: str | None  # the number label as printed ('表7', '公开07表', '一、'), if any
    name: str  # the title without its label, as printed, e.g. 一般公共预算支出表（按经济分类）
    title: str  # as printed
    department: str | None
    unit: str | None  # 万元 / 元
    label_columns: list[str]  # e.g. ['预算单位', '科目编码', '科目名称']
    columns: list[tuple[str, ...]]
    rows: list[TableRow]
    pages: list[int]
    side: str | None = None  # 收入 / 支出 for the halves of a two-sided table, or its column group
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
    year: int | None = None
    department: str | None = None
    printed: str = ""  # the figure exactly as printed ('2,087,959.00'); a citation shows this
    in_wan: Decimal | None = None  # a money figure in 万元, for comparing across tables and documents
    box: Box | None = None  # where it stands on the page (a cell's box, or its sentence's first line)
    # table cells
    budget_unit: str | None = None
    table_kind: str | None = None  # table_kinds.yaml
    table_label: str | None = None  # the table's number label as printed
    table_name: str | None = None  # the table's name as printed
    table_side: str | None = None  # 收入 / 支出 for the halves of a two-sided table, or its column group
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
    table_kind: str | None = None
    embed_text: str = ""  # what is embedded when it differs from text (a table's labels, not its numbers)



def fact_id(*parts: object) -> str:
    """Given the fields that place a fact, return a short id that stays the same across re-indexing."""
    key = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
