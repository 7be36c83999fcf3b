"""Cells as printed: a cell's text without layout spaces, and whether it holds an amount.

A PDF lays Chinese out with spaces between characters ('收 入 总 计') and breaks cells over
lines; a cell reads as its characters joined. An amount is printed with or without thousands
separators ('24,169.74', '24169.74'), or as a blank marker ('-').
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from common.numbers import parse_number
from common.printed import match_key


_CJK = "\u2018-\u201f\u2026\u3000-\u303f\u3400-\u9fff\uff00-\uffef"


_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


_VALUE_TOKEN = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$|^[-—–－]{1,2}$")


_REAL_NUMBER = re.compile(r"\d")


_LEADING_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?:\s+(\d{2}))?(?:\s+(\d{2}))?\s*(\D.*)$")


def clean_text(text: str | None) -> str:
    """Given a cell or label as printed, return it without HTML tags and without the spaces
    and line breaks that PDF layout puts between Chinese characters ('收 入 总 计' → '收入总计')."""
    if not text:
        return ""
    text = _TAG.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return _SPACE_NEAR_CJK.sub("", text)


def is_value_token(token: str) -> bool:
    """Given one space-separated token of flattened text, return whether it is a printed amount
    (18,287.71, 0, -0.33, 28.5%, or a blank marker '-'), not a numbering like '1.' or a code."""
    return bool(_VALUE_TOKEN.match(match_key(token)))


def is_real_number(cell: str | None) -> bool:
    """Given a cell, return whether it holds a number with digits (blank markers do not count)."""
    if not cell or not _REAL_NUMBER.search(cell):
        return False
    try:
        return parse_number(match_key(cell)) is not None
    except ValueError:
        return False


def cell_value(cell: str | None) -> Decimal | None:
    """Given a value cell, return its Decimal (None for blank/'-'); raise ValueError for text."""
    return parse_number(match_key(cell) if cell else cell)


def is_blank_marker(cell: str) -> bool:
    """Given a cell, return whether it is a blank-cell marker such as '-' (not text)."""
    try:
        return cell_value(cell) is None
    except ValueError:
        return False


def printed_row(cells: list[str]) -> str:
    """Given a row's cells as printed, return the row as one line: cells tab-separated, the
    line breaks inside a cell and trailing blank cells dropped."""
    return "\t".join(" ".join((cell or "").split()) for cell in cells).rstrip("\t")


def join_cell_lines(lines: list[str]) -> str:
    """Given the lines of a wrapped cell, return its text: lines joined directly next to a full-width
    character, with one space between two narrow characters (a renderer breaks only there)."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if text and not is_wide(text[-1]) and not is_wide(line[0]):
            text += " "
        text += line
    return text


def is_wide(ch: str) -> bool:
    """Given a character, return whether it is a full-width (CJK) character."""
    return unicodedata.east_asian_width(ch) in ("W", "F")
