"""Tests of qa.plan.analyze and qa.plan.scope: what a question names and asks, and which disclosures it is about.

The catalogue is the five sample disclosures' metadata as read from ``data/*.txt`` (region, year,
department, 预算单位 names as the documents print them, and a few row names of their tables),
hard-coded so that these tests do not depend on the loader. Scope over real disclosures of several
regions, levels and kinds is tested in tests/test_scope.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.tables.kinds import knowledge

from qa.plan.analyze import VOCABULARY_PATH, Intent, analyze, load_vocabulary
from qa.plan.names import CatalogueEntry
from qa.plan.scope import resolve_scope

LONGGANG = CatalogueEntry(
    doc_id="longgang-2024", region=("深圳市", "龙岗区"), year=2024, kind="部门预算",
    department="深圳市龙岗区政务服务数据管理局",
    budget_units=("深圳市龙岗区政务服务数据管理局（本级）", "深圳市龙岗区大数据中心"),
    row_names=("工资福利支出", "委托业务费", "劳务费", "维修（护）费", "信息网络及软件购置更新", "行政运行",
               "一般行政管理事务", "事业运行", "统计信息事务", "信息事务", "其他对个人和家庭的补助",
               "其他政府办公厅（室）及相关机构事务支出", "收入总计", "深圳市龙岗区大数据中心"),
)
YANTIAN = CatalogueEntry(
    doc_id="yantian-2024", region=("深圳市", "盐田区"), year=2024, kind="部门预算",
    department="深圳市盐田区政务服务数据管理局",
    budget_units=("深圳市盐田区政务服务数据管理局（本级）", "深圳市盐田区政务服务中心"),
    row_names=("综合管理类", "信息化类", "政务服务", "政府投资项目", "网信事务", "信息安全事务", "人大事务"),
)
BAOAN = CatalogueEntry(
    doc_id="baoan-2023", region=("深圳市", "宝安区"), year=2023, kind="部门预算",
    department="深圳市宝安区政务服务数据管理局（本级）",
    budget_units=("深圳市宝安区政务服务数据管理局（本级）",),
    row_names=("委托业务费", "政务公开审批", "对企业补助", "费用补贴", "组织事务", "宣传事务"),
)
PINGSHAN = CatalogueEntry(
    doc_id="pingshan-2023", region=("深圳市", "坪山区"), year=2023, kind="部门预算",
    department="深圳市坪山区政务服务数据管理局",
    budget_units=("深圳市坪山区政务服务数据管理局本级", "深圳市坪山区政务服务和大数据中心"),
    row_names=("其他网信事务支出", "租赁费", "会议费", "专用材料费"),
)
FUTIAN = CatalogueEntry(
    doc_id="futian-2022", region=("深圳市", "福田区"), year=2022, kind="部门预算",
    department="深圳市福田区政务服务数据管理局",
    budget_units=("深圳市福田区政务服务数据管理局（本级）", "深圳市福田区政务服务中心", "深圳市福田区数据管理中心"),
)
CATALOGUE = [LONGGANG, YANTIAN, BAOAN, PINGSHAN, FUTIAN]
ALL_DOCS = tuple(e.doc_id for e in CATALOGUE)


class Asked:
    """A question's intent as its scope narrows it, with what scope made of it."""

    def __init__(self, question: str, catalogue: list[CatalogueEntry]) -> None:
        intent = analyze(question, catalogue)
        assert intent.error is None, intent.error
        self.scope = resolve_scope(intent, tuple(catalogue))
        self.intent = self.scope.narrow(intent) if not self.scope.refusal else intent
        names = intent.names
        self.places = tuple(dict.fromkeys(p for n in names.places for p in sorted(n.places)))
        self.unknown = names.unknown
        self.across = names.across
        self.doc_ids = self.scope.doc_ids
        self.refused = self.scope.refusal is not None
        self.following = self.scope.following
        self.named = bool(names.whos or names.unknown or intent.years or intent.relative_year)
        self.years = self.scope.years if not self.refused else intent.years
        self.comparison_years = self.scope.comparison_years if not self.refused else intent.comparison_years

    def __getattr__(self, name: str):
        return getattr(self.intent, name)


