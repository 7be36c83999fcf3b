"""A question read as a plan: which disclosures it is about, and one or more parts, each an item and what to do
with it. The plan is what the rest of the engine executes, what `qa ask --plan` prints and what the UI shows
folded under an answer, so a reader sees why a figure was chosen.

    QuestionPlan      the whole question: its scope (disclosures, 预算单位, years, 预算 or 决算), its parts in
                      the order asked, how names were read, what could not be placed, or why it is refused
    Part              one thing asked: its words, its operation, the items it is about, the unit asked, the year a
                      change is against; ``intent`` is the part read for lookup (qa.plan.analyze)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from qa.plan.analyze import Intent
from qa.plan.scope import Scope

# value: the figure of an item; sum / difference / ratio / share of items; change: against a year (stated, or of
# two disclosures); rank / compare: items or disclosures side by side; reason: why an item is what it is or
# changed; describe: what the documents say of an item (its use, its duties); consistency: what the checks found;
# per: an amount shared over what it counts (人均)
Operation = Literal["value", "sum", "difference", "ratio", "share", "change", "rank", "compare", "reason", "describe",
                    "consistency", "per"]
OPERATIONS: tuple[str, ...] = ("value", "sum", "difference", "ratio", "share", "change", "rank", "compare", "reason",
                               "describe", "consistency", "per")


@dataclass
class Part:
    """One thing a question asks."""

    text: str  # the words of the question this part stands on
    operation: Operation
    items: tuple[str, ...] = ()  # the items as the question names them, in its order
    within: str | None = None  # the item the part's item is part of ('政府采购' for '其中工程多少')
    unit: str | None = None  # the unit the answer is asked in (万元, 元, %, 人)
    base_year: int | None = None  # a change against this year (None: the year before the disclosure's)
    rate: bool = False  # a change or share asked as a rate (增幅, 百分之几)
    extreme: str | None = None  # a ranking's end: max / min
    follows: bool = False  # asks more of what the part before found ('涉及多少资金？', '其中服务多少？')
    columns_of: str | None = None  # asks these columns of the row the part before found ('是基本支出还是项目支出？')
    intent: Intent | None = field(default=None, repr=False)  # the part read for lookup

    def describe(self) -> dict:
        """Return the part as JSON-ready data (what `qa ask --plan` and the API show)."""
        return {"text": self.text, "operation": self.operation, "items": list(self.items), "within": self.within,
                "unit": self.unit, "base_year": self.base_year, "rate": self.rate, "extreme": self.extreme,
                "follows": self.follows, "columns_of": self.columns_of}


@dataclass
class QuestionPlan:
    """How a question was read."""

    question: str
    doc_ids: tuple[str, ...] = ()  # the disclosures in scope, in the order the question names them
    labels: dict[str, str] = field(default_factory=dict)  # doc_id → who, year and kind, in words
    budget_units: dict[str, tuple[str, ...]] = field(default_factory=dict)  # doc_id → 预算单位 named
    years: tuple[int, ...] = ()
    final: bool | None = None  # 决算 asked (True), 预算 (False), or not said (None)
    parts: list[Part] = field(default_factory=list)
    readings: list[str] = field(default_factory=list)  # how a name was read ('按『国土』理解为『自然资源』')
    unplaced: list[str] = field(default_factory=list)  # words of the question no part placed
    refusal: tuple[str, str] | None = None  # (Chinese, English) when the question cannot be answered at all
    source: Literal["rules", "llm"] = "rules"
    fallback: str | None = None  # why the model's plan was not used (the rules' plan stands)
    intent: Intent | None = field(default=None, repr=False)  # the whole question read (names, years)
    scope: Scope | None = field(default=None, repr=False)  # its scope as resolved (qa.plan.scope)

    def describe(self) -> dict:
        """Return the plan as JSON-ready data."""
        return {"question": self.question, "source": self.source,
                "disclosures": [{"doc_id": d, "label": self.labels.get(d, d), "budget_units": list(self.budget_units.get(d, ()))}
                                for d in self.doc_ids],
                "years": list(self.years), "final": self.final, "parts": [p.describe() for p in self.parts],
                "readings": self.readings, "unplaced": self.unplaced, "fallback": self.fallback,
                "refusal": self.refusal[0] if self.refusal else None, "lines": self.lines()}

    def lines(self) -> list[str]:
        """Return the plan in a person's words, one line each (for `qa ask --plan` and the UI)."""
        out = [f"问题 question: {self.question}"]
        if self.refusal:
            return out + [f"不作答 refused: {self.refusal[0]}"]
        for doc_id in self.doc_ids:
            units = "、".join(self.budget_units.get(doc_id, ()))
            out.append(f"文档 disclosure: {self.labels.get(doc_id, doc_id)}" + (f"（预算单位：{units}）" if units else ""))
        out += [f"名称 reading: {r}" for r in self.readings]
        out.append("计划 planned by: " + ("语言模型 the model" if self.source == "llm" else "规则 the rules")
                   + (f"（{self.fallback}）" if self.fallback else ""))
        for k, part in enumerate(self.parts, 1):
            extra = [f"单位 {part.unit}" if part.unit else "", f"对比 {part.base_year}年" if part.base_year else "",
                     "比率" if part.rate else "", f"在「{part.within}」之中" if part.within else "",
                     {"max": "最多", "min": "最少"}.get(part.extreme or "", ""), "接上一问" if part.follows else ""]
            items = "、".join(part.items) or "（沿用上一问的项目）"
            out.append(f"第{k}问 part {k}: {OPERATION_WORDS[part.operation]} {part.operation} · {items}"
                       + "".join(f" · {e}" for e in extra if e) + f"  ←「{part.text}」")
        if self.unplaced:
            out.append(f"未能对应 unplaced: {'、'.join(self.unplaced)}")
        return out


OPERATION_WORDS = {"value": "取数", "sum": "求和", "difference": "差额", "ratio": "倍数", "share": "占比", "change": "变化",
                   "rank": "排序", "compare": "比较", "reason": "原因", "describe": "说明", "consistency": "核对",
                   "per": "人均"}
