"""Who, where and when a disclosure is about, read from the document itself, never from its file name.

The chain:

    pages_to_meta(pages)            the whole DocumentMeta
      ├ pages_to_title(pages)       the cover: its lines before the 目录, a heading or a 部门名称 line
      ├ named_departments(text)     the values of '预算主管部门：…', '部门名称：…', '编制部门：…' lines
      ├ title_to_department(title)  the organisation a title names ('2017年度南江省卫生健康委员会部门预算公开')
      ├ name_to_region(name)        the region chain a name begins with (东海市 › 临江区 › 石桥街道)
      ├ pages_to_year(title, text)  the disclosure's own year
      └ text_to_kind(title, text)   部门预算 / 单位预算 / 部门决算 / 单位决算

The words (region endings, organisation endings, label words) are in disclosure.yaml.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from index.model import DocumentMeta, Page
from common.printed import match_key

WORDS_FILE = Path(__file__).with_name("disclosure.yaml")
HAN = "\u4e00-\u9fff"
LEVELS = ("province", "city", "county", "township")
COVER_LINES = 8  # a cover title is within the first lines of the first page


@dataclass(frozen=True)
class Words:
    """disclosure.yaml, compiled."""

    place: re.Pattern  # a place at the start of a text, with its ending in group 'ending'
    ending_levels: dict[str, tuple[str, ...]]  # ending → the levels a place so ending may stand at
    government: tuple[str, ...]
    not_places: frozenset[str]
    organisation: re.Pattern  # the longest start of a text that ends like an organisation
    department_line: re.Pattern
    kinds: tuple[tuple[str, tuple[str, ...]], ...]
    year: re.Pattern


@cache
def words() -> Words:
    """Given nothing, return disclosure.yaml compiled (read once)."""
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    levels: dict[str, tuple[str, ...]] = {}
    for entry in data["region_levels"]:
        for ending in entry["endings"]:
            levels[ending] = (entry["level"],)
    levels[data["city_ending"]] = tuple(data["city_levels"])
    endings = "|".join(sorted(map(re.escape, levels), key=len, reverse=True))
    org_endings = "|".join(sorted(map(re.escape, data["organisation_endings"]), key=len, reverse=True))
    labels = "|".join(sorted(map(re.escape, data["department_labels"]), key=len, reverse=True))
    return Words(
        place=re.compile(rf"^(?P<place>[{HAN}]{{1,7}}?(?P<ending>{endings}))"),
        ending_levels=levels,
        government=tuple(data["government_words"]),
        not_places=frozenset(data["not_places"]),
        organisation=re.compile(rf"[{HAN}（）()]{{1,40}}(?:{org_endings})(?:[（(]本级[)）])?"),
        department_line=re.compile(rf"(?:^|\s)(?:{labels})\s*[:：]\s*([{HAN}（）()]{{2,40}})"),
        kinds=tuple((entry["kind"], tuple(entry["words"])) for entry in data["kinds"]),
        year=re.compile(rf"((?:19|20)\d\d)\s*{data['year_context']}"),
    )


def pages_to_meta(pages: list[Page]) -> DocumentMeta:
    """Given a document's pages, return its title, region chain, year, department and kind."""
    text = "\n".join(page.text for page in pages)
    title = pages_to_title(pages)
    named = named_departments(text)
    department = named.most_common(1)[0][0] if named else title_to_department(title)
    region = name_to_region(department or "")[0] or name_to_region(title_places(title))[0]
    return DocumentMeta(title=title, region=region, year=pages_to_year(title, text), department=department,
                        kind=text_to_kind(title, text))


