"""Question → facts: the deterministic path that finds the cell or sentence a question asks for.

Every fact of the documents in scope is scored against what the question names (its row, table,
column, 预算单位, concept and unit) and the best one wins; nothing is guessed below a minimum
score. Computations (sum, difference, share, growth, max/min across documents) are done here
with Decimal from the facts found, rounded as the documents round, each with its formula.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from index.model import Fact
from qa.analyze import ConceptMatch, Intent, Lookup

MIN_SCORE = 8.0
PERCENT_WORDS = ("百分之", "%", "％", "比例", "幅度", "增幅", "降幅", "减幅", "比重", "占比", "百分比")
COUNT_UNITS = ("个", "人", "辆", "家", "项", "名", "次", "台", "套")
_QUOTES = re.compile(r"[\s“”‘’\"'「」『』《》]")


def normalize(text: str | None) -> str:
    """Given text, return it NFKC-normalised without whitespace and quote marks, for matching."""
    return _QUOTES.sub("", unicodedata.normalize("NFKC", text or ""))


@dataclass(frozen=True)
class Scored:
    fact: Fact
    score: float


@dataclass
class Found:
    """What the deterministic path found: the main figure, the facts it rests on, and how it was got."""

    value: Decimal
    unit: str | None
    facts: list[Fact]
    label: str  # what the figure is, in words
    formula: str | None = None  # set when the figure was computed
    alternatives: list[Fact] = field(default_factory=list)  # other places giving a different figure


@dataclass
class DocFacts:
    """The facts of one document version, with each cell's position in its row (0 = first column)."""

    doc_id: str
    department: str | None
    facts: list[Fact]
    column_index: dict[str, int]


def doc_facts(doc_id: str, department: str | None, facts: list[Fact]) -> DocFacts:
    """Given a document's facts in stored order, return them with each cell's column position."""
    positions: dict[tuple, int] = {}
    column_index = {}
    for fact in facts:
        if fact.kind == "cell":
            key = (fact.table_number, fact.table_side, fact.budget_unit, fact.row_path, fact.row_code)
            column_index[fact.id] = positions.get(key, 0)
            positions[key] = column_index[fact.id] + 1
    return DocFacts(doc_id, department, facts, column_index)


def wants_percent(intent: Intent) -> bool:
    return intent.unit_hint == "%" or any(word in intent.normalized for word in PERCENT_WORDS)


def wants_count(intent: Intent) -> bool:
    return bool(re.search(r"(几|多少)(个|人|名|家|辆|项|台|套)", intent.normalized)) or intent.unit_hint in COUNT_UNITS


def same_unit(a: str | None, b: str | None) -> bool:
    return normalize(a) == normalize(b)


def unit_of_fact_matches(fact: Fact, budget_unit: str | None, department: str | None) -> bool | None:
    """Given a cell and the 预算单位 asked for, return True/False when it is/isn't that unit's, None if unsure."""
    if fact.budget_unit is None:
        return None if budget_unit is None else False
    if budget_unit is None:
        return same_unit(fact.budget_unit, department) or None
    return same_unit(fact.budget_unit, budget_unit)


def lookup_matches(lookup: Lookup, fact: Fact) -> bool:
    """Given one place the vocabulary names for a concept, return whether the cell stands there."""
    if lookup.table is not None and fact.table_number != lookup.table:
        return False
    if lookup.side and fact.table_side != lookup.side:
        return False
    row = normalize(fact.row_name)
    if lookup.codes and fact.row_code not in lookup.codes:
        return False
    if lookup.rows and not any(normalize(r) == row for r in lookup.rows):
        return False
    if lookup.unit_row and not (fact.row_code is None and fact.budget_unit and row == normalize(fact.budget_unit)):
        return False
    if lookup.columns and not any(normalize(c) in map(normalize, fact.column_path) for c in lookup.columns):
        return False
    return bool(lookup.codes or lookup.rows or lookup.unit_row or lookup.columns)


