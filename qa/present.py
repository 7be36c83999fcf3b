"""An Answer as a person reads it in a terminal: text, figures with their checks, sources."""
from __future__ import annotations

from qa.answer_model import Answer


def answer_to_text(answer: Answer) -> str:
    """Given an answer, return it as plain text with a figures list and a sources list."""
    lines = [answer.text]
    if answer.refused and answer.reason:
        lines.append(f"原因 / reason: {answer.reason}")
    if answer.figures:
        lines.append("\n数字核验 / figures:")
        for figure in answer.figures:
            source = "".join(f"[{n}]" for n in figure.citations)
            formula = f"  ({figure.formula})" if figure.formula else ""
            lines.append(f"  {figure.status}  {figure.text} {source}{formula}")
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
