"""Tests of index/tables.py: budget tables read from the five sample disclosures.

Every expected cell below was read by eye from the text file in data/ (not from the parser).
"""
from __future__ import annotations

import time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from index.facts.cells import tables_to_facts
from index.reading.load import load
from index.model import Document, DocumentMeta, Page, TablePiece
from common.numbers import parse_number
from common.printed import match_key
from index.tables.build import pieces_to_tables
from index.tables.header import header_to_paths
from index.tables.kinds import knowledge, name_to_kind
from index.tables.text import (
    join_broken_numbers,
    match_header_tree,
    raw_region_to_rows,
    split_raw_line,
    split_raw_segments,
    text_to_pieces,
    tree_to_grid,
)
from index.tables.titles import chinese_numeral_to_int, parse_title
from index.tables.document import document_to_tables


def standard_number(table) -> int:
    """The table's place in the standard twelve-table set (eval/README.md), 0 for other kinds."""
    kind = knowledge().by_name(table.kind)
    return kind.number if kind and kind.number else 0

DATA = Path(__file__).resolve().parents[1] / "data"
DOCS = ("longgang-2024", "yantian-2024", "baoan-2023", "pingshan-2023", "futian-2022")


@lru_cache(maxsize=None)
def tables_of(doc_id: str):
    return document_to_tables(load(DATA / f"{doc_id}.txt"))


def cell(tables, number, column, *, side=None, budget_unit=None, code=None, label=None, **extra):
    """The one value in table ``number`` at the row picked by budget_unit / code / label / extra
    text columns (e.g. 年度=…, 主要内容=…) and the column whose path ends with ``column``
    ('基本支出拨款' or '一般公共预算拨款/基本支出拨款')."""
    wanted = tuple(match_key(part) for part in column.split("/"))
    candidates = [t for t in tables if standard_number(t) == number and (side is None or t.side == side)]
    assert candidates, f"no 表{number} {side or ''}"
    hits = []
    for table in candidates:
        columns = [j for j, path in enumerate(table.columns)
                   if tuple(match_key(p) for p in path[-len(wanted):]) == wanted]
        for row in table.rows:
            if code is not None and row.code != code:
                continue
            if label is not None and match_key(row.label) != match_key(label):
                continue
            if budget_unit is not None and match_key(row.budget_unit) != match_key(budget_unit):
                continue
            if any(match_key(row.extra.get(key)) != match_key(value) for key, value in extra.items()):
                continue
            hits += [row.values[j] for j in columns]
    assert len(hits) == 1, f"表{number} {column} {budget_unit} {code} {label} {extra}: {len(hits)} hits"
    return hits[0]


def c(number, column, value, **where):
    return (number, column, value, where)


# --------------------------------------------------------------------------- inventory

INVENTORY = {
    "longgang-2024": {1, 3, 6, 7, 8, 10, 11, 12},
    "yantian-2024": set(range(1, 13)),
    "baoan-2023": {1, 3, 6, 7, 8, 9, 10, 11, 12},
    "pingshan-2023": set(range(1, 13)),
    "futian-2022": {1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12},  # no 按经济分类 table; prints 表8-表11 for 9-12
}


@pytest.mark.parametrize("doc_id", DOCS)
def test_inventory(doc_id):
    tables = tables_of(doc_id)
    assert {standard_number(t) for t in tables} == INVENTORY[doc_id]
    for number in (1, 6):
        if number in INVENTORY[doc_id]:
            assert sorted(t.side for t in tables if standard_number(t) == number) == ["支出", "收入"]
    for table in tables:
        assert table.unit == "万元" and table.department and table.pages == [1]
        assert table.rows, f"表{standard_number(table)} has no rows"
        assert all(len(row.values) == len(table.columns) for row in table.rows)


@pytest.mark.parametrize("doc_id", DOCS)
def test_parsing_is_fast(doc_id):
    doc = load(DATA / f"{doc_id}.txt")
    start = time.perf_counter()
    document_to_tables(doc)
    assert time.perf_counter() - start < 1.0


# --------------------------------------------------------------------------- cells

LG = "深圳市龙岗区政务服务数据管理局"
LG_SELF = LG + "（本级）"
LG_BD = "深圳市龙岗区大数据中心"
LONGGANG = [
    # 表1 收支总表, both sides; the 支出 side continues on a second piece
    c(1, "2024年预算数", "18,287.71", side="收入", label="政府预算资金"),
    c(1, "2024年预算数", "416.00", side="收入", label="政府性基金预算资金"),
    c(1, "2024年预算数", "416.00", side="收入", label="专项债券"),
    c(1, "2024年预算数", "18,287.71", side="收入", label="本年收入合计"),
    c(1, "2024年预算数", "0.00", side="收入", label="上年结余、结转"),
    c(1, "2024年预算数", "0.00", side="收入", label="2.非财政拨款结余、结转"),
    c(1, "2024年预算数", "18,287.71", side="收入", label="收入总计"),
    c(1, "2024年预算数", "16,974.04", side="支出", label="一般公共服务支出"),
    c(1, "2024年预算数", "5,207.00", side="支出", label="信息事务"),
    c(1, "2024年预算数", "25.67", side="支出", label="行政单位医疗"),
    c(1, "2024年预算数", "45.62", side="支出", label="事业单位医疗"),
    c(1, "2024年预算数", "368.38", side="支出", label="购房补贴"),
    c(1, "2024年预算数", "416.00", side="支出", label="其他地方自行试点项目收益专项债券收入安排的支出"),
    c(1, "2024年预算数", "18,287.71", side="支出", label="本年支出合计"),
    c(1, "2024年预算数", "0.00", side="支出", label="结转下年"),
    c(1, "2024年预算数", "18,287.71", side="支出", label="支出总计"),
    # 表3 支出总表 (two-row header with 2024 年政府采购项目)
    c(3, "支出总计", "81.01", code="20805"),
    c(3, "基本支出", "60.01", code="2080505"),
    c(3, "支出总计", "21.00", code="2080506"),
    c(3, "支出总计", "117.09", code="2210203"),
    c(3, "支出总计", "11,524.80", label=LG_BD),
    c(3, "基本支出", "1,570.00", label=LG_BD),
    c(3, "项目支出", "9,954.80", label=LG_BD),
    c(3, "2024年政府采购项目/小计", "5,116.09", label=LG_BD),
    c(3, "其中：面向中小企业政府采购项目", "1,680.71", label=LG_BD),
    c(3, "项目支出", "9,528.80", code="201", budget_unit=LG_BD),
    c(3, "事业单位经营支出", "0.00", code="201", budget_unit=LG_BD),
    # 表6 政府预算拨款收支总表
    c(6, "2024年预算数", "18,287.71", side="收入", label="政府预算资金"),
    c(6, "2024年预算数", "416.00", side="收入", label="专项债券"),
    c(6, "2024年预算数", "0.00", side="收入", label="1.一般公共预算拨款结余、结转"),
    c(6, "2024年预算数", "0.00", side="收入", label="3.国有资本经营预算拨款结余、结转"),
    c(6, "2024年预算数", "18,287.71", side="收入", label="收入总计"),
    c(6, "2024年预算数", "71.29", side="支出", label="行政事业单位医疗"),
    c(6, "2024年预算数", "556.21", side="支出", label="住房改革支出"),
    c(6, "2024年预算数", "416.00", side="支出", label="其他支出"),
    c(6, "2024年预算数", "973.50", side="支出", label="事业运行"),
    c(6, "2024年预算数", "18,287.71", side="支出", label="支出总计"),
    # 表7 按功能分类: department row, sub-unit rows, rows on the second and third pieces
    c(7, "支出总计", "17,871.71", label=LG),
    c(7, "基本支出", "2,391.00", label=LG),
    c(7, "项目支出", "15,480.71", label=LG),
    c(7, "支出总计", "6,762.91", label=LG_SELF),
    c(7, "项目支出", "3,826.91", code="2010302", budget_unit=LG_SELF),
    c(7, "支出总计", "2,110.00", code="2010504", budget_unit=LG_SELF),
    c(7, "支出总计", "25.67", code="2101101", budget_unit=LG_SELF),
    c(7, "支出总计", "11,108.80", label=LG_BD),
    c(7, "基本支出", "973.50", code="2010350", budget_unit=LG_BD),
    c(7, "项目支出", "10.00", code="2050803", budget_unit=LG_BD),
    c(7, "支出总计", "22.07", code="2080502", budget_unit=LG_BD),
    c(7, "支出总计", "251.29", code="2210203", budget_unit=LG_BD),
    c(7, "支出总计", "117.09", code="2210203", budget_unit=LG_SELF),
    # 表8 按经济分类: five pieces
    c(8, "支出总计", "55.20", code="30101", budget_unit=LG_SELF),
    c(8, "支出总计", "3,859.83", code="302", budget_unit=LG_SELF),
    c(8, "基本支出", "60.92", code="302", budget_unit=LG_SELF),
    c(8, "项目支出", "3,798.91", code="302", budget_unit=LG_SELF),
    c(8, "支出总计", "2,724.73", code="30227", budget_unit=LG_SELF),
    c(8, "支出总计", "0.01", code="30399", budget_unit=LG_SELF),
    c(8, "项目支出", "2,110.00", code="30907", budget_unit=LG_SELF),
    c(8, "支出总计", "11,108.80", label=LG_BD),
    c(8, "支出总计", "612.49", code="30107", budget_unit=LG_BD),
    c(8, "支出总计", "130.39", code="30113", budget_unit=LG_BD),
    c(8, "项目支出", "2,396.21", code="30213", budget_unit=LG_BD),
    c(8, "支出总计", "21.31", code="30302", budget_unit=LG_BD),
    c(8, "基本支出", "21.34", code="303", budget_unit=LG_BD),
    c(8, "项目支出", "267.01", code="31007", budget_unit=LG_BD),
    # 表10
    c(10, "支出总计", "416.00", label=LG),
    c(10, "基本支出", "0.00", label=LG),
    c(10, "项目支出", "416.00", label=LG),
    c(10, "支出总计", "0.00", label=LG_SELF),
    c(10, "项目支出", "416.00", label=LG_BD),
    c(10, "支出总计", "416.00", code="229"),
    c(10, "项目支出", "416.00", code="229"),
    c(10, "基本支出", "0.00", code="22904"),
    c(10, "支出总计", "416.00", code="22904"),
    c(10, "项目支出", "416.00", code="2290402"),
    # 表11 (all of its cells)
    *[c(11, col, "0.00", label=unit) for unit in (LG, LG_SELF, LG_BD) for col in ("支出总计", "基本支出", "项目支出")],
    # 表12 绩效目标表: budget part
    c(12, "总额", "1,570.00", label="事业运行", 主要内容="基本支出"),
    c(12, "总额", "547.20", 主要内容="技术平台运营"),
    c(12, "总额", "5,513.27", label="其他政府办公厅（室）及相关机构事务支出", 主要内容="信息系统运行与维护（通用项目）"),
    c(12, "总额", "336.00", label="一般行政管理事务", 主要内容="信息系统运行与维护（通用项目）"),
    c(12, "总额", "3,513.00", label="其他政府办公厅（室）及相关机构事务支出", 主要内容="城市建设-智慧城市建设-智慧龙岗"),
    c(12, "总额", "2,000.00", label="信息事务", 主要内容="城市建设-智慧城市建设-智慧龙岗"),
    c(12, "其中：财政拨款", "537.56", 主要内容="在职人员经费（公）"),
    c(12, "总额", "9.80", 主要内容="法律顾问服务经费（通用）"),
    c(12, "总额", "2,426.71", 主要内容="政务管理"),
    c(12, "总额", "0.01", label="对个人与家庭补助"),
    c(12, "总额", "60.92", label="机构公用经费"),
    c(12, "总额", "18,287.71", label="金额合计"),
    c(12, "其中：其他资金", "0.00", label="金额合计"),
]

