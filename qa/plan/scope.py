"""Question → scope: which indexed disclosures a question is about, resolved against the catalogue.

    names      the disclosures that fit every name the question gives (qa/names.py): in one of the places
               named at each level, of one of the departments named; a name that nothing indexed is → refused
    years      of the years asked; 今年 / 去年 count from the latest year of what fits; a year with no
               disclosure is answered from the following year's only where that states it (a budget gives
               its previous year's figures), else refused
    kind       决算 words (实际支出, 决算数) pick 决算 documents, refused where only budgets are indexed;
               otherwise a budget is preferred where both are indexed for one department and year
    预算单位    the units named inside each disclosure (本级, 大数据中心)
    order      as the question names them ('北岭区…是南湖区…的多少倍' divides 北岭's figure by 南湖's)

Several disclosures that fit one name equally are all answered, each labelled; a refusal lists what is
indexed that comes closest. The words (what asks 决算, 预算 or both) are in qa/plan/vocabulary.yaml, ``scope``.
"""
from __future__ import annotations

import os
import re

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from common.printed import in_order, match_key
from qa.plan.analyze import CatalogueView, Intent, UnitInfo, UnitMentions, Vocabulary, freeze_entry, load_vocabulary, \
    normalize, prepare_catalogue
from qa.plan.names import CatalogueEntry, Names, Who
from qa.plan.words import vocabulary

NOT_FOUND = "文档中未找到"
YEAR_WRITTEN = re.compile(r"((?:19|20)\d\d)年")
OWN_FIGURE_LEAD = re.compile(r"^(?:(?:19|20)\d\d年度?|" + "|".join(vocabulary()["budget_units"]["own_figure_leads"]) + ")+")
CLOSEST_SHOWN = 8


@dataclass(frozen=True)
class Scope:
    """What a question may be answered from, and how."""

    doc_ids: tuple[str, ...] = ()  # in the order the question names them
    years: tuple[int, ...] = ()  # the years asked, relative words resolved
    comparison_years: tuple[int, ...] = ()  # the base years of a comparison, relative words resolved
    budget_units: dict[str, tuple[str, ...]] = field(default_factory=dict)  # doc_id → 预算单位 named
    labelled: bool = False  # several disclosures fit one name: each is answered, labelled
    across: bool = False  # the question ranges over every disclosure in scope (各区, 哪个部门)
    final: bool | None = None  # the question asks 决算 (True), 预算 (False), or does not say (None)
    both_kinds: bool = False  # it asks 预算 and 决算 together (年初预算数 vs 决算数, 完成率)
    following: bool = False  # the year asked has no disclosure: only what the following year's states counts
    refusal: tuple[str, str] | None = None  # (Chinese, English) when nothing indexed fits
    named: bool = False  # the question named a place, department or year

    own_years: tuple[int, ...] = ()  # the years of the disclosures in scope

    def narrow(self, intent: Intent) -> Intent:
        """Given the question's intent, return it with its years, base years and 预算单位 as resolved here. The
        years of the disclosures in scope count with the base years: a figure of its own year is each
        document's answer, not another year's ('青溪区2022年和北岭区2023年')."""
        columns = list(intent.column_terms)
        if self.comparison_years or len(self.years) > 1:
            columns += [f"{y}年" for y in (*self.years, *self.comparison_years) if f"{y}年" not in columns]
        return intent.model_copy(update={
            "years": self.years, "comparison_years": tuple(sorted(set(self.comparison_years) | set(self.own_years))),
            "budget_units": self.budget_units, "column_terms": tuple(columns)})


@cache
def scope_words() -> dict:
    return vocabulary()["scope"]


