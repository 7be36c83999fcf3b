"""Does a document's text agree with its tables, and with itself?

    text_vs_table_checks    an amount the text names (人员经费, 项目支出, 三公经费 …: text_table_links.yaml) and
                            its table cell
    item_checks             a 科目 the text names as 类/款/项 ('公共安全支出（204类）司法（06款）其他司法支出（99项）
                            3845.49万元') and its row in the expenditure-by-function table
    stated_rate_checks      a stated change rate and the two amounts it is of ('X万元，比上年增加Y万元，增长Z%';
                            '上年执行数为A万元，本年安排B万元，增加Z%'); an increase larger than the figure itself
    stated_share_checks     a stated share and its amounts ('T万元，其中：a万元，占p%')
    stated_completion_checks a 决算's completion rate and its amounts ('年初预算为A万元，决算为B万元，完成预算的p%'),
                            and what it says of them ('决算数小于预算数')

Only level statements of the document's own figure are compared with its tables: an amount of another year,
of a plan (年初预算, 执行数) or of a change is no cell's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from index.checks.model import CheckResult, Side, compare
from index.checks.tables import is_unit_total, normalize_name
from index.facts.text import section_to_sentences, text_part_sections
from index.model import Fact, Section
from common.numbers import MONEY_UNITS, PERCENT_UNITS, Quantity, convert_money, find_quantities, normalize_digits
from common.printed import match_key

LINKS_FILE = Path(__file__).with_name("text_table_links.yaml")


@cache
def words() -> dict:
    """text_table_links.yaml: what a text amount means in the tables, and the words of stated figures."""
    return yaml.safe_load(LINKS_FILE.read_text(encoding="utf-8"))


def pattern(key: str) -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(words()["statements"][key], key=len, reverse=True))))


def text_checks(doc_id: str, sections: Section, text_facts: list[Fact], cells: list[Fact], department: str | None,
                final: bool, first_columns: dict[tuple, tuple[str, ...]]) -> list[CheckResult]:
    """Given a document's section tree, text and cell facts, whether it is a 决算, and each table's first column,
    return every check of its text."""
    sentences = facts_by_sentence(text_facts)
    every = text_sentences(sections, text_facts)
    return (text_vs_table_checks(doc_id, text_facts, cells, department, final)
            + item_checks(doc_id, sentences, cells, final, first_columns)
            + stated_rate_checks(doc_id, sentences) + stated_share_checks(doc_id, sentences)
            + stated_completion_checks(doc_id, every) + stated_change_checks(doc_id, sentences))


# --------------------------------------------------------------------------- sentences


@dataclass
class Sentence:
    """A sentence of the text part, its section and page, its facts in order, and the amounts it prints
    where they stand in it."""

    text: str
    section: tuple[str, ...]
    facts: list[Fact]
    amounts: list[Quantity]
    page: int

    def place(self) -> str:
        return f"{' / '.join(self.section)}：“{self.text}” (第{self.page}页)"

    def fact_at(self, quantity: Quantity) -> Fact | None:
        """The fact of one of the sentence's amounts (the facts are in the order the amounts are printed)."""
        matching = [f for f in self.facts if f.value == quantity.value and f.unit == quantity.unit]
        return matching[0] if matching else None


def facts_by_sentence(text_facts: list[Fact]) -> list[Sentence]:
    """Given text facts in document order, return their sentences in order, each with its amounts."""
    sentences: list[Sentence] = []
    for fact in text_facts:
        if not fact.sentence:
            continue
        if sentences and sentences[-1].text == fact.sentence and sentences[-1].section == fact.section_path:
            sentences[-1].facts.append(fact)
        else:
            sentences.append(Sentence(fact.sentence, fact.section_path, [fact], find_quantities(fact.sentence),
                                      fact.page))
    return sentences