YT = "深圳市盐田区政务服务数据管理局"
YT_SELF = YT + "（本级）"
YT_C = "深圳市盐田区政务服务中心"
YANTIAN = [
    c(1, "2024年预算数", "4,398.38", side="收入", label="财政拨款"),
    c(1, "2024年预算数", "4,398.38", side="收入", label="本年收入合计"),
    c(1, "2024年预算数", "0.00", side="收入", label="上年结余、结转"),
    c(1, "2024年预算数", "4,398.38", side="收入", label="收入总计"),
    c(1, "2024年预算数", "3.42", side="支出", label="人大事务"),
    c(1, "2024年预算数", "1,473.31", side="支出", label="政府办公厅(室)及相关机构事务"),
    c(1, "2024年预算数", "756.22", side="支出", label="信息安全事务"),
    c(1, "2024年预算数", "11.54", side="支出", label="行政单位离退休"),
    c(1, "2024年预算数", "23.15", side="支出", label="事业单位医疗"),
    c(1, "2024年预算数", "275.79", side="支出", label="住房保障支出"),  # after a page break
    c(1, "2024年预算数", "190.56", side="支出", label="购房补贴"),
    c(1, "2024年预算数", "4,398.38", side="支出", label="本年支出合计"),
    c(1, "2024年预算数", "0.00", side="支出", label="结转下年"),
    c(1, "2024年预算数", "4,398.38", side="支出", label="支出总计"),
    # 表2: a four-row header
    c(2, "本年收入/财政拨款/一般公共预算拨款/基本支出拨款", "928.48", label=YT_C),
    c(2, "收入总计", "3,833.83", label=YT_C),
    c(2, "履职类项目拨款", "1,989.64", label=YT_C),
    c(2, "政府投资项目拨款", "915.71", label=YT_C),
    c(2, "本年收入/财政拨款/政府性基金预算拨款", "0.00", label=YT_C),
    c(2, "上年结余、结转", "0.00", label=YT_C),
    c(2, "收入总计", "4,398.38", label=YT),
    c(2, "一般公共预算拨款/小计", "4,398.38", label=YT),
    c(2, "基本支出拨款", "1,302.67", label=YT),
    c(2, "履职类项目拨款", "2,180.00", label=YT),
    c(2, "基本支出拨款", "374.19", label=YT_SELF),
    c(2, "一般公共预算拨款/小计", "564.55", label=YT_SELF),
    c(2, "单位资金/事业收入", "0.00", label=YT_SELF),
    # 表3
    c(3, "支出总计", "564.55", label=YT_SELF),
    c(3, "基本支出", "374.19", label=YT_SELF),
    c(3, "支出总计", "3.42", code="20101", budget_unit=YT_SELF),
    c(3, "项目支出", "121.15", code="2010399", budget_unit=YT_SELF),
    c(3, "支出总计", "10.48", code="2101101", budget_unit=YT_SELF),
    c(3, "支出总计", "3,833.83", label=YT_C),
    c(3, "2024年政府采购项目/小计", "1,453.62", label=YT_C),
    c(3, "其中：2024年政府采购项目中预留给中小企业的项目资金规模", "299.70", label=YT_C),
    c(3, "小计", "287.50", code="2013704", budget_unit=YT_C),
    c(3, "其中：2024年政府采购项目中预留给中小企业的项目资金规模", "155.20", code="2013704", budget_unit=YT_C),
    c(3, "小计", "888.80", code="2019999", budget_unit=YT_C),
    c(3, "支出总计", "178.01", code="22102", budget_unit=YT_C),
    c(3, "小计", "0.50", code="2010350", budget_unit=YT_C),
    # 表4: unit and economic-category rows without codes
    c(4, "总计", "1,302.67", label=YT),
    c(4, "总计", "374.19", label=YT_SELF),
    c(4, "总计", "340.05", label="工资福利支出", budget_unit=YT_SELF),
    c(4, "总计", "48.88", label="基本工资", budget_unit=YT_SELF),
    c(4, "总计", "3.42", label="公务用车运行维护费", budget_unit=YT_SELF),
    c(4, "总计", "11.02", label="退休费", budget_unit=YT_SELF),
    c(4, "总计", "928.48", label=YT_C),
    c(4, "总计", "145.64", label="绩效工资", budget_unit=YT_C),
    c(4, "总计", "0.60", label="福利费", budget_unit=YT_C),
    c(4, "总计", "0.01", label="其他对个人和家庭的补助", budget_unit=YT_C),
    c(4, "政府预算拨款/一般公共预算拨款", "4.74", label="办公费", budget_unit=YT_C),
    c(4, "单位资金/事业收入", "0.00", label="办公费", budget_unit=YT_C),
    # 表5 (a '2024年预算' row above everything)
    c(5, "总计", "3,095.71", label=YT),
    c(5, "履职类项目拨款", "2,180.00", label=YT),
    c(5, "政府投资项目拨款", "915.71", label=YT),
    c(5, "总计", "190.36", label=YT_SELF),
    c(5, "总计", "69.21", label="信息化类", budget_unit=YT_SELF),
    c(5, "总计", "2,905.35", label=YT_C),
    c(5, "履职类项目拨款", "1,989.64", label=YT_C),
    c(5, "总计", "490.50", label="政务服务", budget_unit=YT_C),
    c(5, "履职类项目拨款", "490.5", label="政务服务", budget_unit=YT_C),
    c(5, "总计", "1,486.39", label="信息化类", budget_unit=YT_C),
    c(5, "政府投资项目拨款", "915.71", label="政府投资项目", budget_unit=YT_C),
    # 表6
    c(6, "2024年预算数", "4,398.38", side="收入", label="财政拨款"),
    c(6, "2024年预算数", "4,398.38", side="收入", label="本年收入合计"),
    c(6, "2024年预算数", "0.00", side="收入", label="1.一般公共预算拨款结余、结转"),
    c(6, "2024年预算数", "0.00", side="收入", label="2.政府性基金预算拨款结余、结转"),
    c(6, "2024年预算数", "4,398.38", side="收入", label="收入总计"),
    c(6, "2024年预算数", "635.47", side="支出", label="事业运行"),
    c(6, "2024年预算数", "799.38", side="支出", label="统计信息事务"),
    c(6, "2024年预算数", "140.93", side="支出", label="社会保障和就业支出"),
    c(6, "2024年预算数", "23.15", side="支出", label="事业单位医疗"),
    c(6, "2024年预算数", "85.23", side="支出", label="住房公积金"),
    c(6, "2024年预算数", "4,398.38", side="支出", label="支出总计"),
    # 表7
    c(7, "支出总计", "4,398.38", label=YT),
    c(7, "基本支出", "1,302.67", label=YT),
    c(7, "项目支出", "3,095.71", label=YT),
    c(7, "支出总计", "564.55", label=YT_SELF),
    c(7, "支出总计", "213.44", code="2010301", budget_unit=YT_SELF),
    c(7, "支出总计", "71.42", code="2210203", budget_unit=YT_SELF),
    c(7, "支出总计", "3,833.83", label=YT_C),
    c(7, "支出总计", "1,138.72", code="20103", budget_unit=YT_C),
    c(7, "项目支出", "503.25", code="20103", budget_unit=YT_C),
    c(7, "支出总计", "915.71", code="2019999", budget_unit=YT_C),
    c(7, "支出总计", "23.15", code="2101102", budget_unit=YT_C),
    # 表8
    c(8, "支出总计", "4,398.38", label=YT),
    c(8, "支出总计", "564.55", label=YT_SELF),  # printed with ASCII (本级)
    c(8, "支出总计", "48.88", code="30101", budget_unit=YT_SELF),
    c(8, "项目支出", "68.21", code="30213", budget_unit=YT_SELF),
    c(8, "支出总计", "3.49", code="30228", budget_unit=YT_SELF),
    c(8, "支出总计", "0.50", code="31002", budget_unit=YT_SELF),
    c(8, "支出总计", "145.64", code="30107", budget_unit=YT_C),
    c(8, "项目支出", "523.56", code="30207", budget_unit=YT_C),
    c(8, "支出总计", "172.00", code="30922", budget_unit=YT_C),
    c(8, "支出总计", "70.00", code="31204", budget_unit=YT_C),
    c(8, "支出总计", "915.71", code="309", budget_unit=YT_C),
    # 表9 三公: three header rows, 年度 column
    c(9, "总计/一般公共预算", "6.60", label=YT, 年度="2023年"),
    c(9, "总计/一般公共预算", "6.27", label=YT, 年度="2024年"),
    c(9, "总计/一般公共预算", "-0.33", label=YT, 年度="增减变化金额"),
    c(9, "公务用车购置及运行维护费/小计/一般公共预算", "6.27", label=YT, 年度="2024年"),
    c(9, "公务用车运行维护费/一般公共预算", "6.27", label=YT, 年度="2024年"),
    c(9, "因公出国(境)费/一般公共预算", None, label=YT, 年度="2024年"),
    c(9, "总计/一般公共预算", "3.60", label=YT_SELF, 年度="2023年"),
    c(9, "总计/一般公共预算", "3.42", label=YT_SELF, 年度="2024年"),
    c(9, "总计/一般公共预算", "2.85", label=YT_C, 年度="2024年"),
    c(9, "总计/一般公共预算", "-0.15", label=YT_C, 年度="增减变化金额"),
    c(9, "公务用车运行维护费/一般公共预算", "3.00", label=YT_C, 年度="2023年"),
    # 表10, 表11: every cell
    *[c(n, col, "0.00", label=unit) for n in (10, 11) for unit in (YT, YT_SELF, YT_C)
      for col in ("支出总计", "基本支出", "项目支出")],
    # 表12
    c(12, "总额", "1555.6", label="信息化类项目"),
    c(12, "其中：财政拨款", "1555.6", label="信息化类项目"),
    c(12, "总额", "915.71", label="政府投资项目"),
    c(12, "总额", "1,302.67", label="基本支出"),
    c(12, "其中：其他资金", "0.00", label="基本支出"),
    c(12, "总额", "133.90", label="综合管理类项目"),
    c(12, "总额", "490.50", label="政务服务类项目"),
    c(12, "其中：财政拨款", "490.50", label="政务服务类项目"),
    c(12, "总额", "4,398.38", label="金额合计"),
    c(12, "其中：其他资金", "0.00", label="金额合计"),
]

