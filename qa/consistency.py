"""The consistency report (`qa check`): every check run on each document, and every disagreement."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from index.checks.model import CheckResult
from index.checks.run import structure_to_checks
from index.indexer import fact_store
from index.reading.load import load_paths
from index.facts.structure import document_to_structure

CHECK_NAMES = {
    "parent_sum": "上级科目 = 下级之和 / parent = sum of children", "total_sum": "合计 = 各科目之和 / total = sum",
    "unit_sum": "单位合计 = 科目之和 / unit total", "department_sum": "部门 = 各单位之和 / department = units",
    "sides_balance": "收入 = 支出 / income = expenditure", "same_item": "同一项目两表一致 / one item in two tables",
    "text_vs_table": "文字与表格 / text vs table", "stated_rate": "所述增减率 / stated change rate",
    "stated_share": "所述占比 / stated share", "stated_completion": "所述完成率 / stated completion rate",
    "stated_comparison": "所述比较 / stated comparison", "own_year": "文档年度 / the document's year",
    "listed_table": "目录所列表格 / tables the contents list", "empty_table_note": "空表说明 / empty table note",
    "placeholder": "占位符 / placeholder",
}


def check_paths(paths: list[Path]) -> list[CheckResult]:
    """Given files or folders, return the checks of each document parsed afresh (not from the index)."""
    return [result for doc in load_paths(paths).documents for result in structure_to_checks(document_to_structure(doc))]


def check_store() -> list[CheckResult]:
    """Return the checks of every indexed document, as computed when it was indexed."""
    return fact_store().checks()


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
        console.print(finding_line(result), highlight=False)
        console.print(f"    ① {result.left.place}\n    ② {result.right.place}", highlight=False)


def finding_line(result: CheckResult) -> str:
    """Given a check result, return its first line for the terminal: status, document, what was found."""
    label = {"failed": "[red]不一致 failed[/red]", "rounding": "[yellow]尾差 rounding[/yellow]",
             "passed": "[green]通过 passed[/green]"}[result.status]
    return f"{label} {result.doc_id} {escape(finding_text(result))}"


def finding_text(result: CheckResult) -> str:
    """Given a check result, return what it found in words: the check, then the figures and their difference,
    or what was found for a check of what is printed or stated."""
    name = CHECK_NAMES.get(result.check, result.check)
    if result.left.value is None or result.right.value is None or result.check.startswith("stated_"):
        return f"{name}：{result.note}" if result.note else name
    if result.status == "passed":
        return f"{name}：{result.left.value:,}"
    return f"{name}：{result.left.value:,} ≠ {result.right.value:,}（差 {result.difference:,}）"
