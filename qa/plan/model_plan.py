"""The LLM path plans; the code computes. With an OpenAI-compatible model configured, the model reads the question
beside the disclosures in scope and the items they print, and returns the question's parts as JSON
(prompts/plan.md). The reply is checked against a schema and against the question: every part stands on words of
the question, every operation is one the engine runs, every item is printed in scope or said in the question.
Anything else (no JSON, another shape, an item from nowhere, words telling it to do something else) leaves the
plan the rules made. Figures still come only from the fact store, looked up and verified as on the rules' path.
"""
from __future__ import annotations

import json
import re

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qa.llm import generate, prompt_template
from qa.plan.model import OPERATIONS, Operation, Part, QuestionPlan
from qa.plan.parts import Read, clause_part

MAX_CANDIDATES = 150
MAX_PARTS = 8
MAX_ITEM_CHARS = 40
# the operation the lookup runs for each operation of a plan (a rate or ranking's end from the part's words)
LOOKUP_OPERATION = {"value": "lookup", "sum": "sum", "difference": "difference", "ratio": "ratio", "share": "share",
                    "change": "growth_amount", "rank": "max", "compare": "compare", "reason": "narrative",
                    "describe": "narrative", "per": "per"}


class PlannedPart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=200)
    operation: Operation
    items: list[str] = Field(default_factory=list, max_length=6)


class PlanReply(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parts: list[PlannedPart] = Field(min_length=1, max_length=MAX_PARTS)


def plan_prompt(plan: QuestionPlan, candidates: list[str]) -> str:
    """Given the rules' plan and the items printed in scope, return the filled planning prompt."""
    rules = [{"text": p.text, "operation": p.operation, "items": list(p.items)} for p in plan.parts]
    return prompt_template("plan").format(
        disclosures="\n".join(f"- {plan.labels.get(d, d)}" for d in plan.doc_ids) or "（无）",
        candidates="、".join(candidates[:MAX_CANDIDATES]) or "（无）",
        rules=json.dumps({"parts": rules}, ensure_ascii=False), operations="、".join(OPERATIONS),
        question=plan.question)


def reply_to_parts(reply: str) -> PlanReply | None:
    """Given the model's reply, return its parts as the schema reads them, or None if it holds no valid plan."""
    found = re.search(r"\{.*\}", reply, re.S)
    if not found:
        return None
    try:
        return PlanReply.model_validate(json.loads(found.group(0)))
    except (json.JSONDecodeError, ValidationError):
        return None


def fits_question(reply: PlanReply, questions: tuple[str, ...], candidates: list[str]) -> bool:
    """Given a valid reply, the question (as asked and normalised) and the items printed in scope, return whether
    every part stands on the question's own words and every item is printed in scope or said in the question."""
    printed = set(candidates)

    def said(text: str) -> bool:
        return any(text in question for question in questions)

    return all(said(part.text) and all(0 < len(i) <= MAX_ITEM_CHARS and (i in printed or said(i)) for i in part.items)
               for part in reply.parts)


def model_parts(reply: PlanReply, read: Read) -> list[Part]:
    """Given the model's parts and how to read a text, return them as the engine's parts: each read as the rules
    read a clause (its unit, year, what it follows), with the model's operation and items; an item the part's
    words do not say is read with them."""
    parts: list[Part] = []
    for planned in reply.parts:
        missing = [i for i in planned.items if i not in planned.text]
        text = planned.text + (f"（{'、'.join(missing)}）" if missing else "")
        part = clause_part(text, parts, read)
        intent = part.intent
        if planned.operation in LOOKUP_OPERATION and intent is not None:
            keep = (intent.operation == "growth_rate" and planned.operation == "change") or \
                (intent.operation in ("max", "min") and planned.operation == "rank")
            intent = intent if keep else intent.model_copy(update={"operation": LOOKUP_OPERATION[planned.operation]})
        part.operation, part.intent = planned.operation, intent
        part.items = tuple(planned.items) or part.items
        parts.append(part)
    return parts


def plan_with_model(plan: QuestionPlan, candidates: list[str], read: Read, engine: str) -> QuestionPlan:
    """Given the rules' plan, the items printed in scope, how to read a text and the model engine, return the
    model's plan where it gives a valid one, else the rules' (saying why)."""
    if plan.refusal:
        return plan
    try:
        reply = reply_to_parts(generate(engine, plan_prompt(plan, candidates)))
    except Exception as error:  # the answer step reports a failing model; planning falls back quietly
        plan.fallback = f"模型未能给出计划（{type(error).__name__}），按规则理解"
        return plan
    asked = (plan.question, plan.intent.normalized if plan.intent else plan.question)
    if reply is None or not fits_question(reply, asked, candidates):
        plan.fallback = "模型给出的计划无效，按规则理解"
        return plan
    plan.parts = model_parts(reply, read)
    plan.source = "llm"
    return plan
