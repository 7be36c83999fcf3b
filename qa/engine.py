"""The public ``query``: question → plan → execute → wording → verified answer, each stage once.

    plan      qa.plan.planner    the disclosures and 预算单位 asked about, and each part: its item, its operation
    execute   qa.execute.run     each part's figure (looked up or computed from the fact store) or text
    wording   qa.answer.compose  the parts in the order asked, cited; without a language model (`extractive`),
              or by a model (`openai`, `llamacpp`) given the found figures and passages, its text then corrected
    verify    qa.answer.verify   every number of the text checked against the facts: 已核实 only for the asked item
"""
from __future__ import annotations

import re
import time

from common.errors import BudgetQAError
from common.settings import settings
from qa.answer.compose import compose, fact_citation, finish, passage_citation, refusal
from qa.llm import LLM_ENGINES, build_prompt, generate
from qa.answer.model import Answer, Passage
from qa.answer.verify import same_amount
from qa.answer.wording import shown_amount
from qa.execute.context import Context, context, warm_up  # noqa: F401 (warm_up: the UI's)
from qa.execute.run import PartResult, execute
from qa.plan.model import QuestionPlan
from qa.plan.planner import plan_question
from qa.plan.scope import NOT_FOUND

MAX_QUESTION_CHARS = 500


def query(question: str, *, filters: dict | None = None, engine: str | None = None) -> Answer:
    """Given a question in Chinese, return the answer with every figure cited and checked."""
    started = time.perf_counter()
    engine = engine or settings.engine
    if engine == "naive":
        from qa.naive import naive_query

        return naive_query(question)
    answer = answer_question(question or "", filters or {}, engine)
    answer.timing_ms["total"] = (time.perf_counter() - started) * 1000
    return answer


def plan(question: str, filters: dict | None = None) -> QuestionPlan:
    """Given a question, return how it is read (what `qa ask --plan` prints)."""
    return plan_question(question, context().catalogue, filters or {})


def answer_question(question: str, filters: dict, engine: str) -> Answer:
    """Given a question, filters and engine name, return the answer (refusals included)."""
    problem = question_problem(question)
    if problem:
        return refusal(question, *problem, engine=engine)
    ctx = context()
    if not ctx.records:
        return refusal(question, "索引为空，请先添加文档。", "the index is empty: add documents first", engine=engine)
    read = plan_question(question, ctx.catalogue, filters,
                         model=engine if engine in LLM_ENGINES and settings.llm_plans else None)
    if read.refusal:
        return refusal(question, *read.refusal, engine=engine, plan=read)
    results, passages = execute(read, ctx, question)
    if read.scope.following and not any(r.found for r in results):
        asked = "、".join(f"{y}年" for y in read.scope.years)
        return refusal(question, f"{NOT_FOUND}{asked}的文档；其后一年的文档也未说明所问数字。",
                       f"no disclosure for {asked} is indexed, and the following year's does not state it",
                       engine, plan=read)
    if engine in LLM_ENGINES:
        return answer_with_model(read, results, passages, ctx, engine)
    return compose(read, results, passages, ctx)


def question_problem(question: str) -> tuple[str, str] | None:
    """Given a question, return why it cannot be asked (Chinese, English), or None."""
    stripped = question.strip()
    if not stripped:
        return "问题为空，请输入问题。", "the question is empty"
    if len(stripped) > MAX_QUESTION_CHARS:
        return (f"问题过长（{len(stripped)} 字），请控制在 {MAX_QUESTION_CHARS} 字以内。",
                f"the question is too long ({len(stripped)} characters; at most {MAX_QUESTION_CHARS})")
    if not re.search(r"[\u4e00-\u9fffA-Za-z0-9]", stripped):
        return "问题中没有可识别的文字。", "the question has no recognisable words"
    return None


def answer_with_model(read: QuestionPlan, results: list[PartResult], passages: list[Passage], ctx: Context,
                      engine: str) -> Answer:
    """Given the plan, its parts' results and passages, ask the language model, then verify and correct its answer:
    a figure the parts found and the model does not give is added, cited."""
    question = read.question
    founds = [r.found for r in results if r.found]
    facts = [f for found in founds for f in found.facts]
    citations = [fact_citation(i, fact) for i, fact in enumerate(facts, start=1)]
    fact_lines = [f"[{c.n}] {c.label()}：{c.quote}" for c in citations]
    fact_lines += [f"计算结果：{f.label} = {shown_amount(f.value, f.unit)}（{f.formula}）" for f in founds if f.formula]
    for passage in passages[:5]:
        citations.append(passage_citation(len(citations) + 1, passage, passage.text[:200]))
    passage_lines = [f"[{c.n}] {c.label()}\n{p.text}" for c, p in zip(citations[len(facts):], passages[:5])]
    try:
        text = generate(engine, build_prompt(question, fact_lines, passage_lines)).strip()
    except BudgetQAError:
        raise
    except Exception as error:
        status = getattr(error, "status_code", None)
        cause = f"HTTP {status}" if status else type(error).__name__
        raise BudgetQAError(f"语言模型调用失败（{cause}，{settings.llm_base_url}）",
                            f"the language model call failed ({cause} at {settings.llm_base_url})") from error
    if NOT_FOUND in text and founds:
        return compose(read, results, passages, ctx)  # the lookup did find it
    # A passage vouches for a model's figure only through its table cells and the text figures a
    # text-vs-table check confirmed: a sentence slipped into a document vouches for nothing.
    in_passages = [(c.n, fact) for c, p in zip(citations[len(facts):], passages[:5])
                   for fact in ctx.retriever.facts_of_chunk(p.chunk_id, ctx.store)
                   if fact.kind == "cell" or fact.id in ctx.agreements]
    answer = finish(question, text, founds, citations, [], passages, engine, in_passages)
    answer.plan = read.describe()
    if not founds:
        wants_number = any(p.intent.wants_number for p in read.parts if p.intent)
        if NOT_FOUND in text or (wants_number and not any(f.status in ("已核实", "计算") for f in answer.figures)):
            return Answer(question=question, text=text if NOT_FOUND in text else f"{NOT_FOUND}可核实的数字。",
                          refused=True, reason="模型未给出可核实的数字 / the model gave no verifiable figure",
                          figures=answer.figures, passages=passages, engine=engine, plan=read.describe())
        return answer
    missing = [f for f in founds if not any(g.status in ("已核实", "计算") and same_amount(g.value, g.unit, f.value, f.unit)
                                            for g in answer.figures)]
    if missing:
        stated = "；".join(f"{f.label}为 {shown_amount(f.value, f.unit)}[{facts.index(f.facts[0]) + 1}]" for f in missing)
        wrong = [g.text for g in answer.figures if g.status == "未核实"]
        correction = f"\n（核对：据文档，{stated}" + (f"；上文中的 {'、'.join(wrong)} 未能核实。）" if wrong else "。）")
        answer = finish(question, text + correction, founds, citations, [], passages, engine, in_passages)
        answer.plan = read.describe()
    return answer
