"""Each part's result → one answer: the parts worded in the order asked (qa.answer.wording), one numbering of
citations across them, the places that disagree with a figure, what the checks found where a consistency is
asked, and every figure of the text verified (qa.answer.verify).
"""
from __future__ import annotations

from difflib import SequenceMatcher

from index.checks.model import CheckResult
from index.indexer import fact_store
from index.model import Fact
from qa.answer.model import Answer, Citation, Discrepancy, Figure, Passage
from qa.answer.verify import Computed, verify_figures
from qa.answer.wording import (Worded, discrepancy_note, finding_sentence, no_finding_note, shown_amount, templates,
                               word_answer)
from qa.consistency import finding_text
from qa.execute.context import Context
from qa.execute.lookup import Found, normalize
from qa.execute.run import PartResult
from qa.plan.model import QuestionPlan
from qa.plan.scope import NOT_FOUND

MAX_FINDINGS = 2
MIN_NEAR = 0.4  # how alike a printed row label must be to what was asked to be shown as a near item
MAX_FINDING_FIGURES = 4
# the operation names qa.answer.wording words figures by
WORDED_AS = {"value": "lookup", "rank": None, "change": "growth_amount", "describe": "narrative", "reason": "narrative"}


def compose(plan: QuestionPlan, results: list[PartResult], passages: list[Passage], ctx: Context,
            engine: str = "extractive") -> Answer:
    """Given the plan, its parts' results and the passages searched, return the answer (a refusal when no part
    was answered), every figure verified."""
    if not any(r.found or r.quote for r in results):
        searched = "；".join(e.label() for e in ctx.catalogue if e.doc_id in plan.doc_ids[:8])
        near = closest_items(plan, ctx)
        printed = templates()["closest_items"].format(items="、".join(near)) if near else ""
        return refusal(plan.question, f"{NOT_FOUND}相关数字（已查：{searched}）。{printed}",
                       "the documents in scope do not state this figure", engine, passages, plan)
    worded = Worded("")
    texts: list[str] = []
    discrepancies: list[Discrepancy] = []
    for k, result in enumerate(results):
        quoted_before = result.quote is not None and any(r.quote and r.quote.text == result.quote.text for r in results[:k])
        if not subsumed(result, results[k + 1:]) and not quoted_before:  # one passage answering two parts: once
            text = part_text(result, results, worded, discrepancies, ctx)
            texts += [text] if text not in texts else []  # two parts the same figure answers: said once
    citations = [fact_citation(n, x) if isinstance(x, Fact) else x.model_copy(update={"n": n})
                 for n, x in enumerate(worded.cited, start=1)]
    founds = main_first([r for r in results if r.found])
    quoted = [p for r in results if r.quote for p in r.quote.passages]
    read_as = "".join(f"（{reading}）\n" for reading in plan.readings)  # a line each, before the answer
    answer = finish(plan.question, read_as + "".join(texts), founds, citations, discrepancies,
                    quoted + [p for p in passages if p not in quoted], engine)
    answer.compared = worded.compared
    answer.plan = plan.describe()
    return answer


def closest_items(plan: QuestionPlan, ctx: Context, shown: int = 5) -> list[str]:
    """Given a plan no part of which was answered, return the row labels printed in its disclosures that come
    closest to what it asked (by characters shared in order), so a user sees what the documents do print."""
    asked = [i for p in plan.parts for i in p.items] + plan.unplaced
    if not asked:
        return []
    printed = {r for e in ctx.catalogue if e.doc_id in plan.doc_ids for r in e.row_names if len(r) >= 2}
    scored = sorted(((max(SequenceMatcher(None, a, r).ratio() for a in asked), r) for r in printed), reverse=True)
    return [r for score, r in scored[:shown] if score >= MIN_NEAR]


