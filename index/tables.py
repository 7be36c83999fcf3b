"""Budget tables read from a disclosure's pages: page text → table pieces → BudgetTables.

The chain, each step a small function documented "Given X, return Y":

    text_to_pieces(page)             find each table piece on a page: title, 部门名称, 单位, header
                                     grid, body rows, notes, line span
      ├ find_titles(lines)           title lines in all spellings (表 1 / 表一：收支总表 / 表 11： …)
      ├ read_preamble(lines, i)      部门名称 / 单位 / 年度 lines between a title and its header
      ├ tab_region_to_rows(…)        tab-separated text: rows of cells as printed
      └ raw_region_to_rows(…)        space-flattened PDF text: cells rebuilt from number patterns
            ├ split_raw_line(line)   label text and trailing value tokens of one line
            ├ match_header_tree(…)   the standard header tree (standard_tables.yaml) → column paths
            └ tree_to_grid(…)        column paths → a header grid with merged cells left blank
    pieces_to_tables(doc_id, pieces) join page-broken pieces, header grid → column paths, rows
      ├ group_pieces(pieces)         consecutive pieces of one table
      ├ header_to_paths(grid)        merged cells filled right (within their parent) and down
      ├ column_roles(paths, body)    label columns (预算单位, 科目编码, 科目名称, 年度 …) vs values
      ├ body_to_rows(…)              unit / subject / named rows, budget_unit, parent_code
      ├ two_sided_tables(…)          收支总表 and 财政拨款收支总表 as a 收入 and a 支出 table
      └ performance_tables(…)        绩效目标表: its budget amounts, and its 三级指标 with their 目标值
    document_to_tables(doc)          pages → pieces → tables (PDF pieces from index.pdf_tables)

What is known about the standard tables (names, label columns, header trees) lives in
``standard_tables.yaml``, not in code.  Tables that match nothing there are read generically:
number 0, header = leading rows without numbers, label columns = leading text columns.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from index.model import BudgetTable, Document, Page, TablePiece, TableRow
from index.numbers import parse_number

KNOWLEDGE_FILE = Path(__file__).with_name("standard_tables.yaml")

# --------------------------------------------------------------------------- knowledge


@dataclass
class HeaderNode:
    """One header cell of a standard table: its spellings and its sub-columns."""

    name: str  # canonical spelling
    spellings: list[str]  # literal spellings, matched after normalisation
    patterns: list[re.Pattern]  # regular-expression spellings
    children: list[HeaderNode] = field(default_factory=list)


@dataclass
class IndicatorWords:
    """What standard_tables.yaml says about a 绩效目标表's indicator part."""

    labels: list[str]  # 一级指标, 二级指标, 三级指标
    column: str  # 目标值
    header: re.Pattern  # the row the part begins with
    column_words: re.Pattern  # cells that only name the columns
    first_level: re.Pattern  # 一级指标 names
    second_level: re.Pattern  # 二级指标 names
    sign: re.Pattern  # a comparison sign ('≥', '不少于')
    value: re.Pattern  # a 目标值 with one amount: its sign, number and unit


@dataclass
class StandardTable:
    """What standard_tables.yaml says about one of the standard tables."""

    number: int
    name: str
    match: re.Pattern
    labels: list[str] = field(default_factory=list)
    columns: list[HeaderNode] = field(default_factory=list)
    wrapper: HeaderNode | None = None
    two_sided: bool = False
    performance: bool = False
    year_column: HeaderNode | None = None
    stop: re.Pattern | None = None
    indicators: IndicatorWords | None = None


@dataclass
class Knowledge:
    """standard_tables.yaml, compiled."""

    tables: list[StandardTable]
    label_roles: dict[str, str]  # normalised header cell -> unit / code / name / extra
    subject_code: re.Pattern
    unit_ends: re.Pattern
    unit_begins: re.Pattern
    expenditure_side: re.Pattern
    income_side: re.Pattern
    notes: re.Pattern
    year_cell: re.Pattern

    def by_number(self, number: int) -> StandardTable | None:
        return next((table for table in self.tables if table.number == number), None)


def spelling_to_node(spelling: str, children: list | None = None) -> HeaderNode:
    """Given a yaml spelling ('A|B', 're:…', 'A|re:…') and sub-columns, return its HeaderNode."""
    literals: list[str] = []
    patterns: list[re.Pattern] = []
    rest = str(spelling)
    while rest:
        if rest.startswith("re:"):
            patterns.append(re.compile(rest[3:]))
            break
        head, _, rest = rest.partition("|")
        literals.append(head)
    name = literals[0] if literals else str(spelling)
    node = HeaderNode(name=name, spellings=[match_key(s) for s in literals], patterns=patterns)
    node.children = [yaml_to_node(child) for child in children or []]
    return node


def yaml_to_node(item) -> HeaderNode:
    """Given a yaml column entry (a string, or a one-key mapping to sub-columns), return its node."""
    if isinstance(item, dict):
        (spelling, children), = item.items()
        return spelling_to_node(spelling, children)
    return spelling_to_node(item)


def yaml_to_indicator_words(entry: dict) -> IndicatorWords:
    """Given the yaml of a 绩效目标表's indicator part, return it compiled."""
    patterns = {key: re.compile(value) for key, value in entry.items() if key not in ("labels", "column", "amount")}
    value = re.compile(rf"(?P<sign>{entry['sign']})?\s*{entry['amount']}")
    return IndicatorWords(labels=list(entry["labels"]), column=entry["column"], value=value, **patterns)


