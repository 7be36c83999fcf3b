"""Question → facts: the deterministic path that finds the cell or sentence a question asks for.

Every fact of the documents in scope is scored against what the question names (its row, table,
column, 预算单位, concept and unit) and the best one wins; nothing is guessed below a minimum
score. Computations (sum, difference, share, growth, max/min across documents) are done here
with Decimal from the facts found, rounded as the documents round, each with its formula.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from decimal import ROUND_HALF_UP, Decimal
from functools import cache


from index.model import Fact
from common.numbers import COUNT_UNITS, MONEY_UNITS, convert_money
from common.printed import in_order
from index.facts.text import LIST_ENUMERATOR, ROW_OPENING, row_item
from qa.plan.analyze import ConceptMatch, Intent, Lookup
from qa.plan.words import vocabulary

MIN_SCORE = 8.0
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
    others: list[Found] = field(default_factory=list)  # the same figure of the other documents asked about (分别, 各)
    confirmed: bool = False  # its fact is the asked item itself (answers_asked), or every part of it is
    parts: list[Found] = field(default_factory=list)  # what a comparison or ranking compared, in one unit
    missing: list[str] = field(default_factory=list)  # documents in a ranking's scope that give no figure
    base: Fact | None = None  # the level figure a stated change is of
    operation: str | None = None  # the computation that gave it (sum, difference …), to redo in another unit

    def confirmed_ids(self) -> set[str]:
        """The ids of the facts that answer the question as asked: this figure's, the others' and its parts'."""
        own = {f.id for f in self.facts} if self.confirmed else set()
        return own.union(*(other.confirmed_ids() for other in self.others + self.parts))


@dataclass
class DocFacts:
    """The facts of one document version, with each cell's position in its row (0 = first column)."""

    doc_id: str
    department: str | None
    facts: list[Fact]
    column_index: dict[str, int]
    year: int | None
    names: list[str]  # the department, its 预算单位 and district: words that place a question, not its figure
    subjects: dict[str, str]  # text fact id → its subject without those names
    leads: dict[str, str]  # text fact id → the subject of the figure before it in its sentence (事业编制总数 47 人，实有在编人数 42 人)
    final: bool = False  # a 决算: its tables hold 决算数, its text 年初预算 beside 决算


def doc_facts(doc_id: str, department: str | None, year: int | None, facts: list[Fact], final: bool = False) -> DocFacts:
    """Given a document's facts in stored order, return them with each cell's column position."""
    positions: dict[tuple, int] = {}
    column_index = {}
    for fact in facts:
        if fact.kind == "cell":
            key = (fact.table_name, fact.table_side, fact.budget_unit, fact.row_path, fact.row_code)
            column_index[fact.id] = positions.get(key, 0)
            positions[key] = column_index[fact.id] + 1
    names = [department or "", *{f.budget_unit for f in facts if f.budget_unit}]
    subjects = {f.id: question_core(subject_in_context(f), names) for f in facts if f.kind == "text"}
    leads = {}
    for before, fact in zip(facts, facts[1:]):
        if fact.kind == before.kind == "text" and fact.sentence == before.sentence and fact.section_path == before.section_path:
            leads[fact.id] = subjects[before.id]
            if is_filler(subjects[fact.id]):  # '…设备2台（套），约为437.44万元': the same thing's amount
                subjects[fact.id] = leads[fact.id]
    return DocFacts(doc_id, department, facts, column_index, year, names, subjects, leads, final)



CLAUSE_CHARS = 30
CLAUSE_MARKS = "，,。；;：:、"
HEADING_AMOUNT = re.compile(r"[\d,.]+\s*(?:亿元|万元|元)?$")


LEADING_COUNT = re.compile(r"\d+\s*(?:" + "|".join(COUNT_UNITS) + r")$")  # the count before an amount of the same things


def subject_in_context(fact: Fact) -> str:
    """Given a text fact, return its subject, or for a bare one ('2024年预算数') the clause before it in its
    sentence ('机房扩容（三期）2022 年无相关预算，2023 年预算 8,247.97 万元'), else its section's heading
    ('2. 公务接待费。2024 年预算数 3.30 万元' is about 公务接待费), then the subject."""
    subject = normalize(fact.subject)
    if len(BARE_SUBJECT.sub("", subject)) >= 2 or not fact.section_path:
        return subject
    sentence = normalize(fact.sentence)
    at = sentence.find(subject) if subject else sentence.find(normalize(fact.printed))  # '在建工程1项12277.73万元'
    before = LEADING_COUNT.sub("", sentence[:max(at, 0)]).rstrip(",，、;；:：")
    clause = re.split(r"[,，;；:：。]", before)[-1][-CLAUSE_CHARS:]
    if len(BARE_SUBJECT.sub("", clause)) >= 2:
        return f"{clause}：{subject}"
    heading = HEADING_AMOUNT.sub("", LIST_ENUMERATOR.sub("", normalize(fact.section_path[-1])))
    return heading.rstrip("。.") + subject


def figure_at(fact: Fact) -> int:
    """Given a text fact, return where its number stands in its sentence (5 辆, not the 5 of 2025), or -1."""
    text = fact.sentence or ""
    return next((m.start() for raw in dict.fromkeys((fact.printed or "", f"{fact.value:,}", str(fact.value))) if raw
                 and (m := re.search(rf"(?<![\d.,]){re.escape(raw)}(?![\d])", text))), -1)


def clause_of(fact: Fact) -> str:
    """Given a text fact, return the clause of its sentence that states it ('新增 16 名事业编制及 3 名退休人员'),
    or the whole sentence when its number cannot be found as printed."""
    text = fact.sentence or ""
    at = figure_at(fact)
    if at < 0:
        return text
    start = max(text.rfind(mark, 0, at) for mark in CLAUSE_MARKS) + 1
    ends = [i for mark in CLAUSE_MARKS if (i := text.find(mark, at)) >= 0]
    return text[start:min(ends, default=len(text))]


def names_whole(subject: str, core: str) -> bool:
    """Given a sentence's subject, return whether the question names it whole, as what it asks, not as the
    container of what it asks ('项目支出中一般管理事务')."""
    at = core.find(subject) if len(subject) >= 3 else -1
    return at >= 0 and core[at + len(subject):][:1] not in CONTAINER_MARKS


def is_filler(subject: str) -> bool:
    """Given a subject, return whether it names nothing (为, 约为, 2024年预算数 …)."""
    return not BARE_SUBJECT.sub("", subject)


@cache
def figure_kinds() -> dict[str, tuple[str, ...]]:
    """Return the cue words of questions asking for a count or a percentage."""
    return {kind: tuple(words) for kind, words in vocabulary()["figure_kinds"].items()}


def wants_percent(intent: Intent) -> bool:
    return intent.unit_hint == "%" or any(word in intent.normalized for word in figure_kinds()["percent"])


def wants_count(intent: Intent) -> bool:
    """Given an intent, return whether it asks for a count: a count unit asked ('几台', '多少个项目'), or a word
    naming what is counted that no named item follows ('退休人员多少' asks a count, '退休人员的退休费' an
    amount)."""
    text = normalize(intent.normalized)
    items = [i for i in [normalize(t) for t in intent.row_terms] + [normalize(c.matched) for c in intent.concepts
                                                                       if c.matched] if i]
    item_spans = [(at, at + len(i)) for i in items if (at := text.find(i)) >= 0]
    cues = [word for word in figure_kinds()["count"] if word in text
            and not begins_an_item(text.find(word), len(word), item_spans)]
    if intent.unit_hint in COUNT_UNITS or any(word.startswith(("几", "多少")) for word in cues):
        return True
    cues = [text.rfind(word) + len(word) for word in cues]
    if not cues:
        return False
    return not any(text.find(item, max(cues)) >= 0 for item in items)


def begins_an_item(at: int, length: int, item_spans: list[tuple[int, int]]) -> bool:
    """Given where a count word stands and where the items named stand, return whether its measure word begins an
    item's name ('多少项' of '涉及多少项目资金': 项目资金 is asked, not a number of 项)."""
    return any(at < start < at + length < end for start, end in item_spans)


