"""The evaluation harness: every scoring rule on hand-made answers that must pass and must fail,
gold loading errors, a whole run with a fake query function, and the exit code."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from rich.console import Console

import qa
from qa.answer.model import Answer, Citation, Discrepancy, Figure, Passage
from qa.evaluate import (
    GoldError,
    GoldItem,
    check_citation,
    check_discrepancy,
    check_narrative,
    check_refusal,
    check_value,
    doc_stem,
    evaluate,
    exit_code,
    load_gold,
    percentile,
    print_comparison,
    print_report,
    retrieval_rank,
    run,
    score,
    value_matches,
    with_originals,
    write_report,
)

LONGGANG = "longgang-2024.txt"
EVIDENCE = "2024 年深圳市龙岗区政务服务数据管理局部门预算收入 18,287.71 万元"


# --------------------------------------------------------------------------- builders


def gold(**fields) -> GoldItem:
    """Given the fields that matter to a test, return a valid gold item of table_lookup by default."""
    base = {
        "id": "t1", "type": "table_lookup", "question": "龙岗区2024年部门预算收入是多少？",
        "answer": "18,287.71万元", "value": "18,287.71", "unit": "万元", "doc": LONGGANG,
        "source": "表1 收支总表", "evidence": [EVIDENCE], "formula": None, "values": None, "key_phrases": None,
    }
    return GoldItem.model_validate({**base, **fields})


STANDARD_KINDS = {1: "收支总表", 2: "收入总表", 3: "支出总表", 7: "一般公共预算支出表", 9: "三公经费表"}


def cite(n: int = 1, doc: str = "longgang-2024", table: int | None = 1) -> Citation:
    """A citation of the table at standard place ``table`` (eval/README.md), or of text."""
    return Citation(n=n, doc_id=doc, page=3, table_kind=STANDARD_KINDS.get(table), table_name="收支总表" if table else None)


def figure(value: str, unit: str | None = "万元", status: str = "已核实", citations: list[int] | None = None) -> Figure:
    return Figure(text=f"{value} {unit or ''}".strip(), value=Decimal(value.replace(",", "")), unit=unit,
                  status=status, citations=[1] if citations is None else citations)


def answer(value: str | None = "18287.71", unit: str | None = "万元", citations: list[Citation] | None = None,
           figures: list[Figure] | None = None, text: str = "龙岗区2024年部门预算收入18,287.71万元[1]。",
           refused: bool = False, passages: list[Passage] | None = None, **extra) -> Answer:
    return Answer(
        question="q", text=text, value=Decimal(value) if value is not None else None, unit=unit,
        citations=[cite()] if citations is None else citations,
        figures=[figure("18,287.71")] if figures is None and value is not None else (figures or []),
        refused=refused, passages=passages or [], **extra,
    )


def refusal(text: str = "未找到南山区的相关数据。", figures: list[Figure] | None = None) -> Answer:
    return Answer(question="q", text=text, refused=True, reason="not_found", figures=figures or [])


def passage(doc: str, text: str, n: int = 0) -> Passage:
    return Passage(chunk_id=f"{doc}-{n}", doc_id=doc, text=text)


# --------------------------------------------------------------------------- value


def test_value_exact_match_passes():
    outcome = check_value(gold(), answer())
    assert outcome.passed and outcome.score == 1.0


def test_wrong_value_fails():
    outcome = check_value(gold(), answer(value="18287.17"))
    assert not outcome.passed and "≠" in outcome.why


def test_money_in_another_unit_converts():
    assert check_value(gold(), answer(value="182877100", unit="元")).passed
    assert check_value(gold(), answer(value="1.8287710", unit="亿元")).passed
    assert not check_value(gold(), answer(value="182877000", unit="元")).passed


def test_money_finer_than_gold_is_rounded_to_gold_precision():
    """A gold '1.83 亿元' is matched by the table's 18,287.71 万元, as the text would print it."""
    assert check_value(gold(value="1.83", unit="亿元"), answer(value="18287.71", unit="万元")).passed
    assert not check_value(gold(value="1.82", unit="亿元"), answer(value="18287.71", unit="万元")).passed


