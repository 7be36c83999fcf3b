"""Who and where a question names, matched against the names of what is indexed.

Each indexed disclosure is known by its region chain and its department or unit, as index/meta.py reads
them from the document. A question names them as printed or as people say them:

    a place, with or without its ending           临江区, 临江; 南江省, 南江; 石桥街道, 石桥
    a department without its region               教育局; 人民法院
      … and without affixes people leave out       法院 (人民), 区委办公室 (中共)
      … after its lowest place or that level word  临江区教育局, 临江教育局, 区教育局, 省法院
      … by characters of its name in order         数据局, 政数局 (政务服务数据管理局), 高院 (高级法院)
    a street or town office by its place          石桥街道, 石桥街道办

A short name right after a place names a department of that place only: 东海市财政局 is not the 财政局 of
one of its districts. What a question names that nothing indexed is (a place no disclosure lies in, an
organisation of a named place that no disclosure is about) is kept, so that scope refuses rather than
answers from something else. No place or department is listed anywhere: the catalogue holds the names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from index.reading.meta import name_to_region, words as region_words
from common.printed import in_order, match_key
from qa.plan.words import renamed, vocabulary

HAN = "\u4e00-\u9fff"
OWN_LEVEL = re.compile(r"[(（]本级[)）]$")


@dataclass(frozen=True)
class CatalogueEntry:
    """One indexed disclosure as the catalogue knows it: who, where, when and what kind (预算 or 决算).

    ``row_names`` (optional) are the row labels of its tables, so that a question may name any subject the
    document prints; ``budget_units`` are the 预算单位 its tables list."""

    doc_id: str
    region: tuple[str, ...] = ()
    department: str | None = None
    year: int | None = None
    kind: str | None = None  # 部门预算 | 单位预算 | 部门决算 | 单位决算
    budget_units: tuple[str, ...] = ()
    row_names: tuple[str, ...] = ()

    @property
    def final(self) -> bool:
        """Whether the disclosure reports final accounts (决算) rather than a budget."""
        return bool(self.kind and self.kind.endswith("决算"))

    def label(self) -> str:
        """How an answer names this disclosure: '东海市临江区教育局2026年部门预算'."""
        who = self.department or "·".join(self.region) or self.doc_id
        return f"{who}{f'{self.year}年' if self.year else ''}{self.kind or ''}"


@dataclass(frozen=True)
class Named:
    """One name a question gives: where it stands, its words, and what indexed it names (empty: nothing)."""

    start: int
    end: int
    text: str
    places: frozenset[str] = frozenset()
    departments: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Who:
    """One organisation or place a question asks about: where it first stands, and the indexed places and
    departments it is (a department asked of a place: both)."""

    start: int
    text: str
    places: frozenset[str] = frozenset()
    departments: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Names:
    """The places and departments a question names, those it names that nothing indexed is, and whether it
    ranges over every disclosure in scope (各区, 哪个部门).

    ``whos`` are what it asks about, each answered apart (东城区和西山区数据局: the 数据局 of each), and
    ``within`` the places that only narrow them all (东海市的教育局和财政局)."""

    places: tuple[Named, ...] = ()
    departments: tuple[Named, ...] = ()
    unknown: tuple[str, ...] = ()
    across: bool = False
    whos: tuple[Who, ...] = ()
    within: frozenset[str] = frozenset()

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [(n.start, n.end) for n in self.places + self.departments]

    @property
    def any(self) -> bool:
        return bool(self.places or self.departments or self.unknown)


@cache
def name_words() -> dict:
    return vocabulary()["names"]


# --------------------------------------------------------------------------- the catalogue's names


def endings() -> list[str]:
    """The endings of places (省, 市, 区, 街道 …), longest first."""
    return sorted(region_words().ending_levels, key=len, reverse=True)


def place_ending(place: str) -> str:
    """Given a place, return its ending: the word a department's short name uses for its level (区教育局)."""
    return next((e for e in endings() if place.endswith(e)), "")


def place_aliases(place: str) -> set[str]:
    """Given a place of a region chain, return how a question may name it: in full, and without its ending
    when two characters remain (临江区 → 临江; 南江省 → 南江)."""
    ending = place_ending(place)
    bare = place[: -len(ending)] if ending else place
    return {place, bare} if ending and len(bare) >= 2 else {place}


def strip_affixes(name: str) -> set[str]:
    """Given an organisation's name without its region, return it and its forms without the affixes people
    leave out (人民法院 → 法院; 中共…委员会 → …委员会)."""
    forms = {name}
    for affix in name_words()["affixes"]:
        forms |= {form.replace(affix, "") for form in list(forms) if affix in form}
    return {form for form in forms if len(form) >= 2}