def text_sentences(sections: Section, text_facts: list[Fact]) -> list[Sentence]:
    """Given the section tree and the text facts, return every sentence of the text part in order, those that
    print no figure too ('决算数小于预算数的主要原因：…' says what the figures before it should show), each with
    its facts and amounts."""
    facts: dict[tuple[str, tuple[str, ...]], list[Fact]] = {}
    for fact in text_facts:
        facts.setdefault((fact.sentence or "", fact.section_path), []).append(fact)
    sentences = []
    for node in text_part_sections(sections):
        for sentence in section_to_sentences(node):
            own = facts.get((sentence.text, node.path), [])
            sentences.append(Sentence(sentence.text, node.path, own, find_quantities(sentence.text),
                                      own[0].page if own else node.first_page))
    return sentences


def money(sentence: Sentence) -> list[Quantity]:
    return [q for q in sentence.amounts if q.unit in MONEY_UNITS]


def in_wan(quantity: Quantity) -> Decimal:
    return convert_money(quantity.value, quantity.unit, "万元")


def step(raw: str) -> Decimal:
    """Given a number as printed, return half its last printed digit (the most printing can round away)."""
    digits = raw.replace(",", "").lstrip("-")
    places = len(digits.split(".")[1]) if "." in digits else 0
    return Decimal(5).scaleb(-places - 1)


# --------------------------------------------------------------------------- text vs table


def text_vs_table_checks(doc_id: str, text_facts: list[Fact], cells: list[Fact], department: str | None,
                         final: bool) -> list[CheckResult]:
    """Given text and cell facts, return whether each amount the text names agrees with its table cell."""
    units = sorted({f.budget_unit for f in cells if f.budget_unit}, key=len, reverse=True)
    results = []
    for fact in text_facts:
        if fact.unit not in MONEY_UNITS or not fact.subject or not is_own_level(fact, final):
            continue
        link = next((l for l in words()["links"] if any(s in match_key(fact.subject) for s in l["subject"])), None)
        if link is None:
            continue
        unit = text_fact_to_budget_unit(fact, units, department)
        cell = next((c for lookup in link["lookups"] if (c := lookup_cell(cells, lookup, unit))), None)
        if cell is not None:
            results.append(compare("text_vs_table", doc_id, [fact], [cell]))
    return results


def is_own_level(fact: Fact, final: bool) -> bool:
    """Given a text amount, return whether it states the document's own figure (this year's budget, or a
    决算's final figure): not a change, not another year's figure, not a plan figure of a 决算."""
    subject = match_key(fact.subject)
    clause = match_key(clause_before(fact))
    if pattern("change").search(subject) or pattern("other_year").search(clause):
        return False
    return not (final and pattern("plan").search(clause))


def clause_before(fact: Fact) -> str:
    """Given a text fact, return the words of its clause up to its amount."""
    sentence = fact.sentence or ""
    at = sentence.find(fact.printed) if fact.printed else -1
    before = sentence[:at] if at >= 0 else sentence
    return re.split(r"[，。；;]", before)[-1]


def text_fact_to_budget_unit(fact: Fact, units: list[str], department: str | None) -> str | None:
    """Given a text fact, return the 预算单位 it speaks of: named before it in its sentence, else in its section."""
    sentence = normalize_name((fact.sentence or "").split(fact.subject or "\0")[0] if fact.subject else fact.sentence)
    for text in (sentence, *map(normalize_name, reversed(fact.section_path))):
        named = [(text.rfind(normalize_name(u)), u) for u in units if normalize_name(u) in text]
        if named:
            return max(named)[1]
    return department


def lookup_cell(cells: list[Fact], lookup: dict, budget_unit: str | None) -> Fact | None:
    """Given cell facts and one lookup of text_table_links.yaml, return the cell it names, if present."""
    found = [f for f in cells if f.table_kind == lookup["kind"]
             and (normalize_name(f.budget_unit) == normalize_name(budget_unit) or f.budget_unit is None)
             and lookup.get("side") in (None, (f.table_side or "").split("/")[0])
             and lookup.get("column", f.column_path[-1] if f.column_path else None) in f.column_path]
    if "code" in lookup:
        found = [f for f in found if f.row_code == lookup["code"]]
    elif "row" in lookup:
        rows = lookup["row"] if isinstance(lookup["row"], list) else [lookup["row"]]
        found = [f for f in found if match_key(f.row_name) in rows]
    elif lookup.get("unit_row"):
        found = [f for f in found if is_unit_total(f)]
    return min(found, key=lambda f: len(f.column_path)) if found else None


