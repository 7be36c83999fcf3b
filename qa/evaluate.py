"""Score ``qa.query`` against a gold question set (``eval/gold.jsonl``).

Every question goes through the public query function; each answer is scored by the rules
that apply to its question type, and the run is summarised per type and overall:

- value: the answer's main figure (``Answer.value``) equals the gold ``value``: Decimal after
  removing separators, money converted between 元/万元/亿元, percentages rounded to the
  gold's printed precision.  Strict: a right number only among ``figures`` does not count.
- citation: the answer cites every gold ``doc`` (by file stem, so ``longgang-2024.pdf`` matches
  ``longgang-2024.txt``) and the kind of table the gold names: its ``table``, else the kind its ``source``'s
  title words name ('表4 财政拨款收入支出决算总表' is a 财政拨款收支总表 whatever its number), else, for a
  source that prints only a number ('表3 / …'), the standard table of that number.
- refusal: an unanswerable question is answered "not found" with no figure shown as
  confirmed (已核实/计算); an answerable one is not refused.
- discrepancy: both gold ``values`` appear among the answer's figures, each with its own citation.
- parts: a question of several parts ("多少？其中…多少？") lists its other asked figures in ``values``; each
  must be among the answer's figures (in any money unit), as the first is its main value.
- narrative: the share of ``key_phrases`` found in the answer text (whitespace ignored), ≥ 0.5; a text
  question whose answer is no single figure (a list of names) is judged the same way by its ``evidence``.
- retrieval: the rank of the first retrieved passage of a gold doc holding gold evidence
  (recall@1/5/10); reported, never part of pass/fail.
- latency: wall-clock time of each ``query`` call (p50/p95).

A question passes when every rule that applies to its type passes.  The harness reads any
gold file with this schema; ``run`` is what ``qa eval`` calls.
"""
from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from common.errors import BudgetQAError
from common.numbers import MONEY_UNITS, PERCENT_UNITS, convert_money, parse_number
from index.tables.kinds import knowledge, name_to_kind
from qa.plan.analyze import chinese_number
from qa.answer.model import Answer, Figure

QuestionType = Literal["table_lookup", "text_fact", "compute", "cross_doc", "narrative", "unanswerable", "discrepancy"]
TYPE_ORDER: tuple[str, ...] = (
    "table_lookup", "text_fact", "compute", "cross_doc", "narrative", "unanswerable", "discrepancy",
)
VALUE_TYPES = {"table_lookup", "text_fact", "compute", "cross_doc"}
CONFIRMED = {"已核实", "计算"}
NARRATIVE_PASS_SHARE = 0.5
RECALL_KS = (1, 5, 10)
EVIDENCE_PREFIX_CHARS = 30  # a long evidence line counts as found when its first 30 non-space characters are
RULES = ("value", "parts", "citation", "refusal", "discrepancy", "narrative")

# Phrases by which an answer says the information is not in the documents (used only when the
# answer gives no main value and no figure, so a quoted sentence never turns an answer into a refusal).
NOT_FOUND = re.compile(
    r"未找到|没有找到|找不到|未能找到|无法找到|未检索到|无法回答|不能回答|未提及|没有提及|未披露|没有披露"
    r"|文档中没有|资料中没有|文件中没有|not\s+found|cannot\s+find|could\s+not\s+find|no\s+information",
    re.IGNORECASE,
)
_TABLE_AT_START = re.compile(r"\s*表\s*(\d{1,2})")
_TABLE_ANYWHERE = re.compile(r"表\s*(\d{1,2})(?!\d)")
_WS = re.compile(r"\s+")
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,5}$")

DEFAULT_REPORT_DIR = Path(__file__).resolve().parents[1] / "reports"

QueryFn = Callable[[str], Answer]


# --------------------------------------------------------------------------- gold file


class GoldError(BudgetQAError):
    """A gold file that cannot be used; the message names the file and the line."""

    def __init__(self, path: Path | str, line: int | None, zh: str, en: str, item_id: object = None):
        self.path, self.line = Path(path), line
        where_zh = f"{self.path.name} 第{line}行" if line else self.path.name
        where_en = f"{self.path.name} line {line}" if line else self.path.name
        if item_id is not None:
            where_zh, where_en = f"{where_zh}（id {item_id}）", f"{where_en} (id {item_id})"
        super().__init__(f"{where_zh}：{zh}", f"{where_en}: {en}")


