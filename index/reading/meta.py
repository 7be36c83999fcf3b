"""Who, where and when a disclosure is about, read from the document itself, never from its file name.

The chain:

    pages_to_meta(pages)            the whole DocumentMeta
      ├ pages_to_title(pages)       the cover: its lines before the 目录, a heading or a 部门名称 line
      ├ pages_to_department(…)      who the document is about, from wherever it prints it: its label lines
      │                             ('部门名称：…', '单位名称：…' by each table), its title, a head running over its
      │                             pages, else the organisation its text and cells name most
      ├ department_to_region(…)     the region chain the name begins with (东海市 › 临江区 › 石桥街道), completed
      │                             upward from what the text prints (南江省东海市); 中央 for a central unit
      ├ central_parent(text)        the national organ a unit is directly under ('教育部直属'), if the text says
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
    label_only: re.Pattern  # a department label whose value is left blank ('单位名称：')
    kinds: tuple[tuple[str, tuple[str, ...]], ...]
    year: re.Pattern
    party_prefix: re.Pattern
    name_start: re.Pattern  # where an organisation's name may begin in text: a place, maybe after a party prefix
    central: str
    central_name: re.Pattern  # a name that begins like the centre's (国家…, 中国…)
    central_mark: re.Pattern  # '教育部直属': the national organ in group 'organ'



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
    party = "|".join(map(re.escape, data["party_prefixes"]))
    return Words(
        place=re.compile(rf"^(?P<place>[{HAN}]{{1,7}}?(?P<ending>{endings}))"),
        ending_levels=levels,
        government=tuple(data["government_words"]),
        not_places=frozenset(data["not_places"]),
        organisation=re.compile(rf"[{HAN}（）()]{{1,40}}(?:{org_endings})(?:[（(]本级[)）])?"),
        department_line=re.compile(rf"(?:^|\s)(?:{labels})\s*[:：]\s*([{HAN}（）()]{{2,40}})"),
        label_only=re.compile(rf"^(?:{labels})\s*[:：]\s*$"),
        kinds=tuple((entry["kind"], tuple(entry["words"])) for entry in data["kinds"]),
        year=re.compile(rf"((?:19|20)\d\d)\s*{data['year_context']}"),
        party_prefix=re.compile(f"^(?:{party})"),
        name_start=re.compile(rf"(?:{party})?[{HAN}]{{1,7}}?(?:{endings})"),
        central=data["central"],
        central_name=re.compile("^(?:" + "|".join(map(re.escape, data["central_prefixes"])) + ")"),
        central_mark=re.compile(rf"(?P<organ>[{HAN}]{{1,12}}?(?:{'|'.join(map(re.escape, data['national_endings']))}))"
                                rf"(?:{'|'.join(map(re.escape, data['central_marks']))})"),
    )


def pages_to_meta(pages: list[Page]) -> DocumentMeta:
    """Given a document's pages, return its title, region chain, year, department, kind and the organ above it."""
    text = "\n".join(page.text for page in pages)
    title = pages_to_title(pages)
    department = pages_to_department(pages, title, text)
    parent = central_parent(text, department)
    region = (words().central,) if parent else department_to_region(department, title, text)
    return DocumentMeta(title=title, region=region, year=pages_to_year(title, text), department=department,
                        kind=text_to_kind(title, text), parent=parent)


def pages_to_department(pages: list[Page], title: str | None, text: str) -> str | None:
    """Given a document's pages, its title and text, return the organisation it is about: the one its label lines
    name most ('部门：…' by each table of a tables-only file), else its title's, else a head running over its
    pages, else the organisation its text and table cells name most (at least three times)."""
    named = named_departments(text)
    if named:
        return named.most_common(1)[0][0]
    cells = "\n".join(re.sub(r"\s+", "", cell.text) for page in pages for grid in page.grids for cell in grid.cells)
    return title_to_department(title) or running_head(pages) or most_named(f"{text}\n{cells}")


RUNNING_HEAD_PAGES = 3  # a line at the top of at least this many pages (and half of them) is a running head


