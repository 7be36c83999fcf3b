"""Is a disclosure consistent with itself as a document?

    own_year_checks        its year in every table title and in every heading that names it ('2024年度部门决算'),
                           comparisons with the year before (not its own: '比2026年预算增加' in a 2026 budget),
                           截至 dates of its year (a 决算) or the year before (a budget)
    listed_table_checks    every table its 目录 lists is printed
    empty_table_checks     a table with no figure says so (此表为空, 本表无数据 …)
    placeholder_checks     no placeholder left in a name, heading or sentence (XX局, ××项目)
"""
from __future__ import annotations

import re

from index.checks.model import CheckResult, Side
from index.model import BudgetTable, Document, Section
from common.printed import match_key
from index.reading.sections import TOC_TITLE, is_toc_entry, toc_key
from index.tables.kinds import name_to_kind

YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
COMPARISON = re.compile(r"(?:比|较|与|同)\s*((?:19|20)\d\d)\s*年")
AS_OF = re.compile(r"截[至止](?:到)?\s*((?:19|20)\d\d)\s*年")
# a heading naming the disclosure itself: 'YYYY年度部门决算', 'YYYY年部门综合预算' (not '…预算执行情况')
OWN_NAME = re.compile(r"((?:19|20)\d\d)\s*年度?\s*(?:部门|单位)(?:综合)?(?:预算|决算)(?!执行|调整)")
PLACEHOLDER = re.compile(r"[Xx×＊*]{2,}|某某|XX|ＸＸ")
EMPTY_NOTE = re.compile(r"此表为空|本表为空|无数据|本表无|无(?:收支|支出|收入|预算|决算)|为空表|^无$")


def document_checks(doc: Document, sections: Section, tables: list[BudgetTable]) -> list[CheckResult]:
    """Given a document, its section tree and tables, return every check of it as a document."""
    return (own_year_checks(doc, sections, tables) + listed_table_checks(doc, tables) + empty_table_checks(doc, tables)
            + placeholder_checks(doc, sections, tables))


def finding(check: str, doc: Document, status: str, place: str, other: str, note: str) -> CheckResult:
    """A check about what is printed rather than about a figure: both places in words, and what was found."""
    return CheckResult(check, doc.id, status, Side(None, (), place), Side(None, (), other), note=note)


def sentence_place(section: Section, text: str) -> str:
    return f"{' / '.join(section.path)}：“{text}” (第{section.first_page}页)"


def own_year_checks(doc: Document, sections: Section, tables: list[BudgetTable]) -> list[CheckResult]:
    """Given a document, return a finding for each table title printing a year that is not the document's, each
    comparison of a figure with the document's own year, and each 截至 date after it."""
    year = doc.meta.year
    if year is None:
        return []
    results = []
    own = f"文档年度 {year} 年（封面 / 标题）"
    for table in printed(tables):
        years = {int(y) for y in YEAR.findall(table.title)}
        if years and years != {year}:
            results.append(finding("own_year", doc, "failed", f"{table.title} (第{table.pages[0]}页)", own,
                                   f"表题年度 {'、'.join(map(str, sorted(years)))} 与文档年度 {year} 不符"))
        elif years:
            results.append(finding("own_year", doc, "passed", f"{table.title} (第{table.pages[0]}页)", own, ""))
    earliest = year if doc.meta.is_final else year - 1  # a 决算 states its year's end; a budget its last year's
    for section in sections.walk():
        for found in OWN_NAME.finditer(match_key(section.heading)):
            status = "passed" if int(found.group(1)) == year else "failed"
            results.append(finding("own_year", doc, status, f"标题“{section.heading}” (第{section.first_page}页)", own,
                                   "" if status == "passed" else f"标题年度 {found.group(1)} 与文档年度 {year} 不符"))
        for sentence in re.split(r"(?<=[。；！？])", section.text):
            key = match_key(sentence)
            for found in COMPARISON.finditer(key):
                compared_years = {m.start(1) for m in COMPARISON.finditer(key)}
                stated = ([None] + [m for m in YEAR.finditer(key[:found.start()]) if m.start(1) not in compared_years])[-1]
                if int(found.group(1)) == year or stated and stated.group(1) == found.group(1):
                    compared = int(stated.group(1)) if stated else year
                    results.append(finding("own_year", doc, "failed", sentence_place(section, sentence.strip()), own,
                                           f"{compared} 年的数与 {found.group(1)} 年自身相比：比较的应是上年"))
            for found in AS_OF.finditer(key):
                said = int(found.group(1))
                if said > year or said < earliest:
                    results.append(finding("own_year", doc, "failed", sentence_place(section, sentence.strip()), own,
                                           f"截至 {said} 年，{'晚于' if said > year else '早于'}文档年度 {year} 年"
                                           + ("" if said > year else f"所应截至的 {earliest} 年")))
    return results


