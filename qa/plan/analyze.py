"""Question → Intent: what a question about 部门预算 disclosures names and asks.

The analyzer reads a question the way the answer code needs it: which documents it is about
(district, year, department), which 预算单位 inside them, which figures (table concepts, subject
rows, 科目编码, columns) and what to do with them (look up, add, subtract, compare, rank, or
answer from the text).  It never answers; it only describes.

Every word that varies between districts, years, departments and phrasings is read from
``qa/plan/vocabulary.yaml``; the code holds only the procedure.  Entities are found in a fixed order,
and each one found masks its characters so that later steps cannot reuse them (so 上年 in
上年结余 is a table row, not "last year", and 合计 in 本年收入合计 is not "add up").  Among
overlapping words the longest wins.

``analyze`` never raises: any string, however long or odd, gives an Intent.
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from index.reading.meta import name_to_region
from index.tables.kinds import knowledge
from qa.plan.names import CatalogueEntry, Names, prepare as prepare_names, question_names, unknown_places
from qa.plan.words import vocabulary

log = logging.getLogger(__name__)

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")

_HAN = re.compile(r"[\u3400-\u9fff]")
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2028-\u202f\u2060\ufeff]+")
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


# ---------------------------------------------------------------------------------------------
# Public types
# ---------------------------------------------------------------------------------------------

class Lookup(BaseModel):
    """Where a concept's figure stands: a table kind (index/tables/table_kinds.yaml), side, row, column."""

    model_config = ConfigDict(frozen=True)

    table: str | None = None
    side: str | None = None
    rows: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    unit_row: bool = False
    columns: tuple[str, ...] = ()