def resolve_scope(intent: Intent, entries: tuple[CatalogueEntry, ...], filters: dict | None = None) -> Scope:
    """Given a question's intent, the catalogue and any filters (doc_id, year, region, department, kind),
    return the disclosures it is about, or why none is."""
    entries = tuple(freeze_entry(e) for e in entries)
    pool = [e for e in entries if passes_filters(e, filters or {})]
    if not pool:
        return refused(f"{NOT_FOUND}符合筛选条件的文档。", "no indexed document matches the filters", (), entries)
    names = intent.names
    if names.unknown:
        return unknown_refusal(names, pool)
    fitting = [e for e in pool if fits_names(e, names)]
    if not fitting:
        asked = "、".join(w.text for w in names.whos)
        return refused(f"{NOT_FOUND}同时符合{asked}的文档。", f"nothing indexed fits all of {asked}", closest(pool, names),
                       pool)
    wanted = years_wanted(intent, fitting)
    dated = [e for e in fitting if not wanted or e.year in wanted]
    following = False
    if not dated:
        dated = [e for e in fitting if e.year is not None and e.year - 1 in wanted]
        following = bool(dated)
        if not dated:
            asked = "、".join(f"{y}年" for y in sorted(wanted))
            return refused(f"{NOT_FOUND}{who(fitting, names)}{asked}的文档。", f"no disclosure for {asked} is indexed",
                           fitting)
    final, both = asked_kind(intent.normalized)
    kept = of_kinds_asked(dated, names, intent.normalized)
    if not kept:
        return refused(f"{NOT_FOUND}{who(dated, names)}的决算（实际支出）数据：已索引的是预算文件。",
                       "the disclosures in scope are budgets; they hold no final accounts (决算)", dated)
    named = bool(names.whos or names.within or intent.years or intent.relative_year)
    units, kept = units_named(intent.unit_mentions, kept, entries, narrow=not named, names=names)
    unlisted = unlisted_units(intent.unit_mentions, kept, entries, intent.normalized)
    if unlisted:
        listed = "、".join(dict.fromkeys(u for e in kept for u in e.budget_units)) or "无"
        asked = "、".join(f"『{m}』" for m in unlisted)
        return refused(f"{NOT_FOUND}{asked}单独的数字：{who(kept, names)}的表格没有单独列出这一预算单位"
                       f"（列出的预算单位：{listed}）。", f"no table in scope lists the unit {asked} on its own", kept)
    ordered = sorted(kept, key=lambda e: position(e, names, len(intent.normalized)))
    years = tuple(sorted(wanted)) if wanted else ()
    return Scope(
        doc_ids=tuple(e.doc_id for e in ordered),
        years=years,
        comparison_years=comparison_years(intent, ordered, years),
        own_years=tuple(sorted({e.year for e in ordered if e.year})),
        budget_units=units,
        labelled=len(ordered) > 1 and len(names.whos) <= 1 and not names.across,
        across=names.across,
        final=final,
        both_kinds=both,
        following=following,
        named=named,
    )


def passes_filters(entry: CatalogueEntry, filters: dict) -> bool:
    """Given an entry and UI/API filters, return whether it passes them all (an empty filter passes)."""
    tests = {
        "doc_id": lambda v: entry.doc_id == v,
        "year": lambda v: str(entry.year) == str(v),
        "district": lambda v: match_key(v) in map(match_key, entry.region),
        "region": lambda v: match_key(v) in map(match_key, entry.region),
        "department": lambda v: match_key(v) == match_key(entry.department),
        "kind": lambda v: v in (entry.kind or ""),
    }
    return all(tests[key](value) for key, value in filters.items() if value and key in tests)


def fits_names(entry: CatalogueEntry, names: Names) -> bool:
    """Given an entry and the names of a question, return whether it is one of what the question asks about
    (any, when it names nothing), inside the places that narrow them all."""
    if names.within and not names.within & set(entry.region):
        return False
    return not names.whos or any(is_who(entry, who) for who in names.whos)


def is_who(entry: CatalogueEntry, who: Who) -> bool:
    """Given an entry and one organisation or place asked about, return whether the entry is its disclosure:
    of the department, and in every place written with it."""
    if who.departments and entry.department not in who.departments:
        return False
    return who.places <= set(entry.region)