def ask(question: str, catalogue=None) -> Asked:
    return Asked(question, CATALOGUE if catalogue is None else catalogue)


# ---------------------------------------------------------------------------------------------
# Questions of many phrasings, with the fields each must give
# ---------------------------------------------------------------------------------------------

CASES = [
    # -- the brief's own examples --
    ("龙岗区数据局2024年三公经费预算多少？",
     dict(places=("龙岗区",), years=(2024,), doc_ids=("longgang-2024",), concepts=("三公经费",),
          budget_unit=None, operation="lookup", wants_number=True, named=True)),
    ("福田区政数局2022年人员支出是多少万元",
     dict(places=("福田区",), years=(2022,), doc_ids=("futian-2022",), concepts=("人员支出",),
          operation="lookup", wants_number=True, unit_hint="万元")),
    ("盐田区政务服务中心今年项目支出多少钱",
     dict(places=("盐田区",), years=(2024,), relative_year="今年", doc_ids=("yantian-2024",),
          budget_unit="深圳市盐田区政务服务中心", concepts=("项目支出",), operation="lookup", wants_number=True)),
    ("龙岗和盐田2024年部门预算收入相差多少",
     dict(places=("龙岗区", "盐田区"), years=(2024,), doc_ids=("longgang-2024", "yantian-2024"),
          concepts=("部门预算收入",), operation="difference", wants_number=True)),
    ("哪个区的三公经费最多",
     dict(places=(), across=True, doc_ids=ALL_DOCS, named=False, concepts=("三公经费",),
          operation="max")),
    ("宝安区数据局2023年委托业务费预算数",
     dict(places=("宝安区",), years=(2023,), doc_ids=("baoan-2023",), row_terms=("委托业务费",),
          concepts=(), operation="lookup", wants_number=True)),
    ("30227科目预算",
     dict(row_terms=("30227",), doc_ids=ALL_DOCS, named=False, operation="lookup")),
    ("坪山区政数局2023年收入预算比上年下降了百分之几",
     dict(places=("坪山区",), years=(2023,), comparison_years=(2022,),
          doc_ids=("pingshan-2023",), concepts=("部门预算收入",), operation="growth_rate", wants_number=True)),
    ("龙岗区大数据中心主要职责包括哪些",
     dict(places=("龙岗区",), doc_ids=("longgang-2024",), budget_unit="深圳市龙岗区大数据中心",
          operation="narrative", wants_number=False)),
    ("南山区2024年预算是多少",
     dict(places=(), unknown=("南山区",), years=(2024,), doc_ids=(), named=True,
          concepts=("部门预算总额",), operation="lookup", wants_number=True)),
    # -- districts: short names, full names, unknown ones --
    ("深圳市龙岗区政务服务数据管理局2024年部门预算支出是多少",
     dict(unknown=(), doc_ids=("longgang-2024",), concepts=("部门预算支出",))),
    ("罗湖区政数局的三公经费是多少",
     dict(places=(), unknown=("罗湖区",), doc_ids=(), concepts=("三公经费",))),
    ("罗湖区今年的公务接待费",
     dict(unknown=("罗湖区",), doc_ids=(), concepts=("公务接待费",))),
    ("龙岗和南山区的三公经费比较",
     dict(places=("龙岗区",), unknown=("南山区",), refused=True, operation="compare")),
    ("海淀区教育局2023年三公经费",
     dict(places=(), unknown=("海淀区",), doc_ids=(), concepts=("三公经费",))),
    ("广州市天河区2024年部门预算",
     dict(unknown=("广州市", "天河区"), doc_ids=(), concepts=("部门预算总额",))),
    ("统计全区社区和园区的经费",
     dict(places=(), unknown=(), named=False)),
    ("深圳市各区三公经费合计",
     dict(places=("深圳市",), unknown=(), across=True, doc_ids=ALL_DOCS, concepts=("三公经费",))),
    # -- years: absolute forms, relative words, unknown years --
    ("24年盐田区公务接待费多少",
     dict(places=("盐田区",), years=(2024,), doc_ids=("yantian-2024",), concepts=("公务接待费",))),
    ("二〇二三年宝安区的公务用车运行维护费",
     dict(years=(2023,), doc_ids=("baoan-2023",), concepts=("公务用车运行维护费",))),
    ("２０２２年度福田区的基本支出",
     dict(years=(2022,), doc_ids=("futian-2022",), concepts=("基本支出",))),
    ("龙岗区2021年三公经费",
     dict(places=("龙岗区",), years=(2021,), doc_ids=(), refused=True)),
    ("龙岗去年的三公经费",  # no 2023 disclosure: only what the 2024 budget states of 2023 counts
     dict(years=(2023,), relative_year="去年", doc_ids=("longgang-2024",), following=True)),
    ("龙岗和福田今年的三公经费分别是多少",
     dict(places=("龙岗区", "福田区"), years=(2022, 2024), relative_year="今年",
          doc_ids=("longgang-2024", "futian-2022"))),
    ("本年度的项目支出",
     dict(years=(2024,), relative_year="本年度", doc_ids=("longgang-2024", "yantian-2024"), named=True)),
    ("2019年的部门预算",
     dict(years=(2019,), doc_ids=())),
    ("龙岗区2024年三公经费比2023年减少了多少万元",
     dict(years=(2024,), comparison_years=(2023,), doc_ids=("longgang-2024",),
          operation="growth_amount", unit_hint="万元")),
    ("宝安区三公经费同比增长多少",
     dict(comparison_years=(2022,), doc_ids=("baoan-2023",), operation="growth_amount")),
    ("与上年相比坪山区三公经费增幅是多少",
     dict(comparison_years=(2022,), doc_ids=("pingshan-2023",), operation="growth_rate")),
    # -- 预算单位 --
    ("龙岗区本级三公经费",
     dict(doc_ids=("longgang-2024",), budget_unit="深圳市龙岗区政务服务数据管理局（本级）", unit_named=True)),
    ("坪山区政数局本级的人员支出",
     dict(doc_ids=("pingshan-2023",), budget_unit="深圳市坪山区政务服务数据管理局本级")),
    ("坪山区大数据中心人员支出",
     dict(budget_unit="深圳市坪山区政务服务和大数据中心", concepts=("人员支出",))),
    ("福田区数据中心2022年基本支出",
     dict(budget_unit="深圳市福田区数据管理中心", doc_ids=("futian-2022",))),
    ("福田区政务服务中心的公用经费",
     dict(budget_unit="深圳市福田区政务服务中心", concepts=("公用经费",))),
    ("深圳市龙岗区大数据中心2024年项目支出",
     dict(places=("深圳市", "龙岗区"), budget_unit="深圳市龙岗区大数据中心", doc_ids=("longgang-2024",))),
    ("大数据中心的项目支出",
     dict(named=False, doc_ids=("longgang-2024",), budget_unit="深圳市龙岗区大数据中心")),
    ("福田区政数局三公经费",
     dict(doc_ids=("futian-2022",), budget_unit=None, unit_named=False)),
    ("龙岗区大数据中心和本级的项目支出合计是多少",
     dict(budget_units={"longgang-2024": ("深圳市龙岗区政务服务数据管理局（本级）", "深圳市龙岗区大数据中心")},
          operation="sum")),
    # -- concepts and their table mapping --
    ("龙岗区“三公”经费中公务接待费是多少",
     dict(concepts=("三公经费", "公务接待费"))),
    ("因公出国（境）费用预算",
     dict(concepts=("因公出国（境）费",))),
    ("盐田区公务用车购置及运行维护费多少",
     dict(concepts=("公务用车购置及运行维护费",))),
    ("龙岗区2024年公务用车购置费",
     dict(concepts=("公务用车购置费",))),
    ("盐田区2024年上年结余结转多少",
     dict(concepts=("上年结余结转",), years=(2024,), relative_year=None, doc_ids=("yantian-2024",))),
    ("本年收入合计是多少",
     dict(concepts=("本年收入合计",), operation="lookup", relative_year=None, column_terms=())),
    ("龙岗区机关运行经费比上年下降了多少",
     dict(concepts=("机关运行经费",), operation="growth_amount", comparison_years=(2023,))),
    ("龙岗区政府采购预算是多少",
     dict(concepts=("政府采购",))),
    ("龙岗区的政府性基金预算支出",
     dict(concepts=("政府性基金",))),
    ("宝安区国有资本经营预算",
     dict(concepts=("国有资本经营",))),
    ("福田区一般公共预算拨款收入",
     dict(concepts=("一般公共预算拨款",), column_terms=("一般公共预算拨款",))),
    ("盐田区财政拨款收入多少",
     dict(concepts=("财政拨款",), column_terms=("财政拨款",))),
    ("龙岗区对个人和家庭的补助",
     dict(concepts=("对个人和家庭的补助",), row_terms=())),
    ("龙岗区一般公共预算支出表（按经济分类）的合计",
     dict(concepts=("一般公共预算支出", "按经济分类"))),
    ("龙岗区2024年绩效目标有哪些",
     dict(concepts=("绩效目标",), operation="narrative")),
    ("福田区政数局有多少个在编人员编制",
     dict(concepts=("人员编制",), wants_number=True)),
    # -- rows and codes --
    ("龙岗区其他对个人和家庭的补助是多少",
     dict(row_terms=("其他对个人和家庭的补助",), concepts=())),
    ("2010504信息事务预算",
     dict(row_terms=("信息事务", "2010504"))),
    ("301科目是多少",
     dict(row_terms=("301",))),
    ("盐田区行政运行科目的预算数是多少",
     dict(row_terms=("行政运行",), wants_number=True)),
    ("龙岗区委托业务预算",
     dict(row_terms=("委托业务费",))),
    ("盐田区信息安全事务多少钱",
     dict(row_terms=("信息安全事务",))),
    ("龙岗区2024年预算18,287.71万元对吗",
     dict(row_terms=(), years=(2024,))),
    ("单价100万元以上设备有几台",
     dict(row_terms=(), concepts=("国有资产占用",), wants_number=True)),
    ("12345热线分拨服务费预算多少",
     dict(row_terms=())),
    ("表8中办公费是多少",
     dict(row_terms=("办公费",), tables_named=("一般公共预算支出经济分类表",))),
    ("表十二绩效目标",
     dict(tables_named=("绩效目标表",))),
    # -- columns --
    ("龙岗区一般公共预算拨款中基本支出拨款是多少",
     dict(column_terms=("一般公共预算拨款", "基本支出拨款"))),
    ("盐田区政府投资项目拨款",
     dict(column_terms=("政府投资项目拨款",))),
    ("宝安区三公经费增减变化金额",
     dict(column_terms=("增减变化金额",))),
    # -- operations --
    ("龙岗、盐田、福田三公经费一共多少", dict(operation="sum", wants_number=True)),
    ("龙岗和盐田的公务接待费加起来是多少", dict(operation="sum")),
    ("三公经费和机关运行经费之和", dict(operation="sum")),
    ("龙岗区三公经费总共多少", dict(operation="lookup")),
    ("龙岗比盐田三公经费多多少", dict(operation="difference")),
    ("龙岗和盐田项目支出差额", dict(operation="difference")),
    ("龙岗和盐田项目支出的差距有多大", dict(operation="difference")),
    ("三公经费占部门预算支出的比例", dict(operation="share", concepts=("三公经费", "部门预算支出"))),
    ("人员支出占基本支出的百分之几", dict(operation="share", unit_hint="%")),
    ("项目支出的占比是多少", dict(operation="share")),
    ("三公经费是部门预算支出的百分之几", dict(operation="share")),
    ("龙岗区三公经费比上年增长了多少", dict(operation="growth_amount")),
    ("龙岗区三公经费增长率", dict(operation="growth_rate")),
    ("龙岗区三公经费比上年增加了多少", dict(operation="growth_amount")),
    ("龙岗区年末结转和结余比年初增加了多少", dict(operation="difference")),
    ("龙岗区三公经费与2023年相比变化多少%", dict(operation="growth_rate", comparison_years=(2023,))),
    ("按与上年一致的口径，龙岗区2024年机关运行经费比上年减少多少", dict(years=(2024,), comparison_years=(2023,))),
    ("同为2024年，龙岗区的部门预算是盐田区的多少倍", dict(operation="ratio", concepts=("部门预算总额",))),
    ("哪个区的公务接待费最少", dict(operation="min", across=True)),
    ("哪个区项目支出最高", dict(operation="max")),
    ("龙岗和盐田的三公经费哪个更高", dict(operation="compare")),
    ("龙岗与盐田三公经费对比", dict(operation="compare")),
    ("龙岗区三公经费下降的原因是什么", dict(operation="narrative", wants_number=False)),
    ("为什么龙岗区项目支出减少", dict(operation="narrative")),
    ("龙岗区项目支出主要用于哪些方面", dict(operation="narrative")),
    ("龙岗区数据局的主要工作目标", dict(operation="narrative", concepts=("主要工作目标",))),
    ("盐田区政数局机构设置情况", dict(operation="narrative", concepts=("机构设置",))),
    ("什么是机关运行经费", dict(operation="narrative")),
    ("龙岗区2024年部门预算情况说明", dict(operation="narrative")),
    ("你好", dict(operation="narrative", wants_number=False, doc_ids=ALL_DOCS)),
    ("龙岗区2024年部门预算收支总表", dict(concepts=("收支总表",), operation="lookup", wants_number=False)),
    ("坪山区有多少辆公务用车", dict(concepts=("国有资产占用",), wants_number=True, unit_hint="辆")),
    ("龙岗区政府性基金预算支出416万元用于什么", dict(operation="narrative", wants_number=False)),
]


