"""Embedding during indexing: the vector cache, the fast precision, and parsing one file ahead."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


def test_known_texts_need_no_model(monkeypatch):
    """Texts embedded before in the process come from the cache, without loading the model."""
    import index.store.embed
    import index.indexer as indexer

    monkeypatch.setattr(indexer, "_EMBEDDED", {indexer.embedding_key("甲"): [1.0], indexer.embedding_key("乙"): [2.0]})

    def no_model():
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(index.store.embed, "embedding_model", no_model)
    assert indexer.embed_texts(["乙", "甲", "乙"]) == [[2.0], [1.0], [2.0]]


@pytest.mark.slow
def test_fast_precision_keeps_the_vectors():
    """Vectors embedded in the fast precision are the float32 ones to within cosine 0.9999."""
    import numpy as np

    from index.store.embed import embedding_model, fast_precision

    model = embedding_model()
    texts = ["宝安区政务服务数据管理局2023年津贴补贴预算是多少？",
             DATA.joinpath("baoan-2023.txt").read_text(encoding="utf-8")[:600]]
    exact = np.array(model.get_text_embedding_batch(texts))
    with fast_precision():
        fast = np.array(model.get_text_embedding_batch(texts))
    assert (exact * fast).sum(axis=1).min() > 0.9999


def test_files_are_parsed_ahead_in_order_and_errors_stay_with_their_file(tmp_path, monkeypatch):
    """parses_ahead yields every file in order, the next one's parse started before this one is
    handed out; a file the index holds is None; a file that cannot be checked carries its error."""
    from concurrent.futures import ThreadPoolExecutor

    import index.indexer as indexer
    from common.errors import LoadError

    files = [tmp_path / name for name in ("a.txt", "b.txt", "missing.txt", "c.txt")]
    for path in files:
        if path.stem != "missing":
            shutil.copy(DATA / "baoan-2023.txt", path)
    checked: list[str] = []

    def version(path, store):
        checked.append(path.stem)
        if not path.exists():
            raise LoadError(path, "文件不存在", "file not found")
        return None if path.stem == "b" else "0" * 64

    monkeypatch.setattr(indexer, "version_to_index", version)
    seen = []
    with ThreadPoolExecutor(max_workers=1) as parser:
        for path, parsing in indexer.parses_ahead(files, None, parser, []):
            seen.append(path.stem)
            assert checked == [f.stem for f in files][:len(seen) + 1]  # the next file is already under way
            if path.stem == "b":
                assert parsing is None
            elif path.stem == "missing":
                with pytest.raises(LoadError):
                    parsing.result()
            else:
                assert parsing.result().doc.id == path.stem and parsing.result().sha == "0" * 64
    assert seen == ["a", "b", "missing", "c"]
