"""Do a document's tables add up, whatever their layout?

    parent_sum_checks      a 科目 row = the sum of its child rows (201 = 20101 + 20103 + …), column by column
    total_sum_checks       a table's 合计 / 总计 row = the sum of its top-level 科目 rows
    unit_sum_checks        a 预算单位's total row = the sum of its top-level 科目 rows
    department_sum_checks  a department's total row = the sum of its 预算单位 rows
    sides_balance_checks   the 收入 and 支出 totals of a two-sided table (收支总表) agree
    same_item_checks       one item printed in two tables agrees: a 收支总表's expenditure by function and the
                           支出总表's 类 rows; the totals of the functional and economic tables
"""
from __future__ import annotations

import re
from collections import defaultdict

from index.checks.model import CheckResult, compare
from index.model import Fact
from common.printed import match_key

TOTAL_ROW = re.compile(r"(?:合计|总计)$")
ORDINAL = re.compile(r"^[一二三四五六七八九十]+、\s*")


def table_checks(doc_id: str, cells: list[Fact], department: str | None,
                 first_columns: dict[tuple, tuple[str, ...]]) -> list[CheckResult]:
    """Given a document's cell facts and each table's first value column (by table name and side), return
    every arithmetic check its tables allow."""
    return (parent_sum_checks(doc_id, cells) + total_sum_checks(doc_id, cells) + unit_sum_checks(doc_id, cells)
            + department_sum_checks(doc_id, cells, department) + sides_balance_checks(doc_id, cells)
            + same_item_checks(doc_id, cells, first_columns))


