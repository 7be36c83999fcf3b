"""Consistency checks on the sample corpus and on the five real disclosures: the disagreements the documents
really contain are found (figures read from the documents and the rendered pages), documents whose text and
tables agree are not accused, and rounding is kept apart.

The real disclosures' findings were each read on the page (the page numbers below): a stated rate that does not
follow from its own amounts, a total stated as 0.3 万元, a year compared with itself, an increase larger than
the figure it raised, a change said to be an increase between two figures that fell, an empty table without a
note. No other finding is reported for them."""
from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from expected_corpus import DATA
from index.checks.run import structure_to_checks
from index.reading.load import load
from index.facts.structure import document_to_structure

REAL = Path(__file__).resolve().parents[1] / "data" / "real"


@cache
def checks_of(path: Path):
    return structure_to_checks(document_to_structure(load(path)))


def results_of(stem: str):
    return checks_of(DATA / f"{stem}.txt")


def failed_pairs(stem, check="text_vs_table"):
    return {(r.left.value, r.right.value) for r in results_of(stem) if r.status == "failed" and r.check == check}


@pytest.mark.parametrize("stem, text, table", [
    ("futian-2022", "1112.18", "1112.80"),  # （一）人员支出 1,112.18 vs 表4 工资福利支出 1,112.80
    ("futian-2022", "121.70", "120.01"),    # 公用支出 vs 表4 商品和服务支出
    ("futian-2022", "62.20", "63.89"),      # 对个人和家庭的补助 vs 表4
    ("futian-2022", "52.33", "52.09"),      # 政务服务中心 公用支出 vs 表4
    ("futian-2022", "8.62", "8.86"),        # 政务服务中心 对个人和家庭的补助 vs 表4
    ("pingshan-2023", "1763", "1704"),      # 人员支出 vs 表8 301 工资福利支出
    ("pingshan-2023", "0", "59"),           # 对个人和家庭的补助 vs 表8 303
])
def test_real_text_table_disagreements_are_found(stem, text, table):
    assert (Decimal(text), Decimal(table)) in failed_pairs(stem)


def test_agreeing_text_is_not_accused():
    assert not failed_pairs("yantian-2024")
    assert not failed_pairs("baoan-2023")
    agreeing = [r for r in results_of("futian-2022") if r.check == "text_vs_table" and r.status == "passed"]
    assert any(r.left.value == Decimal("1112.80") for r in agreeing)  # the 总述 sentence agrees with 表4


def test_a_rate_of_the_wrong_base_is_found():
    # futian-2022: '一般管理事务预算 329.54 万元，…；较 2021 年预算减少 70.56万元，减幅 21.41%' — 70.56 / 400.10 is
    # 17.64 %; 21.41 % is 70.56 / 329.54, this year's figure taken as the base
    found = [r for r in results_of("futian-2022") if r.check == "stated_rate" and r.status == "failed"]
    assert [(r.left.value, round(r.right.value, 2)) for r in found] == [(Decimal("21.41"), Decimal("17.64"))]


def test_every_kind_of_check_runs_and_rounding_is_kept_apart():
    kinds = {r.check for stem in ("futian-2022", "yantian-2024", "longgang-2024") for r in results_of(stem)}
    assert {"parent_sum", "unit_sum", "department_sum", "sides_balance", "same_item", "text_vs_table",
            "stated_rate", "listed_table"} <= kinds
    rounding = [r for r in results_of("yantian-2024") if r.status == "rounding"]
    assert rounding and all(abs(r.difference) <= Decimal("0.05") for r in rounding)