class ConceptMatch(BaseModel):
    """A table concept the question names, with where the vocabulary says it lives."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: Literal["amount", "count", "table", "narrative"] = "amount"
    matched: str = ""  # the words of the question that named it
    lookups: tuple[Lookup, ...] = ()
    text_subjects: tuple[str, ...] = ()
    section: tuple[str, ...] = ()

    @property
    def tables(self) -> tuple[str, ...]:
        """The table kinds where this concept lives, in lookup order."""
        seen: list[str] = []
        for lookup in self.lookups:
            if lookup.table is not None and lookup.table not in seen:
                seen.append(lookup.table)
        return tuple(seen)


@dataclass(frozen=True)
class UnitMentions:
    """Words naming a 预算单位: whether a 本级 word is used, and the words that may name a sub-unit."""

    own_level: bool
    texts: tuple[str, ...]  # sub-unit short names and X中心 runs
    own_at: tuple[int, ...] = ()  # where each 本级 word stands in the question
    texts_at: tuple[int, ...] = ()  # where each of texts stands

    def within(self, start: int, end: int) -> UnitMentions:
        """Return the mentions standing between start and end (those of one organisation the question names)."""
        texts = [(t, at) for t, at in zip(self.texts, self.texts_at) if start <= at < end]
        own = tuple(at for at in self.own_at if start <= at < end)
        return UnitMentions(bool(own), tuple(t for t, _ in texts), own, tuple(at for _, at in texts))


@dataclass(frozen=True)
class YearMention:
    year: int | None  # absolute year, or None for a relative word
    offset: int | None  # relative offset (今年 0, 去年 −1)
    word: str
    comparison: bool  # base of a comparison (比上年, 较2023年)


Operation = Literal[
    "lookup", "sum", "difference", "share", "ratio", "growth_rate", "growth_amount",
    "max", "min", "compare", "narrative", "per",
]


class Intent(BaseModel):
    """What a question names and asks, resolved against the catalogue of indexed documents."""

    model_config = ConfigDict(frozen=True)

    question: str = ""
    normalized: str = ""
    empty: bool = False
    truncated: bool = False  # only the first `limits.max_chars` characters were analysed
    error: str | None = None  # set only if analysis failed unexpectedly (the Intent is then bare)

    names: Names = Names()  # the places and departments named (qa/names.py)
    year_mentions: tuple[YearMention, ...] = ()  # every year named, absolute or relative, and whether it is a comparison's base
    years: tuple[int, ...] = ()  # the years the question is about (absolute; qa/scope.py adds the relative ones)
    relative_year: str | None = None  # the relative word used (今年, 去年 …)
    comparison_years: tuple[int, ...] = ()  # base years of a comparison (比上年, 较2023年), as resolved in scope
    unit_mentions: UnitMentions = Field(default_factory=lambda: UnitMentions(False, ()))  # words naming a 预算单位
    budget_units: dict[str, tuple[str, ...]] = Field(default_factory=dict)  # doc_id → 预算单位 named (set in scope)

    concepts: tuple[ConceptMatch, ...] = ()
    row_terms: tuple[str, ...] = ()  # subject names / 科目编码 that are not concepts
    column_terms: tuple[str, ...] = ()
    tables_named: tuple[str, ...] = ()  # the kinds of the tables named as 表8, 表八 …

    operation: Operation = "lookup"
    wants_number: bool = False
    unit_hint: str | None = None  # 万元 / 元 / % … when the question names the unit wanted
    keywords: tuple[str, ...] = ()  # remaining content words, for retrieval

    @property
    def concept_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.concepts)

    @property
    def budget_unit(self) -> str | None:
        """The first 预算单位 named (None: the whole department)."""
        return next((units[0] for units in self.budget_units.values() if units), None)

    @property
    def unit_named(self) -> bool:
        return bool(self.budget_units)


# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConceptDef:
    name: str
    kind: str
    synonyms: tuple[str, ...]
    lookups: tuple[Lookup, ...]
    text_subjects: tuple[str, ...]
    section: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: one loaded vocabulary, cached with it
class Vocabulary:
    """The yaml, with every word normalised the way questions are."""

    max_chars: int
    two_digit_years: tuple[int, int]
    quote_chars: str
    mention_cut_chars: frozenset[str]
    own_level_marker: str
    own_level: tuple[str, ...]
    unit_mention_suffixes: tuple[str, ...]
    unit_mention_prefixes: tuple[str, ...]
    min_subsequence_chars: int
    relative_years: dict[str, int]
    comparison_before: tuple[str, ...]
    comparison_after: tuple[str, ...]
    implicit_previous_year: tuple[str, ...]
    duration_before: tuple[str, ...]
    duration_after: tuple[str, ...]
    concepts: dict[str, ConceptDef]
    concept_synonyms: dict[str, str]  # synonym → concept name
    bare_budget_words: tuple[str, ...]
    default_concept: str | None
    table_reference: re.Pattern
    columns: dict[str, str]  # synonym → column name
    common_rows: tuple[str, ...]
    row_stopwords: frozenset[str]
    row_strip_suffixes: tuple[str, ...]
    row_strip_min_chars: int
    subject_code: re.Pattern
    amount_suffixes: tuple[str, ...]
    ops: dict[str, tuple[str, ...]]
    share_pattern: re.Pattern
    difference_pattern: re.Pattern
    unit_hints: dict[str, str]
    keyword_stopwords: frozenset[str]


def normalize(text: str) -> str:
    """Given any text, return it NFKC-normalised with all whitespace removed.

    NFKC folds full-width digits, letters and brackets (２０２４ → 2024, （ → ( ), so questions
    and documents typed either way compare equal; Chinese needs no spaces between words.
    """
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def strip_quotes(text: str, quote_chars: str) -> str:
    """Given normalised text, return it without quote marks, so “三公”经费 reads as 三公经费."""
    return text.translate({ord(c): None for c in quote_chars})


QUOTED = re.compile(r"[“‘「『\"]([^“”‘’「」『』\"]{2,30})[”’」』\"]")


def quoted_items(normalized: str, concepts: list[ConceptMatch], rows: list[str]) -> list[str]:
    """Given the normalised question and the subjects matched, return the items it names in quotes that no
    subject covers: “政务管理” is a project's name even where its words also name the department."""
    covered = [c.matched or c.name for c in concepts] + rows
    return [q for q in QUOTED.findall(normalized) if not any(q in words for words in covered)]


def as_tuple(value: Any) -> tuple[str, ...]:
    """Given a yaml scalar, list or nothing, return a tuple of strings."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value if v is not None)
    return (str(value),)


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = VOCABULARY_PATH) -> Vocabulary:
    """Given the yaml path, return the vocabulary with every word normalised (read once)."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    limits = raw.get("limits", {})
    quotes = str(limits.get("quote_chars", "“”‘’\"'"))

    def norm(word: Any) -> str:
        return strip_quotes(normalize(str(word)), quotes)

    def norms(words: Any) -> tuple[str, ...]:
        return tuple(w for w in (norm(x) for x in as_tuple(words)) if w)

    concepts: dict[str, ConceptDef] = {}
    concept_synonyms: dict[str, str] = {}
    for entry in raw.get("concepts", []):
        definition = ConceptDef(
            name=str(entry["name"]),
            kind=str(entry.get("kind", "amount")),
            synonyms=norms(entry.get("synonyms")) + (norm(entry["name"]),),
            lookups=tuple(yaml_to_lookup(item) for item in entry.get("lookups") or []),
            text_subjects=as_tuple(entry.get("text")),
            section=as_tuple(entry.get("section")),
        )
        concepts[definition.name] = definition
        for synonym in definition.synonyms:
            concept_synonyms.setdefault(synonym, definition.name)

    columns: dict[str, str] = {}
    for entry in raw.get("columns", []):
        for synonym in norms(entry.get("synonyms")) + (norm(entry["name"]),):
            columns.setdefault(synonym, str(entry["name"]))

    units = raw.get("budget_units", {})
    years = raw.get("relative_years", {})
    ops = raw.get("operations", {})
    row_suffixes = raw.get("row_suffixes", {})
    low, high = limits.get("two_digit_years", [10, 49])
    return Vocabulary(
        max_chars=int(limits.get("max_chars", 1000)),
        two_digit_years=(int(low), int(high)),
        quote_chars=quotes,
        mention_cut_chars=frozenset(norms(units.get("mention_cut_chars"))),
        own_level_marker=norm(units.get("own_level_marker", "本级")),
        own_level=norms(units.get("own_level")),
        unit_mention_suffixes=norms(units.get("mention_suffixes", ["中心"])),
        unit_mention_prefixes=norms(units.get("mention_prefixes")),
        min_subsequence_chars=int(units.get("min_subsequence_chars", 3)),
        relative_years={norm(k): int(v) for k, v in years.items()},
        comparison_before=tuple(sorted(norms(raw.get("comparison_before")), key=len, reverse=True)),
        comparison_after=norms(raw.get("comparison_after")),
        implicit_previous_year=norms(raw.get("implicit_previous_year")),
        duration_before=norms(raw.get("duration_before")),
        duration_after=norms(raw.get("duration_after")),
        concepts=concepts,
        concept_synonyms=concept_synonyms,
        bare_budget_words=norms(raw.get("bare_budget_words")),
        default_concept=raw.get("default_concept"),
        table_reference=re.compile(str(raw.get("table_reference_pattern", r"表\s*([0-9]{1,2})"))),
        columns=columns,
        common_rows=as_tuple(raw.get("common_rows")),
        row_stopwords=frozenset(norms(raw.get("row_stopwords"))),
        row_strip_suffixes=tuple(sorted(norms(row_suffixes.get("strip")), key=len, reverse=True)),
        row_strip_min_chars=int(row_suffixes.get("min_chars", 3)),
        subject_code=re.compile(str(raw.get("subject_code_pattern", r"[23]\d\d(?:\d\d){0,2}"))),
        amount_suffixes=tuple(str(s) for s in raw.get("amount_suffixes", [])),
        ops={key: norms(value) for key, value in ops.items() if not key.endswith("_pattern")},
        share_pattern=re.compile(str(ops.get("share_pattern", r"占.{0,20}?(?:百分之|比例|比重)"))),
        difference_pattern=re.compile(str(ops["difference_pattern"])),
        unit_hints={norm(k): str(v) for k, v in (raw.get("unit_hints") or {}).items()},
        keyword_stopwords=frozenset(norms(raw.get("keyword_stopwords"))),
    )


def yaml_to_lookup(item: dict) -> Lookup:
    """Given one yaml lookup ({table, side, row, code, unit_row, column}), return it typed."""
    return Lookup(
        table=item.get("table"),
        side=item.get("side"),
        rows=as_tuple(item.get("row")),
        codes=as_tuple(item.get("code")),
        unit_row=bool(item.get("unit_row", False)),
        columns=as_tuple(item.get("column")),
    )


# ---------------------------------------------------------------------------------------------
# What the catalogue adds to the vocabulary
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitInfo:
    name: str  # as the catalogue spells it
    short: str  # normalised, without its region and without the own-level marker
    own_level: bool


@dataclass(frozen=True, eq=False)
class CatalogueView:
    """The catalogue, prepared for matching: its names, units and row names (built once per catalogue)."""

    entries: tuple[CatalogueEntry, ...]
    units: dict[str, tuple[UnitInfo, ...]]  # doc_id → units
    unit_terms: tuple[str, ...]  # normalised short names of sub-units, for masking
    rows: dict[str, str]  # normalised row word → row name as printed


def unit_info(unit: str, entry: CatalogueEntry, vocab: Vocabulary) -> UnitInfo:
    """Given a 预算单位 name, return its matching form: short name and whether it is the 本级."""
    norm = strip_quotes(normalize(unit), vocab.quote_chars)
    marker = vocab.own_level_marker
    department = strip_quotes(normalize(entry.department or ""), vocab.quote_chars)
    own = bool(marker) and marker in norm
    bare = re.sub(r"\(?" + re.escape(marker) + r"\)?", "", norm) if marker else norm
    own = own or (bool(department) and bare == department)
    return UnitInfo(name=unit, short=name_to_region(bare)[1] or bare, own_level=own)


def row_vocabulary(entries: Iterable[CatalogueEntry], vocab: Vocabulary, exclude: set[str]) -> dict[str, str]:
    """Given the catalogue, return row words → row names: the names, then names minus 费/支出."""
    names: dict[str, str] = {}
    for name in list(vocab.common_rows) + [n for e in entries for n in e.row_names]:
        key = strip_quotes(normalize(str(name)), vocab.quote_chars)
        if len(key) < 2 or key in vocab.row_stopwords or key in exclude or not _HAN.search(key):
            continue
        names.setdefault(key, str(name))
    stripped: dict[str, str] = {}
    for key, name in names.items():
        for suffix in vocab.row_strip_suffixes:
            rest = key[: -len(suffix)]
            if key.endswith(suffix) and len(rest) >= vocab.row_strip_min_chars and rest not in names:
                stripped.setdefault(rest, name)
                break
    return {**stripped, **names}


@lru_cache(maxsize=16)
def prepare_catalogue(entries: tuple[CatalogueEntry, ...], vocab: Vocabulary) -> CatalogueView:
    """Given the catalogue, return what matching needs from it (cached: catalogues rarely change)."""
    units = {e.doc_id: tuple(unit_info(u, e, vocab) for u in e.budget_units) for e in entries}
    unit_terms = tuple(sorted({u.short for us in units.values() for u in us if not u.own_level and len(u.short) >= 2}))
    exclude = {strip_quotes(normalize(u), vocab.quote_chars) for e in entries for u in e.budget_units}
    exclude |= {strip_quotes(normalize(e.department or ""), vocab.quote_chars) for e in entries}
    return CatalogueView(entries=entries, units=units, unit_terms=unit_terms, rows=row_vocabulary(entries, vocab, exclude))


# ---------------------------------------------------------------------------------------------
# Word segmentation (a private jieba tokenizer, so our user words never leak into others')
# ---------------------------------------------------------------------------------------------

_TOKENIZER = None
_TOKENIZER_WORDS: set[str] = set()
_TOKENIZER_LOCK = threading.Lock()


def tokenizer_with(words: Iterable[str]):
    """Given words to know, return a private jieba tokenizer whose user dictionary holds them.

    A private ``jieba.Tokenizer`` keeps our vocabulary (row names, district nicknames) out of the
    global jieba used by retrieval; words are added once and kept.
    """
    global _TOKENIZER
    import jieba

    with _TOKENIZER_LOCK:
        if _TOKENIZER is None:
            _TOKENIZER = jieba.Tokenizer()
        for word in words:
            if word and word not in _TOKENIZER_WORDS and len(word) >= 2:
                _TOKENIZER.add_word(word, freq=200000)
                _TOKENIZER_WORDS.add(word)
        return _TOKENIZER


def user_words(vocab: Vocabulary, view: CatalogueView) -> tuple[str, ...]:
    """Given the vocabulary and the catalogue, return every word the tokenizer must keep whole."""
    words = set(prepare_names(view.entries).places) | set(vocab.concept_synonyms)
    words |= set(vocab.columns) | set(view.rows) | set(view.unit_terms)
    words |= set(vocab.relative_years) | set(vocab.own_level)
    return tuple(sorted(w for w in words if _HAN.search(w)))


def tokens(text: str, vocab: Vocabulary, view: CatalogueView) -> list[tuple[str, int, int]]:
    """Given the work text, return its jieba tokens with their [start, end) positions."""
    if not _HAN.search(text):
        return []
    tokenizer = tokenizer_with(user_words(vocab, view))
    with _TOKENIZER_LOCK:
        return list(tokenizer.tokenize(text))


# ---------------------------------------------------------------------------------------------
# The sheet: the question's characters, and which of them a found word has already taken
# ---------------------------------------------------------------------------------------------

@dataclass
class Match:
    start: int
    end: int
    text: str
    payload: Any = None


@dataclass
class Sheet:
    """The text being read and the spans taken so far, by category (district, concept, year …)."""

    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)

    def taken(self, exclude: frozenset[str] = frozenset()) -> list[bool]:
        marks = [False] * len(self.text)
        for start, end, category in self.spans:
            if category not in exclude:
                for i in range(start, end):
                    marks[i] = True
        return marks

    def take(self, match: Match, category: str) -> None:
        self.spans.append((match.start, match.end, category))

    def residue(self, exclude: frozenset[str] = frozenset(), filler: str = "\x00") -> str:
        """Return the text with taken characters replaced, so no cue word can span a found one."""
        marks = self.taken(exclude)
        return "".join(filler if m else c for c, m in zip(self.text, marks))


