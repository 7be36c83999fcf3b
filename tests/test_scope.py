"""The same questions asked of one index holding several regions, departments, years and both kinds: five real
disclosures as published (a province's court and procuratorate, a district's justice bureau and finance bureau's
决算, a street office; public government publications, see data/real/README.md) and two sample district
budgets. Expected figures were read from the documents' pages (eval/gold.jsonl names each page and line).

What is checked: the answer comes from the disclosure the question names and no other; a short name, a
region at any level, a 决算 and a 元 table are read as a person means them; two disclosures that fit equally
are both answered, labelled; what is not indexed is refused with what comes closest; comparisons and rankings
are worded with both values, the larger and the difference; and no figure from outside the scope is 已核实.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import engine_over

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "data" / "real"
COURT, PROCURATORATE = "jiangsu-high-court-2017-budget", "jiangsu-procuratorate-2019-budget"
JUSTICE, FINANCE, STREET = ("shanghai-putuo-justice-2026-budget", "shanghai-putuo-finance-2024-final",
                            "shanghai-putuo-wanli-street-2023-budget")
SAMPLES = ("longgang-2024", "yantian-2024")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """Index the five real PDFs and two sample budgets into a temporary folder; return qa.engine over it."""
    files = sorted(REAL.glob("*.pdf")) + [ROOT / "data" / f"{s}.txt" for s in SAMPLES]
    with engine_over(tmp_path_factory.mktemp("scope-index"), files) as engine:
        yield engine


def cited_docs(answer) -> set[str]:
    return {c.doc_id for c in answer.citations}


def confirmed_docs(answer) -> set[str]:
    """The documents that 已核实 figures of the answer rest on."""
    by_n = {c.n: c.doc_id for c in answer.citations}
    return {by_n[n] for f in answer.figures if f.status == "已核实" for n in f.citations}


@pytest.mark.parametrize(("question", "doc", "value", "unit"), [
    # the department in full, and as people shorten it (省检察院, 江苏高院, a street office by its place)
    ("江苏省人民检察院2019年收入预算总表中公共财政拨款（补助）资金是多少？", PROCURATORATE, "24169.74", "万元"),
    ("省检察院2019年支出预算总表中的项目支出是多少？", PROCURATORATE, "4335.30", "万元"),
    ("江苏高院2017年部门支出预算总表中单位预留机动经费是多少？", COURT, "182.92", "万元"),
    ("万里街道2023年部门支出预算总表中，其他城乡社区管理事务支出的基本支出是多少元？", STREET, "46161905", "元"),
    ("普陀区司法局2026年“三公”经费预算中公务接待费是多少？", JUSTICE, "0.83", "万元"),
    # a 决算 and its 决算数 column
    ("普陀区财政局2024年支出决算表中，基本支出合计决算数是多少？", FINANCE, "2336.91", "万元"),
    ("普陀区财政局2024年一般公共预算财政拨款基本支出决算表中，办公费决算数是多少？", FINANCE, "21.21", "万元"),
    # a sample district budget beside them
    ("龙岗区数据局2024年三公经费预算多少？", "longgang-2024", "15.30", "万元"),
])
def test_a_question_is_answered_from_the_disclosure_it_names(engine, question, doc, value, unit):
    answer = engine.query(question)
    assert not answer.refused, answer.text
    assert answer.value == Decimal(value) and answer.unit == unit, answer.text
    assert cited_docs(answer) == {doc}, answer.citations
    assert any(f.status == "已核实" and f.value == Decimal(value) for f in answer.figures), answer.figures


def test_a_question_asking_wan_yuan_of_a_yuan_table_gets_the_conversion_with_the_printed_figure(engine):
    # 普陀区司法局 收入预算总表 住房公积金 2087959.00 元 (gold ptj26-c01)
    answer = engine.query("普陀区司法局2026年收入预算总表里住房公积金是多少万元？")
    assert answer.value == Decimal("208.80") and answer.unit == "万元", answer.text
    assert "2,087,959.00" in answer.text and "208.80" in answer.text, answer.text
    main = next(f for f in answer.figures if f.value == Decimal("208.80"))
    assert main.status == "计算" and "2,087,959.00" in (main.formula or ""), answer.figures
    assert cited_docs(answer) == {JUSTICE}


def test_a_comparison_names_both_values_the_larger_and_the_difference(engine):
    # 万里街道 2023 机关运行经费 786.09 万元, 司法局 2026 217.83 万元 (gold xr-s04)
    answer = engine.query("万里街道2023年的机关运行经费预算比普陀区司法局2026年多多少？")
    assert answer.value == Decimal("568.26"), answer.text
    assert "786.09" in answer.text and "217.83" in answer.text, answer.text
    larger = re.search(r"，([^，]*?)多 568\.26", answer.text)
    assert larger and "万里" in larger.group(1), answer.text
    assert cited_docs(answer) == {STREET, JUSTICE}


def test_a_comparison_across_units_is_made_in_one_unit(engine):
    # 财政拨款收入: 万里街道 164,978,640 元, 司法局 96,282,213.44 元 → 16,497.86 and 9,628.22 万元 (gold xr-s02)
    answer = engine.query("万里街道2023年的财政拨款收入预算比普陀区司法局2026年多多少万元？")
    assert answer.value == Decimal("6869.64") and answer.unit == "万元", answer.text
    assert "16,497.86" in answer.text and "9,628.22" in answer.text, answer.text


def test_two_disclosures_fitting_equally_are_both_answered_each_labelled(engine):
    # two 2024 数据局 are indexed: 龙岗 15.30 万元, 盐田 6.27 万元 (gold x-04)
    answer = engine.query("数据局2024年三公经费预算多少？")
    assert not answer.refused, answer.text
    assert {"longgang-2024", "yantian-2024"} <= cited_docs(answer), answer.citations
    assert "15.30" in answer.text and "6.27" in answer.text, answer.text
    assert "龙岗" in answer.text and "盐田" in answer.text, answer.text


def test_a_ranking_covers_every_disclosure_in_scope_each_cited(engine):
    # 部门预算收入: 龙岗 18,287.71 万元, 盐田 4,398.38 万元 (gold x-01)
    answer = engine.query("龙岗区和盐田区的数据局，哪个区的部门预算收入最多？")
    assert answer.value == Decimal("18287.71"), answer.text
    assert answer.text.index("龙岗") < answer.text.index("最多"), answer.text
    assert "4,398.38" in answer.text, answer.text
    assert {"longgang-2024", "yantian-2024"} == cited_docs(answer)


@pytest.mark.parametrize(("question", "closest"), [
    ("上海市财政局2025年财政拨款收入是多少？", "财政局"),       # a city's bureau: only a district's is indexed
    ("普陀区司法局2023年三公经费预算多少？", "2026"),           # a year not indexed (nor the one after)
    ("普陀区司法局2026年决算支出是多少？", "司法局"),            # a 决算 where only the budget is indexed
    ("南京市检察院2019年部门预算收入是多少？", "检察院"),        # a place not indexed
])
def test_what_is_not_indexed_is_refused_with_what_comes_closest(engine, question, closest):
    answer = engine.query(question)
    assert answer.refused, answer.text
    assert "文档中未找到" in answer.text and closest in answer.text, answer.text
    assert not any(f.status == "已核实" for f in answer.figures)


@pytest.mark.parametrize("question", [
    "江苏省人民检察院2019年部门预算收入总计是多少？",
    "上海市普陀区司法局2026年一般公共预算财政拨款支出是多少万元？",
    "普陀区财政局2024年决算的年末结转和结余是多少？",
    "万里街道2023年部门财务收支预算总表中城乡社区支出预算数是多少元？",
])
def test_no_figure_from_outside_the_scope_is_confirmed(engine, question):
    answer = engine.query(question)
    named = {"检察院": PROCURATORATE, "司法局": JUSTICE, "财政局": FINANCE, "万里": STREET}
    doc = next(d for word, d in named.items() if word in question)
    assert confirmed_docs(answer) <= {doc}, (answer.text, answer.citations)


@pytest.mark.parametrize(("question", "doc", "reason"), [
    # 2026年部门国有资本经营预算支出功能分类预算表 (page 18), printed with only its header and a note
    ("普陀区司法局2026年国有资本经营预算支出安排在哪些科目上？", JUSTICE, "本部门2026年无国有资本经营预算财政拨款安排的预算"),
    # 国有资本经营预算财政拨款收入支出决算表 (page 20), its note
    ("普陀区财政局2024年国有资本经营预算财政拨款支出决算有哪些科目？", FINANCE, "无国有资本经营预算财政拨款支出"),
])
def test_a_table_published_empty_is_answered_as_empty_with_its_reason(engine, question, doc, reason):
    answer = engine.query(question)
    assert "空表" in answer.text and reason in answer.text, answer.text
    assert answer.value is None and not any(f.status == "已核实" for f in answer.figures)
    assert any(c.doc_id == doc and c.table_kind == "国有资本经营预算支出表" for c in answer.citations)


def test_an_item_no_document_prints_is_not_found_with_the_items_that_come_closest(engine):
    """longgang-2024 prints 公务用车运行维护费 (第五部分 and the 三公 table), no '公务车维修保养费'."""
    answer = engine.query("龙岗区数据局2024年公务车维修保养费是多少？")
    assert answer.refused and answer.value is None and not answer.figures, answer.text
    assert "文档中印有的相近项目" in answer.text and "公务用车运行维护费" in answer.text


def test_a_question_naming_no_fund_is_answered_from_the_table_of_all_funds(engine):
    """普陀区司法局 2026, 2026年部门支出预算总表 (page 12): 204 06 05 普法宣传 合计 1242900.00 元, printed again in
    the 一般公共预算 table; no fund named, the table of all funds is cited first."""
    answer = engine.query("普陀区司法局2026年普法宣传支出预算是多少元？")
    assert (answer.value, answer.unit) == (Decimal("1242900.00"), "元"), answer.text
    assert answer.citations[0].table_kind == "支出总表"