@lru_cache(maxsize=None)
def knowledge(path: Path = KNOWLEDGE_FILE) -> Knowledge:
    """Given the yaml of standard-table knowledge, return it compiled (read once)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    tables = []
    for entry in data["tables"]:
        tables.append(StandardTable(
            number=int(entry["number"]),
            name=entry["name"],
            match=re.compile(entry["match"]),
            labels=[match_key(label) for label in entry.get("labels", [])],
            columns=[yaml_to_node(item) for item in entry.get("columns", [])],
            wrapper=spelling_to_node(entry["wrapper"]) if entry.get("wrapper") else None,
            two_sided=bool(entry.get("two_sided")),
            performance=bool(entry.get("performance")),
            year_column=spelling_to_node(entry["year_column"]) if entry.get("year_column") else None,
            stop=re.compile(entry["stop"]) if entry.get("stop") else None,
            indicators=yaml_to_indicator_words(entry["indicators"]) if entry.get("indicators") else None,
        ))
    roles = {match_key(name): role for role, names in data["label_columns"].items() for name in names}
    return Knowledge(
        tables=tables,
        label_roles=roles,
        subject_code=re.compile(data["subject_code"]),
        unit_ends=re.compile(data["unit_name"]["ends"]),
        unit_begins=re.compile(data["unit_name"]["begins"]),
        expenditure_side=re.compile(data["sides"]["expenditure"]),
        income_side=re.compile(data["sides"]["income"]),
        notes=re.compile(data["notes"]),
        year_cell=re.compile(data["year_cell"]),
    )


# --------------------------------------------------------------------------- text


_CJK = "\u2018-\u201f\u2026\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_VALUE_TOKEN = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$|^[-—–－]{1,2}$")
_REAL_NUMBER = re.compile(r"\d")


def clean_text(text: str | None) -> str:
    """Given a cell or label as printed, return it without HTML tags and without the spaces
    and line breaks that PDF layout puts between Chinese characters ('收 入 总 计' → '收入总计')."""
    if not text:
        return ""
    text = _TAG.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return _SPACE_NEAR_CJK.sub("", text)


def _nfkc_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def match_key(text: str | None) -> str:
    """Given printed text, return the form names are compared in: NFKC per character (so
    full-width （：） become ASCII, one character each), HTML tags and all whitespace removed."""
    if not text:
        return ""
    text = _TAG.sub("", text)
    return "".join(_nfkc_char(c) for c in text if not c.isspace())


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


# --------------------------------------------------------------------------- titles

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_TITLE = re.compile(
    r"^附?表\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})(?:\s*[-－—–]\s*[0-9]{1,2}(?=\s|[:：]|$))?"
    r"\s*(?:[:：、.．—-]\s*)?(.*)$")
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


def parse_title(line: str) -> tuple[int, str] | None:
    """Given a line, return (printed number, name on the same line or '') if it is a table
    title such as '表 1', '表1 收支总表', '表一：收支总表', '表十二', '表 11：'; else None."""
    text = clean_text(line)
    found = _TITLE.match(text)
    if not found:
        return None
    number = chinese_numeral_to_int(found.group(1))
    rest = found.group(2).strip()
    if number is None or not 1 <= number <= 99:
        return None
    if rest and not looks_like_table_name(rest):
        return None
    return number, rest


def looks_like_table_name(text: str) -> bool:
    """Given a line, return whether it reads as a table's name ('…表', '…表（按功能分类）')."""
    key = match_key(text)
    return 2 <= len(key) <= 60 and bool(re.search(r"表(?:\([^)]*\))?$", key)) and not key.endswith("。")


def name_to_standard(name: str, number: int | None = None) -> tuple[int, str]:
    """Given a printed table name (and the printed number), return (standard number 1..12,
    canonical name); (0, name) for a table that is not a standard one.

    The number printed is only trusted when there is no name: futian-2022 prints 表8 for the
    三公 table because it has no table 8.
    """
    key = match_key(name)
    for table in knowledge().tables:
        if key and table.match.search(key):
            return table.number, table.name
    if not key and number is not None:
        table = knowledge().by_number(number)
        if table:
            return table.number, table.name
    return 0, clean_text(name)


def department_in_name(name: str) -> str | None:
    """Given a table name like '深圳市龙岗区政务服务数据管理局整体支出绩效目标表', return the
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
            number, name = parsed
            text, end = " ".join(lines[i].split()), i + 1
            if not name:
                j = next_nonblank(lines, i + 1)
                if j is not None and j - i <= 3 and looks_like_table_name(lines[j]) \
                        and not _DEPARTMENT_LINE.search(lines[j]):
                    name, end = clean_text(lines[j]), j + 1
                    text = f"{text} {' '.join(lines[j].split())}"
            titles.append(Title(i, end, number, name, text))
            i = end
            continue
        if looks_like_table_name(lines[i]) and name_to_standard(lines[i])[0] and "\t" not in lines[i] \
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


# --------------------------------------------------------------------------- preamble


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


# --------------------------------------------------------------------------- pieces


def text_to_pieces(page: Page, previous: TablePiece | None = None) -> list[TablePiece]:
    """Given a page, return every table piece on it, in order.

    Each piece has its title (number as printed, name), 部门名称, 单位, header grid, body rows
    (lists of cell strings), notes and the [start, end) line span it covers on the page.
    Tab-separated tables are read as printed; space-flattened PDF text is rebuilt into cells.
    ``previous``, the last piece of the page before, lets rows at the top of this page that
    continue it without a repeated title become a piece of the same table.
    """
    lines = [pipes_to_tabs(line) for line in page.text.split("\n")]
    titles = find_titles(lines)
    pieces: list[TablePiece] = []
    first = titles[0].start if titles else len(lines)
    if previous is not None:
        piece = continuation_piece(lines, 0, first, previous, page.number)
        if piece:
            pieces.append(piece)
    for k, title in enumerate(titles):
        end = titles[k + 1].start if k + 1 < len(titles) else len(lines)
        pieces.append(region_to_piece(lines, title, end, page.number))
    return pieces


def pipes_to_tabs(line: str) -> str:
    """Given a line, return it with a markdown table row ('| a | b |') as tab-separated cells
    and a markdown separator row ('|---|---|') as a blank line; other lines unchanged."""
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1):
        return line
    if re.fullmatch(r"[|:\-\s]+", stripped):
        return ""
    return "\t".join(cell.strip() for cell in stripped[1:-1].split("|"))


def region_to_piece(lines: list[str], title: Title, end: int, page: int) -> TablePiece:
    """Given a page's lines, a title and where the next title begins, return the table piece."""
    number, std_name = name_to_standard(title.name, title.number)
    std = knowledge().by_number(number)
    preamble = read_preamble(lines, title.end, end)
    department = preamble.department or department_in_name(title.name)
    if is_tabbed(lines, preamble.end, end):
        header, body, notes, last = tab_region_to_rows(lines, preamble.end, end, std)
    else:
        header, body, notes, last = raw_region_to_rows(lines, preamble.end, end, std)
    return TablePiece(
        title=title.text,
        number=title.number,
        name=title.name or std_name,
        department=department,
        unit=preamble.unit,
        header=header,
        body=body,
        page=page,
        span=(title.start, max(last, title.end)),
        notes=notes,
    )


def continuation_piece(lines: list[str], start: int, end: int, previous: TablePiece, page: int) -> TablePiece | None:
    """Given the lines at the top of a page before its first title and the piece that ended the
    page before, return the rows that continue that table, or None if they are not table rows."""
    i = next_nonblank(lines, start)
    if i is None or i >= end:
        return None
    number, _ = name_to_standard(previous.name, previous.number)
    std = knowledge().by_number(number)
    if is_tabbed(lines, i, end):
        header, body, notes, last = tab_region_to_rows(lines, i, end, std)
    else:
        if not split_raw_line(lines[i]).values:
            return None
        header, body, notes, last = raw_region_to_rows(lines, i, end, std, known_header=previous.header)
    if not body:
        return None
    return TablePiece(title=previous.title, number=previous.number, name=previous.name,
                      department=previous.department, unit=previous.unit, header=header, body=body,
                      page=page, span=(i, last), notes=notes)


def is_tabbed(lines: list[str], start: int, end: int) -> bool:
    """Given a region of lines, return whether its table is tab-separated (not flattened)."""
    sample = [line for line in lines[start:end] if line.strip()][:12]
    return bool(sample) and sum("\t" in line for line in sample) * 2 >= len(sample)