# --------------------------------------------------------------------------- 类 / 款 / 项 named in the text

ITEM = re.compile(r"(?P<class>[\u4e00-\u9fff]+?)\s*\(\s*(?P<class_code>\d{3})?\s*类\s*\)\s*"
                  r"(?:(?P<section>[\u4e00-\u9fff]+?)\s*\(\s*(?P<section_code>\d{2})?\s*款\s*\)\s*)?"
                  r"(?:(?P<item>[\u4e00-\u9fff]+?)\s*\(\s*(?P<item_code>\d{2})?\s*项\s*\))?")
ITEM_WITHOUT_CLASS = re.compile(r"(?P<section>[\u4e00-\u9fff]+?)\s*\(\s*(?P<section_code>\d{2})?\s*款\s*\)\s*"
                                r"(?P<item>[\u4e00-\u9fff]+?)\s*\(\s*(?P<item_code>\d{2})?\s*项\s*\)")


def item_checks(doc_id: str, sentences: list[Sentence], cells: list[Fact], final: bool,
                first_columns: dict[tuple, tuple[str, ...]]) -> list[CheckResult]:
    """Given the sentences of the text, return whether each 科目 it names as 类/款/项 with its amount agrees with
    that row of the expenditure-by-function table its section speaks of (else the first such table)."""
    results = []
    for k, sentence in enumerate(sentences):
        text = normalize_digits(sentence.text)  # the text the amounts' positions are in
        found = ITEM.search(text) or ITEM_WITHOUT_CLASS.search(text)
        if not found:
            continue
        stating, amount = sentence, item_amount(sentence, text, found.end(), final)
        for later in sentences[k + 1:k + 4]:  # '…行政运行（项）。主要用于…。年初预算为…，支出决算为1511.89万元'
            if amount is not None or later.section != sentence.section or ITEM.search(normalize_digits(later.text)):
                break
            stating, amount = later, item_amount(later, normalize_digits(later.text), 0, final)
        row = item_row(found, cells, section_kinds(sentence.section), first_columns) if amount else None
        fact = stating.fact_at(amount) if amount else None
        if row is not None and fact is not None:
            place = sentence.place() if stating is sentence else f"{sentence.place()} … “{stating.text}”"
            results.append(compare("text_vs_table", doc_id, [fact], [row], place))
    return results


def item_amount(sentence: Sentence, text: str, after: int, final: bool) -> Quantity | None:
    """Given a sentence naming a 科目 (its digits normalised) and where the name ends, return the amount it states
    for the 科目 itself: the first after the name whose clause is no change or other year's (a 决算's: the
    one stated as 决算)."""
    for quantity in money(sentence):
        if quantity.start < after:
            continue
        clause = match_key(re.split(r"[，。；;]", text[after:quantity.start])[-1])
        if pattern("change").search(clause) or pattern("other_year").search(clause):
            continue
        if final and not pattern("final").search(clause):
            continue
        return quantity
    return None


def section_kinds(section: tuple[str, ...]) -> list[str]:
    """Given a sentence's section path, return the expenditure-by-function kinds its headings name, the named
    first, then the others."""
    kinds = words()["item_tables"]
    headings = match_key("".join(section))
    named = [kind for kind in kinds if any(word in headings for word in kinds[kind])]
    return named + [kind for kind in kinds if kind not in named]


def item_row(found: re.Match, cells: list[Fact], kinds: list[str], first_columns: dict) -> Fact | None:
    """Given the 类/款/项 a sentence names, return the first-column cell of that row in the first of the kinds
    that has it: by code when printed, else by the names of the row and its parents."""
    codes = [found.groupdict().get(k) for k in ("class_code", "section_code", "item_code")]
    names = [found.groupdict().get(k) for k in ("class", "section", "item")]
    depth = max(k for k, name in enumerate(names) if name)
    code = "".join(codes[:depth + 1]) if all(codes[:depth + 1]) else None
    for kind in kinds:
        rows = [f for f in cells if f.table_kind == kind and f.row_code and f.column_path == first_columns.get(
            (f.table_name, f.table_side))]
        if code:
            match = [f for f in rows if f.row_code == code]
        else:
            match = [f for f in rows if match_key(f.row_name) == names[depth] and len(f.row_code) == 3 + 2 * depth
                     and all(not name or any(match_key(name) in match_key(p) for p in f.row_path)
                             for name in names[:depth])]
        if len(match) >= 1:
            return match[0]
    return None


