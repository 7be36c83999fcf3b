"""Question → QuestionPlan: the question read whole for its names and years (qa.plan.analyze), its scope resolved
against the catalogue of what is indexed (qa.plan.scope), then cut into its parts (qa.plan.parts), each read with
the scope's years and 预算单位; with a language model configured, the model may cut and name the parts instead
(qa.plan.model_plan), checked against the question and what is printed in scope.
"""
from __future__ import annotations

from common.printed import match_key
from qa.plan.analyze import Intent, analyze
from qa.plan.model import Part, QuestionPlan
from qa.plan.model_plan import plan_with_model
from qa.plan.names import CatalogueEntry, Names
from qa.plan.parts import Read, clause_parts, question_clauses
from qa.plan.scope import Scope, resolve_scope


def plan_question(question: str, catalogue: tuple[CatalogueEntry, ...], filters: dict | None = None,
                  model: str | None = None) -> QuestionPlan:
    """Given a question, the catalogue, any filters and the language model to plan with (None: the rules alone),
    return how it is read: its scope and its parts."""
    intent = analyze(question, catalogue)
    scope = resolve_scope(intent, catalogue, filters)
    plan = QuestionPlan(question=question, intent=intent, scope=scope)
    if scope.refusal:
        plan.refusal = scope.refusal
        return plan
    labels = {e.doc_id: e.label() for e in catalogue}
    plan.doc_ids, plan.years, plan.final = scope.doc_ids, scope.years, scope.final
    plan.labels = {d: labels.get(d, d) for d in scope.doc_ids}
    plan.budget_units = {d: u for d, u in scope.budget_units.items() if u}
    plan.intent = scope.narrow(intent)
    plan.readings = name_readings(intent.names, [e for e in catalogue if e.doc_id in scope.doc_ids])
    plan.parts = read_parts(plan.intent, scope, catalogue)
    if model:
        printed = list(dict.fromkeys(r for e in catalogue if e.doc_id in scope.doc_ids for r in e.row_names))
        plan = plan_with_model(plan, printed, reader(plan.intent, scope, catalogue), model)
    plan.unplaced = [w for w in plan.intent.keywords if not any(w in p.text and p.items for p in plan.parts)
                     and not any(w in i for p in plan.parts for i in p.items)]
    return plan


def reader(intent: Intent, scope: Scope, catalogue: tuple[CatalogueEntry, ...]) -> Read:
    """Given the question read whole and its scope, return how a part's words are read: with the question's names
    and 预算单位, narrowed to the scope's years."""
    def read(text: str) -> Intent:
        return scope.narrow(analyze(text, catalogue).model_copy(update={"names": intent.names,
                                                                        "unit_mentions": intent.unit_mentions}))
    return read


def read_parts(intent: Intent, scope: Scope, catalogue: tuple[CatalogueEntry, ...]) -> list[Part]:
    """Given the question read whole and its scope, return its parts in the order asked."""
    read = reader(intent, scope, catalogue)
    parts: list[Part] = []
    for clause in question_clauses(intent.normalized):
        parts += clause_parts(clause, parts, read)
    return parts


def name_readings(names: Names, entries: list[CatalogueEntry]) -> list[str]:
    """Given the names a question gives and the disclosures in scope, return how each department named other
    than as printed (by the first characters of its parts, an older field's name, a shorter ending) was read:
    the one department in scope it fits, so that a user sees the name was not taken as written."""
    in_scope = {e.department for e in entries if e.department}
    readings = []
    for named in names.departments:
        fitted = sorted(named.departments & in_scope)
        if len(fitted) == 1 and named.text not in match_key(fitted[0]):
            readings.append(f"按『{named.text}』理解为『{fitted[0]}』")
    return readings
