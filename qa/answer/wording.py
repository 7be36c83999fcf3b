"""Answer wording: the figure the deterministic path found, and what the question does with it, become the
sentence a journalist could quote, with its citation marks.

A comparison names both values, the larger and the difference; a ranking names the first and every document in
scope with its value; '分别' gives every item. The phrases are prompts/wording.yaml's; this module picks the
template and fills it. Compared organisations are named by the words that tell them apart (qa.plan.names.called_apart).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Callable

import yaml

from common.settings import PROJECT_ROOT
from index.model import Fact
from qa.answer.model import Citation, ComparedFigure
from qa.execute.lookup import Found, fact_label
from qa.plan.names import called_apart

WORDING = PROJECT_ROOT / "prompts" / "wording.yaml"

# Given a document id and the 预算单位 a figure is of (None: the whole document), return its year and organisation.
Namer = Callable[[str, str | None], tuple[int | None, str]]


YEAR_FIRST = re.compile(r"(?:19|20)\d\d年")


@cache
def templates() -> dict:
    """Given nothing, return prompts/wording.yaml as read (once)."""
    return yaml.safe_load(WORDING.read_text(encoding="utf-8"))


@dataclass
class Worded:
    """An answer's text and what its marks cite: [n] is cited[n - 1], a fact or a quoted passage's citation."""

    text: str
    cited: list[Fact | Citation] = field(default_factory=list)
    compared: list[ComparedFigure] = field(default_factory=list)  # the figures a comparison or ranking set side by side

    def numbers(self, facts: list[Fact]) -> list[int]:
        """Given facts a phrase rests on, return their citation numbers, citing each new one."""
        for fact in facts:
            if fact not in self.cited:
                self.cited.append(fact)
        return [self.cited.index(f) + 1 for f in dict.fromkeys(facts)]

    def cite(self, citation: Citation) -> int:
        """Given the citation of a quoted text, return its number, citing it."""
        self.cited.append(citation)
        return len(self.cited)

    def marks(self, facts: list[Fact]) -> str:
        """Given facts a phrase rests on, return their marks ('[1][2]')."""
        return "".join(f"[{n}]" for n in self.numbers(facts))

    def compare(self, label: str, found: Found) -> None:
        """Given a figure set beside others and what tells it apart, keep it for the chart."""
        self.compared.append(ComparedFigure(label=label, value=found.value, unit=found.unit,
                                            citations=self.numbers(found.facts)))


def word_answer(found: Found, operation: str, name_of: Namer, worded: Worded | None = None) -> Worded:
    """Given the found figure, the question's operation and how documents are named (and the answer worded so far,
    whose citations it goes on numbering), return its words."""
    worded = Worded("", worded.cited, worded.compared) if worded else Worded("")
    if found.parts and operation in ("max", "min"):
        worded.text = ranking(found, operation, name_of, worded)
    elif len(found.parts) >= 2 and operation == "sum":
        worded.text = summed(found, name_of, worded)
    elif len(found.parts) == 2 and (operation in ("difference", "compare", "ratio") or found.operation == "difference"):
        worded.text = comparison(found, operation if operation in ("difference", "compare", "ratio") else "difference",
                                 name_of, worded)
    elif found.base is not None:
        worded.text = stated_change(found, name_of, worded)
    elif found.others:
        items = [one_figure(f, name_of, worded, templates()["each_item"]) for f in [found, *found.others]]
        worded.text = templates()["each_join"].join(items) + templates()["each_end"]
    else:
        kind = "computed" if found.formula else "figure" if found.label else "unlabelled"
        worded.text = one_figure(found, name_of, worded, templates()[kind])
    return worded


def one_figure(found: Found, name_of: Namer, worded: Worded, template: str) -> str:
    """Given a figure and its template, return it in words, cited: '2024年某局三公经费为 15.30万元[1]'."""
    label = found.label.removesuffix("为").removesuffix("是")
    return template.format(place=place(found, name_of, label), label=label,
                           amount=shown_amount(found.value, found.unit), marks=worded.marks(found.facts),
                           formula=found.formula)


def stated_change(found: Found, name_of: Namer, worded: Worded) -> str:
    """Given a change the document states (and the rate or amount stated with it), return the level figure and
    each change in the document's words: '部门预算收入为 5,665万元[2]，增加 977万元[1]，增长 21%[3]'."""
    base = found.base
    marks = worded.marks([base])
    changes = [templates()["change_item"].format(change=f.facts[0].subject, amount=shown_amount(f.value, f.unit),
                                                 marks=worded.marks(f.facts[:1])) for f in [found, *found.others]]
    return templates()["change"].format(place=place(found, name_of, fact_label(base)), label=fact_label(base),
                                        amount=shown_amount(base.value, base.unit), marks=marks,
                                        changes=templates()["change_join"].join(changes))