def test_money_printed_finer_than_gold_in_its_unit_is_rounded_to_gold_precision():
    """A sentence's rounded 222 万元 is matched by the table's 221.90 万元; 221.40 is another figure."""
    assert check_value(gold(value="222", unit="万元"), answer(value="221.90", unit="万元")).passed
    assert not check_value(gold(value="222", unit="万元"), answer(value="221.40", unit="万元")).passed
    assert not check_value(gold(value="221.90", unit="万元"), answer(value="222", unit="万元")).passed


def test_money_coarser_than_gold_is_not_rounded():
    """A rounded 1.83 亿元 is not the gold's exact 18,287.71 万元."""
    assert not check_value(gold(), answer(value="1.83", unit="亿元")).passed


def test_other_units_must_agree():
    assert check_value(gold(value="25", unit="人"), answer(value="25", unit="人")).passed
    assert not check_value(gold(value="25", unit="人"), answer(value="25", unit="个")).passed
    outcome = check_value(gold(value="25", unit="人"), answer(value="25", unit=None))
    assert not outcome.passed and "unit" in outcome.why


def test_people_counted_in_名_or_人_agree_but_not_other_counters():
    assert check_value(gold(value="16", unit="人"), answer(value="16", unit="名")).passed
    assert not check_value(gold(value="16", unit="人"), answer(value="16", unit="个")).passed
    assert not check_value(gold(value="1", unit="辆"), answer(value="1", unit="台")).passed


def test_full_width_percent_and_units_normalised():
    assert value_matches("28.5", "%", Decimal("28.5"), "％")[0]
    assert value_matches("3", "台（套）", Decimal("3"), "台(套)")[0]


def test_a_difference_of_rates_in_points_is_the_gold_rate():
    assert value_matches("21.0", "%", Decimal("21.0"), "个百分点")[0]
    assert not value_matches("21.0", "%", Decimal("21.0"), "万元")[0]


def test_an_amount_per_head_is_compared_as_its_money():
    assert value_matches("123.08", "元", Decimal("123.08"), "元/人")[0]
    assert not value_matches("123.08", "元", Decimal("123.08"), "万元/人")[0]


def test_percent_compared_at_gold_precision():
    assert check_value(gold(value="28.5", unit="%"), answer(value="28.46", unit="%")).passed
    assert not check_value(gold(value="28.5", unit="%"), answer(value="28.4", unit="%")).passed
    assert not check_value(gold(value="28.46", unit="%"), answer(value="28.5", unit="%")).passed
    assert check_value(gold(value="28.50", unit="%"), answer(value="28.5", unit="%")).passed


def test_main_value_is_required_even_if_a_figure_has_it():
    got = answer(value=None, unit=None, figures=[figure("18,287.71")])
    outcome = check_value(gold(), got)
    assert not outcome.passed and "main value" in outcome.why


def test_gold_value_with_separators_and_json_number():
    assert gold(value="1,234.50").value == "1,234.50"
    item = load_line_item('{"id": 7, "type": "text_fact", "question": "龙岗？", "value": 28.50, "unit": "%", "doc": "a.txt"}')
    assert item.id == "7" and item.value == "28.50"


def load_line_item(line: str) -> GoldItem:
    from pathlib import Path

    from qa.evaluate import _parse_gold_line
    return _parse_gold_line(Path("g.jsonl"), 1, line)


# --------------------------------------------------------------------------- citation


def test_citation_right_doc_and_table_passes():
    assert check_citation(gold(), answer()).passed


def test_citation_wrong_doc_fails():
    outcome = check_citation(gold(), answer(citations=[cite(doc="yantian-2024")]))
    assert not outcome.passed and "longgang-2024" in outcome.why


def test_citation_right_doc_wrong_table_fails():
    outcome = check_citation(gold(), answer(citations=[cite(table=3)]))
    assert not outcome.passed and "收支总表" in outcome.why  # the gold source names 表1 收支总表