@pytest.mark.parametrize("question,expected", CASES, ids=[q for q, _ in CASES])
def test_question(question: str, expected: dict) -> None:
    intent = ask(question)
    for name, value in expected.items():
        got = intent.concept_names if name == "concepts" else getattr(intent, name)
        assert got == value, f"{question}: {name} = {got!r}, expected {value!r}"


def test_enough_cases() -> None:
    assert len(CASES) >= 40


# ---------------------------------------------------------------------------------------------
# Concept mapping is descriptive: table numbers, rows/codes, columns
# ---------------------------------------------------------------------------------------------

def concept(question: str, name: str):
    return next(c for c in ask(question).concepts if c.name == name)


def test_sangong_lives_in_table_9_total_column() -> None:
    sangong = concept("龙岗区三公经费", "三公经费")
    assert sangong.tables == ("三公经费表",)
    assert sangong.lookups[0].unit_row and "三公经费/小计" in sangong.lookups[0].columns  # not 会议费 and 培训费 too
    assert "总计" in sangong.lookups[1].columns
    assert sangong.kind == "amount" and sangong.matched == "三公经费"


def test_personnel_is_row_301_basic_column_of_table_8() -> None:
    personnel = concept("福田区人员支出", "人员支出")
    first = personnel.lookups[0]
    assert (first.table, first.codes, first.columns) == ("一般公共预算支出经济分类表", ("301",), ("基本支出",))
    assert "基本支出表" in personnel.tables  # 基本支出总表 as a fallback for layouts without table 8


