"""A QuestionPlan → a result for each of its parts, in the order asked, from the fact store and the passages of the
disclosures in scope.

    value, sum, difference, ratio, share, change, rank, compare   figures looked up or computed (qa.execute.figures);
                                                                  a comparison of items asked before ('哪个多？')
                                                                  from those parts' figures
    reason, describe                                              the text that gives it (qa.execute.narrative)
    consistency                                                   what the checks found of the figures asked before
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from index.checks.model import CheckResult
from index.model import Fact
from qa.answer.model import Passage
from qa.execute.changes import change_of_found
from qa.execute.context import Context
from qa.execute.empty import empty_table_quote
from qa.execute.figures import (find_figure, next_in_sentence, per_head, prefer_table, quoted_figure, with_fact_passages,
                                with_stated_figures)
from qa.execute.lookup import Found, combine, fact_label, in_unit, normalize, same_row
from qa.execute.narrative import Quote, narrative_quote
from qa.plan.model import Part, QuestionPlan

@dataclass
class PartResult:
    """What one part of a question gave: a figure, a quoted text, or nothing (with why)."""

    part: Part
    found: Found | None = None
    quote: Quote | None = None
    findings: list[CheckResult] = field(default_factory=list)  # consistency: the failed checks of the figures asked

    @property
    def answered(self) -> bool:
        return self.found is not None or self.quote is not None or self.part.operation == "consistency"


def execute(plan: QuestionPlan, ctx: Context, question: str) -> tuple[list[PartResult], list[Passage]]:
    """Given a plan and the answering context, return each part's result and the passages searched."""
    scope = plan.scope
    results: list[PartResult] = []
    for part in plan.parts:
        results.append(execute_part(part, results, plan, ctx))
    found = next((r.found for r in results if r.found), None)
    passages = with_fact_passages(found, ctx.retriever.retrieve(question, doc_ids=list(scope.doc_ids), k=10), ctx)
    for k, result in enumerate(results):  # a text is found among the passages of the whole question
        if result.quote is None and (result.part.operation in ("reason", "describe") or (
                result.found is None and not result.part.intent.wants_number and result.part.operation == "value")):
            results[k] = replace(result, quote=narrative_quote(result.part.intent, passages, ctx.store, departments(ctx)))
    return results, passages


def departments(ctx: Context) -> dict[str, str]:
    return {r.doc_id: r.department or "" for r in ctx.records}


def execute_part(part: Part, before: list[PartResult], plan: QuestionPlan, ctx: Context) -> PartResult:
    """Given a part, the results of the parts before it, the plan and the context, return the part's result (a
    part asking of a table printed empty, and finding no figure that is its item, is told the table is empty)."""
    result = figure_part(part, before, plan, ctx)
    if part.operation in ("value", "describe") and not (result.found and result.found.confirmed):
        empty = empty_table_quote(part.intent, plan.scope, ctx)
        if empty is not None:
            return PartResult(part, quote=empty)
    return result


def figure_part(part: Part, before: list[PartResult], plan: QuestionPlan, ctx: Context) -> PartResult:
    """Given a part, the results of the parts before it, the plan and the context, return its figure, computed or
    looked up (a reason or description: nothing yet, it is quoted from the passages)."""
    if part.operation in ("reason", "describe"):
        return PartResult(part)
    if part.operation == "consistency":  # of a figure it quotes, of its own item ('…和经济分类表的工资福利支出一致吗'),
        own = quoted_figure(part.intent, plan.scope, ctx)  # or of the items asked before
        own = own or (find_figure(part.intent, plan.scope, ctx) if item_words_of(part) else None)
        own = with_stated_figures(prefer_table(own, ctx), part.intent, plan.scope, ctx) if own else None
        figures = [r.found for r in before if r.found] + ([own] if own else [])
        return PartResult(part, found=own, findings=found_findings(figures, ctx))
    if part.operation in ("compare", "difference", "ratio", "sum") and not item_words_of(part):
        figures = figures_before(before)  # '哪个多？', '大多少个百分点？': of the figures asked before
        if len(figures) >= 2:
            return PartResult(part, found=combine("difference" if part.operation == "compare" else part.operation,
                                                  figures[:2] if part.operation != "sum" else figures))
    intent = part.intent
    if part.operation == "per":
        return PartResult(part, found=per_head(intent, plan.scope, ctx))
    if part.columns_of and (rows_before := last_cells(before, ctx)):
        return PartResult(part, found=next((f for cell in rows_before if (f := in_row(cell, part.items, ctx))), None))
    own = part.items if item_words_of(part) else ()  # a sentence that gave the figure before names its next too
    found = next_in_sentence(intent, figures_before(before), ctx, own) if part.follows or own else None
    if part.operation == "change" and not item_words_of(part) and (earlier := figures_before(before)):
        last = earlier[-1]  # '…是多少？比上年增加多少？': the change stated of the figure just found
        found = change_of_found(intent, last, ctx.docs[last.facts[0].doc_id]) if last.facts else None
    found = found or find_figure(intent, plan.scope, ctx)
    found = with_stated_figures(prefer_table(found, ctx), intent, plan.scope, ctx)
    return PartResult(part, found=in_unit(found, intent.unit_hint) if found else None)


def last_cells(before: list[PartResult], ctx: Context) -> list[Fact]:
    """Given the results of the parts before, return the table cell the last figure was read from, or for a
    sentence's figure the cells that print the same amount (the row the sentence speaks of)."""
    figures = figures_before(before)
    fact = figures[-1].facts[0] if figures and figures[-1].facts else None
    if fact is None or fact.kind == "cell":
        return [fact] if fact is not None else []
    return [f for f in ctx.docs[fact.doc_id].facts if f.kind == "cell" and f.value == fact.value and f.unit == fact.unit]


def in_row(cell: Fact, columns: tuple[str, ...], ctx: Context) -> Found | None:
    """Given the cell the part before found and the columns a part asks, return that row's figure in the column
    named (the row of the same table; confirmed as the asked item), or None where the row leaves it blank."""
    column = normalize(columns[0]) if columns else ""
    for fact in ctx.docs[cell.doc_id].facts:
        if fact.kind == "cell" and same_row(fact, cell) and any(column in normalize(c) for c in fact.column_path):
            return Found(fact.value, fact.unit, [fact], fact_label(fact), confirmed=True)
    return None


def item_words_of(part: Part) -> bool:
    """Given a part, return whether its own words name an item (not only those of the parts before it)."""
    return any(item in part.text for item in part.items)


def figures_before(results: list[PartResult]) -> list[Found]:
    """Given the results of the parts asked before, return their figures, each document's and item's once."""
    figures: list[Found] = []
    for result in results:
        if result.found is not None and result.part.operation in ("value", "change"):
            figures += [f for f in (result.found, *result.found.others) if f not in figures]
    return figures


def found_findings(figures: list[Found], ctx: Context) -> list[CheckResult]:
    """Given the figures asked, return the failed consistency checks of their document that their facts (or their
    parts') are part of, each once."""
    facts = [f for found in figures for part in [found, *found.parts, *found.others] for f in part.facts]
    results = [r for fact in facts for r in ctx.findings.get(fact.id, [])]
    return list({id(r): r for r in results}.values())
