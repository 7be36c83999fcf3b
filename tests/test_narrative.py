"""Passage answers (qa.execute.narrative) on the real sample disclosures.

What the documents say, read from data/*.txt:

- futian-2022, 第一部分 一、部门职责: three lead-ins ('深圳市福田区政务服务数据管理局（本级）主要职责：',
  '…政务服务中心主要职责：', '…数据管理中心主要职责：'), each followed by its own list restarting at
  （一）. 政务服务中心: （四）受理大厅政务服务投诉和业务咨询. 数据管理中心: （四）承担全区党政机关信息
  安全管理工作, （五）承担区政府门户网站建设工作. 本级 has fourteen items, the last
  （十四）承担区民意速办平台有关民意事件信息接收、分拨等工作.
- futian-2022, 三、2022 年主要工作目标 / 1.（本级）: 一是…；…四是高标准打造新行政服务大厅；五是持续优化
  跨省通办服务; 2.（政务服务中心系统）: 二是继续承担区行政服务大厅建设和日常管理.
- yantian-2024, 第五部分 / 3. 公务用车购置和运行维护费: 运行维护费 … 主要原因是根据厉行节约要求，…减少
  公车运维支出; 第九部分 名词解释 十、“三公”经费 defines 运行维护费 (燃料费、维修费 …).
- yantian-2024, 第八部分 二、国有资产占用情况: 2024年计划购置 … 单价100万元以上设备2台（套）: 盐田区视频应用
  系统扩容改造项目, 盐田区政府十二楼东综合会议室大屏更新项目.
- yantian-2024, 第一部分 三、2024 年主要工作目标: 1. 谋划深化新一轮智慧盐田建设 … 5.全力推动各项指标任务提质增效.
- pingshan-2023, 第三部分 … 3.2023 年政府投资项目: 坪山区机房扩容（三期）… 用于建设机房环境工程 … 气体消防系统.
- yantian-2024, 第九部分 名词解释 七、项目支出: 项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出;
  第三部分 (四) 项目支出 3,095.71 万元 only lists it.
- futian-2022, 第三部分 / 三、深圳市福田区数据管理中心 / （四）项目支出 4,436.15 万元: 1.电子政务运行维护预算
  4,103.61 万元，主要包括：… 主要原因是：满足我区日益增长的电子政务工作需要配给和保障 (a heading run into its
  paragraph); 一、…（本级）/ （四）项目支出 2,702.30 万元 / 1.政务服务数据管理 / （2）数据规划管理 783.70 万元，
  主要用于：为深圳人工智能应用创新服务中心日常运营 178.00 万元，政务数据开放149.50 万元 ….
- baoan-2023, 一、部门职责 (no text of its own): （一）贯彻执行 … （四）负责政务数据管理 … （九）完成区委、区政府和
  上级部门交办的其他任务.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.store.chunks import structure_to_chunks
from index.reading.load import load
from index.model import Chunk
from index.reading.sections import match_heading
from index.facts.structure import document_to_structure
from qa.plan.analyze import analyze
from qa.execute.narrative import (ANSWER_CHARS, TextSection, answer_kind, document_sections, fitted_text, listed_lines,
                          narrative_quote)
from qa.execute.retrieve import chunk_to_passage

DATA = Path(__file__).resolve().parents[1] / "data"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sections_of(stem: str) -> TextSection:
    """Given a sample document's stem, return its section tree as qa.execute.narrative builds it from the chunks."""
    doc = load(DATA / f"{stem}.txt")
    return document_sections(doc.id, structure_to_chunks(document_to_structure(doc), doc.sha256))


def section_named(root: TextSection, words: str) -> TextSection:
    """Given a tree, return the first section whose heading holds the words."""
    return next(s for s in root.walk() if words in s.heading)


@pytest.fixture(scope="module")
def futian() -> TextSection:
    return sections_of("futian-2022")


@pytest.fixture(scope="module")
def yantian() -> TextSection:
    return sections_of("yantian-2024")


# --- the section tree ------------------------------------------------------------------------------

def test_each_lead_in_gets_its_own_list(futian):
    centre = "\n".join(listed_lines(section_named(futian, "政务服务中心主要职责"), "full"))
    data = "\n".join(listed_lines(section_named(futian, "数据管理中心主要职责"), "full"))
    assert "受理大厅政务服务投诉和业务咨询" in centre
    assert "承担区政府门户网站建设工作" not in centre
    assert "承担全区党政机关信息安全管理工作" in data and "承担区政府门户网站建设工作" in data
    assert "受理大厅政务服务投诉和业务咨询" not in data


def test_lead_ins_become_the_subsections_of_their_section(futian):
    duties = section_named(futian, "一、部门职责")
    assert [child.heading.endswith("主要职责：") for child in duties.children] == [True, True, True]
    assert not any(line.endswith("主要职责：") for line in duties.lines)
    assert len(section_named(futian, "（本级）主要职责").children) == 14


