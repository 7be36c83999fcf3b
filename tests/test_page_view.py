"""Page views of citations, on a real disclosure as published (a district bureau's 2026 budget, a public
government publication; data/real/README.md): each cited cell is shown on its own page, boxed where
pdfplumber read it; a sentence's lines are found where another reader (pdfplumber's search) finds its figure;
pages are rendered once and then read from the cache; a table opens on its first page with its region marked.
"""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from conftest import engine_over

ROOT = Path(__file__).resolve().parents[1]
JUSTICE = ROOT / "data" / "real" / "shanghai-putuo-justice-2026-budget.pdf"
FUNCTION_TABLE = "2026年部门一般公共预算支出功能分类预算表"  # printed over pages 15 and 16

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with engine_over(tmp_path_factory.mktemp("page-view-index"), [JUSTICE]):
        from index.indexer import fact_store

        yield fact_store()


def citation(n: int, fact_id: str):
    from qa.answer.model import Citation

    return Citation(n=n, doc_id="shanghai-putuo-justice-2026-budget", fact_id=fact_id)


def test_cells_of_a_table_over_two_pages_are_each_shown_on_their_own_page(store):
    from qa.page_view import citation_pages

    cells = store.facts(doc_id="shanghai-putuo-justice-2026-budget", table_name=FUNCTION_TABLE, kind="cell")
    first, second = (max((c for c in cells if c.page == page), key=lambda c: c.box.top) for page in (15, 16))
    views = citation_pages([citation(1, first.id), citation(2, second.id)], store, store.documents())
    assert {n: v.page for n, v in views.items()} == {1: 15, 2: 16}
    with pdfplumber.open(JUSTICE) as pdf:
        for n, fact in ((1, first), (2, second)):
            page = pdf.pages[fact.page - 1]
            cell = next(m for m in views[n].marks if m.kind == "cell")
            assert abs(cell.left - fact.box.x0 / page.width) < 1e-6 and abs(cell.top - fact.box.top / page.height) < 1e-6
            assert {m.kind for m in views[n].marks} == {"cell", "row", "column"}  # a lowest row: its column above it
            words = page.within_bbox((fact.box.x0, fact.box.top, fact.box.x1, fact.box.bottom)).extract_text()
            assert fact.printed in words.replace(" ", "")  # the box holds the figure as printed


def test_a_sentence_is_marked_where_its_figure_is_printed(store):
    from qa.page_view import citation_pages

    fact = next(f for f in store.facts(doc_id="shanghai-putuo-justice-2026-budget", kind="text")
                if f.printed == "217.83")  # 机关运行经费 217.83 万元, page 22
    view = citation_pages([citation(1, fact.id)], store, store.documents())[1]
    assert view.page == 22 and view.marks and {m.kind for m in view.marks} == {"sentence"}
    with pdfplumber.open(JUSTICE) as pdf:
        page = pdf.pages[21]
        figure = page.search("217.83", regex=False)[0]
    x, y = (figure["x0"] + figure["x1"]) / 2 / page.width, (figure["top"] + figure["bottom"]) / 2 / page.height
    assert any(m.left <= x <= m.left + m.width and m.top <= y <= m.top + m.height for m in view.marks)


def test_a_page_is_rendered_once_then_read_from_the_cache(store):
    from qa.page_view import page_image

    record = store.document("shanghai-putuo-justice-2026-budget")
    image = page_image(Path(record.source), record.sha256, 11)
    written = image.path.stat().st_mtime_ns
    again = page_image(Path(record.source), record.sha256, 11)
    assert again == image and again.path.stat().st_mtime_ns == written
    assert (image.width, image.height) == (842.0, 595.0)  # the page is landscape A4


def test_a_table_opens_on_its_first_page_with_its_region_marked(store):
    from qa.page_view import table_page

    cells = store.facts(doc_id="shanghai-putuo-justice-2026-budget", table_name=FUNCTION_TABLE, kind="cell")
    view = table_page(store.document("shanghai-putuo-justice-2026-budget"), cells)
    assert view.page == 15 and [m.kind for m in view.marks] == ["table"]
    region = view.marks[0]
    for cell in (c for c in cells if c.page == 15):
        assert region.left - 1e-6 <= cell.box.x0 / view.image.width <= region.left + region.width + 1e-6
