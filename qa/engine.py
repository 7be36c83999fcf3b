"""question → scope → lookup → answer → verified answer: the public ``query`` function.

The deterministic path (qa.lookup) finds and computes figures from the fact store; the engine
then words the answer: `extractive` composes it from the facts and the best passages without a
language model, `openai` / `llamacpp` ask a model with the prompt in prompts/answer.md. Either
way every number in the final text is checked against the facts (qa.verify) before it is shown.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, replace
from decimal import Decimal

from index.checks.model import CheckResult
from common.errors import BudgetQAError
from index.indexer import fact_store
from index.model import Fact
from common.numbers import MONEY_UNITS, find_quantities
from index.store.facts import DocumentRecord, FactStore
from index.facts.text import LIST_ENUMERATOR
from qa.analyze import Intent, analyze, asks_consistency
from qa.consistency import finding_text
from qa.answer_model import Answer, Citation, Discrepancy, Figure, Passage
from qa.changes import asks_level_too, change_figure, earlier_figure, strip_change
from qa.generate import LLM_ENGINES, build_prompt, generate
from qa.lookup import (DocFacts, Found, best_fact, combine, doc_facts, lookup_matches, normalize, rank_facts,
                       COMMON_UNIT, in_unit, states_concept, title_naming)
from qa.words import vocabulary
from qa.names import CatalogueEntry
from qa.narrative import narrative_quote
from qa.retrieve import HybridRetriever, chunk_to_passage
from common.settings import settings
from qa.scope import NOT_FOUND, Scope, resolve_scope, units_named
from qa.verify import Computed, same_amount, verify_figures
from qa.wording import discrepancy_note, finding_sentence, no_finding_note, shown_amount, word_answer

MAX_QUESTION_CHARS = 500


@dataclass
class Context:
    """Everything answering needs from the index, rebuilt only when the indexed documents change."""

    store: FactStore
    records: list[DocumentRecord]
    docs: dict[str, DocFacts]
    catalogue: tuple[CatalogueEntry, ...]
    disagreements: dict[str, list[CheckResult]]  # fact id → failed text-vs-table checks it is part of
    agreements: dict[str, set[str]]  # fact id → facts a passed text-vs-table check found it equal to
    findings: dict[str, list[CheckResult]]  # fact id → every failed consistency check it is part of
    retriever: HybridRetriever


_context_lock = threading.Lock()
_context: Context | None = None


def context() -> Context:
    """Return the answering context for the index as it is now (cached until a document changes)."""
    global _context
    store = fact_store()
    records = store.documents()
    with _context_lock:
        if (_context is None or _context.store.path != store.path
                or [(r.doc_id, r.sha256) for r in _context.records] != [(r.doc_id, r.sha256) for r in records]):
            same_store = _context is not None and _context.store.path == store.path
            retriever = _context.retriever if same_store else HybridRetriever(store)
            _context = build_context(store, records, retriever)
        return _context


def warm_up() -> None:
    """Load what a first question would otherwise wait for: the index's facts and catalogue, the word
    segmenter, the retriever's indexes and the embedding model (the UI calls this before it takes questions)."""
    ctx = context()
    if ctx.records:
        analyze("预算", ctx.catalogue)
        ctx.retriever.retrieve("预算", doc_ids=[ctx.records[0].doc_id], k=1)


def build_context(store: FactStore, records: list[DocumentRecord], retriever: HybridRetriever) -> Context:
    """Given the store and its documents, return their facts, catalogue and consistency disagreements."""
    docs, catalogue, disagreements, agreements, findings = {}, [], {}, {}, {}
    for record in records:
        facts = store.facts(doc_id=record.doc_id)
        docs[record.doc_id] = doc_facts(record.doc_id, record.department, record.year, facts, record.meta.is_final)
        units = tuple(dict.fromkeys(f.budget_unit for f in facts if f.kind == "cell" and f.budget_unit))
        rows = tuple(dict.fromkeys(LIST_ENUMERATOR.sub("", f.row_name) for f in facts if f.kind == "cell" and f.row_name))
        meta = record.meta
        catalogue.append(CatalogueEntry(record.doc_id, meta.region, meta.department, meta.year, meta.kind, units, rows))
        for result in store.checks(record.doc_id):  # computed when the document was indexed
            ids = result.left.fact_ids + result.right.fact_ids
            if result.status == "failed":
                for fact_id in ids:
                    findings.setdefault(fact_id, []).append(result)
            if result.check != "text_vs_table":
                continue
            for fact_id in ids:
                if result.status == "failed":
                    disagreements.setdefault(fact_id, []).append(result)
                else:
                    agreements.setdefault(fact_id, set()).update(ids)
    return Context(store, records, docs, tuple(catalogue), disagreements, agreements, findings, retriever)


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