def test_table_in_another_doc_does_not_count():
    got = answer(citations=[cite(1, "longgang-2024", None), cite(2, "yantian-2024", 1)])
    assert not check_citation(gold(), got).passed


def test_text_source_needs_no_table():
    item = gold(type="text_fact", source="第二部分 部门预算收支总体情况")
    assert check_citation(item, answer(citations=[cite(table=None)])).passed


def test_doc_compared_by_stem():
    for doc_id in ("longgang-2024.pdf", "data/pdf/longgang-2024.pdf", "longgang-2024", "LONGGANG-2024.PDF"):
        assert check_citation(gold(), answer(citations=[cite(doc=doc_id)])).passed, doc_id
    assert doc_stem("longgang-2024.txt") == doc_stem("longgang-2024.pdf") == "longgang-2024"


def test_citation_kind_from_the_source_title_not_its_number():
    """Another template numbers its tables its own way: '表4 财政拨款收入支出决算总表' is a 财政拨款收支总表,
    not the standard 表4 (基本支出表); a source printing only a number keeps the standard meaning."""
    item = gold(source="表4 财政拨款收入支出决算总表（续页） / 总计 / 决算数")
    assert item.table_kinds == ["财政拨款收支总表"]
    assert gold(source="表3 / 深圳市龙岗区大数据中心 / 支出总计").table_kinds == ["支出总表"]
    assert gold(source="表 3：高等学校支出决算表 / 合计；表 4：高等学校财政拨款支出决算表 / 合计").table_kinds == \
        ["支出总表", "财政拨款支出表"]


def test_cross_doc_needs_every_doc():
    item = gold(type="cross_doc", doc=[LONGGANG, "yantian-2024.txt"], source="表1 收支总表")
    both = answer(citations=[cite(1, "longgang-2024"), cite(2, "yantian-2024.pdf")])
    one = answer(citations=[cite(1, "longgang-2024")])
    assert check_citation(item, both).passed
    outcome = check_citation(item, one)
    assert not outcome.passed and "yantian-2024" in outcome.why


# --------------------------------------------------------------------------- refusal


def test_refusal_on_answerable_fails():
    outcome = check_refusal(gold(), refusal("未找到该数据。"))
    assert not outcome.passed
    result = score(gold(), refusal("未找到该数据。"), 5.0)
    assert not result.passed and not result.rules["refusal"].passed


def test_answered_question_is_not_a_refusal():
    assert check_refusal(gold(), answer()).passed


def test_unanswerable_refused_passes():
    item = gold(type="unanswerable", doc=None, value=None, unit=None, source="无", evidence=None)
    assert check_refusal(item, refusal()).passed
    assert check_refusal(item, refusal(figures=[figure("100", status="未核实")])).passed


def test_unanswerable_text_only_refusal_passes():
    """An engine that only writes text (an LLM) refuses in words."""
    item = gold(type="unanswerable", doc=None, value=None, source="无", evidence=None)
    got = Answer(question="q", text="文档中未找到南山区的预算数据。")
    assert check_refusal(item, got).passed


def test_unanswerable_with_confirmed_figure_fails():
    item = gold(type="unanswerable", doc=None, value=None, source="无", evidence=None)
    for status in ("已核实", "计算"):
        outcome = check_refusal(item, refusal(figures=[figure("100", status=status)]))
        assert not outcome.passed and status in outcome.why


def test_unanswerable_answered_with_a_value_fails():
    item = gold(type="unanswerable", doc=None, value=None, source="无", evidence=None)
    assert not check_refusal(item, answer()).passed
    refused_with_value = answer(refused=True)
    assert not check_refusal(item, refused_with_value).passed


# --------------------------------------------------------------------------- discrepancy


def discrepancy_item() -> GoldItem:
    return gold(type="discrepancy", value=None, values=["18,287.71", "18,278.71"], source="文字部分 与 表1",
                evidence=[EVIDENCE, "收入总计 18,278.71"])


