"""A part of a question → the figure it asks for, looked up or computed from the facts of the disclosures in scope.

    find_figure(intent, scope, ctx)   the figure of the part's item: one document's, each document's (分别), a
                                      stated change, an earlier year's, a sum, difference, share or ratio of its
                                      parts, the largest or smallest across documents
    per_head(intent, scope, ctx)      an amount shared over what its sentence counts (人均)
    prefer_table / with_stated_figures  a sentence that its table contradicts gives way to the table; amounts the
                                      question states itself are shown where the documents give them
"""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from common.numbers import COUNT_UNITS, MONEY_UNITS, find_quantities
from common.printed import in_order
from index.model import Fact
from index.facts.text import row_item
from qa.answer.model import Passage
from qa.execute.changes import asks_level_too, change_figure, earlier_figure, strip_change
from qa.execute.context import Context
from qa.execute.lookup import (COMMON_UNIT, CONTAINER_MARKS, FIGURE_WORDS, DocFacts, Found, answers_asked, best_fact,
                               clause_of, combine, counts_alike, fact_label, figure_kinds, in_unit, is_count, item_name,
                               lookup_matches, normalize, question_core, rank_facts, same_item, same_row, stands_for_unit,
                               states_concept, title_naming, wants_count, wants_percent)
from qa.execute.retrieve import chunk_to_passage
from qa.plan.analyze import Intent, analyze
from qa.plan.scope import Scope, units_named
from qa.plan.words import vocabulary


def find_figure(intent: Intent, scope: Scope, ctx: Context) -> Found | None:
    """Given the intent and the documents in scope, return the asked figure (looked up or computed)."""
    if intent.operation == "narrative" and not any(word in intent.normalized for word in ("多少", "几")):
        return None
    docs = [ctx.docs[d] for d in scope.doc_ids]
    operation = intent.operation
    if len(docs) == 1 and (earlier := earlier_years(intent, docs[0])):
        return earlier_year_figure(intent, docs[0], earlier[0], ctx)
    if operation in ("growth_rate", "growth_amount") and not asks_level_too(intent.normalized):
        level = sub_intent(strip_change(intent.normalized), intent, ctx)
        stated = [change for doc in docs[:2] if (change := change_figure(intent, level, doc))]
        if len(docs) == 1 and stated:
            return stated[0]
        if len(stated) == 2 and asks_difference(intent):  # '哪个降幅更大？大多少个百分点？'
            return combine("difference", stated)
        if len(stated) >= 2:  # each document's change, for the parts after to compare
            return replace(stated[0], others=stated[1:])
    if operation in ("max", "min") and len(docs) > 1:
        return extreme(intent, docs, operation)
    if operation == "share" and len(docs) > 1 and share_texts(intent.normalized)[1]:
        return shares_of_each(intent, docs, ctx)
    if operation in ("difference", "compare", "sum", "share", "ratio", "growth_rate", "growth_amount"):
        parts = [prefer_table(part, ctx) for part in computation_parts(intent, docs, ctx)]
        if parts:
            if operation in ("growth_rate", "growth_amount"):
                stated = best_fact(intent, docs[0])
                if stated is not None:
                    return stated
            computed = combine(operation, parts)
            if computed is not None:
                return computed
    candidates = [found for d in docs if (found := best_fact(intent, d))]
    if not candidates or (len(candidates) > 1 and asks_across(intent)):
        return None
    if len(candidates) == 1 and (listed := listed_sum(candidates[0], intent, docs[0])):
        return listed
    return replace(candidates[0], others=candidates[1:])  # '东城区和西山区…分别是多少': each document's figure


ADDING_WORDS: tuple[str, ...] = tuple(vocabulary()["operations"]["adding"])
LIST_COUNT = re.compile(r"([一二两三四五六七八九十]|\d+)个")
CHINESE_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九十")} | {"两": 2}
MIN_SHARED_ENDING = 2


