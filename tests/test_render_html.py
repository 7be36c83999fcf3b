"""The sample corpus written as HTML and printed by Chromium: the HTML holds every character of the
source, its tables are ruled grids with the reportlab renderer's merged cells, and a printed PDF's
pdfplumber tables have the grid shape of the source tables, its text CJK radical code points."""
from __future__ import annotations

import logging
import os
import re
import shutil
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest

from corpus.render import TableBlock, block_chunks, header_spans, text_to_blocks
from corpus.render_html import (
    CHROMIUM,
    GRID_FILL,
    PrintError,
    chunk_layouts,
    disclosure_html,
    html_to_pdf,
    print_corpus,
    print_disclosure,
    read_disclosure,
)

from expected_corpus import DATA, STEMS

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"!!! CHROMIUM PRINT TEST SKIPPED: {CHROMIUM} is missing — "
           "run `apt-get install -y chromium fonts-noto-cjk` to print the corpus with a browser !!!")


def is_radical(ch: str) -> bool:
    """Given a character, return whether it is a Kangxi radical or a CJK radical supplement code point."""
    return 0x2F00 <= ord(ch) <= 0x2FDF or 0x2E80 <= ord(ch) <= 0x2EFF


class PageText(HTMLParser):
    """Collects the text a browser shows of an HTML page (no <head>, <style> or <script>) and its grids."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.skip = 0
        self.tables: list[list[list[tuple[str, int, int]]]] = []  # table → row → (tag, colspan, rowspan)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("head", "style", "script"):
            self.skip += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.tables[-1][-1].append((tag, int(attrs.get("colspan", 1)), int(attrs.get("rowspan", 1))))

    def handle_endtag(self, tag):
        if tag in ("head", "style", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def parse_html(page_html: str) -> PageText:
    """Given an HTML page, return its parsed text and grids."""
    parser = PageText()
    parser.feed(page_html)
    parser.close()
    return parser


def non_space(text: str) -> Counter:
    """Given text, return the multiset of its non-whitespace characters."""
    return Counter(ch for ch in text if not ch.isspace())


def expected_grids(text: str) -> list[tuple[str, int, int, int]]:
    """Given a disclosure's text, return one (orientation, header rows, rows, columns) per printed table page."""
    grids = []
    for block in text_to_blocks(text):
        if isinstance(block, TableBlock):
            for chunk in block_chunks(block):
                for page in chunk_layouts(chunk, GRID_FILL):
                    grids.append((page.layout.orientation, len(chunk.header), len(chunk.header) + len(page.body),
                                  chunk.ncols))
    return grids


def occupancy(rows: list[list[tuple[str, int, int]]]) -> list[int]:
    """Given a table's rows of (tag, colspan, rowspan), return how many grid columns each row covers,
    counting cells that reach down from rows above; a position covered twice fails the test."""
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for _, colspan, rowspan in row:
            while (r, c) in taken:
                c += 1
            cover = {(rr, cc) for rr in range(r, r + rowspan) for cc in range(c, c + colspan)}
            assert not cover & taken, f"row {r}: a cell overlaps another"
            taken |= cover
            c += colspan
    return [sum(1 for rr, _ in taken if rr == r) for r in range(len(rows))]


@pytest.fixture(scope="module")
def html_pages() -> dict[str, str]:
    """Given the sample corpus, return {stem: HTML page}."""
    return {stem: disclosure_html(read_disclosure(DATA / f"{stem}.txt"), stem) for stem in STEMS}


# ---------------------------------------------------------------- HTML


@pytest.mark.parametrize("stem", STEMS)
def test_html_has_every_character_of_the_source(html_pages, stem):
    source = non_space(read_disclosure(DATA / f"{stem}.txt"))
    shown = non_space("".join(parse_html(html_pages[stem]).text))
    assert source - shown == Counter(), "characters of the source missing from the HTML"
    assert shown - source == Counter(), "characters in the HTML that the source does not have"


@pytest.mark.parametrize("stem", STEMS)
def test_html_tables_are_full_grids_one_per_table_page(html_pages, stem):
    grids = expected_grids(read_disclosure(DATA / f"{stem}.txt"))
    tables = parse_html(html_pages[stem]).tables
    assert len(tables) == len(grids) > 0
    for rows, (_, header_rows, nrows, ncols) in zip(tables, grids):
        assert len(rows) == nrows
        assert occupancy(rows) == [ncols] * nrows  # every row filled exactly, merged cells included
        assert all(tag == "th" for row in rows[:header_rows] for tag, _, _ in row)
        assert all(tag == "td" for row in rows[header_rows:] for tag, _, _ in row)