def test_project_spending_column_in_tables_3_7_8() -> None:
    project = concept("项目支出多少", "项目支出")
    tables_with_column = {l.table for l in project.lookups if "项目支出" in l.columns}
    assert {"支出总表", "一般公共预算支出表", "一般公共预算支出经济分类表"} <= tables_with_column


def test_procurement_is_a_column_of_table_3() -> None:
    procurement = concept("政府采购多少", "政府采购")
    assert procurement.lookups[0].table == "支出总表"
    assert any("政府采购" in c for c in procurement.lookups[0].columns)


def test_income_total_reads_the_income_side_of_table_1() -> None:
    income = concept("部门预算收入多少", "部门预算收入")
    assert (income.lookups[0].table, income.lookups[0].side) == ("收支总表", "收入")
    assert "收入总计" in income.lookups[0].rows


def test_every_concept_lookup_is_well_formed() -> None:
    vocab = load_vocabulary()
    assert len(vocab.concepts) >= 25
    for definition in vocab.concepts.values():
        assert definition.synonyms, definition.name
        for lookup in definition.lookups:
            assert lookup.table is None or knowledge().by_name(lookup.table), definition.name
            assert lookup.side in (None, "收入", "支出"), definition.name


# ---------------------------------------------------------------------------------------------
# Catalogue-driven behaviour: other districts, row names, the vocabulary as data
# ---------------------------------------------------------------------------------------------

