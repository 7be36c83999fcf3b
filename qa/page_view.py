"""Page views: the page a citation stands on, as an image, with where the cited cell or sentence is on it.

A page is rendered once (pypdfium2) and kept on disk under the index folder by the file's hash and page
number, so it is drawn lazily, after the answer's text is shown, and at once the next time. The marks are not
burnt into the image: each is a rectangle in fractions of the page, drawn over the image by the UI, so one
cached page serves every citation. A cell's is its box as pdfplumber read it (points from the top-left corner);
its row and column are marked lightly, towards the row's label and the column's heading. A sentence's lines are
found on the page by its printed figure (pdfium's text search) and the sentence around it.

    citation → fact → (file, page) → cached image;  cell box → marks;  sentence → its lines' boxes → marks
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pypdfium2 as pdfium

from common.settings import settings
from index.model import Box, Fact

RENDER_SCALE = 1.5  # 108 dpi: table text readable at the panel's width, about 300 KB a page
_render_lock = threading.Lock()  # pdfium is not thread-safe


@dataclass(frozen=True)
class PageImage:
    """A rendered page: the image file and the page's size in PDF points."""

    path: Path
    width: float
    height: float


@dataclass(frozen=True)
class Mark:
    """A rectangle to draw over a page image, in fractions of the page's width and height."""

    kind: Literal["cell", "sentence", "row", "column", "table"]
    left: float
    top: float
    width: float
    height: float
    n: int  # the citation it shows


@dataclass
class PageView:
    """One page of one document with the marks of the citations standing on it."""

    doc_id: str
    page: int
    image: PageImage
    marks: list[Mark] = field(default_factory=list)


def sentence_boxes(pdf: Path, page: int, fact: Fact) -> list[Box]:
    """Given a PDF, a page and a text fact, return the boxes of the lines of its sentence on the page: the
    printed figure is found in the page's text (where it stands more than once, the place whose words are most
    like the sentence's), then the lines around it that are part of the sentence, one box per line."""
    sentence = compact(fact.sentence or "")
    with _render_lock:
        document = pdfium.PdfDocument(str(pdf))
        try:
            pdf_page = document[page - 1]
            height = pdf_page.get_size()[1]
            text_page = pdf_page.get_textpage()
            text = text_page.get_text_range()
            places = []
            searcher = text_page.search(fact.printed or f"{fact.value}")
            while (found := searcher.get_next()) is not None:
                places.append(found[0])
            if not places:
                return []
            at = max(places, key=lambda i: len(set(text[max(0, i - 20):i + 20]) & set(sentence)))
            lines = text_lines(text)
            own = next(i for i, (first, last) in enumerate(lines) if first <= at < last)
            top = own
            while top > 0 and in_sentence(text[slice(*lines[top - 1])].split("。")[-1], sentence):
                top -= 1  # a line above belongs to the sentence from its last full stop on
            bottom = own
            while bottom + 1 < len(lines) and in_sentence(text[slice(*lines[bottom + 1])].split("。")[0], sentence):
                bottom += 1  # a line below, up to its first full stop
            boxes = [[text_page.get_charbox(i) for i in range(first, last) if not text[i].isspace()]
                     for first, last in lines[top:bottom + 1]]
        finally:
            document.close()
    return [Box(min(b[0] for b in line), height - max(b[3] for b in line), max(b[2] for b in line),
                height - min(b[1] for b in line)) for line in boxes if line]


def text_lines(text: str) -> list[tuple[int, int]]:
    """Given a page's text as pdfium gives it (lines apart by CR LF), return each line's first and end index."""
    lines, first = [], 0
    for i, char in enumerate(text + "\n"):
        if char == "\n":
            lines.append((first, i))
            first = i + 1
    return lines


def in_sentence(words: str, sentence: str) -> bool:
    """Given words of a line and the sentence (compacted), return whether they are part of it."""
    words = compact(words)
    return len(words) >= 2 and words in sentence


def compact(text: str) -> str:
    return "".join(text.split())