def test_headings_printed_inside_a_chunk_become_sections(yantian):
    car = section_named(yantian, "公务用车购置和运行维护费")
    assert car.path[-2].startswith("第五部分")
    assert any("减少公车运维支出" in line for line in car.lines)


def test_a_heading_run_into_its_paragraph_is_split_as_the_section_tree_has_it(futian):
    upkeep = section_named(futian, "1.电子政务运行维护预算")
    assert upkeep.heading == "1.电子政务运行维护预算 4,103.61 万元"
    assert "满足我区日益增长的电子政务工作需要配给和保障" in upkeep.lines[0]
    spending = upkeep.path[-2]
    assert spending == "（四）项目支出 4,436.15 万元"
    assert section_named(futian, spending).lines == ["项目支出 4,436.15 万元，具体包括："]


@pytest.mark.parametrize("stem", ["futian-2022", "yantian-2024", "pingshan-2023", "baoan-2023", "longgang-2024"])
def test_every_section_has_something_to_quote(stem):
    empty = [s.path for s in sections_of(stem).walk() if s.path and not s.lines and not s.children]
    assert not empty


class OneDocumentStore:
    """A store holding the given chunks of one document."""

    def __init__(self, chunks: list[Chunk]):
        self._chunks = chunks

    def chunks(self, doc_ids: list[str] | None = None) -> list[Chunk]:
        return self._chunks


def test_a_section_with_nothing_to_quote_gives_way_to_the_next_candidate():
    path = "一、文字部分 / 第三部分 部门预算支出具体情况"
    chunk = Chunk("demo:0", "demo", f"演示部门预算 / {path}\n电子政务运行维护经费情况如下。\n一、电子政务运行维护经费",
                  "section", path, 1, 1)
    quote = narrative_quote(analyze("电子政务运行维护经费包括哪些？"), [chunk_to_passage(chunk, 1.0)],
                            OneDocumentStore([chunk]), {"demo": "演示部门"})
    assert quote is not None and quote.text.strip()
    assert "电子政务运行维护经费情况如下。" in quote.text


def test_an_item_heading_runs_into_its_paragraph_instead_of_repeating(yantian):
    goals = listed_lines(section_named(yantian, "主要工作目标"), "full")
    first = next(line for line in goals if line.startswith("1."))
    assert squeeze(first).startswith("1.谋划深化新一轮智慧盐田建设。")
    assert squeeze(goals[-1]).startswith("5.全力推动各项指标任务提质增效。")


def test_a_list_too_long_to_quote_whole_keeps_every_item(futian):
    own_level = section_named(futian, "（本级）主要职责")
    whole = "\n".join(listed_lines(own_level, "full"))
    text = fitted_text(own_level)
    assert len(whole) > ANSWER_CHARS >= len(text)
    assert "（十四）承担区民意速办平台有关民意事件信息接收、分拨等工作" in text


def test_the_whole_department_list_is_cut_at_a_line_not_inside_one(futian):
    text = fitted_text(section_named(futian, "一、部门职责"))
    assert len(text) <= ANSWER_CHARS
    assert text.startswith("深圳市福田区政务服务数据管理局（本级）主要职责：")
    assert all(match_heading(line) or line.endswith("主要职责：") for line in text.split("\n"))


# --- what is asked ---------------------------------------------------------------------------------

@pytest.mark.parametrize("question, kind", [
    ("盐田区2024年公务用车运行维护费为什么减少？", "reason"),
    ("坪山区数据局2023年三公经费下降的原因是什么？", "reason"),
    ("坪山区机房扩容（三期）的预算主要用来建设什么？", "purpose"),
    ("福田区本级数据规划管理经费主要用在哪些方面？", "purpose"),
    ("盐田区政务服务数据管理局的职责包括哪些？", None),
    ("福田区政务服务中心的主要职责是什么？", None),
    ("什么是三公经费？", "definition"),
])
def test_answer_kind(question, kind):
    found = answer_kind(analyze(question).normalized)
    assert (found.name if found else None) == kind


@pytest.mark.parametrize("question", [
    "盐田区数据局2024年计划购置的单价100万元以上设备是哪些？",
    "盐田区数据局2024年计划购置哪些单价100万元以上设备？",
    "坪山区机房扩容（三期）的预算主要用来建设什么？",
    "坪山区政务服务数据管理局主要负责哪些工作？",
])
def test_a_list_or_purpose_question_naming_a_figure_asks_for_a_passage(question):
    intent = analyze(question)
    assert intent.operation == "narrative" and not intent.wants_number


def test_the_same_subject_asked_as_a_count_still_asks_for_a_figure():
    intent = analyze("盐田区数据局2024年单价100万元以上设备有多少台？")
    assert intent.operation != "narrative" and intent.wants_number


