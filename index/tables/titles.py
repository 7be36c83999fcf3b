"""Table titles and the lines around them: '表 1 收支总表', '公开01表' over '收支预算总表',
'一、2017年度…部门收支预算总表', '2026年部门财务收支预算总表'; and the 部门名称 / 单位 / 年度 lines
between a title and its grid.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from index.tables.cells import clean_text
from index.reading.meta import organisation_in, words
from common.numbers import MONEY_UNITS
from common.printed import match_key
from index.tables.kinds import name_to_kind


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


# A title's number label: '表 7', '表一', '附表3-1', '公开07表' (the name may follow on the next line),
# or an ordinal before the name: '一、2017年度…部门收支预算总表', '1. 2023年部门财务收支预算总表'.
_NUMBERED = r"[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}"
_TITLE = re.compile(
    rf"^(?P<label>附?表\s*(?P<number>{_NUMBERED})(?:\s*[-－—–]\s*[0-9]{{1,2}}(?=\s|[:：]|$))?"
    rf"|公开\s*(?P<public>{_NUMBERED})\s*表)\s*(?:[:：、.．—-]\s*)?(?P<name>.*)$")
_ORDINAL_TITLE = re.compile(
    r"^(?P<label>(?P<number>[一二三四五六七八九十]{1,3})\s*、"
    r"|(?P<arabic>\d{1,2})\s*(?:[.．、](?!\d)|[.．](?=(?:19|20)\d\d\s*年)))\s*(?P<name>.+)$")


_DEPARTMENT_LINE = re.compile(r"(?:(?:部门|单位)(?:[(（]单位[)）])?名称|编制(?:部门|单位))\s*[:：]\s*(.*)$")


_UNIT_IN_LINE = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|亿元|千元|元|[\u4e00-\u9fff%]{1,3}(?=\s|$|[，,；;)）]))")


_UNIT_ALONE = re.compile(r"^(?:金额)?单位\s*[:：]?\s*$")


_YEAR_LINE = re.compile(r"^\d{4}\s*年度?$")


_ORG_PREFIX = re.compile(
    r"^([\u4e00-\u9fff]{1,8}?(?:省|市|区|县)[\u4e00-\u9fff（）()]*?(?:局|中心|委员会|办公室)(?:[（(]本级[)）])?)(?=\S*表)")


def chinese_numeral_to_int(text: str) -> int | None:
    """Given a small number in Chinese numerals or digits ('十二', '七', '12', '１２'), return it."""
    text = unicodedata.normalize("NFKC", text.strip())
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    value = (_CN_DIGITS.get(tens, 0) if tens else 1) * 10
    return value + (_CN_DIGITS.get(ones, 0) if ones else 0)


@dataclass(frozen=True)
class TitleText:
    """What a title line says: the number it prints, its label as printed and the name."""

    number: int | None
    label: str | None
    name: str


def parse_title(line: str) -> TitleText | None:
    """Given a line, return what it says if it is a numbered table title: '表 1', '表1 收支总表',
    '表一：收支总表', '表 11：', '公开01表' (name on the next line), '一、2017年度…收支预算总表',
    '1. 2023年部门财务收支预算总表'; else None. An ordinal title must end like a table name."""
    text = clean_text(line)
    found = _TITLE.match(text)
    if found:
        number = chinese_numeral_to_int(found.group("number") or found.group("public"))
        name = found.group("name").strip()
        if number is None or not 1 <= number <= 99 or (name and not looks_like_table_name(name)):
            return None
        return TitleText(number, found.group("label").strip(), name)
    found = _ORDINAL_TITLE.match(text)
    if found and looks_like_table_name(found.group("name")):
        number = chinese_numeral_to_int(found.group("number") or found.group("arabic"))
        return TitleText(number, found.group("label").strip(), found.group("name").strip())
    return None


def looks_like_table_name(text: str) -> bool:
    """Given a line, return whether it reads as a table's name ('…表', '…表（按功能分类）')."""
    key = match_key(text)
    return 2 <= len(key) <= 60 and bool(re.search(r"表(?:\([^)]*\))?$", key)) and not key.endswith("。")


def department_in_name(name: str) -> str | None:
    """Given a table name like '临海市东城区政务服务数据管理局整体支出绩效目标表', return the
    department it begins with, if any."""
    found = _ORG_PREFIX.match(clean_text(name))
    return found.group(1) if found else None


@dataclass
class Title:
    """A table title found in a page: where it stands and what it says."""

    start: int  # line index of the title
    end: int  # line index after the title (and its name line)
    number: int | None
    name: str
    text: str  # as printed, e.g. '表 1 收支总表'
    label: str | None = None  # the number label as printed, e.g. '表 1', '公开01表'


