"""qa.answer.verify: which numbers of an answer are figures, when two amounts are the same, and the status
every figure gets — 已核实 only for a cited fact's amount, 计算 for a computed value, 未核实 for
anything else, however close."""
from __future__ import annotations

from decimal import Decimal

import pytest

from index.model import Fact
from qa.answer.verify import Computed, answer_quantities, same_amount, verify_figures

D = Decimal


def fact(value: str, unit: str | None = "万元", fact_id: str = "f1") -> Fact:
    return Fact(id=fact_id, doc_id="longgang-2024", kind="cell", value=D(value), unit=unit, page=12,
                table_kind="三公经费表", table_name="财政拨款“三公”经费支出表", row_name="合计", column_path=("2024年预算数",))


def found(text: str) -> list[tuple[str, str | None, str]]:
    """Given an answer, return its figures as (number as printed, unit, the text the figure spans)."""
    return [(q.raw, q.unit, text[q.start:q.end].strip()) for q in answer_quantities(text)]


# ------------------------------------------------------------------ answer_quantities


def test_citation_marks_and_years_are_not_figures():
    text = "2024年财政拨款“三公”经费预算 15.30万元[1]，比 2023 年减少 18.00 万元[2]；2024年度无购车计划[12]。"
    assert found(text) == [("15.30", "万元", "15.30万元"), ("18.00", "万元", "18.00 万元")]


def test_list_numbers_are_not_figures():
    text = "1. 公务接待费 3.30 万元[1]\n2. 公务用车运行维护费 12 万元[2]\n3、因公出国（境）费用 0 万元"
    assert [(raw, unit) for raw, unit, _ in found(text)] == [("3.30", "万元"), ("12", "万元"), ("0", "万元")]


def test_unitless_amounts_counts_and_percentages_are_figures():
    text = "合计 18,287.71[1]，下降 54.1%，共 5 个项目，编制 26 人，另有 182877100。"
    assert [(raw, unit) for raw, unit, _ in found(text)] == [
        ("18,287.71", None), ("54.1", "%"), ("5", "个"), ("26", "人"), ("182877100", None)]


def test_the_hundred_percent_of_a_share_formula_is_no_figure():
    text = "占比为 65.55%[1]。计算：15,844.04 ÷ 24,169.74 × 100% = 65.55%。另：完成率 100%。"
    assert [(raw, unit) for raw, unit, _ in found(text)] == [
        ("65.55", "%"), ("15,844.04", None), ("24,169.74", None), ("65.55", "%"), ("100", "%")]


def test_full_width_digits_and_citation_marks():
    text = "预算 １５．３０万元［15］。"
    assert found(text) == [("15.30", "万元", "１５．３０万元")]
    assert answer_quantities(text)[0].value == D("15.30")


@pytest.mark.parametrize("text", [
    "…15.30万元[1]",  # '…' is '...' in NFKC: the figure used to vanish (and escape verification)
    "预算……15.30万元[1]",
    "①15.30万元[1]",  # '①' is '1' in NFKC: the figure used to be read as 115.30
    "⑴ 15.30万元[1]",  # '⑴' is '(1)' in NFKC: the figure's position used to shift by two
])
def test_characters_whose_normal_form_differs_neither_hide_nor_change_a_figure(text):
    assert found(text) == [("15.30", "万元", "15.30万元")]


# ------------------------------------------------------------------ same_amount


@pytest.mark.parametrize("value, unit, fact_value, fact_unit", [
    ("182877100", "元", "18287.71", "万元"),
    ("182877100.00", "元", "18287.71", "万元"),
    ("1.828771", "亿元", "18287.71", "万元"),
    ("18287.710", "万元", "18287.71", "万元"),
    ("153000", "元", "15.30", "万元"),
    ("54.1", "%", "54.1", "%"),
    ("15.30", None, "15.30", "万元"),  # a bare number is compared by value
])
def test_same_amount(value, unit, fact_value, fact_unit):
    assert same_amount(D(value), unit, D(fact_value), fact_unit)


@pytest.mark.parametrize("value, unit, fact_value, fact_unit", [
    ("1.83", "亿元", "18287.71", "万元"),  # rounded: not the amount the document states
    ("18287.7", "万元", "18287.71", "万元"),
    ("182877101", "元", "18287.71", "万元"),
    ("15.30", "元", "15.30", "万元"),
    ("15.30", "亿元", "15.30", "万元"),
    ("15.30", "%", "15.30", "万元"),
    ("15.30", "万元", "15.30", "%"),
    ("15", "人", "15", "万元"),
    ("54.1", "个百分点", "54.1", "%"),
])
def test_different_amounts(value, unit, fact_value, fact_unit):
    assert not same_amount(D(value), unit, D(fact_value), fact_unit)


# ------------------------------------------------------------------ verify_figures


def statuses(figures) -> list[tuple[str, str]]:
    return [(f.text, f.status) for f in figures]


def test_a_cited_facts_amount_is_confirmed_with_its_citation():
    facts = [(1, fact("15.30")), (2, fact("3.30", fact_id="f2"))]
    figures = verify_figures("三公经费预算 15.30万元[1]，其中公务接待费 33,000 元[2]。", facts, [])
    assert statuses(figures) == [("15.30万元", "已核实"), ("33,000 元", "已核实")]
    assert [f.citations for f in figures] == [[1], [2]]
    assert figures[0].value == D("15.30") and figures[0].unit == "万元"
    assert figures[1].value == D("33000") and figures[1].unit == "元"


