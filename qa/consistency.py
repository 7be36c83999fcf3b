"""The consistency report (`qa check`): every check run on each document, and every disagreement."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from index.checks import CheckResult, check_facts
from index.indexer import fact_store
from index.load import load_paths
from index.structure import document_to_structure


def check_paths(paths: list[Path]) -> list[CheckResult]:
    """Given files or folders, return the checks of each document parsed afresh (not from the index)."""
    results = []
    for doc in load_paths(paths).documents:
        structure = document_to_structure(doc)
        results += check_facts(doc.id, structure.facts, doc.meta.department)
    return results


def check_store() -> list[CheckResult]:
    """Return the checks of every indexed document, from the facts in the store."""
    store = fact_store()
    results = []
    for record in store.documents():
        results += check_facts(record.doc_id, store.facts(doc_id=record.doc_id), record.department)
    return results


def summarize(results: list[CheckResult]) -> dict[str, Counter]:
    """Given check results, return per document the count of passed, rounding and failed checks."""
    summary: dict[str, Counter] = {}
    for result in results:
        summary.setdefault(result.doc_id, Counter())[result.status] += 1
    return summary


def print_check_report(results: list[CheckResult], console: Console, verbose: bool = False) -> None:
    """Print the summary per document, then each disagreement (and rounding difference) with both places."""
    overview = Table(title="一致性检查 / consistency checks")
    for column in ("文档 document", "检查 checks", "通过 passed", "尾差 rounding", "不一致 failed"):
        overview.add_column(column)
    for doc_id, counts in sorted(summarize(results).items()):
        overview.add_row(doc_id, str(sum(counts.values())), str(counts["passed"]), str(counts["rounding"]), str(counts["failed"]))
    console.print(overview)
    shown = [r for r in results if verbose or r.status != "passed"]
    for result in sorted(shown, key=lambda r: (r.doc_id, r.status != "failed", r.check)):
        label = {"failed": "[red]不一致 failed[/red]", "rounding": "[yellow]尾差 rounding[/yellow]",
                 "passed": "[green]通过 passed[/green]"}[result.status]
        console.print(f"{label} {result.doc_id} {result.check}: {result.left.value:,} ≠ {result.right.value:,} "
                      f"(差 {result.difference:,})" if result.status != "passed" else
                      f"{label} {result.doc_id} {result.check}: {result.left.value:,}")
        console.print(f"    ① {result.left.place}\n    ② {result.right.place}", highlight=False)