# --------------------------------------------------------------------------- stated figures


def stated_rate_checks(doc_id: str, sentences: list[Sentence]) -> list[CheckResult]:
    """Given the sentences of the text, return for each stated change whether its rate agrees with the amounts
    it is of (the figure and its change; or last year's and this year's figure), and whether an increase is no
    larger than the figure it brought about."""
    results = []
    previous_level: Quantity | None = None
    previous_section: tuple[str, ...] = ()
    for sentence in sentences:
        if sentence.section != previous_section:
            previous_level = None
        amounts = money(sentence)
        key = match_key(sentence.text)
        for rate in (q for q in sentence.amounts if q.unit in PERCENT_UNITS):
            before = key[:key.find(f"{rate.raw}%")] if f"{rate.raw}%" in key else ""
            if not re.search(f"(?:{pattern('rate').pattern})[^，。；%]{{0,4}}$", before):
                continue
            if pattern("other_basis").search(key):
                continue  # '按与上年统计口径一致相比': of figures the text does not print
            result = rate_result(doc_id, sentence, rate, [q for q in amounts if q.end <= rate.start], previous_level)
            if result is not None:
                results.append(result)
        results += impossible_increase(doc_id, sentence)
        level = next((q for q in amounts if not is_change_amount(sentence, q)), None)
        previous_level, previous_section = level or previous_level, sentence.section
    return results


def is_change_amount(sentence: Sentence, quantity: Quantity) -> bool:
    """Given a sentence and one of its amounts, return whether it is a change ('增加 793.14 万元')."""
    before = sentence.text[:quantity.start]
    return bool(re.search(f"(?:{pattern('change').pattern})\\s*(?:了|约|达)?\\s*$", before))


def level_of(sentence: Sentence, levels: list[Quantity], change: Quantity) -> Quantity | None:
    """Given a sentence's level amounts and one of its changes, return the figure the change is of: the lead of a
    list ('329.54 万元，主要包括：…30.87 万元；较上年减少 70.56 万元' is of 329.54), else the last before it."""
    before = [q for q in levels if q.end <= change.start]
    lead = pattern("share_lead").search(sentence.text[:change.start])
    if lead and before and before[0].end <= lead.start():
        return before[0]
    return before[-1] if before else None


def rate_result(doc_id: str, sentence: Sentence, rate: Quantity, amounts: list[Quantity],
                previous_level: Quantity | None) -> CheckResult | None:
    """Given a stated rate, the money amounts before it in its sentence and the level stated in the sentence
    before, return the check of the rate against them, or None when they do not say what it is of."""
    changes = [q for q in amounts if is_change_amount(sentence, q)]
    levels = [q for q in amounts if not is_change_amount(sentence, q)]
    decrease = bool(pattern("decrease").search(sentence.text[max(0, rate.start - 8):rate.start]))
    if changes:
        change = changes[-1]
        level = level_of(sentence, levels, change) or previous_level
        if level is None:
            return None
        earlier = in_wan(level) + in_wan(change) if decrease else in_wan(level) - in_wan(change)
        if earlier <= 0:
            return None
        computed = in_wan(change) / earlier * 100
        error = (step(change.raw) + step(level.raw)) / earlier * 100 * 2
        basis = f"{change.raw}{change.unit} ÷ ({level.raw}{level.unit} {'+' if decrease else '−'} {change.raw}{change.unit})"
    elif len(levels) >= 2:
        earlier_q, later_q = levels[-2], levels[-1]
        if in_wan(earlier_q) <= 0:
            return None
        computed = abs(in_wan(later_q) - in_wan(earlier_q)) / in_wan(earlier_q) * 100
        error = (step(earlier_q.raw) + step(later_q.raw)) / in_wan(earlier_q) * 100 * 2
        basis = f"({later_q.raw}{later_q.unit} − {earlier_q.raw}{earlier_q.unit}) ÷ {earlier_q.raw}{earlier_q.unit}"
    else:
        return None
    return rate_check("stated_rate", doc_id, sentence, rate, computed, error, basis)