def is_count(unit: str | None) -> bool:
    """Given a unit, return whether it counts things (人, 个, 台(套) …) rather than measuring money or a rate."""
    return (unit or "").startswith(COUNT_UNITS)


def counts_alike(a: str, b: str) -> bool:
    """Given two count units, return whether they count the same things (人 and 名)."""
    return a == b or any(a in group and b in group for group in vocabulary()["figure_kinds"]["same_count_units"])


def same_unit(a: str | None, b: str | None) -> bool:
    return normalize(a) == normalize(b)


def unit_of_fact_matches(fact: Fact, budget_unit: str | None, department: str | None) -> bool | None:
    """Given a cell and the 预算单位 asked for, return True/False when it is/isn't that unit's, None if unsure."""
    if fact.budget_unit is None:
        return None if budget_unit is None else False
    if budget_unit is None:
        return same_unit(fact.budget_unit, department) or None
    return same_unit(fact.budget_unit, budget_unit)


def stands_for_unit(fact: Fact) -> bool:
    """Given a cell, return whether its row gives its 预算单位's totals: the unit's own row, or its table's 合计
    row (a table's total is the department's: index.tables.build), or the one unnamed row of a table that is
    values only. A row named as its unit is the unit's though it carries the unit's code (201002)."""
    row = row_item(normalize(fact.row_name))
    if bool(fact.budget_unit) and row == normalize(fact.budget_unit):
        return True
    return fact.row_code is None and row in TOTAL_ROWS


def lookup_matches(lookup: Lookup, fact: Fact) -> bool:
    """Given one place the vocabulary names for a concept, return whether the cell stands there."""
    if lookup.table is not None and fact.table_kind != lookup.table:
        return False
    if lookup.side and fact.table_side != lookup.side:
        return False
    row = row_item(normalize(fact.row_name))
    if lookup.codes and fact.row_code not in lookup.codes:
        return False
    if lookup.rows and not any(normalize(r) == row for r in lookup.rows):
        return False
    if lookup.unit_row and not stands_for_unit(fact):
        return False
    if lookup.columns and not any(column_matches(c, fact.column_path) for c in lookup.columns):
        return False
    return bool(lookup.codes or lookup.rows or lookup.unit_row or lookup.columns)


def column_matches(spec: str, path: tuple[str, ...]) -> bool:
    """Given a lookup's column ('项目支出', or 'A/B': a heading holding A over the column B) and a cell's column
    path, return whether the cell stands in that column ('三公经费/小计' is '2023年“三公”经费预算数 / 小计')."""
    parts = [normalize(p) for p in spec.split("/")]
    path = tuple(normalize(p) for p in path)
    if len(parts) == 1:
        return parts[0] in path
    return any(parts[0] in path[i] and list(path[i + 1:i + len(parts)]) == parts[1:] for i in range(len(path)))


# What a question asks of a 决算: a plan figure (年初预算数, 调整预算数) or the outcome (决算数).
PLAN_WORDS: tuple[str, ...] = tuple(sorted(vocabulary()["scope"]["plan_words"], key=len, reverse=True))
FINAL_WORDS: tuple[str, ...] = tuple(vocabulary()["scope"]["final_words"])


def plan_asked(question: str) -> str | None:
    """Given a question, return the plan figure it asks of a 决算 (年初预算, 调整预算, 预算数), if any."""
    return next((w for w in PLAN_WORDS if w in question), None)


def fact_words(fact: Fact) -> str:
    """Given a fact, return the words that say which figure of an item it is: its column path, or the clause
    of its sentence."""
    return "/".join(normalize(c) for c in fact.column_path) if fact.kind == "cell" else normalize(clause_of(fact))


def kind_fit(fact: Fact, question: str, docs: DocFacts) -> bool | None:
    """Given a fact of a 决算 and a question, return whether it is the figure asked of its item: the plan figure
    the question names (年初预算) or else the outcome, never a plan figure; None outside 决算."""
    if not docs.final:
        return None
    words = fact_words(fact)
    plan = plan_asked(question)
    if plan:
        return plan in words or (plan == "预算数" and "预算" in words and "决算" not in words)
    return not ("预算" in words and "决算" not in words)


# Table knowledge the scoring uses, from qa/plan/vocabulary.yaml (lookup section).
_LOOKUP = vocabulary()["lookup"]
TABLE_PRIOR: dict[str, float] = {str(k): float(v) for k, v in _LOOKUP["table_prior"].items()}
ONE_FUND_TABLES = frozenset(_LOOKUP["one_fund_tables"])
MIN_ROW_CHARS = 4  # a shorter row name ('其他') stands inside sentences about other rows
FUND_WORDS: tuple[str, ...] = tuple(_LOOKUP["fund_words"])
FUND_IMPLIED_TABLES: tuple[str, ...] = tuple(_LOOKUP["fund_implied_tables"])
CHANGE_WORDS: tuple[str, ...] = tuple(_LOOKUP["change_words"])
ADDITION_WORDS: tuple[str, ...] = tuple(_LOOKUP["addition_words"])
BARE_SUBJECT = re.compile(r"(?:19|20)\d\d年|[:：]|" + "|".join(map(re.escape, _LOOKUP["bare_subject_words"])))
CONTAINER_MARKS: tuple[str, ...] = tuple(_LOOKUP["container_marks"])  # 'A中B': A holds the asked B
AS_OF = re.compile("(?:" + "|".join(map(re.escape, _LOOKUP["as_of_words"]))
                   + r")(?:到)?\s*(?:19|20)\d\d\s*年(?:\s*\d{1,2}\s*月)?(?:底|末)?")
CONTAINER_TABLE_WORDS: tuple[str, ...] = tuple(_LOOKUP["container_table_words"])
TABLE_WORDS: tuple[str, ...] = tuple(_LOOKUP["table_words"])
UNIT_TOTAL = {"tables": set(_LOOKUP["unit_total"]["tables"]), "columns": set(_LOOKUP["unit_total"]["columns"])}
TOTAL_ROWS: frozenset[str] = frozenset(_LOOKUP["total_rows"])
# A year right after a comparison or reference word (比2023年, 截至2023年) or right before one (2023年底,
# 2023年相比) is not the year asked about; the cue words are the analyzer's (vocabulary.yaml).
NAMED_YEAR = re.compile(
    "".join(f"(?<!{re.escape(w)})" for w in vocabulary()["comparison_before"])
    + r"(20\d\d)\s*年"
    + "(?!" + "|".join(map(re.escape, vocabulary()["comparison_after"])) + ")")
# Words that name a figure (the concepts' synonyms and text subjects), longest first.
SUBJECT_WORDS: tuple[str, ...] = tuple(sorted({normalize(w) for c in vocabulary()["concepts"]
                                               for w in (*c.get("synonyms", ()), *c.get("text", ())) if len(w) >= 3},
                                              key=len, reverse=True))
ROW_UNIT_NOTE = re.compile(r"\([^()]{1,4}\)$")
LONG_ROW = 6
YEAR_CELL = re.compile(r"20\d\d年(预算数?|决算数?|执行数)?")


def column_words(column: str) -> str:
    """Given a column heading, return the words that name it (a leading year or 其中： dropped)."""
    return re.sub(r"^(20\d\d年|其中[:：]?)", "", column).replace("的", "")


def column_fit(columns: list[str], question: str, row: str) -> float:
    """Given a cell's column path, return how much of it the question names (longer names weigh more)."""
    question = question.replace("的", "")
    score = 0.0
    for column in columns:
        words = column_words(column)
        if len(words) < 2 or words == row:
            continue
        if words in question:
            score += 2.5 + max(0, min(len(words), 12) - 4) / 4
        elif len(words) >= 5:
            run = longest_common_run(words, question)
            if run >= 4:
                score += 0.5 + run / 4
    return score


def names_part(columns: list[str], core: str) -> bool:
    """Given a cell's column path ending in a 其中 column, return whether the question names that part: its own
    words, less those of the column it is part of ('其中：面向中小企业政府采购项目' under '政府采购项目' is
    named by 面向中小企业)."""
    own = column_words(columns[-1])
    if len(columns) >= 2:
        own = own.replace(column_words(columns[-2]), "") or own
    return own in core.replace("的", "")