def years_wanted(intent: Intent, fitting: list[CatalogueEntry]) -> set[int]:
    """Given the intent and what fits its names, return the years it asks about: those named, and relative
    ones (今年, 去年) counted from the latest year of each place or department named (of all, if none is)."""
    wanted = set(intent.years)
    relative = [m for m in intent.year_mentions if m.year is None and not m.comparison and m.offset is not None]
    for group in groups(fitting, intent.names):
        latest = max((e.year for e in group if e.year), default=None)
        if latest is not None:
            wanted |= {latest + m.offset for m in relative}
    return wanted


def groups(entries: list[CatalogueEntry], names: Names) -> list[list[CatalogueEntry]]:
    """Given entries and the names of a question, return them grouped by what each is asked as (all in one
    group when nothing is named)."""
    if not names.whos:
        return [entries]
    return [g for who in names.whos if (g := [e for e in entries if is_who(e, who)])]


def comparison_years(intent: Intent, entries: list[CatalogueEntry], years: tuple[int, ...]) -> tuple[int, ...]:
    """Given the intent, the entries in scope and the years asked, return the base years of a comparison:
    those named, and 比上年 / 同比 counted from each year asked (each document's year, when none is)."""
    base = set(intent.comparison_years)
    own = set(years) or {e.year for e in entries if e.year}
    for mention in intent.year_mentions:
        if mention.comparison and mention.year is None and mention.offset is not None:
            base |= {y + mention.offset for y in own}
    return tuple(sorted(base))


def asked_kind(question: str) -> tuple[bool | None, bool]:
    """Given a question, return whether it asks 决算 (True), 预算 (False) or does not say (None), and whether
    it asks both together (年初预算数 vs 决算数, 完成率)."""
    words = scope_words()
    final = any(w in question for w in words["final_words"])
    both = final and any(w in question for w in words["plan_words"]) or any(w in question for w in words["both_words"])
    budget = any(w in question for w in words["budget_words"])
    return (True if final or both else False if budget else None), both


def of_kinds_asked(entries: list[CatalogueEntry], names: Names, question: str) -> list[CatalogueEntry]:
    """Given the entries of the years asked, the question's names and the question, return those to answer from,
    each organisation named of the year and kind its own words ask ('A 2025年…预算比B 2024年…实际支出高多少':
    A's 2025 budget, B's 2024 决算): the words from its name to the next, else the question's."""
    whos = sorted(names.whos, key=lambda w: w.start)
    whole = asked_kind(question)
    if len(whos) < 2:
        return of_kind(entries, *whole)
    kept: list[CatalogueEntry] = []
    for k, who in enumerate(whos):
        words = question[who.start:whos[k + 1].start if k + 1 < len(whos) else len(question)]
        own = asked_kind(words)
        years = {int(y) for y in YEAR_WRITTEN.findall(words)}
        own_entries = [e for e in entries if is_who(e, who) and (not years or e.year in years)]
        kept += [e for e in of_kind(own_entries, *(own if own[0] is not None else whole)) if e not in kept]
    return kept


def of_kind(entries: list[CatalogueEntry], final: bool | None, both: bool) -> list[CatalogueEntry]:
    """Given the entries of the years asked and the kind asked, return those to answer from: 决算 documents
    for a 决算 question; otherwise the budget of a department and year where its 决算 is indexed too."""
    if final:
        return [e for e in entries if e.final]
    budgets = {(e.department, e.year) for e in entries if not e.final}
    return [e for e in entries if not e.final or (e.department, e.year) not in budgets]


def position(entry: CatalogueEntry, names: Names, end: int) -> tuple[int, int, str]:
    """Given an entry, return where the question first asks about it, then its year (latest first), for
    answering in the order asked."""
    at = [who.start for who in names.whos if is_who(entry, who)]
    return (min(at) if at else end, -(entry.year or 0), entry.doc_id)


# --------------------------------------------------------------------------- 预算单位 inside a disclosure