def subsumed(result: PartResult, later: list[PartResult]) -> bool:
    """Given a part's result and those of the parts after it, return whether a later part words its figures
    already: it combines them ('各是多少？相差多少？': the difference names both), or the same ones again ('哪个
    多？多多少？': the difference says which is more)."""
    figures = (result.found.parts or [result.found, *result.found.others]) if result.found else []
    return bool(figures) and any(r.found and (r.found.parts and all(f in r.found.parts for f in figures)
                                              or states_level(r.found, figures)) for r in later)


def states_level(change: Found, figures: list[Found]) -> bool:
    """Given a later part's figure and a part's figures, return whether the later one is a change worded with
    the part's only figure as its level ('…是多少？比上年增加多少？': 'X 为 15.30万元，减少 18.00万元')."""
    base = change.base
    return base is not None and len(figures) == 1 and (base.value, base.unit) == (figures[0].value, figures[0].unit)


def main_first(results: list[PartResult]) -> list[Found]:
    """Given the answered parts of a question in order, return their figures with its main figure first: a later
    amount computed from all those before it ('各是多少？相差多少？' is answered by the difference), else the
    first ('分别是多少？哪个多？' by the amounts asked, which one is more being said in words)."""
    founds = [r.found for r in results]
    for k, result in enumerate(results):
        inputs = [f for g in founds[:k] for f in (g, *g.others)]
        if k and result.part.operation not in ("compare", "rank") and result.found.parts and inputs \
                and all(f in result.found.parts for f in inputs):
            return [result.found] + [f for f in founds if f is not result.found]
    return founds


def part_text(result: PartResult, results: list[PartResult], worded: Worded, discrepancies: list[Discrepancy],
              ctx: Context) -> str:
    """Given one part's result, return its words (citations and disagreeing places join the shared lists)."""
    part = result.part
    if result.found is not None:
        operation = part.extreme if part.operation == "rank" else WORDED_AS.get(part.operation, part.operation)
        text = word_answer(result.found, operation, lambda d, u: organisation_of(d, u, ctx), worded).text
        for discrepancy in discrepancies_for(result.found, ctx, worded):
            discrepancies.append(discrepancy)
            text += discrepancy_note([f"{f.text}[{f.citations[0]}]" for f in discrepancy.figures[1:]])
        return text + (findings_note(result.findings, worded, ctx) if part.operation == "consistency" else "")
    if result.quote is not None:
        n = worded.cite(result.quote.citation)
        return f"{result.quote.text}[{n}]"
    if part.operation == "consistency":
        return findings_note(result.findings, worded, ctx)
    what = "、".join(part.items) or part.text
    return f"{what}：{NOT_FOUND}。"


def discrepancies_for(found: Found, ctx: Context, worded: Worded) -> list[Discrepancy]:
    """Given a found figure, return the places that disagree with it, each cited."""
    others: list[Fact] = []
    main = found.facts[0]
    same_figure = {main.id} | ctx.agreements.get(main.id, set())  # the places that state the asked figure
    for fact_id in same_figure:
        for result in ctx.disagreements.get(fact_id, []):
            for other_id in result.left.fact_ids + result.right.fact_ids:
                other = ctx.store.fact(other_id)
                if other and other.id not in same_figure and other.value != main.value and other not in others:
                    others.append(other)
    others += [f for f in found.alternatives if f not in others]
    if not others:
        return []
    figures = [Figure(text=shown_amount(main.value, main.unit), value=main.value, unit=main.unit,
                      status="已核实" if found.confirmed else "未核实", citations=worded.numbers([main]))]
    for other in others[:2]:
        figures.append(Figure(text=shown_amount(other.value, other.unit), value=other.value, unit=other.unit,
                              status="文表不一致", citations=worded.numbers([other])))
    return [Discrepancy(subject=found.label, figures=figures)]