def names_table(word: str, question: str) -> bool:
    """Given a word of a table's name, return whether the question uses it to name the table.

    基本支出 and 项目支出 are also column names, so they name their table only as a container
    ('基本支出中的…', '项目支出总表'), not inside a column name ('基本支出拨款')."""
    if word in CONTAINER_TABLE_WORDS:
        return re.search(re.escape(word) + r"(中|里|的|总表|表|$)", question) is not None
    return word in question


def score_cell(fact: Fact, intent: Intent, question: str, core: str, concepts: tuple[ConceptMatch, ...],
               budget_unit: str | None, docs: DocFacts, titled: frozenset[str] = frozenset()) -> float:
    """Given a table cell, return how well it answers the question (0 = not at all)."""
    fit = unit_of_fact_matches(fact, budget_unit, docs.department)
    if fit is False:
        return 0.0
    row = row_item(normalize(fact.row_name))  # '四、公共安全支出' is named 公共安全支出
    is_unit_row = stands_for_unit(fact)
    last_column = normalize(fact.column_path[-1]) if fact.column_path else None
    named_row = 0.0
    for term in intent.row_terms:
        if term == fact.row_code:
            named_row = max(named_row, 14.0)
        elif normalize(term) == row or (is_unit_row and normalize(term) == last_column):
            named_row = max(named_row, 13.0)  # an item may head a column of the totals row (单位预留机动经费)
        elif len(term) >= 3 and normalize(term) in row:
            named_row = max(named_row, 6.0)
    row_words = ROW_UNIT_NOTE.sub("", row)  # '公共WIFI的AP安装数（个）' is named without its unit
    if len(row_words) >= 3 and row_words in core and not is_unit_row:
        named_row = max(named_row, 8.0 + min(len(row_words), 12) / 4)
    elif len(row_words) >= LONG_ROW and not is_unit_row and (run := longest_common_run(row_words, core)) >= LONG_ROW:
        named_row = max(named_row, 4.0 + run / 2)  # a long 绩效指标 named by its first words
    concept_row = 0.0
    for concept in concepts:
        if concept.kind == "table":
            continue
        for rank, lookup in enumerate(concept.lookups):
            if lookup_matches(lookup, fact):
                concept_row = max(concept_row, (12.0 if (lookup.rows or lookup.codes) else 9.0) - 0.5 * rank)
    named_tables = set(intent.tables_named) | {t for c in concepts if c.kind == "table" for t in c.tables}
    columns = [normalize(c) for c in fact.column_path]
    named_columns = [t for t in intent.column_terms if normalize(t) in map(column_words, columns)]
    asks_unit_total = asks_whole_budget(intent) or named_columns or fact.table_kind in named_tables
    if is_unit_row and not named_row and asks_unit_total and (budget_unit or (fit and intent.column_terms)):
        concept_row = max(concept_row, 6.0)  # a unit's row is its total: the row of '收入总表里履职类项目拨款合计'
        if budget_unit and asks_whole_budget(intent) and fact.table_kind in UNIT_TOTAL["tables"] \
                and normalize(fact.column_path[-1] if fact.column_path else "") in UNIT_TOTAL["columns"]:
            concept_row += 4.0  # the unit's whole budget: '政务服务中心2024年预算'
    row_score = named_row + (2.0 if named_row and concept_row else 0.0) if named_row else concept_row
    if row_score == 0:
        return 0.0
    if named_row and any(normalize(term) in normalize(parent) and normalize(term) not in row
                         for term in intent.row_terms for parent in fact.row_path[:-1]):
        row_score += 1.0  # the question names the row's parent too: '资本性支出（基本建设）中的物资储备'
    score = row_score + (2.0 if fit else 0.0) + TABLE_PRIOR.get(fact.table_kind, 0.0)
    if fact.table_kind in ONE_FUND_TABLES and not any(word in question for word in FUND_WORDS):
        score += _LOOKUP["one_fund_unasked"]  # no fund named: all funds asked, their table first
    if fit is None and budget_unit is None and fact.budget_unit is not None:
        score -= 2.0  # the question is about the whole department; this cell is one 预算单位's
    table_name = normalize(fact.table_name)
    if titled:  # the question names the table by its title: '财政拨款基本支出预算表（经济科目）中'
        score += 6.0 if fact.table_name in titled else -3.0
    elif fact.table_kind in named_tables:
        score += 5.0
    elif named_tables:
        score -= 3.0
    elif any(word in table_name and names_table(word, question) for word in TABLE_WORDS):
        score += 4.0
    if fact.table_side and fact.table_side in question:
        score += 1.0
    score += side_fit(fact, core)
    shared_title = longest_common_run(title_words(fact.table_name or "", docs), core) if fact.table_name else 0
    if shared_title >= MIN_TITLE_RUN:
        score += min(shared_title, 12) / 4  # the table the question's words name best ('财政拨款里…': 财政拨款支出表)
    elif any(len(term) >= MIN_ITEM_CHARS and normalize(term) in table_name for term in intent.row_terms):
        score += 2.0  # the item's own table ('…会议费、培训费支出预算表'), before a table listing it among others
    score += column_fit(columns, core, row)
    score += 2.0 * len(named_columns)
    if columns and ROW_OPENING.match(columns[-1]) and not names_part(columns, core):
        score -= 4.0  # a 其中 column is a part of the one above it, which the question asks unless it names the part
    if docs.column_index.get(fact.id, 0) == 0:
        score += 1.5
    extra = [normalize(p) for p in fact.row_path[1:]]
    stated_years = {p[:4] for p in extra + columns if YEAR_CELL.fullmatch(p)}
    if stated_years and intent.years and not stated_years & {str(y) for y in intent.years}:
        score -= 6.0  # a cell of another year (e.g. the 2023年 row of the 三公经费 table)
    fits_kind = kind_fit(fact, question, docs)
    if fits_kind is not None:
        score += 3.0 if fits_kind else -6.0  # a 决算's 决算数 unless a plan figure is asked (年初预算数)
    if wants_percent(intent):
        score += 6.0 if fact.unit == "%" else -8.0
    elif wants_count(intent):  # a 绩效指标 cell holds a count with its unit (≥26人); an amount cell never does
        score += 6.0 if is_count(fact.unit) else -8.0
    if any(word in core for word in CHANGE_WORDS) and not any(word in "".join(columns + extra) for word in CHANGE_WORDS):
        score -= 4.0  # a change is stated in the text (or a 增减 column), not in a plain cell
    return score


SIDES = ("收入", "支出")


def side_fit(cell: Fact, core: str) -> float:
    """Given a cell and the question's own words, return how its table's side fits the one side they name
    ('行政运行的收入': the 收入表's row, not the 支出表's of the same name): +1.5, −1.5, or 0 where they name both
    or neither, or the table is of both."""
    named = [side for side in SIDES if side in core]
    if len(named) != 1:
        return 0.0
    table = f"{cell.table_kind or ''}{cell.table_name or ''}"
    other = next(side for side in SIDES if side != named[0])
    if named[0] in table and other not in table:
        return 1.5
    return -1.5 if other in table and named[0] not in table else 0.0


def asks_whole_budget(intent: Intent) -> bool:
    """Given an intent, return whether it asks for nothing but the whole budget (预算, 预算总额) and names no row."""
    named = [c.name for c in intent.concepts if c.kind != "table"]
    return named == [vocabulary()["default_concept"]] and not intent.row_terms


def question_core(question: str, names: list[str], keep: tuple[str, ...] = ()) -> str:
    """Given a question and the names of its scope (department, 预算单位, district), return the question
    without them and without years, so that what is left says which figure is asked for. Subject words of
    the vocabulary, and the rows the question names (`keep`), stay whole even where they share words with a
    name (服务类项目 and 政务服务数据管理局)."""
    blob = "\n".join(normalize(n) for n in names if n)
    question = re.sub(r"20\d\d年?", "", question)
    kept, i = [], 0
    while i < len(question):
        word = next((w for w in (*keep, *SUBJECT_WORDS) if question.startswith(w, i) and w not in blob), None)
        if word:
            kept.append(word)
            i += len(word)
            continue
        j = i + 2
        while j <= len(question) and question[i:j] in blob:
            j += 1
        if j - 1 - i >= 2:
            i = j - 1
        else:
            kept.append(question[i])
            i += 1
    return "".join(kept)


