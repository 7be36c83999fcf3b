"""Small rules of qa/lookup.py on the real sample disclosures (no index: facts straight from the structure)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from index.reading.load import load
from index.facts.structure import document_to_structure
from qa.execute.lookup import clause_of, is_count, same_item

ROOT = Path(__file__).resolve().parents[1]


def text_facts(stem: str):
    doc = load(ROOT / "data" / f"{stem}.txt")
    return [f for f in document_to_structure(doc).facts if f.kind == "text"]


def test_the_clause_of_a_figure_is_where_it_is_stated():
    """futian-2022: '…划转我局，新增 16 名事业编制及 3 名退休人员、…' and '…；离休 0 人，退休 13人。'"""
    facts = text_facts("futian-2022")
    added = next(f for f in facts if f.value == Decimal("3") and f.subject == "退休人员" and "新增" in (f.sentence or ""))
    standing = next(f for f in facts if f.value == Decimal("13") and f.unit == "人" and (f.subject or "").startswith("退休"))
    assert "新增" in clause_of(added) and "退休人员" in clause_of(added)
    assert "新增" not in clause_of(standing) and "13" in clause_of(standing)


def test_counts_include_sets_of_equipment_and_exclude_money():
    assert is_count("台(套)") and is_count("人") and is_count("个")
    assert not is_count("万元") and not is_count("%") and not is_count(None)


def test_the_same_item_in_other_words_but_not_another_item():
    """futian-2022: the text's '专项业务预算 1,542 万元' and 表5's row 专项业务; not 开办企业专区业务."""
    facts = text_facts("futian-2022")
    text = next(f for f in facts if f.value == Decimal("1542"))
    cells = [f for f in document_to_structure(load(ROOT / "data" / "futian-2022.txt")).facts if f.kind == "cell"]
    row = next(f for f in cells if f.row_name == "专项业务")
    other = next(f for f in cells if f.row_name and "开办企业专区业务" in f.row_name)
    assert same_item(text, row)
    assert not same_item(text, other)


def test_a_row_found_by_part_of_the_words_asked_is_not_the_item_asked():
    """A row term with the word that stands right after it in the question: '网络运维补贴' (asked) is not a row
    网络运维 found by its first words; a word saying which figure or what kind of thing is asked grows nothing."""
    from qa.plan.analyze import Intent
    from qa.execute.lookup import asked_runs

    asked = Intent(question="q", normalized="临海市水务局网络运维补贴是多少", row_terms=("网络运维",), keywords=("补贴",))
    assert asked_runs(asked) == ["网络运维补贴"]
    said_alone = Intent(question="q", normalized="临海市水务局网络运维的预算是多少", row_terms=("网络运维",), keywords=("预算",))
    assert asked_runs(said_alone) == []  # 的 stands between: the row is named whole
    figure_word = Intent(question="q", normalized="临海市水务局网络运维预算是多少", row_terms=("网络运维",), keywords=("预算",))
    assert asked_runs(figure_word) == []  # which figure of the row is asked, not another item
    generic = Intent(question="q", normalized="临海市水务局网络运维经费是多少", row_terms=("网络运维",), keywords=("经费",))
    assert asked_runs(generic) == []  # what kind of thing it is


def test_an_amount_asked_is_answered_by_money_before_a_figure_of_no_unit():
    """A 数量 column (no unit) scoring as high as the 预算金额 beside it gives way when an amount is asked; asked
    how many, it does not."""
    from index.model import Fact
    from qa.plan.analyze import Intent
    from qa.execute.lookup import Scored, prefer_money

    count = Fact(id="a", doc_id="d", kind="cell", value=Decimal(80), unit=None, page=1, column_path=("数量",))
    money = Fact(id="b", doc_id="d", kind="cell", value=Decimal("2028"), unit="万元", page=1, column_path=("预算金额",))
    scored = [Scored(count, 10.5), Scored(money, 9.0)]
    amount = prefer_money(scored, Intent(question="q", normalized="临海市水务局政府采购预算一共多少"))
    assert max(amount, key=lambda s: s.score).fact is money
    counted = prefer_money(scored, Intent(question="q", normalized="临海市水务局政府采购有多少个项目", unit_hint="个"))
    assert max(counted, key=lambda s: s.score).fact is count


def test_another_tables_row_of_the_same_name_is_no_disagreeing_place():
    """临海大学's 高等教育 in its 支出总表 (all funds spent) and in its 收入总表 (received) are two measures, not one
    figure printed twice: neither is shown as the other's 不一致; a sentence giving the item another amount is."""
    from index.model import Fact
    from qa.execute.lookup import doc_facts, same_name_elsewhere

    def cell(fid, kind, column, value):
        return Fact(id=fid, doc_id="d", kind="cell", value=Decimal(value), unit="万元", page=1, table_kind=kind,
                    table_name=kind, row_code="2050205", row_name="高等教育", row_path=("2050205 高等教育",),
                    column_path=(column,))

    spent = cell("a", "支出总表", "合计", "389606.87")
    received = cell("b", "收入总表", "本年收入合计", "363483.12")
    said = Fact(id="c", doc_id="d", kind="text", value=Decimal("389000"), unit="万元", page=2, subject="高等教育",
                sentence="高等教育389000万元。")
    docs = doc_facts("d", "临海大学", 2023, [spent, received, said])
    assert [f.id for f in same_name_elsewhere(spent, docs)] == ["c"]