def test_a_place_no_vocabulary_lists_is_known_by_the_catalogue() -> None:
    tianhe = CatalogueEntry("tianhe-2025", ("广东省", "广州市", "天河区"), "广州市天河区财政局", 2025, "部门预算",
                            ("广州市天河区财政局（本级）",))
    asked = ask("天河2025年三公经费", CATALOGUE + [tianhe])
    assert asked.places == ("天河区",) and asked.doc_ids == ("tianhe-2025",) and asked.unknown == ()


def test_generic_county_and_city_names_are_unknown_places() -> None:
    assert ask("昌平县2024年项目支出").unknown == ("昌平县",)
    assert ask("东莞市2024年预算").unknown == ("东莞市",)
    assert ask("浦东新区的三公经费").unknown == ("浦东新区",)


def test_department_words_pick_the_department_when_a_district_has_several() -> None:
    education = CatalogueEntry("longgang-edu-2024", ("深圳市", "龙岗区"), "深圳市龙岗区教育局", 2024, "部门预算",
                               ("深圳市龙岗区教育局（本级）",))
    catalogue = CATALOGUE + [education]
    assert ask("龙岗区数据局2024年三公经费", catalogue).doc_ids == ("longgang-2024",)
    assert ask("龙岗区教育局2024年三公经费", catalogue).doc_ids == ("longgang-edu-2024",)
    assert set(ask("龙岗区2024年三公经费", catalogue).doc_ids) == {"longgang-2024", "longgang-edu-2024"}
    assert ask("龙岗区政数局本级三公经费", catalogue).budget_unit == "深圳市龙岗区政务服务数据管理局（本级）"