def score_text(fact: Fact, intent: Intent, core: str, concepts: tuple[ConceptMatch, ...],
               budget_unit: str | None, docs: DocFacts, titled: frozenset[str] = frozenset()) -> float:
    """Given a figure stated in the text part, return how well it answers the question (0 = not at all)."""
    subject = docs.subjects[fact.id]
    score = 0.0
    head = subject.rsplit("的", 1)[-1]  # '…拨款安排的培训费预算支出' is about 培训费
    for concept in concepts:
        if concept.kind == "table":
            continue
        for words in (concept.text_subjects or (concept.name,)):
            if normalize(words) and normalize(words) in subject:
                score = max(score, 10.0 if normalize(words) in head else 5.0)
    for term in intent.row_terms:  # the subject as printed too: a project's name may share the department's words
        if len(term) >= 2 and (normalize(term) in subject or normalize(term) in normalize(fact.subject)):
            score = max(score, 9.0)
    asks_change = any(word in core for word in CHANGE_WORDS)
    states_change = any(word in subject for word in CHANGE_WORDS)
    if asks_change and states_change and not score:
        sentence = normalize(fact.sentence)
        if any(normalize(w) in sentence for c in concepts if c.kind != "table" for w in (c.text_subjects or (c.name,))):
            score = 9.0  # '部门预算支出…，减少 28.5%': the change stated of the concept the sentence names
    overlap = longest_common_run(subject, core)
    if overlap < 2:  # a bare subject ('车辆'): its clause says which ('所属各预算单位共有车辆5辆')
        overlap = longest_common_run(normalize(clause_of(fact)), core)
    if overlap >= 2:
        score = (score or 4.0) + min(1.5 * overlap, 12.0) + (2.0 if names_whole(subject, core) else 0.0)
    if score == 0:
        return 0.0
    if any(word in clause_of(fact) for word in ADDITION_WORDS):
        score += 4.0 if any(word in core for word in ADDITION_WORDS) else -6.0  # 新增 3 名退休人员 is not how many there are
    as_of = AS_OF.search(intent.normalized)
    if as_of and re.sub(r"\s", "", as_of.group(0)) in re.sub(r"\s", "", normalize(fact.sentence)):
        score += 5.0  # '截至2022年10月' asks for the count the document gives as of that date
    lead_overlap = longest_common_run(docs.leads.get(fact.id, ""), core)
    if lead_overlap >= 3:
        score += min(lead_overlap, 4) / 2  # the figure before it says whose it is: 事业编制's 实有在编人数
    if intent.operation == "lookup" and any(not states_concept(c, subject) for c in narrower_concepts(concepts, subject)):
        score -= 8.0  # '政府采购项目中面向中小企业的': the sentence gives the whole, the question asks for a part
    where = normalize(fact.sentence) + "".join(normalize(p) for p in fact.section_path)
    if budget_unit:
        score += 3.0 if any(alias in where for alias in unit_aliases(budget_unit)) else -5.0
    elif any(alias in where for unit in docs.names[1:] if not same_unit(unit, docs.department)
             for alias in unit_aliases(unit)[:2]):
        score -= 4.0  # the question is about the whole department; this sentence is about one 预算单位
    if wants_percent(intent):
        score += 6.0 if fact.unit == "%" else -8.0
    elif fact.unit == "%":
        score -= 8.0
    if wants_count(intent):
        score += 6.0 if is_count(fact.unit) else -6.0
        if intent.unit_hint in COUNT_UNITS and is_count(fact.unit):
            score += 3.0 if counts_alike(intent.unit_hint, fact.unit) else -3.0  # 多少人 is not 29 个
    elif is_count(fact.unit) and any(word in intent.normalized for word in figure_kinds()["money"]):
        score -= 12.0  # '约多少钱' asks for the amount, not the 2 台（套）
    elif is_count(fact.unit):
        score -= 6.0
    if states_change:
        score += 4.0 if asks_change else -6.0
    elif asks_change:
        score -= 4.0  # '比上年增长了多少' asks for the change, not the level
    if titled:
        score -= 10.0  # the question names a table by its title: its cell answers, not a sentence
    fits_kind = kind_fit(fact, normalize(intent.normalized), docs)
    if fits_kind is not None:
        score += 3.0 if fits_kind else -6.0
    return score


def states_concept(concept: ConceptMatch, subject: str) -> bool:
    """Given a concept named and a sentence's subject, return whether the sentence states it: by the words the
    text uses for it, or as the question words it ('货物采购' in '政府采购货物预算')."""
    return any(normalize(words) and normalize(words) in subject for words in (concept.text_subjects or (concept.name,))) \
        or bool(concept.matched) and in_either_order(normalize(concept.matched), subject)


def narrower_concepts(concepts: tuple[ConceptMatch, ...], subject: str) -> list[ConceptMatch]:
    """Given the concepts a question names and a sentence's subject stating one of them, return the others
    that narrow it (a concept whose name contains the stated one's: 中小企业政府采购 narrows 政府采购)."""
    stated = [c for c in concepts if c.kind != "table" and states_concept(c, subject)]
    return [c for c in concepts if c.kind != "table" and c not in stated
            and any(normalize(s.name) in normalize(c.name) for s in stated)]


def states_year(fact: Fact, years: set[str]) -> bool:
    """Given a fact and years other than its document's, return whether the fact is of one of them:
    a cell in a year row or column (三公经费 2023年), or a figure the text states for that year."""
    if fact.kind == "cell":
        places = [normalize(p) for p in fact.row_path[1:] + fact.column_path]
        return any(YEAR_CELL.fullmatch(p) and p[:4] in years for p in places)
    subject = normalize(fact.subject)
    return any(f"{year}年" in subject for year in years) and not any(word in subject for word in CHANGE_WORDS)


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
    core = question_core(question, docs.names, keep=tuple(normalize(t) for t in intent.row_terms if len(t) >= 3))
    named_years = {int(y) for y in NAMED_YEAR.findall(intent.normalized)} | set(intent.years)
    other_years = {str(y) for y in named_years - set(intent.comparison_years) if y != docs.year}
    titled = titled_tables(question, docs)
    scored = []
    for fact in docs.facts:
        if other_years and not states_year(fact, other_years):
            continue  # a figure of the document's own year never answers for another year
        if fact.kind == "cell":
            score = score_cell(fact, intent, question, core, concepts, unit, docs, titled)
        else:
            score = score_text(fact, intent, core, concepts, unit, docs, titled)
        if score >= MIN_SCORE and places_every_item(fact, intent, concepts, docs):
            scored.append(Scored(fact, score))
    # ties: a cell first, then the more precise statement (8,247.97 before the same amount as 8,248)
    scored = prefer_asked_row(prefer_named_item(prefer_money(scored, intent), core, docs, concepts),
                              asked_item(intent, core), docs)
    scored = prefer_all_funds(prefer_qualified(scored, intent, core, concepts, docs), question, docs)
    return sorted(scored, key=lambda s: (-s.score, s.fact.kind != "cell", s.fact.value.as_tuple().exponent))


MIN_TITLE_RUN = 4
GENERIC_WORDS = frozenset(vocabulary()["generic_item_words"])
MIN_RUN_LIKENESS = 0.75  # how alike a row must be to the run of words a question names it by (办公设备购置费 ~ 办公设备购置)
MIN_ITEM_CHARS = 3  # shorter words ('经费', '支出') name no item by themselves
FIGURE_WORDS = re.compile("|".join(sorted(map(re.escape, vocabulary()["figure_words"]), key=len, reverse=True)))


def fact_place(fact: Fact, docs: DocFacts) -> str:
    """Given a fact, return every word that says what it is: its table's title, side, row path, columns and
    unit; or its sentence, subject and section."""
    if fact.kind == "cell":
        parts = [fact.table_name, fact.table_side, *fact.row_path, *fact.column_path, fact.budget_unit]
    else:
        parts = [docs.subjects[fact.id], fact.subject, fact.sentence, *fact.section_path]
    return "/".join(normalize(p) for p in parts if p)