def answer_question(question: str, filters: dict, engine: str) -> Answer:
    """Given a question, filters and engine name, return the answer (refusals included)."""
    problem = question_problem(question)
    if problem:
        return refusal(question, *problem, engine=engine)
    ctx = context()
    if not ctx.records:
        return refusal(question, "索引为空，请先添加文档。", "the index is empty: add documents first", engine=engine)
    intent = analyze(question, ctx.catalogue)
    scope = resolve_scope(intent, ctx.catalogue, filters)
    if scope.refusal:
        return refusal(question, *scope.refusal, engine=engine)
    intent = scope.narrow(intent)
    found = with_stated_figures(prefer_table(find_figure(intent, scope, ctx), ctx), intent, scope, ctx)
    found = in_unit(found, intent.unit_hint) if found else None  # '…是多少万元' of a 元 table: converted, shown
    if scope.following and found is None:
        asked = "、".join(f"{y}年" for y in scope.years)
        return refusal(question, f"{NOT_FOUND}{asked}的文档；其后一年的文档也未说明所问数字。",
                       f"no disclosure for {asked} is indexed, and the following year's does not state it", engine=engine)
    passages = with_fact_passages(found, ctx.retriever.retrieve(question, doc_ids=list(scope.doc_ids), k=10), ctx)
    if engine in LLM_ENGINES:
        return answer_with_model(question, intent, scope, found, passages, ctx, engine)
    return answer_extractively(question, intent, scope, found, passages, ctx)


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


def refusal(question: str, zh: str, en: str, engine: str, passages: list[Passage] = ()) -> Answer:
    """Given why a question gets no answer, return the refusal; passages searched in scope go with it, so the
    asker can read what the documents say near the figure that none of them states."""
    return Answer(question=question, text=zh, refused=True, reason=f"{zh} / {en}", engine=engine, passages=list(passages))


# ------------------------------------------------------------------ the deterministic path


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
    if operation in ("max", "min") and len(docs) > 1:
        return extreme(intent, docs, operation)
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
    if not candidates or (len(candidates) > 1 and scope.across):
        return None
    return replace(candidates[0], others=candidates[1:])  # '东城区和西山区…分别是多少': each document's figure


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
    """Given a looked-up text figure that a text-vs-table check found to disagree with its table cell,
    return the cell's figure instead, keeping the text as the disagreeing place: a sentence (or text
    slipped into a document) never outranks the table it contradicts."""
    if found is None or found.formula or found.facts[0].kind != "text":
        return found
    text = found.facts[0]
    for result in ctx.disagreements.get(text.id, []):
        cells = [f for fact_id in result.right.fact_ids if (f := ctx.store.fact(fact_id)) and f.kind == "cell"]
        if len(cells) == 1:
            cell = cells[0]
            return Found(cell.value, cell.unit, [cell], found.label, alternatives=[text, *found.alternatives],
                         confirmed=found.confirmed)  # the check found the cell to give the same item
    return found


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
        if numerator and denominator:
            part = sub_intent(numerator, intent, ctx)
            if not (part.concepts or part.row_terms or part.keywords):  # '大数据中心' of '全部项目支出': its 项目支出
                part = sub_intent(numerator + denominator, intent, ctx)
            whole = sub_intent(denominator, intent, ctx)
            if not (whole.concepts or whole.row_terms):  # '行政单位医疗决算数占年初预算': that item's 年初预算
                whole = sub_intent("".join(part.row_terms) + denominator, intent, ctx)
            parts = [best_fact(part, doc), best_fact(whole, doc)]
            return parts if all(parts) else []
    units = intent.budget_units.get(doc.doc_id, ())
    if len(units) >= 2:
        parts = [best_fact(intent, doc, budget_unit=u) for u in units]
        return parts if all(parts) else []
    first_ask = re.split(r"[？?。]", intent.normalized)[0]  # '…合计多少？这与三公经费总额一致吗？' adds the first's parts
    title = title_naming(normalize(first_ask), doc)[0]  # '按财政拨款基本支出预算表，…' names a table, no part
    first_ask = normalize(first_ask).replace(title, "") if title else first_ask
    named = [c.matched or c.name for c in intent.concepts if c.kind != "table"] + list(intent.row_terms)
    named = sorted((n for n in named if n in first_ask), key=first_ask.find)
    joined = re.search(r"[和与及、加跟同]", first_ask) is not None  # 'A和B合计', not 'A中，B合计'
    if len(named) >= 2 and joined:  # each part is called by the question's words for it
        parts = [replace(part, label=words) if (part := best_fact(sub_intent(words, intent, ctx), doc)) else None
                 for words in named]
        return parts if all(parts) else []
    return []


