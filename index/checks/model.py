"""What a consistency check finds: two places of a document that should agree, and whether they do.

Each side names its place in the document's own words (table, 预算单位, row, column, page; or the section and
the sentence), so a finding can be read on the page. A difference no larger than the printing precision
allows is rounding (the documents warn of 尾数误差), not a disagreement.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from index.model import Fact

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a figure (None for a finding about what is printed, not a figure) and where."""

    value: Decimal | None
    fact_ids: tuple[str, ...]
    place: str  # e.g. '表7 一般公共预算支出表 / 201 一般公共服务支出 / 支出总计 (第12页)'


@dataclass(frozen=True)
class CheckResult:
    check: str  # parent_sum | total_sum | unit_sum | department_sum | sides_balance | same_item | text_vs_table |
    #             stated_rate | stated_share | stated_completion | stated_comparison | own_year | listed_table |
    #             empty_table_note | placeholder
    doc_id: str
    status: str  # passed | rounding | failed
    left: Side
    right: Side
    note: str = ""  # what the check found, in words, where figures alone do not say it

    @property
    def difference(self) -> Decimal:
        if self.left.value is None or self.right.value is None:
            return Decimal(0)
        return self.left.value - self.right.value


def compare(check: str, doc_id: str, left: list[Fact], right: list[Fact], left_place: str | None = None,
            right_place: str | None = None) -> CheckResult:
    """Given the facts on each side (a side's value is their sum, in 万元 when money, so 元 and 万元 tables
    compare), return the comparison's result."""
    left_side = facts_to_side(left, left_place)
    right_side = facts_to_side(right, right_place)
    difference = abs(left_side.value - right_side.value)
    tolerance = max(precision_of(left), precision_of(right), CENT * max(len(left), len(right)))
    return CheckResult(check, doc_id, status_of(difference, tolerance), left_side, right_side)


def status_of(difference: Decimal, tolerance: Decimal) -> str:
    """Given a difference and what printing may account for, return passed, rounding or failed."""
    return "passed" if difference == 0 else "rounding" if difference <= tolerance else "failed"


def comparable(fact: Fact) -> Decimal:
    """Given a fact, return the value checks compare: in 万元 for money, as printed otherwise."""
    return fact.in_wan if fact.in_wan is not None else fact.value


def precision_of(facts: list[Fact]) -> Decimal:
    """Given facts, return the coarsest printing step among them in the unit compared (1 for '12', 0.01 for
    '12.00' 万元, 0.000001 万元 for '12.00' 元)."""
    steps = []
    for fact in facts:
        step = Decimal(1).scaleb(min(fact.value.as_tuple().exponent, 0))
        if fact.in_wan is not None and fact.value:
            step = step * fact.in_wan / fact.value
        steps.append(step)
    return max(steps, default=CENT)


def facts_to_side(facts: list[Fact], place: str | None = None) -> Side:
    """Given facts, return their sum as one side, placed by the first fact (or by ``place``)."""
    return Side(sum((comparable(f) for f in facts), Decimal(0)), tuple(f.id for f in facts),
                place or (describe(facts[0]) + (f" 等{len(facts)}项之和" if len(facts) > 1 else "")))


def table_title(fact: Fact) -> str:
    """Given a cell fact, return its table's title as printed (label and name) and side."""
    title = f"{fact.table_label} {fact.table_name}" if fact.table_label and fact.table_label not in (fact.table_name or "") \
        else fact.table_name or fact.table_kind or ""
    return title + (f"（{fact.table_side}）" if fact.table_side else "")


def describe(fact: Fact) -> str:
    """Given a fact, return where it stands, in the words of the document, with the figure as printed."""
    if fact.kind == "text":
        return f"{' / '.join(fact.section_path)}：“{fact.sentence}” (第{fact.page}页)"
    row = f"{fact.row_code} {fact.row_name}" if fact.row_code else fact.row_name
    parts = [table_title(fact), fact.budget_unit if fact.budget_unit != fact.row_name else None, row,
             "/".join(fact.column_path)]
    unit = f" {fact.unit}" if fact.unit else ""
    return " / ".join(p for p in parts if p) + f" = {fact.printed or fact.value}{unit} (第{fact.page}页)"