def places_every_item(fact: Fact, intent: Intent, concepts: tuple[ConceptMatch, ...], docs: DocFacts) -> bool:
    """Given a fact and what the question names, return whether the fact stands where every item it names is
    (a concept's place or words, a row's name, in its table, row, column or sentence; most of a word's
    characters in one run will do): a figure of something else that scored on shared words ('经费') answers
    nothing, and the question is then not answered. An item named as what holds the asked one ('其他收入中')
    or in a remark in brackets ('（含政府性基金）') need not stand there."""
    place = fact_place(fact, docs)
    question = normalize(intent.normalized)
    for concept in concepts:
        words = [normalize(w) for w in (concept.matched, concept.name, *concept.text_subjects) if w]
        if concept.kind in ("table", "narrative") or len(words[0]) < MIN_ITEM_CHARS or aside(words[0], question) \
                or len(FIGURE_WORDS.sub("", words[0])) < 2 or names_fund_where_none_is(words[0], fact, place):
            continue
        if not (any(mostly_in(w, place) for w in words) or any(lookup_matches(lookup, fact) for lookup in concept.lookups)):
            return False
    for term in intent.row_terms:
        if len(FIGURE_WORDS.sub("", term)) >= 2 and len(term) >= MIN_ITEM_CHARS and not term.isdigit() \
                and not aside(normalize(term), question) and not mostly_in(normalize(term), place):
            return False
    return True


def names_fund_where_none_is(word: str, fact: Fact, place: str) -> bool:
    """Given a word the question names, a figure and its place, return whether the word names a fund where the
    figure's table is of that fund by its kind and tells no fund apart (the 三公经费、会议费、培训费 table by unit):
    of such a figure, the fund need not be printed. A table of all funds is never of one."""
    return fact.table_kind in FUND_IMPLIED_TABLES and any(fund in word for fund in FUND_WORDS) \
        and not any(fund in place for fund in FUND_WORDS)


def mostly_in(word: str, text: str) -> bool:
    """Given a word and a text, return whether most of the word stands in the text in one run."""
    return word in text or longest_common_run(word, text) * 5 >= len(word) * 3


def aside(word: str, question: str) -> bool:
    """Given a word of the question, return whether it only qualifies the item asked: it names what holds it
    ('其他收入中捐赠收入') or stands in a remark in brackets ('支出总计（含政府性基金）')."""
    at = question.find(word)
    if at < 0:
        return True
    return names_container(word, question) or question[:at].count("(") > question[:at].count(")")


def names_row(fact: Fact, term: str, docs: DocFacts) -> bool:
    """Given a fact and a row term the question names, return whether the fact is that item's: its row (or code),
    or a sentence whose subject, clause or heading names it ('行政运行（2010601）' heads '年初预算为1560.05万元')."""
    if fact.kind == "cell":  # a unit's row gives its items in columns ('会议费、培训费支出预算表')
        heads = stands_for_unit(fact) and bool(fact.column_path) and normalize(term) == normalize(fact.column_path[-1])
        return term == fact.row_code or normalize(term) == row_item(normalize(fact.row_name)) or heads
    where = (docs.subjects[fact.id], fact.subject, clause_of(fact), fact.section_path[-1] if fact.section_path else "")
    return any(in_either_order(normalize(term), normalize(text)) for text in where)


def in_either_order(term: str, text: str) -> bool:
    """Given an item's name and a sentence's words, return whether they name it, its two words in either order
    ('货物采购' in '政府采购货物预算')."""
    return term in text or any(term[:cut] in text and term[cut:] in text for cut in range(2, len(term) - 1))


def prefer_money(scored: list[Scored], intent: Intent) -> list[Scored]:
    """Given scored facts and the part read, return them with the figures of no unit demoted (a 数量 column, a
    score) where the part asks an amount (no count, rate or other unit) and money answers it too."""
    if wants_count(intent) or wants_percent(intent) or (intent.unit_hint and intent.unit_hint not in MONEY_UNITS):
        return scored
    if not any(s.fact.unit in MONEY_UNITS for s in scored):
        return scored
    return [Scored(s.fact, s.score - 3.0) if s.fact.unit is None else s for s in scored]


MIN_QUALIFIER_RUN = 4  # shorter runs are common words or the item's own ('预算', '上年', '经费')


def prefer_qualified(scored: list[Scored], intent: Intent, core: str, concepts: tuple[ConceptMatch, ...],
                     docs: DocFacts) -> list[Scored]:
    """Given scored facts and the question's words, return them with those demoted whose place lacks the words
    that qualify the item, where others have them: '纳入绩效目标管理的一般公共预算拨款' is the amount the 绩效
    paragraph states, not the department's whole 一般公共预算拨款."""
    rest = core
    for word in [normalize(c.matched) for c in concepts if c.matched and c.kind in ("amount", "count")] + \
            [normalize(t) for t in intent.row_terms] + list(figure_kinds()["count"]):  # what is asked, not how
        rest = rest.replace(word, "，") if word else rest
    rest = FIGURE_WORDS.sub("，", re.sub(r"(?:19|20)\d\d年度?", "，", rest))
    runs = {s.fact.id: longest_common_run(rest, fact_place(s.fact, docs)) for s in scored}
    if max(runs.values(), default=0) < MIN_QUALIFIER_RUN:
        return scored
    return [s if runs[s.fact.id] >= MIN_QUALIFIER_RUN else Scored(s.fact, s.score - 10.0) for s in scored]


def prefer_all_funds(scored: list[Scored], question: str, docs: DocFacts, looked: int = 5) -> list[Scored]:
    """Given scored facts, the question and its document, return them with the best few that are one fund's
    figure of a row all funds give otherwise (one_funds_of_all) demoted: no fund asked, all funds are."""
    best = {s.fact.id for s in sorted(scored, key=lambda s: -s.score)[:looked]}
    return [Scored(s.fact, s.score - 6.0) if s.fact.id in best and one_funds_of_all(s.fact, question, docs) else s
            for s in scored]


def prefer_asked_row(scored: list[Scored], asked: ConceptMatch | str | None, docs: DocFacts) -> list[Scored]:
    """Given scored facts and the item the question asks (the innermost it names), return them with the facts
    that do not give that item demoted, where some do: '财政拨款基本支出中其他交通费用' asks the row
    其他交通费用, and the whole 财政拨款基本支出, named as its container, is no answer."""
    if not isinstance(asked, str) or not any(names_row(s.fact, asked, docs) for s in scored):
        return scored
    return [s if names_row(s.fact, asked, docs) else Scored(s.fact, s.score - 10.0) for s in scored]


TITLE_OPENING = re.compile(r"^(?:(?:公开)?\d{1,2}表|表\d{1,2}|[一二三四五六七八九十]+、|\d{1,2}[.、])?")
MAX_TITLE_CHARS = 40
MIN_TITLE_SHARE = 0.6


def titled_tables(question: str, docs: DocFacts) -> frozenset[str]:
    """Given a question and a document, return the titles of its tables the question names by their title
    (see title_naming)."""
    return title_naming(question, docs)[1]


def title_naming(question: str, docs: DocFacts) -> tuple[str, frozenset[str]]:
    """Given a question and a document, return the phrase of the question that names tables of the document by
    their title, and those titles: a phrase ending in 表 whose words stand in that order in the title's own
    words (without its year, department and number), making up most of them ('一般公共预算基本支出经济分类
    预算表' names '2026年部门一般公共预算基本支出部门预算经济分类预算表'); the longest such phrase wins."""
    titles = {f.table_name for f in docs.facts if f.kind == "cell" and f.table_name}
    ends = [i + 1 for i, ch in enumerate(question) if ch == "表"]
    phrases = {question[start:end] for end in ends for start in range(max(0, end - MAX_TITLE_CHARS), end - 3)}
    best: tuple[int, float] = (0, 0.0)
    fits: set[str] = set()
    named = ""
    for title in titles:
        words = title_words(title, docs)
        for phrase in phrases:
            if phrase[0] == words[:1] and in_order(phrase, words) and len(phrase) / len(words) >= MIN_TITLE_SHARE:
                fit = (len(phrase), len(phrase) / len(words))  # the longest phrase, then the most of the title
                if fit >= best:
                    fits = {title} | (fits if fit == best else set())
                    best, named = fit, phrase
    return named, frozenset(fits)


