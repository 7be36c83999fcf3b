"""Shared fixtures: the sample corpus rendered to PDF once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="session")
def rendered_pdfs(tmp_path_factory) -> dict[str, Path]:
    """Given the sample .txt disclosures, return {stem: path} of their PDFs rendered into a temp folder."""
    from index.render import render_corpus

    out = tmp_path_factory.mktemp("pdf")
    return {path.stem: path for path in render_corpus(DATA, out)}
