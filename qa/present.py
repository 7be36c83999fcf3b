"""What a person reads in a terminal: an Answer (text, figures with their checks, sources), and what was read
from an indexed document (its metadata and table inventory)."""
from __future__ import annotations

from index.checks.inventory import Inventory
from index.model import DocumentMeta
from qa.answer.model import Answer


def answer_to_text(answer: Answer) -> str:
    """Given an answer, return it as plain text with a figures list and a sources list."""
    lines = [answer.text]
    reason = (answer.reason or "").replace(answer.text, "").strip(" /")
    if answer.refused and reason:
        lines.append(f"原因 / reason: {reason}")
    if answer.figures:
        lines.append("\n数字核验 / figures:")
        for figure in answer.figures:
            source = "".join(f"[{n}]" for n in figure.citations)
            formula = f"  ({figure.formula})" if figure.formula else ""
            why = f"  — {figure.why.split(' / ')[0]}" if figure.why else ""
            lines.append(f"  {figure.status}  {figure.text} {source}{formula}{why}")
    for discrepancy in answer.discrepancies:
        lines.append(f"\n文表不一致 / discrepancy — {discrepancy.subject}:")
        lines += [f"  {f.text} {''.join(f'[{n}]' for n in f.citations)}" for f in discrepancy.figures]
    if answer.citations:
        lines.append("\n来源 / sources:")
        lines += [f"  [{c.n}] {c.label()}" + (f"：{c.quote}" if c.quote else "") for c in answer.citations]
    total = answer.timing_ms.get("total")
    if total is not None:
        lines.append(f"\n({answer.engine}, {total:.0f} ms)")
    return "\n".join(lines)


def inventory_to_text(doc_id: str, meta: DocumentMeta, inventory: Inventory) -> str:
    """Given a document's metadata and inventory, return them as lines: who, where, when and what kind, each
    table (kind, title as printed, pages, unit, rows, figures), then what could not be read."""
    region = " › ".join(meta.region) or "?"
    lines = [f"{doc_id}：{meta.kind or '?'} · {region} · {meta.department or '?'} · {meta.year or '?'}年"]
    for table in inventory.tables:
        pages = f"{table.pages[0]}–{table.pages[-1]}" if len(table.pages) > 1 else str(table.pages[0] if table.pages else "?")
        empty = "（空表）" if not table.figures else ""
        lines.append(f"  [{table.kind or '其他'}] {table.title} · 第{pages}页 · {table.unit or '—'} · "
                     f"{table.rows} 行 rows · {table.figures} 个数字 figures{empty}")
    lines += [f"  未能读取 unread: {problem}" for problem in inventory.problems]
    return "\n".join(lines)