def find_titles(lines: list[str]) -> list[Title]:
    """Given a page's lines, return the table titles on it, in order.

    '表 N' with the name on the same line or on the next non-blank line; or a bare standard
    table name on its own line when a 部门名称/单位 line or a header follows closely.
    """
    titles: list[Title] = []
    i = 0
    while i < len(lines):
        parsed = parse_title(lines[i])
        if parsed:
            number, name = parsed.number, parsed.name
            text, end = " ".join(lines[i].split()), i + 1
            if not name:
                j = next_nonblank(lines, i + 1)
                if j is not None and j - i <= 3 and looks_like_table_name(lines[j]) \
                        and not _DEPARTMENT_LINE.search(lines[j]):
                    name, end = clean_text(lines[j]), j + 1
                    text = f"{text} {' '.join(lines[j].split())}"
            titles.append(Title(i, end, number, name, text, parsed.label))
            i = end
            continue
        if looks_like_table_name(lines[i]) and name_to_kind(lines[i]) and "\t" not in lines[i] \
                and table_follows(lines, i + 1):
            name = clean_text(lines[i])
            titles.append(Title(i, i + 1, None, name, name))
        i += 1
    return titles


def next_nonblank(lines: list[str], i: int) -> int | None:
    """Given lines and an index, return the index of the first non-blank line from there."""
    while i < len(lines):
        if lines[i].strip():
            return i
        i += 1
    return None


def table_follows(lines: list[str], i: int, within: int = 4) -> bool:
    """Given lines and an index, return whether a 部门名称 / 单位 / tabbed line follows closely."""
    seen = 0
    while i < len(lines) and seen < within:
        if lines[i].strip():
            seen += 1
            if _DEPARTMENT_LINE.search(lines[i]) or _UNIT_IN_LINE.search(lines[i]) or "\t" in lines[i]:
                return True
        i += 1
    return False


def preamble_department(text: str) -> str | None:
    """Given a line by a table, return the department its label names ('部门： 南江省人民法院 单位：万元',
    '编制部门：东海市临江区教育局'), or None when it is no such line."""
    found = words().department_line.search(clean_text(text))
    return organisation_in(found.group(1)) if found else None


def is_preamble(text: str) -> bool:
    """Given a line by a table, return whether it is a 部门 / 单位 line: a department label with its name or left
    blank ('单位名称：', '部门： 南江省人民法院'), or a unit line ('单位：万元')."""
    key = clean_text(text)
    return bool(preamble_department(key) or preamble_unit(key) or words().label_only.match(key))


def preamble_unit(text: str) -> str | None:
    """Given a line by a table, return the money unit it prints ('单位：万元', '单 位 ：元', '金额单位：万元')."""
    found = _UNIT_IN_LINE.search(clean_text(text))
    return found.group(1) if found and found.group(1) in MONEY_UNITS else None


@dataclass
class Preamble:
    department: str | None
    unit: str | None
    end: int  # index of the first line after the preamble


def read_preamble(lines: list[str], i: int, end: int) -> Preamble:
    """Given a page's lines and the line after a title, return the 部门名称, 单位 and 年度
    lines that follow it ('部门名称： X 单位：万元' on one line too) and where the header begins."""
    department = unit = None
    while i < end:
        line = lines[i]
        text = clean_text(line)
        if not text:
            i += 1
            continue
        if "\t" in line and len([c for c in line.split("\t") if c.strip()]) > 1:
            break
        dept = _DEPARTMENT_LINE.search(line)
        unit_found = _UNIT_IN_LINE.search(line)
        if dept:
            value = dept.group(1)
            value = _UNIT_IN_LINE.split(value)[0] if _UNIT_IN_LINE.search(value) else re.split(r"\s+单位\s*[:：]", value)[0]
            department = clean_text(value).rstrip("：:;；。.") or department
            unit = unit_found.group(1) if unit_found else unit
        elif unit_found and len(match_key(_UNIT_IN_LINE.sub("", text))) <= 8:
            unit = unit_found.group(1)
        elif _UNIT_ALONE.match(text):
            j = next_nonblank(lines, i + 1)
            if j is not None and j < end and clean_text(lines[j]) in ("万元", "元", "千元", "亿元"):
                unit, i = clean_text(lines[j]), j
        elif _YEAR_LINE.match(text) or re.fullmatch(r"\d{4}年度?", match_key(_UNIT_IN_LINE.sub("", text))):
            if unit_found:
                unit = unit_found.group(1)
        else:
            break
        i += 1
    return Preamble(department, unit, i)