def units_figure(intent: Intent, doc: DocFacts) -> Found | None:
    """Given an intent and one document, return its figure: of the 预算单位 named, summed when several are
    ('本级加大数据中心'), each part cited."""
    units = intent.budget_units.get(doc.doc_id, ())
    if len(units) < 2:
        return best_fact(intent, doc)
    parts = [best_fact(intent, doc, budget_unit=u) for u in units]
    return combine("sum", parts) if all(parts) else None


def share_texts(question: str) -> tuple[str, str]:
    """Given a share question, return the words naming the part and the whole.

    '项目支出占本级预算的比重' → ('项目支出', '本级预算'); '全部项目支出中，大数据中心占了多大比例' →
    ('大数据中心', '全部项目支出')."""
    if "占" not in question:
        return "", ""
    left, right = question.split("占", 1)
    if "中" in left and re.search(r"中[，,]", left):
        whole, part = re.split(r"中[，,]", left, maxsplit=1)
        return part, whole
    whole = re.split(r"的?(比重|比例|百分之|多少|几)", right)[0] if not right.startswith("比") else ""
    if not whole and "中" in left:  # '政府采购中服务类项目占比' → ('政府采购中服务类项目', '政府采购')
        whole = left.split("中", 1)[0]
    return left, whole


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


# ------------------------------------------------------------------ wording and citing


def fact_citation(n: int, fact: Fact) -> Citation:
    """Given a fact and its number in the answer, return its citation."""
    if fact.kind == "text":  # a sentence of the text part, or of a table's prose row (table_kind set)
        return Citation(n=n, doc_id=fact.doc_id, page=fact.page, section_path=list(fact.section_path),
                        table_kind=fact.table_kind, table_label=fact.table_label, table_name=fact.table_name,
                        quote=fact.sentence or "", fact_id=fact.id)
    column = "/".join(fact.column_path)
    row = f"{fact.row_code} {fact.row_name}" if fact.row_code else fact.row_name
    return Citation(n=n, doc_id=fact.doc_id, page=fact.page, table_kind=fact.table_kind, table_label=fact.table_label,
                    table_name=fact.table_name,
                    budget_unit=fact.budget_unit, row=row, column=column,
                    quote=f"{row} | {column} | {fact.printed or f'{fact.value:,}'}", fact_id=fact.id)


def passage_citation(n: int, passage: Passage, quote: str) -> Citation:
    return Citation(n=n, doc_id=passage.doc_id, page=int(passage.pages.split("-")[0]) if passage.pages else None,
                    section_path=passage.where.split(" / ") if passage.where else [], quote=quote)


def discrepancies_for(found: Found, ctx: Context, citations: list[Citation]) -> list[Discrepancy]:
    """Given the found figure, return the places that disagree with it, each cited (citations grow)."""
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
                      status="已核实" if found.confirmed else "未核实", citations=[1])]
    for other in others[:2]:
        citations.append(fact_citation(len(citations) + 1, other))
        figures.append(Figure(text=shown_amount(other.value, other.unit), value=other.value, unit=other.unit,
                              status="文表不一致", citations=[len(citations)]))
    return [Discrepancy(subject=found.label, figures=figures)]