def rate_check(check: str, doc_id: str, sentence: Sentence, rate: Quantity, computed: Decimal, error: Decimal,
               basis: str) -> CheckResult:
    """Given a stated rate and the rate its amounts give (with the error their rounding allows), return the check."""
    difference = abs(rate.value - computed)
    unit = step(rate.raw) * 2  # one unit of the rate's last printed digit
    # within half a unit the rate is right; within a unit it was cut rather than rounded (10.158% printed 10.15%)
    status = "passed" if difference <= unit / 2 + error else "rounding" if difference <= unit + error else "failed"
    fact = sentence.fact_at(rate)
    left = Side(rate.value, (fact.id,) if fact else (), sentence.place())
    right = Side(computed.quantize(Decimal(1).scaleb(-4)), tuple(f.id for f in sentence.facts if f.unit in MONEY_UNITS),
                 f"{basis} × 100 = {computed:.2f}%")
    return CheckResult(check, doc_id, status, left, right,
                       note=f"所述比率 {rate.raw}% 与其金额算得 {computed:.2f}%")


def impossible_increase(doc_id: str, sentence: Sentence) -> list[CheckResult]:
    """Given a sentence, return a finding for each increase larger than the figure it says it raised ('0万元，
    比上年增加1421.25万元': the year before would have been negative)."""
    results = []
    amounts = money(sentence)
    for k, change in enumerate(amounts):
        if not is_change_amount(sentence, change) or pattern("decrease").search(sentence.text[max(0, change.start - 4):change.start]):
            continue
        level = level_of(sentence, [q for q in amounts[:k] if not is_change_amount(sentence, q)], change)
        if level is None or in_wan(level) - in_wan(change) >= -step(level.raw):
            continue
        fact = sentence.fact_at(change)
        results.append(CheckResult("stated_rate", doc_id, "failed",
                                   Side(in_wan(change), (fact.id,) if fact else (), sentence.place()),
                                   Side(in_wan(level), (), f"所增加的 {level.raw}{level.unit} 本身"),
                                   note=f"增加 {change.raw}{change.unit} 大于增加后的 {level.raw}{level.unit}：上年应为负数"))
    return results


def stated_share_checks(doc_id: str, sentences: list[Sentence]) -> list[CheckResult]:
    """Given the sentences of the text, return for each stated share ('占99.79%') whether it agrees with its
    amount and the whole: the sentence's first amount before the words that open its parts (其中, 主要用于 …),
    else the amount stated earlier for the whole it names ('占本年支出合计的100.00%')."""
    results = []
    stated: dict[str, Quantity] = {}
    for sentence in sentences:
        key = match_key(sentence.text)
        amounts = money(sentence)
        for rate in (q for q in sentence.amounts if q.unit in PERCENT_UNITS):
            raw = f"{rate.raw}%"
            at = key.find(raw)
            before = key[:at] if at >= 0 else ""
            share = re.search(r"占(?P<whole>[^，。；0-9]*?)的?$", before)
            if not share:
                continue
            part = next((q for q in reversed(amounts) if q.end <= rate.start), None)
            whole = whole_of(sentence, key, amounts, part, share.group("whole"), stated)
            if part is None or whole is None or in_wan(whole) == 0 or whole is part:
                continue
            computed = in_wan(part) / in_wan(whole) * 100
            error = (step(part.raw) + step(whole.raw)) / in_wan(whole) * 100 * 2
            results.append(rate_check("stated_share", doc_id, sentence, rate, computed, error,
                                      f"{part.raw}{part.unit} ÷ {whole.raw}{whole.unit}"))
        for fact in sentence.facts:
            if fact.unit in MONEY_UNITS and fact.subject:
                found = next((q for q in amounts if q.value == fact.value and q.unit == fact.unit), None)
                if found:
                    stated[match_key(fact.subject)] = found
    return results