def findings_note(results: list[CheckResult], worded: Worded, ctx: Context) -> str:
    """Given the checks found to fail, return them in words with both sides' figures cited; or that none touches
    the figures asked."""
    if not results:
        return no_finding_note()
    notes = []
    for result in results[:MAX_FINDINGS]:
        facts = [f for i in list(dict.fromkeys(result.left.fact_ids + result.right.fact_ids))[:MAX_FINDING_FIGURES]
                 if (f := ctx.store.fact(i)) is not None]
        notes.append(finding_sentence(finding_text(result), [f"{shown_amount(f.value, f.unit)}{worded.marks([f])}"
                                                             for f in facts]))
    return "".join(notes)


def organisation_of(doc_id: str, budget_unit: str | None, ctx: Context) -> tuple[int | None, str]:
    """Given a document and the 预算单位 a figure is of, return the year and the organisation, for the answer's
    words: the unit where it is not the department itself."""
    record = next(r for r in ctx.records if r.doc_id == doc_id)
    own = budget_unit is None or normalize(budget_unit) == normalize(record.department or "")
    return record.year, (record.department or record.doc_id) if own else budget_unit


def fact_citation(n: int, fact: Fact) -> Citation:
    """Given a fact and its number in the answer, return its citation."""
    if fact.kind == "text":  # a sentence of the text part, or of a table's prose row (table_kind set)
        return Citation(n=n, doc_id=fact.doc_id, page=fact.page, section_path=list(fact.section_path),
                        table_kind=fact.table_kind, table_label=fact.table_label, table_name=fact.table_name,
                        quote=fact.sentence or "", fact_id=fact.id)
    column = "/".join(fact.column_path)
    row = f"{fact.row_code} {fact.row_name}" if fact.row_code else fact.row_name
    return Citation(n=n, doc_id=fact.doc_id, page=fact.page, table_kind=fact.table_kind, table_label=fact.table_label,
                    table_name=fact.table_name, budget_unit=fact.budget_unit, row=row, column=column,
                    quote=f"{row} | {column} | {fact.printed or f'{fact.value:,}'}", fact_id=fact.id)


def passage_citation(n: int, passage: Passage, quote: str) -> Citation:
    return Citation(n=n, doc_id=passage.doc_id, page=int(passage.pages.split("-")[0]) if passage.pages else None,
                    section_path=passage.where.split(" / ") if passage.where else [], quote=quote)


def finish(question: str, text: str, founds: list[Found], citations: list[Citation],
           discrepancies: list[Discrepancy], passages: list[Passage], engine: str,
           passage_facts: list[tuple[int, Fact]] = ()) -> Answer:
    """Given the worded answer and what it rests on (the figures found, cited facts and the facts inside cited
    passages), return the Answer with every figure verified; its main figure is the first part's."""
    cited = [(c.n, fact) for c in citations if c.fact_id for fact in [fact_store().fact(c.fact_id)] if fact]
    cited += list(passage_facts)
    every = [f for found in founds for f in [found, *found.parts, *found.others]]
    computed = [Computed(f.value, f.unit, f.formula, tuple(c.n for c in citations), f.confirmed) for f in every
                if f.formula]
    confirmed = set().union(*(found.confirmed_ids() for found in founds)) if founds else set()
    figures = verify_figures(text, cited, computed, confirmed)
    disputed = {n for d in discrepancies for f in d.figures if f.status == "文表不一致" for n in f.citations}
    for figure in figures:
        if figure.status == "已核实" and set(figure.citations) <= disputed:
            figure.status = "文表不一致"  # a place that disagrees with the asked figure: shown, not endorsed
    main = founds[0] if founds else None
    return Answer(question=question, text=text, value=main.value if main else None, unit=main.unit if main else None,
                  figures=figures, citations=citations, discrepancies=discrepancies, passages=passages, engine=engine)


def refusal(question: str, zh: str, en: str, engine: str, passages: list[Passage] = (),
            plan: QuestionPlan | None = None) -> Answer:
    """Given why a question gets no answer, return the refusal; passages searched in scope go with it, so the
    asker can read what the documents say near the figure that none of them states."""
    return Answer(question=question, text=zh, refused=True, reason=f"{zh} / {en}", engine=engine,
                  passages=list(passages), plan=plan.describe() if plan else None)
