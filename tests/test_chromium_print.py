"""The five sample disclosures printed by Chromium (HTML with the Noto CJK fonts, index/render_html.py) read as
their text does. Such PDFs extract common characters as CJK radical code points (⽀ for 支, ⻰ for 龙, ⼾ for
户); the reader must give the same metadata, the same tables and the same facts as the text files.
"""
from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pdfplumber
import pytest

from index.reading.load import load
from corpus.render_html import CHROMIUM, print_corpus
from index.facts.structure import document_to_structure

from expected_corpus import DATA, EXPECTED_META, STEMS
from test_pdf import table_key

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"!!! CHROMIUM PRINT TEST SKIPPED: {CHROMIUM} is missing (make test installs it)")]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("chromium")
    return {path.stem: path for path in print_corpus(DATA, out)}


@cache
def structure_of(path: Path):
    return document_to_structure(load(path))


def cell_facts(structure) -> Counter:
    return Counter((f.table_kind, f.table_side, f.budget_unit, f.row_code, f.row_name, f.column_path, f.value, f.unit)
                   for f in structure.facts if f.kind == "cell")


def text_figures(structure) -> Counter:
    return Counter((f.value, f.unit) for f in structure.facts if f.kind == "text")


@pytest.mark.parametrize("stem", STEMS)
def test_printed_text_is_full_of_radicals(printed, stem):
    with pdfplumber.open(printed[stem]) as pdf:
        raw = "".join(page.extract_text() or "" for page in pdf.pages)
    assert sum(1 for ch in raw if 0x2E80 <= ord(ch) <= 0x2FDF) > 500  # what the reader has to undo
    assert not any(0x2E80 <= ord(ch) <= 0x2FDF for ch in load(printed[stem]).text)


@pytest.mark.parametrize("stem", STEMS)
def test_printed_metadata_is_the_texts(printed, stem):
    meta = load(printed[stem]).meta
    assert (meta.district, meta.year, meta.department) == EXPECTED_META[stem]
    assert meta.kind == "部门预算"


@pytest.mark.parametrize("stem", STEMS)
def test_printed_tables_are_the_texts(printed, stem):
    pdf, text = structure_of(printed[stem]), structure_of(DATA / f"{stem}.txt")
    assert [table_key(t) for t in pdf.tables] == [table_key(t) for t in text.tables]
    assert cell_facts(pdf) == cell_facts(text) and sum(cell_facts(text).values()) > 300


@pytest.mark.parametrize("stem", STEMS)
def test_printed_text_figures_are_the_texts(printed, stem):
    pdf, text = structure_of(printed[stem]), structure_of(DATA / f"{stem}.txt")
    assert text_figures(pdf) == text_figures(text)