def whole_of(sentence: Sentence, key: str, amounts: list[Quantity], part: Quantity | None, named: str,
             stated: dict[str, Quantity]) -> Quantity | None:
    """Given a share's sentence, its amounts, its part and the whole it names (or ''), return the whole."""
    if named:
        named = match_key(named).strip("“”\"")
        return next((q for subject, q in reversed(stated.items()) if subject.endswith(named)), None)
    lead = pattern("share_lead").search(key)
    if lead and amounts and amounts[0] is not part:
        first = amounts[0]
        if key.find(first.raw.replace(",", "")) < lead.start():
            return first
    return None


def stated_completion_checks(doc_id: str, sentences: list[Sentence]) -> list[CheckResult]:
    """Given the sentences of the text, return for each completion rate ('完成预算的 p%') whether it agrees with
    the plan and final amounts before it, and for each statement that 决算数 is larger, smaller or equal to
    预算数 whether the amounts say so."""
    results = []
    last_pair: tuple[Quantity, Quantity, Sentence] | None = None
    for sentence in sentences:
        key = match_key(sentence.text)
        pair = plan_and_final(sentence)
        if pair is not None:
            last_pair = (*pair, sentence)
        for rate in (q for q in sentence.amounts if q.unit in PERCENT_UNITS):
            raw = f"{rate.raw}%"
            if not re.search(f"(?:{pattern('completion').pattern})$", key[:key.find(raw)] if raw in key else "x"):
                continue
            if pair is None or in_wan(pair[0]) == 0:
                continue
            plan, final = pair
            computed = in_wan(final) / in_wan(plan) * 100
            error = (step(plan.raw) + step(final.raw)) / in_wan(plan) * 100 * 2
            results.append(rate_check("stated_completion", doc_id, sentence, rate, computed, error,
                                      f"{final.raw}{final.unit} ÷ {plan.raw}{plan.unit}"))
        said = FINAL_VS_PLAN.search(key)
        if said and last_pair is not None and sentence.section == last_pair[2].section:
            plan, final, where = last_pair
            claim = DIRECTION_OF.get(said.group("word"), said.group("word"))
            truth = direction(in_wan(final) - in_wan(plan), step(plan.raw) + step(final.raw), bool(said.group("about")),
                              max(in_wan(final), in_wan(plan)))
            status = "passed" if claim == truth else "failed"
            results.append(CheckResult("stated_comparison", doc_id, status,
                                       Side(None, tuple(f.id for f in sentence.facts), sentence.place()),
                                       Side(in_wan(final) - in_wan(plan), tuple(f.id for f in where.facts), where.place()),
                                       note=f"文中称{said.group(0)}；决算 {final.raw}{final.unit}，"
                                            f"预算 {plan.raw}{plan.unit}"))
    return results


# '决算数小于预算数', '决算数大于年初预算数', '决算数与预算数基本持平', '决算数等于预算数'
FINAL_VS_PLAN = re.compile(r"决算数?(?:(?P<word>大于|小于|等于|高于|低于|超过)(?:年初|调整)?预算数?"
                           r"|与(?:年初|调整)?预算数?(?P<about>基本)?(?P<same>持平|相等|一致))")
DIRECTION_OF = {"高于": "大于", "超过": "大于", "低于": "小于", None: "等于"}
ABOUT = Decimal("0.05")  # 基本持平: within 5 % of the larger figure


def direction(difference: Decimal, rounding: Decimal, about: bool = False, base: Decimal = Decimal(0)) -> str:
    """Given a difference, what rounding may account for and whether 'about' (基本) is said, return the direction
    words say it with: 大于, 小于 or 等于."""
    allowed = max(rounding, ABOUT * abs(base)) if about else rounding
    return "等于" if abs(difference) <= allowed else "大于" if difference > 0 else "小于"


def plan_and_final(sentence: Sentence) -> tuple[Quantity, Quantity] | None:
    """Given a sentence, return the plan amount (年初预算 / 调整预算 / 预算) and the final amount (决算) it
    states, when it states both."""
    plan = final = None
    for quantity in money(sentence):
        before = match_key(sentence.text[max(0, quantity.start - 12):quantity.start])
        if pattern("final").search(before):
            final = quantity
        elif re.search("预算(?:数|为|是)?$", before):
            plan = plan or quantity
    return (plan, final) if plan is not None and final is not None else None


