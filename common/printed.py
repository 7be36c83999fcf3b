"""Text as printed: undo what PDF extraction does to characters, and the form names are compared in.

Some PDF producers (browsers printing with Noto CJK, some office suites) map common ideographs
to CJK radical code points: 支 extracts as ⽀ (U+2F40, Kangxi Radicals), 龙 as ⻰ (U+2EF0, CJK
Radicals Supplement), 户 as ⼾ (U+2F3E). The glyph on the page is the ideograph, so every radical
of those two blocks reads as the ideograph the Unicode Character Database names as its equivalent,
in its simplified form where Unihan gives one (radicals.tsv beside this module, written by
scripts/radical_table.py from EquivalentUnifiedIdeograph.txt and Unihan). NFKC alone maps only the
Kangxi block, and to traditional forms (⼾ → 戶).

``as_printed`` is applied to everything read from a page (text, cells, titles); ``match_key``
is the form two names are compared in (NFKC per character, no whitespace, no dot leaders).
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

RADICALS_FILE = Path(__file__).with_name("radicals.tsv")

# '24, 169.74' (a space after a thousands comma) → '24,169.74'
_SPACE_AFTER_THOUSANDS = re.compile(r"(?<=\d),\s+(?=\d{3}(?!\d))")
# dot leaders of a 目录 line: '……', '·····', '.....'
_LEADERS = re.compile(r"[.．。·•‧・…⋯]{3,}|…{2,}|⋯+")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@cache
def radical_table() -> dict[int, str]:
    """Given nothing, return the translation of every radical code point to the ideograph it prints."""
    table: dict[int, str] = {}
    for line in RADICALS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        radical, _, printed = line.split("\t")[:3]
        table[int(radical, 16)] = chr(int(printed.split("#")[0].strip(), 16))
    return table


def as_printed(text: str | None) -> str:
    """Given text as a PDF extracted it, return it as printed: radicals as their ideographs, no space
    after a thousands comma. Everything else (full-width punctuation, line breaks) stays."""
    if not text:
        return ""
    text = text.translate(radical_table())
    return _SPACE_AFTER_THOUSANDS.sub(",", text)


def nfkc_char(char: str) -> str:
    """Given one character, return its NFKC form when that is one character (（ → (, ０ → 0), else itself."""
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def match_key(text: str | None) -> str:
    """Given printed text, return the form names are compared in: as printed, NFKC per character (so
    full-width （：） become ASCII, one character each), without HTML tags, dot leaders or whitespace."""
    if not text:
        return ""
    text = _LEADERS.sub("", _TAG.sub("", as_printed(text)))
    return "".join(nfkc_char(c) for c in text if not c.isspace())


def strip_leaders(line: str) -> str:
    """Given a line of a 目录 ('一、部门主要职能 …………… 3'), return it without its dot leaders and page number."""
    return re.sub(r"\s*\d{1,3}\s*$", "", _LEADERS.sub(" ", line)).rstrip() if _LEADERS.search(line) else line


def in_order(part: str, whole: str) -> bool:
    """Given two strings, return whether part's characters stand in whole in that order (政数局 in 政务服务数据管理局)."""
    it = iter(whole)
    return all(ch in it for ch in part)