def group_cells(cells: list[Fact]) -> dict[tuple, list[Fact]]:
    """Given cell facts, return them grouped by table, side, 预算单位 and column."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in cells:
        groups[(fact.table_kind, fact.table_name, fact.table_side, fact.budget_unit, fact.column_path)].append(fact)
    return groups


def is_unit_total(fact: Fact) -> bool:
    """Given a cell fact, return whether it is on a 预算单位's own total row (numbered by the unit's code or not)."""
    return fact.budget_unit is not None and fact.row_name == fact.budget_unit


def subject_rows(group: list[Fact]) -> list[Fact]:
    """Given one column of a table, return its 科目 rows when they form a hierarchy of codes: not a 预算单位's
    row numbered by the unit's code, and none when a code stands on several rows (items listed under their
    科目, as a 政府采购表 prints them: no row is the sum of others by its code)."""
    rows = [f for f in group if f.row_code and f.row_name != f.budget_unit]
    codes = [f.row_code for f in rows]
    return rows if len(codes) == len(set(codes)) else []


def nearest_parent(code: str, codes) -> str | None:
    """Given a 科目编码 and the codes beside it, return the longest other code it extends, if any."""
    prefixes = [c for c in codes if c != code and code.startswith(c)]
    return max(prefixes, key=len) if prefixes else None


def parent_sum_checks(doc_id: str, cells: list[Fact]) -> list[CheckResult]:
    """Given cell facts, return for each subject row with children whether it equals their sum."""
    results = []
    for group in group_cells(cells).values():
        coded = {f.row_code: f for f in subject_rows(group)}
        children: dict[str, list[Fact]] = defaultdict(list)
        for code, fact in coded.items():
            parent = nearest_parent(code, coded)
            if parent:
                children[parent].append(fact)
        for code, kids in children.items():
            results.append(compare("parent_sum", doc_id, [coded[code]], kids))
    return results


def top_level(group: list[Fact]) -> list[Fact]:
    """Given one column of a table, return its 科目 rows that stand under no other 科目 row."""
    rows = subject_rows(group)
    codes = {f.row_code for f in rows}
    return [f for f in rows if nearest_parent(f.row_code, codes) is None]


def total_sum_checks(doc_id: str, cells: list[Fact]) -> list[CheckResult]:
    """Given cell facts, return for each table column with one 合计 / 总计 row and 科目 rows whether the total
    equals the sum of the top-level 科目 rows (a table of 预算单位 rows is checked by unit_sum_checks)."""
    results = []
    for group in group_cells(cells).values():
        totals = [f for f in group if f.row_code is None and TOTAL_ROW.search(match_key(f.row_name)) and not is_unit_total(f)]
        tops = top_level(group)
        if len(totals) == 1 and tops and not any(is_unit_total(f) for f in group):
            results.append(compare("total_sum", doc_id, totals, tops))
    return results


def unit_sum_checks(doc_id: str, cells: list[Fact]) -> list[CheckResult]:
    """Given cell facts, return for each 预算单位 total row whether it equals its top-level subjects."""
    results = []
    for group in group_cells(cells).values():
        totals = [f for f in group if is_unit_total(f)]
        tops = top_level(group)
        if len(totals) == 1 and tops:
            results.append(compare("unit_sum", doc_id, totals, tops))
    return results


def normalize_name(name: str | None) -> str:
    return re.sub(r"[\s()（）]", "", name or "")


def department_sum_checks(doc_id: str, cells: list[Fact], department: str | None) -> list[CheckResult]:
    """Given cell facts, return whether each department total row equals the sum of its 预算单位 rows."""
    if not department:
        return []
    results = []
    by_column: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in cells:
        if is_unit_total(fact):
            by_column[(fact.table_name, fact.table_side, fact.column_path, tuple(fact.row_path[1:]))].append(fact)
    for group in by_column.values():
        totals = [f for f in group if normalize_name(f.budget_unit) == normalize_name(department)]
        units = [f for f in group if f not in totals]
        if len(totals) == 1 and len(units) >= 2:
            results.append(compare("department_sum", doc_id, totals, units))
    return results


def side_of(fact: Fact) -> str:
    """Given a cell fact of a two-sided table, return its side: 收入 or 支出 ('支出/功能分类' is 支出)."""
    return (fact.table_side or "").split("/")[0]


def sides_balance_checks(doc_id: str, cells: list[Fact]) -> list[CheckResult]:
    """Given cell facts, return whether the 收入 and 支出 totals of each two-sided table agree (总计 with 总计;
    合计 with 合计 where a side prints no 总计)."""
    results = []
    for name in sorted({f.table_name or "" for f in cells if f.table_side}):
        sides = {side: [f for f in cells if f.table_name == name and side_of(f) == side and f.row_code is None]
                 for side in ("收入", "支出")}
        for total in ("总计", "合计"):
            income = [f for f in sides["收入"] if match_key(f.row_name).endswith(total)]
            spending = [f for f in sides["支出"] if match_key(f.row_name).endswith(total)]
            if len(income) == 1 and len(spending) == 1:
                results.append(compare("sides_balance", doc_id, income, spending))
                break
    return results


def same_item_checks(doc_id: str, cells: list[Fact], first_columns: dict[tuple, tuple[str, ...]]) -> list[CheckResult]:
    """Given cell facts, return whether an item printed in two tables agrees: each expenditure-by-function row
    of a 收支总表 ('八、社会保障和就业支出') with the 类 row of that name in the 支出总表 (both cover all funds),
    and each 预算单位 total of the functional table with the economic table's."""
    def first(fact: Fact) -> bool:  # the table's total (or only) column: 合计, 金额, 预算数, 决算数
        return fact.column_path == first_columns.get((fact.table_name, fact.table_side))

    results = []
    # a 支出总表 of 预算单位 blocks is read by block: a 类 row stands for a unit whose own total row is printed
    totals = {f.budget_unit for f in cells if f.table_kind == "支出总表" and is_unit_total(f)}
    by_class = {(match_key(f.row_name), f.budget_unit): f for f in cells
                if f.table_kind == "支出总表" and f.row_code and len(f.row_code) == 3 and first(f)
                and (not totals or f.budget_unit in totals)}
    for fact in cells:
        if fact.table_kind == "收支总表" and side_of(fact) == "支出" and fact.row_code is None and first(fact):
            other = by_class.get((match_key(ORDINAL.sub("", fact.row_name or "")), fact.budget_unit))
            if other is not None:
                results.append(compare("same_item", doc_id, [fact], [other]))
    economic = {(normalize_name(f.budget_unit), f.column_path[-1]): f for f in cells
                if f.table_kind == "一般公共预算支出经济分类表" and is_unit_total(f)}
    for fact in cells:
        if fact.table_kind == "一般公共预算支出表" and is_unit_total(fact):
            other = economic.get((normalize_name(fact.budget_unit), fact.column_path[-1]))
            if other is not None:
                results.append(compare("same_item", doc_id, [fact], [other]))
    return results
