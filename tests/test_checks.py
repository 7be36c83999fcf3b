"""Consistency checks on the sample corpus: the disagreements the documents really contain are found
(figures read from the documents: futian-2022 第三部分 vs 表4, pingshan-2023 第三部分 vs 表8), and
documents whose text and tables agree are not accused."""
from __future__ import annotations

from decimal import Decimal

import pytest

from expected_corpus import DATA
from index.checks import check_facts
from index.load import load
from index.structure import document_to_structure


@pytest.fixture(scope="module")
def results():
    found = {}
    for stem in ("futian-2022", "pingshan-2023", "yantian-2024", "baoan-2023"):
        doc = load(DATA / f"{stem}.txt")
        found[stem] = check_facts(doc.id, document_to_structure(doc).facts, doc.meta.department)
    return found


def failed_pairs(results, stem, check="text_vs_table"):
    return {(r.left.value, r.right.value) for r in results[stem] if r.status == "failed" and r.check == check}


@pytest.mark.parametrize("stem, text, table", [
    ("futian-2022", "1112.18", "1112.80"),  # （一）人员支出 1,112.18 vs 表4 工资福利支出 1,112.80
    ("futian-2022", "121.70", "120.01"),    # 公用支出 vs 表4 商品和服务支出
    ("futian-2022", "62.20", "63.89"),      # 对个人和家庭的补助 vs 表4
    ("futian-2022", "52.33", "52.09"),      # 政务服务中心 公用支出 vs 表4
    ("futian-2022", "8.62", "8.86"),        # 政务服务中心 对个人和家庭的补助 vs 表4
    ("pingshan-2023", "1763", "1704"),      # 人员支出 vs 表8 301 工资福利支出
    ("pingshan-2023", "0", "59"),           # 对个人和家庭的补助 vs 表8 303
])
def test_real_text_table_disagreements_are_found(results, stem, text, table):
    assert (Decimal(text), Decimal(table)) in failed_pairs(results, stem)


def test_agreeing_text_is_not_accused(results):
    assert not failed_pairs(results, "yantian-2024")
    assert not failed_pairs(results, "baoan-2023")
    agreeing = [r for r in results["futian-2022"] if r.check == "text_vs_table" and r.status == "passed"]
    assert any(r.left.value == Decimal("1112.80") for r in agreeing)  # the 总述 sentence agrees with 表4


def test_every_kind_of_check_runs_and_rounding_is_kept_apart(results):
    kinds = {r.check for stem in results for r in results[stem]}
    assert {"parent_sum", "unit_sum", "department_sum", "sides_balance", "functional_vs_economic", "text_vs_table"} <= kinds
    rounding = [r for r in results["yantian-2024"] if r.status == "rounding"]
    assert rounding and all(abs(r.difference) <= Decimal("0.05") for r in rounding)
