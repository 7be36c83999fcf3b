"""Consistency checks over a document's facts: do its tables add up, and does its text agree?

Checks: parent subject rows equal the sum of their children; a 预算单位's total equals the sum of
its top-level subjects; a department's total equals the sum of its 预算单位; 收入 and 支出 totals of
two-sided tables agree; the functional (表7) and economic (表8) tables agree; amounts the text
part names (人员支出, 公用经费, 项目支出 …) agree with the tables. A difference no larger than the
printing precision allows is reported as rounding (the documents warn of 尾数误差), not as real.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from index.model import Fact
from index.numbers import MONEY_UNITS, convert_money

LINKS_FILE = Path(__file__).with_name("text_table_links.yaml")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a figure and where it stands."""

    value: Decimal
    fact_ids: tuple[str, ...]
    place: str  # e.g. '表7 一般公共预算支出表 / <预算单位> / 201 一般公共服务支出 / 支出总计 (p.12)'


@dataclass(frozen=True)
class CheckResult:
    check: str  # parent_sum | unit_sum | department_sum | sides_balance | functional_vs_economic | text_vs_table
    doc_id: str
    status: str  # passed | rounding | failed
    left: Side
    right: Side

    @property
    def difference(self) -> Decimal:
        return self.left.value - self.right.value


def check_facts(doc_id: str, facts: list[Fact], department: str | None = None) -> list[CheckResult]:
    """Given all facts of one document, return the result of every consistency check that applies."""
    cells = [f for f in facts if f.kind == "cell"]
    return (parent_sum_checks(doc_id, cells) + unit_sum_checks(doc_id, cells)
            + department_sum_checks(doc_id, cells, department) + sides_balance_checks(doc_id, cells)
            + functional_vs_economic_checks(doc_id, cells)
            + text_vs_table_checks(doc_id, [f for f in facts if f.kind == "text"], cells, department))


def compare(check: str, doc_id: str, left: list[Fact], right: list[Fact], left_place: str | None = None) -> CheckResult:
    """Given the facts on each side (a side's value is their sum), return the comparison's result."""
    left_side = facts_to_side(left, left_place)
    right_side = facts_to_side(right)
    difference = abs(left_side.value - right_side.value)
    tolerance = max(precision_of(left) , precision_of(right), CENT * max(len(left), len(right)))
    status = "passed" if difference == 0 else "rounding" if difference <= tolerance else "failed"
    return CheckResult(check, doc_id, status, left_side, right_side)


def precision_of(facts: list[Fact]) -> Decimal:
    """Given facts, return the coarsest printing step among them (e.g. 1 for '12', 0.01 for '12.00')."""
    return max((Decimal(1).scaleb(min(f.value.as_tuple().exponent, 0)) for f in facts), default=CENT)


def facts_to_side(facts: list[Fact], place: str | None = None) -> Side:
    """Given facts, return their sum as one side, placed by the first fact (or by ``place``)."""
    return Side(sum((f.value for f in facts), Decimal(0)), tuple(f.id for f in facts),
                place or (describe(facts[0]) + (f" 等{len(facts)}项之和" if len(facts) > 1 else "")))


def describe(fact: Fact) -> str:
    """Given a fact, return where it stands, in the words of the document."""
    if fact.kind == "text":
        return f"{' / '.join(fact.section_path)}：“{fact.sentence}” (第{fact.page}页)"
    title = f"{fact.table_label} {fact.table_name}" if fact.table_label and fact.table_label not in (fact.table_name or "") \
        else fact.table_name
    table = f"{title}" + (f"（{fact.table_side}）" if fact.table_side else "")
    row = f"{fact.row_code} {fact.row_name}" if fact.row_code else fact.row_name
    parts = [table, fact.budget_unit if fact.budget_unit != fact.row_name else None, row, "/".join(fact.column_path)]
    return " / ".join(p for p in parts if p) + f" (第{fact.page}页)"


def group_cells(cells: list[Fact]) -> dict[tuple, list[Fact]]:
    """Given cell facts, return them grouped by table, side, 预算单位 and column."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in cells:
        groups[(fact.table_name, fact.table_side, fact.budget_unit, fact.column_path)].append(fact)
    return groups


def is_unit_total(fact: Fact) -> bool:
    """Given a cell fact, return whether it is on a 预算单位's own total row."""
    return fact.row_code is None and fact.budget_unit is not None and fact.row_name == fact.budget_unit


def parent_sum_checks(doc_id: str, cells: list[Fact]) -> list[CheckResult]:
    """Given cell facts, return for each subject row with children whether it equals their sum."""
    results = []
    for group in group_cells(cells).values():
        coded = {f.row_code: f for f in group if f.row_code}
        children: dict[str, list[Fact]] = defaultdict(list)
        for code, fact in coded.items():
            parent = nearest_parent(code, coded)
            if parent:
                children[parent].append(fact)
        for code, kids in children.items():
            results.append(compare("parent_sum", doc_id, [coded[code]], kids))
    return results