class GoldItem(BaseModel):
    """One gold question, validated so that scoring never meets a missing field.

    Unknown fields are ignored so that gold files carrying extra annotations still load.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    type: QuestionType
    question: str = Field(min_length=1)
    answer: str | None = None
    value: str | None = None
    unit: str | None = None
    doc: str | list[str] | None = None
    source: str | None = None
    evidence: list[str] | None = None
    formula: str | None = None
    values: list[str] | None = None
    key_phrases: list[str] | None = None
    page: int | list[int] | None = None  # where the evidence stands (PDF page index)
    table: str | None = None  # the kind of the table a table question is about (index/tables/table_kinds.yaml)
    paraphrase_of: str | None = None  # the id of the question this one rewords (eval/paraphrases.jsonl)

    @field_validator("id", "value", mode="before")
    @classmethod
    def _number_as_text(cls, raw: object) -> object:
        """Given an id or value written as a JSON number, return it as text (as printed)."""
        return str(raw) if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool) else raw

    @field_validator("evidence", mode="before")
    @classmethod
    def _one_line_as_list(cls, raw: object) -> object:
        """Given evidence as one line or a list of lines, return the list."""
        return [raw] if isinstance(raw, str) else raw

    @field_validator("values", mode="before")
    @classmethod
    def _numbers_as_text(cls, raw: object) -> object:
        """Given discrepancy values written as JSON numbers, return them as text."""
        if isinstance(raw, list):
            return [cls._number_as_text(v) for v in raw]
        return raw

    @model_validator(mode="after")
    def _fields_for_type(self) -> GoldItem:
        """Require what the question's rules need, so a broken line fails at load, not mid-run."""
        if self.type != "unanswerable" and not self.docs:
            raise ValueError(f"doc is required for {self.type}")
        if self.type in ("table_lookup", "compute") and self.value is None:
            raise ValueError(f"value is required for {self.type}")
        if self.type == "text_fact" and self.value is None and not self.evidence:
            raise ValueError("a text_fact needs a value, or evidence phrases for an answer of no single figure")
        if self.value is not None:
            _gold_number(self.value, "value")
        if self.type == "discrepancy" and (not self.values or len(self.values) < 2):
            raise ValueError("values must list at least two figures for discrepancy")
        for text in self.values or []:
            _gold_number(text, "values")
        if self.type == "narrative" and not self.key_phrases:
            raise ValueError("key_phrases is required for narrative")
        return self

    @property
    def docs(self) -> list[str]:
        """The gold documents as a list (one for most types, several for cross_doc)."""
        if self.doc is None:
            return []
        return [self.doc] if isinstance(self.doc, str) else list(self.doc)

    @property
    def parts(self) -> list[str]:
        """The other figures a question of several parts asks for (its first is ``value``)."""
        return list(self.values or []) if self.type != "discrepancy" else []

    @property
    def table_kinds(self) -> list[str]:
        """The kinds of the tables a table question must cite: its `table`, else, for a source that begins with a
        table label, the kind each named table's title words give, or for a title of no known kind (or a bare
        '表N') the standard table of that number (eval/README.md). Other templates number their tables their
        own way, so a title's words come before its number."""
        if self.table:
            return [self.table]
        if not self.source or not _TABLE_AT_START.match(self.source):
            return []
        kinds = []
        for named in _TABLE_ANYWHERE.finditer(self.source):
            title = re.split(r"[/；;]", self.source[named.end():])[0]
            kind = name_to_kind(re.sub(r"^[\s:：、.．]+|[（(]续.*$", "", title)) or knowledge().by_number(int(named.group(1)))
            if kind:
                kinds.append(kind.name)
        return sorted(set(kinds))


COUNT_IN_WORDS = re.compile(r"^\s*([〇零一二两三四五六七八九十]{1,3})(?=[\u4e00-\u9fff]|$)")


def _gold_number(text: str, field: str) -> Decimal:
    """Given a gold figure as printed (a count may be in words: 两家, 三个), return it as Decimal; raise
    ValueError naming the field."""
    try:
        number = parse_number(text)
    except ValueError:
        number = None
    words = COUNT_IN_WORDS.match(text) if number is None else None
    if words and chinese_number(words.group(1).replace("两", "二")) is not None:
        number = Decimal(chinese_number(words.group(1).replace("两", "二")))
    if number is None:
        raise ValueError(f"{field}: {text!r} is not a number")
    return number


def load_gold(path: Path | str) -> list[GoldItem]:
    """Given a gold JSON-lines file, return its items; raise GoldError naming the bad line.

    Blank lines are skipped; numbers are read as Decimal so a value written as a JSON number
    keeps its printed digits; ids must be unique.
    """
    path = Path(path)
    if not path.is_file():
        raise GoldError(path, None, "文件不存在", "file not found")
    items: list[GoldItem] = []
    first_line_of: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        item = _parse_gold_line(path, number, line)
        if item.id in first_line_of:
            raise GoldError(path, number, f"id 与第{first_line_of[item.id]}行重复",
                            f"id repeats line {first_line_of[item.id]}", item.id)
        first_line_of[item.id] = number
        items.append(item)
    if not items:
        raise GoldError(path, None, "没有任何问题", "no questions in the file")
    return items


