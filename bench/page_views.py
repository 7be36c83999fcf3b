"""Benchmark: an answer's latency with and without its page images.

Run from the project root (over the index in QA_INDEX_DIR, which should hold the real PDFs in data/real)::

    QA_INDEX_DIR=/tmp/idx .venv/bin/python bench/page_views.py [--limit N]

For every gold question about a PDF that the index holds, it times what the UI does in order: the answer's
text (qa.query), its table snippets, then its page views (pages rendered, or read from the cache, and the
cited cells and sentences located on them) — first with an empty page cache, then again with it filled. The UI
shows the text as soon as query() returns; the page views follow it, so they add nothing to the time to the
first answer text, and the figures below say how long they take to follow.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()

    from rich.console import Console
    from rich.table import Table

    from common.settings import settings
    from index.indexer import fact_store
    from qa import ui_render as ui
    from qa.engine import query, warm_up
    from qa.evaluate import load_gold, percentile
    from qa.page_view import citation_pages

    store = fact_store()
    records = store.documents()
    pdfs = {Path(r.source).name for r in records if r.kind == "pdf"}
    questions = [g.question for g in load_gold(ROOT / "eval" / "gold.jsonl")
                 if g.docs and all(d in pdfs for d in g.docs) and g.type != "unanswerable"][:args.limit]
    warm_up()
    shutil.rmtree(settings.index_dir / "pages", ignore_errors=True)
    timings: dict[str, list[float]] = {"text": [], "snippets": [], "pages cold": [], "pages warm": []}
    images = 0
    for question in questions:
        started = time.perf_counter()
        answer = query(question)
        timings["text"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        ui.citation_snippets(answer, store)
        timings["snippets"].append((time.perf_counter() - started) * 1000)
        for run in ("pages cold", "pages warm"):
            started = time.perf_counter()
            shown = [ui.page_view_html(v) for v in citation_pages(answer.citations, store, records).values()]
            timings[run].append((time.perf_counter() - started) * 1000)
        images += len(shown)
    table = Table(title=f"{len(questions)} questions about PDFs, {images} cited pages (ms per answer)")
    for column in ("step", "p50", "p95", "max", "adds to time to first text"):
        table.add_column(column, justify="right")
    for step, values in timings.items():
        adds = "yes (it is that time)" if step == "text" else "no: shown after the text"
        table.add_row(step, f"{percentile(values, 50):.0f}", f"{percentile(values, 95):.0f}", f"{max(values):.0f}", adds)
    Console(width=110).print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
