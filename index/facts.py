"""Budget tables → facts: one Fact per printed number, placed by table, 预算单位, row and column."""
from __future__ import annotations

from collections import Counter

from index.model import BudgetTable, Document, Fact, TableRow, fact_id


def tables_to_facts(doc: Document, tables: list[BudgetTable]) -> list[Fact]:
    """Given a document and its parsed tables, return a fact for every non-blank value cell."""
    facts: list[Fact] = []
    for table in tables:
        facts += table_to_facts(doc, table)
    return facts


def table_to_facts(doc: Document, table: BudgetTable) -> list[Fact]:
    """Given one table, return its cells as facts; ids stay stable while the table's content does."""
    seen: Counter[tuple] = Counter()
    facts = []
    for row in table.rows:
        path = row_to_path(table, row)
        place = (table.number, table.side, row.budget_unit, row.code or row.label, tuple(row.extra.values()))
        seen[place] += 1
        for column, value in zip(table.columns, row.values):
            if value is None:
                continue
            facts.append(Fact(
                id=fact_id(doc.id, *place, seen[place], "/".join(column)),
                doc_id=doc.id,
                kind="cell",
                value=value,
                unit=row.unit or table.unit,
                page=row.page,
                district=doc.meta.district,
                year=doc.meta.year,
                department=doc.meta.department,
                budget_unit=row.budget_unit,
                table_number=table.number,
                table_name=table.name,
                table_side=table.side,
                row_code=row.code,
                row_name=row.label,
                row_path=path,
                column_path=column,
            ))
    return facts


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