def is_note(text: str) -> bool:
    """Given a line or cell, return whether it is a table note (注：…, 备注：…, 本表…)."""
    return bool(knowledge().notes.search(clean_text(text)))


# ------------------------------------------------------------------ tab-separated


def tab_region_to_rows(lines: list[str], start: int, end: int, std: StandardTable | None
                       ) -> tuple[list[list[str]], list[list[str]], list[str], int]:
    """Given a region of tab-separated lines, return (header grid, body rows, notes, end line).

    The header is the leading rows without a number in them; the table stops at the first line
    without tabs that is not a note.
    """
    rows: list[list[str]] = []
    notes: list[str] = []
    last = start
    for i in range(start, end):
        line = lines[i]
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        filled = [cell for cell in cells if cell]
        if len(filled) == 1 and is_note(filled[0]):
            notes.append(clean_text(filled[0]))
            last = i + 1
            continue
        if "\t" not in line:
            if not rows:
                continue  # text between the title lines and the table
            break
        if notes:  # rows after the notes belong to something else
            break
        rows.append(cells)
        last = i + 1
    split = first_body_row(rows)
    return rows[:split], rows[split:], notes, last


def first_body_row(rows: list[list[str]]) -> int:
    """Given a table's rows, return the index of the first body row: the first with a number in
    it that is not a row of column numbers (栏次 1 2 3 …)."""
    for k, row in enumerate(rows):
        cells = [clean_text(c) for c in row if c and c.strip()]
        if not any(is_real_number(c) for c in cells):
            continue
        if cells and re.match(r"^(?:栏次|行次|序号)$", cells[0]):
            continue
        numbers = [c for c in cells if is_real_number(c)]
        if len(numbers) >= 3 and numbers == [str(i) for i in range(1, len(numbers) + 1)] and len(numbers) == len(cells):
            continue
        return k
    return len(rows)


# ------------------------------------------------------------------ flattened text


@dataclass
class RawLine:
    """One line of flattened text: its label part and its trailing amounts."""

    text: str  # label text before the amounts ('' for a numbers-only line)
    values: list[str]  # trailing value tokens, as printed


def split_raw_line(line: str) -> RawLine:
    """Given a line of space-flattened table text, return its label text and the run of value
    tokens at its end: '2013701 行政运行 1,282 1,282 0' → ('2013701 行政运行', ['1,282', '1,282', '0'])."""
    tokens = line.split()
    k = len(tokens)
    while k > 0 and is_value_token(tokens[k - 1]):
        k -= 1
    return RawLine(" ".join(tokens[:k]), tokens[k:])


def split_raw_segments(line: str) -> list[tuple[str, list[str]]]:
    """Given a flattened line of a side-by-side table, return its (label, amounts) segments:
    '一、政府预算拨款 29,760 一、一般公共服务支出 29,173' → two segments."""
    segments: list[tuple[str, list[str]]] = []
    text: list[str] = []
    values: list[str] = []
    for token in line.split():
        if is_value_token(token) and (text or not segments or values):
            values.append(token)
            continue
        if values:
            segments.append((" ".join(text), values))
            text, values = [], []
        text.append(token)
    if text or values:
        segments.append((" ".join(text), values))
    return segments


def find_node(node: HeaderNode, key: str) -> tuple[int, int] | None:
    """Given a header node and normalised header text, return where one of its spellings stands."""
    for spelling in node.spellings:
        at = key.find(spelling)
        if at >= 0:
            return at, at + len(spelling)
    for pattern in node.patterns:
        found = pattern.search(key)
        if found:
            return found.span()
    return None


@dataclass
class MatchedHeader:
    """The standard header found in a flattened table's header text."""

    labels: list[str]  # label columns, as printed
    paths: list[tuple[str, ...]]  # value columns
    covered: int  # characters of header text the header needs (lines after it are row text)


