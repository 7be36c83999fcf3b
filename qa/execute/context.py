"""What answering needs from the index, built once per version of it: each document's facts (qa.execute.lookup
DocFacts), the catalogue of disclosures (who, where, when, their 预算单位 and row names), the consistency
findings stored with each document, and the retriever.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from index.checks.model import CheckResult
from index.facts.text import row_item
from index.indexer import fact_store
from index.store.facts import DocumentRecord, FactStore
from qa.execute.lookup import CHANGE_WORDS, DocFacts, doc_facts, figure_kinds, is_count
from qa.execute.retrieve import HybridRetriever
from qa.plan.analyze import analyze
from qa.plan.names import CatalogueEntry
from qa.plan.words import vocabulary


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


STATED_ITEM = re.compile(r"[\u4e00-\u9fff]{3,12}")  # a name: words only, not a clause
CLAUSE_PARTICLES: tuple[str, ...] = tuple(vocabulary()["lookup"]["clause_particles"])


def stated_items(docs: DocFacts) -> list[str]:
    """Given a document's facts, return the things its text only counts ('专任教师', '执法执勤用车'), which no
    table prints: the subjects of counts that are a name, not a change ('新增') nor a clause ('建立了紧密'), nor
    what it also gives an amount of ('在建工程'), so a question may name them as it names a table's rows."""
    amounts = {docs.subjects[f.id] for f in docs.facts if f.kind == "text" and not is_count(f.unit)}
    known = set(figure_kinds()["count"])  # words that ask a count of what they name ('退休人员多少')
    return [subject for fact in docs.facts if fact.kind == "text" and is_count(fact.unit)
            and STATED_ITEM.fullmatch(subject := docs.subjects[fact.id]) and subject not in amounts | known
            and not any(word in subject for word in CHANGE_WORDS + CLAUSE_PARTICLES)]


def build_context(store: FactStore, records: list[DocumentRecord], retriever: HybridRetriever) -> Context:
    """Given the store and its documents, return their facts, catalogue and consistency disagreements."""
    docs, catalogue, disagreements, agreements, findings = {}, [], {}, {}, {}
    for record in records:
        facts = store.facts(doc_id=record.doc_id)
        docs[record.doc_id] = doc_facts(record.doc_id, record.department, record.year, facts, record.meta.is_final)
        units = tuple(dict.fromkeys(f.budget_unit for f in facts if f.kind == "cell" and f.budget_unit))
        rows = tuple(dict.fromkeys([*(row_item(f.row_name) for f in facts if f.kind == "cell" and f.row_name),
                                    *stated_items(docs[record.doc_id])]))
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