# what each real disclosure gets wrong, read on its pages: (check, the figure stated, what its own figures give)
REAL_FINDINGS = {
    "jiangsu-high-court-2017-budget": {
        ("stated_rate", Decimal("79.05"), Decimal("79.09")),  # p22 提租补贴 1959.99, +865.57: 79.09 %
        ("empty_table_note", None, None),                     # p15 七、政府性基金支出预算表: blank, no note
    },
    "jiangsu-procuratorate-2019-budget": {
        ("stated_rate", Decimal("10.06"), Decimal("10.09")),  # p25 总计 24,169.74, +2214.39
        ("stated_rate", Decimal("13.22"), Decimal("22.21")),  # p26 项目支出 4335.3, −1237.7
        ("stated_rate", Decimal("34.38"), Decimal("34.36")),  # p29 住房公积金 1442.74, +368.97
    },
    "shanghai-putuo-finance-2024-final": {
        ("text_vs_table", Decimal("0.3"), Decimal("2961.68")),  # p21 '财政拨款收入支出总计0.3万元' vs p13 总计
        ("stated_share", Decimal("71.73"), Decimal("71.65")),   # p21 一般公共服务支出 2106.66 of 2940.05
    },
    "shanghai-putuo-justice-2026-budget": {
        ("stated_rate", Decimal("17.62"), Decimal("91.11")),  # p9 执行数 43269.3 → 3845.49 '增加17.62%'
        ("stated_rate", Decimal("17.66"), Decimal("17.93")),  # p9 职业年金 77.99 → 91.97
        ("stated_rate", Decimal("5.27"), Decimal("1.59")),    # p9 住房公积金 198.34 → '201.50'
        ("own_year", None, None),                             # p8 '比2026年预算增加…' in a 2026 budget (5 sentences)
        ("stated_change", None, Decimal("-39423.81")),        # p9 执行数 43269.3 → 3845.49 said '增加'
    },
    "chongqing-meteorological-bureau-2026-budget": {
        ("own_year", None, None),  # p2 '2025年“三公”经费预算13.85万元，比2025年减少5.45万元' in a 2026 budget
    },
    "shaanxi-xian-publicity-dept-2021-budget": {
        ("stated_rate", Decimal("9.49"), Decimal("6.51")),  # p11 三公 '6.51 万元，较上年增加 9.49 万元，减少的主要原因'
    },
    "chongqing-southwest-university-2023-final": set(),
    "guangdong-foshan-rail-transit-bureau-2019-final": set(),
    "shanghai-putuo-wanli-street-2023-budget": {
        ("stated_rate", Decimal("1421.25"), Decimal("0")),     # p6 政府性基金 '0万元，比2022年预算增加1421.25万元'
        ("stated_rate", Decimal("314.82"), Decimal("289.12")),  # p6 群众团体事务 11.67 → 45.41
        ("stated_rate", Decimal("60.54"), Decimal("232.79")),   # p7 职业年金 item reuses 132.59 → 441.25 and 60.54 %
    },
}


def finding(result) -> tuple:
    right = None if result.right.value is None else round(result.right.value, 2)
    return result.check, result.left.value, right


@pytest.mark.parametrize("stem", sorted(REAL_FINDINGS))
def test_real_disclosures_findings_are_the_real_ones(stem):
    failed = [r for r in checks_of(REAL / f"{stem}.pdf") if r.status == "failed"]
    assert {finding(r) for r in failed} == REAL_FINDINGS[stem]
    assert all(r.left.place and r.right.place for r in failed)  # both places named


def test_rates_cut_rather_than_rounded_are_rounding():
    # p27/p29: 2228.78 / 21940.96 = 10.158 %, printed 10.15 %
    results = checks_of(REAL / "jiangsu-procuratorate-2019-budget.pdf")
    cut = [r for r in results if r.check == "stated_rate" and r.left.value == Decimal("10.15")]
    assert cut and all(r.status == "rounding" for r in cut)


def test_a_year_compared_with_itself_is_found_in_each_sentence():
    own = [r for r in checks_of(REAL / "shanghai-putuo-justice-2026-budget.pdf")
           if r.check == "own_year" and r.status == "failed"]
    assert len(own) == 5 and all("2026年" in r.left.place for r in own)
