"""How figures stated in a disclosure's text are read: which clause states a figure, what a bare figure is of,
which level a stated change changes, which things the text counts. Facts are made here, of an invented
department, as a sentence of any disclosure prints them."""
from __future__ import annotations

from decimal import Decimal

from index.model import Fact
from qa.execute.changes import change_bases, names_no_item, qualifier_run
from qa.execute.context import stated_items
from qa.execute.lookup import clause_of, doc_facts, fact_label, in_either_order, same_context
from qa.plan.analyze import load_vocabulary, unit_hint

SECTION = ("五、其他重要事项的情况说明", "(三)国有资产占有使用情况")


def stated(n: int, sentence: str, subject: str | None, value: str, unit: str, section=SECTION) -> Fact:
    return Fact(id=f"f{n}", doc_id="d", kind="text", value=Decimal(value), unit=unit, page=1, printed=value,
                sentence=sentence, section_path=section, subject=subject)


CARS = "截至2025年12月,所属各单位共有车辆6辆,其中应急保障用车2辆,特种专业技术用车4辆。"


def test_a_figure_is_stated_by_its_own_clause_not_by_the_digits_of_a_year():
    six, two = stated(1, CARS, "车辆", "6", "辆"), stated(2, CARS, "应急保障用车", "2", "辆")
    assert clause_of(six) == "所属各单位共有车辆6辆"  # not '截至2025年12月' (a 2 and a 5 stand in the year)
    assert clause_of(two) == "其中应急保障用车2辆"


def test_two_words_of_an_item_name_it_in_either_order():
    assert in_either_order("货物采购", "政府采购货物预算")
    assert in_either_order("货物采购", "货物采购预算")
    assert not in_either_order("货物采购", "政府采购服务预算")


def test_an_amount_after_a_count_of_the_same_things_is_their_amount():
    """'在建工程2项860.50万元': the amount names no subject of its own; it is the 在建工程's."""
    sentence = "截至2024年12月31日,在建工程2项860.50万元。"
    count, amount = stated(1, sentence, "在建工程", "2", "项"), stated(2, sentence, None, "860.50", "万元")
    assert fact_label(amount) == "在建工程"
    assert fact_label(count) == "在建工程"


def test_a_change_naming_no_item_changes_what_its_section_stated_last():
    section = ("八、机关运行经费支出预算情况说明",)
    level_sentence = "2025年本部门机关运行经费预算支出812.40万元,比2024年增加40.00万元。"
    level = stated(1, level_sentence, "机关运行经费预算支出", "812.40", "万元", section)
    stated_change = stated(2, level_sentence, "增加", "40.00", "万元", section)
    alike = stated(3, "按与上年口径一致相比,本年比上年减少12.60万元,主要原因是人员减少。", "本年比上年减少", "12.60", "万元",
                   section)
    other = stated(4, "其中人员经费比上年减少5.00万元。", "人员经费比上年减少", "5.00", "万元", section)
    assert names_no_item(alike) and names_no_item(stated_change) and not names_no_item(other)
    bases = change_bases(doc_facts("d", "临海市水务局", 2025, [level, stated_change, alike, other]))
    assert bases["f2"] is level and bases["f3"] is level
    assert "f4" not in bases  # 人员经费's change is not the section's level's


def test_a_change_whose_own_sentence_shares_the_questions_qualifier_comes_first():
    section = ("八、机关运行经费支出预算情况说明",)
    level_sentence = "2025年本部门机关运行经费预算支出812.40万元,比2024年增加40.00万元。"
    level = stated(1, level_sentence, "机关运行经费预算支出", "812.40", "万元", section)
    own = stated(2, level_sentence, "增加", "40.00", "万元", section)
    alike = stated(3, "按与上年统计口径一致相比,本年比上年减少12.60万元。", "本年比上年减少", "12.60", "万元", section)
    question = "按同一统计口径临海市水务局机关运行经费比上年变化多少"
    assert qualifier_run((level, alike), question) >= 4
    assert qualifier_run((level, own), question) == 0  # the figure's own sentence adds nothing
    assert qualifier_run((level, alike), "临海市水务局机关运行经费比上年变化多少") == 0


