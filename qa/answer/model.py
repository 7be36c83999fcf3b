"""What ``qa.query`` returns: an answer whose every figure carries its citation and its check."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

FigureStatus = Literal["已核实", "计算", "未核实", "文表不一致"]


class Citation(BaseModel):
    """Where a figure or statement stands: document, page, table or section, row and column, quoted."""

    n: int  # shown as [n] in the answer text
    doc_id: str
    page: int | None = None
    table_kind: str | None = None  # index/tables/table_kinds.yaml
    table_label: str | None = None  # the table's number label as printed ('表7', '公开07表')
    table_name: str | None = None  # the table's name as printed
    section_path: list[str] = Field(default_factory=list)
    budget_unit: str | None = None
    row: str | None = None
    column: str | None = None
    quote: str = ""  # the cell as printed, or the sentence
    fact_id: str | None = None

    def label(self) -> str:
        """Return the place in a person's words, e.g. 'longgang-2024 第12页 表8 … / 30227 委托业务费 / 项目支出'."""
        parts = [self.doc_id, f"第{self.page}页" if self.page else None]
        if self.table_name or self.table_kind:
            parts.append(self.table_title())
        elif self.section_path:
            parts.append(" / ".join(self.section_path))
        parts += [self.budget_unit, self.row, self.column]
        return " / ".join(p for p in parts if p)

    def table_title(self) -> str:
        """Return the cited table's title as printed: its label and name ('公开07表 一般公共预算支出预算表（功能科目）')."""
        return printed_title(self.table_label, self.table_name or self.table_kind or "")


def printed_title(label: str | None, name: str) -> str:
    """Given a table's number label and name as printed, return its title: the label before the name unless the
    name already holds it."""
    return f"{label} {name}" if label and label not in name else name


class Figure(BaseModel):
    """A number shown in the answer, with its unit, where it comes from, and whether it was checked."""

    text: str  # as shown, e.g. '18,287.71 万元'
    value: Decimal
    unit: str | None = None
    status: FigureStatus
    citations: list[int] = Field(default_factory=list)  # Citation.n values
    formula: str | None = None  # for 计算
    why: str | None = None  # for 未核实: why it is not confirmed, in words


class Discrepancy(BaseModel):
    """Two places in the documents that disagree about the asked figure."""

    subject: str
    figures: list[Figure]


class ComparedFigure(BaseModel):
    """One figure of a comparison or ranking, in the unit they are compared in: a bar of the chart beside the text."""

    label: str  # what tells it apart from the others (东城区, 2023年)
    value: Decimal
    unit: str | None = None
    citations: list[int] = Field(default_factory=list)


class Passage(BaseModel):
    """A retrieved chunk, as the retriever ranked it."""

    chunk_id: str
    doc_id: str
    text: str
    score: float = 0.0
    pages: str = ""
    where: str = ""  # section path or table title


class Answer(BaseModel):
    question: str
    text: str
    value: Decimal | None = None
    unit: str | None = None
    figures: list[Figure] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    discrepancies: list[Discrepancy] = Field(default_factory=list)
    compared: list[ComparedFigure] = Field(default_factory=list)  # a comparison's or ranking's figures, in order
    refused: bool = False
    reason: str | None = None
    passages: list[Passage] = Field(default_factory=list)
    engine: str = "extractive"
    timing_ms: dict[str, float] = Field(default_factory=dict)
    plan: dict | None = None  # how the question was read (qa.plan.model.QuestionPlan.describe)