def title_words(title: str, docs: DocFacts) -> str:
    """Given a table's title, return its own words: without its number, year, department and 部门."""
    words = TITLE_OPENING.sub("", normalize(title))
    words = re.sub(r"^(?:19|20)\d\d年度?", "", words)
    for name in sorted((normalize(n) for n in docs.names if n), key=len, reverse=True):
        words = words.replace(name, "")
    words = re.sub(r"^(?:19|20)\d\d年度?", "", words)
    return re.sub(r"^部门", "", words)



def prefer_named_item(scored: list[Scored], core: str, docs: DocFacts, concepts: tuple[ConceptMatch, ...]) -> list[Scored]:
    """Given scored facts, return them with the whole demoted where the question names a part of it whole:
    the other figures of a sentence ('政府采购中服务类项目' in '…共有 5,845.89 万元，其中：…服务类项目
    5,648.67 万元', or a concept named after the container: '政府采购项目中货物类'), and a figure named as the
    container of the part ('一般行政管理事务中聘用人员经费')."""
    named_at = {c: core.find(normalize(c.matched)) for c in concepts if c.kind != "table" and c.matched
                and normalize(c.matched) in core}
    containers = [at for c, at in named_at.items() if core[at + len(normalize(c.matched)):][:1] in CONTAINER_MARKS]
    asked = [c for c, at in named_at.items() if containers and at > max(containers)]
    named = lambda fact: len(docs.subjects[fact.id]) >= 3 and (  # noqa: E731
        docs.subjects[fact.id] in core or any(states_concept(c, docs.subjects[fact.id]) for c in asked))
    parts = [s.fact for s in scored if s.fact.kind == "text" and named(s.fact)]
    sentences = {(f.section_path, f.sentence) for f in parts}
    last_part = max([core.rfind(docs.subjects[f.id]) for f in parts] + [named_at[c] for c in asked if parts], default=-1)

    def is_whole(fact: Fact) -> bool:
        if fact.kind == "text" and not named(fact) and (fact.section_path, fact.sentence) in sentences:
            return True
        name = normalize(fact.row_name) if fact.kind == "cell" else docs.subjects[fact.id]
        at = core.find(name) if len(name) >= 3 else -1
        return 0 <= at < last_part and core[at + len(name):at + len(name) + 1] in CONTAINER_MARKS
    return [Scored(s.fact, s.score - 6.0) if is_whole(s.fact) else s for s in scored]


def best_fact(intent: Intent, docs: DocFacts, **narrowing) -> Found | None:
    """Given an intent and a document's facts, return the best-scoring figure, with any disagreeing place."""
    ranked = rank_facts(intent, docs, **narrowing)
    if wants_count(intent) and intent.operation == "lookup":
        ranked = [s for s in ranked if is_count(s.fact.unit)]
    if not ranked:
        return None
    top = ranked[0].fact
    agreeing = [s.fact for s in ranked[1:6] if s.fact.value == top.value and s.fact.kind != top.kind
                and s.score >= ranked[0].score - 6]
    disagreeing = [s.fact for s in ranked[1:6] if s.fact.kind != top.kind and s.fact.value != top.value
                   and not same_row(s.fact, top)
                   and s.score >= ranked[0].score - 4 and same_money_unit(s.fact, top)
                   and same_item(s.fact, top) and docs.column_index.get(s.fact.id, 0) == 0]  # a row's total, not a part
    disagreeing += [f for f in same_name_elsewhere(top, docs) if f not in disagreeing]
    confirmed = answers_asked(top, intent, docs, narrowing.get("budget_unit", "")) \
        and not named_alike_elsewhere(top, intent, docs)
    return Found(top.value, top.unit, [top] + agreeing[:1], fact_label(top), alternatives=disagreeing[:2],
                 confirmed=confirmed)


def same_row(a: Fact, b: Fact) -> bool:
    """Given two facts, return whether they are cells of one row of one table (two columns of an item)."""
    return a.kind == b.kind == "cell" and (a.table_name, a.table_side, a.budget_unit, a.row_path, a.row_code) == \
        (b.table_name, b.table_side, b.budget_unit, b.row_path, b.row_code)


def named_alike_elsewhere(top: Fact, intent: Intent, docs: DocFacts) -> bool:
    """Given the found fact, return whether a row of another kind of table bears its item's name with another
    amount (a class of spending and a project called alike) while the question names no table: which of them
    is asked is then not known, and neither is confirmed."""
    if intent.tables_named or any(c.kind == "table" for c in intent.concepts) or \
            titled_tables(normalize(intent.normalized), docs):
        return False
    names = {n for n in {item_name(top), *(normalize(t) for t in intent.row_terms)} if len(n) >= 4}
    return any(
        f.kind == "cell" and f.table_kind != top.table_kind and f.value != top.value and same_money_unit(f, top)
        and row_item(normalize(f.row_name)) in names and docs.column_index.get(f.id, 0) == 0
        and f.row_code is None and unit_of_fact_matches(f, top.budget_unit, docs.department) is not False
        for f in docs.facts)


def asked_item(intent: Intent, core: str) -> ConceptMatch | str | None:
    """Given a question's intent and its core words, return the item it asks for: the last concept or row it
    names that does not hold another ('政府采购预算中工程类' asks 工程类; '三公经费中公务接待费' asks
    公务接待费), or None when it names neither (and nothing can be confirmed as its answer)."""
    named: list[tuple[int, ConceptMatch | str, str]] = []
    columns = {normalize(c) for c in intent.column_terms} if intent.row_terms else set()
    for concept in intent.concepts:  # a concept that is a column of a named row asks for that row's column
        # (财政拨款收入 of '事业单位医疗的财政拨款收入': the column 财政拨款 and the word naming its figure)
        words = normalize(concept.matched or concept.name)
        if concept.kind != "table" and not any(words.startswith(c) for c in columns) and (at := core.find(words)) >= 0:
            named.append((at, concept, words))
    unplaced = []  # terms the core does not hold (named inside a table's title, or quoted): asked only if alone
    for term in intent.row_terms:
        at = core.find(normalize(term))
        (named if at >= 0 else unplaced).append((at if at >= 0 else len(core), term, normalize(term)))
    named = named or unplaced
    share_at = core.find("占") if intent.operation == "share" else -1
    if share_at > 0:  # a share stated in the text is of its part: '住房保障支出占…' asks 住房保障支出's share
        named = [item for item in named if item[0] < share_at] or named
    if not named:
        return None
    named.sort(key=lambda item: (item[0], -len(item[2])))
    held = [item for item in named if core[item[0] + len(item[2]):][:1] not in CONTAINER_MARKS or item is named[-1]]
    return held[-1][1]


