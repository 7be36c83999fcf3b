"""Shared fixtures: the sample corpus rendered to PDF once per test session; an engine over an index of chosen files."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="session")
def rendered_pdfs(tmp_path_factory) -> dict[str, Path]:
    """Given the sample .txt disclosures, return {stem: path} of their PDFs rendered into a temp folder."""
    from corpus.render import render_corpus

    out = tmp_path_factory.mktemp("pdf")
    return {path.stem: path for path in render_corpus(DATA, out)}


@contextmanager
def engine_over(folder: Path, files: list[Path]) -> Iterator:
    """Given an empty folder and files, index the files there and yield qa.engine answering from that index
    (the settings and the engine's cached context are put back afterwards)."""
    import qa.engine
    import qa.execute.context
    from common.settings import settings
    from index.indexer import index_paths

    patch = pytest.MonkeyPatch()
    patch.setattr(settings, "index_dir", folder)
    patch.setattr(qa.execute.context, "_context", None)
    try:
        report = index_paths(files, progress=False)
        assert len(report.indexed) == len(files) and not report.failures, report
        yield qa.engine
    finally:
        patch.undo()