# --------------------------------------------------------------------------- stated changes


def stated_change_checks(doc_id: str, sentences: list[Sentence]) -> list[CheckResult]:
    """Given the sentences of the text, return for each change a sentence states between two amounts it prints
    ('上年执行数为A万元，本年安排B万元，增加X万元'; 'B万元，比上年的A万元减少X万元'; '…与上年持平') whether its
    direction agrees with them (an increase where the figure grew, 持平 where it stayed), and its amount with
    their difference."""
    results = []
    for sentence in sentences:
        amounts = money(sentence)
        levels = [q for q in amounts if not is_change_amount(sentence, q)]
        if len(levels) != 2:
            continue  # a change is checked only against the two figures it is between
        base, current = ordered_levels(sentence, levels)
        if base is None:
            continue
        rounding = step(base.raw) + step(current.raw)
        grew = in_wan(current) - in_wan(base)
        changes = [q for q in amounts if is_change_amount(sentence, q)]
        rates = [q for q in sentence.amounts if q.unit in PERCENT_UNITS and is_change_amount(sentence, q)]
        for rate in rates if not changes else []:  # '…，比上年执行数增加1.01%': its direction (its size: stated_rate)
            said = "小于" if pattern("decrease").search(sentence.text[max(0, rate.start - 6):rate.start]) else "大于"
            truth = direction(grew, rounding)
            if rate.value and truth != "等于":
                results.append(change_result(doc_id, sentence, "passed" if said == truth else "failed", grew, base,
                                             current, f"所述{'增加' if said == '大于' else '减少'} {rate.raw}%"))
        for change in changes:
            said = "小于" if pattern("decrease").search(sentence.text[max(0, change.start - 6):change.start]) else "大于"
            if in_wan(change) == 0:
                said = "等于"
            truth = direction(grew, rounding)
            amount_ok = abs(abs(grew) - in_wan(change)) <= rounding + step(change.raw)
            results.append(change_result(doc_id, sentence, "passed" if said == truth and amount_ok else "failed",
                                         grew, base, current, f"所述变化 {change.raw}{change.unit}"
                                         f"（{'增加' if said == '大于' else '减少' if said == '小于' else '持平'}）"))
        same = SAME.search(match_key(sentence.text))
        if same and not any(is_change_amount(sentence, q) for q in amounts):
            results.append(change_result(doc_id, sentence, "passed" if direction(grew, rounding) == "等于" else "failed",
                                         grew, base, current, f"所述“{same.group(0)}”"))
    return results


SAME = re.compile(r"持平|没有变化|无变化|相同")


def ordered_levels(sentence: Sentence, levels: list[Quantity]) -> tuple[Quantity | None, Quantity]:
    """Given a sentence's two level amounts, return (the earlier year's, this year's): the one whose clause names
    another year or a plan (上年, 执行数, 2025年) is the earlier; None when neither or both do."""
    def earlier(quantity: Quantity) -> bool:
        clause = match_key(re.split(r"[，。；;,]", sentence.text[:quantity.start])[-1])
        return bool(pattern("other_year").search(clause))
    marks = [earlier(q) for q in levels]
    if marks.count(True) != 1:
        return None, levels[-1]
    return (levels[0], levels[1]) if marks[0] else (levels[1], levels[0])


def change_result(doc_id: str, sentence: Sentence, status: str, grew: Decimal, base: Quantity, current: Quantity,
                  said: str) -> CheckResult:
    """Given a stated change and the two figures it is between, return the check of it."""
    ids = tuple(f.id for f in sentence.facts)
    return CheckResult("stated_change", doc_id, status, Side(None, ids, sentence.place()),
                       Side(grew, ids, f"{current.raw}{current.unit} − {base.raw}{base.unit} = {grew:f}万元"),
                       note=f"{said}；其所比的两个数：{base.raw}{base.unit} → {current.raw}{current.unit}")