def test_row_names_from_the_catalogue_are_recognised() -> None:
    with_rows = CatalogueEntry("x-2024", ("深圳市", "龙岗区"), "深圳市龙岗区政务服务数据管理局", 2024, "部门预算", (),
                               ("信息系统运行与维护（通用项目）", "智慧龙岗建设"))
    assert ask("信息系统运行与维护（通用项目）预算多少", [with_rows]).row_terms == ("信息系统运行与维护（通用项目）",)
    assert ask("信息系统运行与维护（通用项目）预算多少", [LONGGANG]).row_terms == ()


def test_common_rows_need_no_catalogue() -> None:
    intent = ask("委托业务费是多少", [])
    assert intent.row_terms == ("委托业务费",) and intent.doc_ids == ()


def test_longest_row_name_wins() -> None:
    assert ask("统计信息事务多少").row_terms == ("统计信息事务",)


def test_lists_for_tuple_fields_are_accepted() -> None:
    loose = CatalogueEntry("y-2024", ["深圳市", "盐田区"], "深圳市盐田区政务服务数据管理局", 2024, "部门预算",  # type: ignore[arg-type]
                           ["深圳市盐田区政务服务中心"], ["网信事务"])
    intent = ask("盐田区政务服务中心网信事务", [loose])
    assert intent.budget_unit == "深圳市盐田区政务服务中心" and intent.row_terms == ("网信事务",)