def match_header_tree(std: StandardTable, printed: str) -> MatchedHeader | None:
    """Given a standard table and its header text as printed (cells run together and broken
    over lines), return the label columns and value column paths found in it, or None.

    A node is kept when one of its spellings is in the text or one of its sub-columns is; the
    kept leaves, in the tree's order, are the columns.  Column names are taken as printed.
    """
    squeezed = "".join(c for c in _TAG.sub("", printed) if not c.isspace())
    key = "".join(_nfkc_char(c) for c in squeezed)  # same length: positions in key are positions in squeezed
    covered = 0

    def visit(node: HeaderNode, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        nonlocal covered
        where = find_node(node, key)
        name = squeezed[where[0]:where[1]] if where else node.name
        below: list[tuple[str, ...]] = []
        for child in node.children:
            below += visit(child, prefix + (name,))
        if where:
            covered = max(covered, where[1])
        if below:
            return below
        return [prefix + (name,)] if where else []

    labels = []
    for label in std.labels:
        at = key.find(label)
        if at >= 0:
            labels.append((at, squeezed[at:at + len(label)]))
            covered = max(covered, at + len(label))
    prefix: tuple[str, ...] = ()
    if std.wrapper:
        where = find_node(std.wrapper, key)
        if where:
            prefix = (squeezed[where[0]:where[1]],)
            covered = max(covered, where[1])
    paths: list[tuple[str, ...]] = []
    for node in std.columns:
        paths += visit(node, prefix)
    if not paths:
        return None
    return MatchedHeader([text for _, text in sorted(labels)], paths, covered)


def tree_to_grid(labels: list[str], paths: list[tuple[str, ...]]) -> list[list[str]]:
    """Given label column names and value column paths, return a header grid as printed:
    a merged cell's text in its first column, '' where it continues (header_to_paths undoes it)."""
    depth = max([len(p) for p in paths] + [1])
    width = len(labels) + len(paths)
    grid = [[""] * width for _ in range(depth)]
    for j, label in enumerate(labels):
        grid[0][j] = label
    for j, path in enumerate(paths):
        col = len(labels) + j
        before = paths[j - 1] if j else ()
        for level, name in enumerate(path):
            if before[: level + 1] != path[: level + 1]:
                grid[level][col] = name
    return grid


@dataclass
class _RawRow:
    texts: list[str] = field(default_factory=list)  # label text, one entry per line it came from
    values: list[str] = field(default_factory=list)
    line_starts: set[int] = field(default_factory=set)  # value indexes that began a new line


def join_broken_numbers(values: list[str], line_starts: set[int], wanted: int) -> list[str]:
    """Given a row's value tokens, which of them began a line, and how many columns there are,
    return the tokens with amounts broken over two lines joined again ('12,510.0' + '0' →
    '12,510.00'), as many as it takes to make the count fit."""
    out: list[str] = []
    excess = len(values) - wanted
    for k, token in enumerate(values):
        if excess > 0 and k in line_starts and out and re.search(r"\.\d$", out[-1]) and re.fullmatch(r"\d", token):
            out[-1] += token
            excess -= 1
        else:
            out.append(token)
    return out


def raw_region_to_rows(lines: list[str], start: int, end: int, std: StandardTable | None,
                       known_header: list[list[str]] | None = None
                       ) -> tuple[list[list[str]], list[list[str]], list[str], int]:
    """Given a region of space-flattened lines (PDF text), return (header grid, body rows, notes,
    end line), cells rebuilt from what the standard table's shape says and number patterns.

    The header is the lines before the first line ending in amounts; matched against the
    standard header tree it gives the columns, and header lines after the last header word are
    the first row's label.  ``known_header`` (a continuation page) stands in for a missing header.
    """
    numbered = [(i, lines[i]) for i in range(start, end) if lines[i].strip()]
    first_body = next((k for k, (_, line) in enumerate(numbered) if split_raw_line(line).values), len(numbered))
    if std and std.two_sided:
        return raw_two_sided(numbered, first_body, std, start)
    pre = [line for _, line in numbered[:first_body]]
    header: list[list[str]] = []
    labels: list[str] = []
    width = 0
    pending: list[str] = []
    leading: list[list[str]] = []  # text above a 绩效目标表's header (部门名称 …), kept as rows
    matched = match_header_tree(std, "\n".join(pre)) if std and std.columns and pre else None
    most = max([len(raw.values) for raw in (split_raw_line(line) for _, line in numbered[first_body:]) if raw.text]
               + [0])
    if matched and most > len(matched.paths):
        matched = None  # a row has more amounts than the standard header has columns: not this shape
    if matched:
        labels = matched.labels or ([std.labels[0]] if std.labels else [])
        header = tree_to_grid(labels, matched.paths)
        width = len(matched.paths)
        used, k = 0, 0
        while k < len(pre) and used < matched.covered:
            used += len(match_key(pre[k]))
            k += 1
        pending = [line.strip() for line in pre[k:]]
        if std.performance:
            first_label = next((j for j, line in enumerate(pre[:k])
                                if any(match_key(label) in match_key(line) for label in labels)), 0)
            leading = [[" ".join(line.split())] for line in pre[:first_label]]
    elif known_header:
        paths = header_to_paths(known_header)
        labels = [path[-1] for path in paths if path and label_role(path[-1])]
        width = len(paths) - len(labels)
    if not width:
        counts = Counter(len(raw.values) for raw in (split_raw_line(line) for _, line in numbered[first_body:])
                         if raw.text and raw.values)
        width = counts.most_common(1)[0][0] if counts else 1
        header, labels = generic_raw_header(pre, width)
    body, notes, last = raw_body_rows(numbered[first_body:], pending, labels, width, std)
    if first_body:
        last = max(last, numbered[first_body - 1][0] + 1)
    return header, leading + body, notes, max(last, start)


def generic_raw_header(pre: list[str], width: int) -> tuple[list[list[str]], list[str]]:
    """Given the header lines of an unknown flattened table and its number of value columns,
    return a one-row header grid (known label names first, then value names) and the labels."""
    tokens = [clean_text(t) for line in pre for t in line.split()]
    labels = [t for t in tokens if match_key(t) in knowledge().label_roles]
    names = [t for t in tokens if match_key(t) not in knowledge().label_roles]
    if len(names) != width:
        names = names[-width:] if len(names) > width else [f"第{j + 1}列" for j in range(width)]
    labels = labels or ["项目"]
    return [labels + names], labels


def raw_body_rows(numbered: list[tuple[int, str]], pending: list[str], labels: list[str], width: int,
                  std: StandardTable | None) -> tuple[list[list[str]], list[str], int]:
    """Given the body lines of a flattened table, text left over from its header, its label
    columns and number of value columns, return (rows of cells, notes, end line).

    A label broken over lines is joined to the amounts that follow it; amounts broken over
    lines are joined back; the table stops at prose, a 第…部分 heading, or after its notes.  A
    绩效目标表's lines after its budget part (年度总体目标, 绩效指标 …) are kept one row each,
    as printed: their cells cannot be told apart by amounts.
    """
    rows: list[_RawRow] = []
    notes: list[str] = []
    texts: list[str] = list(pending)
    last = numbered[0][0] if numbered else 0
    performance = bool(std and std.performance)
    current: _RawRow | None = None
    tail: list[list[str]] = []
    for i, line in numbered:
        text = clean_text(line)
        if is_note(text):
            notes.append(text)
            last = i + 1
            continue
        if notes or re.match(r"^第[一二三四五六七八九十]+部分", text):
            break
        if performance and (tail or std.stop and std.stop.match(text)):
            tail.append([" ".join(line.split())])
            last = i + 1
            continue
        raw = split_raw_line(line)
        if performance and raw.text and len(raw.values) < width:
            raw = RawLine(text, [])  # a number inside the 主要内容 prose, not the amounts
        if not raw.values:
            if not performance and len(text) >= 40 and re.search(r"[。；]$", text):
                break  # prose after the table
            texts.append(line.strip())
            last = i + 1
            continue
        if not raw.text and not texts and current is not None and len(current.values) < width:
            current.line_starts.add(len(current.values))
            current.values += raw.values
            last = i + 1
            continue
        if performance and current is not None and texts:
            texts = hand_back_sentences(current, texts, raw.text)
        current = _RawRow(texts=texts + ([raw.text] if raw.text else []), values=list(raw.values))
        rows.append(current)
        texts = []
        last = i + 1
    return [raw_row_to_cells(row, labels, width, std) for row in rows] + tail, notes, last


def hand_back_sentences(previous: _RawRow, texts: list[str], own: str) -> list[str]:
    """Given the row before, the text lines gathered since and the new row's own text, move the
    lines up to the last one that ends a sentence back to the row before (its 主要内容 went on
    after its amounts) and return the lines that remain for the new row."""
    if not own:
        return texts
    ends = [k for k, text in enumerate(texts) if re.search(r"[。；;]$", text)]
    if not ends:
        return texts
    cut = ends[-1] + 1
    previous.texts += texts[:cut]
    return texts[cut:]


def raw_row_to_cells(row: _RawRow, labels: list[str], width: int, std: StandardTable | None) -> list[str]:
    """Given a flattened row (label text lines and amounts) and the table's label columns,
    return its cells: label cells in column order (科目编码 split off the label, 年度 off its end),
    then exactly ``width`` value cells (blank when the amounts cannot be aligned)."""
    values = join_broken_numbers(row.values, row.line_starts, width)
    unaligned = ""
    if len(values) != width:  # amounts missing (blank cells are not printed) or extra: do not guess
        unaligned, values = "未对齐数值：" + " ".join(values), [""] * width
    roles = [knowledge().label_roles.get(match_key(label), "name") for label in labels]
    cells = [""] * len(labels)
    if std and std.performance:
        task, content = split_task(row.texts)
        for j, label in enumerate(labels):
            cells[j] = task if j == 0 else content if j == 1 else ""
        return cells + values + ([unaligned] if unaligned else [])
    text = clean_text(" ".join(row.texts))
    code = ""
    found = _LEADING_CODE.match(text)
    if found and "code" in roles:
        code, text = "".join(part for part in found.groups()[:3] if part), found.group(4)
    for j, role in enumerate(roles):
        if role == "extra" and match_key(labels[j]) == "年度":
            year = knowledge().year_cell.search(text)
            if year:
                cells[j] = clean_text(year.group(0))
                text = text[: year.start()].strip()
    if "code" in roles:
        cells[roles.index("code")] = code
    if code and "name" in roles:
        cells[roles.index("name")] = text
    elif text:
        target = roles.index("unit") if "unit" in roles else roles.index("name") if "name" in roles else 0
        if cells:
            cells[target] = text
        else:
            cells = [text]
    return cells + values + ([unaligned] if unaligned else [])


_LEADING_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?:\s+(\d{2}))?(?:\s+(\d{2}))?\s*(\D.*)$")