def occurrences(text: str, terms: dict[str, Any]) -> list[Match]:
    """Given text and terms → payloads, return every occurrence of every term."""
    found = []
    for term, payload in terms.items():
        if not term:
            continue
        start = text.find(term)
        while start != -1:
            found.append(Match(start, start + len(term), term, payload))
            start = text.find(term, start + 1)
    return found


def longest_matches(sheet: Sheet, terms: dict[str, Any], category: str | None) -> list[Match]:
    """Given the sheet and terms, return non-overlapping matches on free text, longest first.

    With a category the matches are taken (masked) on the sheet; with None they are only read.
    """
    marks = sheet.taken()
    accepted = []
    for match in sorted(occurrences(sheet.text, terms), key=lambda m: (m.start - m.end, m.start)):
        if any(marks[match.start:match.end]):
            continue
        for i in range(match.start, match.end):
            marks[i] = True
        accepted.append(match)
        if category:
            sheet.take(match, category)
    return sorted(accepted, key=lambda m: m.start)


def asks_consistency(question: str) -> bool:
    """Given a question, return whether it asks whether the document agrees with itself ('…一致吗', '对得上吗')."""
    return any(cue in question for cue in vocabulary()["consistency_cues"])


def found_words(text: str, words: Iterable[str]) -> list[str]:
    """Given text and cue words, return the cue words it contains."""
    return [w for w in words if w and w in text]