BA = "深圳市宝安区政务服务数据管理局"
BA_SELF = BA + "（本级）"
BAOAN = [
    c(1, "2023年预算数", "5,665", side="收入", label="一、政府预算拨款"),
    c(1, "2023年预算数", "5,665", side="收入", label="1.一般公共预算拨款"),
    c(1, "2023年预算数", "0", side="收入", label="2.政府性基金预算拨款"),
    c(1, "2023年预算数", "0", side="收入", label="二、财政专户管理资金"),
    c(1, "2023年预算数", "0", side="收入", label="三、单位资金"),
    c(1, "2023年预算数", "0", side="收入", label="5.其他收入"),
    c(1, "2023年预算数", "5,665", side="收入", label="本年收入合计"),
    c(1, "2023年预算数", "5,665", side="收入", label="收入总计"),
    c(1, "2023年预算数", "5,382", side="支出", label="一、一般公共服务支出"),
    c(1, "2023年预算数", "2,126", side="支出", label="政务公开审批"),
    c(1, "2023年预算数", "22", side="支出", label="其他宣传事务支出"),
    c(1, "2023年预算数", "23", side="支出", label="行政单位离退休"),
    c(1, "2023年预算数", "19", side="支出", label="三、卫生健康支出"),
    c(1, "2023年预算数", "128", side="支出", label="购房补贴"),
    c(1, "2023年预算数", "5,665", side="支出", label="支出总计"),
    c(3, "支出总计", "5,665", label=BA_SELF),
    c(3, "基本支出", "893", label=BA_SELF),
    c(3, "项目支出", "4,773", label=BA_SELF),
    c(3, "2023年政府采购项目/小计", "1,054", label=BA_SELF),
    c(3, "其中：面向中小企业政府采购项目", "139", label=BA_SELF),
    c(3, "其中：面向小型、微型企业政府采购项目", "0", label=BA_SELF),
    c(3, "小计", "237", code="2010302"),
    c(3, "其中：面向中小企业政府采购项目", "125", code="2010306"),
    c(3, "支出总计", "23", code="2080501"),
    c(3, "支出总计", "128", code="2210203"),
    c(3, "项目支出", "5", code="20132"),
    c(6, "2023年预算数", "5,665", side="收入", label="政府预算拨款"),
    c(6, "2023年预算数", "5,665", side="收入", label="一般公共预算拨款"),
    c(6, "2023年预算数", "0", side="收入", label="国有资本经营预算拨款"),
    c(6, "2023年预算数", "5,665", side="收入", label="本年收入合计"),
    c(6, "2023年预算数", "5,665", side="收入", label="收入总计"),
    c(6, "2023年预算数", "2,620", side="支出", label="一般行政管理事务"),
    c(6, "2023年预算数", "22", side="支出", label="宣传事务"),
    c(6, "2023年预算数", "84", side="支出", label="二、社会保障和就业支出"),
    c(6, "2023年预算数", "19", side="支出", label="行政单位医疗"),
    c(6, "2023年预算数", "181", side="支出", label="四、住房保障支出"),
    c(6, "2023年预算数", "5,665", side="支出", label="支出总计"),
    c(7, "支出总计", "5,665", label=BA),
    c(7, "基本支出", "893", label=BA),
    c(7, "项目支出", "4,773", label=BA),
    c(7, "支出总计", "5,665", label=BA_SELF),
    c(7, "项目支出", "2,126", code="2010306"),
    c(7, "支出总计", "22", code="20133"),
    c(7, "支出总计", "84", code="20805"),
    c(7, "支出总计", "23", code="2080501"),
    c(7, "支出总计", "53", code="2210201"),
    c(7, "支出总计", "181", code="221"),
    c(7, "基本支出", "19", code="2101101"),
    c(8, "支出总计", "5,665", label=BA),
    c(8, "支出总计", "410", code="30102"),
    c(8, "支出总计", "0", code="30114"),
    c(8, "支出总计", "3,902", code="302"),
    c(8, "基本支出", "96", code="302"),
    c(8, "项目支出", "3,806", code="302"),
    c(8, "基本支出", "5", code="30201"),
    c(8, "支出总计", "2,725", code="30227"),
    c(8, "项目支出", "2", code="30239"),
    c(8, "支出总计", "950", code="31204"),
    c(9, "总计", "4", label=BA_SELF, 年度="2022年"),
    c(9, "总计", "4", label=BA_SELF, 年度="2023年"),
    c(9, "总计", "0", label=BA_SELF, 年度="增减变化金额"),
    c(9, "公务用车运行维护费", "4", label=BA_SELF, 年度="2023年"),
    c(9, "因公出国(境)费", "0", label=BA_SELF, 年度="2022年"),
    c(9, "公务接待费", "0", label=BA_SELF, 年度="2023年"),
    c(9, "公务用车购置及运行维护费/小计", "4", label=BA_SELF, 年度="2023年"),
    c(9, "公务用车购置费", "0", label=BA_SELF, 年度="2022年"),
    c(9, "公务用车运行维护费", "4", label=BA_SELF, 年度="2022年"),
    c(9, "公务用车运行维护费", "0", label=BA_SELF, 年度="增减变化金额"),
    *[c(n, col, "0", label=unit) for n in (10, 11) for unit in (BA, BA_SELF)
      for col in ("支出总计", "基本支出", "项目支出")],
    c(12, "总额", "892.70", label="基本支出"),
    c(12, "总额", "13.10", label="水电费"),
    c(12, "总额", "67.82", label="物业管理费"),
    c(12, "总额", "221.90", label="保安服务费"),
    c(12, "总额", "2216.94", label="一般行政管理事务经费"),
    c(12, "其中：财政拨款", "1124.86", label="新开办企业刻制公章补贴经费"),
    c(12, "总额", "100.00", label="信息化建设管理经费"),
    c(12, "总额", "376.70", label="12345分拨中心服务费"),
    c(12, "总额", "5.00", label="党代表工作室运行经费"),
    c(12, "总额", "5665.36", label="金额合计"),
    c(12, "其中：其他资金", "0", label="金额合计"),
]