def split_task(texts: list[str]) -> tuple[str, str]:
    """Given the text lines of a 绩效目标表 budget row, return (任务名称, 主要内容): the first
    line (or word, on a one-line row), extended while its brackets are open."""
    if not texts:
        return "", ""
    if len(texts) == 1:
        parts = texts[0].split()
    else:
        parts = list(texts)
    task, k = parts[0], 1
    while k < len(parts) and task.count("（") + task.count("(") > task.count("）") + task.count(")"):
        task += parts[k]
        k += 1
    return clean_text(task), clean_text(" ".join(parts[k:]))


def raw_two_sided(numbered: list[tuple[int, str]], first_body: int, std: StandardTable, start: int
                  ) -> tuple[list[list[str]], list[list[str]], list[str], int]:
    """Given the lines of a flattened 收支总表 (收入 | 支出 side by side), return its header grid,
    rows [收入项目, 金额…, 支出项目, 金额…], notes and end line.  A line with one label and its
    amounts is put on the side its label belongs to (standard_tables.yaml: sides)."""
    pre = "\n".join(line for _, line in numbered[:first_body])
    squeezed = "".join(c for c in _TAG.sub("", pre) if not c.isspace())
    key = match_key(pre)
    years: list[str] = []
    if std.year_column:
        for pattern in std.year_column.patterns:
            years += [squeezed[m.start():m.end()] for m in pattern.finditer(key)]
        years += [squeezed[at:at + len(sp)] for sp in std.year_column.spellings for at in _find_all(key, sp)]
    lines = numbered[first_body:]
    width = max([len(v) for _, line in lines for _, v in split_raw_segments(line)] + [1])
    names = years[:width] if len(years) >= 2 * width else (years + ["预算数"] * width)[:width]
    header = [["收入"] + [""] * width + ["支出"] + [""] * width, ["项目"] + names + ["项目"] + names]
    body: list[list[str]] = []
    notes: list[str] = []
    pending = ""
    last = numbered[first_body - 1][0] + 1 if first_body else start
    for i, line in lines:
        text = clean_text(line)
        if is_note(text):
            notes.append(text)
            last = i + 1
            continue
        if notes:
            break
        segments = split_raw_segments(line)
        if len(segments) == 1 and not segments[0][1]:
            pending += segments[0][0]
            last = i + 1
            continue
        sides: list[tuple[str, list[str]] | None] = [None, None]
        if len(segments) >= 2:
            sides = [segments[0], segments[1]]
        else:
            label = clean_text(pending + segments[0][0])
            income = knowledge().income_side.search(label) and not knowledge().expenditure_side.search(label)
            sides[0 if income else 1] = segments[0]
        cells: list[str] = []
        for k, side in enumerate(sides):
            label, values = side if side else ("", [])
            if k == 0 or len(segments) == 1:
                label = pending + label if side else label
            cells += [clean_text(label)] + (values + [""] * width)[:width]
        pending = ""
        body.append(cells)
        last = i + 1
    return header, body, notes, last


def _find_all(text: str, part: str) -> list[int]:
    found, at = [], text.find(part)
    while part and at >= 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found


# --------------------------------------------------------------------------- pieces → tables


def header_to_paths(grid: list[list[str]]) -> list[tuple[str, ...]]:
    """Given a header grid as printed (a merged cell's text in its first column, '' where it
    continues), return one column path per column: each blank is filled from the left within
    the span of the cell above it, and a column's path is its non-blank cells top to bottom.

    [['收入', '', '支出', ''], ['项目', '预算数', '项目', '预算数']] →
    [('收入', '项目'), ('收入', '预算数'), ('支出', '项目'), ('支出', '预算数')]
    """
    if not grid:
        return []
    width = max(len(row) for row in grid)
    owners: list[list[tuple[int, int] | None]] = []  # (row, start column) of the cell covering
    for r, row in enumerate(grid):
        cells = [clean_text(c) for c in row] + [""] * (width - len(row))
        line: list[tuple[int, int] | None] = []
        for c in range(width):
            if cells[c]:
                line.append((r, c))
                continue
            left = line[c - 1] if c else None
            same_parent = left is not None and all(owners[up][left[1]] == owners[up][c] for up in range(r))
            line.append(left if same_parent else None)
        owners.append(line)
    paths = []
    for c in range(width):
        path: list[str] = []
        for r in range(len(grid)):
            owner = owners[r][c]
            if owner is None:
                continue
            text = clean_text(grid[owner[0]][owner[1]])
            if not path or path[-1] != text:
                path.append(text)
        paths.append(tuple(path))
    return paths


def label_role(name: str) -> str | None:
    """Given a header cell, return its label role (unit / code / name / extra), or None for a
    value column; a trailing parenthetical is ignored: 项目（按支出功能科目编列至“项”级） is 项目."""
    key = match_key(name)
    roles = knowledge().label_roles
    if key in roles:
        return roles[key]
    bare = re.sub(r"\([^()]*\)$", "", key)
    return roles.get(bare)


def column_roles(paths: list[tuple[str, ...]], body: list[list[str]]) -> list[str]:
    """Given column paths and body rows, return each column's role: 'unit', 'code', 'name',
    'extra' (other text), 'value', or 'skip' (no header and no content)."""
    roles = []
    for c, path in enumerate(paths):
        cells = [row[c] for row in body if c < len(row) and row[c] and row[c].strip()]
        role = next((label_role(name) for name in reversed(path) if label_role(name)), None)
        if role:
            roles.append(role)
        elif not path and not cells:
            roles.append("skip")
        elif cells and not any(is_real_number(cell) or is_blank_marker(cell) for cell in cells):
            roles.append("extra")
        else:
            roles.append("value")
    # leading text columns of an unknown table are its labels
    if "name" not in roles and "unit" not in roles:
        for c, role in enumerate(roles):
            if role == "extra":
                roles[c] = "name"
                break
            if role == "value":
                break
    return roles


def is_blank_marker(cell: str) -> bool:
    """Given a cell, return whether it is a blank-cell marker such as '-' (not text)."""
    try:
        return cell_value(cell) is None
    except ValueError:
        return False


