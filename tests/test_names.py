"""Departments named as people say them: by an older field's name (renamed in an institutional reform), with a
shorter ending (委员会 → 委, 办公厅 → 办), and the plan saying how the name was read. The catalogues are invented
(no place or department of the indexed data), so each rule is shown on examples of its own.
"""
from __future__ import annotations

import pytest

from qa.plan.names import CatalogueEntry, prepare, question_names
from qa.plan.planner import plan_question

CATALOGUE = (
    CatalogueEntry("nature", ("南江省", "临海市"), "临海市自然资源局", 2025, "部门预算"),
    CatalogueEntry("health", ("南江省", "临海市"), "临海市卫生健康委员会", 2025, "部门预算"),
    CatalogueEntry("market", ("南江省", "临海市"), "临海市市场监督管理局", 2025, "部门预算"),
    CatalogueEntry("office", ("南江省",), "中共南江省委办公厅", 2025, "部门预算"),
    CatalogueEntry("water", ("南江省", "临海市"), "临海市水务局", 2025, "部门预算"),
    CatalogueEntry("publicity", ("南江省", "临海市"), "中共临海市委宣传部", 2025, "部门预算"),
)


def named(question: str) -> list[set[str]]:
    return [set(n.departments) for n in question_names(question, prepare(CATALOGUE)).departments]


@pytest.mark.parametrize(("question", "department"), [
    ("临海市国土局2025年项目支出是多少？", "临海市自然资源局"),       # older field name
    ("临海国土资源局的三公经费", "临海市自然资源局"),
    ("临海市卫计委2025年收入合计", "临海市卫生健康委员会"),          # older name and a shorter ending
    ("临海市卫健委的基本支出", "临海市卫生健康委员会"),              # its parts' first characters, shorter ending
    ("临海市工商局2025年支出预算", "临海市市场监督管理局"),          # one of the bureaus merged into it
    ("临海市食药监局的三公经费", "临海市市场监督管理局"),
    ("省委办2025年的三公经费", "中共南江省委办公厅"),                # 办公厅 said 办
    ("宣传部共有几辆车？", "中共临海市委宣传部"),                     # a party committee's department, without it
    ("市委宣传部2025年三公经费预算是多少？", "中共临海市委宣传部"),
])
def test_a_department_named_by_an_older_or_shorter_name_is_found(question, department):
    assert named(question) == [{department}]


def test_a_name_read_once_is_not_read_again_inside_itself():
    assert named("省委办公厅2025年的三公经费") == [{"中共南江省委办公厅"}]


def test_an_older_name_of_a_field_no_department_holds_names_nothing():
    assert named("临海市环保局2025年的三公经费") == []


def test_the_plan_says_how_a_near_name_was_read_and_not_a_name_as_printed():
    plan = plan_question("临海市国土局2025年项目支出是多少？", CATALOGUE)
    assert plan.doc_ids == ("nature",)
    assert plan.readings == ["按『临海市国土局』理解为『临海市自然资源局』"]
    assert any("按『临海市国土局』" in line for line in plan.lines())
    assert plan_question("临海市水务局2025年项目支出是多少？", CATALOGUE).readings == []


# ---------------------------------------------------------------- scope and parts read by general rules

BUREAUS = (
    CatalogueEntry("water-2025", ("南江省", "临海市"), "临海市水务局", 2025, "部门预算", (), ("防汛抗旱", "水利工程运行与维护")),
    CatalogueEntry("water-2024f", ("南江省", "临海市"), "临海市水务局", 2024, "部门决算", (), ("防汛抗旱",)),
    CatalogueEntry("water-2024", ("南江省", "临海市"), "临海市水务局", 2024, "部门预算", (), ("防汛抗旱",)),
    CatalogueEntry("forest-2024f", ("南江省", "临海市"), "临海市林业局", 2024, "部门决算", ("临海市林业局", "临海市林业站"),
                   ("森林防火",)),
    CatalogueEntry("forest-2024", ("南江省", "临海市"), "临海市林业局", 2024, "部门预算", ("临海市林业局", "临海市林业站"),
                   ("森林防火",)),
)


def test_each_organisation_compared_is_read_of_the_kind_its_own_words_ask():
    """'A的…预算比B的…决算多多少': A's budget and B's 决算, though B has a budget of that year too."""
    plan = plan_question("临海市水务局2025年防汛抗旱预算比临海市林业局2024年森林防火决算多多少？", BUREAUS)
    assert set(plan.doc_ids) == {"water-2025", "forest-2024f"}
    plan = plan_question("临海市水务局和临海市林业局2024年的决算支出分别是多少？", BUREAUS)  # a kind said once, for both
    assert set(plan.doc_ids) == {"water-2024f", "forest-2024f"}


def test_a_unit_no_table_lists_is_refused_as_such_and_a_listed_one_is_not():
    plan = plan_question("临海市水务局2025年下属的水文站支出是多少？", BUREAUS)
    assert plan.refusal and "『水文站』" in plan.refusal[0] and "没有单独列出" in plan.refusal[0]
    assert not plan_question("临海市林业局2024年林业站的支出预算是多少？", BUREAUS).refusal


def test_a_clause_naming_only_columns_asks_them_of_the_row_before():
    plan = plan_question("临海市水务局2025年防汛抗旱安排了多少？是基本支出还是项目支出？", BUREAUS)
    assert [p.items for p in plan.parts] == [("防汛抗旱",), ("基本支出",), ("项目支出",)]
    assert [p.within for p in plan.parts] == [None, "防汛抗旱", "防汛抗旱"]


def test_items_asked_together_are_each_asked_whole_not_one_within_another():
    plan = plan_question("临海市水务局2025年财政拨款支出中基本支出和项目支出各是多少？", BUREAUS)
    assert [p.within for p in plan.parts] == [None, None]
    assert [p.columns_of for p in plan.parts] == [None, None]