def said_forms(name: str) -> set[str]:
    """Given a department's name without its region, return it and the forms people say: its end shorter
    (卫生健康委员会 → 卫生健康委), and a field renamed in an institutional reform by its older words
    (自然资源局 → 国土资源局, 国土局), from qa/plan/renamed.yaml."""
    words = renamed()
    forms = {name} | {name[: -len(end)] + short for end, short in words["endings_said"].items() if name.endswith(end)}
    for now, older in words["fields"].items():
        forms |= {form.replace(now, old) for form in list(forms) if now in form for old in older}
    return forms


@dataclass(frozen=True)
class Department:
    """An indexed department or unit: its name, its lowest place, and its names without any place."""

    name: str
    lowest: str
    shorts: tuple[str, ...]


def entry_department(entry: CatalogueEntry) -> Department | None:
    """Given a catalogue entry, return its department as names are matched (None if it names none)."""
    if not entry.department:
        return None
    chain, rest = name_to_region(OWN_LEVEL.sub("", match_key(entry.department)))
    lowest = chain[-1] if chain else (entry.region[-1] if entry.region else "")
    rests = {rest} | {rest[len(mark):] for mark in name_words()["committee_marks"]  # (中共临海市)委组织部 → 组织部
                      if rest.startswith(mark) and len(rest) - len(mark) >= 2}
    shorts = {said for part in rests for form in strip_affixes(part) for said in said_forms(form)} if rest else set()
    if rest in name_words()["place_offices"] and lowest:  # a 街道办事处 is called by its place
        shorts = {lowest, f"{lowest}办"}
    return Department(entry.department, lowest, tuple(sorted(shorts, key=len, reverse=True)))


def department_forms(department: Department) -> set[str]:
    """Given a department, return the names that name it whole: with its region in full, with its lowest place
    (with or without its ending), and its own short names when they hold a place. (A level word before its
    short name, 区教育局, is read with the short names.)"""
    forms = {match_key(OWN_LEVEL.sub("", department.name))}
    for short in department.shorts:
        if department.lowest and short.startswith(department.lowest):
            forms |= {alias + short[len(department.lowest):] for alias in place_aliases(department.lowest)}
            continue
        if department.lowest:
            forms |= {alias + short for alias in place_aliases(department.lowest)}
    return {form for form in forms if len(form) >= 3}


@dataclass(frozen=True, eq=False)
class Catalogue:
    """The catalogue prepared for matching names (built once per catalogue)."""

    entries: tuple[CatalogueEntry, ...]
    forms: dict[str, frozenset[str]]  # a name naming departments whole → those departments
    departments: tuple[Department, ...]
    places: dict[str, str]  # place alias → place
    unit_shorts: frozenset[str]  # 预算单位 names without their region: the analyzer reads those
    units_of: dict[str, frozenset[str]]  # place → the short names of its documents' 预算单位 (not the departments)


@lru_cache(maxsize=8)
def prepare(entries: tuple[CatalogueEntry, ...]) -> Catalogue:
    """Given the catalogue's entries, return it prepared for matching."""
    departments = {d.name: d for e in entries if (d := entry_department(e))}
    forms: dict[str, set[str]] = {}
    for department in departments.values():
        for form in department_forms(department):
            forms.setdefault(form, set()).add(department.name)
    places = {alias: place for e in entries for place in e.region for alias in place_aliases(place)}
    units_of: dict[str, set[str]] = {}
    for entry in entries:
        own = set(departments[entry.department].shorts) if entry.department in departments else set()
        shorts = {name_to_region(OWN_LEVEL.sub("", match_key(u)))[1] for u in entry.budget_units} - own
        for place in entry.region:
            units_of.setdefault(place, set()).update(u for u in shorts if len(u) >= 2)
    return Catalogue(entries, {k: frozenset(v) for k, v in forms.items()}, tuple(departments.values()), places,
                     frozenset(u for us in units_of.values() for u in us), {k: frozenset(v) for k, v in units_of.items()})


