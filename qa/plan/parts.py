"""A question → its parts: every clause that asks something is a part, read for its operation and items.

    question_clauses(text)       the clauses that ask, in order: cut at '？' '。' '；', and before '其中' after a
                                 comma; a clause that asks nothing is what the next one is about
    clause_part(clause, before)  one clause → Part: its items as named ('其中工程多少' is 工程 within the item
                                 before; a clause naming only columns asks them of the row before), its
                                 operation, the unit and base year asked; a clause naming no item
                                 ('为什么？', '哪个多？') asks about the items of the parts before it

The cue words are qa/plan/vocabulary.yaml's (``plan``, ``operations``, ``narrative_answers``).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from qa.plan.analyze import Intent, asks_consistency
from qa.plan.model import Operation, Part
from qa.plan.words import vocabulary

YEAR = re.compile(r"(?:19|20)\d\d年")  # a year's column (2023年) is when an item is asked, not an item
Read = Callable[[str], Intent]  # a text read as a question (qa.plan.analyze with the catalogue and scope)


@cache
def words() -> dict:
    return vocabulary()["plan"]


def question_clauses(text: str) -> list[str]:
    """Given a question (normalised), return the clauses that ask something, each with the context before it."""
    pieces = [p for p in re.split("|".join(map(re.escape, words()["clause_ends"])), text) if p.strip()]
    cut: list[str] = []
    for piece in pieces:
        openers = "|".join(map(re.escape, words()["part_openers"]))
        cut += [p for p in re.split(rf"[，,](?!\d)(?=(?:{openers}))", piece) if p.strip()]
    clauses: list[str] = []
    context = ""
    for piece in cut:
        if asks(piece):
            clauses.append(context + piece)
            context = ""
        else:
            context += piece + "，"
    if context and clauses:
        clauses[-1] += "，" + context.rstrip("，")
    return clauses or [text]


def asks(text: str) -> bool:
    """Given a clause, return whether it asks something (多少, 几, 为什么, 吗 …)."""
    return any(word in text for word in words()["asks"])


def item_words(intent: Intent) -> tuple[str, ...]:
    """Given a clause read, return the items it names, in its order: concepts and rows as the question words them."""
    return tuple(word for _, word in placed_items(intent))


def placed_items(intent: Intent) -> list[tuple[int, str]]:
    """Given a clause read, return the items it names with where each stands, in its order (a column word that
    is no concept's words too: '预算数和决算数')."""
    words = [c.matched or c.name for c in intent.concepts if c.kind != "table"] + list(intent.row_terms)
    words += [c for c in intent.column_terms if not YEAR.fullmatch(c) and not any(c in w or w in c for w in words)]
    placed = sorted((intent.normalized.find(w), w) for w in dict.fromkeys(words))
    return [(at, w) for at, w in placed if not any(o != w and o.find(w) >= 0 and at >= 0 and a <= at < a + len(o)
                                                      for a, o in placed)]


def joined_items(intent: Intent) -> list[tuple[int, int, list[str]]]:
    """Given a clause read, return its runs of two or more items joined by 和, 与, 、 …: (start, end, items)."""
    joiners = set(words()["item_joiners"])
    placed = [(at, w) for at, w in placed_items(intent) if at >= 0]
    runs: list[tuple[int, int, list[str]]] = []
    for at, word in placed:
        between = intent.normalized[runs[-1][1]:at].replace("的", "") if runs else None
        if runs and at >= runs[-1][1] and between in joiners:
            runs[-1] = (runs[-1][0], at + len(word), runs[-1][2] + [word])
        else:
            runs.append((at, at + len(word), [word]))
    return [run for run in runs if len(run[2]) >= 2]


def each_clauses(clause: str, intent: Intent) -> list[str]:
    """Given a clause and its reading, return it once for each item it asks of together ('基本支出和项目支出各是
    多少' → '基本支出是多少', '项目支出是多少'), or the clause alone when it asks of one item or combines them
    (加起来, 哪个多)."""
    runs = joined_items(intent)
    if not runs or intent.operation not in ("lookup", "narrative"):
        return [clause]
    start, end, items = runs[0]
    text = intent.normalized
    rest = text[end:]
    for word in sorted(words()["each_words"], key=len, reverse=True):
        rest = rest.replace(word, "是" if word.startswith("各") and len(word) > 1 else "")
    return [text[:start] + item + rest for item in items]


def clause_parts(clause: str, before: list[Part], read: Read) -> list[Part]:
    """Given a clause, the parts read before it and how to read a text, return the clause's parts: one for each
    item it asks of together, else one."""
    parts: list[Part] = []
    for text in each_clauses(clause, read(clause)):
        parts.append(clause_part(text, before + parts, read, earlier=before))
    return parts


def clause_part(clause: str, before: list[Part], read: Read, earlier: list[Part] | None = None) -> Part:
    """Given a clause, the parts read before it, how to read a text and the parts of the clauses before its own
    (its siblings of one '各/分别' clause are none of those), return the clause's part."""
    earlier = before if earlier is None else earlier
    own = read(clause)
    items = item_words(own)
    opener = next((w for w in words()["within_words"] if clause.startswith(w)), None)
    within = earlier[-1].items[0] if opener and earlier and earlier[-1].items and items else None
    columns_of = None
    if not within and earlier and earlier[-1].items and columns_only(own, items):
        within, opener = earlier[-1].within or earlier[-1].items[-1], ""  # '…购房补贴多少？算基本支出还是项目支出？'
        columns_of = within                                                 # that row's columns
    between = False
    if items:
        intent = read(f"{within}中{clause[len(opener):]}") if within else own
    elif before:  # '为什么？', '哪个多？': of the items asked before
        between = asks_between(own)
        items = tuple(dict.fromkeys(i for p in before for i in p.items)) if between else before[-1].items
        said = before[-1].text if any(i in before[-1].text for i in items) else "、".join(items) + before[-1].text
        intent = read(f"{said}，{clause}")  # '…会议费多少？比上年减少多少？为什么？': of 会议费
    else:
        intent = own
    operation, extreme = clause_operation(clause, own if between else intent)
    follows = bool(before) and not between and (bool(within) or not item_words(own)) and operation == "value"
    return Part(text=clause, operation=operation, items=items, within=within, unit=own.unit_hint or intent.unit_hint,
                follows=follows, columns_of=columns_of,
                base_year=next(iter(sorted(set(intent.comparison_years) - set(intent.years))), None)
                if operation == "change" else None,
                rate=intent.operation in ("growth_rate", "share") or (operation == "share"), extreme=extreme,
                intent=intent)


def columns_only(intent: Intent, items: tuple[str, ...]) -> bool:
    """Given a clause read and its items, return whether it names columns only (基本支出, 项目支出, 财政拨款), no
    row of its own: after a part that named a row, it asks that row's figures in those columns."""
    return bool(items) and not intent.row_terms and all(item in intent.column_terms for item in items)


def asks_between(intent: Intent) -> bool:
    """Given a clause read, return whether it compares what was asked before ('哪个多', '相差多少')."""
    return intent.operation in ("compare", "difference", "max", "min", "ratio", "sum")


def clause_operation(clause: str, intent: Intent) -> tuple[Operation, str | None]:
    """Given a clause and its reading, return its operation (and a ranking's end)."""
    if any(cue in clause for cue in vocabulary()["narrative_answers"]["reason"]["cues"]):
        return "reason", None
    if asks_consistency(clause):
        return "consistency", None
    operation = intent.operation
    if operation in ("max", "min"):
        return "rank", operation
    if operation in ("growth_rate", "growth_amount"):
        return "change", None
    if operation == "narrative":  # '…共有几辆车': a figure asked in words that also ask for a text
        return ("value" if intent.wants_number or any(w in clause for w in words()["number_asks"]) else "describe"), None
    if operation == "lookup":
        return "value", None
    return operation, None
