"""The naive baseline every report is compared with: llama-index's default SentenceSplitter over the
plain document text, the same embedding model, dense top-k only, and the first figure of the best
passage as its answer. No tables, no lookups, no verification.
"""
from __future__ import annotations

import threading
import time

from index.indexer import fact_store
from index.reading.load import load
from common.numbers import find_quantities
from qa.answer.model import Answer, Citation, Passage
from common.settings import settings

NAIVE_COLLECTION_SUFFIX = "_naive"
_lock = threading.Lock()
_index_for: dict[tuple, object] = {}


def naive_index():
    """Return the naive VectorStoreIndex over the indexed documents, built on first use."""
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from index.store.embed import embedding_model
    from index.store.vectors import chroma_collection

    records = fact_store().documents()
    versions = tuple((r.doc_id, r.sha256) for r in records)
    with _lock:
        if versions not in _index_for:
            name = settings.collection + NAIVE_COLLECTION_SUFFIX
            collection = chroma_collection(str(settings.index_dir / "chroma"), settings.chroma_url, name)
            store = ChromaVectorStore(chroma_collection=collection)
            built = {m["doc_sha"] for m in collection.get(include=["metadatas"])["metadatas"]}
            missing = [r for r in records if r.sha256 not in built]
            docs = [Document(text=load(r.source).text, metadata={"doc_id": r.doc_id, "doc_sha": r.sha256}) for r in missing]
            index = VectorStoreIndex.from_vector_store(store, embed_model=embedding_model())
            if docs:
                nodes = SentenceSplitter().get_nodes_from_documents(docs)
                for node in nodes:
                    node.excluded_embed_metadata_keys = ["doc_id", "doc_sha"]
                index.insert_nodes(nodes)
            _index_for[versions] = index
        return _index_for[versions]


def naive_query(question: str, k: int = 10) -> Answer:
    """Given a question, return the baseline's answer: its best passage and that passage's first figure."""
    started = time.perf_counter()
    nodes = naive_index().as_retriever(similarity_top_k=k).retrieve(question)
    passages = [Passage(chunk_id=n.node.node_id, doc_id=n.node.metadata["doc_id"], text=n.node.get_content(),
                        score=n.score or 0.0) for n in nodes]
    if not passages:
        return Answer(question=question, text="文档中未找到相关信息。", refused=True, engine="naive")
    best = passages[0]
    quantities = [q for q in find_quantities(best.text) if q.unit]
    figure = quantities[0] if quantities else None
    return Answer(question=question, text=best.text[:300], value=figure.value if figure else None,
                  unit=figure.unit if figure else None, engine="naive", passages=passages,
                  citations=[Citation(n=1, doc_id=best.doc_id, quote=best.text[:200])],
                  timing_ms={"total": (time.perf_counter() - started) * 1000})