def units_named(mentions: UnitMentions, kept: list[CatalogueEntry], entries: tuple[CatalogueEntry, ...],
                narrow: bool = False, names: Names | None = None) -> tuple[dict[str, tuple[str, ...]], list[CatalogueEntry]]:
    """Given the unit words of a question, the entries in scope, the whole catalogue and the organisations the
    question names, return doc → 预算单位 named and the entries kept (see resolve_units)."""
    vocab = load_vocabulary()
    return resolve_units(kept, lambda entry: mentions_of(entry, mentions, names),
                         prepare_catalogue(tuple(entries), vocab), vocab, narrow)


def mentions_of(entry: CatalogueEntry, mentions: UnitMentions, names: Names | None) -> UnitMentions:
    """Given a disclosure and the unit words of a question naming several organisations, return the words that
    name units of that disclosure: those after its organisation and before the next one ('东城区…（本级加大数据
    中心）比西山区…': 本级 and 大数据中心 are 东城's); words before every name belong to the first."""
    whos = sorted(names.whos, key=lambda w: w.start) if names else []
    if len(whos) < 2:
        return mentions
    own = next((i for i, w in enumerate(whos) if is_who(entry, w)), None)
    if own is None:
        return mentions
    start = whos[own].start if own else 0
    end = whos[own + 1].start if own + 1 < len(whos) else 10 ** 6
    return mentions.within(start, end)


def unlisted_units(mentions: UnitMentions, kept: list[CatalogueEntry], entries: tuple[CatalogueEntry, ...],
                   question: str) -> list[str]:
    """Given the unit words of a question, the disclosures in scope, the whole catalogue and the question, return
    the words that name a 预算单位 whose own figure is asked (a figure word follows it: '附属小学2023年单独的决算支出',
    not '社区公共服务中心新建工程') and that none of them lists: no unit of theirs fits it, and none of them prints
    it as a row, its department or a place. Its figure is not there to give, and the whole department's is not its."""
    vocab = load_vocabulary()
    view = prepare_catalogue(tuple(entries), vocab)
    figure_words = tuple(vocabulary()["figure_words"]) + tuple(vocab.concept_synonyms)
    unlisted = []
    for mention, at in zip(mentions.texts, mentions.texts_at):
        after = OWN_FIGURE_LEAD.sub("", question[at + len(mention):])
        if len(mention) < vocab.min_subsequence_chars or not after.startswith(figure_words):
            continue
        if any(resolve_unit(e.doc_id, UnitMentions(False, (mention,)), view, vocab)[0] for e in kept):
            continue
        printed = [p for e in kept for p in (e.department or "", *e.region, *e.row_names, *e.budget_units)]
        if not any(mention in match_key(p) for p in printed):
            unlisted.append(mention)
    return unlisted



def unit_score(mention: str, unit: UnitInfo, vocab: Vocabulary) -> float:
    """Given a mention and a sub-unit, return how well the mention names it (0 = not at all).

    The exact short name beats its end or a contained part (讲师团 of 理论讲师团, 大数据中心 in 政务服务和大数据
    中心), which beats a subsequence ending alike, from the same first character or long enough (数据中心 →
    数据管理中心, 市委讲师团 → 中共东海市委理论讲师团).
    """
    if len(mention) < vocab.min_subsequence_chars or not unit.short:
        return 0.0
    if mention == unit.short:
        return 100.0 + len(mention)
    if unit.short.endswith(mention) or (mention in unit.short and len(mention) > vocab.min_subsequence_chars):
        return float(len(mention))
    if mention[-1] == unit.short[-1] and in_order(mention, unit.short) and \
            (mention[0] == unit.short[0] or len(mention) > vocab.min_subsequence_chars):
        return len(mention) - 0.5
    return 0.0


def resolve_unit(doc_id: str, mentions: UnitMentions, view: CatalogueView, vocab: Vocabulary) -> tuple[list[str], float]:
    """Given one document and the unit words named, return its 预算单位 so named and the best score.

    本级 words name the unit containing the own-level marker; every other mention names the
    sub-unit it fits best. Both may be named at once (本级和大数据中心).
    """
    units = view.units.get(doc_id, ())
    named: list[str] = []
    score = 0.0
    if mentions.own_level:
        # A unit printed with the marker (…（本级）) is the 本级 itself; the department row is only its stand-in.
        own = sorted((u for u in units if u.own_level), key=lambda u: vocab.own_level_marker not in normalize(u.name))
        if own:
            named.append(own[0].name)
            score = 1000.0
    for mention in mentions.texts:
        best: tuple[str | None, float] = (None, 0.0)
        for unit in units:
            if unit.own_level or not unit.short:
                continue
            fit = unit_score(mention, unit, vocab)
            if fit > best[1]:
                best = (unit.name, fit)
        if best[0] and best[0] not in named:
            named.append(best[0])
            score = max(score, best[1])
    return named, score