def unique(items: Iterable[Any]) -> list[Any]:
    """Given items, return them without repeats, first occurrence first."""
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


# ---------------------------------------------------------------------------------------------
# 预算单位
# ---------------------------------------------------------------------------------------------

def match_unit_mentions(sheet: Sheet, view: CatalogueView, vocab: Vocabulary) -> UnitMentions:
    """Given the sheet, take words naming a 预算单位: 本级 words, sub-unit names and nicknames.

    A run of characters ending like a unit (…中心) that the vocabulary does not list counts as
    well, trimmed after its last function character (下属的大数据中心 → 大数据中心), so that a
    question may name a sub-unit the vocabulary has never seen.
    """
    terms: dict[str, Any] = {w: "own" for w in vocab.own_level}
    terms.update({w: "unit" for w in view.unit_terms})
    matches = longest_matches(sheet, terms, "unit")
    texts = [(m.text, m.start) for m in matches if m.payload == "unit"]
    residue = sheet.residue()
    for suffix in vocab.unit_mention_suffixes:
        for run in re.finditer(r"[\u4e00-\u9fff]{1,10}?" + re.escape(suffix), residue):
            mention = trim_mention(run.group(0), vocab)
            texts.append((mention, run.end() - len(mention)))
    own = tuple(m.start for m in matches if m.payload == "own")
    return UnitMentions(own_level=bool(own), texts=tuple(t for t, _ in texts), own_at=own,
                        texts_at=tuple(at for _, at in texts))


