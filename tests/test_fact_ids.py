"""Nothing lost, nothing collides: every fact of a document has an id of its own, by construction (its document
and its place in reading order), whatever the producer of the PDF; indexing every real disclosure stores every
fact, and indexing them again changes nothing.

The files: the nine real disclosures of data/real/ as published (one of them made two facts share an id before),
the sample set drawn as PDFs (reportlab) and printed by a browser (Chromium, when installed).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from index.facts.structure import document_to_structure
from index.reading.load import load

ROOT = Path(__file__).resolve().parents[1]
REAL = sorted((ROOT / "data" / "real").glob("*.pdf"))


def duplicate_ids(path: Path) -> list[str]:
    ids = Counter(fact.id for fact in document_to_structure(load(path)).facts)
    return [fact_id for fact_id, count in ids.items() if count > 1]


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_disclosure_facts_have_ids_of_their_own(path):
    assert duplicate_ids(path) == []
    again = [fact.id for fact in document_to_structure(load(path)).facts]
    assert again == [fact.id for fact in document_to_structure(load(path)).facts]  # the same file, the same ids


def test_sample_pdfs_of_both_producers_have_ids_of_their_own(rendered_pdfs, tmp_path):
    from corpus.render_html import CHROMIUM, print_corpus

    printed = print_corpus(ROOT / "data", tmp_path) if CHROMIUM.exists() else []
    for path in [*rendered_pdfs.values(), *printed]:
        assert duplicate_ids(path) == [], path.name


@pytest.mark.slow
def test_every_real_disclosure_indexes_whole_and_again_unchanged(tmp_path, monkeypatch):
    from common.settings import settings
    from index.indexer import fact_store, index_paths

    monkeypatch.setattr(settings, "index_dir", tmp_path)
    report = index_paths(REAL, progress=False)
    assert not report.failures, report.failures
    assert sorted(t.doc_id for t in report.indexed) == [p.stem for p in REAL]
    store = fact_store()
    for timing in report.indexed:
        stored = store.facts(doc_id=timing.doc_id)
        assert len(stored) == timing.facts == len({fact.id for fact in stored}), timing.doc_id
    again = index_paths(REAL, progress=False)
    assert sorted(again.skipped) == [p.stem for p in REAL] and not again.indexed and not again.failures
    assert {t.doc_id: len(store.facts(doc_id=t.doc_id)) for t in report.indexed} == \
        {t.doc_id: t.facts for t in report.indexed}
