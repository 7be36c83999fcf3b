"""Check every number in an answer against the facts: a figure is shown as confirmed only when
a cited table cell or text fact says it and that fact is the asked item itself (qa.execute.lookup.answers_asked),
or when code computed it from such facts. A figure a cited place says that is not the asked item keeps its
citation and is 未核实: it stands in the document, but nothing confirms it answers the question.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from index.model import Fact
from common.numbers import MONEY_UNITS, Quantity, find_quantities
from index.facts.text import resolve_unit
from qa.answer.model import Figure
from qa.answer.wording import templates

_CITATION_MARK = re.compile(r"\[(\d+)\]")
_YEAR_UNITS = ("年", "年度")
_STRAY_SEPARATOR = re.compile(r"(?<!\d)[.,](?=\d)")


def _same_length_nfkc(text: str) -> str:
    """Given text, return it NFKC-normalized one character at a time, keeping every position:
    full-width digits and signs become ASCII; a character whose normal form is longer ('…' → '...',
    '⑴' → '(1)') or a digit that is not one ('①' → '1', '²' → '2') becomes a space, so figures next to
    it are neither lost nor glued to it, and positions found in the result hold in the original."""
    out = []
    for char in text:
        normal = unicodedata.normalize("NFKC", char)
        keep = len(normal) == 1 and not unicodedata.combining(normal) and (char.isdecimal() or not normal.isdecimal())
        out.append(normal if keep else " ")
    return "".join(out)


@dataclass(frozen=True)
class Computed:
    """A figure computed by code from cited facts, with the formula that shows how."""

    value: Decimal
    unit: str | None
    formula: str
    citations: tuple[int, ...]
    confirmed: bool = True  # every fact it was computed from is the asked item


def answer_quantities(text: str) -> list[Quantity]:
    """Given an answer's text, return the figures in it, leaving out citation marks, years and list numbers."""
    masked = _CITATION_MARK.sub(lambda m: " " * len(m.group(0)), _same_length_nfkc(text))
    # a comma or point that follows no digit separates, it is no part of the number after it: without this
    # '3.30 万元，12 万元' (the '，' is ',' in NFKC) loses its 12, which find_quantities reads as the tail of '…,12'
    masked = _STRAY_SEPARATOR.sub(" ", masked)
    found = []
    for quantity in find_quantities(masked):
        # the unit as text facts read it: '5 台(套)', '12 个月', '3 篇', '1.2 万人次' and not '3 人员'
        number_end = quantity.start + len(quantity.raw)
        unit = resolve_unit(masked, Quantity(quantity.value, None, quantity.raw, quantity.start, number_end))
        quantity = Quantity(quantity.value, unit.unit, quantity.raw, quantity.start, unit.unit_end)
        after = masked[quantity.end:quantity.end + 2]
        if quantity.unit is None and (after.startswith(_YEAR_UNITS) or "." not in quantity.raw and len(quantity.raw) <= 2
                                      and quantity.value < 13):
            continue  # 2024年, list numbers 1. 2., and similar non-figures
        if quantity.unit is None and re.fullmatch(r"(19|20)\d{2}", quantity.raw):
            continue
        if masked[:quantity.start].rstrip().endswith("×") and quantity.value == 100 and quantity.unit == "%":
            continue  # the '× 100%' of a share's formula is no figure
        found.append(quantity)
    return found


def unconfirmed() -> dict[str, str]:
    """Why a figure is 未核实, in words shown beside it (prompts/wording.yaml)."""
    return templates()["unconfirmed"]


def same_amount(value: Decimal, unit: str | None, fact_value: Decimal, fact_unit: str | None) -> bool:
    """Given a figure and a fact, return whether they state the same amount (元/万元/亿元 converted; an amount
    per head, 元/人, as its amount's unit, which the text reads the same)."""
    fact_unit = fact_unit.split("/")[0] if fact_unit else fact_unit
    if unit in MONEY_UNITS and fact_unit in MONEY_UNITS:
        return value * MONEY_UNITS[unit] == fact_value * MONEY_UNITS[fact_unit]
    if unit is None or fact_unit is None:
        return value == fact_value
    return unit == fact_unit and value == fact_value


def verify_figures(text: str, facts: list[tuple[int, Fact]], computed: list[Computed],
                   confirmed: set[str] | None = None) -> list[Figure]:
    """Given an answer's text, the cited facts (with their citation numbers), computed figures and the ids of
    the facts that are the asked item (None: every cited fact is), return every figure in the text with its
    status: 已核实, 计算 or 未核实.
    """
    figures = []
    for quantity in answer_quantities(text):
        shown = text[quantity.start:quantity.end]
        matching = [(n, fact) for n, fact in facts if same_amount(quantity.value, quantity.unit, fact.value, fact.unit)]
        cited = sorted({n for n, _ in matching})
        match = next((c for c in computed if same_amount(quantity.value, quantity.unit, c.value, c.unit)), None)
        if matching and (confirmed is None or any(fact.id in confirmed for _, fact in matching)):
            figures.append(Figure(text=shown, value=quantity.value, unit=quantity.unit, status="已核实", citations=cited))
        elif match is not None:
            figures.append(Figure(text=shown, value=quantity.value, unit=quantity.unit,
                                  status="计算" if match.confirmed else "未核实",
                                  citations=list(match.citations), formula=match.formula,
                                  why=None if match.confirmed else unconfirmed()["computed"]))
        else:
            figures.append(Figure(text=shown, value=quantity.value, unit=quantity.unit, status="未核实", citations=cited,
                                  why=unconfirmed()["not_asked" if matching else "not_printed"]))
    return figures
