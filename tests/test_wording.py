"""Answer wording (qa/wording.py with prompts/wording.yaml), on figures built by hand: a comparison names both
values, the larger and the difference; a ranking names the first and then every document; a sum gives its parts;
'分别' gives every item; a stated change gives the figure, the change and its rate; organisations are called by
what tells them apart. The figures' values are the sample documents' (三公经费 2024: 15.30 and 6.27 万元)."""
from __future__ import annotations

from decimal import Decimal

from index.model import Fact
from qa.execute.lookup import Found
from qa.plan.names import called_apart
from qa.answer.wording import word_answer

NAMES = {"a": (2024, "深圳市甲区某局"), "b": (2024, "深圳市乙区某局"), "c": (2023, "深圳市丙区某局")}


def name_of(doc_id: str, unit: str | None):
    return NAMES[doc_id]


def figure(doc_id: str, value: str, label: str = "三公经费", unit: str = "万元") -> Found:
    fact = Fact(id=f"{doc_id}-{value}", doc_id=doc_id, kind="text", value=Decimal(value), unit=unit, page=1,
                printed=value, sentence=f"{label}{value}{unit}", subject=label)
    return Found(Decimal(value), unit, [fact], label, confirmed=True)


def test_a_comparison_names_both_values_the_larger_and_the_difference():
    a, b = figure("a", "15.30"), figure("b", "6.27")
    found = Found(Decimal("9.03"), "万元", a.facts + b.facts, "差额", "|15.30 − 6.27| = 9.03", parts=[a, b])
    worded = word_answer(found, "difference", name_of)
    assert worded.text.startswith("甲区 15.30万元[1]，乙区 6.27万元[2]，甲区多 9.03万元。"), worded.text
    assert [(c.label, c.value, c.citations) for c in worded.compared] == [("甲区", Decimal("15.30"), [1]),
                                                                           ("乙区", Decimal("6.27"), [2])]


def test_a_ranking_names_the_first_and_every_document_largest_first():
    parts = [figure("a", "15.30"), figure("b", "6.27"), figure("c", "22.91")]
    found = Found(Decimal("22.91"), "万元", [f for p in parts for f in p.facts], "三公经费", parts=parts)
    text = word_answer(found, "max", name_of).text
    assert "2023年丙区最多" in text and text.index("2023年丙区 22.91") < text.index("2024年甲区 15.30") < text.index("2024年乙区 6.27")


def test_a_ranking_says_which_documents_give_no_figure():
    parts = [figure("a", "15.30"), figure("b", "6.27")]
    found = Found(Decimal("15.30"), "万元", [f for p in parts for f in p.facts], "三公经费", parts=parts, missing=["c"])
    assert "丙区 文档中未找到" in word_answer(found, "max", name_of).text


def test_each_item_asked_is_answered_with_its_own_citation():
    a, b = figure("a", "15.30"), figure("b", "6.27")
    text = word_answer(Found(a.value, a.unit, a.facts, a.label, others=[b]), "lookup", name_of).text
    assert text == "2024年深圳市甲区某局三公经费为 15.30万元[1]；2024年深圳市乙区某局三公经费为 6.27万元[2]。"


def test_a_sum_gives_each_part_then_the_total():
    a, b = figure("a", "3.30", "公务接待费"), figure("a", "12", "公务用车运行维护费")
    found = Found(Decimal("15.30"), "万元", a.facts + b.facts, "合计", "3.30 + 12 = 15.30", parts=[a, b])
    assert word_answer(found, "sum", name_of).text == (
        "2024年深圳市甲区某局公务接待费 3.30万元[1]，公务用车运行维护费 12万元[2]，合计 15.30万元。计算：3.30 + 12 = 15.30。")


def test_a_stated_change_gives_the_figure_the_change_and_its_rate():
    base = figure("a", "5665", "部门预算收入").facts[0]
    amount = Fact(id="chg", doc_id="a", kind="text", value=Decimal("977"), unit="万元", page=1, subject="增加")
    rate = Fact(id="rate", doc_id="a", kind="text", value=Decimal("21"), unit="%", page=1, subject="增长")
    found = Found(Decimal("977"), "万元", [amount, base], "部门预算收入增加", base=base,
                  others=[Found(Decimal("21"), "%", [rate, base], "部门预算收入增长", base=base)])
    assert word_answer(found, "growth_amount", name_of).text == \
        "2024年深圳市甲区某局部门预算收入为 5,665万元[1]，增加 977万元[2]，增长 21%[3]。"


def test_organisations_are_called_by_what_tells_them_apart():
    assert called_apart(["临海市东城区数据局", "临海市西山区数据局"]) == ["东城区", "西山区"]
    assert called_apart(["东海市临江区人民政府石桥街道办事处", "东海市临江区教育局"]) == ["石桥街道", "教育局"]
    assert called_apart(["南江省人民法院", "南江省卫生健康委员会"]) == ["人民法院", "卫生健康委员会"]
    assert called_apart(["临海市东城区数据局", "东海市临江区教育局"]) == ["东城区数据局", "临江区教育局"]
    assert called_apart(["临海市东城区数据局", "临海市东城区数据局（本级）"]) == ["临海市东城区数据局", "临海市东城区数据局（本级）"]