def test_html_header_merges_are_the_reportlab_merges(html_pages):
    """表九 (三公经费) of 盐田区 has a four-level header with merges across and down."""
    text = read_disclosure(DATA / "yantian-2024.txt")
    block = next(b for b in text_to_blocks(text) if isinstance(b, TableBlock) and "三公" in b.piece.title)
    spans = header_spans([row[:] for row in block.piece.header])
    want = [[(s.cols, s.rows) for s in sorted(spans, key=lambda s: s.col) if s.row == r]
            for r in range(len(block.piece.header))]
    index = [i for i, b in enumerate(expected_grids(text)) if b[3] == 20][0]
    rows = parse_html(html_pages["yantian-2024"]).tables[index]
    got = [[(colspan, rowspan) for _, colspan, rowspan in row] for row in rows[: len(block.piece.header)]]
    assert got == want
    assert any(cols > 1 for row in got for cols, _ in row) and any(rows > 1 for row in got for _, rows in row)


def test_html_style_rules_every_cell_and_turns_wide_pages(html_pages):
    page_html = html_pages["yantian-2024"]
    assert "border-collapse: collapse" in page_html
    assert re.search(r"table\.grid th, table\.grid td \{ border: 1px solid #000;", page_html)
    assert re.search(r"@page wide \{ size: A4 landscape; \}", page_html)
    assert 'class="sheet landscape"' in page_html and 'class="sheet portrait"' in page_html


def test_missing_browser_is_a_clear_error(tmp_path):
    with pytest.raises(PrintError, match="apt-get install chromium"):
        html_to_pdf("<p>x</p>", tmp_path / "x.pdf", chromium=tmp_path / "no-chromium")
    assert not (tmp_path / "x.pdf").exists()


def test_print_corpus_keeps_up_to_date_pdfs(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    shutil.copy(DATA / "baoan-2023.txt", src)
    kept = out / "baoan-2023.pdf"
    kept.write_bytes(b"%PDF-1.4 kept")
    future = time.time() + 3600
    os.utime(kept, (future, future))
    assert print_corpus(src, out, chromium=tmp_path / "no-chromium") == [kept]  # no browser needed: skipped
    assert kept.read_bytes() == b"%PDF-1.4 kept"


# ---------------------------------------------------------------- printed by Chromium


@pytest.fixture(scope="module")
def printed_longgang(tmp_path_factory) -> Path:
    """Given the 龙岗区 disclosure, return its PDF printed by Chromium into a temp folder."""
    if not CHROMIUM.exists():
        pytest.skip(needs_chromium.kwargs["reason"])
    return print_disclosure(DATA / "longgang-2024.txt", tmp_path_factory.mktemp("chromium") / "longgang-2024.pdf")


@pytest.mark.slow
@needs_chromium
def test_printed_tables_have_the_source_grid_shape(printed_longgang):
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # Chromium's fonts lack a FontBBox pdfminer wants
    grids = expected_grids(read_disclosure(DATA / "longgang-2024.txt"))
    found = []
    with pdfplumber.open(printed_longgang) as pdf:
        for page in pdf.pages:
            tables = page.find_tables()
            assert len(tables) <= 1, f"page {page.page_number}: a table page holds one grid"
            orientation = "landscape" if page.width > page.height else "portrait"
            found += [(orientation, table.extract()) for table in tables]
    assert len(found) == len(grids)
    for (orientation, cells), (want_orientation, _, nrows, ncols) in zip(found, grids):
        assert orientation == want_orientation
        assert (len(cells), {len(row) for row in cells}) == (nrows, {ncols})


@pytest.mark.slow
@needs_chromium
def test_printed_amounts_read_back_and_text_has_radicals(printed_longgang):
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    source = read_disclosure(DATA / "longgang-2024.txt")
    with pdfplumber.open(printed_longgang) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    radicals = Counter(ch for ch in text if is_radical(ch))
    assert radicals["⽀"] > 0 and radicals["⻰"] > 0  # 支, 龙: what Chromium with Noto CJK writes
    assert not any(is_radical(ch) for ch in source)
    amounts = Counter(re.findall(r"\d[\d,]*\.\d\d", source))
    assert amounts - Counter(re.findall(r"\d[\d,]*\.\d\d", text)) == Counter()