def answers_asked(fact: Fact, intent: Intent, docs: DocFacts, budget_unit: str | None = "") -> bool:
    """Given the fact that scored best for a question, return whether it is the asked item itself, which is
    what 已核实 says: a cell in the row the question names (or where its concept stands), in the table and
    column it names, of the 预算单位 it names; a sentence stating what the question names, a change where a
    change is asked; a count, rate or amount as asked. A fact that merely scored best is not confirmed."""
    question = normalize(intent.normalized or intent.question)
    phrase, titled = title_naming(question, docs)
    outside = question.replace(phrase, "，") if phrase else question  # a table's title names no item or column
    core = question_core(outside, docs.names, keep=tuple(normalize(t) for t in intent.row_terms if len(t) >= 3))
    if wants_percent(intent) != (fact.unit == "%") or (wants_count(intent) and not is_count(fact.unit)):
        return False
    if intent.unit_hint in COUNT_UNITS and is_count(fact.unit) and not counts_alike(intent.unit_hint, fact.unit):
        return False  # 多少人 is not answered by 3 家
    if kind_fit(fact, question, docs) is False:
        return False
    if not fits_runs(fact, intent, docs) or one_funds_of_all(fact, question, docs):
        return False
    units = intent.budget_units.get(docs.doc_id, ())
    if budget_unit == "" and len(units) >= 2:
        return False  # several 预算单位 asked together: one unit's figure is not their figure
    unit = (units or (None,))[0] if budget_unit == "" else budget_unit
    asked = asked_item(intent, core)
    if fact.kind == "text":
        subject = docs.subjects[fact.id]
        printed = normalize(fact.subject)  # a project may share the department's words ('政务管理')
        stated = any(states_concept(asked, words) for words in (subject, printed)) if isinstance(asked, ConceptMatch) \
            else bool(asked) and (normalize(asked) in subject or normalize(asked) in printed)
        asks_change = any(word in core for word in CHANGE_WORDS)
        misread = bool(re.search(r"\d$", printed))  # '内设机构 1 0 个': a number split by the page's spacing
        return stated and not titled and not misread and asks_change == any(word in subject for word in CHANGE_WORDS) \
            and same_direction(core, subject) and speaks_of_unit(fact, unit, docs)
    if unit_of_fact_matches(fact, unit, docs.department) is False:
        return False
    row = row_item(normalize(fact.row_name))
    heads_column = stands_for_unit(fact) and fact.column_path and normalize(fact.column_path[-1])
    if isinstance(asked, ConceptMatch):
        named = concept_place(asked, fact, docs, unit) or normalize(asked.matched) == row
    else:
        named = bool(asked) and (asked == fact.row_code or normalize(asked) in (row, heads_column))
    place = "/".join(normalize(p) for p in (*fact.row_path, *fact.column_path, fact.table_name or ""))
    others_placed = all(normalize(t) in place or t == fact.row_code or t is asked or normalize(t) in normalize(str(asked))
                        or (ROW_OPENING.match(fact.row_name or "") and names_container(normalize(t), outside))
                        for t in intent.row_terms if normalize(t) in outside)  # '“就业援助基地补贴”项目的项目资金总额
    tables = set(intent.tables_named) | {t for c in intent.concepts if c.kind == "table" for t in c.tables}
    in_table = fact.table_name in titled if titled else (not tables or fact.table_kind in tables)
    columns = {column_words(normalize(c)) for c in fact.column_path}
    asked_columns = [normalize(t) for t in intent.column_terms
                     if not YEAR_CELL.fullmatch(normalize(t)) and normalize(t) in outside]
    in_column = not asked_columns or any(c in columns or c == row for c in asked_columns) \
        or any(lookup_matches(lookup, fact) and lookup.columns for c in intent.concepts if c.kind != "table"
               for lookup in c.lookups)
    return named and others_placed and in_table and in_column


ALL_FUND_TABLES = frozenset(_LOOKUP["all_fund_tables"])


def one_funds_of_all(fact: Fact, question: str, docs: DocFacts) -> bool:
    """Given a figure, the question and its document, return whether the figure is one fund's (a 财政拨款 table's
    cell, a sentence explaining one) where the question names no fund and a table of all funds gives the same
    row another amount (4,448.60 of 财政拨款, 4,488.46 in all): it is then not the asked figure."""
    if any(word in question for word in FUND_WORDS):
        return False
    if fact.kind == "cell":
        if fact.table_kind not in ONE_FUND_TABLES:
            return False
        names = {row_item(normalize(fact.row_name))}
    else:
        where = normalize(fact.sentence) + "".join(normalize(p) for p in fact.section_path)
        if not any(word in where for word in FUND_WORDS):
            return False
        item = docs.subjects[fact.id] + normalize(clause_of(fact))  # what it is of: not the fund it is of
        names = {n for f in docs.facts if f.kind == "cell" and len(n := row_item(normalize(f.row_name))) >= MIN_ROW_CHARS
                 and n in item and not any(word in n for word in FUND_WORDS)}
    return any(f.kind == "cell" and f.table_kind in ALL_FUND_TABLES and docs.column_index.get(f.id, 0) == 0
               and row_item(normalize(f.row_name)) in names and f.value != fact.value and same_money_unit(f, fact)
               for f in docs.facts)


def fits_runs(fact: Fact, intent: Intent, docs: DocFacts) -> bool:
    """Given a fact and a part read, return whether the fact's item is like every run of words the part names its
    item by ('信息化运维费' is not the row 信息化建设 that '信息化' found: that item is not printed)."""
    name = (docs.subjects.get(fact.id) or normalize(fact.subject)) if fact.kind == "text" else row_item(normalize(fact.row_name))
    return not name or all(in_order(run, name) or SequenceMatcher(None, run, name).ratio() >= MIN_RUN_LIKENESS
                           for run in asked_runs(intent))


def asked_runs(intent: Intent) -> list[str]:
    """Given a part read, return each row term with the unclaimed word that stands right after it in the question
    ('信息化' and '运维费' of '信息化运维费'), where one does: the item the question names is the whole run. Words
    saying which figure is asked (预算, 经费, 项目) grow nothing, nor does a code, and a quoted item is named whole
    ('“政务管理”项目')."""
    text = intent.normalized
    words = [w for w in map(normalize, intent.keywords) if FIGURE_WORDS.sub("", w) and w not in GENERIC_WORDS]
    runs = []
    for term in map(normalize, intent.row_terms):
        at = text.find(term)
        if at < 0 or not term or term.isdigit():
            continue
        grown = next((w for w in words if text.startswith(w, at + len(term))), None)
        if grown:
            runs.append(term + grown)
    return runs


def names_container(term: str, question: str) -> bool:
    """Given a term and the question, return whether the question names the term as what holds the asked item
    ('其他收入中捐赠收入'): a row printed as 其中 stands under it."""
    at = question.find(term)
    return at >= 0 and question[at + len(term):][:1] in CONTAINER_MARKS


def speaks_of_unit(fact: Fact, budget_unit: str | None, docs: DocFacts) -> bool:
    """Given a sentence's figure and the 预算单位 asked (None: the department), return whether the sentence or its
    section names that unit, or a cell of that unit's row gives the same item the same amount (a project the
    text lists without its unit, the tables list under it): the department's sentence is no unit's figure."""
    if budget_unit is None or same_unit(budget_unit, docs.department):
        return True
    where = normalize(fact.sentence) + "".join(normalize(p) for p in fact.section_path)
    if any(alias in where for alias in unit_aliases(budget_unit)):
        return True
    return any(cell.kind == "cell" and cell.value == fact.value and cell.unit == fact.unit
               and same_unit(cell.budget_unit, budget_unit) and same_item(cell, fact) for cell in docs.facts)


def concept_place(concept: ConceptMatch, fact: Fact, docs: DocFacts, budget_unit: str | None) -> bool:
    """Given a concept, a cell and its document, return whether the cell stands at the concept's place in this
    document: the first of the concept's places (in the vocabulary's order) that the document has for the
    预算单位 asked (项目支出 is the 支出总表's column where the document prints one, not the 一般公共预算
    支出表's, which leaves out other funds)."""
    for lookup in concept.lookups:
        placed = [(f, unit_of_fact_matches(f, budget_unit, docs.department)) for f in docs.facts
                  if f.kind == "cell" and lookup_matches(lookup, f)]
        present = [f for f, own in placed if own] or \
            [f for f, own in placed if own is not False and not (lookup.unit_row and f.budget_unit)]  # nor a sub-unit's row
        if placed:  # the concept's first place in this document: where it lacks the unit asked, nothing stands in
            return fact in present
    return False


DECREASE_WORDS: tuple[str, ...] = tuple(_LOOKUP["changes"]["decrease"])


def same_direction(question: str, subject: str) -> bool:
    """Given a change question and a sentence's subject, return whether they speak of the same direction (a
    question asking how much 减少 is not answered by an 增加), or the question names none."""
    if not any(word in question for word in CHANGE_WORDS):
        return True
    asks_decrease = any(word in question for word in DECREASE_WORDS)
    states_decrease = any(word in subject for word in DECREASE_WORDS)
    names_increase = any(word in question for word in CHANGE_WORDS if word not in DECREASE_WORDS)
    return asks_decrease == states_decrease or (asks_decrease and names_increase)