def running_head(pages: list[Page]) -> str | None:
    """Given a document's pages, return the organisation a line at the top of most pages names, if one does."""
    heads = Counter(match_key(page.lines[0].text) for page in pages if page.lines)
    for head, count in heads.most_common(3):
        if count >= max(RUNNING_HEAD_PAGES, len(pages) / 2):
            name = title_to_department(head) or organisation_in(head)
            if name and (department_to_region(name, None, "") or words().central_name.match(name)):
                return name
    return None


def most_named(text: str, at_least: int = 3) -> str | None:
    """Given a document's text, return the region-prefixed organisation it names most, when named at least
    ``at_least`` times."""
    found: Counter[str] = Counter()
    for line in text.split("\n"):
        for start in words().name_start.finditer(line):
            name = organisation_in(line[start.start():start.start() + 40])
            if name and name_to_region(name)[0]:
                found[name] += 1
    best = found.most_common(1)
    return best[0][0] if best and best[0][1] >= at_least else None


def department_to_region(department: str | None, title: str | None, text: str) -> tuple[str, ...]:
    """Given the department, the title and the text, return the region chain: the places the department's name
    (else the title) begins with, completed upward from the text where it prints a higher place right before
    the top one ('南江省东海市'); 中央 for a national organ's name."""
    if department and words().central_name.match(department):
        return (words().central,)
    chain = name_to_region(department or "")[0] or name_to_region(title_places(title))[0]
    while chain:
        above = re.search(rf"([{HAN}]{{2,6}}?(?:省|自治区|市))(?:人民政府)?{re.escape(chain[0])}", text)
        if not above or above.group(1) == chain[0]:
            break
        higher = name_to_region(above.group(1) + chain[0])[0]
        if len(higher) <= len(chain) or higher[-len(chain):] != chain:
            break
        chain = higher
    return chain


def central_parent(text: str, department: str | None) -> str | None:
    """Given the text and the department, return the national organ the text says the department is directly
    under ('…是教育部直属…'): the organ begins with no place, so a unit under a province's 厅 stays local."""
    for found in words().central_mark.finditer(text):
        organ = found.group("organ")
        organ = organ[organ.rfind("是") + 1:] if "是" in organ else organ
        if organ != department and 2 <= len(organ) <= 12 and not name_to_region(organ)[0]:
            return organ
    return None


def pages_to_title(pages: list[Page]) -> str | None:
    """Given a document's pages, return its cover title: the first page's first lines, up to its 目录, a
    heading, a table's label or a 部门名称 line, whitespace removed; None when they name no budget or final
    accounts."""
    if not pages:
        return None
    kept: list[str] = []
    for line in pages[0].text.split("\n")[:COVER_LINES]:
        key = match_key(line)
        if not key:
            continue
        if key in ("目录", "目次") or re.match(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|附?表\d|公开\d+表)", key) \
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
    parts = re.split(r"(?:19|20)\d\d\s*年?度?|[（(]?(?:部门|单位)?(?:综合)?(?:预算|决算)[)）]?(?:公开)?", title)
    for k, part in enumerate(parts):
        name = organisation_in(part)
        # an organisation with its place, or one the title opens with whole ('西南大学2023年度部门决算')
        if name and (name_to_region(name)[0] or k == 0 and name == part):
            return name
    return None


def title_places(title: str | None) -> str:
    """Given a cover title, return its leading places with the year taken out ('东海市临江区2026年区级部门预算'
    → '东海市临江区区级…'), for a region chain when the department's name has none."""
    return re.sub(r"(?:19|20)\d\d\s*年?度?", "", title or "")


def name_to_region(name: str) -> tuple[tuple[str, ...], str]:
    """Given an organisation's name, return the region chain it begins with and the rest of the name.

    '东海市临江区人民政府石桥街道办事处' → ((东海市, 临江区, 石桥街道), '办事处'); each place stands at a
    lower level than the one before, so '城市管理局' after a district is no place. A party organ's prefix is no
    place: '中共东海市委组织部' is of 东海市."""
    chain: list[str] = []
    level = -1
    rest = words().party_prefix.sub("", name)
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