def test_two_figures_one_sentence_gives_one_item_are_of_two_wholes():
    """'…采购总额900万元:货物预算40万元…;其中一般公共预算拨款采购0万元:货物预算0万元…' gives 货物 of two wholes."""
    sentence = "政府采购预算总额900万元:政府采购货物预算40万元;其中一般公共预算拨款政府采购0万元:政府采购货物预算0万元。"
    whole, fund = stated(1, sentence, "政府采购货物预算", "40", "万元"), stated(2, sentence, "政府采购货物预算", "0", "万元")
    docs = doc_facts("d", "临海市水务局", 2025, [whole, fund])
    assert not same_context(whole, fund, docs)


def test_things_the_text_only_counts_are_items_a_question_may_name():
    facts = [stated(1, CARS, "车辆", "6", "辆"), stated(2, CARS, "应急保障用车", "2", "辆"),
             stated(3, CARS, "特种专业技术用车", "4", "辆"),
             stated(4, "在建工程2项860.50万元。", "在建工程", "2", "项"), stated(5, "在建工程2项860.50万元。", "在建工程", "860.50", "万元"),
             stated(6, "本年新增3名退休人员。", "新增3名退休人员", "3", "名"),
             stated(7, "离休0人,退休人员12人。", "退休人员", "12", "人")]
    items = stated_items(doc_facts("d", "临海市水务局", 2025, facts))
    assert "应急保障用车" in items and "特种专业技术用车" in items
    assert "在建工程" not in items  # the text gives its amount too: a question may ask either
    assert not any("新增" in item for item in items)
    assert "退休人员" not in items  # the vocabulary asks a count of it already


def test_a_question_asking_how_many_times_or_units_asks_in_that_count():
    vocab = load_vocabulary()
    assert unit_hint("2024年发生了几次国内公务接待", vocab) == "次"
    assert unit_hint("下属有多少家单位", vocab) == "家"
    assert unit_hint("购置了几台设备", vocab) == "台"


def test_an_amount_per_head_is_shared_over_the_count_a_sentence_stating_it_gives():
    """'公务接待费 0.30 万元' in a summary; '公务接待费支出 0.30 万元，接待 2 批次 20 人' in the 三公 section:
    the count of the sentence that states the amount again is its head count."""
    from qa.execute.figures import count_beside

    summary = stated(1, "三公经费中公务接待费0.30万元。", "公务接待费", "0.30", "万元", ("一、总体情况",))
    section = ("三、三公经费", "3.公务接待费")
    again = stated(2, "公务接待费支出0.30万元,共接待2批次20人。", "公务接待费支出", "0.30", "万元", section)
    batches = stated(3, again.sentence, "共接待", "2", "批次", section)
    people = stated(4, again.sentence, "批次", "20", "人", section)
    elsewhere = stated(5, "实有在编人数35人。", "实有在编人数", "35", "人", ("四、机构人员",))
    doc = doc_facts("d", "临海市水务局", 2025, [summary, again, batches, people, elsewhere])
    assert count_beside(summary, "人", doc) is people
    assert count_beside(summary, "辆", doc) is None  # nothing counted in 辆 stands beside it


def test_a_per_head_question_asks_a_division():
    from qa.plan.analyze import analyze

    assert analyze("临海市水务局2025年公务接待人均花了多少元").operation == "per"
    assert analyze("临海市水务局2025年公务接待费是多少").operation != "per"


def test_an_amount_per_head_reads_as_its_amount_in_the_answer():
    from qa.answer.verify import same_amount

    assert same_amount(Decimal("150.00"), "元", Decimal("150.00"), "元/人")
    assert not same_amount(Decimal("150.00"), "元", Decimal("150.00"), "万元/人")