def score_cell(fact: Fact, intent: Intent, question: str, concepts: tuple[ConceptMatch, ...],
               budget_unit: str | None, docs: DocFacts) -> float:
    """Given a table cell, return how well it answers the question (0 = not at all)."""
    fit = unit_of_fact_matches(fact, budget_unit, docs.department)
    if fit is False:
        return 0.0
    row = normalize(fact.row_name)
    row_score = 0.0
    for concept in concepts:
        for rank, lookup in enumerate(concept.lookups):
            if lookup_matches(lookup, fact):
                row_score = max(row_score, 12.0 - 0.5 * rank)
    for term in intent.row_terms:
        if term == fact.row_code:
            row_score = max(row_score, 12.0)
        elif normalize(term) == row:
            row_score = max(row_score, 11.0)
        elif len(term) >= 3 and normalize(term) in row:
            row_score = max(row_score, 6.0)
    if len(row) >= 3 and row in question:
        row_score = max(row_score, 8.0 + min(len(row), 12) / 4)
    if row_score == 0:
        return 0.0
    score = row_score + (2.0 if fit else 0.0)
    table_name = normalize(fact.table_name)
    if fact.table_number in intent.tables_named or (len(table_name) >= 4 and table_name in question):
        score += 4.0
    elif any(word in question and word in table_name for word in ("功能分类", "经济分类", "收支总表", "支出总表",
                                                                   "收入总表", "基本支出", "项目支出", "三公", "拨款收支")):
        score += 3.0
    if fact.table_side and fact.table_side in question:
        score += 1.0
    columns = [normalize(c) for c in fact.column_path]
    score += sum(2.0 for c in columns if len(c) >= 2 and c in question and c != row)
    score += sum(2.0 for term in intent.column_terms if normalize(term) in columns)
    for concept in concepts:
        for lookup in concept.lookups:
            if lookup.columns and any(normalize(c) in columns for c in lookup.columns) and lookup_matches(lookup, fact):
                score += 1.0
    if docs.column_index.get(fact.id, 0) == 0:
        score += 1.5
    years = [str(y) for y in intent.years]
    extra = [normalize(p) for p in fact.row_path[1:]] + columns
    if any(re.fullmatch(r"20\d\d年.*", p) for p in extra):
        score += 2.0 if any(p.startswith(y) for p in extra for y in years) else -6.0
    if wants_percent(intent) or wants_count(intent):
        score -= 8.0
    return score


def score_text(fact: Fact, intent: Intent, question: str, concepts: tuple[ConceptMatch, ...],
               budget_unit: str | None) -> float:
    """Given a figure stated in the text part, return how well it answers the question (0 = not at all)."""
    subject = normalize(fact.subject)
    sentence = normalize(fact.sentence)
    score = 0.0
    for concept in concepts:
        for words in (concept.text_subjects or (concept.name,)):
            if normalize(words) and normalize(words) in subject:
                score = max(score, 10.0)
            elif normalize(words) and normalize(words) in sentence:
                score = max(score, 5.0)
    for term in intent.row_terms:
        if len(term) >= 2 and normalize(term) in subject:
            score = max(score, 9.0)
    overlap = longest_common_run(subject, question)
    if overlap >= 3:
        score = max(score, 4.0 + overlap)
    if score == 0:
        return 0.0
    where = sentence + "".join(normalize(p) for p in fact.section_path)
    if budget_unit:
        score += 3.0 if any(alias in where for alias in unit_aliases(budget_unit)) else -5.0
    if wants_percent(intent):
        score += 6.0 if fact.unit == "%" else -8.0
    elif fact.unit == "%":
        score -= 8.0
    if wants_count(intent):
        score += 6.0 if fact.unit in COUNT_UNITS else -6.0
    elif fact.unit in COUNT_UNITS:
        score -= 6.0
    change = any(word in question for word in ("增加", "减少", "增长", "下降", "比上年", "较上年", "变化", "增减"))
    if not change and any(word in subject for word in ("增加", "减少", "增长", "下降")):
        score -= 6.0
    return score


def unit_aliases(budget_unit: str) -> list[str]:
    """Given a 预算单位's full name, return the ways a sentence may name it (full, without 深圳市X区, 本级)."""
    name = normalize(budget_unit)
    short = re.sub(r"^.*?[区县市]", "", name, count=1)
    aliases = [name, short] if short and len(short) >= 3 else [name]
    if "本级" in name:
        aliases.append("本级")
    return aliases