def column_name(path: tuple[str, ...], fallback: str) -> str:
    """Given a column path, return the column's own name (its lowest header cell)."""
    return path[-1] if path else fallback


@dataclass
class Layout:
    """How a piece's columns read: label columns by role, value columns and their paths."""

    roles: list[str]
    paths: list[tuple[str, ...]]

    @property
    def value_columns(self) -> list[int]:
        return [c for c, role in enumerate(self.roles) if role == "value"]

    @property
    def label_names(self) -> list[str]:
        return [column_name(self.paths[c], "备注") for c, role in enumerate(self.roles)
                if role in ("unit", "code", "code_part", "name", "extra")]

    @property
    def columns(self) -> list[tuple[str, ...]]:
        return [self.paths[c] or (f"第{c + 1}列",) for c in self.value_columns]


def piece_layout(header: list[list[str]], body: list[list[str]]) -> Layout:
    """Given a piece's header grid and body, return its column layout."""
    paths = header_to_paths(header)
    width = max([len(paths)] + [len(row) for row in body])
    paths += [()] * (width - len(paths))
    return Layout(column_roles(paths, body), paths)


def is_unit_name(label: str, department: str | None, in_unit_column: bool) -> bool:
    """Given a row label, return whether it names a 预算单位 (a department or sub-unit)."""
    if not label:
        return False
    know = knowledge()
    if department and (label == department or match_key(label).startswith(match_key(department))):
        return True
    if not know.unit_ends.search(label) or len(label) < 4:
        return False
    return bool(know.unit_begins.search(label)) or in_unit_column


def printed_row(cells: list[str]) -> str:
    """Given a row's cells as printed, return the row as one line: cells tab-separated, the
    line breaks inside a cell and trailing blank cells dropped."""
    return "\t".join(" ".join(cell.split()) for cell in cells).rstrip("\t")


def body_to_rows(body: list[list[str]], layout: Layout, page: int, department: str | None,
                 state: dict, printed: list[list[str]] | None = None) -> list[TableRow]:
    """Given body rows, the column layout and the department, return TableRows: values parsed,
    kind unit / subject / named, budget_unit carried down from the last unit row (the
    department before any), parent_code from the code prefix (7 → 5 → 3 digits), and each row
    as printed with its place in the table.

    ``state`` carries the current budget unit and the count of printed rows over from the piece
    before.  ``printed`` is the rows as printed when ``body`` is one side of them (收支总表).
    """
    know = knowledge()
    rows = []
    first_line = state.get("line", 0)
    state["line"] = first_line + len(body)
    for k, cells in enumerate(body):
        cells = list(cells) + [""] * (len(layout.roles) - len(cells))
        unit_text = code = name = ""
        extra: dict[str, str] = {}
        parts: dict[str, str] = {}
        for c, role in enumerate(layout.roles):
            text = clean_text(cells[c])
            if not text or role in ("value", "skip"):
                continue
            if role == "code_part":
                parts[match_key(layout.paths[c][-1])] = match_key(text)
            elif role == "unit" and not unit_text:
                unit_text = text
            elif role == "code" and not code:
                code = match_key(text)
            elif role == "name" and not name:
                name = text
            else:
                extra[column_name(layout.paths[c], "备注")] = text
        values: list[Decimal | None] = []
        for c in layout.value_columns:
            try:
                values.append(cell_value(cells[c]))
            except ValueError:
                values.append(None)
                extra[column_name(layout.paths[c], f"第{c + 1}列")] = clean_text(cells[c])
        if parts and not code:
            code = code_from_parts(parts, state)
        if not code:
            found = _LEADING_CODE.match(name)
            if found:
                code, name = "".join(p for p in found.groups()[:3] if p), clean_text(found.group(4))
        if not (unit_text or code or name or extra):
            continue  # nothing names the row (e.g. the blank filler rows of an empty table)
        if code and know.subject_code.match(code):
            kind, label = "subject", name or unit_text
        elif unit_text and is_unit_name(unit_text, department, True) or \
                not unit_text and name and is_unit_name(name, department, False):
            kind, label = "unit", unit_text or name
            state["unit"] = label
        elif not (unit_text or code or name) and extra and "unit" in layout.roles and state.get("unit"):
            kind, label = "unit", state["unit"]  # e.g. a 三公 row with only 年度: its unit is above
        else:
            kind, label = "named", name or unit_text or code
        budget_unit = state.get("unit") or department
        if kind == "named" and re.search(r"(?:合计|总计)$", label):
            budget_unit = department  # a table total is the department's, not the last unit's
        parent = None
        if kind == "subject" and len(code) > 3:
            parent = code[:-2]
        rows.append(TableRow(kind=kind, label=label, values=values, page=page, code=code or None,
                             budget_unit=budget_unit, parent_code=parent, extra=extra,
                             printed=printed_row((printed or body)[k]), line=first_line + k))
    return rows


def code_from_parts(parts: dict[str, str], state: dict) -> str:
    """Given a row's 科目编码 printed in 类 / 款 / 项 columns ('201', '03', '01'; the higher
    parts often left blank under their parent), return the full code ('2010301')."""
    if parts.get("类"):
        state["类"], state["款"] = parts["类"], ""
    if parts.get("款"):
        state["款"] = parts["款"]
    if parts.get("类") and not parts.get("款"):
        return parts["类"]
    if parts.get("项"):
        return state.get("类", "") + state.get("款", "") + parts["项"]
    return state.get("类", "") + (parts.get("款") or "")


def group_pieces(pieces: list[TablePiece]) -> list[list[TablePiece]]:
    """Given a document's pieces in order, return them grouped: consecutive pieces of one table
    (same standard number and name, its title and header repeated on each page) together."""
    groups: list[list[TablePiece]] = []
    last_key = None
    for piece in pieces:
        number, name = name_to_standard(piece.name, piece.number)
        key = (number, match_key(name)) if number else (0, match_key(piece.name) or piece.number)
        if groups and key == last_key:
            groups[-1].append(piece)
        else:
            groups.append([piece])
        last_key = key
    return groups


def pieces_to_tables(doc_id: str, pieces: list[TablePiece]) -> list[BudgetTable]:
    """Given a document's table pieces (from text or from PDF tables), return its BudgetTables:
    page-broken pieces joined, header grids rebuilt into column paths, label and value columns
    separated, rows classified; 收支总表-type tables as a 收入 and a 支出 table."""
    pieces = [sanitize_piece(p) for p in pieces]
    departments = Counter(p.department for p in pieces if p.department)
    units = Counter(p.unit for p in pieces if p.unit)
    default_department = departments.most_common(1)[0][0] if departments else None
    default_unit = units.most_common(1)[0][0] if units else None
    tables: list[BudgetTable] = []
    for group in group_pieces(pieces):
        number, name = name_to_standard(group[0].name, group[0].number)
        std = knowledge().by_number(number)
        department = next((p.department for p in group if p.department), None) or default_department
        unit = next((p.unit for p in group if p.unit), None) or default_unit
        base = dict(doc_id=doc_id, number=number, name=name, title=group[0].title, department=department,
                    unit=unit, pages=sorted({p.page for p in group}),
                    notes=list(dict.fromkeys(n for p in group for n in p.notes)))
        if std and std.two_sided:
            tables += two_sided_tables(group, std, base)
        elif std and std.performance:
            tables += performance_tables(group, std, base)
        else:
            tables += grid_tables(group, base)
    return tables