def test_a_sum_of_one_item_adds_the_list_its_sentence_gives():
    """'四个季度的用款计划加起来': the four figures of '第一季度用款计划…，第二季度用款计划…' in one sentence."""
    from qa.execute.figures import listed_sum
    from qa.execute.lookup import Found
    from qa.plan.analyze import Intent

    sentence = "第一季度用款计划10.50万元,第二季度用款计划20.00万元,第三季度用款计划30.25万元,第四季度用款计划5.00万元。"
    quarters = [stated(n, sentence, f"第{q}季度用款计划", v, "万元")
                for n, (q, v) in enumerate(zip("一二三四", ("10.50", "20.00", "30.25", "5.00")), 1)]
    doc = doc_facts("d", "临海市水务局", 2025, quarters)
    top = Found(quarters[1].value, "万元", [quarters[1]], "第二季度用款计划")

    def asked(text):
        return Intent(question=text, normalized=text)

    total = listed_sum(top, asked("临海市水务局四个季度的用款计划加起来是多少"), doc)
    assert total is not None and total.value == Decimal("65.75") and len(total.parts) == 4
    assert listed_sum(top, asked("临海市水务局三个季度的用款计划加起来是多少"), doc) is None  # it lists four
    assert listed_sum(top, asked("临海市水务局第二季度用款计划是多少"), doc) is None  # nothing added up


def test_a_whole_whose_brackets_list_its_parts_is_not_added_with_them():
    from qa.execute.figures import lists_its_parts

    named = ["三公经费", "因公出国(境)费", "公务接待费"]
    question = "临海市水务局三公经费预算两项(因公出国(境)费、公务接待费)加起来是多少"
    assert lists_its_parts("三公经费", named, question)
    assert not lists_its_parts("公务接待费", named, question)
    assert not lists_its_parts("三公经费", named, "临海市水务局三公经费和因公出国(境)费、公务接待费合计")


def test_an_item_compared_with_its_opening_words_swapped_is_its_sibling_row():
    from qa.execute.figures import sibling

    assert sibling("年末结转和结余", "年初") == "年初结转和结余"
    assert sibling("年初", "年初") == ""


def test_a_row_asked_of_one_side_is_read_from_that_sides_table():
    from qa.execute.lookup import side_fit

    def cell(kind, name):
        return Fact(id="c", doc_id="d", kind="cell", value=Decimal("1"), unit="万元", page=1, table_kind=kind,
                    table_name=name, row_name="行政运行")

    income, spending = cell("收入总表", "收入决算表"), cell("支出总表", "支出决算表")
    both = cell("收支总表", "收入支出决算总表")
    assert side_fit(income, "行政运行的收入一共多少") > 0 > side_fit(spending, "行政运行的收入一共多少")
    assert side_fit(both, "行政运行的收入一共多少") == 0
    assert side_fit(income, "行政运行一共多少") == 0  # no side named


def test_words_qualifying_the_item_prefer_the_figure_stated_with_them():
    """'纳入绩效目标管理的一般公共预算拨款': the 绩效 paragraph's amount, not the department's whole 拨款."""
    from qa.execute.lookup import Scored, prefer_qualified
    from qa.plan.analyze import Intent

    whole = stated(1, "2025年本部门一般公共预算拨款收入900.00万元。", "一般公共预算拨款收入", "900.00", "万元",
                   ("二、收支预算总体情况",))
    managed = stated(2, "本部门绩效目标管理全覆盖,涉及一般公共预算当年拨款300.00万元。", "一般公共预算当年拨款", "300.00",
                     "万元", ("九、预算绩效目标情况说明",))
    docs = doc_facts("d", "临海市水务局", 2025, [whole, managed])
    scored = [Scored(whole, 22.0), Scored(managed, 13.0)]
    asked = Intent(question="q", normalized="临海市水务局纳入绩效目标管理的一般公共预算拨款是多少", row_terms=("一般公共预算拨款",))
    ranked = sorted(prefer_qualified(scored, asked, "纳入绩效目标管理的一般公共预算拨款是多少", (), docs),
                    key=lambda s: -s.score)
    assert ranked[0].fact is managed
    plain = prefer_qualified(scored, asked, "一般公共预算拨款是多少", (), docs)
    assert [s.score for s in plain] == [22.0, 13.0]  # nothing qualifies the item: nothing changes


def test_a_difference_asked_in_wan_yuan_is_computed_again_in_it():
    from qa.execute.lookup import Found, combine, in_unit

    a = Found(Decimal("3526694"), "元", [stated(1, "s", "住房公积金", "3526694", "元")], "住房公积金", confirmed=True)
    b = Found(Decimal("2087959.00"), "元", [stated(2, "t", "住房公积金", "2087959.00", "元")], "住房公积金", confirmed=True)
    difference = combine("difference", [a, b])
    assert (difference.value, difference.unit) == (Decimal("1438735.00"), "元")
    asked = in_unit(difference, "万元")
    assert (asked.value, asked.unit) == (Decimal("143.87"), "万元") and "352.67" in asked.formula
    assert asked.confirmed and [p.unit for p in asked.parts] == ["万元", "万元"]