PS = "深圳市坪山区政务服务数据管理局"
PINGSHAN = [
    c(1, "2023年预算数", "29,760", side="收入", label="一、政府预算拨款"),
    c(1, "2023年预算数", "29,760", side="收入", label="1.一般公共预算拨款"),
    c(1, "2023年预算数", "0", side="收入", label="3.国有资本经营预算拨款"),
    c(1, "2023年预算数", "0", side="收入", label="三、单位资金"),
    c(1, "2023年预算数", "0", side="收入", label="4.附属单位上缴收入"),
    c(1, "2023年预算数", "29,760", side="收入", label="本年收入合计"),
    c(1, "2023年预算数", "0", side="收入", label="上年结余、结转"),
    c(1, "2023年预算数", "29,760", side="收入", label="收入总计"),
    c(1, "2023年预算数", "29,173", side="支出", label="网信事务"),
    c(1, "2023年预算数", "27,102", side="支出", label="其他网信事务支出"),
    c(1, "2023年预算数", "4", side="支出", label="二、教育支出"),
    c(1, "2023年预算数", "129", side="支出", label="机关事业单位基本养老保险缴费支出"),
    c(1, "2023年预算数", "65", side="支出", label="机关事业单位职业年金缴费支出"),
    c(1, "2023年预算数", "335", side="支出", label="五、住房保障支出"),
    c(1, "2023年预算数", "29,760", side="支出", label="本年支出合计"),
    c(1, "2023年预算数", "0", side="支出", label="结转下年"),
    c(1, "2023年预算数", "29,760", side="支出", label="支出总计"),
    # 表2: header cells broken over many lines
    c(2, "收入总计", "29,760", label=PS),
    c(2, "本年收入/政府预算拨款/一般公共预算拨款/小计", "29,760", label=PS),
    c(2, "一般公共预算拨款/基本支出拨款", "1,865", label=PS),
    c(2, "履职类项目拨款", "7,831", label=PS),
    c(2, "财政专项资金拨款", "0", label=PS),
    c(2, "政府投资项目拨款", "20,064", label=PS),
    c(2, "政府预算拨款/政府性基金预算拨款", "0", label=PS),
    c(2, "本年收入/财政专户管理资金", "0", label=PS),
    c(2, "单位资金/事业收入", "0", label=PS),
    c(2, "上年结余、结转", "0", label=PS),
    c(3, "支出总计", "29,760", label=PS),
    c(3, "基本支出", "1,865", label=PS),
    c(3, "项目支出", "27,895", label=PS),
    c(3, "2023年政府采购项目/小计", "5,304", label=PS),
    c(3, "其中：面向中小企业政府采购项目", "112", label=PS),
    c(3, "其中：面向小型、微型企业政府采购项目", "0", label=PS),
    c(3, "小计", "5,304", code="2013799"),
    c(3, "支出总计", "789", code="2013702"),
    c(3, "支出总计", "65", code="2080506"),
    c(3, "支出总计", "190", code="2210203"),
    c(3, "基本支出", "1,282", code="20137"),
    c(4, "总计", "1,865", label=PS),
    c(4, "总计", "1,704", label="工资福利支出"),
    c(4, "总计", "314", label="基本工资"),
    c(4, "总计", "129", label="机关事业单位基本养老保险缴费"),  # label wrapped over two lines
    c(4, "总计", "26", label="其他工资福利支出"),
    c(4, "总计", "12", label="办公费"),
    c(4, "总计", "40", label="工会经费"),
    c(4, "总计", "59", label="奖励金"),
    c(4, "政府预算拨款/一般公共预算拨款", "59", label="对个人和家庭的补助"),
    c(4, "政府预算拨款/小计", "102", label="商品和服务支出"),
    c(4, "单位资金/事业收入", "0", label="差旅费"),
    c(5, "总计", "27,895", label=PS),  # label wrapped, first line of the body
    c(5, "履职类项目拨款", "7,831", label=PS),
    c(5, "政府投资项目拨款", "20,064", label=PS),
    c(5, "总计", "7,036", label="其他网信事务支出"),
    c(5, "一般公共预算拨款/小计", "7,036", label="其他网信事务支出"),
    c(5, "总计", "789", label="一般行政管理事务"),
    c(5, "总计", "20,064", label="2023年政府投资项目"),
    c(5, "政府投资项目拨款", "20,064", label="2023年政府投资项目"),
    c(5, "履职类项目拨款", "0", label="2023年政府投资项目"),
    c(5, "总计", "4", label="培训支出"),
    c(5, "总计", "2", label="资产配置预算"),
    c(6, "2023年预算数", "29,760", side="收入", label="政府预算拨款"),
    c(6, "2023年预算数", "29,760", side="收入", label="一般公共预算拨款"),
    c(6, "2023年预算数", "0", side="收入", label="政府性基金预算拨款"),
    c(6, "2023年预算数", "29,760", side="收入", label="本年收入合计"),
    c(6, "2023年预算数", "29,760", side="收入", label="收入总计"),
    c(6, "2023年预算数", "29,173", side="支出", label="一、一般公共服务支出"),
    c(6, "2023年预算数", "1,282", side="支出", label="行政运行"),
    c(6, "2023年预算数", "194", side="支出", label="三、社会保障和就业支出"),
    c(6, "2023年预算数", "54", side="支出", label="行政单位医疗"),
    c(6, "2023年预算数", "335", side="支出", label="住房改革支出"),
    c(6, "2023年预算数", "29,760", side="支出", label="支出总计"),
    c(7, "支出总计", "29,760", label=PS),
    c(7, "基本支出", "1,865", label=PS),
    c(7, "项目支出", "27,895", label=PS),
    c(7, "支出总计", "29,173", code="201"),
    c(7, "支出总计", "1,282", code="2013701"),
    c(7, "项目支出", "27,102", code="2013799"),
    c(7, "项目支出", "4", code="2050803"),
    c(7, "支出总计", "65", code="2080506"),
    c(7, "支出总计", "54", code="210"),
    c(7, "支出总计", "144", code="2210201"),
    c(8, "支出总计", "29,760", label=PS),
    c(8, "支出总计", "1,704", code="301"),
    c(8, "支出总计", "314", code="30101"),
    c(8, "支出总计", "7,759", code="302"),
    c(8, "项目支出", "7,657", code="302"),
    c(8, "支出总计", "418", code="30207"),
    c(8, "基本支出", "9", code="30227"),
    c(8, "项目支出", "158", code="30299"),
    c(8, "支出总计", "20,064", code="30907"),
    c(8, "支出总计", "109", code="31204"),
    c(9, "总计", "18", label=PS, 年度="2022年"),
    c(9, "总计", "16.5", label=PS, 年度="2023年"),
    c(9, "总计", "-1.5", label=PS, 年度="增减变化金额"),
    c(9, "公务接待费", "3", label=PS, 年度="2022年"),
    c(9, "公务接待费", "1.5", label=PS, 年度="2023年"),
    c(9, "公务接待费", "-1.5", label=PS, 年度="增减变化金额"),
    c(9, "公务用车购置及运行维护费/小计", "15", label=PS, 年度="2023年"),
    c(9, "公务用车运行维护费", "15", label=PS, 年度="2023年"),
    c(9, "因公出国(境)费", "0", label=PS, 年度="2022年"),
    c(9, "公务用车购置费", "0", label=PS, 年度="2022年"),
    *[c(n, col, "0", label=PS) for n in (10, 11) for col in ("支出总计", "基本支出", "项目支出")],
    c(12, "总额", "1,865", label="基本支出"),
    c(12, "其中：财政拨款", "1,865", label="基本支出"),
    c(12, "总额", "7,036", label="其他网信事务支出"),
    c(12, "总额", "789", label="一般行政管理事务"),
    c(12, "总额", "4", label="培训支出"),
    c(12, "总额", "2", label="资产配置预算"),
    c(12, "总额", "20,064", label="政府投资项目"),
    c(12, "其中：财政拨款", "20,064", label="政府投资项目"),
    c(12, "总额", "29,760", label="金额合计"),
    c(12, "其中：其他资金", "0", label="金额合计"),
]