def test_discrepancy_both_values_own_citations_passes():
    got = answer(value=None, citations=[cite(1, table=None), cite(2)],
                 figures=[figure("18,287.71", status="文表不一致", citations=[1]),
                          figure("18,278.71", status="文表不一致", citations=[2])])
    outcome = check_discrepancy(discrepancy_item(), got)
    assert outcome.passed, outcome.why


def test_discrepancy_inside_discrepancy_objects_passes():
    figs = [figure("18,287.71", status="文表不一致", citations=[1]), figure("18,278.71", status="文表不一致", citations=[2])]
    got = Answer(question="q", text="文表不一致", refused=True, citations=[cite(1, table=None), cite(2)],
                 discrepancies=[Discrepancy(subject="部门预算收入", figures=figs)])
    assert check_discrepancy(discrepancy_item(), got).passed
    assert score(discrepancy_item(), got, 1.0).passed  # declining to pick one figure is fine here


def test_discrepancy_with_one_value_fails():
    got = answer(value=None, citations=[cite(1), cite(2)], figures=[figure("18,287.71", citations=[1])])
    outcome = check_discrepancy(discrepancy_item(), got)
    assert not outcome.passed and "18,278.71" in outcome.why


def test_discrepancy_with_one_shared_citation_fails():
    got = answer(value=None, citations=[cite(1)],
                 figures=[figure("18,287.71", citations=[1]), figure("18,278.71", citations=[1])])
    assert not check_discrepancy(discrepancy_item(), got).passed


def test_discrepancy_figure_without_citation_fails():
    got = answer(value=None, citations=[cite(1), cite(2)],
                 figures=[figure("18,287.71", citations=[1]), figure("18,278.71", citations=[])])
    assert not check_discrepancy(discrepancy_item(), got).passed
    dangling = answer(value=None, citations=[cite(1)],
                      figures=[figure("18,287.71", citations=[1]), figure("18,278.71", citations=[9])])
    assert not check_discrepancy(discrepancy_item(), dangling).passed


# --------------------------------------------------------------------------- narrative


def narrative_item() -> GoldItem:
    return gold(type="narrative", value=None, unit=None, source="第一部分 部门概况",
                key_phrases=["政务服务", "数据管理", "数字政府建设"])


def test_narrative_share_passes_at_half():
    got = answer(value=None, unit=None, text="负责政务 服务和数据\n管理工作。", citations=[cite(table=None)])
    outcome = check_narrative(narrative_item(), got)
    assert outcome.passed and outcome.score == pytest.approx(2 / 3)
    assert score(narrative_item(), got, 1.0).passed


def test_narrative_share_below_half_fails():
    got = answer(value=None, unit=None, text="负责政务服务工作。", citations=[cite(table=None)])
    outcome = check_narrative(narrative_item(), got)
    assert not outcome.passed and outcome.score == pytest.approx(1 / 3) and "数字政府建设" in outcome.why


def test_narrative_must_cite_the_doc():
    got = answer(value=None, unit=None, text="政务服务 数据管理 数字政府建设", citations=[])
    result = score(narrative_item(), got, 1.0)
    assert result.rules["narrative"].passed and not result.passed


def parts_item() -> GoldItem:
    return gold(question="龙岗区2024年部门预算收入是多少？其中一般公共预算多少元？", values=["150,000,000"])


def test_every_part_of_a_question_must_be_answered():
    first_only = answer()
    both = answer(figures=[figure("18,287.71"), figure("15,000.00")])  # the second part in 万元 of a 元 gold
    assert not score(parts_item(), first_only, 1.0).passed
    result = score(parts_item(), both, 1.0)
    assert result.passed and result.rules["parts"].passed


def test_a_text_answer_of_no_single_figure_is_judged_by_its_evidence():
    item = gold(type="text_fact", value=None, unit=None, source="第一部分 部门概况",
                evidence=["上海市普陀区财政局财政所", "上海市普陀区国库收付中心", "预算不单列"])
    listed = answer(value=None, unit=None, citations=[cite(table=None)],
                    text="包括财政局本级、上海市普陀区财政局财政所和上海市普陀区国库收付中心。")
    assert score(item, listed, 1.0).passed
    assert not score(item, answer(value=None, unit=None, citations=[cite(table=None)], text="财政局本级"), 1.0).passed


