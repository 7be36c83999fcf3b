"""Stated changes: what a budget says it changed from the year before, and the earlier figure that implies.

A disclosure states each figure with its change from the previous budget ('部门预算收入 5,665 万元，
比 2022 年增加 977 万元，增长 21%'; '1. 一般行政管理事务经费预算 2,217 万元，主要包括…。较 2022 年
预算增加 612 万元'). So a question about the change (增加了多少, 增长了多少) is answered by the change
stated with the asked figure, and a question about the earlier year, for which no document is
indexed, by this year's figure less that change, computed and cited.

The chain:

    change_bases        each stated change → the level figure it changes (its sentence's first, else
                        its section's lead when the sentence opens with 较/比)
    stated_changes      the facts found for a question → the changes stated of them (changes_of the top one)
    change_figure       a change question → the stated change, amount or rate as asked (change_of_found: of
                        the figure the part before found)
    earlier_figure      an earlier-year question → this year's figure ∓ its stated change
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from index.model import Fact
from common.numbers import MONEY_UNITS, convert_money, find_quantities
from qa.plan.analyze import Intent
from qa.execute.lookup import (CHANGE_WORDS, DECREASE_WORDS, MIN_QUALIFIER_RUN, DocFacts, Found, answers_asked,
                               fact_label, figure_at, longest_common_run, normalize, rank_facts, same_direction)
from qa.plan.words import vocabulary

_CHANGES = vocabulary()["lookup"]["changes"]
RATE_QUESTION_WORDS: tuple[str, ...] = tuple(_CHANGES["rate_question"])
AMOUNT_QUESTION_WORDS: tuple[str, ...] = tuple(_CHANGES["amount_question"])
RATE_ONLY_WORDS: tuple[str, ...] = tuple(_CHANGES["rate_only_question"])
RECOMPUTE = re.compile("|".join(_CHANGES["recompute_cues"]))
PREVIOUS_YEAR_WORDS: tuple[str, ...] = tuple(w for w, offset in vocabulary()["relative_years"].items() if offset == -1)
CONTINUATION = re.compile(r"^(?:与|和|同)?(?:上年|去年|上一年|(?:19|20)\d\d年度?)?(?:"
                          + "|".join(map(re.escape, vocabulary()["comparison_before"] + vocabulary()["implicit_previous_year"]))
                          + ")")
SUBJECT_YEAR_WORDS: tuple[str, ...] = tuple(sorted(vocabulary()["relative_years"], key=len, reverse=True))
LEVEL_ASKS: tuple[str, ...] = tuple(vocabulary()["lookup"]["level_asks"])
DISTINCT_DIGITS = 4  # an equal amount in another sentence is the same figure only when it is this specific
CHANGE_CLAUSE = re.compile(
    "(?:(?:" + "|".join(map(re.escape, vocabulary()["comparison_before"])) + r")\s*(?:"
    + "|".join(map(re.escape, sorted(PREVIOUS_YEAR_WORDS, key=len, reverse=True))) + r"|(?:19|20)\d{2}\s*年)"
    + "|" + "|".join(map(re.escape, CHANGE_WORDS)) + ")[^，,。；;？?]*")


def is_change(fact: Fact) -> bool:
    return fact.kind == "text" and any(word in (fact.subject or "") for word in CHANGE_WORDS)


def is_money(fact: Fact) -> bool:
    return (fact.unit or "") in MONEY_UNITS


def change_bases(doc: DocFacts) -> dict[str, Fact]:
    """Given a document's facts in order, return for each stated change (by id) the level figure it changes:
    the first amount of its part of the sentence ('会议费 32 万元，较上年减少 14.2 万元；培训费 109.6 万元，较上年
    增加 89.06 万元'; parts end at '；'), else of its sentence ('…预算 4,103.61 万元，主要包括：…42.70 万元，较
    2021 年预算增加 1109.33 万元'), or, when its sentence opens with a comparison (较上年, 与上年相比) and states no
    amount of its own, the first amount of the sentence before it in its section ('项目支出预算数为4335.3万元。
    与上年相比减少了1237.7万元')."""
    bases: dict[str, Fact] = {}
    last_lead: dict[tuple[str, ...], Fact] = {}
    leads: dict[tuple, Fact] = {}  # (section, sentence) and (section, sentence, part) → its first amount
    for fact in doc.facts:
        if fact.kind != "text":
            continue
        sentence = (fact.section_path, fact.sentence)
        part = (*sentence, sentence_part(fact))
        if is_change(fact):
            base = leads.get(part) or leads.get(sentence)
            if base is None and (CONTINUATION.match(normalize(fact.sentence)) or names_no_item(fact)):
                base = last_lead.get(fact.section_path)
            if base is not None:
                bases[fact.id] = base
        elif is_money(fact):
            if sentence not in leads:
                last_lead[fact.section_path] = fact
            leads.setdefault(sentence, fact)
            leads.setdefault(part, fact)
    return bases


def sentence_part(fact: Fact) -> int:
    """Given a text fact, return which part of its sentence it stands in, the parts ending at '；'."""
    return len(re.findall("[；;]", (fact.sentence or "")[:max(figure_at(fact), 0)]))


def names_no_item(change: Fact) -> bool:
    """Given a stated change, return whether its subject names nothing but years, a comparison and the verb
    ('按与上年统计口径一致相比，本年比上年减少 161.96 万元'): it changes what its section last stated."""
    rest = CHANGE_CLAUSE.sub("", normalize(change.subject or ""))
    return not re.sub(r"(?:19|20)\d{2}年度?|" + "|".join(map(re.escape, SUBJECT_YEAR_WORDS)) + "|了", "", rest)


def stated_changes(intent: Intent, doc: DocFacts) -> Iterator[tuple[Fact, Fact]]:
    """Given a question about a level figure, yield (figure, change) for each change the text states of the
    figure found: of its sentence, or of another sentence giving the same amount as printed there (the
    收支总表's 收入总计 and '部门预算收入 18,287.71 万元，比 2023 年减少…'; a 绩效 line and the 项目 paragraph)."""
    ranked = rank_facts(intent, doc)
    if ranked:
        yield from changes_of(ranked[0].fact, doc)


def changes_of(top: Fact, doc: DocFacts) -> Iterator[tuple[Fact, Fact]]:
    """Given a figure and its document, yield (figure, change) for each change the text states of it."""
    bases = change_bases(doc)
    for fact in doc.facts:
        base = bases.get(fact.id)
        if base is not None and (base.id == top.id or same_figure(base, top)):
            yield base, fact


def same_figure(text: Fact, found: Fact) -> bool:
    """Given a sentence's figure and the figure found, return whether the sentence gives the same specific
    amount, rounded as the sentence prints it (2,217 for the cell's 2,216.94; 109.6 万元 for a 元 table's
    1,096,000.00)."""
    if text.unit != found.unit and not (is_money(text) and is_money(found)):
        return False
    value = convert_money(found.value, found.unit, text.unit) if text.unit != found.unit else found.value
    places = Decimal(1).scaleb(text.value.as_tuple().exponent)
    rounded = value.quantize(places, rounding=ROUND_HALF_UP)
    return rounded == text.value and len(str(abs(text.value)).replace(".", "")) >= DISTINCT_DIGITS


def wants_rate(question: str, operation: str) -> bool:
    """Given a change question, return whether it asks for the rate (增长了多少 → 21%) rather than the amount
    (增加了多少 → 977 万元); the document's own verbs decide: 增长/下降 state rates, 增加/减少 amounts."""
    if operation == "growth_rate":
        return True
    return any(w in question for w in RATE_QUESTION_WORDS) and not any(w in question for w in AMOUNT_QUESTION_WORDS)


def change_figure(intent: Intent, level: Intent, doc: DocFacts) -> Found | None:
    """Given a change question and the same question asking for the level figure, return the change the
    document states with that figure (the rate or the amount, as asked; the other if only it is stated)."""
    pairs = list(stated_changes(level, doc))
    return chosen_change(intent, pairs, {base.id for base, _ in pairs if answers_asked(base, level, doc)})


def change_of_found(intent: Intent, found: Found, doc: DocFacts) -> Found | None:
    """Given a change part that names no item of its own ('…是多少？比上年增加多少？') and the figure the part
    before found, return the change the document states of that figure (asked when that figure was)."""
    pairs = list(changes_of(found.facts[0], doc))
    named = {base.id for base, _ in pairs if normalize(found.label) in normalize(base.subject)}  # 培训费, not 培训支出
    return chosen_change(intent, pairs, (named or {base.id for base, _ in pairs}) if found.confirmed else set())


def chosen_change(intent: Intent, pairs: list[tuple[Fact, Fact]], asked: set[str]) -> Found | None:
    """Given a change question, the (figure, change) pairs stated and the figures that are the asked one, return
    the change of the asked figure (the rate or the amount, as asked; the other if only it is stated)."""
    rate = wants_rate(normalize(intent.normalized), intent.operation)
    question = normalize(intent.normalized)
    pairs.sort(key=lambda pair: (pair[0].id not in asked, (pair[1].unit == "%") != rate,  # the asked figure's own
                                 -qualifier_run(pair, question), not same_direction(question, normalize(pair[1].subject))))
    if not pairs:
        return None
    found = [change_found(base, change, question, asked) for base, change in pairs]
    if asks_both(question):  # '增加多少？增幅多少？': the amount first, then the rate stated of the same figure
        both = sorted((f for f in found if f.base == found[0].base), key=lambda f: f.unit == "%")
        if len({f.unit == "%" for f in both}) == 2:
            return replace(both[0], others=[next(f for f in both if f.unit == "%")])
    return found[0]


def qualifier_run(pair: tuple[Fact, Fact], question: str) -> int:
    """Given a (figure, change) pair and the question, return how long a run of the question's words the change's
    own sentence adds to its figure's ('按与上年统计口径一致相比，本年比上年减少…' of '按一致的统计口径比上年减少多少'):
    0 where it adds none that long, or is the figure's own sentence."""
    base, change = pair
    if change.sentence == base.sentence:
        return 0
    run = longest_common_run(CHANGE_CLAUSE.sub("", normalize(change.sentence)), question)
    return run if run >= MIN_QUALIFIER_RUN else 0


def change_found(base: Fact, change: Fact, question: str, asked: set[str]) -> Found:
    """Given a level figure and a change stated of it, return the change as found: confirmed when the figure is
    the asked one, whichever way the question expects it to go (its label carries the document's own verb:
    asked 增加, a stated 减少 is the answer)."""
    return Found(change.value, change.unit, [change, base], f"{fact_label(base)}{change.subject}",
                 confirmed=base.id in asked and not RECOMPUTE.search(question), base=base)


def asks_both(question: str) -> bool:
    """Given a change question, return whether it asks the amount and the rate ('增加了多少万元，增幅多少')."""
    states_amount = any(q.unit in MONEY_UNITS for q in find_quantities(question))  # '减少70.56万元，降幅多少'
    return any(w in question for w in RATE_ONLY_WORDS) and any(w in question for w in AMOUNT_QUESTION_WORDS) \
        and not states_amount


def names_year(change: Fact, year: int, doc_year: int | None) -> bool:
    """Given a stated change, return whether it is stated against `year` (by number, or as 上年 of the document)."""
    sentence = normalize(change.sentence)
    return f"{year}年" in sentence or (doc_year is not None and year == doc_year - 1
                                       and any(w in sentence for w in PREVIOUS_YEAR_WORDS))


def earlier_figure(level: Intent, doc: DocFacts, year: int) -> Found | None:
    """Given a question asked of the document's own year, return the figure of an earlier `year` it implies:
    this year's amount less the change stated against that year (plus it, for a decrease)."""
    for base, change in stated_changes(level, doc):
        if not is_money(change) or change.unit != base.unit or not names_year(change, year, doc.year):
            continue
        decrease = any(word in (change.subject or "") for word in DECREASE_WORDS)
        earlier = base.value + change.value if decrease else base.value - change.value
        sign = "+" if decrease else "−"
        return Found(earlier, base.unit, [base, change], f"{year}年{fact_label(base)}",
                     formula=f"{base.value:,} {sign} {change.value:,} = {earlier:,}",
                     confirmed=answers_asked(base, level, doc))
    return None


def asks_level_too(question: str) -> bool:
    """Given a change question, return whether it also asks for the level ('预算多少？比上年变化多少？')."""
    return any(word in strip_change(question) for word in LEVEL_ASKS)


def strip_change(question: str) -> str:
    """Given a change question, return it asking for the level figure: the comparison clause cut, and the
    questions after the first ('部门预算支出比上年增长了多少' → '部门预算支出'; '…都下降了，哪个降幅更大？
    大多少个百分点？' → '…都,哪个')."""
    return re.split(r"[？?]", CHANGE_CLAUSE.sub("", question))[0]
