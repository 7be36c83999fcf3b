"""Numbers as budget documents print them, read exactly as Decimal (never float).

Cells: ``18,287.71``, ``0``, ``-``, blank, ``29,760``, ``-0.33``, full-width digits.
Text: ``18,287.71 万元``, ``28.5%``, ``5 个``, ``1.2亿元``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

BLANK_CELLS = {"", "-", "—", "–", "--", "——", "/", "－"}

MONEY_UNITS = {"元": Decimal(1), "千元": Decimal(1_000), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
COUNT_UNITS = ("个", "人", "辆", "家", "项", "名", "次", "台", "套", "间", "处", "条", "份", "所", "件")
PERCENT_UNITS = ("%", "个百分点", "百分点")
_UNIT_PATTERN = "|".join(sorted([*MONEY_UNITS, *COUNT_UNITS, *PERCENT_UNITS], key=len, reverse=True))
_NUMBER = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?"
_QUANTITY = re.compile(rf"(?<!\d)(?<!\d[.,])({_NUMBER})\s*({_UNIT_PATTERN})?")


@dataclass(frozen=True)
class Quantity:
    """A number found in running text, with its unit and where it stands."""

    value: Decimal
    unit: str | None
    raw: str  # the number as printed
    start: int
    end: int


def normalize_digits(text: str) -> str:
    """Given text, return it with full-width digits, commas, signs and percent made ASCII."""
    return unicodedata.normalize("NFKC", text)


def parse_number(text: str | None) -> Decimal | None:
    """Given a table cell or printed number, return its Decimal value; None for a blank cell.

    Raises ValueError for text that is not a number.
    """
    if text is None:
        return None
    cleaned = normalize_digits(text).strip().replace(",", "").replace(" ", "")
    if cleaned in BLANK_CELLS:
        return None
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    cleaned = cleaned.strip("()")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", cleaned):
        raise ValueError(f"not a number: {text!r}")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - guarded by the pattern above
        raise ValueError(f"not a number: {text!r}") from error
    return -value if negative else value


def is_number(text: str | None) -> bool:
    """Given a cell, return whether it holds a number or a blank marker (so it is a value cell)."""
    try:
        parse_number(text)
    except ValueError:
        return False
    return True


def find_quantities(text: str) -> list[Quantity]:
    """Given running text, return every number in it with the unit printed after it, if any."""
    text = normalize_digits(text)
    found = []
    for match in _QUANTITY.finditer(text):
        raw, unit = match.group(1), match.group(2)
        found.append(Quantity(Decimal(raw.replace(",", "")), unit, raw, match.start(), match.end()))
    return found


def convert_money(value: Decimal, unit: str, to_unit: str) -> Decimal:
    """Given an amount in 元/万元/亿元, return it in ``to_unit``."""
    return value * MONEY_UNITS[unit] / MONEY_UNITS[to_unit]


def format_amount(value: Decimal, places: int = 2) -> str:
    """Given a Decimal, return it printed as the documents do: thousands separators, fixed places."""
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum):,.{places}f}"