def test_one_funds_figure_is_not_the_figure_of_all_funds_asked():
    from qa.execute.lookup import one_funds_of_all

    def cell(n, kind, value):
        return Fact(id=f"c{n}", doc_id="d", kind="cell", value=Decimal(value), unit="万元", page=1, table_kind=kind,
                    table_name=kind, row_name="机关事业单位职业年金缴费支出", row_path=("机关事业单位职业年金缴费支出",),
                    column_path=("合计",))

    every, granted = cell(1, "支出总表", "120.50"), cell(2, "财政拨款支出表", "110.00")
    explained = stated(3, "机关事业单位职业年金缴费支出（2080506）决算数110.00万元。", "决算数", "110.00", "万元",
                       ("（四）财政拨款支出决算表说明",))
    docs = doc_facts("d", "临海市水务局", 2025, [every, granted, explained])
    assert one_funds_of_all(granted, "机关事业单位职业年金缴费支出是多少", docs)
    assert one_funds_of_all(explained, "机关事业单位职业年金缴费支出是多少", docs)
    assert not one_funds_of_all(granted, "财政拨款的机关事业单位职业年金缴费支出是多少", docs)
    assert not one_funds_of_all(every, "机关事业单位职业年金缴费支出是多少", docs)


def test_two_rates_differ_by_points():
    from qa.execute.lookup import Found, combine

    rates = [Found(Decimal(v), "%", [stated(n, "s", "占比", v, "%")], "占比") for n, v in ((1, "59.35"), (2, "65.55"))]
    difference = combine("difference", rates)
    assert (difference.value, difference.unit) == (Decimal("6.20"), "个百分点")


def test_a_part_named_inside_its_container_puts_the_whole_after_it_across_sentences():
    """'政府采购预算中工程类有多少': '政府采购预算 830 万元。' and, in the next sentence, '政府采购工程预算 550 万元'."""
    from qa.execute.lookup import Scored, prefer_named_item
    from qa.plan.analyze import ConceptMatch

    section = ("三、政府采购预算情况",)
    whole = stated(1, "2025年政府采购预算830.00万元。", "政府采购预算", "830.00", "万元", section)
    works = stated(2, "其中:政府采购工程预算550.00万元。", "政府采购工程预算", "550.00", "万元", section)
    docs = doc_facts("d", "临海市水务局", 2025, [whole, works])
    concepts = (ConceptMatch(name="政府采购", matched="政府采购预算", text_subjects=("政府采购",)),
                ConceptMatch(name="工程类采购", matched="工程类", text_subjects=("工程类", "工程预算")))
    ranked = prefer_named_item([Scored(whole, 19.0), Scored(works, 18.0)], "政府采购预算中工程类有多少", docs, concepts)
    assert max(ranked, key=lambda s: s.score).fact is works


def test_a_sentence_the_whole_items_rows_contradict_gives_way_to_them():
    """'对个人和家庭的补助支出 0 万元' in the text; the 经济分类 table's row prints 59: the row is the figure and the
    sentence the disagreeing place. A 基本支出 table's row gives only a part and contradicts nothing."""
    from qa.execute.context import Context
    from qa.execute.figures import prefer_table
    from qa.execute.lookup import Found

    def cell(n, kind, value):
        return Fact(id=f"c{n}", doc_id="d", kind="cell", value=Decimal(value), unit="万元", page=2, table_kind=kind,
                    table_name=kind, row_name="对个人和家庭的补助", row_path=("对个人和家庭的补助",), column_path=("合计",))

    text = stated(1, "包括人员支出100万元、对个人和家庭的补助支出0万元。", "对个人和家庭的补助支出", "0", "万元")
    for facts, expected in (([text, cell(2, "一般公共预算支出经济分类表", "59")], Decimal("59")),
                            ([text, cell(3, "基本支出表", "59")], Decimal("0"))):
        ctx = Context(store=None, records=[], docs={"d": doc_facts("d", "临海市水务局", 2025, facts)}, catalogue=(),
                      disagreements={}, agreements={}, findings={}, retriever=None)
        found = prefer_table(Found(text.value, "万元", [text], "对个人和家庭的补助支出", confirmed=True), ctx)
        assert found.value == expected
        assert (text in found.alternatives) == (expected != text.value)