def called_apart(names: list[str]) -> list[str]:
    """Given organisations' names, return each by the words that tell it from the others: without the places
    they all begin with, a street or town office by its place, and without the name all of them share
    (临海市东城区政务服务数据管理局, 临海市西山区政务服务数据管理局 → 东城区, 西山区; 东海市临江区人民政府
    石桥街道办事处, 东海市临江区教育局 → 石桥街道, 教育局); of different regions, each from its lowest place
    (临海市东城区…局, 东海市临江区教育局 → 东城区…局, 临江区教育局); names that would not stay apart stay whole."""
    split = [name_to_region(OWN_LEVEL.sub("", match_key(name))) for name in names]
    chains = [chain for chain, _ in split]
    rests = ["" if rest in name_words()["place_offices"] and chain else rest for chain, rest in split]
    shared = next((i for i in range(min(map(len, chains))) if len({c[i] for c in chains}) > 1), min(map(len, chains)))
    left = ["".join(chain[max(shared, len(chain) - 1):]) for chain in chains]  # from the lowest place at most
    if len(set(left)) < len(left):
        left = ["".join(chain[shared:]) for chain in chains]
    if len(set(rests)) == 1 and all(left):
        rests = [""] * len(names)
    called = [own + rest or name for own, rest, name in zip(left, rests, names)]
    return called if len(set(called)) == len(called) else names


# --------------------------------------------------------------------------- fitting a short name



def fit(mention: str, short: str) -> int:
    """Given a short name in a question and a department's name without its place, return how well it names
    it: 3 the same; 2 its end (法院 of 人民法院) or inside it ending alike; 1 its characters in order
    ending alike, from the same first character when only two (数据局, 政数局 of 政务服务数据管理局; 高院
    of 高级法院); 0 not at all."""
    if mention == short:
        return 3
    if len(mention) < 2 or mention[-1] != short[-1]:
        return 0
    if short.endswith(mention) or (len(mention) >= 3 and mention in short):
        return 2
    if in_order(mention, short) and (len(mention) >= 3 or mention[0] == short[0]):
        return 1
    return 0


def best_fits(mention: str, departments: list[Department]) -> frozenset[str]:
    """Given a short name and the departments it may name, return those it fits best (none when it fits none)."""
    scores = {d.name: max((fit(mention, short) for short in d.shorts), default=0) for d in departments}
    top = max(scores.values(), default=0)
    return frozenset(name for name, score in scores.items() if score == top and score > 0)


def of_place(departments: tuple[Department, ...], place: str | None, level: str | None) -> list[Department]:
    """Given the departments, the place a short name follows and the level word it begins with (省, 市, 区),
    return the departments it may name: those of that place, or of that level."""
    if place:
        return [d for d in departments if d.lowest == place]
    if level:
        return [d for d in departments if d.lowest and place_ending(d.lowest).startswith(level)]
    return list(departments)


# --------------------------------------------------------------------------- reading a question


@dataclass
class Reading:
    """A question being read for names: its text with what is taken masked, and what was found."""

    text: str
    masked: list[str] = field(default_factory=list)
    places: list[Named] = field(default_factory=list)
    departments: list[Named] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.masked = list(self.text)

    def residue(self) -> str:
        return "".join(self.masked)

    def take(self, named: Named) -> None:
        self.masked[named.start:named.end] = "\0" * (named.end - named.start)

    def place_before(self, start: int) -> Named | None:
        return next((p for p in self.places if p.end == start), None)


def question_names(text: str, catalogue: Catalogue) -> Names:
    """Given a question (normalised, quotes removed) and the catalogue, return the places and departments it
    names: whole names first, then places, then short names of departments (the longest first each time)."""
    reading = Reading(text)
    whole_names(reading, catalogue)
    indexed_places(reading, catalogue)
    short_names(reading, catalogue)
    places = tuple(sorted(reading.places, key=lambda n: n.start))
    departments = tuple(sorted(reading.departments, key=lambda n: n.start))
    whos, within = names_to_whos(places, departments, catalogue)
    return Names(places, departments, tuple(dict.fromkeys(reading.unknown)),
                 any(word in text for word in name_words()["across_words"]), whos, within)


