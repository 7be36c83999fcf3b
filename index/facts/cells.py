"""Budget tables → facts: one Fact per printed number, placed by table, 预算单位, row and column."""
from __future__ import annotations

from decimal import Decimal

from index.model import BudgetTable, Document, Fact, TableRow
from index.tables.kinds import is_count_column
from common.numbers import MONEY_UNITS, convert_money


def tables_to_facts(doc: Document, tables: list[BudgetTable]) -> list[Fact]:
    """Given a document and its parsed tables, return a fact for every non-blank value cell."""
    facts: list[Fact] = []
    for table in tables:
        facts += table_to_facts(doc, table)
    return facts


def table_to_facts(doc: Document, table: BudgetTable) -> list[Fact]:
    """Given one table, return its number cells as facts (blank and '-' cells give none), ids still to be given
    (facts.structure.number_facts). Each keeps its figure as printed and, for money, its value in 万元; a column
    that counts things (数量) is no money whatever the table's unit."""
    facts = []
    for row in table.rows:
        path = row_to_path(table, row)
        for k, (column, value) in enumerate(zip(table.columns, row.values)):
            if value is None:
                continue
            unit = None if is_count_column(column) else row.unit or table.unit
            facts.append(Fact(
                id="",
                doc_id=doc.id,
                kind="cell",
                value=value,
                unit=unit,
                page=row.page,
                year=doc.meta.year,
                department=doc.meta.department,
                printed=row.cells[k] if k < len(row.cells) else str(value),
                in_wan=in_wan(value, unit),
                box=row.boxes[k] if k < len(row.boxes) else None,
                budget_unit=row.budget_unit,
                table_kind=table.kind,
                table_label=table.label,
                table_name=table.name,
                table_side=table.side,
                row_code=row.code,
                row_name=row.label,
                row_path=path,
                column_path=column,
            ))
    return facts


def in_wan(value: Decimal, unit: str | None) -> Decimal | None:
    """Given an amount and its unit, return it in 万元 (None for a figure that is not money)."""
    return convert_money(value, unit, "万元") if unit in MONEY_UNITS else None


def row_to_path(table: BudgetTable, row: TableRow) -> tuple[str, ...]:
    """Given a row, return the names of its ancestors down to itself (预算单位, the headings it
    stands under such as 一级/二级指标, parent subjects), then its other label cells (e.g. 年度
    2024年 in the 三公经费 table, 目标值 ≥26人 of a 绩效指标)."""
    by_code = {(r.budget_unit, r.code): r for r in table.rows if r.code}
    chain: list[str] = []
    current = row
    while current is not None:
        chain.append(f"{current.code} {current.label}" if current.code else current.label)
        current = by_code.get((row.budget_unit, current.parent_code)) if current.parent_code else None
    head = (row.budget_unit,) if row.budget_unit and row.kind != "unit" else ()
    return head + row.under + tuple(reversed(chain)) + tuple(value for value in row.extra.values() if value)