def test_a_units_row_carrying_its_units_code_stands_for_the_unit():
    from qa.execute.lookup import stands_for_unit

    row = Fact(id="c", doc_id="d", kind="cell", value=Decimal("100000.00"), unit="元", page=1, table_kind="三公经费表",
               budget_unit="临海市水务技术中心", row_code="301002", row_name="临海市水务技术中心", column_path=("培训费",))
    subject = Fact(id="s", doc_id="d", kind="cell", value=Decimal("5.00"), unit="元", page=1, table_kind="支出总表",
                   budget_unit="临海市水务技术中心", row_code="2130101", row_name="行政运行", column_path=("合计",))
    assert stands_for_unit(row) and not stands_for_unit(subject)


def test_a_reason_is_read_from_the_sentence_about_the_item_asked():
    """A long paragraph giving the reasons of several items: the one about 会议费 is quoted from."""
    from qa.execute.narrative import ANSWER_CHARS, answer_kind, paragraph_text, word_pairs

    other = "三公经费预算支出6.51万元，较上年减少9.49万元，减少的主要原因是压缩经费；" * 20
    asked = "会议费32万元，较上年减少14.2万元，主要原因是本年度参加会议产生的费用减少。"
    paragraph = other + asked
    assert len(paragraph) > ANSWER_CHARS
    kind = answer_kind("会议费为什么减少")
    assert paragraph_text(paragraph, kind, word_pairs("会议费减少")).startswith("会议费32万元")
    assert paragraph_text(paragraph, kind).startswith("三公经费")  # nothing asked of: the first reason


def test_a_reason_asked_after_a_change_is_of_the_item_asked_before():
    from qa.plan.parts import clause_part
    from qa.plan.model import Part
    from qa.plan.analyze import Intent

    read = lambda text: Intent(question=text, normalized=text)  # noqa: E731
    before = [Part(text="临海市水务局会议费预算多少", operation="value", items=("会议费",), intent=read("会议费")),
              Part(text="比上年减少多少", operation="change", items=("会议费",), intent=read("比上年减少多少"))]
    part = clause_part("为什么", before, read)
    assert part.operation == "reason" and "会议费" in part.intent.normalized


def test_a_change_belongs_to_the_first_amount_of_its_part_of_the_sentence():
    section = ("六、三公经费等预算情况说明",)
    sentence = "会议费32.00万元，较上年减少14.20万元；培训费109.60万元，较上年增加89.06万元。"
    meetings = stated(1, sentence, "会议费", "32.00", "万元", section)
    fewer = stated(2, sentence, "较上年减少", "14.20", "万元", section)
    training = stated(3, sentence, "培训费", "109.60", "万元", section)
    more = stated(4, sentence, "较上年增加", "89.06", "万元", section)
    bases = change_bases(doc_facts("d", "临海市水务局", 2025, [meetings, fewer, training, more]))
    assert bases["f2"] is meetings and bases["f4"] is training
    listed = "运行维护预算400.00万元，主要包括：网络运维100.00万元，设备维修42.70万元，较上年预算增加110.00万元。"
    whole, first, last = (stated(n, listed, s, v, "万元", section) for n, s, v in
                          ((5, "运行维护预算", "400.00"), (6, "网络运维", "100.00"), (7, "设备维修", "42.70")))
    change = stated(8, listed, "较上年预算增加", "110.00", "万元", section)
    assert change_bases(doc_facts("d", "临海市水务局", 2025, [whole, first, last, change]))["f8"] is whole


def test_a_sentences_amount_is_a_yuan_tables_figure_rounded():
    from qa.execute.changes import same_figure

    sentence = stated(1, "培训费109.6万元。", "培训费", "109.6", "万元")
    cell = Fact(id="c", doc_id="d", kind="cell", value=Decimal("1096000.00"), unit="元", page=1, row_name="培训费")
    assert same_figure(sentence, cell)
    assert not same_figure(sentence, Fact(id="e", doc_id="d", kind="cell", value=Decimal("1096000.00"), unit="人",
                                          page=1, row_name="培训费"))
