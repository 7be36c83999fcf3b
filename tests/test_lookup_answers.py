"""The deterministic path on a real index (real embedding model, real Chroma) of four sample disclosures.

Each question is worded here (not taken from the gold set); each expected figure was read from the
documents:

- pingshan-2023 第二部分: 部门预算收入 29,760 万元; baoan-2023 第二部分: （本级）部门预算收入 5,665 万元.
- baoan-2023 第四部分: 政府采购项目纳入 2023 年部门预算共计 677 万元; 表3 本级 政府采购项目 小计 1,054.
- longgang-2024 第五部分 2.: 公务接待费 2024 年预算数 3.30 万元; yantian-2024 第五部分 2.: 2024年预算数0.00万元.
- longgang-2024 第二部分: 部门预算支出 … 减少 28.5%; yantian-2024: 部门预算收入 … 下降7.5%.
- pingshan-2023 第三部分 2.: 一般行政管理事务预算 789 万元，主要包括聘用人员经费 555 万元.
- yantian-2024 表12: 窗口服务人员人数 ≥26人.
- yantian-2024 表2/表3: 深圳市盐田区政务服务中心 收入总计 3,833.83; 表1 收入总计 4,398.38.
- longgang-2024 第四部分: 政府采购项目共有 5,845.89 万元，其中：…服务类项目 5,648.67 万元.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import engine_over

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """Index four sample disclosures into a temporary folder; return qa.engine answering from it."""
    files = [ROOT / "data" / f"{stem}.txt" for stem in ("baoan-2023", "pingshan-2023", "yantian-2024", "longgang-2024")]
    with engine_over(tmp_path_factory.mktemp("lookup-index"), files) as engine:
        yield engine


def cited_docs(answer) -> set[str]:
    return {c.doc_id for c in answer.citations}


def test_a_ratio_divides_the_first_named_figure_by_the_second(engine):
    answer = engine.query("2023年坪山区政务服务数据管理局的部门预算收入是宝安区政务服务数据管理局的几倍？")
    assert (answer.value, answer.unit) == (Decimal("5.25"), "倍"), answer.text
    assert "29,760 ÷ 5,665" in answer.text
    assert cited_docs(answer) == {"pingshan-2023", "baoan-2023"}


def test_each_document_asked_about_gets_its_own_cited_figure(engine):
    answer = engine.query("2024年龙岗区、盐田区数据局的公务接待费预算各是多少？")
    assert answer.value == Decimal("3.30"), answer.text  # the first named district's
    assert cited_docs(answer) == {"longgang-2024", "yantian-2024"}
    shown = {(f.value, f.status) for f in answer.figures}
    assert (Decimal("3.30"), "已核实") in shown and (Decimal("0.00"), "已核实") in shown


def test_amounts_the_question_states_are_each_shown_where_the_documents_give_them(engine):
    answer = engine.query("宝安区数据局2023年政府采购预算到底是677万元还是1054万元？")
    cited_values = {f.value for f in answer.figures if f.citations}
    assert {Decimal("677"), Decimal("1054")} <= cited_values, answer.text
    assert any(c.table_kind == "支出总表" for c in answer.citations)  # 1,054 is the 支出总表's 政府采购项目 小计


def test_two_stated_rates_are_compared_in_percentage_points(engine):
    answer = engine.query("2024年龙岗区和盐田区数据局部门预算的降幅相差多少个百分点？")
    assert (answer.value, answer.unit) == (Decimal("21.0"), "个百分点"), answer.text
    assert "28.5" in answer.text and "7.5" in answer.text


def test_the_part_named_inside_its_container_is_the_figure_asked(engine):
    answer = engine.query("坪山区数据局2023年一般行政管理事务里的聘用人员经费是多少？")
    assert answer.value == Decimal("555"), answer.text
    assert not answer.discrepancies  # 789 is the container, not a disagreeing figure


def test_a_performance_indicator_count_is_found_in_the_performance_table(engine):
    answer = engine.query("盐田区2024年绩效目标里窗口服务人员人数的目标值是多少？")
    assert (answer.value, answer.unit) == (Decimal("26"), "人"), answer.text
    assert any(c.table_kind == "绩效目标表" for c in answer.citations)


def test_a_units_share_of_the_department_uses_the_units_whole_budget(engine):
    answer = engine.query("盐田区政务服务中心2024年预算占部门预算的比重是多少？")
    assert (answer.value, answer.unit) == (Decimal("87.16"), "%"), answer.text
    assert "3,833.83 ÷ 4,398.38" in answer.text


def test_an_item_listed_after_its_total_is_found_by_its_own_name(engine):
    answer = engine.query("龙岗区数据局2024年政府采购里服务类项目是多少？")
    assert answer.value == Decimal("5648.67"), answer.text


def test_a_bare_sentence_figure_is_read_with_its_heading(engine):
    answer = engine.query("龙岗区数据局2024年公务接待费安排了多少？")
    assert answer.value == Decimal("3.30"), answer.text  # '2. 公务接待费。2024 年预算数 3.30 万元'
    assert "公务接待费" in answer.text


def test_an_organisation_no_table_lists_gets_no_figure_of_its_own(engine):
    # pingshan-2023 第八部分: 政务服务和大数据中心 1 家事业单位为非独立核算单位 — budgeted inside the department.
    answer = engine.query("坪山区政务服务和大数据中心2023年的预算是多少？")
    assert answer.refused and answer.text.startswith("文档中未找到") and answer.value is None
    assert not [f for f in answer.figures if f.status == "已核实"]
    listed = engine.query("龙岗区大数据中心2024年预算是多少？")  # a 预算单位 of longgang-2024's tables
    assert not listed.refused and listed.value is not None