def trim_mention(run: str, vocab: Vocabulary) -> str:
    """Given a run such as 下属的大数据中心, return it after its last function character or prefix word."""
    cut = 0
    for i, ch in enumerate(run[:-1]):
        if ch in vocab.mention_cut_chars:
            cut = i + 1
    for prefix in vocab.unit_mention_prefixes:
        at = run.rfind(prefix, cut)
        if at != -1:
            cut = max(cut, at + len(prefix))
    return run[cut:]


# ---------------------------------------------------------------------------------------------
# Concepts, rows, codes, columns, tables
# ---------------------------------------------------------------------------------------------

def match_subjects(sheet: Sheet, view: CatalogueView, vocab: Vocabulary,
                   inside: list[tuple[int, str]] = ()) -> tuple[list[ConceptMatch], list[str]]:
    """Given the sheet (and the names of units it holds, where they start), take concept words and row names
    together (longest wins) and return both.

    Matching them together lets 其他对个人和家庭的补助 (a row) beat 对个人和家庭的补助 (a concept)
    inside it; a word that is both names the concept. A row name inside a unit's name is part of that name
    (服务 of 社区公共服务中心), no item.
    """
    terms: dict[str, Any] = {word: ("row", name) for word, name in view.rows.items()}
    terms.update({word: ("concept", name) for word, name in vocab.concept_synonyms.items()})
    concepts: list[ConceptMatch] = []
    rows: list[str] = []
    for match in longest_matches(sheet, terms, "subject"):
        kind, name = match.payload
        if kind == "concept":
            if name not in [c.name for c in concepts]:
                concepts.append(concept_match(vocab.concepts[name], match.text))
        elif name not in rows and not any(at <= match.start and match.end <= at + len(unit) and len(unit) > len(match.text)
                                          for at, unit in inside):
            rows.append(name)
    return concepts, rows


def concept_match(definition: ConceptDef, matched: str) -> ConceptMatch:
    """Given a concept definition and the words that named it, return the ConceptMatch."""
    kind = definition.kind if definition.kind in ("amount", "count", "table", "narrative") else "amount"
    return ConceptMatch(name=definition.name, kind=kind, matched=matched, lookups=definition.lookups,
                        text_subjects=definition.text_subjects, section=definition.section)


def followed_by_amount(text: str, end: int, vocab: Vocabulary) -> bool:
    """Given text and the end of a number, return whether a unit follows (so it is an amount)."""
    rest = text[end:end + 3]
    return any(rest.startswith(s) for s in vocab.amount_suffixes)


def match_codes(sheet: Sheet, vocab: Vocabulary) -> list[str]:
    """Given the sheet, take 科目编码 (3, 5 or 7 digits of a known class, not an amount) and return them."""
    residue = sheet.residue()
    codes = []
    for found in re.finditer(r"(?<!\d)(?<!\d[.,])(\d{3}|\d{5}|\d{7})(?![\d.,])", residue):
        code = found.group(1)
        if vocab.subject_code.fullmatch(code) and not followed_by_amount(residue, found.end(), vocab):
            sheet.take(Match(found.start(), found.end(), code), "code")
            codes.append(code)
    return unique(codes)