FT = "深圳市福田区政务服务数据管理局"
FT_SELF = FT + "（本级）"
FT_C = "深圳市福田区政务服务中心"
FT_D = "深圳市福田区数据管理中心"
FUTIAN = [
    c(1, "2022年预算数", "12,510.00", side="收入", label="一、政府预算拨款"),
    c(1, "2022年预算数", "12,510.00", side="收入", label="1.一般公共预算拨款"),
    c(1, "2022年预算数", "0", side="收入", label="2.政府性基金预算拨款"),
    c(1, "2022年预算数", "0", side="收入", label="二、财政专户管理资金"),
    c(1, "2022年预算数", "12,510.00", side="收入", label="本年收入合计"),
    c(1, "2022年预算数", "0", side="收入", label="上年结余、结转"),
    c(1, "2022年预算数", "12,510.00", side="收入", label="收入总计"),
    c(1, "2022年预算数", "11,770.76", side="支出", label="一、一般公共服务支出"),
    c(1, "2022年预算数", "897.67", side="支出", label="行政运行"),
    c(1, "2022年预算数", "10,873.10", side="支出", label="其他政府办公厅（室）及相关机构事务支出"),
    c(1, "2022年预算数", "319.97", side="支出", label="行政事业单位养老支出"),
    c(1, "2022年预算数", "40.62", side="支出", label="事业单位离退休"),
    c(1, "2022年预算数", "63.80", side="支出", label="三、卫生健康支出"),
    c(1, "2022年预算数", "225.80", side="支出", label="住房公积金"),
    c(1, "2022年预算数", "12,510.00", side="支出", label="本年支出合计"),
    c(1, "2022年预算数", "12,510.00", side="支出", label="支出总计"),
    # 表2: amounts broken over lines ('2,749.8' / '8')
    c(2, "收入总计", "12,510.00", label=FT),
    c(2, "一般公共预算拨款/小计", "12,510.00", label=FT),
    c(2, "基本支出拨款", "2,749.88", label=FT),
    c(2, "履职类项目拨款", "9,760.12", label=FT),
    c(2, "上年结余、结转", "0", label=FT),
    c(2, "基本支出拨款", "1,296.70", label=FT_SELF),
    c(2, "履职类项目拨款", "2,702.30", label=FT_SELF),
    c(2, "基本支出拨款", "571.33", label=FT_C),
    c(2, "履职类项目拨款", "2,621.67", label=FT_C),
    c(2, "收入总计", "5,318.00", label=FT_D),
    c(2, "履职类项目拨款", "4,436.15", label=FT_D),
    # 表3: no 科目 columns
    c(3, "支出总计", "3,999.00", label=FT_SELF),
    c(3, "基本支出", "1,296.70", label=FT_SELF),
    c(3, "项目支出", "2,702.30", label=FT_SELF),
    c(3, "2022年政府采购项目/小计", "1,588.90", label=FT_SELF),
    c(3, "其中：面向中小企业政府采购项目", "1,588.90", label=FT_SELF),
    c(3, "其中：面向小型、微型企业政府采购项目", "1,588.90", label=FT_SELF),
    c(3, "支出总计", "3,193.00", label=FT_C),
    c(3, "小计", "17.52", label=FT_C),
    c(3, "支出总计", "5,318.00", label=FT_D),
    c(3, "基本支出", "881.85", label=FT_D),
    c(3, "项目支出", "4,436.15", label=FT_D),
    c(3, "小计", "2,881.22", label=FT_D),
    # 表4: seven pieces
    c(4, "总计", "2,749.88", label=FT),
    c(4, "总计", "1,296.70", label=FT_SELF),
    c(4, "总计", "1,112.80", label="工资福利支出", budget_unit=FT_SELF),
    c(4, "总计", "90.00", label="机关事业单位基本养老保险缴费", budget_unit=FT_SELF),
    c(4, "总计", "120.01", label="商品和服务支出", budget_unit=FT_SELF),
    c(4, "总计", "0.10", label="其他对个人和家庭的补助", budget_unit=FT_SELF),
    c(4, "总计", "571.33", label=FT_C),
    c(4, "总计", "12.00", label="职工基本医疗保险缴费", budget_unit=FT_C),
    c(4, "政府预算拨款/一般公共预算拨款", "450.39", label="绩效工资", budget_unit=FT_D),
    c(4, "总计", "0.02", label="其他对个人和家庭的补助", budget_unit=FT_D),
    c(4, "总计", "32.55", label="退休费", budget_unit=FT_D),
    # 表5
    c(5, "总计", "9,760.12", label=FT),
    c(5, "总计", "2,702.30", label=FT_SELF),
    c(5, "总计", "2,038.70", label="政务服务数据管理", budget_unit=FT_SELF),
    c(5, "总计", "653.60", label="一般管理事务", budget_unit=FT_SELF),
    c(5, "总计", "2,621.67", label=FT_C),
    c(5, "总计", "1,443.46", label="专项业务", budget_unit=FT_C),
    c(5, "一般公共预算拨款/履职类项目拨款", "1,443.46", label="专项业务", budget_unit=FT_C),
    c(5, "总计", "50.00", label="疫情防控", budget_unit=FT_C),
    c(5, "总计", "2.00", label="预算准备金", budget_unit=FT_C),
    c(5, "总计", "4,103.61", label="电子政务运行维护", budget_unit=FT_D),
    c(5, "总计", "3.00", label="预算准备金", budget_unit=FT_D),
    # 表6
    c(6, "2022年预算数", "12,510.00", side="收入", label="政府预算拨款"),
    c(6, "2022年预算数", "12,510.00", side="收入", label="一般公共预算拨款"),
    c(6, "2022年预算数", "0", side="收入", label="政府性基金预算拨款"),
    c(6, "2022年预算数", "0", side="收入", label="国有资本经营预算拨款"),
    c(6, "2022年预算数", "12,510.00", side="收入", label="收入总计"),
    c(6, "2022年预算数", "11,770.76", side="支出", label="政府办公厅（室）及相关机构事务"),
    c(6, "2022年预算数", "320.36", side="支出", label="二、社会保障和就业支出"),
    c(6, "2022年预算数", "42.79", side="支出", label="行政单位离退休"),
    c(6, "2022年预算数", "74.56", side="支出", label="机关事业单位职业年金缴费支出"),
    c(6, "2022年预算数", "355.08", side="支出", label="四、住房保障支出"),
    c(6, "2022年预算数", "129.28", side="支出", label="购房补贴"),
    c(6, "2022年预算数", "12,510.00", side="支出", label="支出总计"),
    # 表7
    c(7, "支出总计", "12,510.00", label=FT),
    c(7, "基本支出", "2,749.88", label=FT),
    c(7, "项目支出", "9,760.12", label=FT),
    c(7, "支出总计", "3,999.00", label=FT_SELF),
    c(7, "支出总计", "897.67", code="2010301", budget_unit=FT_SELF),
    c(7, "支出总计", "35.00", code="2101101", budget_unit=FT_SELF),
    c(7, "支出总计", "3,193.00", label=FT_C),
    c(7, "基本支出", "424.86", code="2010399", budget_unit=FT_C),
    c(7, "支出总计", "8.07", code="2080502", budget_unit=FT_C),
    c(7, "支出总计", "5,318.01", label=FT_D),
    c(7, "基本支出", "881.86", label=FT_D),
    c(7, "支出总计", "0.39", code="2089999", budget_unit=FT_D),
    c(7, "支出总计", "23.04", code="2210203", budget_unit=FT_D),
    # 表8 printed, standard 9 (三公)
    c(9, "总计", "3.67", label=FT_SELF, 年度="2021年"),
    c(9, "总计", "3.67", label=FT_SELF, 年度="2022年"),
    c(9, "公务用车购置及运行维护费/小计", "3.67", label=FT_SELF, 年度="2022年"),
    c(9, "因公出国(境)费", "0", label=FT_SELF, 年度="2021年"),
    c(9, "总计", "5.67", label=FT_C, 年度="2021年"),
    c(9, "公务接待费", "2", label=FT_C, 年度="2022年"),
    c(9, "总计", "0", label=FT_C, 年度="增减变化金额"),
    c(9, "公务用车运行维护费", "3.67", label=FT_C, 年度="2022年"),
    c(9, "公务用车购置费", "0", label=FT_C, 年度="2021年"),
    c(9, "总计", "0", label=FT_D, 年度="2022年"),
    # printed 表9, 表10 → standard 10, 11: every cell
    *[c(n, col, "0", label=unit) for n in (10, 11) for unit in (FT, FT_SELF, FT_C, FT_D)
      for col in ("支出总计", "基本支出", "项目支出")],
    # printed 表11 → standard 12
    c(12, "总额", "40.00", label="窗口人员培训"),
    c(12, "总额", "50.00", label="宣传费"),
    c(12, "总额", "50.00", label="疫情防控"),
    c(12, "总额", "130.00", label="购置费"),
    c(12, "总额", "154.00", label="大厅管理及运行经费"),
    c(12, "总额", "622.00", label="网格信息管理"),
    c(12, "其中：财政拨款", "783.70", label="数据规划管理"),
    c(12, "总额", "432.27", label="网络和信息安全运行维护（维修（护）费）"),
    c(12, "总额", "145.08", label="应用系统运行维护（邮电费）"),
    c(12, "总额", "1,689.46", label="基础设施运行维护（其他商品和服务支出）"),
    c(12, "总额", "283.00", label="民意速办"),
    c(12, "总额", "12,509.00", label="金额合计"),
    c(12, "其中：其他资金", "0.00", label="金额合计"),
]