def sanitize_piece(piece: TablePiece) -> TablePiece:
    """Given a piece from anywhere (PDF tables give None for merged cells), return it with every
    cell a string."""
    def rows(grid):
        return [["" if c is None else str(c) for c in row] for row in grid or []]
    if all(c is not None for row in [*piece.header, *piece.body] for c in row):
        return piece
    return TablePiece(title=piece.title, number=piece.number, name=piece.name, department=piece.department,
                      unit=piece.unit, header=rows(piece.header), body=rows(piece.body), page=piece.page,
                      span=piece.span, notes=list(piece.notes))


def with_header(piece: TablePiece, previous: list[list[str]] | None) -> tuple[list[list[str]], list[list[str]]]:
    """Given a piece and the header of the piece before, return its (header, body): a piece
    without a header takes the one before, or else its leading rows without numbers."""
    if piece.header:
        return piece.header, piece.body
    if previous:
        body = piece.body
        printed = [match_key("".join(row)) for row in previous]
        while body and match_key("".join(body[0])) in printed:
            body = body[1:]
        return previous, body
    split = first_body_row(piece.body)
    return piece.body[:split], piece.body[split:]


def grid_tables(group: list[TablePiece], base: dict) -> list[BudgetTable]:
    """Given the pieces of one ordinary table, return it as a BudgetTable (or more than one if a
    piece's columns do not agree with the first)."""
    tables: list[BudgetTable] = []
    header: list[list[str]] | None = None
    layout: Layout | None = None
    state: dict = {}
    for piece in group:
        header, body = with_header(piece, header)
        piece_cols = piece_layout(header, body)
        if layout is None or len(piece_cols.value_columns) != len(layout.value_columns):
            layout = piece_cols
            state = {"line": state.get("line", 0)}
            tables.append(BudgetTable(**base, label_columns=layout.label_names, columns=layout.columns, rows=[]))
        else:
            layout = piece_cols
        tables[-1].rows += body_to_rows(body, layout, piece.page, base["department"], state)
        if piece.page not in tables[-1].pages:
            tables[-1].pages.append(piece.page)
    if len(tables) > 1:
        for table in tables:
            table.pages = sorted({row.page for row in table.rows}) or table.pages
    return tables


