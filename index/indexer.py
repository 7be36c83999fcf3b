"""Files → index: load, structure, chunk, embed, write; unchanged files skipped by content hash.

A document's version hash covers its bytes and the indexing code and model (pipeline_fingerprint).
Files are parsed one ahead in a second thread, so a PDF is read while the previous document is
embedded; they are written in order, one at a time.

Crash safety: a document's new chunks are written to Chroma under ids that carry its content
hash, then its record, facts and chunk list replace the old ones in one SQLite transaction, and
only then are the old version's vectors deleted. Retrieval only trusts vectors whose hash the
SQLite record names, so a run killed at any point leaves the previous index answering as before,
and a re-run finishes the job.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from datetime import datetime, timezone
from pathlib import Path

from tqdm import tqdm

from index.checks.model import CheckResult
from index.checks.run import structure_to_checks
from index.store.chunks import structure_to_chunks
from index.checks.inventory import Inventory, document_to_inventory
from common.errors import LoadError
from index.reading.identity import Known, complete_identity
from index.reading.load import expand_paths, load, read_file
from index.model import Document, DocumentMeta
from index.store.facts import PATH_SEPARATOR, DocumentRecord, FactStore
from index.facts.structure import Structure, document_to_structure
from common.settings import settings


@dataclass
class DocumentTiming:
    doc_id: str
    path: Path
    sha: str
    pages: int
    chunks: int
    facts: int
    seconds: dict[str, float] = field(default_factory=dict)  # parse, chunk, embed, write
    meta: DocumentMeta | None = None
    inventory: Inventory | None = None


@dataclass
class IndexReport:
    indexed: list[DocumentTiming] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    failures: list[LoadError] = field(default_factory=list)


def fact_store() -> FactStore:
    return FactStore(settings.index_dir / "facts.sqlite")


# Told of each stage of a file's indexing as it starts: (file, stage), stage one of STAGES.
StageListener = Callable[[Path, str], None]
STAGES = ("reading", "tables", "embedding", "writing")


def index_paths(paths: list[Path | str], prune: bool = False, progress: bool = True,
                on_stage: StageListener | None = None) -> IndexReport:
    """Given files and folders, bring the index up to date with them and return what was done (``on_stage`` is
    told as each file enters each of STAGES, for a progress display)."""
    from index.store import vectors

    store = fact_store()
    report = IndexReport()
    files = expand_paths(paths)
    known: Known = [(Path(record.source), record.meta) for record in store.documents()]
    bar = tqdm(total=len(files), desc="索引 indexing", unit="doc", disable=not progress)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="parse") as parser:
        for path, parsing in parses_ahead(files, store, parser, known, on_stage):
            bar.set_postfix_str(path.name)
            try:
                timing = None if parsing is None else index_parsed(path, parsing.result(), store,
                                                                   bar if progress else None, on_stage)
            except LoadError as error:
                report.failures.append(error)
                continue
            except Exception as error:  # a bug or a store error on one file never stops the others
                logging.getLogger(__name__).exception("indexing %s failed", path)
                report.failures.append(LoadError(path, f"索引时出错（{type(error).__name__}: {error}）",
                                                 f"indexing failed ({type(error).__name__}: {error})"))
                continue
            finally:
                bar.update()
            if timing is None:
                report.skipped.append(path.stem)
            else:
                report.indexed.append(timing)
    bar.close()
    for timing in list(report.indexed):  # a file read before its partner: its identity is complete only now
        meta = timing.meta
        if meta and not (meta.year and meta.department) and complete_identity(meta, timing.path, known) != meta:
            report.indexed.remove(timing)
            report.indexed.append(index_parsed(timing.path, parse(timing.path, timing.sha, known, on_stage), store,
                                               None, on_stage))
    if prune:
        present = {path.stem for path in files}
        for record in store.documents():
            if record.doc_id not in present:
                # Vectors first: killed in between, the record is still there for the next --prune to finish.
                vectors.delete_chunks(record.doc_id)
                store.drop_document(record.doc_id)
                report.pruned.append(record.doc_id)
    return report


@dataclass
class Parsed:
    sha: str
    doc: Document
    structure: Structure
    checks: list[CheckResult]
    inventory: Inventory
    seconds: float


def parses_ahead(files: list[Path], store: FactStore, parser: ThreadPoolExecutor, known: Known,
                 on_stage: StageListener | None = None):
    """Given files, yield each with the future of its parse, or None when the index holds its exact
    version; the next file's parse is already running in ``parser`` while the caller embeds and
    writes this one (parsing is Python, embedding mostly torch, which releases the GIL)."""
    waiting: deque[tuple[Path, Future | None]] = deque()
    for path in files:
        waiting.append((path, start_parse(path, store, parser, known, on_stage)))
        if len(waiting) > 1:
            yield waiting.popleft()
    yield from waiting


def start_parse(path: Path, store: FactStore, parser: ThreadPoolExecutor, known: Known,
                on_stage: StageListener | None = None) -> Future | None:
    """Given one file, return None when the index already holds this exact version, else the future
    of its Parsed (holding the error, if checking the file failed)."""
    try:
        sha = version_to_index(path, store)
    except Exception as error:  # raised when the file's turn comes, as its parse's errors are
        failed = Future()
        failed.set_exception(error)
        return failed
    return None if sha is None else parser.submit(parse, path, sha, known, on_stage)


def version_to_index(path: Path, store: FactStore) -> str | None:
    """Given one file, return its version hash, or None when the index already holds that version."""
    from index.store import vectors

    if not path.is_file():
        raise LoadError(path, "文件不存在", "file not found")
    sha = hashlib.sha256(read_file(path) + pipeline_fingerprint().encode()).hexdigest()
    known = store.document(path.stem)
    if known and known.sha256 == sha and vectors.count_chunks(path.stem, sha) == len(store.chunks([path.stem])):
        vectors.delete_chunks(path.stem, keep_sha=sha)  # left behind by a run killed before its last step
        return None
    return sha


def parse(path: Path, sha: str, known: Known, on_stage: StageListener | None = None) -> Parsed:
    """Given one file, its version hash and the files known so far (whose list it joins), return its document,
    structure, consistency checks and inventory, and the seconds taken. A file that prints no year or department
    takes its partner's (a disclosure published as text and tables apart)."""
    started = time.perf_counter()
    tell(on_stage, path, "reading")
    doc = load(path)
    doc.meta = complete_identity(doc.meta, path, known)
    known.append((path, doc.meta))
    tell(on_stage, path, "tables")
    structure = document_to_structure(doc)
    return Parsed(sha, doc, structure, structure_to_checks(structure), document_to_inventory(doc, structure.tables),
                  time.perf_counter() - started)