def page_image(pdf: Path, sha256: str, page: int) -> PageImage:
    """Given a PDF, its hash and a page number (from 1), return the page rendered, from the cache if it is there."""
    folder = settings.index_dir / "pages"
    target = folder / f"{sha256[:16]}-{page}.png"
    size_file = target.with_suffix(".size")
    if target.is_file() and size_file.is_file():
        width, height = map(float, size_file.read_text().split())
        return PageImage(target, width, height)
    folder.mkdir(parents=True, exist_ok=True)
    with _render_lock:
        document = pdfium.PdfDocument(str(pdf))
        try:
            pdf_page = document[page - 1]
            width, height = pdf_page.get_size()
            image = pdf_page.render(scale=RENDER_SCALE).to_pil()
        finally:
            document.close()
    partial = target.with_suffix(".part")
    image.save(partial, format="PNG")
    partial.replace(target)  # a half-written image is never served
    size_file.write_text(f"{width} {height}")
    return PageImage(target, width, height)


def box_to_mark(box: Box, image: PageImage, kind: str, n: int) -> Mark:
    """Given a box in points and the page it is on, return it as a mark in fractions of the page."""
    return Mark(kind, box.x0 / image.width, box.top / image.height, (box.x1 - box.x0) / image.width,
                (box.bottom - box.top) / image.height, n)


def cell_marks(fact: Fact, n: int, image: PageImage, table_cells: list[Fact]) -> list[Mark]:
    """Given a cited cell, its citation number, its page and the cells of its table on that page, return the
    marks to draw: the cell, its row across the table (from the page's margin, where the row's label stands)
    and its column up to the table's first figures (below the column's heading)."""
    if fact.box is None:
        return []
    box = fact.box
    boxes = [c.box for c in table_cells if c.box is not None] + [box]
    right = max(b.x1 for b in boxes)
    top = min(b.top for b in boxes)
    marks = [box_to_mark(box, image, "cell", n),
             box_to_mark(Box(image.width * ROW_MARGIN, box.top, right, box.bottom), image, "row", n),
             box_to_mark(Box(box.x0, top, box.x1, box.top), image, "column", n)]
    return [m for m in marks if m.width > 0 and m.height > 0]


ROW_MARGIN = 0.04  # a table's labels start about this far into the page; the row band starts there


def citation_pages(citations: list, store, records: list) -> dict[int, PageView]:
    """Given an answer's citations, the fact store and the indexed documents, return each citation's page view
    (number → view) where it cites a fact of a PDF: its page with its marks. A table over several pages shows
    each cited cell on its own page."""
    sources = {r.doc_id: (Path(r.source), r.sha256) for r in records if r.kind == "pdf" and Path(r.source).is_file()}
    views: dict[int, PageView] = {}
    for citation in citations:
        fact = store.fact(citation.fact_id) if citation.fact_id else None
        if fact is None or fact.doc_id not in sources or not fact.page:
            continue
        pdf, sha = sources[fact.doc_id]
        image = page_image(pdf, sha, fact.page)
        if fact.kind == "text":
            marks = [box_to_mark(b, image, "sentence", citation.n) for b in sentence_boxes(pdf, fact.page, fact)]
        else:
            cells = store.facts(doc_id=fact.doc_id, table_name=fact.table_name, page=fact.page)
            marks = cell_marks(fact, citation.n, image, cells)
        views[citation.n] = PageView(fact.doc_id, fact.page, image, marks)
    return views


def table_page(record, cells: list[Fact]) -> PageView | None:
    """Given an indexed PDF's record and the cells of one of its tables, return the table's first page with the
    region its cells cover there marked (None for a text document or a table without boxes)."""
    pdf = Path(record.source)
    first = min((c.page for c in cells), default=None)
    boxes = [c.box for c in cells if c.page == first and c.box is not None]
    if record.kind != "pdf" or not pdf.is_file() or not boxes:
        return None
    image = page_image(pdf, record.sha256, first)
    region = Box(min(b.x0 for b in boxes), min(b.top for b in boxes), max(b.x1 for b in boxes), max(b.bottom for b in boxes))
    return PageView(record.doc_id, first, image, [box_to_mark(region, image, "table", 0)])