def two_sided_tables(group: list[TablePiece], std: StandardTable, base: dict) -> list[BudgetTable]:
    """Given the pieces of a 收支总表-type table (收入 | 支出 side by side), return two
    BudgetTables, side='收入' and side='支出', each with its label and value columns."""
    sides: dict[str, BudgetTable] = {}
    header: list[list[str]] | None = None
    line = 0
    for piece in group:
        header, body = with_header(piece, header)
        paths = header_to_paths(header)
        width = max([len(paths)] + [len(row) for row in body])
        paths += [()] * (width - len(paths))
        split = next((c for c, path in enumerate(paths) if c and path and "支出" in match_key(path[0])
                      and "支出" not in match_key(paths[0][0] if paths[0] else "")), width // 2)
        for side, cols in (("收入", range(0, split)), ("支出", range(split, width))):
            side_paths = [strip_side(paths[c], side) for c in cols]
            side_body = [[row[c] if c < len(row) else "" for c in cols] for row in body]
            layout = Layout(column_roles(side_paths, side_body), side_paths)
            if side not in sides:
                sides[side] = BudgetTable(**{**base, "pages": list(base["pages"])}, label_columns=layout.label_names,
                                          columns=layout.columns, rows=[], side=side)
            state = {"unit": None, "line": line}
            rows = body_to_rows(side_body, layout, piece.page, base["department"], state, printed=body)
            for row in rows:
                if row.kind == "unit":
                    row.kind = "named"
            sides[side].rows += rows
        line += len(body)
    return [sides[s] for s in ("收入", "支出") if s in sides]


def strip_side(path: tuple[str, ...], side: str) -> tuple[str, ...]:
    """Given a column path of a two-sided table, return it without its 收入/支出 top cell."""
    if path and match_key(path[0]) == side:
        return path[1:]
    return path


def performance_tables(group: list[TablePiece], std: StandardTable, base: dict) -> list[BudgetTable]:
    """Given the pieces of a 绩效目标表, return its budget part as a BudgetTable (one row per
    task with its amounts 总额, 财政拨款, 其他资金) and, when it has one, its goals and
    indicators part (one row per printed row; a 三级指标 whose 目标值 holds one amount carries it)."""
    rows_in = [(row, piece.page) for piece in group for row in [*piece.header, *piece.body]]
    stop = next((k for k, (cells, _) in enumerate(rows_in)
                 if std.stop and any(clean_text(c) for c in cells)
                 and std.stop.match(next(clean_text(c) for c in cells if clean_text(c)))), len(rows_in))
    columns, rows = budget_rows(rows_in[:stop], std, base["department"])
    tables = [BudgetTable(**base, label_columns=[clean_text(n) for n in ("任务名称", "主要内容")],
                          columns=columns, rows=rows)]
    if std.indicators and stop < len(rows_in):
        rows = indicator_rows(rows_in[stop:], std.indicators, base["department"], stop)
        tables.append(BudgetTable(**{**base, "pages": sorted({row.page for row in rows})},
                                  label_columns=list(std.indicators.labels), columns=[(std.indicators.column,)],
                                  rows=rows))
    return tables


def budget_rows(rows_in: list[tuple[list[str], int]], std: StandardTable, department: str | None
                ) -> tuple[list[tuple[str, ...]], list[TableRow]]:
    """Given the printed rows of a 绩效目标表's budget part (with their pages), return its value
    columns and one row per task with its amounts."""
    defaults = [tuple(n for n in (node.name, child.name)) for node in std.columns for child in node.children]
    group_name = next((clean_text(c) for row, _ in rows_in for c in row if "预算金额" in c), None)
    names_row = next((row for row, _ in rows_in if any(match_key(c) in ("总额", "合计") for c in row)), None)
    columns = defaults
    if names_row:
        at = next(k for k, c in enumerate(names_row) if match_key(c) in ("总额", "合计"))
        names = [clean_text(c) for c in names_row[at:] if clean_text(c)]
        if len(names) == len(defaults):
            columns = [(group_name or defaults[0][0], n) for n in names]
    width = len(columns)
    rows: list[TableRow] = []
    task = ""
    for line, (printed, page) in enumerate(rows_in):
        cells = [clean_text(c) for c in printed]
        k = len(cells)
        while k and not cells[k - 1]:
            k -= 1
        v = k
        while v > 0 and (is_real_number(cells[v - 1]) or (cells[v - 1] and is_blank_marker(cells[v - 1]))):
            v -= 1
        if k - v < width or not any(is_real_number(c) for c in cells[v:k]):
            continue
        v = k - width
        content = cells[v - 1] if v >= 1 else ""
        own_task = cells[v - 2] if v >= 2 else ""
        if own_task:
            task = own_task
        values = []
        for c in cells[v:k]:
            try:
                values.append(cell_value(c))
            except ValueError:
                values.append(None)
        placed = dict(page=page, budget_unit=department, printed=printed_row(printed), line=line)
        total = next((t for t in (own_task, content) if re.search(r"(?:合计|总计)$", t)), None)
        if total:
            rows.append(TableRow(kind="named", label=total, values=values, **placed))
            continue
        extra = {"主要内容": content} if content else {}
        rows.append(TableRow(kind="named", label=task or content, values=values, extra=extra, **placed))
    return columns, rows


@dataclass
class IndicatorState:
    """Where a 绩效目标表's indicator rows stand: the headings above and a name still open."""

    started: bool = False  # the indicator header row has been seen (rows before it are goals)
    first: str = ""  # 一级指标
    second: str = ""  # 二级指标
    pending: list[str] = field(default_factory=list)  # a 三级指标 name printed over lines before its value


def indicator_rows(rows_in: list[tuple[list[str], int]], words: IndicatorWords, department: str | None,
                   first_line: int) -> list[TableRow]:
    """Given the printed rows of a 绩效目标表 from its goals on (with their pages), return one row
    per printed row: a 三级指标 with its 目标值 (value and unit when it holds one amount, the
    一级 and 二级 指标 it stands under), other rows (goals, headings, text) as printed."""
    state = IndicatorState()
    rows: list[TableRow] = []
    for k, (printed, page) in enumerate(rows_in):
        filled = [" ".join(_TAG.sub(" ", c).split()) for c in printed if clean_text(c)]
        if not filled:
            continue
        placed = dict(page=page, budget_unit=department, printed=printed_row(printed), line=first_line + k)
        found = None
        if state.started:
            found = read_indicator(filled, words, state)
        elif words.header.search(match_key(" ".join(filled))):
            state.started = True
        if found is None:
            rows.append(TableRow(kind="named", label=clean_text(filled[0]), values=[None], **placed))
            continue
        name, target = found
        value, unit = indicator_value(target, words)
        rows.append(TableRow(kind="named", label=name, values=[value], extra={words.column: target},
                             under=tuple(h for h in (state.first, state.second) if h), unit=unit, **placed))
    return rows


def read_indicator(filled: list[str], words: IndicatorWords, state: IndicatorState) -> tuple[str, str] | None:
    """Given the filled cells of an indicator row and where the rows stand, return the row's
    (三级指标, 目标值), or None for a row of headings or of a name still going on; the 一级 and
    二级 headings it begins with are taken into ``state``."""
    cells = [clean_text(c) for c in (filled if len(filled) > 1 else flattened_cells(filled[0], words))]
    while cells and (words.column_words.match(cells[0]) or words.first_level.match(cells[0])
                     or words.second_level.match(cells[0])):
        if words.first_level.match(cells[0]):
            state.first, state.second = cells[0], ""
        elif words.second_level.match(cells[0]):
            state.second = cells[0]
        state.pending = []
        cells = cells[1:]
    if not cells:
        return None
    if len(cells) == 1:
        if state.pending and words.value.fullmatch(unicodedata.normalize("NFKC", cells[0])):
            name, state.pending = "".join(state.pending), []
            return sign_to_value(name, cells[0], words)
        state.pending.append(cells[0])
        return None
    name = cells[-2]
    if state.pending and name.startswith(("（", "(")):
        name = "".join(state.pending) + name  # a name's last line: '（%）'
    state.pending = []
    return name, cells[-1]


def sign_to_value(name: str, target: str, words: IndicatorWords) -> tuple[str, str]:
    """Given a 三级指标 and its 目标值, return them with a comparison sign printed at the end of
    the name's line ('支出进度达标率 ＞' above '95%') moved to the value."""
    sign = re.search(rf"(?:{words.sign.pattern})$", "".join(_nfkc_char(c) for c in name))
    if not sign:
        return name, target
    return name[:sign.start()].strip(), name[sign.start():] + target


def flattened_cells(line: str, words: IndicatorWords) -> list[str]:
    """Given an indicator row flattened into one line ('数量 公共 WIFI 的 AP 安装数（个） ≥3850 个'),
    return its cells: leading heading words, then the name and the 目标值 when the line ends
    with an amount."""
    tokens = line.split()
    heads: list[str] = []
    while len(tokens) > 1 and any(p.match(tokens[0]) for p in (words.column_words, words.first_level,
                                                                words.second_level)):
        heads.append(tokens.pop(0))
    rest = " ".join(tokens)
    ending = re.search(f"(?:{words.value.pattern})$", "".join(_nfkc_char(c) for c in rest))
    if ending and ending.start() > 0:
        return heads + [rest[:ending.start()].strip(), rest[ending.start():].strip()]
    return heads + [rest]


def indicator_value(target: str, words: IndicatorWords) -> tuple[Decimal | None, str | None]:
    """Given a 目标值 as printed ('≥26人', '96 人', '≥99% 可控'), return its amount and unit when it
    holds exactly one amount with a unit (not a date such as '2024年12月31日前'), else (None, None)."""
    text = unicodedata.normalize("NFKC", target)
    if len(re.findall(r"\d+(?:[.,]\d+)*", text)) != 1:
        return None, None
    found = words.value.search(text)
    if not found:
        return None, None
    return Decimal(found.group("number").replace(",", "")), found.group("unit")


# --------------------------------------------------------------------------- documents


def document_to_tables(doc: Document) -> list[BudgetTable]:
    """Given a loaded document, return its budget tables: for a PDF, the pieces that
    index.pdf_tables.pdf_pieces finds in its ruled tables; for text, pieces read from each
    page's text (a page's leading rows continuing the table the page before ended with)."""
    pieces: list[TablePiece] | None = None
    if doc.kind == "pdf":
        try:
            from index.pdf_tables import pdf_pieces  # written separately; optional here
        except ImportError:
            pdf_pieces = None
        if pdf_pieces is not None:
            pieces = pdf_pieces(doc)
    if pieces is None:
        pieces = []
        previous: TablePiece | None = None
        for page in doc.pages:
            found = text_to_pieces(page, previous)
            pieces += found
            previous = found[-1] if found and ends_page(page, found[-1]) else None
    return pieces_to_tables(doc.id, pieces)


def ends_page(page: Page, piece: TablePiece) -> bool:
    """Given a page and its last piece, return whether the piece runs to the end of the page."""
    if not piece.span:
        return False
    lines = page.text.split("\n")
    return not any(line.strip() for line in lines[piece.span[1]:])