def match_columns(sheet: Sheet, view: CatalogueView, vocab: Vocabulary) -> list[str]:
    """Given the sheet, return the column words named (read only: a column word may be a concept too).

    Column words compete with concept words and row names for the longest match, so 收入合计
    inside 本年收入合计 is no column; a word that is both (项目支出) counts as a column, and a
    concept word containing a column its lookups use (一般公共预算拨款收入) names that column.
    """
    terms: dict[str, Any] = {word: None for word in view.rows}
    terms.update({word: ("concept", name) for word, name in vocab.concept_synonyms.items()})
    terms.update({word: ("column", name) for word, name in vocab.columns.items()})
    columns = Sheet(sheet.text, [s for s in sheet.spans if s[2] in ("place", "department", "unit")])
    found = []
    for match in longest_matches(columns, terms, None):
        if not match.payload:
            continue
        kind, name = match.payload
        if kind == "column":
            found.append(name)
            continue
        definition = vocab.concepts[name]
        used = {c for lookup in definition.lookups for c in lookup.columns} | {name}
        found += [col for word, col in vocab.columns.items() if word in match.text and col in used]
    return unique(found)


def chinese_number(text: str) -> int | None:
    """Given 八, 十二 or 12, return the number (1–99), or None."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in "一二三四五六七八九十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def match_table_numbers(text: str, vocab: Vocabulary) -> list[str]:
    """Given the text, return the kinds of the tables named as 表8, 表 8, 表八, 表（八）: the kinds of the
    standard twelve-table set at those places."""
    numbers = [chinese_number(m.group(1)) for m in vocab.table_reference.finditer(text)]
    kinds = [knowledge().by_number(n) for n in numbers if n and 0 < n < 100]
    return unique(kind.name for kind in kinds if kind)


# ---------------------------------------------------------------------------------------------
# Years
# ---------------------------------------------------------------------------------------------

def is_comparison(text: str, start: int, end: int, vocab: Vocabulary) -> bool:
    """Given a year's span, return whether it is the base of a comparison (比上年, 与2023年相比)."""
    before = text[max(0, start - 4):start]
    after = text[end:end + 4]
    if after.startswith("度"):
        after = after[1:]
    return any(before.endswith(w) for w in vocab.comparison_before) or any(after.startswith(w) for w in vocab.comparison_after)


def match_absolute_years(sheet: Sheet, vocab: Vocabulary) -> list[YearMention]:
    """Given the sheet, take absolute years (2024年, 2024, 24年, 二〇二四年) and return them."""
    residue = sheet.residue()
    found: list[YearMention] = []
    patterns = [
        (r"(?<!\d)(?<!\d[.,])((?:19|20)\d\d)年度?", lambda g: int(g)),
        (r"([〇零一二三四五六七八九]{4})年度?", lambda g: int("".join(str(_CN_DIGITS[c]) for c in g))),
        (r"(?<!\d)(?<!\d[.,])(\d\d)年度?", lambda g: 2000 + int(g)),
        (r"(?<!\d)(?<!\d[.,])((?:19[5-9]|20\d)\d)(?![\d.,])", lambda g: int(g)),
    ]
    for index, (pattern, to_year) in enumerate(patterns):
        for m in re.finditer(pattern, residue):
            if index == 2 and not two_digit_year_ok(residue, m, vocab):
                continue
            if index == 3 and followed_by_amount(residue, m.end(), vocab):
                continue
            found.append(YearMention(to_year(m.group(1)), None, m.group(0), is_comparison(residue, m.start(), m.end(), vocab)))
            sheet.take(Match(m.start(), m.end(), m.group(0)), "year")
            residue = residue[:m.start()] + "\x00" * (m.end() - m.start()) + residue[m.end():]
    return found


def two_digit_year_ok(text: str, m: re.Match, vocab: Vocabulary) -> bool:
    """Given a 'NN年' match, return whether it reads as a year (24年) rather than a span (近10年)."""
    low, high = vocab.two_digit_years
    if not low <= int(m.group(1)) <= high:
        return False
    before, after = text[:m.start()], text[m.end():]
    return not any(before.endswith(w) for w in vocab.duration_before) and not any(after.startswith(w) for w in vocab.duration_after)


def match_relative_years(sheet: Sheet, vocab: Vocabulary) -> list[YearMention]:
    """Given the sheet, take relative year words (今年, 去年, 比上年, 同比) and return them."""
    terms: dict[str, Any] = {w: off for w, off in vocab.relative_years.items()}
    terms.update({w: "implicit" for w in vocab.implicit_previous_year})
    mentions = []
    for match in longest_matches(sheet, terms, "year"):
        if match.payload == "implicit":
            mentions.append(YearMention(None, -1, match.text, True))
        else:
            mentions.append(YearMention(None, int(match.payload), match.text,
                                        is_comparison(sheet.text, match.start, match.end, vocab)))
    return mentions


# ---------------------------------------------------------------------------------------------
# What is asked
# ---------------------------------------------------------------------------------------------

@dataclass
class Counts:
    """How many things of each sort the question names (decides sum vs lookup, growth vs difference)."""

    places: int
    units: int
    years: int
    subjects: int
    comparison: bool