def test_the_same_amount_in_two_cited_facts_lists_both():
    facts = [(2, fact("15.30", fact_id="text")), (1, fact("15.30"))]
    [figure] = verify_figures("15.30万元", facts, [])
    assert figure.status == "已核实" and figure.citations == [1, 2]


def test_a_computed_value_is_marked_with_its_formula():
    computed = [Computed(D("12.00"), "万元", "15.30 − 3.30 = 12.00", (1, 2))]
    facts = [(1, fact("15.30")), (2, fact("3.30", fact_id="f2"))]
    figures = verify_figures("两者相差 12.00 万元（15.30万元[1] − 3.30万元[2]）。", facts, computed)
    assert statuses(figures) == [("12.00 万元", "计算"), ("15.30万元", "已核实"), ("3.30万元", "已核实")]
    assert figures[0].formula == "15.30 − 3.30 = 12.00" and figures[0].citations == [1, 2]
    assert figures[1].formula is None


def test_a_value_both_stated_and_computed_is_confirmed():
    computed = [Computed(D("15.30"), "万元", "3.30 + 12 = 15.30", (1,))]
    [figure] = verify_figures("合计 15.30万元", [(1, fact("15.30"))], computed)
    assert figure.status == "已核实" and figure.formula is None


@pytest.mark.parametrize("text", [
    "预算为 15.31万元[1]。",  # close, not equal
    "预算为 15.3001万元[1]。",
    "预算为 15.30元[1]。",  # right digits, wrong unit
    "预算为 15.30亿元[1]。",
    "预算为 15.30%[1]。",  # a percentage with the amount's digits
    "预算为 15.30 个百分点[1]。",
    "预算为 1,530万元[1]。",
    "预算为 0.15亿元[1]。",  # rounded conversion
    "共 15 人。",
    "大约 99 万元。",
])
def test_anything_else_is_unconfirmed(text):
    facts = [(1, fact("15.30"))]
    computed = [Computed(D("12.00"), "万元", "15.30 − 3.30 = 12.00", (1,))]
    [figure] = verify_figures(text, facts, computed)
    assert figure.status == "未核实" and figure.citations == [] and figure.formula is None


def test_a_computed_value_in_another_unit_is_unconfirmed():
    computed = [Computed(D("12.00"), "万元", "15.30 − 3.30 = 12.00", (1,))]
    [figure] = verify_figures("相差 12.00%", [], computed)
    assert figure.status == "未核实"


def test_without_facts_every_figure_is_unconfirmed():
    figures = verify_figures("2024年预算 15.30万元[1]，下降 54.1%[1]。", [], [])
    assert statuses(figures) == [("15.30万元", "未核实"), ("54.1%", "未核实")]


def test_figure_text_is_the_span_in_the_original_answer():
    text = "……据表９，预算为 １５．３０ 万元［1］，比上年下降５４．１％。"
    figures = verify_figures(text, [(1, fact("15.30")), (2, fact("54.1", "%", "f2"))], [])
    assert statuses(figures) == [("１５．３０ 万元", "已核实"), ("５４．１％", "已核实")]  # 表９ is a table number


# ------------------------------------------------------------------ units as text facts read them


def text_fact(value: str, unit: str, fact_id: str) -> Fact:
    return Fact(id=fact_id, doc_id="longgang-2024", kind="text", value=D(value), unit=unit, page=5,
                sentence=f"…{value}{unit}…")


@pytest.mark.parametrize("text, unit, fact_unit", [
    ("购置设备 5台（套）[1]", "台(套)", "台(套)"),
    ("建设周期 12 个月[1]", "个月", "个月"),
    ("发表文章 3 篇[1]", "篇", "篇"),  # a small number with a unit is a figure, not a list number
    ("服务 1.2 万人次[1]", "万人次", "万人次"),
])
def test_a_count_in_a_text_facts_unit_is_read_with_that_unit(text, unit, fact_unit):
    value = answer_quantities(text)[0].value
    [figure] = verify_figures(text, [(1, text_fact(str(value), fact_unit, "t1"))], [])
    assert figure.unit == unit and figure.status == "已核实" and figure.text in text and figure.text.endswith(text[-4:-3])


@pytest.mark.parametrize("text", ["发表文章 8 篇。", "增长 2 倍。", "服务 1.2 万人[1]。", "建设周期 12 个[1]。"])
def test_a_count_no_fact_states_is_unconfirmed(text):
    facts = [(1, text_fact("1.2", "万人次", "t1")), (2, text_fact("12", "个月", "t2"))]
    [figure] = verify_figures(text, facts, [])
    assert figure.status == "未核实"


def test_a_word_that_begins_with_a_unit_character_is_no_unit():
    assert [(q.raw, q.unit) for q in answer_quantities("共有 30 人员编制，26 人在岗")] == [("30", None), ("26", "人")]


@pytest.mark.parametrize("text, expected", [
    ("分别为 3.30 万元，12 万元。", [("3.30", "万元"), ("12", "万元")]),  # '，' is ',' in NFKC
    ("预算15.30万元,16.30万元", [("15.30", "万元"), ("16.30", "万元")]),
    ("三公经费，99万元", [("99", "万元")]),
    ("合计 18,287.71 万元，1,813 万元", [("18,287.71", "万元"), ("1,813", "万元")]),
])
def test_a_number_after_a_comma_is_a_figure(text, expected):
    assert [(q.raw, q.unit) for q in answer_quantities(text)] == expected