def test_vocabulary_file_drives_the_words(tmp_path: Path) -> None:
    raw = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    raw["concepts"][0]["synonyms"].append("家底总数")
    custom = tmp_path / "vocabulary.yaml"
    custom.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    name = raw["concepts"][0]["name"]
    assert analyze("龙岗区家底总数是多少", CATALOGUE, vocabulary=custom).concept_names == (name,)
    assert name not in analyze("龙岗区家底总数是多少", CATALOGUE).concept_names


def test_normalized_is_nfkc_without_whitespace() -> None:
    intent = ask("  龙岗区 ２０２４ 年\u3000三公经费（本级）？ ")
    assert intent.normalized == "龙岗区2024年三公经费(本级)?"
    assert intent.years == (2024,)


# ---------------------------------------------------------------------------------------------
# Robustness: any input gives an Intent
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "", "   ", "\u3000\n\t", None, "😀😀😀", "'; DROP TABLE facts;--", "<script>alert(1)</script>",
    "../../etc/passwd", "龙" * 10000, "三公" * 5000, "2024年" * 2000, "区" * 3000, "中心" * 3000,
    "1" * 10000, "\x00\x01\x02", "\U0010ffff", "“”", "表九十九", "%" * 50, "比" * 100 + "上年",
    b"\xe9\xbe\x99\xe5\xb2\x97", 12345,
])
def test_never_raises(question) -> None:
    intent = analyze(question, CATALOGUE)
    assert isinstance(intent, Intent)
    assert intent.error is None


def test_empty_question() -> None:
    for question in ("", "  \n", "“”"):
        intent = ask(question)
        assert intent.empty and intent.concepts == () and intent.places == ()


def test_long_question_is_truncated_not_refused() -> None:
    intent = ask("龙岗区2024年三公经费" + "啊" * 10000)
    assert intent.truncated and intent.places == ("龙岗区",) and intent.concept_names == ("三公经费",)


def test_empty_catalogue() -> None:
    intent = ask("龙岗区2024年三公经费", [])
    assert intent.unknown == ("龙岗区",) and intent.doc_ids == ()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_property_never_raises_on_any_text(question: str) -> None:
    intent = analyze(question, CATALOGUE)
    assert intent.error is None
    assert set(resolve_scope(intent, tuple(CATALOGUE)).doc_ids) <= set(ALL_DOCS)
    assert intent.operation in ("lookup", "sum", "difference", "share", "growth_rate", "growth_amount",
                                "max", "min", "compare", "narrative")


VOCAB_WORDS = ["龙岗", "盐田区", "南山", "2024年", "今年", "上年", "比", "三公经费", "本级", "大数据中心",
               "多少", "合计", "相差", "占", "百分之几", "增长", "最多", "原因", "30227", "委托业务费", "区", "市",
               "中心", "年", "（", "）", "“", "”", " ", "的", "和"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCAB_WORDS) | st.text(max_size=3), max_size=25).map("".join))
def test_property_never_raises_on_vocabulary_soup(question: str) -> None:
    intent = analyze(question, CATALOGUE)
    assert intent.error is None
    known = {p for n in intent.names.places for p in n.places}
    assert not (known & set(intent.names.unknown))