def resolve_units(entries: list[CatalogueEntry], mentions: Callable[[CatalogueEntry], UnitMentions],
                  view: CatalogueView, vocab: Vocabulary,
                  narrow: bool) -> tuple[dict[str, tuple[str, ...]], list[CatalogueEntry]]:
    """Given the entries in scope and the unit words, return doc → 预算单位 named and the entries kept.

    When no place, department or year was named (``narrow``), a unit name also picks the documents: those
    whose unit matches best (大数据中心 alone → the documents having such a centre).
    """
    scored = {e.doc_id: resolve_unit(e.doc_id, mentions(e), view, vocab) for e in entries}
    named = {d: (tuple(u), s) for d, (u, s) in scored.items() if u}
    if not named:
        return {}, entries
    if narrow:
        top = max(s for _, s in named.values())
        named = {d: (u, s) for d, (u, s) in named.items() if s == top}
        entries = [e for e in entries if e.doc_id in named]
    return {d: u for d, (u, _) in named.items()}, entries


# --------------------------------------------------------------------------- refusals


def unknown_refusal(names: Names, pool: list[CatalogueEntry]) -> Scope:
    """Given names of which some no indexed disclosure is about, return the refusal listing what comes closest."""
    unknown = "、".join(names.unknown)
    return refused(f"{NOT_FOUND}{unknown}的预算或决算文件。", f"no disclosure of {unknown} is indexed",
                   closest(pool, names), pool)


def closest(pool: list[CatalogueEntry], names: Names) -> list[CatalogueEntry]:
    """Given the entries and the names asked, return the entries that share a place or department with them,
    most shared first."""
    def shared(entry: CatalogueEntry) -> int:
        places = sum(len(set(entry.region) & (who.places | names.within)) for who in names.whos)
        departments = sum(entry.department in who.departments for who in names.whos)
        within = sum(any(place in unknown for place in entry.region) for unknown in names.unknown)  # 南江省公安厅
        alike = sum(len(ending(unknown, entry.department or "")) >= 2 for unknown in names.unknown)  # …铁路运输法院
        return places + 2 * departments + within + alike
    return sorted((e for e in pool if shared(e)), key=lambda e: -shared(e))


def ending(a: str, b: str) -> str:
    """Given two names, return the end they share (人民法院, 法院 → 法院)."""
    return os.path.commonprefix([a[::-1], b[::-1]])[::-1]


def who(entries: list[CatalogueEntry], names: Names) -> str:
    """Given the entries that fit the question's names, return whom they are about, in the documents' words."""
    departments = list(dict.fromkeys(e.department for e in entries if e.department))
    if departments and len(departments) <= 3:
        return "、".join(departments)
    return "、".join(w.text for w in names.whos)


def refused(zh: str, en: str, closest_entries: list[CatalogueEntry] | tuple[CatalogueEntry, ...],
            pool: list[CatalogueEntry] | tuple[CatalogueEntry, ...] = ()) -> Scope:
    """Given why nothing fits, the entries that come closest and all there are, return the refusing scope: it
    lists the closest, or else what is indexed."""
    listed, heading = (closest_entries, "已索引的相近文档") if closest_entries else (pool, "已索引的文档")
    shown = "；".join(e.label() for e in list(listed)[:CLOSEST_SHOWN])
    more = f"等 {len(listed)} 份" if len(listed) > CLOSEST_SHOWN else ""
    return Scope(refusal=(f"{zh}{heading}：{shown}{more}。" if shown else zh, en))
