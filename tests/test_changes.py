"""Stated changes (qa/changes.py) on the real sample disclosures.

Which level figure each stated change belongs to is read from the documents' own sentences; the
end-to-end answers run on a real index (real embedding model, real Chroma) of three disclosures.
Figures below are read from the documents:

- baoan-2023 (三、（四）1.): '一般行政管理事务经费预算 2,217 万元，主要包括：分厅用房租赁费 165 万元、…。
  较 2022 年预算增加 612 万元，增长 38%' — so the 2022 budget was 2,217 − 612 = 1,605.
- baoan-2023 (第二部分): '部门预算收入 5,665 万元，比 2022 年增加 977 万元，增长 21%'.
- yantian-2024 (第二部分): '2024年部门预算收入4,398.38万元，较2023年年初预算减少356.76万元，下降7.5%'.
- yantian-2024 (政务服务中心 4.): '政府投资项目 915.71 万元，主要包括：…（eleven amounts）…。较 2023 年预算减少
  273.60 万元，减幅 23%'.
- longgang-2024 (本级 3.): '政务管理 2,426.71 万元，…。较 2023 年年初预算增加 250.33 万元，增幅 11.5%。'
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import engine_over

from index.reading.load import load
from index.facts.structure import document_to_structure
from qa.execute.changes import change_bases, strip_change
from qa.execute.lookup import DocFacts, doc_facts

ROOT = Path(__file__).resolve().parents[1]


def facts_of(stem: str) -> DocFacts:
    doc = load(ROOT / "data" / f"{stem}.txt")
    return doc_facts(doc.id, doc.meta.department, doc.meta.year, document_to_structure(doc).facts)


def bases_by_change(stem: str) -> dict[tuple[Decimal, str], Decimal]:
    """Given a sample document, return {(change value, unit): its base's value} for every linked change."""
    docs = facts_of(stem)
    by_id = {f.id: f for f in docs.facts}
    return {(by_id[change_id].value, by_id[change_id].unit): base.value for change_id, base in change_bases(docs).items()}


@pytest.mark.parametrize(("stem", "change", "unit", "base"), [
    ("baoan-2023", "612", "万元", "2217"),  # its own sentence opens with 较: the list item's lead
    ("baoan-2023", "38", "%", "2217"),
    ("baoan-2023", "977", "万元", "5665"),  # same sentence
    ("yantian-2024", "356.76", "万元", "4398.38"),
    ("yantian-2024", "273.60", "万元", "915.71"),  # eleven project amounts stand between them
    ("longgang-2024", "250.33", "万元", "2426.71"),
    ("longgang-2024", "11.5", "%", "2426.71"),
])
def test_a_stated_change_belongs_to_the_figure_it_changes(stem, change, unit, base):
    assert bases_by_change(stem)[(Decimal(change), unit)] == Decimal(base)


def test_a_change_is_never_its_own_base_and_only_amounts_are_bases():
    for stem in ("baoan-2023", "yantian-2024", "longgang-2024", "futian-2022", "pingshan-2023"):
        docs = facts_of(stem)
        for change_id, base in change_bases(docs).items():
            assert base.id != change_id
            assert base.unit in ("万元", "元", "亿元"), (stem, base.subject, base.unit)


@pytest.mark.parametrize(("question", "level"), [
    ("宝安区数据局2023年部门预算支出比上年增长了多少？", "宝安区数据局2023年部门预算支出"),
    ("福田区数据管理中心2022年电子政务运行维护预算比2021年增加了多少？", "福田区数据管理中心2022年电子政务运行维护预算"),
    ("坪山区政务服务数据管理局2023年政府投资项目预算增长了多少？", "坪山区政务服务数据管理局2023年政府投资项目预算"),
    ("龙岗区和盐田区的部门预算都比上年下降了，哪个降幅更大？大多少个百分点？", "龙岗区和盐田区的部门预算都，哪个"),
])
def test_strip_change_leaves_the_level_question(question, level):
    assert strip_change(question) == level


# ---------------------------------------------------------------- answers on a real index


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """Index three sample disclosures into a temporary folder; return qa.engine answering from it."""
    files = [ROOT / "data" / f"{stem}.txt" for stem in ("baoan-2023", "yantian-2024", "longgang-2024")]
    with engine_over(tmp_path_factory.mktemp("changes-index"), files) as engine:
        yield engine



@pytest.mark.slow
@pytest.mark.parametrize(("question", "value", "formula"), [
    ("宝安区数据局一般行政管理事务经费2022年预算是多少？", "1605", "2,217 − 612 = 1,605"),
    ("由2023年预算说明推算，宝安区数据局2022年部门预算收入是多少？", "4688", "5,665 − 977 = 4,688"),
    ("盐田区政务服务数据管理局2023年年初部门预算是多少？", "4755.14", "4,398.38 + 356.76 = 4,755.14"),
    ("盐田区政务服务中心政府投资项目2023年的预算是多少？", "1189.31", "915.71 + 273.60 = 1,189.31"),
])
def test_an_earlier_year_is_derived_from_the_following_budget_and_shown_as_computed(engine, question, value, formula):
    answer = engine.query(question)
    assert not answer.refused, answer.text
    assert answer.value == Decimal(value) and answer.unit == "万元"
    assert formula in answer.text
    main = next(f for f in answer.figures if f.value == Decimal(value))
    assert main.status == "计算"  # derived, never shown as a figure the document prints
    assert {c.doc_id for c in answer.citations} == {"baoan-2023" if "宝安" in question else "yantian-2024"}


@pytest.mark.slow
@pytest.mark.parametrize(("question", "value", "unit"), [
    ("宝安区数据局2023年部门预算支出比上年增长了多少？", "21", "%"),  # 增长 states the rate
    ("宝安区数据局2023年部门预算支出比上年增加了多少？", "977", "万元"),  # 增加 states the amount
    ("龙岗区政务服务数据管理局本级2024年“政务管理”项目比2023年年初预算增加了多少？", "250.33", "万元"),
])
def test_a_change_question_gets_the_change_stated_with_the_figure(engine, question, value, unit):
    answer = engine.query(question)
    assert (answer.value, answer.unit) == (Decimal(value), unit), answer.text
    assert any(f.status == "已核实" and f.value == Decimal(value) for f in answer.figures)


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "龙岗区政务服务数据管理局2021年部门预算支出是多少？",  # the 2024 budget states changes against 2023 only
    "盐田区政务服务数据管理局2022年部门预算收入是多少？",
    "宝安区数据局2024年部门预算收入多少钱？",  # a later year is never derived
])
def test_a_year_no_budget_states_is_still_not_found(engine, question):
    answer = engine.query(question)
    assert answer.refused and answer.text.startswith("文档中未找到")
    assert answer.value is None and not answer.figures


@pytest.mark.slow
def test_a_change_asked_after_its_figure_is_the_change_stated_of_that_figure_whichever_way_it_went(engine):
    """'…是多少？比上年增加了多少？': the second part names no item; it asks the change of the figure just found.
    The document states a decrease, so the answer is that decrease, in the document's words, and the level is
    worded once."""
    answer = engine.query("盐田区政务服务数据管理局2024年部门预算收入是多少？比上年增加了多少？")
    assert "减少 356.76万元" in answer.text.replace(",", ""), answer.text
    assert answer.text.count("4,398.38") == 1, answer.text
    confirmed = {f.value for f in answer.figures if f.status == "已核实"}
    assert {Decimal("4398.38"), Decimal("356.76")} <= confirmed
