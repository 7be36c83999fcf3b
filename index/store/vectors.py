"""Chunk embeddings in Chroma, through llama-index's ChromaVectorStore.

Embedded (PersistentClient in the index folder) by default; a `chroma run` server when
QA_CHROMA_URL is set. Chroma never embeds anything itself: every vector comes from our model.
"""
from __future__ import annotations

from functools import cache
from urllib.parse import urlparse

from index.model import Chunk
from common.settings import settings


@cache
def chroma_collection(index_dir: str, chroma_url: str, name: str):
    """Given where the index lives, return the Chroma collection of chunks (created if missing)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url)
        client = chromadb.HttpClient(host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https",
                                     settings=chroma_settings)
    else:
        client = chromadb.PersistentClient(path=str(index_dir), settings=chroma_settings)
    return client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"}, embedding_function=None)


def vector_store():
    """Return the llama-index vector store over the configured Chroma collection."""
    from llama_index.vector_stores.chroma import ChromaVectorStore

    collection = chroma_collection(str(settings.index_dir / "chroma"), settings.chroma_url, settings.collection)
    return ChromaVectorStore(chroma_collection=collection)


def chunk_to_node(chunk: Chunk, sha: str, meta: dict, embedding: list[float]):
    """Given a chunk and its vector, return the llama-index node stored for it (metadata flat for Chroma)."""
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    metadata = {
        "doc_id": chunk.doc_id, "doc_sha": sha, "kind": chunk.kind, "where": chunk.where,
        "first_page": chunk.first_page, "last_page": chunk.last_page,
        "table_kind": chunk.table_kind or "",
        "fact_ids": ",".join(chunk.fact_ids), **{k: v for k, v in meta.items() if v is not None},
    }
    # llama-index writes the node's source document id over the flat "doc_id" (and "document_id",
    # "ref_doc_id") metadata when it stores a node, so the source must be our document id, or every
    # vector is stored with doc_id "None" and can no longer be counted or deleted by document.
    return TextNode(id_=chunk.id, text=chunk.text, metadata=metadata, embedding=embedding,
                    relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=chunk.doc_id)},
                    excluded_embed_metadata_keys=list(metadata), excluded_llm_metadata_keys=list(metadata))


def add_chunks(chunks: list[Chunk], sha: str, meta: dict, embeddings: list[list[float]]) -> None:
    """Given a document's chunks and their vectors, write them (upsert by chunk id)."""
    nodes = [chunk_to_node(c, sha, meta, e) for c, e in zip(chunks, embeddings)]
    if nodes:
        vector_store().add(nodes)


def delete_chunks(doc_id: str, keep_sha: str | None = None) -> None:
    """Given a document id, delete its chunks (all of them, or all but the version ``keep_sha``)."""
    collection = vector_store().client
    where = {"doc_id": doc_id} if keep_sha is None else {"$and": [{"doc_id": doc_id}, {"doc_sha": {"$ne": keep_sha}}]}
    collection.delete(where=where)
    # Vectors written before the fix in chunk_to_node carry doc_id "None"; find them by chunk id.
    legacy = collection.get(where={"doc_id": "None"}, include=[])["ids"]
    keep = f"{doc_id}:{keep_sha[:12]}:" if keep_sha else None
    stale = [i for i in legacy if i.startswith(f"{doc_id}:") and not (keep and i.startswith(keep))]
    if stale:
        collection.delete(ids=stale)


def count_chunks(doc_id: str, sha: str) -> int:
    """Given a document version, return how many of its chunks Chroma holds."""
    collection = vector_store().client
    return len(collection.get(where={"$and": [{"doc_id": doc_id}, {"doc_sha": sha}]}, include=[])["ids"])