# --- end to end ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """Index four sample disclosures into a temporary folder; return qa.engine answering from them."""
    import qa.engine
    import qa.execute.context
    from index.indexer import index_paths
    from common.settings import settings

    patch = pytest.MonkeyPatch()
    patch.setattr(settings, "index_dir", tmp_path_factory.mktemp("narrative-index"))
    patch.setattr(qa.execute.context, "_context", None)  # a context cached by earlier tests answers from another index
    report = index_paths([DATA / f"{stem}.txt" for stem in ("futian-2022", "yantian-2024", "pingshan-2023", "baoan-2023")],
                         progress=False)
    assert report.indexed and not report.failures
    yield qa.engine
    patch.undo()


def ask(engine, question: str):
    answer = engine.query(question, engine="extractive")
    assert not answer.refused, answer.text
    return answer


def assert_quoted_from_cited_passages(answer) -> None:
    """Every line of the answer stands in the passages the answer puts first, of the cited document (after the
    lines saying how a name was read)."""
    cited = answer.citations[0]
    quoted = squeeze("".join(p.text for p in answer.passages if p.doc_id == cited.doc_id))
    for line in answer.text.removesuffix("[1]").split("\n")[len(answer.plan["readings"]):]:
        heading = match_heading(line)
        body = heading.rest.rstrip("…") if heading else line
        assert squeeze(body) in quoted, line


@pytest.mark.slow
def test_a_sub_unit_s_duties_are_its_own_list(engine):
    answer = ask(engine, "福田区数据管理中心承担哪些职责？")
    assert "承担全区党政机关信息安全管理工作" in answer.text and "承担区政府门户网站建设工作" in answer.text
    assert "受理大厅政务服务投诉和业务咨询" not in answer.text
    assert answer.citations[0].doc_id == "futian-2022"
    assert "数据管理中心主要职责" in answer.citations[0].section_path[-1]
    assert_quoted_from_cited_passages(answer)


@pytest.mark.slow
def test_duties_under_a_heading_without_text_come_with_every_item(engine):
    answer = ask(engine, "宝安区政务服务数据管理局的部门职责有哪些？")
    assert "负责政务数据管理" in answer.text
    assert "完成区委、区政府和上级部门交办的其他任务" in answer.text
    assert answer.citations[0].section_path[-1] == "一、部门职责"
    assert_quoted_from_cited_passages(answer)


@pytest.mark.slow
def test_the_unit_named_picks_its_goals(engine):
    answer = ask(engine, "福田区政务服务数据管理局本级2022年的主要工作目标是什么？")
    assert "高标准打造新行政服务大厅" in squeeze(answer.text) and "持续优化跨省通办服务" in squeeze(answer.text)
    assert "继续承担区行政服务大厅建设和日常管理" not in squeeze(answer.text)
    assert "本级" in answer.citations[0].section_path[-1]


@pytest.mark.slow
def test_a_reason_is_the_paragraph_giving_it_not_a_definition(engine):
    answer = ask(engine, "盐田区2024年公务用车运行维护费减少的原因是什么？")
    assert "厉行节约" in answer.text and "减少公车运维支出" in answer.text
    assert "燃料费" not in answer.text
    assert any("公务用车购置和运行维护费" in part for part in answer.citations[0].section_path)
    assert_quoted_from_cited_passages(answer)


@pytest.mark.slow
def test_a_list_question_naming_a_price_gets_the_list(engine):
    answer = ask(engine, "盐田区数据局2024年计划购置的单价100万元以上设备有哪些？")
    assert "盐田区视频应用系统扩容改造项目" in answer.text
    assert "盐田区政府十二楼东综合会议室大屏更新项目" in answer.text
    assert answer.value is None


@pytest.mark.slow
@pytest.mark.parametrize("question, words", [
    ("福田区数据管理中心2022年电子政务运行维护预算增加的原因是什么？", ["满足我区日益增长的电子政务工作需要配给和保障"]),
    ("福田区政数局本级2022年数据规划管理经费主要用在哪些方面？",
     ["深圳人工智能应用创新服务中心日常运营178.00万元", "政务数据开放149.50万元"]),
])
def test_a_reason_or_purpose_in_a_run_in_item_is_quoted(engine, question, words):
    answer = ask(engine, question)
    assert answer.text.removesuffix("[1]").strip()
    assert all(word in squeeze(answer.text) for word in words)
    assert answer.citations[0].doc_id == "futian-2022"
    assert_quoted_from_cited_passages(answer)


@pytest.mark.slow
def test_a_purpose_is_the_paragraph_naming_the_item(engine):
    answer = ask(engine, "坪山区机房扩容（三期）主要用来建设什么？")
    assert "机房环境工程" in answer.text and "气体消防系统" in answer.text
    assert answer.value is None
    assert not [f for f in answer.figures if f.status == "已核实"]  # a quoted passage vouches for no figure
    assert_quoted_from_cited_passages(answer)


@pytest.mark.slow
def test_a_definition_is_the_glossary_entry(engine):
    answer = ask(engine, "盐田区的项目支出是指什么？")
    assert squeeze(answer.text).startswith("项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出")
    assert answer.citations[0].section_path[-2].endswith("名词解释")