def longest_common_run(a: str, b: str) -> int:
    """Given two strings, return the length of the longest substring they share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def rank_facts(intent: Intent, docs: DocFacts, concepts: tuple[ConceptMatch, ...] | None = None,
               budget_unit: str | None = "") -> list[Scored]:
    """Given a question's intent and one document's facts, return the facts that answer it, best first."""
    question = normalize(intent.normalized or intent.question)
    concepts = intent.concepts if concepts is None else concepts
    unit = (intent.budget_units.get(docs.doc_id, (None,)) or (None,))[0] if budget_unit == "" else budget_unit
    scored = []
    for fact in docs.facts:
        if fact.kind == "cell":
            score = score_cell(fact, intent, question, concepts, unit, docs)
        else:
            score = score_text(fact, intent, question, concepts, unit)
        if score >= MIN_SCORE:
            scored.append(Scored(fact, score))
    return sorted(scored, key=lambda s: (-s.score, s.fact.kind != "cell"))


def best_fact(intent: Intent, docs: DocFacts, **narrowing) -> Found | None:
    """Given an intent and a document's facts, return the best-scoring figure, with any disagreeing place."""
    ranked = rank_facts(intent, docs, **narrowing)
    if not ranked:
        return None
    top = ranked[0].fact
    agreeing = [s.fact for s in ranked[1:6] if s.fact.value == top.value and s.fact.kind != top.kind
                and s.score >= ranked[0].score - 6]
    disagreeing = [s.fact for s in ranked[1:6] if s.fact.kind != top.kind and s.fact.value != top.value
                   and s.score >= ranked[0].score - 2 and same_money_unit(s.fact, top)]
    return Found(top.value, top.unit, [top] + agreeing[:1], fact_label(top), alternatives=disagreeing[:1])


def same_money_unit(a: Fact, b: Fact) -> bool:
    return (a.unit or "万元") == (b.unit or "万元")


def fact_label(fact: Fact) -> str:
    """Given a fact, return what its figure is, in a few words (row and column, or the sentence's subject)."""
    if fact.kind == "text":
        return fact.subject or ""
    row = fact.row_name or ""
    column = fact.column_path[-1] if fact.column_path else ""
    return f"{row}（{column}）" if column and column not in row else row


def round_like(value: Decimal, *examples: Decimal) -> Decimal:
    """Given a computed value, return it rounded to the most decimals among the figures it came from (≥ 2)."""
    places = max([2] + [-e.as_tuple().exponent for e in examples if e.as_tuple().exponent < 0])
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def combine(operation: str, parts: list[Found]) -> Found | None:
    """Given the figures of a computation's parts, return the computed figure with its formula."""
    if len(parts) < 2 or any(p.unit != parts[0].unit for p in parts if p.unit and parts[0].unit):
        return None
    values = [p.value for p in parts]
    shown = [f"{v:,}" for v in values]
    facts = [f for p in parts for f in p.facts[:1]]
    unit = parts[0].unit
    if operation == "sum":
        total = round_like(sum(values, Decimal(0)), *values)
        return Found(total, unit, facts, "合计", f"{' + '.join(shown)} = {total:,}")
    if operation in ("difference", "compare"):
        difference = round_like(abs(values[0] - values[1]), *values)
        return Found(difference, unit, facts, "差额", f"|{shown[0]} − {shown[1]}| = {difference:,}")
    if operation == "share" and values[1] != 0:
        share = percent(values[0], values[1])
        return Found(share, "%", facts, "占比", f"{shown[0]} ÷ {shown[1]} × 100% = {share}%")
    if operation == "growth_rate" and values[1] != 0:
        rate = percent(values[0] - values[1], values[1])
        return Found(rate, "%", facts, "增长率", f"({shown[0]} − {shown[1]}) ÷ {shown[1]} × 100% = {rate}%")
    if operation == "growth_amount":
        change = round_like(values[0] - values[1], *values)
        return Found(change, unit, facts, "增减", f"{shown[0]} − {shown[1]} = {change:,}")
    return None