def names_to_whos(places: tuple[Named, ...], departments: tuple[Named, ...],
                  catalogue: Catalogue) -> tuple[tuple[Who, ...], frozenset[str]]:
    """Given the places and departments named, return what the question asks about and the places that only
    narrow it. A place right before a department's name says where that department is; a place standing
    alone before a department named with a place of the same level asks for that department's namesake
    there (东城区和西山区数据局); a place above every department named only narrows them (东海市的教育局)."""
    starts = {d.start: d for d in departments}
    place_starts = {p.start for p in places}
    whos: list[Who] = []
    within: set[str] = set()
    for place in places:
        if place.end in starts or place.end in place_starts:
            continue  # it says where the department or place right after it is
        later = [d for d in departments if d.start > place.start]
        namesake = namesake_of(place, later, places, catalogue) if later else frozenset()
        if namesake:
            whos.append(Who(place.start, place.text, place.places, namesake))
        elif departments and all(above(place, d, catalogue) for d in departments):
            within |= place.places
        else:
            whos.append(Who(place.start, place.text, places=chain_places(place, places)))
    for department in departments:
        qualifier = next((p for p in places if p.end == department.start), None)
        placed = [k for k, w in enumerate(whos) if not qualifier and w.places and not w.departments
                  and w.start < department.start and in_place(department.departments, w.places)]
        if placed:  # '东城区（2022年）和西山区（2023年）政务服务数据管理局': the department of each place named before it
            for k in placed:
                whos[k] = Who(whos[k].start, whos[k].text + department.text, whos[k].places,
                              in_place(department.departments, whos[k].places))
            continue
        start = qualifier.start if qualifier else department.start
        text = (qualifier.text if qualifier else "") + department.text
        whos.append(Who(start, text, chain_places(qualifier, places) if qualifier else frozenset(), department.departments))
    return tuple(sorted(whos, key=lambda w: w.start)), frozenset(within)


def in_place(departments: frozenset[str], places: frozenset[str]) -> frozenset[str]:
    """Given departments' full names and places, return the departments whose names place them there."""
    return frozenset(d for d in departments if places <= set(name_to_region(d)[0]))


def chain_places(place: Named, places: tuple[Named, ...]) -> frozenset[str]:
    """Given a place and all places named, return it with the places written right before it (东海市临江区)."""
    chain = set(place.places)
    before = next((p for p in places if p.end == place.start), None)
    return frozenset(chain | chain_places(before, places)) if before else frozenset(chain)


def namesake_of(place: Named, later: list[Named], places: tuple[Named, ...], catalogue: Catalogue) -> frozenset[str]:
    """Given a place standing alone and the departments named after it, return the departments of that place
    named like the first of them (its name without its place), or none."""
    department = later[0]
    qualifier = next((p for p in places if p.end == department.start), None)
    short = department.text
    for alias in sorted(catalogue.places, key=len, reverse=True):
        if short.startswith(alias):
            short = short[len(alias):]
            break
    if qualifier is None and short == department.text:
        return frozenset()  # a short name with no place of its own: it is not of the same level
    return best_fits(short, of_place(catalogue.departments, next(iter(place.places)), None))


def above(place: Named, department: Named, catalogue: Catalogue) -> bool:
    """Given a place and a department named, return whether the place stands above all the department may be:
    in their region chains, but not their lowest place."""
    named = [d for d in catalogue.departments if d.name in department.departments]
    regions = {e.department: e.region for e in catalogue.entries}
    return bool(named) and all(p in regions.get(d.name, ()) and p != d.lowest for d in named for p in place.places)


def whole_names(reading: Reading, catalogue: Catalogue) -> None:
    """Given the question, take the names that name an indexed department whole (南江省人民法院, 区教育局)."""
    for form in sorted(catalogue.forms, key=len, reverse=True):
        for found in re.finditer(re.escape(form), reading.residue()):
            named = Named(found.start(), found.end(), form, departments=catalogue.forms[form])
            reading.departments.append(named)
            reading.take(named)


def indexed_places(reading: Reading, catalogue: Catalogue) -> None:
    """Given the question, take the indexed places it names; a bare one (临江, 石桥) only where it stands as a
    name, not inside a longer word."""
    for alias in sorted(catalogue.places, key=len, reverse=True):
        for found in re.finditer(re.escape(alias), reading.residue()):
            if place_ending(alias) or stands_as_name(reading.residue(), found.end()):
                named = Named(found.start(), found.end(), alias, places=frozenset({catalogue.places[alias]}))
                reading.places.append(named)
                reading.take(named)


def stands_as_name(text: str, end: int) -> bool:
    """Given the text and the end of a bare place name in it, return whether the name ends there: no Chinese
    character follows, or a word that may follow a name (的, 和, a number), or an organisation's name."""
    after = text[end:end + 1]
    if not after or not re.match(f"[{HAN}]", after) or after in name_words()["after_place"]:
        return True
    return bool(organisation_run().match(text, end))


@cache
def organisation_run(longest: bool = False) -> re.Pattern:
    """A short name of an organisation: a level word or not, then a run ending as organisations end (the
    shortest such run, or the longest)."""
    levels = "|".join(map(re.escape, name_words()["level_words"]))
    ends = "|".join(map(re.escape, sorted(name_words()["organisation_endings"], key=len, reverse=True)))
    chars = f"(?:(?![{''.join(name_words()['not_in_names'])}])[{HAN}])"
    return re.compile(f"(?P<level>{levels})?(?P<name>{chars}{{0,12}}{'' if longest else '?'}(?:{ends}))")