CELLS = {
    "longgang-2024": LONGGANG,
    "yantian-2024": YANTIAN,
    "baoan-2023": BAOAN,
    "pingshan-2023": PINGSHAN,
    "futian-2022": FUTIAN,
}


def _cell_id(case):
    number, column, value, where = case
    return f"表{number}-{column}-{'-'.join(str(v) for v in where.values())}"


@pytest.mark.parametrize(
    "doc_id,case",
    [(doc_id, case) for doc_id, cases in CELLS.items() for case in cases],
    ids=[f"{doc_id}:{_cell_id(case)}" for doc_id, cases in CELLS.items() for case in cases],
)
def test_cell(doc_id, case):
    number, column, value, where = case
    expected = parse_number(value) if value is not None else None
    assert cell(tables_of(doc_id), number, column, **where) == expected


@pytest.mark.parametrize("doc_id", DOCS)
def test_at_least_ten_cells_per_table(doc_id):
    """Every table found is checked on ten cells, or on all it has when it has fewer."""
    counts: dict[int, int] = {}
    for number, *_ in CELLS[doc_id]:
        counts[number] = counts.get(number, 0) + 1
    for table_number in INVENTORY[doc_id]:
        available = sum(len(t.columns) * len(t.rows) for t in tables_of(doc_id) if standard_number(t) == table_number)
        assert counts.get(table_number, 0) >= min(10, available), f"表{table_number}"


# --------------------------------------------------------------------------- rows


def test_row_kinds_units_and_parent_codes():
    tables = tables_of("longgang-2024")
    table7 = next(t for t in tables if standard_number(t) == 7)
    assert table7.label_columns == ["预算单位", "科目编码", "科目名称"]
    kinds = {row.label: row.kind for row in table7.rows if row.kind == "unit"}
    assert kinds == {LG: "unit", LG_SELF: "unit", LG_BD: "unit"}
    row = next(r for r in table7.rows if r.code == "2010350")
    assert (row.kind, row.parent_code, row.budget_unit, row.label) == ("subject", "20103", LG_BD, "事业运行")
    assert next(r for r in table7.rows if r.code == "20103").parent_code == "201"
    assert next(r for r in table7.rows if r.code == "201").parent_code is None
    top = table7.rows[0]
    assert top.budget_unit == LG and top.kind == "unit"
    income = next(t for t in tables if standard_number(t) == 1 and t.side == "收入")
    assert {r.kind for r in income.rows} == {"named"}
    assert income.label_columns == ["项目"] and income.columns == [("2024年预算数",)]


def test_three_header_rows_become_column_paths():
    table = next(t for t in tables_of("yantian-2024") if standard_number(t) == 2)
    assert table.label_columns == ["预算单位"]
    assert table.columns[2] == ("本年收入", "财政拨款", "一般公共预算拨款", "基本支出拨款")
    assert table.columns[0] == ("收入总计",)
    assert table.columns[8] == ("本年收入", "财政专户管理资金")
    assert table.columns[-1] == ("上年结余、结转",)
    assert len(table.columns) == 15


def test_flattened_header_matches_tabbed_header():
    """pingshan prints 表2 as flattened text, yantian tab-separated: the same columns come out."""
    flat = next(t for t in tables_of("pingshan-2023") if standard_number(t) == 2)
    tabbed = next(t for t in tables_of("yantian-2024") if standard_number(t) == 2)
    assert [path[-1] for path in flat.columns] == [path[-1] for path in tabbed.columns]


def test_futian_prints_other_numbers_but_keeps_its_titles():
    tables = tables_of("futian-2022")
    sangong = next(t for t in tables if standard_number(t) == 9)
    assert sangong.title.startswith("表 8") and "三公" in sangong.name
    assert next(t for t in tables if standard_number(t) == 12).title.startswith("表 11")
    assert [t.label_columns for t in tables if standard_number(t) == 3] == [["预算单位"]]


def test_notes_are_kept():
    table = next(t for t in tables_of("pingshan-2023") if standard_number(t) == 10)
    assert table.notes == ["注：本表本年无发生额。"]
    table = next(t for t in tables_of("longgang-2024") if standard_number(t) == 1 and t.side == "收入")
    assert any("尾数误差" in note for note in table.notes)


# --------------------------------------------------------------------------- small functions


@pytest.mark.parametrize("line,expected", [
    ("表 1", (1, "")),
    ("表1", (1, "")),
    ("表一：收支总表", (1, "收支总表")),
    ("表十二", (12, "")),
    ("表 11： ", (11, "")),
    ("表十一：国有资本经营预算支出表", (11, "国有资本经营预算支出表")),
    ("表八：一般公共预算支出表(按经济分类)", (8, "一般公共预算支出表(按经济分类)")),
    ("表 7 一般公共预算支出表（按功能分类）", (7, "一般公共预算支出表（按功能分类）")),
    ("表1显示了本年收支情况。", None),
    ("表格部分", None),
    ("二、表格部分", None),
    # forms of the real disclosures in data/real/
    ("公开01表", (1, "")),
    ("公开12表 政府采购支出预算表", (12, "政府采购支出预算表")),
    ("一、2017年度江苏省高级人民法院部门收支预算总表", (1, "2017年度江苏省高级人民法院部门收支预算总表")),
    ("1. 2023年部门财务收支预算总表", (1, "2023年部门财务收支预算总表")),
    ("4．2023年部门财政拨款收支预算总表", (4, "2023年部门财政拨款收支预算总表")),
    ("一、部门主要职能", None),
    ("1. 2023年，街道收入预算16497.86万元。", None),
])
def test_parse_title(line, expected):
    parsed = parse_title(line)
    assert (parsed.number, parsed.name) == expected if expected else parsed is None


@pytest.mark.parametrize("text,value", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("12", 12), ("１２", 12)])
def test_chinese_numerals(text, value):
    assert chinese_numeral_to_int(text) == value


@pytest.mark.parametrize("name,number,standard", [
    ("收支总表", 1, 1),
    ("收入总表", 2, 2),
    ("支出总表", 3, 3),
    ("基本支出总表", 4, 4),
    ("项目支出总表", 5, 5),
    ("政府预算拨款收支总表", 6, 6),
    ("财政拨款收支总表", 6, 6),
    ("一般公共预算支出表（按功能科目）", 7, 7),
    ("一般公共预算支出表(按经济分类)", 8, 8),
    ("一般公共预算“三公”经费支出表", 8, 9),  # futian-2022 prints 表8
    ("财政拨款“三公”经费支出表", 9, 9),
    ("政府性基金预算支出表", 9, 10),
    ("国有资本经营预算支出表", 10, 11),
    ("深圳市龙岗区政务服务数据管理局整体支出绩效目标表", 12, 12),
    ("部门（单位）整体支出绩效目标表", 11, 12),
    ("人员编制情况表", 13, 0),
    ("", 3, 3),
])
def test_name_to_kind(name, number, standard):
    kind = name_to_kind(name, number)
    assert (kind.number if kind and kind.number else 0) == standard


def test_split_raw_line():
    line = split_raw_line("2013701 行政运行 1,282 1,282 0")
    assert (line.text, line.values) == ("2013701 行政运行", ["1,282", "1,282", "0"])
    line = split_raw_line("深圳市坪山区政务服务数据管理局 2022 年 18 0 3 15 0 15")
    assert (line.text, line.values) == ("深圳市坪山区政务服务数据管理局 2022 年", ["18", "0", "3", "15", "0", "15"])
    assert split_raw_line("项 目 2023 年预算数 项 目 2023 年预算数").values == []
    assert split_raw_line("增减变化金额 -1.5 0 -1.5 0 0 0").values[0] == "-1.5"


def test_split_raw_segments():
    assert split_raw_segments("3.国有资本经营预算拨款 0 一般行政管理事务 789") == [
        ("3.国有资本经营预算拨款", ["0"]), ("一般行政管理事务", ["789"])]
    assert split_raw_segments("  本年收入合计 12,510.00   本年支出合计 12,510.00 ") == [
        ("本年收入合计", ["12,510.00"]), ("本年支出合计", ["12,510.00"])]
    assert split_raw_segments("机关事业单位职业年金缴费支出 65") == [("机关事业单位职业年金缴费支出", ["65"])]