def nearest_parent(code: str, codes) -> str | None:
    """Given a 科目编码 and the codes beside it, return the longest other code it extends, if any."""
    prefixes = [c for c in codes if c != code and code.startswith(c)]
    return max(prefixes, key=len) if prefixes else None


def unit_sum_checks(doc_id: str, cells: list[Fact]) -> list[CheckResult]:
    """Given cell facts, return for each 预算单位 total row whether it equals its top-level subjects."""
    results = []
    for group in group_cells(cells).values():
        totals = [f for f in group if is_unit_total(f)]
        codes = {f.row_code for f in group if f.row_code}
        tops = [f for f in group if f.row_code and nearest_parent(f.row_code, codes) is None]
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


def sides_balance_checks(doc_id: str, cells: list[Fact]) -> list[CheckResult]:
    """Given cell facts, return whether the 收入 and 支出 totals of each two-sided table agree."""
    results = []
    for name in sorted({f.table_name for f in cells if f.table_side}):
        sides = {side: [f for f in cells if f.table_name == name and (f.table_side or "").split("/")[0] == side
                        and f.row_code is None] for side in ("收入", "支出")}
        for total in ("总计", "合计"):
            income = [f for f in sides["收入"] if re.sub(r"\s", "", f.row_name or "").endswith(total)]
            spending = [f for f in sides["支出"] if re.sub(r"\s", "", f.row_name or "").endswith(total)]
            if len(income) == 1 and len(spending) == 1:
                results.append(compare("sides_balance", doc_id, income, spending))
    return results


def functional_vs_economic_checks(doc_id: str, cells: list[Fact]) -> list[CheckResult]:
    """Given cell facts, return whether each 预算单位 total agrees between 表7 and 表8, column by column."""
    results = []
    economic = {(normalize_name(f.budget_unit), f.column_path[-1]): f for f in cells
                if f.table_kind == "一般公共预算支出经济分类表" and is_unit_total(f)}
    for fact in cells:
        if fact.table_kind == "一般公共预算支出表" and is_unit_total(fact):
            other = economic.get((normalize_name(fact.budget_unit), fact.column_path[-1]))
            if other is not None:
                results.append(compare("functional_vs_economic", doc_id, [fact], [other]))
    return results


@cache
def text_table_links() -> list[dict]:
    return yaml.safe_load(LINKS_FILE.read_text(encoding="utf-8"))


def text_vs_table_checks(doc_id: str, text_facts: list[Fact], cells: list[Fact], department: str | None) -> list[CheckResult]:
    """Given text and cell facts, return whether each amount the text names agrees with its table cell."""
    units = sorted({f.budget_unit for f in cells if f.budget_unit}, key=len, reverse=True)
    results = []
    for fact in text_facts:
        if fact.unit not in MONEY_UNITS or not fact.subject:
            continue
        link = next((l for l in text_table_links() if any(s in fact.subject for s in l["subject"])), None)
        if link is None:
            continue
        unit = text_fact_to_budget_unit(fact, units, department)
        cell = next((c for lookup in link["lookups"] if (c := lookup_cell(cells, lookup, unit))), None)
        if cell is not None:
            text_value = convert_money(fact.value, fact.unit, cell.unit if cell.unit in MONEY_UNITS else "万元")
            as_text = Fact(**{**fact.__dict__, "value": text_value})
            results.append(compare("text_vs_table", doc_id, [as_text], [cell]))
    return results


def text_fact_to_budget_unit(fact: Fact, units: list[str], department: str | None) -> str | None:
    """Given a text fact, return the 预算单位 it speaks of: named before it in its sentence, else in its section."""
    sentence = normalize_name((fact.sentence or "").split(fact.subject or "\0")[0] if fact.subject else fact.sentence)
    for text in (sentence, *map(normalize_name, reversed(fact.section_path))):
        named = [(text.rfind(normalize_name(u)), u) for u in units if normalize_name(u) in text]
        if named:
            return max(named)[1]
    return department


def lookup_cell(cells: list[Fact], lookup: dict, budget_unit: str | None) -> Fact | None:
    """Given cell facts and one lookup of text_table_links.yaml, return the cell it names, if present."""
    found = [f for f in cells if f.table_kind == lookup["kind"]
             and normalize_name(f.budget_unit) == normalize_name(budget_unit)
             and lookup.get("side") in (None, f.table_side)
             and lookup.get("column", f.column_path[-1] if f.column_path else None) in f.column_path]
    if "code" in lookup:
        found = [f for f in found if f.row_code == lookup["code"]]
    elif "row" in lookup:
        found = [f for f in found if re.sub(r"\s", "", f.row_name or "") == lookup["row"]]
    elif lookup.get("unit_row"):
        found = [f for f in found if is_unit_total(f)]
    return min(found, key=lambda f: len(f.column_path)) if found else None