def summed(found: Found, name_of: Namer, worded: Worded) -> str:
    """Given a sum of figures, return each part with its citation, then the total and how it was added."""
    labels = tell_apart([figure_of(p, name_of) for p in found.parts], [p.label for p in found.parts])
    items = [templates()["sum_item"].format(who=who, amount=with_formula(p), marks=worded.marks(p.facts))
             for who, p in zip(labels, found.parts)]
    one_place = len({figure_of(p, name_of) for p in found.parts}) == 1  # else each part names its own
    return templates()["sum"].format(place=place(found, name_of) if one_place else "", items=templates()["sum_join"].join(items),
                                     amount=shown_amount(found.value, found.unit), formula=found.formula)


def comparison(found: Found, operation: str, name_of: Namer, worded: Worded) -> str:
    """Given a computed difference (or ratio) of two figures, return both values, the larger and by how much."""
    first, second = found.parts
    first_who, second_who = tell_apart([figure_of(p, name_of) for p in found.parts], [p.label for p in found.parts])
    fields = dict(first_who=first_who, first_amount=with_formula(first), first_marks=worded.marks(first.facts),
                  second_who=second_who, second_amount=with_formula(second), second_marks=worded.marks(second.facts),
                  formula=found.formula, value=found.value)
    worded.compare(first_who, first)
    worded.compare(second_who, second)
    if operation == "ratio":
        return templates()["ratio"].format(**fields)
    if first.value == second.value:
        return templates()["comparison_equal"].format(**fields)
    winner = first_who if first.value > second.value else second_who
    return templates()["comparison"].format(**fields, winner=winner, more=templates()["more"],
                                            difference=shown_amount(found.value, found.unit))


def ranking(found: Found, operation: str, name_of: Namer, worded: Worded) -> str:
    """Given the figures of every document in scope and which end is asked, return the first and then all, with
    the documents that give none named as such."""
    ordered = sorted(found.parts, key=lambda p: p.value, reverse=operation == "max")
    named = [figure_of(p, name_of) for p in ordered] + [name_of(doc_id, None) for doc_id in found.missing]
    whos = tell_apart(named, [p.label for p in ordered] + [""] * len(found.missing))
    winner = ordered[0]
    marks = worded.marks(winner.facts)
    entries = [templates()["ranking_entry"].format(who=who, amount=with_formula(p),
                                                   marks=worded.marks(p.facts)) for who, p in zip(whos, ordered)]
    entries += [templates()["ranking_missing"].format(who=who) for who in whos[len(ordered):]]
    for who, part in zip(whos, ordered):
        worded.compare(who, part)
    return templates()["ranking"].format(winner=whos[0], extreme=templates()["extreme"][operation],
                                         label=winner.label, amount=shown_amount(winner.value, winner.unit),
                                         marks=marks, entries=templates()["ranking_join"].join(entries))


def finding_sentence(finding: str, figures: list[str]) -> str:
    """Given a failed consistency check in words and its figures with their marks, return the sentence."""
    return templates()["finding"].format(finding=finding, figures=templates()["finding_join"].join(figures))


def no_finding_note() -> str:
    return templates()["no_finding"]


def discrepancy_note(figures: list[str]) -> str:
    """Given the other places' figures, each with its mark, return the note that they disagree."""
    return templates()["discrepancy"].format(figures=templates()["discrepancy_join"].join(figures))


def place(found: Found, name_of: Namer, label: str = "") -> str:
    """Given a figure (and the label worded after it), return the year and organisation it is of ('2024年某区
    某局'), without what the label says itself: its own year ('2023年政府投资项目', an earlier year's figure) or
    the organisation (a title that names it)."""
    year, who = figure_of(found, name_of)
    if who and who in label:
        who = ""
    if YEAR_FIRST.match(label) or f"{year}年" in label:
        year = None
    return f"{year}年{who}" if year else who


def figure_of(found: Found, name_of: Namer) -> tuple[int | None, str]:
    """Given a figure, return the year and organisation of the document (and 预算单位) it stands in."""
    return name_of(found.facts[0].doc_id, found.facts[0].budget_unit)


def tell_apart(named: list[tuple[int | None, str]], labels: list[str]) -> list[str]:
    """Given the year and organisation of figures compared with one another and what each figure is, return the
    words that tell each apart: what it is, when all are of one organisation and year; else the year where
    years differ and the organisation where they differ, by the part of its name the others do not share."""
    years = [year for year, _ in named]
    whos = [who for _, who in named]
    if len(set(whos)) == 1 and len(set(years)) == 1:
        return labels
    whos = called_apart(whos) if len(set(whos)) > 1 else [""] * len(named)
    return [f"{year}年{who}" if year and len(set(years)) > 1 else who for year, who in zip(years, whos)]


def with_formula(found: Found) -> str:
    """Given a compared figure, return its amount, with how it was got where code computed or converted it."""
    shown = shown_amount(found.value, found.unit)
    return templates()["part_formula"].format(amount=shown, formula=found.formula) if found.formula else shown


def shown_amount(value: Decimal, unit: str | None) -> str:
    return f"{value:,}{unit or ''}"