def test_raw_rows_are_split_into_cells():
    std = knowledge().by_number(7)
    lines = [
        "预算单位 科目编码 科目名称 支出总计 基本支出 项目支出",
        "",
        "深圳市坪山区政务服务数据管理局 29,760 1,865 27,895",
        "201 一般公共服务支出 29,173 1,282 27,891",
        "2013701 行政运行 1,282 1,282 0",
        "注：本表本年无发生额。",
    ]
    header, body, notes, end = raw_region_to_rows(lines, 0, len(lines), std)
    assert header == [["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]]
    assert body == [
        ["深圳市坪山区政务服务数据管理局", "", "", "29,760", "1,865", "27,895"],
        ["", "201", "一般公共服务支出", "29,173", "1,282", "27,891"],
        ["", "2013701", "行政运行", "1,282", "1,282", "0"],
    ]
    assert notes == ["注：本表本年无发生额。"] and end == len(lines)


def test_raw_rows_rejoin_wrapped_labels_and_amounts():
    std = knowledge().by_number(4)
    lines = """支出项目类别 总计
政府预算拨款
财政专
户管理
资金
单位资金
上年结
余、结转小计
一般公共
预算拨款
政府性基金预
算拨款
国有资本经
营预算拨款
事业收
入
事业单
位经营
收入
上级补
助收入
附属单
位上缴
收入
其他
收入
深圳市坪山区政务服务数据
管理局
1,865 1,865 1,865 0 0 0 0 0 0 0 0 0
机关事业单位基本养老保险
缴费
129 129 129 0 0 0 0 0 0 0 0 0
深圳市福田区政务服务数据管理局 2,749.8
8
2,749.88 2,749.88 0 0 0 0 0 0 0 0 0""".split("\n")
    header, body, _, _ = raw_region_to_rows(lines, 0, len(lines), std)
    paths = header_to_paths(header)
    assert paths[0] == ("支出项目类别",) and paths[2] == ("政府预算拨款", "小计") and len(paths) == 13
    assert body[0][:2] == ["深圳市坪山区政务服务数据管理局", "1,865"]
    assert body[1][:2] == ["机关事业单位基本养老保险缴费", "129"]
    assert body[2][:3] == ["深圳市福田区政务服务数据管理局", "2,749.88", "2,749.88"] and len(body[2]) == 13


def test_join_broken_numbers():
    values = ["12,510.00", "12,510.0", "0", "2,749.8", "8", "9,760.1", "2"] + ["0"] * 11
    joined = join_broken_numbers(values, {1, 2, 3, 4, 5, 6, 7}, 15)
    assert joined[:4] == ["12,510.00", "12,510.00", "2,749.88", "9,760.12"] and len(joined) == 15
    assert join_broken_numbers(["1.5", "0"], {1}, 2) == ["1.5", "0"]  # nothing to join when it fits


def test_header_grid_to_column_paths():
    grid = [
        ["预算单位", "收入总计", "本年收入", "", "", "", "上年结余、结转"],
        ["", "", "财政拨款", "", "", "单位资金", ""],
        ["", "", "小计", "基本支出拨款", "政府性基金预算拨款", "事业收入", ""],
    ]
    assert header_to_paths(grid) == [
        ("预算单位",),
        ("收入总计",),
        ("本年收入", "财政拨款", "小计"),
        ("本年收入", "财政拨款", "基本支出拨款"),
        ("本年收入", "财政拨款", "政府性基金预算拨款"),
        ("本年收入", "单位资金", "事业收入"),
        ("上年结余、结转",),
    ]
    assert header_to_paths([["收 入", "", "支 出", ""], ["项目", "2024 年预算数", "项目", "2024 年预算数"]]) == [
        ("收入", "项目"), ("收入", "2024年预算数"), ("支出", "项目"), ("支出", "2024年预算数")]


def test_header_tree_matches_broken_header_text():
    std = knowledge().by_number(9)
    printed = "预算单位 年度 总计 因公出国(境)费 公务接待费\n公务用车购置及运行维护费\n小计\n公务用车\n购置费\n公务用车\n运行维护费"
    matched = match_header_tree(std, printed)
    assert matched.labels == ["预算单位", "年度"]
    assert matched.paths == [("总计",), ("因公出国(境)费",), ("公务接待费",),
                             ("公务用车购置及运行维护费", "小计"), ("公务用车购置及运行维护费", "公务用车购置费"),
                             ("公务用车购置及运行维护费", "公务用车运行维护费")]
    grid = tree_to_grid(matched.labels, matched.paths)
    assert header_to_paths(grid)[2:] == matched.paths


# --------------------------------------------------------------------------- pieces and generic tables


def test_pieces_of_a_tabbed_page():
    text = "\n".join([
        "说明文字。",
        "表一：收支总表",
        "",
        "单位名称:深圳市某区某局",
        "单位: 万元",
        "收入\t\t支出\t",
        "项 目\t2024 年预算数\t项 目\t2024 年预算数",
        "财政拨款\t10.00\t一般公共服务支出\t10.00",
        "收入总计\t10.00\t支出总计\t10.00",
        "备注：本套报表金额单位转换时可能存在尾数误差。\t\t\t",
        "",
        "后面的文字。",
    ])
    pieces = text_to_pieces(Page(number=3, text=text))
    assert len(pieces) == 1
    piece = pieces[0]
    assert (piece.number, piece.name, piece.department, piece.unit, piece.page) == (1, "收支总表", "深圳市某区某局", "万元", 3)
    assert piece.span == (1, 10) and len(piece.header) == 2 and len(piece.body) == 2
    assert piece.notes == ["备注：本套报表金额单位转换时可能存在尾数误差。"]
    tables = pieces_to_tables("x", pieces)
    assert [(t.side, t.rows[-1].label, t.rows[-1].values) for t in tables] == [
        ("收入", "收入总计", [Decimal("10.00")]), ("支出", "支出总计", [Decimal("10.00")])]


def test_unknown_table_is_read_generically():
    text = "\n".join([
        "表 13 人员编制情况表",
        "单位：人",
        "单位名称\t编制数\t实有人数",
        "深圳市某区某局\t20\t18",
        "合计\t20\t18",
    ])
    tables = pieces_to_tables("x", text_to_pieces(Page(number=1, text=text)))
    assert len(tables) == 1
    table = tables[0]
    assert standard_number(table) == 0 and table.name == "人员编制情况表"
    assert table.label_columns == ["单位名称"] and table.columns == [("编制数",), ("实有人数",)]
    assert [(r.kind, r.label, r.values) for r in table.rows] == [
        ("unit", "深圳市某区某局", [Decimal(20), Decimal(18)]), ("named", "合计", [Decimal(20), Decimal(18)])]


def test_table_continuing_on_the_next_page_without_a_title():
    page1 = "\n".join([
        "表 7",
        "一般公共预算支出表（按功能分类）",
        "部门名称：深圳市某区某局",
        "单位：万元",
        "预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出",
        "深圳市某区某局\t\t\t10.00\t4.00\t6.00",
        "\t201\t一般公共服务支出\t10.00\t4.00\t6.00",
    ])
    page2 = "\t20101\t人大事务\t10.00\t4.00\t6.00\n\n下一节文字。"
    doc = Document(id="x", source=Path("x.txt"), kind="text", meta=DocumentMeta(), sha256="",
                   pages=[Page(1, page1), Page(2, page2)])
    tables = document_to_tables(doc)
    assert len(tables) == 1 and tables[0].pages == [1, 2]
    last = tables[0].rows[-1]
    assert (last.code, last.parent_code, last.page, last.budget_unit) == ("20101", "201", 2, "深圳市某区某局")


def test_pieces_from_elsewhere_are_joined():
    """pieces_to_tables does not care where pieces come from (e.g. PDF tables): a piece with no
    header takes the header of the piece before."""
    header = [["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]]
    first = TablePiece(title="表 8 一般公共预算支出表（按经济分类）", number=8, name="一般公共预算支出表（按经济分类）",
                       department="深圳市某区某局", unit="万元", header=header,
                       body=[["深圳市某区某局", None or "", "", "5", "5", "0"], ["", "301", "工资福利支出", "5", "5", "0"]], page=4)
    second = TablePiece(title=first.title, number=8, name=first.name, department=None, unit=None, header=[],
                        body=[["", "30101", "基本工资", "5", "5", "-"]], page=5)
    tables = pieces_to_tables("x", [first, second])
    assert len(tables) == 1 and tables[0].pages == [4, 5]
    assert tables[0].rows[-1].values == [Decimal(5), Decimal(5), None] and tables[0].rows[-1].parent_code == "301"


# --------------------------------------------------------------------------- other layouts


def test_code_in_class_section_item_columns_and_pdf_style_none_cells():
    """科目编码 printed as 类 / 款 / 项 columns (higher parts blank under their parent), merged
    header cells given as None (as pdfplumber does); a 合计 row belongs to the department."""
    header = [["科目编码", None, None, "科目名称", "合计", "基本支出", "项目支出"],
              ["类", "款", "项", None, None, None, None]]
    body = [["", "", "", "合计", "10", "4", "6"],
            ["201", "", "", "一般公共服务支出", "10", "4", "6"],
            ["", "03", "", "政府办公厅（室）及相关机构事务", "10", "4", "6"],
            ["", "", "01", "行政运行", "4", "4", "0"],
            ["", "", "50", "事业运行", "6", None, "6"]]
    piece = TablePiece(title="表7 一般公共预算支出表", number=7, name="一般公共预算支出表", department="某局",
                       unit="万元", header=header, body=body, page=2)
    table = pieces_to_tables("x", [piece])[0]
    assert standard_number(table) == 7 and table.columns == [("合计",), ("基本支出",), ("项目支出",)]
    assert [(r.kind, r.code, r.parent_code) for r in table.rows] == [
        ("named", None, None), ("subject", "201", None), ("subject", "20103", "201"),
        ("subject", "2010301", "20103"), ("subject", "2010350", "20103")]
    assert table.rows[-1].values == [Decimal(6), None, Decimal(6)]
    assert table.rows[0].budget_unit == "某局"


def test_markdown_table_and_other_title_spellings():
    text = "\n".join([
        "附表1：部门收支总表",
        "单位：万元",
        "| 收入 | | 支出 | |",
        "|---|---|---|---|",
        "| 项目 | 预算数 | 项目 | 预算数 |",
        "| 财政拨款 | 5.00 | 教育支出 | 5.00 |",
        "",
        "表3-1 一般公共预算基本支出表",
        "单位：万元",
        "栏次\t1\t2\t3",
        "科目编码\t科目名称\t合计\t人员经费\t公用经费",
        "301\t工资福利支出\t3.00\t3.00\t0.00",
    ])
    tables = pieces_to_tables("x", text_to_pieces(Page(number=1, text=text)))
    assert [(t.kind, t.side) for t in tables] == [("收支总表", "收入"), ("收支总表", "支出"), ("一般公共预算基本支出表", None)]
    assert tables[1].rows[0].label == "教育支出" and tables[1].rows[0].values == [Decimal(5)]
    assert tables[2].rows[0].code == "301" and len(tables[2].rows) == 1


def test_flattened_two_sided_table_with_two_year_columns():
    std = knowledge().by_number(1)
    lines = [
        "收 入 支 出",
        "项 目 2023 年预算数 2024 年预算数 项 目 2023 年预算数 2024 年预算数",
        "一、财政拨款 90 100 一、一般公共服务支出 80 95",
        "教育支出 10 5",
        "收入总计 90 100 支出总计 90 100",
    ]
    header, body, _, _ = raw_region_to_rows(lines, 0, len(lines), std)
    assert header[1] == ["项目", "2023年预算数", "2024年预算数", "项目", "2023年预算数", "2024年预算数"]
    assert body[1] == ["", "", "", "教育支出", "10", "5"]
    piece = TablePiece(title="表1", number=1, name="收支总表", department="某局", unit="万元",
                       header=header, body=body, page=1)
    income, spending = pieces_to_tables("x", [piece])
    assert income.columns == [("2023年预算数",), ("2024年预算数",)]
    assert spending.rows[-1].label == "支出总计" and spending.rows[-1].values == [Decimal(90), Decimal(100)]


def test_amounts_that_cannot_be_aligned_are_not_guessed():
    std = knowledge().by_number(9)
    lines = ["预算单位 年度 总计 因公出国(境)费 公务接待费 公务用车购置及运行维护费 小计 公务用车购置费 公务用车运行维护费",
             "某区某局 2024 年 6.27 6.27 6.27"]
    _, body, _, _ = raw_region_to_rows(lines, 0, len(lines), std)
    assert body[0][:2] == ["某区某局", "2024年"] and body[0][2:8] == [""] * 6
    assert body[0][8] == "未对齐数值：6.27 6.27 6.27"


# --------------------------------------------------------------------------- 绩效目标表 indicators

@lru_cache(maxsize=None)
def indicator_facts(doc_id: str):
    doc = load(DATA / f"{doc_id}.txt")
    return [f for f in tables_to_facts(doc, tables_of(doc_id)) if f.table_kind == "绩效目标表" and f.column_path == ("目标值",)]


def indicator(doc_id: str, name: str):
    """The one 目标值 fact of the 三级指标 whose name (spaces ignored) begins with ``name``."""
    hits = [f for f in indicator_facts(doc_id) if match_key(f.row_name).startswith(match_key(name))]
    assert len(hits) == 1, f"{doc_id} {name}: {[(f.row_name, f.value) for f in hits]}"
    return hits[0]


# (doc, 三级指标, value, unit, 一级/二级 it stands under, 目标值 as printed), read from data/*.txt
INDICATORS = [
    ("longgang-2024", "智慧城市运营管理相关服务人员数量", "96", "人", ("产出指标", "数量指标"), "96 人"),
    ("longgang-2024", "合同文本合法性审查", "100", "件", ("产出指标", "数量指标"), ">100 件"),
    ("longgang-2024", "项目质量可控性", "99", "%", ("产出指标", "质量指标"), "≥99% 可控"),
    ("longgang-2024", "项目进度计划完成率", "97", "%", ("产出指标", "时效指标"), "≥97%"),
    ("longgang-2024", "公众满意度", "95", "%", ("满意度指标",), "≥95%"),
    ("baoan-2023", "服务党代表工作室数量", "1", "个", ("产出", "数量"), "1 个"),
    ("baoan-2023", "每年日均(工作日) 诉求处理量", "300", "件", ("产出", "数量"), "≥300 件"),
    ("baoan-2023", "召开专家评审会数量", "46", "场", ("产出", "数量"), "≤ 46 场"),
    ("baoan-2023", "诉求处理完成率", "90", "%", ("产出", "质量"), "≥90%"),
    ("baoan-2023", "项目总成本", "5666", "万元", ("产出", "成本"), "≤ 5666 万元"),
    ("yantian-2024", "窗口服务人员人数", "26", "人", ("产出指标", "数量指标"), "26人"),
    ("yantian-2024", "维修（护）服务项目数", "8", "项", ("产出指标", "数量指标"), "8项"),
    ("yantian-2024", "网络故障率", "1", "%", ("产出指标", "质量指标"), "≤1%"),
    ("yantian-2024", "网络故障响应时间", "20", "分钟", ("产出指标", "时效指标"), "20分钟内"),
    ("yantian-2024", "大厅窗口服务满意度", "95", "%", ("满意度指标", "服务对象满意度指标"), "≥95%"),
    ("pingshan-2023", "公共 WIFI 的 AP 安装数（个）", "3850", "个", ("产出", "数量"), "≥3850 个"),
    ("pingshan-2023", "卫星影像", "6", "幅", ("产出", "数量"), "6幅"),
    ("pingshan-2023", "民生诉求抽检案件数", "2400", "宗", ("产出", "数量"), "2400 宗"),
    ("pingshan-2023", "区政府大楼政务内网视频会议技术保障：各类故障现", "98", "%", ("产出", "质量"), "≧98%"),
    ("pingshan-2023", "平均排队等待时长", "10", "秒", ("产出", "时效"), "≤10 秒"),
    ("pingshan-2023", "为群众提供 5G 政务专网的政务一体机数量", "2", "台", ("效益", "社会效益"), "≥2台"),
    ("futian-2022", "运维系统数量", "7", "个", ("产出", "数量"), "7 个"),
    ("futian-2022", "办公设备购置数", "22", "台", ("产出", "数量"), "22 台"),
    ("futian-2022", "IDC 机房运行维护故障率", "2", "%", ("产出", "质量"), "≤ 2%"),
    ("futian-2022", "预算执行率", "95", "%", ("产出", "成本"), "＞95%"),  # the sign printed on the line above
    ("futian-2022", "工作人员满意度", "90", "%", ("满意度", "服务对象满意度"), "≧90%"),
]


@pytest.mark.parametrize("doc_id,name,value,unit,under,printed", INDICATORS, ids=[f"{c[0]}-{c[1]}" for c in INDICATORS])
def test_indicator_values_are_facts(doc_id, name, value, unit, under, printed):
    fact = indicator(doc_id, name)
    assert (fact.value, fact.unit) == (Decimal(value), unit)
    assert fact.row_path[1:1 + len(under)] == under
    assert match_key(fact.row_path[-1]) == match_key(printed)  # the comparison sign stays with the value


def test_indicators_without_one_amount_are_no_facts():
    names = {match_key(f.row_name) for f in indicator_facts("yantian-2024")}
    assert "窗口服务人员到岗时间" not in names  # 2024年1月前: a date
    assert "有效推进智慧城市和数字政府进程" not in names  # 明显
    names = {match_key(f.row_name) for f in indicator_facts("longgang-2024")}
    assert "控制在预算范围内" not in names  # ≤100% 100%: two amounts
    budget = [t for t in tables_of("longgang-2024") if standard_number(t) == 12 and t.columns != [("目标值",)]]
    assert [row.values[0] for row in budget[0].rows if row.label == "金额合计"] == [Decimal("18287.71")]