def pages_to_title(pages: list[Page]) -> str | None:
    """Given a document's pages, return its cover title: the first page's first lines, up to its 目录, a
    heading or a 部门名称 line, whitespace removed; None when they name no budget or final accounts."""
    if not pages:
        return None
    kept: list[str] = []
    for line in pages[0].text.split("\n")[:COVER_LINES]:
        key = match_key(line)
        if not key:
            continue
        if key in ("目录", "目次") or re.match(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)", key) \
                or words().department_line.search(line) or re.fullmatch(r"\d{1,3}", key):
            break
        kept.append(re.sub(r"\s+", "", line))
    title = "".join(kept)
    return title if 4 <= len(title) <= 80 and re.search("预算|决算", title) else None


def named_departments(text: str) -> Counter[str]:
    """Given a document's text, return how often each department is named on a label line
    ('预算主管部门：东海市临江区教育局', '部门名称： 南江省人民法院 单位：万元')."""
    found: Counter[str] = Counter()
    for line in text.split("\n"):
        for match in words().department_line.finditer(line):
            name = organisation_in(match.group(1))
            if name:
                found[name] += 1
    return found


def organisation_in(text: str) -> str | None:
    """Given text that begins with an organisation's name, return the name: the longest start of the text
    that ends like an organisation ('东海市临江区教育局 单位：元' → 东海市临江区教育局)."""
    found = words().organisation.match(text)
    return found.group(0) if found else None


def title_to_department(title: str | None) -> str | None:
    """Given a cover title, return the organisation it names: what remains without its year and kind words,
    when it is a region-prefixed organisation name ('2017年度南江省卫生健康委员会部门预算公开' → 南江省卫生健康委员会)."""
    if not title:
        return None
    for part in re.split(r"(?:19|20)\d\d\s*年?度?|[（(]?(?:部门|单位)?(?:预算|决算)[)）]?(?:公开)?", title):
        name = organisation_in(part)
        if name and name_to_region(name)[0]:
            return name
    return None


def title_places(title: str | None) -> str:
    """Given a cover title, return its leading places with the year taken out ('东海市临江区2026年区级部门预算'
    → '东海市临江区区级…'), for a region chain when the department's name has none."""
    return re.sub(r"(?:19|20)\d\d\s*年?度?", "", title or "")


def name_to_region(name: str) -> tuple[tuple[str, ...], str]:
    """Given an organisation's name, return the region chain it begins with and the rest of the name.

    '东海市临江区人民政府石桥街道办事处' → ((东海市, 临江区, 石桥街道), '办事处'); each place stands at a
    lower level than the one before, so '城市管理局' after a district is no place."""
    chain: list[str] = []
    level = -1
    rest = name
    while True:
        found = words().place.match(rest)
        if not found or found.group("place") in words().not_places:
            break
        allowed = [LEVELS.index(l) for l in words().ending_levels[found.group("ending")] if LEVELS.index(l) > level]
        if not allowed:
            break
        chain.append(found.group("place"))
        level = min(allowed)
        rest = rest[found.end():]
        for government in words().government:
            if rest.startswith(government):
                rest = rest[len(government):]
                break
    return tuple(chain), rest


def pages_to_year(title: str | None, text: str) -> int | None:
    """Given the title and the text, return the disclosure's year: the one its title prints (alone, or
    before its kind words), else the year most often printed before 部门预算 / 决算 words."""
    if title:
        years = re.findall(r"(?:19|20)\d\d", title)
        in_context = words().year.findall(title)
        if in_context:
            return int(in_context[0])
        if len(set(years)) == 1:
            return int(years[0])
    counted = Counter(int(y) for y in words().year.findall(re.sub(r"[ \t]+", "", text)))
    return counted.most_common(1)[0][0] if counted else None


def text_to_kind(title: str | None, text: str) -> str | None:
    """Given the title and the text, return the disclosure's kind: from the title's words, else from the
    words the text uses most (a 决算 prints 决算 in every table title)."""
    for kind, kind_words in words().kinds:
        if title and any(word in title for word in kind_words):
            return kind
    squeezed = re.sub(r"\s+", "", text)
    final, budget = squeezed.count("决算"), squeezed.count("预算")
    if not (final or budget):
        return None
    return "部门决算" if final * 3 >= budget else "部门预算"