def listed_sum(found: Found, intent: Intent, doc: DocFacts) -> Found | None:
    """Given the figure found for a question that adds up one item ('四个季度的用款计划加起来'), return the sum of
    the list its sentence gives of that item ('第一季度用款计划25.88万元，第二季度用款计划180.74万元，…'): the
    figures whose subjects end in the words the question names, as many as it counts where it counts them; None
    where the question adds nothing up or the sentence lists no such item."""
    question = normalize(intent.normalized)
    top = found.facts[0] if found.facts else None
    if top is None or top.kind != "text" or not any(word in question for word in ADDING_WORDS):
        return None
    mates = [f for f in doc.facts if f.kind == "text" and f.sentence == top.sentence
             and f.section_path == top.section_path and f.unit == top.unit]
    subject = doc.subjects[top.id]
    if subject in question:
        return None  # the question names this figure's own subject whole: it asks that one
    ending = next((subject[cut:] for cut in range(len(subject) - MIN_SHARED_ENDING + 1)
                   if subject[cut:] in question), "")
    listed = [f for f in mates if ending and doc.subjects[f.id].endswith(ending) and doc.subjects[f.id] != ending]
    counted = LIST_COUNT.search(question)
    wanted = (int(counted.group(1)) if counted.group(1).isdigit() else CHINESE_DIGITS[counted.group(1)]) if counted else None
    if len(listed) < 2 or len({doc.subjects[f.id] for f in listed}) < len(listed) \
            or (wanted is not None and len(listed) != wanted):
        return None  # a list names each of its items once: one subject twice is one figure printed twice
    parts = [Found(f.value, f.unit, [f], fact_label(f), confirmed=found.confirmed or answers_asked(f, intent, doc, ""))
             for f in listed]
    total = combine("sum", parts)
    return replace(total, label=f"{ending}{total.label}") if total else None


def next_in_sentence(intent: Intent, before: list[Found], ctx: Context, items: tuple[str, ...] = ()) -> Found | None:
    """Given a part that asks more of what the part before found ('…项目20个？涉及多少资金？', '其中服务类多少？')
    and the figures found so far, return another figure of the sentence that gave the last of them: the one whose
    clause shares most words with the part's own (of the kind asked: a count, a rate or an amount; naming the
    part's own items where it names any: '其中捐赠收入多少' is no other figure of the sentence), or None where the
    last figure is no sentence's or no other figure of it fits."""
    last = before[-1].facts[0] if before and before[-1].facts else None
    if last is None or last.kind != "text":
        return None
    used = {f.id for found in before for f in found.facts}
    words = set(re.sub(r"[\d\W]|多少|几|是|的|有|呢", "", intent.normalized))
    doc = ctx.docs[last.doc_id]
    best, best_shared = None, 0
    for fact in doc.facts:
        if fact.kind != "text" or fact.id in used or (fact.sentence, fact.section_path) != (last.sentence, last.section_path):
            continue
        if not kind_asked(fact, intent) or (items and not any(in_order(normalize(i), normalize(clause_of(fact)))
                                                               for i in items)):
            continue
        shared = len(words & set(clause_of(fact)))
        if shared > best_shared:
            best, best_shared = fact, shared
    if best is None:
        return None
    return Found(best.value, best.unit, [best], fact_label(best), confirmed=answers_asked(best, intent, doc, ""))


PER_UNITS: dict[str, str] = vocabulary()["per_units"]
PER_HEAD_UNIT = "元"  # an amount per head is said in 元 unless asked otherwise