# --------------------------------------------------------------------------- retrieval


def test_retrieval_rank_and_recall():
    item = gold()
    noise = [passage("longgang-2024", f"无关内容 {i}", i) for i in range(12)]
    hit = passage("longgang-2024.pdf", "二、收入\n2024年深圳市龙岗区政务服务数据管理局部门预算收入\n18,287.71 万元，", 99)
    cases = {1: [hit, *noise], 3: [*noise[:2], hit, *noise], 7: [*noise[:6], hit], 12: [*noise[:11], hit], None: noise}
    results = []
    for rank, passages in cases.items():
        got = answer(passages=passages)
        assert retrieval_rank(item, got) == rank
        results.append(score(item, got, 1.0))
    report = build(results)
    assert report.recall_at_1 == pytest.approx(1 / 5)
    assert report.recall_at_5 == pytest.approx(2 / 5)
    assert report.recall_at_10 == pytest.approx(3 / 5)


def build(results):
    from qa.evaluate import build_report
    return build_report(results, "test")


def test_retrieval_wrong_doc_does_not_count():
    got = answer(passages=[passage("yantian-2024", EVIDENCE)])
    assert retrieval_rank(gold(), got) is None


def test_retrieval_long_line_matched_by_its_start():
    """A chunk boundary may cut a long line: its first 30 non-space characters suffice."""
    cut = EVIDENCE[: EVIDENCE.index("18,287") + 5]  # '2024 年…收入 18,28': 31 non-space characters
    assert retrieval_rank(gold(), answer(passages=[passage("longgang-2024", cut)])) == 1
    short = gold(evidence=["收入总计 18,287.71"])
    assert retrieval_rank(short, answer(passages=[passage("longgang-2024", "收入总计")])) is None


def test_any_evidence_line_counts():
    item = gold(evidence=["找不到的一行", "收入总计 18,287.71"])
    got = answer(passages=[passage("longgang-2024", "收入总计\t18,287.71\t支出总计")])
    assert retrieval_rank(item, got) == 1


# --------------------------------------------------------------------------- gold file


def write_lines(tmp_path, lines: list[str]):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def line(**fields) -> str:
    """Given fields over the default gold item, return its JSON line, unvalidated (it may be bad)."""
    return json.dumps({**gold().model_dump(), **fields}, ensure_ascii=False)


def test_load_gold_reads_items_and_skips_blank_lines(tmp_path):
    path = write_lines(tmp_path, [line(id="a"), "", line(id="b", type="text_fact", source="文字")])
    assert [item.id for item in load_gold(path)] == ["a", "b"]


def test_load_gold_rejects_bad_json_with_line_number(tmp_path):
    path = write_lines(tmp_path, [line(id="a"), '{"id": "b", "type": '])
    with pytest.raises(GoldError, match=r"line 2") as error:
        load_gold(path)
    assert "第2行" in str(error.value) and "JSON" in str(error.value)


def test_load_gold_rejects_missing_field_naming_it(tmp_path):
    bad = json.dumps({"id": "x", "type": "table_lookup", "question": "龙岗？", "doc": LONGGANG, "value": None})
    path = write_lines(tmp_path, [line(id="a"), line(id="b"), bad])
    with pytest.raises(GoldError, match=r"gold\.jsonl line 3 \(id x\): invalid: value is required for table_lookup"):
        load_gold(path)


def test_load_gold_rejects_bad_type_value_and_duplicates(tmp_path):
    cases = {
        "type": [json.dumps({"id": "x", "type": "lookup", "question": "龙岗？"})],
        "not a number": [line(id="x", value="约两万")],
        "values": [line(id="x", type="discrepancy", values=["1"])],
        "key_phrases": [line(id="x", type="narrative", key_phrases=None)],
        "repeats line 1": [line(id="x"), line(id="x")],
        "doc is required": [line(id="x", doc=None)],
    }
    for expected, lines in cases.items():
        with pytest.raises(GoldError, match=expected):
            load_gold(write_lines(tmp_path, lines))