def choose_operation(text: str, concepts: list[ConceptMatch], counts: Counts, vocab: Vocabulary) -> Operation:
    """Given the cue text (found words masked) and what was named, return the operation asked."""
    ops = vocab.ops
    has = lambda key: bool(found_words(text, ops.get(key, ())))  # noqa: E731
    explicit_number = has("number")
    numeric = counts.subjects > 0 or any(c.kind in ("amount", "count", "table") for c in concepts)
    if has("narrative_strong"):
        return "narrative"
    if any(c.kind == "narrative" for c in concepts) and not explicit_number:
        return "narrative"
    if has("per"):
        return "per"
    entities = max(counts.places, counts.units)
    compared = vocab.difference_pattern.search(text)
    if compared and not names_year(compared.group("base"), vocab):
        return "difference"  # '决算数比年初预算少了多少': two figures of an item, not two years
    if has("change") and (counts.comparison or entities < 2):
        return "growth_rate" if has("rate") else "growth_amount"
    if has("ratio"):
        return "ratio"
    if has("share") or vocab.share_pattern.search(text) or (has("rate") and counts.subjects >= 2):
        return "share"
    if has("max"):
        return "max"
    if has("min"):
        return "min"
    if has("difference"):
        return "difference"
    if has("compare"):
        return "compare"
    if has("sum") and max(entities, counts.years, counts.subjects) >= 2:
        return "sum"
    if not explicit_number and not numeric:
        return "narrative"  # names no figure and asks for none: 你好, 东城区2024年
    return "lookup"


def names_year(text: str, vocab: Vocabulary) -> bool:
    """Given words, return whether they name a year (2023年, 上年, 去年 …)."""
    return re.search(r"(?:19|20)\d\d", text) is not None or any(word in text for word in vocab.relative_years) \
        or any(word in text for word in vocab.implicit_previous_year)


def wants_a_number(text: str, operation: Operation, concepts: list[ConceptMatch], subjects: int, vocab: Vocabulary) -> bool:
    """Given the cue text and the operation, return whether a figure is asked for.

    Explicit cues (多少, 几, 金额 …) say so; so do arithmetic operations, and a bare lookup of an
    amount (东城区三公经费) implies one.
    """
    if found_words(text, vocab.ops.get("number", ())):
        return True
    if operation in ("sum", "difference", "share", "ratio", "growth_rate", "growth_amount", "per"):
        return True
    return operation == "lookup" and (subjects > 0 or any(c.kind in ("amount", "count") for c in concepts))


def unit_hint(text: str, vocab: Vocabulary) -> str | None:
    """Given the text, return the unit the answer is asked in (万元, 元, %), longest cue first."""
    for cue in sorted(vocab.unit_hints, key=len, reverse=True):
        if cue in text:
            return vocab.unit_hints[cue]
    return None


def default_concept(text: str, vocab: Vocabulary) -> ConceptMatch | None:
    """Given the cue text of a question naming no figure, return the department-total concept if
    it speaks of 预算 / 部门预算 at all (南山区2024年预算是多少)."""
    word = next((w for w in sorted(vocab.bare_budget_words, key=len, reverse=True) if w in text), None)
    if word and vocab.default_concept in vocab.concepts:
        return concept_match(vocab.concepts[vocab.default_concept], word)
    return None


def row_parts(toks, sheet: Sheet, view: CatalogueView, vocab: Vocabulary) -> list[str]:
    """Given tokens and the sheet, take the words no step has claimed that stand inside a row name the documents
    print, and return them: '办公设备' names the row 办公设备购置 by its first words."""
    found = [word for word in keywords(toks, sheet, vocab)
             if len(word) >= MIN_ROW_PART and any(word in row for row in view.rows)]
    for word in found:
        at = sheet.text.find(word)
        sheet.take(Match(at, at + len(word), word), "subject")
    return found


MIN_ROW_PART = 3


def keywords(toks, sheet: Sheet, vocab: Vocabulary) -> list[str]:
    """Given tokens and the sheet, return the content words no step has claimed (for retrieval)."""
    marks = sheet.taken()
    cues = {w for words in vocab.ops.values() for w in words}
    words = []
    for word, start, end in toks:
        if any(marks[start:end]) or word in vocab.keyword_stopwords or word in cues:
            continue
        if len(word) >= 2 and (_HAN.search(word) or word.isalnum()) and not word.isdigit():
            words.append(word)
    return unique(words)


# ---------------------------------------------------------------------------------------------
# The pipeline
# ---------------------------------------------------------------------------------------------

def freeze_entry(entry: Any) -> CatalogueEntry:
    """Given a catalogue entry (or any object with its attributes), return it with tuple fields.

    Callers may pass lists for ``region`` / ``budget_units`` / ``row_names``; freezing makes entries
    hashable so the prepared catalogue can be cached.
    """
    year = getattr(entry, "year", None)
    return CatalogueEntry(
        doc_id=str(getattr(entry, "doc_id", "")),
        region=tuple(str(p) for p in (getattr(entry, "region", None) or ())),
        department=getattr(entry, "department", None) or None,
        year=int(year) if isinstance(year, int) or (isinstance(year, str) and year.isdigit()) else None,
        kind=getattr(entry, "kind", None) or None,
        budget_units=tuple(str(u) for u in (getattr(entry, "budget_units", None) or ())),
        row_names=tuple(str(r) for r in (getattr(entry, "row_names", None) or ())),
    )


