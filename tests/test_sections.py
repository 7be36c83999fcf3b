"""The section tree of the five sample disclosures, checked against what the documents print.

Every expected heading, count and name below was read in data/*.txt by a person, not taken
from the program's output.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from index.reading.load import load
from index.model import Document, DocumentMeta, Page, Section
from index.reading.sections import document_to_sections, match_heading

DATA = Path(__file__).resolve().parents[1] / "data"
DOCS = ("longgang-2024", "yantian-2024", "baoan-2023", "pingshan-2023", "futian-2022")

CHAPTER_NAMES = {
    "longgang-2024": ["部门概况", "部门预算收支总体情况", "部门预算支出具体情况", "政府采购预算情况",
                      "财政拨款“三公”经费预算情况", "部门预算绩效管理情况", "重点项目预算绩效情况说明",
                      "其他需要说明情况", "名词解释"],
    "yantian-2024": ["部门概况", "部门预算收支总体情况", "部门预算支出具体情况", "政府采购预算情况",
                     "财政拨款“三公”经费预算情况", "部门预算绩效管理情况", "重点项目预算绩效情况说明",
                     "其他需要说明情况", "名词解释"],
    "baoan-2023": ["部门概况", "部门预算收支总体情况", "部门预算支出具体情况", "政府采购预算情况",
                   "一般公共预算“三公”经费预算情况", "部门预算绩效管理情况", "重点项目预算绩效情况说明",
                   "其他需要说明情况", "名词解释"],
    # pingshan and futian wrap the 第五部分 title: '…经费预算' / '情况'
    "pingshan-2023": ["部门概况", "部门预算收支总体情况", "部门预算支出具体情况", "政府采购预算情况",
                      "一般公共预算“三公”经费预算情况", "部门预算绩效管理情况", "重点项目预算绩效情况说明",
                      "其他需要说明情况", "名词解释"],
    "futian-2022": ["部门概况", "部门预算收支总体情况", "部门预算支出具体情况", "政府采购预算情况",
                    "一般公共预算“三公”经费预算情况", "部门预算绩效管理情况", "重点项目预算绩效情况说明",
                    "其他需要说明情况", "名词解释"],
}
CN = "一二三四五六七八九"
# the 表N titles each document prints in its 表格部分 (repeated titles of continued tables once)
TABLE_NUMBERS = {
    "longgang-2024": ["1", "3", "6", "7", "8", "10", "11", "12"],
    "yantian-2024": ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"],
    "baoan-2023": ["1", "3", "6", "7", "8", "9", "10", "11", "12"],
    "pingshan-2023": [str(n) for n in range(1, 13)],
    "futian-2022": [str(n) for n in range(1, 12)],
}


@pytest.fixture(scope="module")
def trees() -> dict[str, Section]:
    return {name: document_to_sections(load(DATA / f"{name}.txt")) for name in DOCS}


def chapters(root: Section) -> list[Section]:
    return [node for node in root.walk() if node.level == 2 and node.heading.startswith("第")]


def node(root: Section, *prefixes: str) -> Section:
    """The node reached from the root by children whose headings start with each prefix in turn."""
    current = root
    for prefix in prefixes:
        matches = [child for child in current.children if child.heading.startswith(prefix)]
        assert matches, f"no child {prefix!r} under {current.heading!r}: {[c.heading for c in current.children]}"
        current = matches[0]
    return current


def headings(section: Section) -> list[str]:
    return [child.heading for child in section.children]


# --- every document ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", DOCS)
def test_nine_chapters_with_their_names(trees, name):
    found = chapters(trees[name])
    assert [c.heading for c in found] == [f"第{CN[i]}部分 {title}" for i, title in enumerate(CHAPTER_NAMES[name])]


@pytest.mark.parametrize("name", DOCS)
def test_text_part_and_table_part_are_the_top_nodes(trees, name):
    root = trees[name]
    assert root.level == 0 and root.path == ()
    assert headings(root) == ["一、文字部分", "二、表格部分"]
    assert all(c.path[0] == "一、文字部分" for c in chapters(root))


@pytest.mark.parametrize("name", DOCS)
def test_contents_page_is_not_parsed_as_sections(trees, name):
    root = trees[name]
    all_headings = [n.heading for n in root.walk()]
    assert all_headings.count("一、文字部分") == 1 and all_headings.count("二、表格部分") == 1
    assert sum(h.startswith("第一部分") for h in all_headings) == 1
    assert not any(h.startswith(("- ", "(一) 收支总表", "目")) for h in all_headings)
    assert "目 录" not in root.text and "目录" not in root.text


@pytest.mark.parametrize("name", DOCS)
def test_table_part_holds_only_the_table_titles(trees, name):
    tables = node(trees[name], "二、表格部分")
    numbers = [child.heading.removeprefix("表").strip().split()[0] for child in tables.children]
    assert numbers == TABLE_NUMBERS[name]
    assert all(not child.children and child.level == 2 for child in tables.children)
    assert node(tables, "表" + (" 1" if name != "yantian-2024" else "一")).heading.endswith("收支总表")


@pytest.mark.parametrize("name", DOCS)
def test_paths_levels_and_pages_are_consistent(trees, name):
    for section in trees[name].walk():
        for child in section.children:
            assert child.path == section.path + (child.heading,)
            assert child.level > section.level
            assert section.first_page <= child.first_page <= child.last_page <= section.last_page
    assert all(n.first_page == n.last_page == 1 for n in trees[name].walk())  # a .txt file is one page


@pytest.mark.parametrize("name", DOCS)
def test_section_texts_have_no_wrapped_lines(trees, name):
    for section in node(trees[name], "一、文字部分").walk():
        for paragraph in filter(None, section.text.split("\n")):
            if "\t" in paragraph:
                continue
            assert paragraph == paragraph.strip()
            # a paragraph break only after 。；：!? (or a table header / a heading line)
            assert paragraph[-1] in "。；：;:！？!?" or len(paragraph) < 60 or "项目名称" in paragraph, paragraph


# --- longgang-2024 (clean text with a 目录) ----------------------------------------------------

def test_longgang_units_and_items(trees):
    root = trees["longgang-2024"]
    spending = node(root, "一、文字部分", "第三部分")
    assert headings(spending) == ["一、深圳市龙岗区政务服务数据管理局（本级）", "二、深圳市龙岗区大数据中心"]
    own = node(spending, "一、")
    assert headings(own)[0] == "（一）人员支出 760.07 万元"
    assert len(own.children) == 4
    projects = node(own, "（四）项目支出 5,941.91 万元")
    assert len(projects.children) == 10 and projects.children[-1].level == 5
    assert projects.children[0].heading.startswith("1. 办公用房修缮与维护（通用项目）27.00 万元")
    assert projects.children[9].heading.startswith("10. 一般管理事务 995.40 万元")


def test_longgang_goals_and_glossary(trees):
    text_part = node(trees["longgang-2024"], "一、文字部分")
    goals = node(text_part, "第一部分", "三、2024 年主要工作目标")
    assert len(goals.children) == 5 and goals.children[0].heading.startswith("1. 高标准落实政务服务国办试点任务")
    assert "全力塑造营商环境新优势" in goals.children[0].text
    glossary = node(text_part, "第九部分")
    assert headings(glossary)[:2] == ["一、财政拨款收入", "二、事业收入"] and len(glossary.children) == 10
    # '三是 2024' / '年无疫情防控项目…' is one sentence in the text
    assert "三是 2024年无疫情防控项目纳入年初部门预算" in node(text_part, "第二部分").text


# --- yantian-2024 (half-width parentheses, two lists under one heading) ---------------------------

def test_yantian_half_width_parentheses_and_duties(trees):
    text_part = node(trees["yantian-2024"], "一、文字部分")
    duties = node(text_part, "第一部分", "一、部门职责")
    assert len(duties.children) == 9 and all(c.level == 5 for c in duties.children)
    spending = node(text_part, "第三部分")
    assert [c.heading for c in spending.children][:2] == ["(一) 人员支出 1,226.57 万元", "(二) 公用经费 54.77 万元"]


def test_yantian_list_restarting_under_its_unit_line(trees):
    projects = node(trees["yantian-2024"], "一、文字部分", "第三部分", "(四) 项目支出 3,095.71 万元")
    assert [c.heading.split()[0] for c in projects.children] == ["1.", "2.", "1.", "2.", "3.", "4."]
    assert projects.children[2].heading == "1. 信息化类 1,486.39 万元"
    # the line introducing the second list belongs to (四), not to the last item of the first list
    assert "深圳市盐田区政务服务中心项目支出 2,905.35 万元" in projects.text
    assert "2,905.35" not in projects.children[1].text


# --- baoan-2023 -----------------------------------------------------------------------------------

def test_baoan_duties_and_projects(trees):
    text_part = node(trees["baoan-2023"], "一、文字部分")
    duties = node(text_part, "第一部分", "一、部门职责")
    assert len(duties.children) == 10 and duties.children[-1].heading.startswith("（十）与区委政研室有关职责分工")
    projects = node(text_part, "第三部分", "一、深圳市宝安区政务服务数据管理局（本级）", "（四）项目支出 4,773 万元")
    assert len(projects.children) == 11
    assert projects.children[9].heading.startswith("10. 12345 热线分拨服务费预算 377 万元")


def test_baoan_item_without_space_after_marker(trees):
    three_public = node(trees["baoan-2023"], "一、文字部分", "第五部分")
    assert headings(three_public) == ["1. 因公出国（境）费用", "2. 公务接待费", "3.公务用车购置和运行维护费"]


# --- pingshan-2023 (raw PDF text, no 目录) ----------------------------------------------------------

def test_pingshan_wrapped_lines_become_paragraphs(trees):
    text_part = node(trees["pingshan-2023"], "一、文字部分")
    duties = node(text_part, "第一部分", "一、部门职责")
    assert duties.text.startswith("贯彻执行国家、省、市、区关于政务服务、政务信息化、数据管理、网格化服务管理")
    assert "\n\n" not in duties.text
    overview = node(text_part, "第二部分")
    assert "部门预算收入29,760万元，比 2022 年增加 9,545万元，增长 47.2%。" in overview.text


def test_pingshan_item_about_a_year_is_an_item(trees):
    projects = node(trees["pingshan-2023"], "一、文字部分", "第三部分", "一、", "（四）项目支出 27,895 万元")
    assert len(projects.children) == 5
    assert projects.children[2].heading.startswith("3.2023 年政府投资项目预算 20,064 万元")
    goals = node(trees["pingshan-2023"], "一、文字部分", "第一部分", "三、2023 年主要工作目标")
    assert len(goals.children) == 5


def test_pingshan_list_items_inside_the_key_project_table_are_not_sections(trees):
    key_projects = node(trees["pingshan-2023"], "一、文字部分", "第七部分")
    assert key_projects.children == []
    assert "2.电话及网络费用于电话及短信费清缴" in key_projects.text
    other = node(trees["pingshan-2023"], "一、文字部分", "第八部分", "三、其他")
    assert [c.heading[:3] for c in other.children] == ["（一）", "（二）"]


# --- futian-2022 (raw PDF text, three units) -------------------------------------------------------

def test_futian_three_lists_of_duties(trees):
    duties = node(trees["futian-2022"], "一、文字部分", "第一部分", "一、部门职责")
    assert len(duties.children) == 14 + 7 + 8
    assert duties.children[13].heading.startswith("（十四）承担区民意速办平台")
    assert "深圳市福田区政务服务中心主要职责：" in duties.text
    assert "主要职责" not in duties.children[13].text


def test_futian_units_and_level_six_items(trees):
    spending = node(trees["futian-2022"], "一、文字部分", "第三部分")
    assert headings(spending) == ["一、深圳市福田区政务服务数据管理局（本级）", "二、深圳市福田区政务服务中心",
                                  "三、深圳市福田区数据管理中心"]
    item = node(spending, "一、", "（四）项目支出 2,702.30 万元", "1.政务服务数据管理 2,038.70 万元")
    assert [c.heading[:3] for c in item.children] == ["（1）", "（2）", "（3）", "（4）"]
    assert all(c.level == 6 for c in item.children)
    assert "网格员培训费 160.4 万元" in item.children[0].text


# --- other documents of the kind ---------------------------------------------------------------------

def make_doc(pages: list[str], title: str | None = None) -> Document:
    return Document(id="sample", source=Path("sample.pdf"), kind="pdf",
                    pages=[Page(number=i, text=text) for i, text in enumerate(pages, start=1)],
                    meta=DocumentMeta(title=title), sha256="0")


def test_pdf_contents_with_dot_leaders_and_pages_per_line():
    doc = make_doc([
        "2025 年某某区某某局部门预算\n目 录\n第一部分 部门概况 ........ 3\n第二部分 部门预算收支总体情况 ....... 4\n表 1 收支总表 ....... 9",
        "第一部分 部门概况\n一、部门职责\n负责全区某某工作的统筹协调，推进某某事项的\n落实。\n二、机构设置情况\n本部门共 3 个科室。",
        "第二部分 部门预算收支总体情况\n2025 年部门预算收入 1,000.00 万元，比 2024 年增加\n100.00 万元，增长 11.1%。",
        "表 1\n收支总表\n一、政府预算拨款 1,000.00\n1.一般公共预算拨款 1,000.00",
    ], title="2025年某某区某某局部门预算")
    root = document_to_sections(doc)
    assert root.heading == "2025年某某区某某局部门预算"
    assert [c.heading for c in chapters(root)] == ["第一部分 部门概况", "第二部分 部门预算收支总体情况"]
    overview = node(root, "第一部分")
    assert (overview.first_page, overview.last_page) == (2, 2)
    assert node(overview, "一、部门职责").text == "负责全区某某工作的统筹协调，推进某某事项的落实。"
    second = node(root, "第二部分")
    assert (second.first_page, second.last_page) == (3, 3)
    tables = node(root, "表格部分")  # no 表格部分 heading: the tables start at 表 1
    assert headings(tables) == ["表 1 收支总表"] and tables.first_page == 4
    assert not any(n.heading.startswith("1.一般公共预算拨款") for n in root.walk())


def test_paragraph_spanning_pages_keeps_both_pages():
    doc = make_doc(["第一部分 部门概况\n一、机构设置情况\n本部门包括某某局本级、某某中心共\n",
                    "2 家基层单位。\n二、其他\n无。"])
    section = node(document_to_sections(doc), "第一部分", "一、机构设置情况")
    assert section.text == "本部门包括某某局本级、某某中心共2 家基层单位。"
    assert (section.first_page, section.last_page) == (1, 2)


def test_heading_patterns():
    assert match_heading("第十部分 附件").level == 2
    assert match_heading("（十二）协调推进").ordinal == 12
    assert match_heading("(1) 网格信息管理").level == 6
    assert match_heading("3.2023 年政府投资项目").ordinal == 3
    assert match_heading("1.5万元，下降 8.3%") is None  # a decimal, not item 1
    assert match_heading("10、20 万元分别用于") is None  # numbers listed, not item 10
    assert match_heading("①专项资金").level == 7
    doc = make_doc(["第一部分 概况\n⒈公务接待费。2025 年预算数 2 万元。\n⒉公务用车。"])
    assert headings(node(document_to_sections(doc), "第一部分")) == ["1.公务接待费", "2.公务用车"]