def answer_extractively(question: str, intent: Intent, scope: Scope, found: Found | None, passages: list[Passage],
                        ctx: Context) -> Answer:
    """Given the found figure (or none) and passages, return an answer composed without a language model."""
    if found is None:
        return narrative_answer(question, intent, scope, passages, ctx)
    worded = word_answer(found, intent.operation, lambda doc_id, unit: organisation_of(doc_id, unit, ctx))
    citations = [fact_citation(i, fact) for i, fact in enumerate(worded.cited, start=1)]
    text = worded.text
    discrepancies = discrepancies_for(found, ctx, citations)
    for discrepancy in discrepancies:
        text += discrepancy_note([f"{f.text}[{f.citations[0]}]" for f in discrepancy.figures[1:]])
    if asks_consistency(intent.normalized):  # '…一致吗？', '…对得上吗？': what the document's own checks found
        text += findings_note(found_findings(found, ctx), citations, ctx)
    answer = finish(question, text, found, citations, discrepancies, passages, "extractive")
    answer.compared = worded.compared
    return answer


def found_findings(found: Found, ctx: Context) -> list[CheckResult]:
    """Given the found figure, return the failed consistency checks of its document that its facts (or its
    parts') are part of, each once."""
    facts = [f for part in [found, *found.parts, *found.others] for f in part.facts]
    results = [r for fact in facts for r in ctx.findings.get(fact.id, [])]
    return list({id(r): r for r in results}.values())


def findings_note(results: list[CheckResult], citations: list[Citation], ctx: Context) -> str:
    """Given the checks found to fail, return them in words with both sides' figures cited (citations grow);
    or that none touches the figure."""
    if not results:
        return no_finding_note()
    notes = []
    for result in results[:MAX_FINDINGS]:
        figures = []
        for fact_id in list(dict.fromkeys(result.left.fact_ids + result.right.fact_ids))[:MAX_FINDING_FIGURES]:
            fact = ctx.store.fact(fact_id)
            if fact is not None:
                citations.append(fact_citation(len(citations) + 1, fact))
                figures.append(f"{shown_amount(fact.value, fact.unit)}[{len(citations)}]")
        notes.append(finding_sentence(finding_text(result), figures))
    return "".join(notes)


MAX_FINDINGS = 2
MAX_FINDING_FIGURES = 4


def organisation_of(doc_id: str, budget_unit: str | None, ctx: Context) -> tuple[int | None, str]:
    """Given a document and the 预算单位 a figure is of, return the year and the organisation, for the answer's
    words: the unit where it is not the department itself."""
    record = next(r for r in ctx.records if r.doc_id == doc_id)
    own = budget_unit is None or normalize(budget_unit) == normalize(record.department or "")
    return record.year, (record.department or record.doc_id) if own else budget_unit


def narrative_answer(question: str, intent: Intent, scope: Scope, passages: list[Passage], ctx: Context) -> Answer:
    """Given passages, return the section text that answers the question (qa.narrative), cited;
    refuse if nothing fits."""
    quote = None if intent.wants_number and intent.operation != "narrative" else narrative_quote(
        intent, passages, ctx.store, {r.doc_id: r.department or "" for r in ctx.records})
    if quote is None:
        searched = "；".join(e.label() for e in ctx.catalogue if e.doc_id in scope.doc_ids[:8])
        return refusal(question, f"{NOT_FOUND}相关数字（已查：{searched}）。",
                       "the documents in scope do not state this figure", engine="extractive", passages=passages)
    return finish(question, f"{quote.text}[1]", None, [quote.citation], [], quote.passages, "extractive")