def coerce_question(question: Any) -> str:
    """Given whatever was passed as a question, return it as text (None → '', bytes decoded)."""
    if question is None:
        return ""
    if isinstance(question, bytes):
        return question.decode("utf-8", errors="replace")
    return question if isinstance(question, str) else str(question)


def analyze(question: str, catalogue: list[CatalogueEntry] | tuple[CatalogueEntry, ...] = (),
            vocabulary: Path | None = None) -> Intent:
    """Given a question and the catalogue of indexed documents, return what it names and asks.

    Never raises: an unexpected failure is logged and returned as a bare Intent with ``error``.
    """
    text = coerce_question(question)
    normalized = normalize(text)
    try:
        return analyze_normalized(text, normalized, tuple(freeze_entry(e) for e in catalogue or ()), load_vocabulary(vocabulary or VOCABULARY_PATH))
    except Exception as exc:  # the contract is "never raises"; the error is kept, not hidden
        log.exception("question analysis failed")
        return Intent(question=text, normalized=normalized, empty=not normalized, error=f"{type(exc).__name__}: {exc}")


def analyze_normalized(question: str, normalized: str, catalogue: tuple[CatalogueEntry, ...], vocab: Vocabulary) -> Intent:
    """Given the question, its normalised form, the catalogue and the vocabulary, return the Intent."""
    view = prepare_catalogue(catalogue, vocab)
    work = strip_quotes(normalized, vocab.quote_chars)
    truncated = len(work) > vocab.max_chars
    work = work[: vocab.max_chars]
    if not work:
        return Intent(question=question, normalized=normalized, empty=True)

    sheet = Sheet(work)
    names = question_names(work, prepare_names(catalogue))
    for start, end in names.spans:
        sheet.take(Match(start, end, work[start:end]), "place")
    units = match_unit_mentions(sheet, view, vocab)
    column_terms = match_columns(sheet, view, vocab)
    concepts, rows = match_subjects(sheet, view, vocab, inside=list(zip(units.texts_at, units.texts)))
    years = match_absolute_years(sheet, vocab)
    codes = match_codes(sheet, vocab)
    years += match_relative_years(sheet, vocab)
    toks = tokens(work, vocab, view)
    unknown = unknown_places(toks, sheet.taken())
    for place in unknown:
        sheet.take(Match(place.start, place.end, place.text), "place")
    names = replace(names, unknown=tuple(dict.fromkeys(names.unknown + tuple(p.text for p in unknown))))

    cue_text = sheet.residue(exclude=frozenset({"year"}))
    row_terms = unique(rows + codes + quoted_items(normalized, concepts, rows) + row_parts(toks, sheet, view, vocab))
    if not concepts and not row_terms and not found_words(cue_text, vocab.ops.get("narrative_strong", ())) \
            and not keywords(toks, sheet, vocab):  # '机房扩容（三期）2023年预算' names an item, not the whole budget
        bare = default_concept(cue_text, vocab)
        concepts = [bare] if bare else []
    scope_years = sorted({y.year for y in years if y.year is not None and not y.comparison})
    counts = Counts(
        places=who_count(names),
        units=len(units.texts) + units.own_level,
        years=len(scope_years) + sum(1 for y in years if y.year is None and not y.comparison),
        subjects=len(row_terms) + sum(1 for c in concepts if c.kind in ("amount", "count")),
        comparison=any(y.comparison for y in years),
    )
    operation = choose_operation(cue_text, concepts, counts, vocab)
    relative = next((y.word for y in years if y.year is None and not y.comparison), None)
    return Intent(
        question=question,
        normalized=normalized,
        truncated=truncated,
        names=names,
        year_mentions=tuple(years),
        years=tuple(scope_years),
        relative_year=relative,
        comparison_years=tuple(sorted({y.year for y in years if y.year is not None and y.comparison})),
        unit_mentions=units,
        concepts=tuple(concepts),
        row_terms=tuple(row_terms),
        column_terms=tuple(column_terms),
        tables_named=tuple(match_table_numbers(work, vocab)),
        operation=operation,
        wants_number=wants_a_number(cue_text, operation, concepts, len(row_terms), vocab),
        unit_hint=unit_hint(work, vocab),
        keywords=tuple(keywords(toks, sheet, vocab)),
    )


def who_count(names: Names) -> int:
    """Given the names of a question, return how many organisations or places it names apart: a place right
    before a department's name only says where that department is (临江区石桥街道 is one)."""
    starts = {n.start for n in names.departments}
    qualifiers = [p for p in names.places if p.end in starts]
    return len(names.places) - len(qualifiers) + len(names.departments) + len(names.unknown)