def test_load_gold_missing_file(tmp_path):
    with pytest.raises(GoldError, match="file not found"):
        load_gold(tmp_path / "none.jsonl")


def test_extra_fields_are_ignored(tmp_path):
    record = {**gold().model_dump(), "reviewer": "张三"}
    path = write_lines(tmp_path, [json.dumps(record, ensure_ascii=False)])
    assert load_gold(path)[0].id == "t1"


# --------------------------------------------------------------------------- whole run


def tiny_gold(tmp_path):
    lines = [
        line(id="lookup-ok"),
        line(id="lookup-wrong", question="龙岗区2024年部门预算支出是多少？"),
        line(id="pct", type="compute", question="龙岗区占比？", value="28.5", unit="%", formula="a / b × 100% = 28.5%"),
        line(id="none", type="unanswerable", question="南山区2024年预算？", doc=None, value=None, unit=None,
             source="无", evidence=None),
        line(id="boom", type="text_fact", question="龙岗区爆炸？", source="文字"),
    ]
    return write_lines(tmp_path, lines)


def fake_query(question: str) -> Answer:
    """Answers by question: right, wrong, a percentage, a refusal, and one crash."""
    hit = [passage("longgang-2024", EVIDENCE)]
    if "支出" in question:
        return answer(value="1.00", passages=hit)
    if "占比" in question:
        return answer(value="28.46", unit="%", figures=[figure("28.46", "%", "计算")], passages=hit)
    if "南山" in question:
        return refusal()
    if "爆炸" in question:
        raise RuntimeError("index missing")
    return answer(passages=hit)


def test_evaluate_with_fake_query(tmp_path):
    items = load_gold(tiny_gold(tmp_path))
    report = evaluate(items, fake_query, "fake", progress=False)
    by_id = {r.id: r for r in report.results}
    assert by_id["lookup-ok"].passed and by_id["pct"].passed and by_id["none"].passed
    assert not by_id["lookup-wrong"].passed and any("≠" in w for w in by_id["lookup-wrong"].why)
    assert not by_id["boom"].passed and "index missing" in by_id["boom"].why[0]
    assert report.accuracy == pytest.approx(3 / 5)
    assert report.by_type["table_lookup"].n == 2 and report.by_type["table_lookup"].accuracy == 0.5
    assert report.by_type["table_lookup"].value == 0.5
    assert report.by_type["text_fact"].value == 0.0  # the crash fails its rules
    assert report.citation_accuracy == pytest.approx(3 / 4)
    assert report.recall_at_1 == pytest.approx(3 / 4)  # the crash retrieved nothing
    assert list(report.by_type) == ["table_lookup", "text_fact", "compute", "unanswerable"]
    assert report.latency_p50_ms is not None and report.latency_p95_ms >= report.latency_p50_ms

    path = write_report(report, tmp_path / "out" / "report.json")
    text = path.read_text(encoding="utf-8")
    assert "龙岗区" in text and "\\u" not in text
    data = json.loads(text)
    assert data["engine"] == "fake" and len(data["results"]) == 5
    ok = next(r for r in data["results"] if r["id"] == "lookup-ok")
    assert ok["got"]["value"] == "18287.71" and ok["passed"] is True and ok["expected"]["value"] == "18,287.71"

    console = Console(record=True, width=200)
    print_report(report, console)
    print_comparison([report, evaluate(items, fake_query, "other", progress=True)], console)
    out = console.export_text()
    assert "table_lookup" in out and "overall" in out and "other" in out and "recall@5" in out


def test_exit_code():
    results = [score(gold(), answer(), 1.0), score(gold(), answer(value="1"), 1.0)]
    report = build(results)
    assert report.accuracy == 0.5
    assert exit_code(report, None) == 0
    assert exit_code(report, 0.5) == 0
    assert exit_code(report, 0.6) == 1
    assert exit_code(report, 60) == 1  # a percentage is read as one
    assert exit_code([report, build(results[:1])], 0.9) == 1


