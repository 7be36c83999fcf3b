"""Hybrid retrieval: dense vectors from Chroma (through llama-index) plus BM25 over jieba tokens,
fused by reciprocal rank, limited to the documents a question is about.

Only chunks of the document versions recorded in the fact store are used, so vectors left
behind by an interrupted indexing run are never returned.
"""
from __future__ import annotations

import re
import threading
from functools import cache

from index.model import Chunk
from index.store.facts import FactStore
from qa.answer.model import Passage

RRF_K = 60
_PUNCTUATION = re.compile(r"^[\s\W_]+$")


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    return jieba


def tokenize(text: str) -> list[str]:
    """Given Chinese text, return its search tokens (jieba's search mode, punctuation dropped)."""
    return [t for t in _jieba().lcut_for_search(text.lower()) if not _PUNCTUATION.match(t)]


class HybridRetriever:
    """Retrieves chunks for a question; rebuilds its BM25 index when the fact store changes."""

    def __init__(self, store: FactStore):
        self.store = store
        self._lock = threading.Lock()
        self._versions: tuple = ()
        self._chunks: list[Chunk] = []
        self._bm25 = None
        self._index = None

    def refresh(self) -> None:
        """Rebuild the BM25 side if documents were added, changed or removed since the last call."""
        versions = tuple((d.doc_id, d.sha256) for d in self.store.documents())
        with self._lock:
            if versions == self._versions:
                return
            import bm25s

            chunks = self.store.chunks()
            bm25 = bm25s.BM25()
            if chunks:
                bm25.index([tokenize(c.text) for c in chunks], show_progress=False)
            self._chunks, self._bm25, self._versions = chunks, bm25, versions

    def retrieve(self, question: str, doc_ids: list[str] | None = None, k: int = 10) -> list[Passage]:
        """Given a question (and the documents it may be answered from), return the k best chunks."""
        self.refresh()
        if not self._chunks:
            return []
        allowed = set(doc_ids) if doc_ids is not None else {d for d, _ in self._versions}
        ranked_lists = [self.dense_ranking(question, allowed, 3 * k), self.bm25_ranking(question, allowed, 3 * k)]
        fused = reciprocal_rank_fusion(ranked_lists)[:k]
        by_id = {c.id: c for c in self._chunks}
        return [chunk_to_passage(by_id[chunk_id], score) for chunk_id, score in fused if chunk_id in by_id]

    def chunks_with_facts(self, fact_ids: set[str]) -> list[Chunk]:
        """Given fact ids, return the current chunks that contain any of them, in document order."""
        self.refresh()
        return [c for c in self._chunks if fact_ids.intersection(c.fact_ids)]

    def facts_of_chunk(self, chunk_id: str, store: FactStore) -> list:
        """Given a chunk id, return the facts it contains (so figures quoted from it can be verified)."""
        chunk = next((c for c in self._chunks if c.id == chunk_id), None)
        return [fact for fact_id in (chunk.fact_ids if chunk else []) if (fact := store.fact(fact_id))]

    def bm25_ranking(self, question: str, allowed: set[str], n: int) -> list[str]:
        """Given a question, return ids of the best-scoring chunks by BM25 among allowed documents."""
        tokens = tokenize(question)
        if not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        order = sorted((i for i, c in enumerate(self._chunks) if c.doc_id in allowed and scores[i] > 0),
                       key=lambda i: -scores[i])
        return [self._chunks[i].id for i in order[:n]]

    def dense_ranking(self, question: str, allowed: set[str], n: int) -> list[str]:
        """Given a question, return ids of the nearest chunks by embedding among allowed document versions."""
        from llama_index.core import VectorStoreIndex
        from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters

        from index.store.embed import embedding_model
        from index.store.vectors import vector_store

        shas = [sha for doc_id, sha in self._versions if doc_id in allowed]
        if not shas:
            return []
        filters = MetadataFilters(filters=[MetadataFilter(key="doc_sha", value=shas, operator=FilterOperator.IN)])
        if self._index is None:
            self._index = VectorStoreIndex.from_vector_store(vector_store(), embed_model=embedding_model())
        nodes = self._index.as_retriever(similarity_top_k=n, filters=filters).retrieve(question)
        return [node.node.node_id for node in nodes]


def reciprocal_rank_fusion(rankings: list[list[str]]) -> list[tuple[str, float]]:
    """Given several rankings of ids, return the ids ordered by the sum of 1/(k + rank) over rankings."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def chunk_to_passage(chunk: Chunk, score: float) -> Passage:
    pages = f"{chunk.first_page}" if chunk.first_page == chunk.last_page else f"{chunk.first_page}-{chunk.last_page}"
    return Passage(chunk_id=chunk.id, doc_id=chunk.doc_id, text=chunk.text, score=score, pages=pages, where=chunk.where)