def tell(on_stage: StageListener | None, path: Path, stage: str) -> None:
    if on_stage is not None:
        on_stage(path, stage)


def index_parsed(path: Path, parsed: Parsed, store: FactStore, bar: tqdm | None = None,
                 on_stage: StageListener | None = None) -> DocumentTiming:
    """Given one parsed file, chunk, embed and write it; return its timings."""
    from index.store import vectors

    doc, structure, sha = parsed.doc, parsed.structure, parsed.sha
    seconds: dict[str, float] = {"parse": parsed.seconds}

    def stage(name: str, started: float) -> float:
        seconds[name] = time.perf_counter() - started
        if bar is not None:
            bar.set_postfix_str(f"{path.name}: {name} {seconds[name]:.1f}s")
        return time.perf_counter()

    started = time.perf_counter()
    chunks = structure_to_chunks(structure, sha)
    started = stage("chunk", started)
    tell(on_stage, path, "embedding")
    embeddings = embed_texts([chunk.embed_text or chunk.text for chunk in chunks], progress=bar is not None)
    started = stage("embed", started)
    tell(on_stage, path, "writing")
    meta = {"region": PATH_SEPARATOR.join(doc.meta.region), "year": doc.meta.year, "department": doc.meta.department,
            "disclosure": doc.meta.kind}
    vectors.add_chunks(chunks, sha, meta, embeddings)
    store.replace_document(document_to_record(doc.id, path, doc.kind, sha, doc.meta, len(doc.pages)), structure.facts,
                           chunks, parsed.checks, parsed.inventory)
    vectors.delete_chunks(doc.id, keep_sha=sha)
    stage("write", started)
    return DocumentTiming(doc.id, path, sha, len(doc.pages), len(chunks), len(structure.facts), seconds, doc.meta,
                          parsed.inventory)


@cache
def pipeline_fingerprint() -> str:
    """Return a hash of the code and model that turn files into the index, so that a document is
    re-indexed when they change, not only when its own content does."""
    digest = hashlib.sha256(f"{settings.embedding_model()}|{settings.embed_max_tokens}".encode())
    folders = (Path(__file__).parent, Path(__file__).parents[1] / "common")
    for source in sorted(path for folder in folders for path in folder.rglob("*") if path.suffix in (".py", ".yaml", ".tsv")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


# Vectors of the texts embedded in this process, by model and text: a disclosure and its PDF give
# near-identical chunks, and re-indexing a changed file repeats most of its chunks.
_EMBEDDED: dict[str, list[float]] = {}


def embed_texts(texts: list[str], progress: bool = False) -> list[list[float]]:
    """Given texts, return their embeddings from the configured model.

    A text embedded before in this process is not embedded again (and with nothing new the model
    is not loaded).  New texts go in batches of similar length (shortest first), so a batch is
    padded only as far as it needs, in the CPU's fast precision (index.store.embed.fast_precision); the
    vectors come back in the order of ``texts``.
    """
    from index.store.embed import embedding_model, fast_precision

    batch = settings.embed_batch_size
    keys = [embedding_key(text) for text in texts]
    new = list({key: text for key, text in zip(keys, texts) if key not in _EMBEDDED}.items())
    new.sort(key=lambda item: len(item[1]))
    model = embedding_model() if new else None  # all known: the model is not even loaded
    for start in tqdm(range(0, len(new), batch), desc="嵌入 embedding", unit="batch", leave=False, disable=not progress):
        part = new[start:start + batch]
        with fast_precision():
            vectors = model.get_text_embedding_batch([text for _, text in part])
        for (key, _), vector in zip(part, vectors):
            _EMBEDDED[key] = vector
    return [_EMBEDDED[key] for key in keys]


def embedding_key(text: str) -> str:
    """Given a text, return the key its vector is kept under: the model, its token limit and the text."""
    return hashlib.sha256(f"{settings.embedding_model()}|{settings.embed_max_tokens}|{text}".encode()).hexdigest()


def document_to_record(doc_id, path: Path, kind: str, sha: str, meta, pages: int) -> DocumentRecord:
    return DocumentRecord(doc_id, str(path), kind, sha, meta.title, PATH_SEPARATOR.join(meta.region) or None, meta.year,
                          meta.department, meta.kind, pages, datetime.now(timezone.utc).isoformat(timespec="seconds"),
                          meta.parent)