def same_item(a: Fact, b: Fact) -> bool:
    """Given two facts, return whether they name the same item, in other words ('专项业务预算' and the row
    专项业务; '公务接待费2024年预算数' and the row 公务接待费): most of the shorter name is in the other."""
    names = [item_name(f) if f.kind == "cell" else subject_in_context(f) for f in (a, b)]
    shorter = min(len(n) for n in names)
    return shorter >= 2 and longest_common_run(*names) >= max(2, (shorter + 1) // 2)


def item_name(fact: Fact) -> str:
    """Given a fact, return the name of the item it gives (a row's name, what a unit's own row gives, or a text
    figure's subject), normalised."""
    if fact.kind == "cell":
        name = fact_label(fact) if stands_for_unit(fact) else fact.row_name
    else:
        name = re.sub(r"^.*[：:，,、]", "", subject_in_context(fact) if fact.subject else "")
    return re.sub(r"^[(（]?[一二三四五六七八九十\d]+[)）.、]?", "", normalize(name))


def same_name_elsewhere(top: Fact, docs: DocFacts) -> list[Fact]:
    """Given the found fact, return other places of its document that give the same item a different amount
    (e.g. a project's budget in the text and in the 绩效目标表), so the answer can show both."""
    name = item_name(top)
    if len(name) < 4 or top.unit not in ("万元", "元", None):
        return []
    if top.kind == "cell" and docs.column_index.get(top.id, 0) != 0:
        return []  # a part of its row (项目支出 of 购房补贴): other places give the row's total, not this part
    others = []
    for fact in docs.facts:
        if fact.id == top.id or fact.value == top.value or not same_money_unit(fact, top) or item_name(fact) != name:
            continue
        if fact.kind == "cell" and (docs.column_index.get(fact.id, 0) != 0 or (top.kind == "cell" and (
                fact.row_code != top.row_code or not same_unit(fact.budget_unit, top.budget_unit)
                or fact.table_kind != top.table_kind))):
            continue  # another table's row of that name measures another thing (收入 of it, one fund's share)
        extra = [normalize(p) for p in fact.row_path[1:] + fact.column_path]
        if any(YEAR_CELL.fullmatch(p) or any(w in p for w in CHANGE_WORDS) for p in extra):
            continue  # another year's figure, or the change between two years
        if not same_context(fact, top, docs):
            continue
        others.append(fact)
    return others


def same_context(a: Fact, b: Fact, docs: DocFacts) -> bool:
    """Given two facts naming the same item, return whether they speak of the same 预算单位 and whole: two
    sentences of the same unit's section, or a sentence that names (or sits in the section of) the cell's unit."""
    if a.kind == "text" and b.kind == "text":  # one sentence naming an item twice gives it of two wholes
        return a.section_path[:3] == b.section_path[:3] and a.sentence != b.sentence
    text, cell = (a, b) if a.kind == "text" else (b, a)
    if cell.kind == "text":
        return True
    if cell.budget_unit is None or same_unit(cell.budget_unit, docs.department):
        return True
    where = normalize(text.sentence) + "".join(normalize(p) for p in text.section_path)
    return any(alias in where for alias in unit_aliases(cell.budget_unit))


def same_money_unit(a: Fact, b: Fact) -> bool:
    return (a.unit or "万元") == (b.unit or "万元")


def fact_label(fact: Fact) -> str:
    """Given a fact, return what its figure is, in a few words (row and column, or the sentence's subject)."""
    if fact.kind == "text":
        return subject_in_context(fact).rstrip("：:")
    row = row_item(fact.row_name)
    column = fact.column_path[-1] if fact.column_path else ""
    if stands_for_unit(fact):  # a unit's own row: the figure is its column's item ('培训费'), or its table's total
        if column and column not in TOTAL_COLUMNS:
            return column
        row = fact.column_path[-2] if len(fact.column_path) >= 2 else fact.table_name or fact.table_kind or row
    return f"{row}（{column}）" if column and column not in row else row


TOTAL_COLUMNS = ("合计", "小计", "总计")


def round_like(value: Decimal, *examples: Decimal) -> Decimal:
    """Given a computed value, return it rounded to the most decimals among the figures it came from."""
    places = max([0] + [-e.as_tuple().exponent for e in examples if e.as_tuple().exponent < 0])
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


COMMON_UNIT = "万元"  # amounts printed in different units are compared in this one
ADDITIVE = ("sum", "difference", "compare", "growth_amount")
POINTS = "个百分点"  # computations whose result is an amount
UNIT_PLACES = {"元": 2, "千元": 2, "万元": 2, "亿元": 4}


def in_unit(found: Found, unit: str | None) -> Found:
    """Given a found amount and the money unit a question asks it in, return it in that unit with the conversion
    as its formula ('2,087,959.00 元 = 208.80 万元'); unchanged when it is in that unit or is no amount."""
    if unit not in MONEY_UNITS or found.unit not in MONEY_UNITS or found.unit == unit:
        return found
    if found.operation in ADDITIVE and found.parts:  # '相差多少万元' of two 元 tables: computed again in 万元
        again = combine(found.operation, [in_unit(p, unit) for p in found.parts])
        return replace(again, label=found.label, others=found.others, confirmed=found.confirmed) if again else found
    if found.formula:
        return found
    converted = convert_money(found.value, found.unit, unit).quantize(Decimal(1).scaleb(-UNIT_PLACES[unit]),
                                                                       rounding=ROUND_HALF_UP)
    return replace(found, value=converted, unit=unit, formula=f"{found.value:,} {found.unit} = {converted:,} {unit}",
                   others=[in_unit(other, unit) for other in found.others], parts=[in_unit(p, unit) for p in found.parts])


def combine(operation: str, parts: list[Found]) -> Found | None:
    """Given the figures of a computation's parts, return the computed figure with its formula; amounts printed
    in different units (a 元 table and a 万元 one) are computed in 万元, each conversion shown."""
    units = {p.unit for p in parts if p.unit}
    if len(parts) < 2 or (len(units) > 1 and not units <= set(MONEY_UNITS)):
        return None
    if len(units) > 1:
        converted = [in_unit(p, COMMON_UNIT) for p in parts]
        values = [convert_money(p.value, p.unit, COMMON_UNIT) if p.unit else p.value for p in parts]
        shown = [f"{c.value:,}（{p.value:,} {p.unit}）" if p.unit != COMMON_UNIT else f"{p.value:,}"
                 for c, p in zip(converted, parts)]
        unit, examples = COMMON_UNIT, [c.value for c in converted]
    else:
        values = [p.value for p in parts]
        shown = [f"{v:,}" for v in values]
        unit, examples = parts[0].unit, values
    facts = [f for p in parts for f in p.facts[:1]]
    computed = combine_values(operation, values, shown, facts, unit, examples)
    if computed is not None:
        computed.confirmed = all(p.confirmed for p in parts)
        computed.parts = [in_unit(p, unit) for p in parts]
        computed.operation = operation
    return computed


def combine_values(operation: str, values: list[Decimal], shown: list[str], facts: list[Fact], unit: str | None,
                   examples: list[Decimal]) -> Found | None:
    """Given the values of a computation's parts, how they are shown and the figures whose decimals its result
    keeps, return the computed figure."""
    if operation == "sum":
        total = round_like(sum(values, Decimal(0)), *examples)
        return Found(total, unit, facts, "合计", f"{' + '.join(shown)} = {total:,}")
    if operation in ("difference", "compare"):
        difference = round_like(abs(values[0] - values[1]), *examples)  # two rates differ by points
        return Found(difference, POINTS if unit == "%" else unit, facts, "差额", f"|{shown[0]} − {shown[1]}| = {difference:,}")
    if operation == "ratio" and values[1] != 0:
        times = (values[0] / values[1]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return Found(times, "倍", facts, "倍数", f"{shown[0]} ÷ {shown[1]} = {times}")
    if operation == "share" and values[1] != 0:
        share = percent(values[0], values[1])
        return Found(share, "%", facts, "占比", f"{shown[0]} ÷ {shown[1]} × 100% = {share}%")
    if operation == "growth_rate" and values[1] != 0:
        rate = percent(values[0] - values[1], values[1])
        return Found(rate, "%", facts, "增长率", f"({shown[0]} − {shown[1]}) ÷ {shown[1]} × 100% = {rate}%")
    if operation == "growth_amount":
        change = round_like(values[0] - values[1], *examples)
        return Found(change, unit, facts, "增减", f"{shown[0]} − {shown[1]} = {change:,}")
    return None