def short_names(reading: Reading, catalogue: Catalogue) -> None:
    """Given the question, take the short names of departments (数据局, 省法院, 高院 after 南江): a run
    ending as organisations end, starting where a name may start. A run right after a place or beginning
    with a level word that fits no indexed department of that place or level, and names no 预算单位, is an
    organisation nothing indexed is about."""
    others: list[str] = []  # long names that fit nothing indexed
    for found in organisation_run().finditer(reading.residue()):
        start, text = found.start(), found.group(0)
        if any(n.start <= start < n.end for n in reading.departments):
            continue  # inside a longer run already taken ('办公厅' of '省委办公厅')
        if len(text) < 2 or not starts_a_name(reading.residue(), start):
            continue
        place = reading.place_before(start)
        candidates = of_place(catalogue.departments, next(iter(place.places)) if place else None, found.group("level"))
        fits = best_fits(found.group("name") if found.group("level") else text, candidates)
        longest = organisation_run(longest=True).match(reading.residue(), start)
        if not fits and longest.end() > found.end():  # '市委' of '市委讲师团': the whole run names it
            found, text = longest, longest.group(0)
            fits = best_fits(found.group("name") if found.group("level") else text, candidates)
        if fits:
            named = Named(start, found.end(), text, departments=fits)
            reading.departments.append(named)
            reading.take(named)
        elif (place or found.group("level")) and not names_unit(found.group("name"), catalogue, place):
            reading.unknown.append((place.text if place else "") + text)
        elif len(text) >= name_words()["min_organisation_chars"] and not names_unit(text, catalogue, None) \
                and not any(ending in text[:-2] for ending in endings()):  # '罗湖区政数局' is read by its place
            others.append(text)
    if not (reading.places or reading.departments):  # a long name and nothing indexed named: nothing indexed is it
        reading.unknown += others


def starts_a_name(text: str, start: int) -> bool:
    """Given the text and a position, return whether a name may start there: at the start, after a name
    taken or a number, or after a word that may stand before a name (的, 和, 比, 、)."""
    if start == 0:
        return True
    before = text[start - 1]
    return before == "\0" or not re.match(f"[{HAN}]", before) or before in name_words()["before_name"]


def names_unit(name: str, catalogue: Catalogue, place: Named | None) -> bool:
    """Given a short name and the place it follows, return whether it names a 预算单位 that a document of
    that place lists (the analyzer reads those)."""
    units = catalogue.unit_shorts if place is None else [
        short for place_name in place.places for short in catalogue.units_of.get(place_name, ())]
    return any(fit(name, unit) for unit in units)


# --------------------------------------------------------------------------- places nothing indexed lies in


def unknown_places(tokens: list[tuple[str, int, int]], taken: list[bool]) -> list[Named]:
    """Given the question's jieba tokens and which characters are taken, return the place names no indexed
    disclosure lies in: a token of two to four characters ending like a place (海淀区, 浦东新区), or a name
    token before a bare ending token (坪 山区, 深汕 特别合作区), that is no ordinary word (社区, 智慧城市)."""
    found: list[Named] = []
    for i, (word, start, end) in enumerate(tokens):
        if any(taken[start:end]):
            continue
        ending = place_ending(word)
        if ending and word != ending and is_place_name(word, ending):
            found.append(Named(start, end, word))
        elif word in endings() and i > 0:
            prev, pstart, _ = tokens[i - 1]
            if 2 <= len(prev) <= 3 and not any(taken[pstart:start]) and is_place_name(prev + word, word):
                found.append(Named(pstart, end, prev + word))
    return found


def is_place_name(word: str, ending: str) -> bool:
    """Given a word ending like a place, return whether it names one (not 社区, 智慧城市, 哪个区)."""
    name = word[: -len(ending)]
    words = name_words()
    if not (2 <= len(name) <= 4) or not re.fullmatch(f"[{HAN}]+", word):
        return False
    if word in region_words().not_places or word in words["not_places"] or name in words["not_place_names"]:
        return False
    if name[-1] in words["not_place_starts"] or name[0] in words["not_place_starts"]:
        return False  # a function character: 的, 和, 各, 年 …
    return not any(word.endswith(stop) and len(word) - len(stop) >= 2
                   for stop in set(words["not_places"]) | region_words().not_places)