def finish(question: str, text: str, found: Found | None, citations: list[Citation],
           discrepancies: list[Discrepancy], passages: list[Passage], engine: str,
           passage_facts: list[tuple[int, Fact]] = ()) -> Answer:
    """Given the worded answer and what it rests on (cited facts, and the facts inside cited passages),
    return the Answer with every figure verified."""
    cited = [(c.n, fact) for c in citations if c.fact_id for fact in [facts_cache(c.fact_id)] if fact]
    cited += list(passage_facts)
    computed = [Computed(f.value, f.unit, f.formula, tuple(c.n for c in citations), f.confirmed)
                for f in ([found, *found.parts, *found.others] if found else []) if f.formula]
    figures = verify_figures(text, cited, computed, found.confirmed_ids() if found else set())
    disputed = {n for d in discrepancies for f in d.figures if f.status == "文表不一致" for n in f.citations}
    for figure in figures:
        if figure.status == "已核实" and set(figure.citations) <= disputed:
            figure.status = "文表不一致"  # a place that disagrees with the asked figure: shown, not endorsed
    return Answer(question=question, text=text, value=found.value if found else None, unit=found.unit if found else None,
                  figures=figures, citations=citations, discrepancies=discrepancies, passages=passages, engine=engine)


def facts_cache(fact_id: str) -> Fact | None:
    return fact_store().fact(fact_id)


def answer_with_model(question: str, intent: Intent, scope: Scope, found: Found | None, passages: list[Passage],
                      ctx: Context, engine: str) -> Answer:
    """Given the found figure and passages, ask the language model, then verify and correct its answer."""
    citations = [fact_citation(i, fact) for i, fact in enumerate(found.facts, start=1)] if found else []
    fact_lines = [f"[{c.n}] {c.label()}：{c.quote}" for c in citations]
    if found and found.formula:
        fact_lines.append(f"计算结果：{found.label} = {shown_amount(found.value, found.unit)}（{found.formula}）")
    for passage in passages[:5]:
        citations.append(passage_citation(len(citations) + 1, passage, passage.text[:200]))
    passage_lines = [f"[{c.n}] {c.label()}\n{p.text}" for c, p in zip(citations[len(citations) - len(passages[:5]):], passages[:5])]
    try:
        text = generate(engine, build_prompt(question, fact_lines, passage_lines)).strip()
    except BudgetQAError:
        raise
    except Exception as error:
        status = getattr(error, "status_code", None)
        cause = f"HTTP {status}" if status else type(error).__name__
        raise BudgetQAError(f"语言模型调用失败（{cause}，{settings.llm_base_url}）",
                            f"the language model call failed ({cause} at {settings.llm_base_url})") from error
    if NOT_FOUND in text and found is not None:
        return answer_extractively(question, intent, scope, found, passages, ctx)  # the lookup did find it
    # A passage vouches for a model's figure only through its table cells and the text figures a
    # text-vs-table check confirmed: a sentence slipped into a document vouches for nothing.
    in_passages = [(c.n, fact) for c, p in zip(citations[len(citations) - len(passages[:5]):], passages[:5])
                   for fact in ctx.retriever.facts_of_chunk(p.chunk_id, ctx.store)
                   if fact.kind == "cell" or fact.id in ctx.agreements]
    answer = finish(question, text, found, citations, discrepancies_for(found, ctx, citations) if found else [],
                    passages, engine, in_passages)
    if found is None:
        if NOT_FOUND in text or (intent.wants_number and not any(f.status in ("已核实", "计算") for f in answer.figures)):
            return Answer(question=question, text=text if NOT_FOUND in text else f"{NOT_FOUND}可核实的数字。",
                          refused=True, reason="模型未给出可核实的数字 / the model gave no verifiable figure",
                          figures=answer.figures, passages=passages, engine=engine)
        return answer
    if not any(f.status in ("已核实", "计算") and same_amount(f.value, f.unit, found.value, found.unit) for f in answer.figures):
        correction = f"\n（核对：据文档，{found.label}为 {shown_amount(found.value, found.unit)}[1]"
        wrong = [f.text for f in answer.figures if f.status == "未核实"]
        correction += f"；上文中的 {'、'.join(wrong)} 未能核实。）" if wrong else "。）"
        answer = finish(question, text + correction, found, citations, answer.discrepancies, passages, engine, in_passages)
    return answer