def test_run_uses_qa_query_with_engine(tmp_path, monkeypatch):
    seen = []

    def query(question, *, filters=None, engine=None):
        seen.append(engine)
        return fake_query(question)

    monkeypatch.setitem(vars(qa), "query", query)  # qa.query is lazy; a module attribute shadows it
    console = Console(record=True, width=200)
    report_path = tmp_path / "r.json"
    code = run(tiny_gold(tmp_path), "naive", report_path, 0.5, console=console)
    assert code == 0 and set(seen) == {"naive"} and json.loads(report_path.read_text("utf-8"))["engine"] == "naive"
    assert run(tiny_gold(tmp_path), "naive", report_path, 0.9, limit=2, console=console) == 1
    seen.clear()
    assert run(tiny_gold(tmp_path), "extractive,naive", report_path, None, console=console) == 0
    data = json.loads(report_path.read_text("utf-8"))
    assert data["engines"] == ["extractive", "naive"] and set(seen) == {"extractive", "naive"}
    assert run(tmp_path / "missing.jsonl", "naive", report_path, None, console=console) == 2


def test_percentile():
    assert percentile([], 50) is None
    assert percentile([5.0], 95) == 5.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_paraphrase_agreement_counts_questions_answered_alike_in_every_wording(tmp_path):
    """Three questions, each reworded: one answered alike (a rewording asking 元 of a 万元 figure agrees), one
    answered differently, one refused in every wording (alike)."""
    items = [gold(id="a", question="A？"), gold(id="a-p1", question="A 元？", paraphrase_of="a", unit="元"),
             gold(id="b", question="B？"), gold(id="b-p1", question="B 换个说法？", paraphrase_of="b"),
             gold(id="c", question="C？"), gold(id="c-p1", question="C 换个说法？", paraphrase_of="c")]
    answers = {"A？": ("18287.71", "万元"), "A 元？": ("182877100", "元"), "B？": ("18287.71", "万元"),
               "B 换个说法？": ("15.30", "万元")}

    def query(question: str) -> Answer:
        if question not in answers:
            return Answer(question=question, text="文档中未找到", refused=True, reason="not found")
        value, unit = answers[question]
        return Answer(question=question, text=f"{value}{unit}", value=Decimal(value), unit=unit)

    report = evaluate(items, query, "fake", progress=False)
    assert report.paraphrase_groups == 3
    assert report.paraphrase_agreement == pytest.approx(2 / 3)


def test_rewordings_are_run_with_the_questions_they_reword(tmp_path):
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold(id="a").model_dump(mode="json"), ensure_ascii=False) + "\n"
                                         + json.dumps(gold(id="z").model_dump(mode="json"), ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    reworded = tmp_path / "paraphrases.jsonl"
    reworded.write_text(json.dumps(gold(id="a-p1", paraphrase_of="a").model_dump(mode="json"), ensure_ascii=False) + "\n",
                        encoding="utf-8")
    assert [i.id for i in with_originals(load_gold(reworded), reworded)] == ["a", "a-p1"]


def test_a_stated_rates_amounts_are_matched_as_printed():
    """A rate question's gold records the unit %; the two amounts it lists are matched by their numbers, an
    amount's number printed as a rate is not."""
    item = gold(type="discrepancy", value="17.62", unit="%", values=["17.62", "3,269.30", "3,845.49"],
                source="说明", evidence=[EVIDENCE])
    got = answer(value=None, citations=[cite(1, table=None), cite(2, table=None), cite(3, table=None)],
                 figures=[figure("17.62", unit="%", citations=[1]), figure("3,269.30", citations=[2]),
                          figure("3,845.49", citations=[3])])
    assert check_discrepancy(item, got).passed
    wrong_kind = answer(value=None, citations=[cite(1, table=None), cite(2, table=None), cite(3, table=None)],
                        figures=[figure("17.62", unit="万元", citations=[1]), figure("3,269.30", citations=[2]),
                                 figure("3,845.49", citations=[3])])
    assert not check_discrepancy(item, wrong_kind).passed  # the rate itself must be a rate