def per_head(intent: Intent, scope: Scope, ctx: Context) -> Found | None:
    """Given a part asking an amount per head ('那次国内公务接待，人均花了多少元'), return the amount found divided by
    what its own sentence (else its section) counts in the unit asked per (人, 次, 辆), in the money unit asked,
    both cited and the division shown; None where no such count stands beside the amount."""
    per = next((unit for cue, unit in PER_UNITS.items() if cue in intent.normalized), "人")
    amount = find_figure(intent.model_copy(update={"operation": "lookup", "unit_hint": None}), scope, ctx)
    if amount is None or not amount.facts or amount.unit not in MONEY_UNITS:
        return None
    count = count_beside(amount.facts[0], per, ctx.docs[amount.facts[0].doc_id])
    if count is None or count.value == 0:
        return None
    amount = in_unit(amount, intent.unit_hint if intent.unit_hint in MONEY_UNITS else PER_HEAD_UNIT)
    value = (amount.value / count.value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    unit = f"{amount.unit}/{per}"
    division = f"{amount.value:,} {amount.unit} ÷ {count.value:,} {count.unit} = {value:,} {unit}"
    return Found(value, unit, [*amount.facts[:1], count], f"{amount.label}（每{per}）",
                 "；".join(f for f in (amount.formula, division) if f), confirmed=amount.confirmed,
                 parts=[amount, Found(count.value, count.unit, [count], fact_label(count))])


def count_beside(amount: Fact, per: str, doc: DocFacts) -> Fact | None:
    """Given an amount, the count unit it is shared over and its document, return the count that a sentence
    stating the amount states too ('公务接待费 0.16 万元…发生国内接待 1 次，接待人数共 13 人'), else the one
    count of such a sentence's section; None where there is none, or several that differ could be meant."""
    places = [f for f in doc.facts if f.kind == "text" and (f.id == amount.id or (f.value, f.unit) == (amount.value, amount.unit))]
    counts = [f for f in doc.facts if f.kind == "text" and f.unit and counts_alike(per, f.unit)]
    for near in (lambda c, p: c.sentence == p.sentence and c.section_path == p.section_path,
                 lambda c, p: c.section_path == p.section_path):
        found = {(c.value, c.unit): c for c in counts if any(near(c, p) for p in places)}
        if found:
            return next(iter(found.values())) if len(found) == 1 else None
    return None


def kind_asked(fact: Fact, intent: Intent) -> bool:
    """Given a figure and a part, return whether it is of the kind the part asks: a count, a rate or an amount."""
    if wants_percent(intent):
        return fact.unit == "%"
    if wants_count(intent):  # of the things asked: 多少人 is not 1 个
        return is_count(fact.unit) and (intent.unit_hint not in COUNT_UNITS or counts_alike(intent.unit_hint, fact.unit))
    return fact.unit != "%" and not is_count(fact.unit) if intent.unit_hint in MONEY_UNITS or any(
        word in intent.normalized for word in figure_kinds()["money"]) else True


def quoted_figure(intent: Intent, scope: Scope, ctx: Context) -> Found | None:
    """Given a part that quotes a figure of the documents ('说…增加17.62%，对得上吗？'), return the place in scope
    that states it: the figure is what the part asks about. Among several places, the one that ranks best for
    the part's words, else the first printed."""
    quoted = [q for q in find_quantities(intent.normalized) if q.unit in MONEY_UNITS or q.unit == "%"]
    for quantity in quoted:
        for doc_id in scope.doc_ids:
            doc = ctx.docs[doc_id]
            places = [f for f in doc.facts if f.value == quantity.value and (f.unit == "%") == (quantity.unit == "%")]
            if not places:
                continue
            ranked = [s.fact for s in rank_facts(intent, doc) if s.fact in places]
            fact = (ranked or places)[0]
            return Found(fact.value, fact.unit, [fact], fact_label(fact), confirmed=True)
    return None


def asks_across(intent: Intent) -> bool:
    """Given a part read, return whether its own words range over the disclosures in scope ('哪个区'): one
    document's figure is then no answer."""
    return any(word in intent.normalized for word in vocabulary()["names"]["across_words"])


def asks_difference(intent: Intent) -> bool:
    return any(word in intent.normalized for word in vocabulary()["operations"]["difference"])


def earlier_years(intent: Intent, doc: DocFacts) -> list[int]:
    """Given an intent and the one document in scope, return the years asked about that precede the
    document's own (not the base of a comparison), latest first."""
    return sorted((y for y in intent.years if doc.year and y < doc.year and y not in intent.comparison_years), reverse=True)


def earlier_year_figure(intent: Intent, doc: DocFacts, year: int, ctx: Context) -> Found | None:
    """Given a question about an earlier year than its document's, return the figure the document gives for
    that year: a cell or sentence of that year (the 2022年 row of 三公经费表), else this year's figure less the
    change stated against that year."""
    stated = best_fact(intent, doc)
    if stated is not None:
        return stated
    this_year = re.sub(rf"{year}\s*年", f"{doc.year}年", intent.normalized)
    level = sub_intent(this_year, intent, ctx).model_copy(update={"years": (doc.year,)})
    return earlier_figure(level, doc, year)


def prefer_table(found: Found | None, ctx: Context) -> Found | None:
    """Given a looked-up text figure, return the figure of its table cell instead where the text-vs-table check
    paired them: a cell that contradicts the sentence outranks it (the sentence is kept as the disagreeing
    place), as do the rows of the same item whose totals all print another amount (in tables of the whole
    item, not of its 基本支出 part); a cell that gives the same
    amount is the more exact source of it (114.97万元 in a sentence is 1,149,678.00元 in the table); unpaired, a
    cell of the same item printing the same amount is its table's place."""
    if found is None or found.formula or found.facts[0].kind != "text":
        return found
    text = found.facts[0]
    for result in ctx.disagreements.get(text.id, []):
        cells = [f for fact_id in result.right.fact_ids if (f := ctx.store.fact(fact_id)) and f.kind == "cell"]
        if len(cells) == 1:  # the check found the cell to give the same item
            return cell_instead(cells[0], found)
    doc = ctx.docs[text.doc_id]  # the rows of the same item that all print another amount outrank it too
    totals = [f for f in doc.facts if f.kind == "cell" and doc.column_index.get(f.id, 0) == 0 and f.unit == text.unit
              and f.table_kind not in PART_TABLES and f.budget_unit in (None, doc.department)
              and item_key(row_item(normalize(f.row_name))) == item_key(item_name(text))]
    if totals and len({c.value for c in totals}) == 1 and totals[0].value != text.value:
        return cell_instead(totals[0], found)
    cells = [f for fact_id in sorted(ctx.agreements.get(text.id, ())) if (f := ctx.store.fact(fact_id)) and f.kind == "cell"]
    cells = cells or [f for f in doc.facts  # no check paired them: a cell printing the same
                      if f.kind == "cell" and (f.value, f.unit) == (text.value, text.unit) and same_item(f, text)]
    if cells and len({(c.value, c.unit) for c in cells}) == 1:
        return replace(found, value=cells[0].value, unit=cells[0].unit, facts=[cells[0], text])
    return found


PART_TABLES = frozenset(vocabulary()["lookup"]["part_tables"])


ITEM_PRINTING = re.compile("|".join(map(re.escape, vocabulary()["lookup"]["item_fillers"])) + "|(?:"
                           + "|".join(map(re.escape, vocabulary()["lookup"]["item_endings"])) + ")$")


def item_key(name: str) -> str:
    """Given an item's name, return it as rows and sentences both print it ('对个人和家庭的补助' and
    '对个人和家庭补助支出' are one item)."""
    return ITEM_PRINTING.sub("", name)


def cell_instead(cell: Fact, found: Found) -> Found:
    """Given a cell that outranks the sentence found, return the cell's figure with the sentence kept as the
    disagreeing place."""
    return Found(cell.value, cell.unit, [cell], found.label, alternatives=[found.facts[0], *found.alternatives],
                 confirmed=found.confirmed)


def with_stated_figures(found: Found | None, intent: Intent, scope: Scope, ctx: Context) -> Found | None:
    """Given the found figure and a question that states amounts itself ('是677万元还是1,054万元？', '文字说是
    1,763万元'), return it with the places giving the other stated amounts as alternatives, so every amount
    the asker holds is shown where the documents give it, cited."""
    if found is None or found.formula:
        return found
    stated = {q.value for q in find_quantities(intent.normalized) if q.unit in MONEY_UNITS} - {found.value}
    if not stated:
        return found
    places = [s.fact for d in scope.doc_ids for s in rank_facts(intent, ctx.docs[d]) if s.fact.value in stated]
    places += [f for d in scope.doc_ids for f in ctx.docs[d].facts if f.value in stated and names_concept(f, intent)]
    extra = [next(f for f in places if f.value == value) for value in sorted(stated) if any(f.value == value for f in places)]
    if not extra:
        return found
    return replace(found, alternatives=[*extra, *(f for f in found.alternatives if f not in extra)])


def names_concept(fact: Fact, intent: Intent) -> bool:
    """Given a fact, return whether it stands where a concept of the question is given: its sentence, or a
    cell of its table whose column path holds the concept's column words ('2023年政府采购项目 / 小计')."""
    concepts = [c for c in intent.concepts if c.kind != "table"]
    if fact.kind == "text":
        return any(states_concept(c, normalize(fact.subject)) for c in concepts)
    columns = "/".join(normalize(p) for p in fact.column_path)
    return any(lookup_matches(lookup, fact) or (lookup.table == fact.table_kind and lookup.columns
                                                 and any(normalize(w) in columns for w in lookup.columns))
               for c in concepts for lookup in c.lookups)


def computation_parts(intent: Intent, docs: list[DocFacts], ctx: Context) -> list[Found]:
    """Given an intent asking for a computation, return the figures it combines, in question order."""
    if len(docs) >= 2:
        parts = [units_figure(intent, d) for d in docs[:2]]
        return parts if all(parts) else []
    doc = docs[0]
    if intent.operation == "share":
        numerator, denominator = share_texts(intent.normalized)
        if numerator:
            part = sub_intent(numerator, intent, ctx)
            if not (part.concepts or part.row_terms or part.keywords):  # '大数据中心' of '全部项目支出': its 项目支出
                part = sub_intent(numerator + denominator, intent, ctx)
            share = best_fact(part, doc)
            if share is None:
                return []
            asked = sub_intent(denominator, intent, ctx)
            whole_words = question_core(normalize(denominator), doc.names)
            if not names_total(whole_words) and not (asked.concepts or asked.row_terms):
                asked = sub_intent("".join(part.row_terms) + denominator, intent, ctx)  # '…决算数占年初预算': its 年初预算
            if names_total(whole_words) or not (asked.concepts or asked.row_terms):  # '占全部支出', '占多大比例
                whole_fact = next((t for f in share.facts if (t := total_of(f, doc))), None)
                whole = Found(whole_fact.value, whole_fact.unit, [whole_fact], fact_label(whole_fact),
                              confirmed=share.confirmed) if whole_fact else None
            else:
                whole = best_fact(asked, doc)
            parts = [share, whole]
            return parts if all(parts) and share.facts[0].id != whole.facts[0].id else []
    if intent.operation == "difference" and (base := compared_base(intent.normalized)):
        figure, against = base
        part = sub_intent(figure, intent, ctx)
        whole = sub_intent(against, intent, ctx)
        if not (whole.concepts or whole.row_terms):  # '年末结转和结余比年初增加了多少': its sibling row 年初结转和结余
            whole = next((w for term in part.row_terms if (w := sub_intent(sibling(term, against), intent, ctx)).row_terms
                          and sibling(term, against) in w.row_terms), None) or whole
        if not (whole.concepts or whole.row_terms):  # '行政运行实际比年初预算少花了多少': that item's 年初预算
            whole = sub_intent("".join(part.row_terms) + against, intent, ctx)
        parts = [best_fact(part, doc), best_fact(whole, doc)]
        if all(parts) and parts[0].facts[0].id != parts[1].facts[0].id:
            return parts
    units = intent.budget_units.get(doc.doc_id, ())
    if len(units) >= 2:
        parts = [best_fact(intent, doc, budget_unit=u) for u in units]
        return parts if all(parts) else []
    first_ask = normalize(re.split(r"[？?。]", intent.normalized)[0])  # '…合计多少？这与三公经费总额一致吗？': the first's
    title = title_naming(first_ask, doc)[0]  # '按财政拨款基本支出预算表，…' names a table, no part
    first_ask = first_ask.replace(title, "") if title else first_ask
    named = [c.matched or c.name for c in intent.concepts if c.kind != "table"] + list(intent.row_terms)
    named = sorted((n for n in named if n in first_ask), key=first_ask.find)
    named = [n for n in named if not lists_its_parts(n, named, first_ask)]
    joined = re.search(r"[和与及、加跟同]", first_ask) is not None  # 'A和B合计', not 'A中，B合计'
    if len(named) >= 2 and joined:  # each part is called by the question's words for it
        parts = [replace(part, label=words) if (part := best_fact(sub_intent(words, intent, ctx), doc)) else None
                 for words in named]
        return parts if all(parts) else []
    return []


def lists_its_parts(word: str, named: list[str], question: str) -> bool:
    """Given an item named, all items named and the question, return whether the brackets right after it list
    the others as its parts ('“三公”经费预算三项（因公出国（境）费、…、公务接待费）加起来': the parts are added,
    not the whole with them)."""
    after = question[question.find(word) + len(word):]
    bracket = re.match(r"[^（(，,]{0,8}[（(](.*)[）)]", after)
    return bracket is not None and sum(other in bracket.group(1) for other in named if other != word) >= 2


def shares_of_each(intent: Intent, docs: list[DocFacts], ctx: Context) -> Found | None:
    """Given a share asked of two documents with its whole named ('基本支出占支出总额的比重相差几个百分点'),
    return each document's share of its own whole: their difference where one is asked, else the first with
    the other beside it; None where a document gives either figure."""
    shares = [combine("share", parts) if (parts := computation_parts(intent, [doc], ctx)) else None for doc in docs[:2]]
    if not all(shares):
        return None
    if asks_difference(intent):
        return combine("difference", shares)
    return replace(shares[0], others=shares[1:])


def units_figure(intent: Intent, doc: DocFacts) -> Found | None:
    """Given an intent and one document, return its figure: of the 预算单位 named, summed when several are
    ('本级加大数据中心'), each part cited."""
    units = intent.budget_units.get(doc.doc_id, ())
    if len(units) < 2:
        return best_fact(intent, doc)
    parts = [best_fact(intent, doc, budget_unit=u) for u in units]
    return combine("sum", parts) if all(parts) else None


def share_texts(question: str) -> tuple[str, str]:
    """Given a share question, return the words naming the part and the whole ('' where it names no whole).

    '项目支出占本级预算的比重' → ('项目支出', '本级预算'); '全部项目支出中，大数据中心占了多大比例' →
    ('大数据中心', '全部项目支出'); '基本支出里人员经费占多大比例' → ('人员经费', '基本支出'); '有多大比例
    花在X上' → ('X', '')."""
    spent = re.search(SPENT_ON, question)
    if "占" not in question:
        return (spent.group("part"), "") if spent else ("", "")
    left, right = question.split("占", 1)
    whole = re.split(r"的?(比重|比例|百分之|多少|多大|几)", re.sub(r"^[了的是有]+", "", right))[0] \
        if not right.startswith("比") else ""
    held = re.search(rf"(?P<whole>[^，,]+?)(?:{'|'.join(CONTAINER_MARKS)})[，,](?P<part>[^，,]+)$", left) or \
        re.search(rf"(?P<whole>[^，,]+?){CONTAINER}(?P<part>[^，,]+)$", left)
    if held and not whole:  # '财政拨款基本支出里，商品和服务支出占多大比重'
        return held.group("part"), held.group("whole")
    if not whole and "中" in left:  # '政府采购中服务类项目占比' → ('政府采购中服务类项目', '政府采购')
        whole = left.split("中", 1)[0]
    return left, whole


CONTAINER = "(?:中(?![心小央共期])|里|下(?![属设级]))"  # '基本支出中' holds; 中心, 中小企业, 下属 do not
SPENT_ON = r"(?:花在|用在|用于|投向)(?P<part>[^，,。？?]{2,30}?)(?:上|方面|$)"
WHOLE_WORDS = re.compile("全部|全年|所有|整个|总|的|钱|经费")


def names_total(words: str) -> bool:
    """Given the words naming a share's whole, return whether they name only a total ('全部支出', '总支出',
    '支出合计', or nothing at all), not an item nor another figure of the part's item ('年初预算')."""
    if TOTAL_WORDS.search(words) or not words:
        return len(FIGURE_WORDS.sub("", WHOLE_WORDS.sub("", words))) < 2
    return False


TOTAL_WORDS = re.compile("全部|所有|整个|总|合计|小计")


def total_of(fact: Fact, doc: DocFacts) -> Fact | None:
    """Given a cell, return the total it is part of: its row's first column where it is a column of a total or
    a unit's row (项目支出 of 合计 → 合计), else its table's total row in its column (a row's share of the
    table). None for a sentence or where the table prints no total."""
    if fact.kind != "cell":
        return None
    same_table = [f for f in doc.facts if f.kind == "cell" and f.table_name == fact.table_name
                  and f.table_side == fact.table_side]
    if stands_for_unit(fact) and doc.column_index.get(fact.id, 0) > 0:
        return next((f for f in same_table if same_row(f, fact) and doc.column_index.get(f.id, 0) == 0), None)
    return next((f for f in same_table if f.column_path == fact.column_path and stands_for_unit(f)
                 and f.budget_unit == fact.budget_unit and f.id != fact.id), None)


def compared_base(question: str) -> tuple[str, str] | None:
    """Given a question comparing two figures ('行政运行实际比年初预算少花了多少'), return the words naming the
    figure and those naming what it is compared with, or None."""
    found = re.search(vocabulary()["operations"]["difference_pattern"], question)
    if not found:
        return None
    return question[:found.start()], found.group("base")


def sibling(term: str, against: str) -> str:
    """Given an item named and the words it is compared with, return the item with its opening words swapped for
    those ('年末结转和结余' against '年初' → '年初结转和结余'), or '' where the item is no longer than they are."""
    return against + term[len(against):] if len(term) > len(against) else ""


def sub_intent(text: str, intent: Intent, ctx: Context) -> Intent:
    """Given the words of one part of a computation, return their intent, scoped like the whole question."""
    sub = analyze(text, ctx.catalogue)
    units, _ = units_named(sub.unit_mentions, list(ctx.catalogue), ctx.catalogue)
    return sub.model_copy(update={"years": intent.years, "comparison_years": intent.comparison_years,
                                  "operation": "lookup", "budget_units": units})


def extreme(intent: Intent, docs: list[DocFacts], operation: str) -> Found | None:
    """Given an intent ranging over documents, return the largest (or smallest) figure among them, with every
    document's figure in one unit (and the documents that give none)."""
    found = [(d, f) for d in docs if (f := best_fact(intent, d))]
    if not found:
        return None
    units = {f.unit for _, f in found}
    parts = [in_unit(f, COMMON_UNIT) if len(units) > 1 else f for _, f in found]
    pick = (max if operation == "max" else min)(parts, key=lambda part: part.value)
    missing = [d.doc_id for d in docs if all(d is not doc for doc, _ in found)]
    return replace(pick, facts=pick.facts + [f for p in parts if p is not pick for f in p.facts[:1]], parts=parts,
                   missing=missing, confirmed=not missing and all(p.confirmed for p in parts))


def with_fact_passages(found: Found | None, passages: list[Passage], ctx: Context, k: int = 10) -> list[Passage]:
    """Given the found figure and the retrieved passages, return the passages holding the figure's facts
    first (the chain then shows the model the very rows and sentences it must cite), then the rest."""
    if found is None:
        return passages
    wanted = {fact.id for fact in found.facts}
    holding = [chunk_to_passage(c, 1.0) for c in ctx.retriever.chunks_with_facts(wanted)]
    seen = {p.chunk_id for p in holding}
    return (holding + [p for p in passages if p.chunk_id not in seen])[:k]