def printed(tables: list[BudgetTable]) -> list[BudgetTable]:
    """Given a document's tables, return one per printed table (the parts one was read into count once)."""
    seen: dict[tuple, BudgetTable] = {}
    for table in tables:
        seen.setdefault((table.kind, table.title, min(table.pages, default=0)), table)
    return list(seen.values())


def contents_entries(doc: Document) -> list[tuple[str, int]]:
    """Given a document, return the entries of its 目录 that name a table, with the page the 目录 is on."""
    entries: list[tuple[str, int]] = []
    for page in doc.pages[:6]:
        lines = page.prose.split("\n")
        start = next((k for k, line in enumerate(lines) if TOC_TITLE.match(re.sub(r"\s+", " ", line.strip()))), None)
        following = lines[start + 1:] if start is not None else (lines if entries else [])
        for line in following:
            if not line.strip():
                continue
            if not is_toc_entry(line):
                break
            key = toc_key(line)
            if key.endswith("表") or re.search(r"表\(.*\)$", match_key(key)):
                entries.append((key, page.number))
    return entries


def listed_table_checks(doc: Document, tables: list[BudgetTable]) -> list[CheckResult]:
    """Given a document and its tables, return for each table its 目录 lists whether a table of that kind is
    printed."""
    kinds = {table.kind for table in tables if table.kind}
    results = []
    for entry, page in contents_entries(doc):
        kind = name_to_kind(re.sub(r"^[一二三四五六七八九十\d]+[、.．]\s*", "", entry))
        if kind is None:
            continue
        status = "passed" if kind.name in kinds else "failed"
        note = "" if status == "passed" else f"目录列出的 {entry} 未见于表格部分"
        results.append(finding("listed_table", doc, status, f"目录：{entry} (第{page}页)", f"表格（{kind.name}）", note))
    return results


def empty_table_checks(doc: Document, tables: list[BudgetTable]) -> list[CheckResult]:
    """Given a document's tables, return for each budget table with no figure whether it says it is empty."""
    results = []
    for table in printed(tables):
        if table.kind is None:
            continue  # a table of no known kind (单位构成) may well print no figure
        parts = [t for t in tables if (t.kind, t.title) == (table.kind, table.title) and t.pages[:1] == table.pages[:1]]
        if any(value is not None for part in parts for row in part.rows for value in row.values):
            continue
        said = [text for text in [*table.notes, *(r.label for part in parts for r in part.rows)] if EMPTY_NOTE.search(match_key(text))]
        place = f"{table.title} (第{table.pages[0] if table.pages else '?'}页)"
        results.append(finding("empty_table_note", doc, "passed" if said else "failed", place,
                               said[0] if said else "（无说明）", "" if said else "表中没有任何数字，也未注明本表为空"))
    return results


def placeholder_checks(doc: Document, sections: Section, tables: list[BudgetTable]) -> list[CheckResult]:
    """Given a document, return a finding for each placeholder left in its department, table titles, row names
    or sentences ('XX局', '××项目')."""
    results = []
    names = [(doc.meta.department or "", "部门名称")] + [(t.title, f"表题 (第{t.pages[0]}页)") for t in printed(tables)]
    names += [(row.label, f"{t.title} / 行 (第{row.page}页)") for t in tables for row in t.rows]
    for text, place in names:
        if PLACEHOLDER.search(text or ""):
            results.append(finding("placeholder", doc, "failed", f"{place}：{text}", "—", "名称中留有占位符"))
    for section in sections.walk():
        if PLACEHOLDER.search(section.heading):
            results.append(finding("placeholder", doc, "failed", f"标题“{section.heading}” (第{section.first_page}页)",
                                   "—", "标题中留有占位符"))
        for sentence in re.split(r"(?<=[。；！？])", section.text):
            if PLACEHOLDER.search(sentence):
                results.append(finding("placeholder", doc, "failed", sentence_place(section, sentence.strip()), "—",
                                       "文字中留有占位符"))
    return results