def _parse_gold_line(path: Path, number: int, line: str) -> GoldItem:
    """Given one line of a gold file, return its GoldItem or raise GoldError saying what is wrong."""
    try:
        raw = json.loads(line, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise GoldError(path, number, f"不是合法的 JSON（{error.msg}，第{error.colno}列）",
                        f"not valid JSON ({error.msg} at column {error.colno})") from error
    if not isinstance(raw, dict):
        raise GoldError(path, number, "应为 JSON 对象", "expected a JSON object")
    try:
        return GoldItem.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(_describe_error(e) for e in error.errors())
        raise GoldError(path, number, f"字段有误：{problems}", f"invalid: {problems}", raw.get("id")) from error


def _describe_error(error: dict) -> str:
    """Given one pydantic error, return 'field: message' in a person's words."""
    where = ".".join(str(part) for part in error.get("loc", ()))
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


# --------------------------------------------------------------------------- results


class RuleOutcome(BaseModel):
    """One rule applied to one answer: passed or not, its score (1/0 or a share) and why."""

    passed: bool
    score: float
    why: str


class GotSummary(BaseModel):
    """What the engine answered, reduced to what a reader of the report needs to judge it."""

    text: str = ""
    value: Decimal | None = None
    unit: str | None = None
    refused: bool = False
    reason: str | None = None
    citations: list[str] = Field(default_factory=list)
    figures: list[str] = Field(default_factory=list)
    passages: list[str] = Field(default_factory=list)  # doc_id:chunk_id, in rank order
    engine: str | None = None
    error: str | None = None


class QuestionResult(BaseModel):
    """One question's verdict: each applicable rule's outcome, retrieval rank, latency, and why."""

    id: str
    type: str
    question: str
    passed: bool
    rules: dict[str, RuleOutcome] = Field(default_factory=dict)
    retrieval_rank: int | None = None  # 1-based rank of the first passage holding evidence
    retrieval_applies: bool = False
    why: list[str] = Field(default_factory=list)
    latency_ms: float = 0.0
    expected: dict = Field(default_factory=dict)
    got: GotSummary = Field(default_factory=GotSummary)
    wrong_confirmed: bool = False  # a wrong main figure shown as 已核实 / 计算 (or any, where it should refuse)

    @property
    def scores(self) -> dict[str, float]:
        """Each applicable rule's score (1.0/0.0, or the key-phrase share)."""
        return {name: outcome.score for name, outcome in self.rules.items()}


class Summary(BaseModel):
    """Accuracy, per-rule pass rates, retrieval recall and latency over a group of questions.

    A rule's rate is over the questions it applies to (None when it applies to none).
    """

    n: int
    passed: int
    accuracy: float
    value: float | None = None
    parts: float | None = None  # questions of several parts: every further figure answered
    citation: float | None = None
    refusal: float | None = None
    discrepancy: float | None = None
    narrative: float | None = None  # mean key-phrase share
    recall_at_1: float | None = None
    recall_at_5: float | None = None
    recall_at_10: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    wrong_confirmed: int = 0  # questions whose wrong main figure is shown as confirmed (target 0)


class EvalReport(BaseModel):
    """A whole run: summary per type and overall, and every question's result."""

    engine: str
    gold: str | None = None
    created: str = Field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    accuracy: float
    citation_accuracy: float | None = None  # over answerable (non-unanswerable) questions
    recall_at_1: float | None = None
    recall_at_5: float | None = None
    recall_at_10: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    overall: Summary
    by_type: dict[str, Summary]
    results: list[QuestionResult]
    paraphrase_agreement: float | None = None  # share of questions answered alike in every wording (rewordings run)
    paraphrase_groups: int = 0


# --------------------------------------------------------------------------- text helpers


def squeeze(text: str) -> str:
    """Given text, return it NFKC-normalised with all whitespace removed (PDF wrapping and
    table spacing differ from the gold lines only in whitespace and full-width forms)."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


def doc_stem(name: str | None) -> str:
    """Given a doc id, file name or path, return its lower-case stem, so that
    'data/pdf/longgang-2024.pdf', 'longgang-2024.txt' and 'longgang-2024' compare equal."""
    base = re.split(r"[\\/]", (name or "").strip())[-1]
    return _EXTENSION.sub("", base).lower()


SAME_COUNTERS = {"名": "人"}  # 16 名事业编制 and 16 人 count the same people; an answer keeps the document's counter


def normalize_unit(unit: str | None) -> str | None:
    """Given a unit as written, return it NFKC-normalised and stripped ('％' → '%', '名' → '人'; an amount per head,
    '元/人', as the money it is, which gold answers record); None if empty."""
    if unit is None:
        return None
    unit = unicodedata.normalize("NFKC", unit).strip().split("/")[0]
    return SAME_COUNTERS.get(unit, unit) or None


def decimals_of(number: Decimal) -> int:
    """Given a printed number as Decimal, return how many decimals it was printed with."""
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def round_to(number: Decimal, places: int) -> Decimal:
    """Given a number, return it rounded half-up to ``places`` decimals (as the documents round)."""
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- rules


def value_matches(gold_text: str, gold_unit: str | None, value: Decimal | None, unit: str | None) -> tuple[bool, str]:
    """Given a gold figure and an answered figure, return whether they agree and why.

    Money is converted to the gold unit (an answer in a finer unit, e.g. 万元 for a gold 亿元, or printed
    with more decimals than the gold, e.g. a table's 221.90 for a sentence's 222, is rounded to the gold's
    decimals as the gold would print it); percentages are rounded
    to the gold's decimals; other units must be the same and the numbers equal.  A gold figure
    without unit compares numbers only.
    """
    gold = _gold_number(gold_text, "value")
    gold_unit, unit = normalize_unit(gold_unit), normalize_unit(unit)
    shown = f"{value} {unit or ''}".strip()
    wanted = f"{gold_text} {gold_unit or ''}".strip()
    if value is None:
        return False, f"no main value; gold {wanted}"
    places = decimals_of(gold)
    if gold_unit in MONEY_UNITS and unit in MONEY_UNITS:
        converted = convert_money(value, unit, gold_unit)
        if MONEY_UNITS[unit] < MONEY_UNITS[gold_unit] or decimals_of(converted) > places:
            converted = round_to(converted, places)
        ok = converted == gold
        note = f" (= {converted.normalize():f} {gold_unit})" if unit != gold_unit else ""
        return ok, f"{shown}{note} {'=' if ok else '≠'} gold {wanted}"
    rates = gold_unit in PERCENT_UNITS and unit in PERCENT_UNITS  # a gold % of two rates' difference: 个百分点
    if gold_unit is not None and unit != gold_unit and not rates:
        return False, f"unit {unit or 'none'} ≠ gold unit {gold_unit} ({shown} vs {wanted})"
    if gold_unit in PERCENT_UNITS:
        rounded = round_to(value, places)
        ok = rounded == gold
        return ok, f"{shown} → {rounded}{gold_unit} at gold precision {'=' if ok else '≠'} gold {wanted}"
    ok = value == gold
    return ok, f"{shown} {'=' if ok else '≠'} gold {wanted}"


def check_value(item: GoldItem, answer: Answer) -> RuleOutcome:
    """Given a value question and its answer, return whether the main value equals the gold value.

    Strict on purpose: the figure the answer leads with is what a reader takes away, so the
    gold value appearing only among ``figures`` does not pass.
    """
    ok, why = value_matches(item.value or "", item.unit, answer.value, answer.unit)
    if answer.value is None:
        why += " (only the main value counts, not figures)"
    return RuleOutcome(passed=ok, score=float(ok), why=f"value: {why}")


def check_citation(item: GoldItem, answer: Answer, *, tables: bool = True) -> RuleOutcome:
    """Given a question and its answer, return whether every gold doc (and, for a table source,
    each 表N in a gold doc) is cited; docs compare by stem so .pdf matches .txt."""
    gold_docs = {doc_stem(d) for d in item.docs}
    cited = {doc_stem(c.doc_id) for c in answer.citations}
    problems = []
    missing = sorted(gold_docs - cited)
    if missing:
        problems.append(f"does not cite {', '.join(missing)} (cites {', '.join(sorted(cited)) or 'nothing'})")
    for kind in item.table_kinds if tables else []:
        if not any(c.table_kind == kind and doc_stem(c.doc_id) in gold_docs for c in answer.citations):
            cited_tables = sorted({c.table_kind for c in answer.citations if c.table_kind})
            problems.append(f"does not cite {kind} (cites {', '.join(cited_tables) or 'no table'})")
    ok = not problems
    wanted = ", ".join(sorted(gold_docs)) + ("".join(f" {k}" for k in item.table_kinds) if tables else "")
    return RuleOutcome(passed=ok, score=float(ok), why=f"citation: {'cites ' + wanted if ok else '; '.join(problems)}")


def confirmed_figures(answer: Answer) -> list[Figure]:
    """Given an answer, return every figure it presents as confirmed (已核实 or 计算),
    including those inside discrepancies."""
    figures = list(answer.figures) + [f for d in answer.discrepancies for f in d.figures]
    return [f for f in figures if f.status in CONFIRMED]


def says_not_found(answer: Answer) -> tuple[bool, str]:
    """Given an answer, return whether it says the information was not found, and how.

    The ``refused`` flag counts; so does a not-found phrase in the text of an answer that gives
    no value and no figure (engines that only write text, e.g. an LLM pipeline, refuse that way).
    """
    if answer.refused:
        return True, f"refused ({answer.reason or 'no reason given'})"
    if answer.value is None and not answer.figures:
        match = NOT_FOUND.search(answer.text or "")
        if match:
            return True, f"text says {match.group(0)!r}"
    return False, "answers"


def check_refusal(item: GoldItem, answer: Answer) -> RuleOutcome:
    """Given a question and its answer, return whether the answer refuses exactly when it should:
    an unanswerable question says not found and shows no confirmed figure; others are answered."""
    refused, how = says_not_found(answer)
    if item.type != "unanswerable":
        ok = not refused
        why = "refusal: answered" if ok else f"refusal: refused an answerable question: {how}"
        return RuleOutcome(passed=ok, score=float(ok), why=why)
    problems = []
    if not refused:
        answered = f" (answers {answer.value} {answer.unit or ''}".rstrip() + ")" if answer.value is not None else ""
        problems.append(f"does not say not found{answered}")
    elif answer.value is not None:
        problems.append(f"refuses but still gives {answer.value} {answer.unit or ''}".rstrip())
    confirmed = confirmed_figures(answer)
    if confirmed:
        problems.append("shows " + ", ".join(f"{f.text} as {f.status}" for f in confirmed))
    ok = not problems
    return RuleOutcome(passed=ok, score=float(ok), why=f"refusal: {how}" if ok else "refusal: " + "; ".join(problems))


def other_kind(gold_unit: str | None, unit: str | None) -> bool:
    """Given the gold's unit and a figure's, return whether they measure different kinds of thing (a rate and an
    amount), so the figure cannot be the gold's main kind of value."""
    kinds = [("%" if u == "%" else "money" if u in MONEY_UNITS else u) for u in (normalize_unit(gold_unit), normalize_unit(unit))]
    return None not in kinds and kinds[0] != kinds[1]


def check_discrepancy(item: GoldItem, answer: Answer) -> RuleOutcome:
    """Given a discrepancy question and its answer, return whether every gold value appears as
    a figure with a citation of its own (two figures citing only the same place do not pass). The gold
    records one unit, its main value's; another value of another kind (the two amounts of a stated rate) is
    matched as printed."""
    known = {c.n for c in answer.citations}
    figures = list(answer.figures) + [f for d in answer.discrepancies for f in d.figures]
    candidates = []  # per gold value: (figure index, citation n) pairs that could stand for it
    for text in item.values or []:
        pairs = [(i, n) for i, f in enumerate(figures)
                 if value_matches(text, item.unit, f.value, f.unit)[0]
                 or (text != item.value and other_kind(item.unit, f.unit) and value_matches(text, None, f.value, None)[0])
                 for n in f.citations if n in known]
        candidates.append(pairs)
    missing = [text for text, pairs in zip(item.values or [], candidates) if not pairs]
    if missing:
        shown = ", ".join(f.text for f in figures) or "no figures"
        why = f"discrepancy: no cited figure for {', '.join(missing)} (figures: {shown})"
        return RuleOutcome(passed=False, score=0.0, why=why)
    if _distinct_assignment(candidates) is None:
        why = f"discrepancy: {', '.join(item.values or [])} do not each have their own figure and citation"
        return RuleOutcome(passed=False, score=0.0, why=why)
    why = f"discrepancy: {', '.join(item.values or [])} each shown with its own citation"
    return RuleOutcome(passed=True, score=1.0, why=why)


def _distinct_assignment(candidates: list[list[tuple[int, int]]]) -> list[tuple[int, int]] | None:
    """Given, per gold value, the (figure, citation) pairs that could stand for it, return one
    pair per value using no figure or citation twice, or None when there is none (backtracking;
    the lists are tiny)."""
    def extend(chosen: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
        if len(chosen) == len(candidates):
            return chosen
        for figure, citation in candidates[len(chosen)]:
            if all(figure != f and citation != c for f, c in chosen):
                found = extend([*chosen, (figure, citation)])
                if found:
                    return found
        return None
    return extend([])


def check_parts(item: GoldItem, answer: Answer) -> RuleOutcome:
    """Given a question of several parts and its answer, return whether each further asked figure is among the
    answer's figures (a part may be in another unit than the first: any money unit compares)."""
    shown = [(answer.value, answer.unit)] if answer.value is not None else []
    shown += [(f.value, f.unit) for f in answer.figures]
    units = {item.unit, *(unit for _, unit in shown)}
    if units & set(MONEY_UNITS):  # a part's unit is not written: a money part may be in any money unit
        units |= set(MONEY_UNITS)
    missing = [part for part in item.parts
               if not any(value_matches(part, unit, value, shown_unit)[0] for value, shown_unit in shown for unit in units)]
    ok = not missing
    why = f"parts: {', '.join(item.parts)} all answered" if ok else f"parts: {', '.join(missing)} not among the figures"
    return RuleOutcome(passed=ok, score=float(ok), why=why)


def check_narrative(item: GoldItem, answer: Answer, phrases: list[str] | None = None) -> RuleOutcome:
    """Given a narrative question and its answer, return the share of key phrases (or the given phrases) in the
    answer text (whitespace ignored), passing at ≥ 0.5."""
    phrases = item.key_phrases or [] if phrases is None else phrases
    text = squeeze(answer.text)
    found = [p for p in phrases if squeeze(p) in text]
    share = len(found) / len(phrases) if phrases else 0.0
    ok = share >= NARRATIVE_PASS_SHARE
    missing = [p for p in phrases if p not in found]
    why = f"narrative: {len(found)}/{len(phrases)} key phrases" + (f", missing {missing}" if missing else "")
    return RuleOutcome(passed=ok, score=share, why=why)


def evidence_found(evidence: str, passage_text: str) -> bool:
    """Given a gold evidence line and a passage, return whether the passage holds it: the whole
    line, or for a long line its first 30 non-space characters (a chunk may cut the line)."""
    line, text = squeeze(evidence), squeeze(passage_text)
    if not line:
        return False
    return line in text or (len(line) > EVIDENCE_PREFIX_CHARS and line[:EVIDENCE_PREFIX_CHARS] in text)


def retrieval_rank(item: GoldItem, answer: Answer) -> int | None:
    """Given a question with evidence and its answer, return the 1-based rank of the first
    retrieved passage of a gold doc that holds any evidence line, or None."""
    gold_docs = {doc_stem(d) for d in item.docs}
    for rank, passage in enumerate(answer.passages, 1):
        if doc_stem(passage.doc_id) in gold_docs and any(evidence_found(e, passage.text) for e in item.evidence or []):
            return rank
    return None


def rules_for(item: GoldItem, answer: Answer) -> dict[str, RuleOutcome]:
    """Given a question and its answer, return the outcome of each rule that applies to its type."""
    parts = {"parts": check_parts(item, answer)} if item.parts else {}
    if item.type in VALUE_TYPES:
        rules = {**parts, "citation": check_citation(item, answer), "refusal": check_refusal(item, answer)}
        if item.value is not None:  # a cross_doc comparison may have no single gold figure
            rules = {"value": check_value(item, answer), **rules}
        elif item.type == "text_fact":  # an answer of no single figure (a list of names): its evidence phrases
            rules = {"narrative": check_narrative(item, answer, item.evidence), **rules}
        return rules
    if item.type == "narrative":
        return {"narrative": check_narrative(item, answer), **parts, "citation": check_citation(item, answer, tables=False),
                "refusal": check_refusal(item, answer)}
    if item.type == "unanswerable":
        return {"refusal": check_refusal(item, answer)}
    # discrepancy: an engine may decline to pick one figure when the documents disagree, so
    # refusing is not held against it; showing both cited figures is what counts.
    return {"discrepancy": check_discrepancy(item, answer), "citation": check_citation(item, answer, tables=False)}


def shows_wrong_figure_confirmed(item: GoldItem, answer: Answer, rules: dict[str, RuleOutcome]) -> bool:
    """Given a question, its answer and its rules' outcomes, return whether the answer presents a wrong figure as
    confirmed: a value question whose value rule failed showing its main value as 已核实 or 计算, or an
    unanswerable one showing any confirmed figure. This is the failure the product exists to prevent."""
    if item.type == "unanswerable":
        return bool(confirmed_figures(answer)) and not rules["refusal"].passed
    if "value" not in rules or rules["value"].passed or answer.value is None:
        return False
    return any(same_figure(f, answer.value, answer.unit) for f in confirmed_figures(answer))


def same_figure(figure: Figure, value: Decimal, unit: str | None) -> bool:
    """Given a shown figure and an amount, return whether the figure shows that amount (money in any unit)."""
    if figure.unit in MONEY_UNITS and unit in MONEY_UNITS:
        return convert_money(figure.value, figure.unit, "元") == convert_money(value, unit, "元")
    return figure.value == value and normalize_unit(figure.unit) == normalize_unit(unit)


def summarize_answer(answer: Answer) -> GotSummary:
    """Given an answer, return what the report shows of it."""
    return GotSummary(
        text=answer.text,
        value=answer.value,
        unit=answer.unit,
        refused=answer.refused,
        reason=answer.reason,
        citations=[f"[{c.n}] {c.label()}" for c in answer.citations],
        figures=[f"{f.text} {f.status} {f.citations}" for f in answer.figures]
        + [f"{f.text} {f.status} {f.citations} ({d.subject})" for d in answer.discrepancies for f in d.figures],
        passages=[f"{p.doc_id}:{p.chunk_id}" for p in answer.passages[: max(RECALL_KS)]],
        engine=answer.engine,
    )


def expected_of(item: GoldItem) -> dict:
    """Given a gold item, return the gold fields a report reader compares against."""
    return item.model_dump(exclude={"id", "type", "question", "evidence", "formula"}, exclude_none=True)


def score(item: GoldItem, answer: Answer, latency_ms: float) -> QuestionResult:
    """Given a gold item, the engine's answer and how long it took, return the question's result."""
    rules = rules_for(item, answer)
    applies = item.type != "unanswerable" and bool(item.evidence)
    rank = retrieval_rank(item, answer) if applies else None
    why = [outcome.why for outcome in rules.values()]
    if item.type in VALUE_TYPES and item.value is None:
        why.insert(0, "value: no gold value, value rule not applied")
    if applies:
        why.append(f"retrieval: evidence at rank {rank}" if rank
                   else f"retrieval: evidence not in {len(answer.passages)} passages")
    return QuestionResult(
        id=item.id,
        type=item.type,
        question=item.question,
        passed=all(outcome.passed for outcome in rules.values()),
        rules=rules,
        retrieval_rank=rank,
        retrieval_applies=applies,
        why=why,
        latency_ms=latency_ms,
        expected=expected_of(item),
        got=summarize_answer(answer),
        wrong_confirmed=shows_wrong_figure_confirmed(item, answer, rules),
    )


def failed_query(item: GoldItem, error: BaseException, latency_ms: float) -> QuestionResult:
    """Given a question whose query raised, return a failed result saying so (one crash must not
    stop a run of hundreds of questions)."""
    message = f"{type(error).__name__}: {error}"
    return QuestionResult(
        id=item.id, type=item.type, question=item.question, passed=False,
        retrieval_applies=item.type != "unanswerable" and bool(item.evidence),
        why=[f"query raised {message}"], latency_ms=latency_ms, expected=expected_of(item),
        got=GotSummary(error=message),
    )


# --------------------------------------------------------------------------- summaries


def percentile(values: Sequence[float], q: float) -> float | None:
    """Given latencies and q in [0, 100], return the q-th percentile (linear interpolation), None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _rate(results: Iterable[QuestionResult], rule: str) -> float | None:
    """Given results, return the pass rate of ``rule`` over those it applies to (narrative: mean share).

    A question whose query raised counts as failing every rule of its type.
    """
    outcomes = [r.rules.get(rule) for r in results if rule in r.rules or (r.got.error and rule in _rules_of_type(r))]
    if not outcomes:
        return None
    if rule == "narrative":
        return sum(o.score if o else 0.0 for o in outcomes) / len(outcomes)
    return sum(1 for o in outcomes if o and o.passed) / len(outcomes)


def _rules_of_type(result: QuestionResult) -> set[str]:
    """Given a result, return the rules its question type is scored by."""
    parts = {"parts"} if result.expected.get("values") and result.type != "discrepancy" else set()
    if result.type in VALUE_TYPES:
        first = {"value"} if result.expected.get("value") is not None else {"narrative"} if result.type == "text_fact" else set()
        return first | parts | {"citation", "refusal"}
    return {"narrative": {"narrative", "citation", "refusal"} | parts, "unanswerable": {"refusal"},
            "discrepancy": {"discrepancy", "citation"}}.get(result.type, set())


def summarize(results: Sequence[QuestionResult]) -> Summary:
    """Given results, return their accuracy, per-rule rates, recall@1/5/10 and latency p50/p95."""
    passed = sum(r.passed for r in results)
    retrieved = [r for r in results if r.retrieval_applies]
    recall = {k: (sum(1 for r in retrieved if r.retrieval_rank and r.retrieval_rank <= k) / len(retrieved)
                  if retrieved else None) for k in RECALL_KS}
    latencies = [r.latency_ms for r in results]
    return Summary(
        n=len(results),
        passed=passed,
        accuracy=passed / len(results) if results else 0.0,
        **{rule: _rate(results, rule) for rule in RULES},
        recall_at_1=recall[1], recall_at_5=recall[5], recall_at_10=recall[10],
        latency_p50_ms=percentile(latencies, 50), latency_p95_ms=percentile(latencies, 95),
        wrong_confirmed=sum(r.wrong_confirmed for r in results),
    )


def answered_as(result: QuestionResult) -> tuple:
    """Given a result, return what it answered, comparable across wordings: refused, or its main figure (money in
    元, so that a rewording asking another unit agrees)."""
    got = result.got
    if got.refused or got.value is None:
        return ("refused",) if got.refused else ("no figure",)
    if got.unit in MONEY_UNITS:
        return (convert_money(got.value, got.unit, "元").normalize(),)
    return (got.value.normalize(), got.unit)


def paraphrase_agreement(results: Sequence[QuestionResult], items: Sequence[GoldItem]) -> tuple[float | None, int]:
    """Given the results and the items run (questions and their rewordings), return the share of questions whose
    every wording got the same answer, and how many such groups there were."""
    original_of = {i.id: i.paraphrase_of for i in items if i.paraphrase_of}
    groups: dict[str, list[tuple]] = {}
    for result in results:
        key = original_of.get(result.id, result.id)
        groups.setdefault(key, []).append(answered_as(result))
    reworded = [answers for key, answers in groups.items() if key in original_of.values() and len(answers) > 1]
    if not reworded:
        return None, 0
    return sum(len(set(answers)) == 1 for answers in reworded) / len(reworded), len(reworded)


def with_originals(items: list[GoldItem], gold_path: Path) -> list[GoldItem]:
    """Given items of which some reword others, return them with the questions they reword, from the gold set
    beside them (eval/gold.jsonl) where they are not among the items already."""
    wanted = {i.paraphrase_of for i in items if i.paraphrase_of} - {i.id for i in items}
    source = gold_path.parent / "gold.jsonl"
    if not wanted or not source.is_file():
        return items
    return [i for i in load_gold(source) if i.id in wanted] + items


def build_report(results: Sequence[QuestionResult], engine: str, gold: str | None = None) -> EvalReport:
    """Given every question's result, return the run's report: overall, per type (in the
    standard order, then any others), and citation accuracy over answerable questions."""
    overall = summarize(results)
    types = [t for t in TYPE_ORDER if any(r.type == t for r in results)]
    types += sorted({r.type for r in results} - set(types))
    answerable = [r for r in results if r.type != "unanswerable"]
    return EvalReport(
        engine=engine,
        gold=gold,
        accuracy=overall.accuracy,
        citation_accuracy=_rate(answerable, "citation"),
        recall_at_1=overall.recall_at_1, recall_at_5=overall.recall_at_5, recall_at_10=overall.recall_at_10,
        latency_p50_ms=overall.latency_p50_ms, latency_p95_ms=overall.latency_p95_ms,
        overall=overall,
        by_type={t: summarize([r for r in results if r.type == t]) for t in types},
        results=list(results),
    )


# --------------------------------------------------------------------------- running


def ask(item: GoldItem, query_fn: QueryFn) -> QuestionResult:
    """Given a gold item and a query function, return its scored result, timing the call."""
    start = time.perf_counter()
    try:
        answer = query_fn(item.question)
    except Exception as error:  # noqa: BLE001 - recorded as a failed question, the run goes on
        return failed_query(item, error, (time.perf_counter() - start) * 1000)
    return score(item, answer, (time.perf_counter() - start) * 1000)


def evaluate(items: Sequence[GoldItem], query_fn: QueryFn, engine_name: str, progress: bool = True,
             gold: str | None = None) -> EvalReport:
    """Given gold items and ``query_fn(question) -> Answer``, return the report of asking each.

    The engine is bound into ``query_fn`` by the caller (``run`` passes ``partial(query, engine=…)``),
    so tests can pass any fake.  Progress goes to stderr, keeping stdout for the tables.
    """
    results: list[QuestionResult] = []
    if not progress:
        results = [ask(item, query_fn) for item in items]
    else:
        columns = (TextColumn(f"[bold]{engine_name}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("{task.description}"))
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("", total=len(items))
            for item in items:
                bar.update(task, description=item.id)
                results.append(ask(item, query_fn))
                bar.advance(task)
    report = build_report(results, engine_name, gold)
    report.paraphrase_agreement, report.paraphrase_groups = paraphrase_agreement(results, items)
    return report


# --------------------------------------------------------------------------- output


def _pct(value: float | None, places: int = 1) -> str:
    """Given a rate, return it as a percentage for a table cell ('—' when not applicable)."""
    return "—" if value is None else f"{value * 100:.{places}f}%"


def _ms(value: float | None) -> str:
    """Given a latency, return it for a table cell."""
    return "—" if value is None else f"{value:,.0f}"


def print_report(report: EvalReport, console: Console | None = None) -> None:
    """Given a report, print a table by type and overall, then the failed questions' ids.

    Compact (whole percentages for the rule columns, one 'type rule' column for the discrepancy
    rule and the narrative key-phrase share) so it fits an 80-column CI log.
    """
    console = console or Console()
    table = Table(title=f"评测 / evaluation — {report.engine}", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 0))
    headers = ("type", "n", "acc", "value", "parts", "cite", "refuse", "disc/narr", "wrong✓", " R@1", "R@5", "R@10",
               "p50ms", "p95ms")
    for header in headers:
        table.add_column(header, justify="left" if header == "type" else "right", no_wrap=True)
    rows = [*report.by_type.items(), ("overall", report.overall)]
    for i, (name, s) in enumerate(rows):
        other = s.discrepancy if name == "discrepancy" else s.narrative if name == "narrative" else None
        table.add_row(name, str(s.n), _pct(s.accuracy), _pct(s.value, 0), _pct(s.parts, 0), _pct(s.citation, 0),
                      _pct(s.refusal, 0),
                      _pct(other, 0), str(s.wrong_confirmed), _pct(s.recall_at_1, 0), _pct(s.recall_at_5, 0),
                      _pct(s.recall_at_10, 0),
                      _ms(s.latency_p50_ms), _ms(s.latency_p95_ms),
                      style="bold" if name == "overall" else None, end_section=i == len(rows) - 2)
    console.print(table)
    console.print(f"gold {report.gold or '—'}; passed {report.overall.passed}/{report.overall.n}; "
                  f"citation accuracy over answerable questions: {_pct(report.citation_accuracy)}; "
                  f"wrong figures shown as 已核实/计算 (wrong✓): {report.overall.wrong_confirmed}")
    if report.paraphrase_agreement is not None:
        console.print(f"paraphrase agreement (every wording answered alike): {_pct(report.paraphrase_agreement)} "
                      f"of {report.paraphrase_groups} questions")
    wrong = [r.id for r in report.results if r.wrong_confirmed]
    if wrong:
        console.print(f"wrong✓ ({len(wrong)}): {', '.join(wrong)}", soft_wrap=True)
    failed = [r.id for r in report.results if not r.passed]
    if failed:
        console.print(f"failed ({len(failed)}): {', '.join(failed)}", soft_wrap=True)


def print_comparison(reports: Sequence[EvalReport], console: Console | None = None) -> None:
    """Given reports of several engines on the same questions, print their metrics side by side."""
    console = console or Console()
    table = Table(title="engines side by side")
    table.add_column("metric")
    for report in reports:
        table.add_column(report.engine, justify="right")
    types = [t for t in TYPE_ORDER if any(t in r.by_type for r in reports)]
    types += sorted({t for r in reports for t in r.by_type} - set(types))
    lines: list[tuple[str, Callable[[EvalReport], str]]] = [
        ("accuracy", lambda r: f"{_pct(r.accuracy)} ({r.overall.passed}/{r.overall.n})"),
        *[(f"  {t}", partial(lambda t, r: _pct(r.by_type[t].accuracy) if t in r.by_type else "—", t)) for t in types],
        ("citation (answerable)", lambda r: _pct(r.citation_accuracy)),
        ("value", lambda r: _pct(r.overall.value)),
        ("refusal", lambda r: _pct(r.overall.refusal)),
        ("wrong figures shown confirmed", lambda r: str(r.overall.wrong_confirmed)),
        ("recall@1", lambda r: _pct(r.recall_at_1)),
        ("recall@5", lambda r: _pct(r.recall_at_5)),
        ("recall@10", lambda r: _pct(r.recall_at_10)),
        ("latency p50 ms", lambda r: _ms(r.latency_p50_ms)),
        ("latency p95 ms", lambda r: _ms(r.latency_p95_ms)),
    ]
    for label, cell in lines:
        table.add_row(label, *[cell(r) for r in reports])
    console.print(table)


def report_json(report: EvalReport | Sequence[EvalReport]) -> dict:
    """Given one report, or several engines' reports, return the JSON-ready dict (Decimal as strings)."""
    if isinstance(report, EvalReport):
        return report.model_dump(mode="json")
    return {"engines": [r.engine for r in report], "reports": [r.model_dump(mode="json") for r in report]}


def write_report(report: EvalReport | Sequence[EvalReport], path: Path | str) -> Path:
    """Given a report (or several engines' reports), write it as UTF-8 JSON with Chinese kept
    readable (ensure_ascii=False) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def threshold(min_accuracy: float) -> float:
    """Given --min-accuracy as a fraction (0.8) or a percentage (80), return the fraction."""
    return min_accuracy / 100 if min_accuracy > 1 else min_accuracy


def exit_code(report: EvalReport | Sequence[EvalReport], min_accuracy: float | None) -> int:
    """Given a report (or several) and the minimum accuracy, return 1 if any falls below it, else 0."""
    if min_accuracy is None:
        return 0
    reports = [report] if isinstance(report, EvalReport) else list(report)
    return 1 if any(r.accuracy < threshold(min_accuracy) for r in reports) else 0


def engine_names(engine: str | None) -> list[str | None]:
    """Given --engine ('naive', 'extractive,naive' or nothing), return the engines to run
    (None = the configured default)."""
    names = [name.strip() for name in (engine or "").split(",") if name.strip()]
    return names or [None]


def run(gold_path: Path | str, engine: str | None = None, report_path: Path | str | None = None,
        min_accuracy: float | None = None, limit: int | None = None, console: Console | None = None) -> int:
    """Given the ``qa eval`` options, run the gold set through ``qa.query``, print the tables,
    write the JSON report and return the exit code (2 = could not run, 1 = below --min-accuracy).

    ``engine`` may name several engines separated by commas; they are then compared side by
    side and written to one report.  Without ``report_path`` the report goes to
    ``reports/eval-<engine>.json`` (git-ignored).
    """
    console = console or Console()
    try:
        items = load_gold(gold_path)
    except GoldError as error:
        console.print(f"[red]{error}[/red]")
        return 2
    items = with_originals(items[:limit] if limit else items, Path(gold_path))
    try:
        from qa import query  # lazily: loading the engine pulls in the index and models
    except ImportError as error:
        console.print(f"[red]无法加载 qa.query / cannot import qa.query: {error}[/red]")
        return 2

    reports = []
    for name in engine_names(engine):
        label = name or "default"
        reports.append(evaluate(items, partial(query, engine=name), label, gold=str(gold_path)))
        print_report(reports[-1], console)
    if len(reports) > 1:
        print_comparison(reports, console)
    path = report_path or DEFAULT_REPORT_DIR / f"eval-{'-'.join(r.engine for r in reports)}.json"
    written = write_report(reports[0] if len(reports) == 1 else reports, path)
    console.print(f"report: {written}")
    code = exit_code(reports, min_accuracy)
    if code:
        console.print(f"[red]accuracy below --min-accuracy {min_accuracy}[/red]")
    return code
