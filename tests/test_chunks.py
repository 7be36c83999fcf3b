"""Tests of index/chunks.py: chunks hold the lines of the sample disclosures as printed.

Every expected line below was copied by eye from the text file in data/ (not from the program).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from index.store.chunks import run_in_marker, structure_to_chunks
from index.reading.load import load
from index.facts.structure import document_to_structure

DATA = Path(__file__).resolve().parents[1] / "data"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=None)
def chunks_of(doc_id: str):
    doc = load(DATA / f"{doc_id}.txt")
    return structure_to_chunks(document_to_structure(doc), doc.sha256)


def chunks_holding(doc_id: str, line: str):
    return [chunk for chunk in chunks_of(doc_id) if squeeze(line) in squeeze(chunk.text)]


@pytest.mark.parametrize("doc_id,line", [
    # a 收支总表 row holds a 收入 item and a 支出 item side by side
    ("longgang-2024", "政府预算资金\t18,287.71\t一般公共服务支出\t16,974.04"),
    ("baoan-2023", "一、政府预算拨款\t5,665\t一、一般公共服务支出\t5,382"),
    ("pingshan-2023", "1.一般公共预算拨款 29,760 网信事务 29,173"),
    ("futian-2022", "2.政府性基金预算拨款 0 行政运行 897.67"),
    # amounts as printed, not reformatted
    ("yantian-2024", "信息化类\t1,486.39\t1,486.39\t1486.39\t0.00"),
    ("baoan-2023", "\t金额合计\t\t5665.36\t5665.36\t0"),
    # 绩效目标表 indicator rows, tabbed and flattened
    ("yantian-2024", "\t\t\t窗口服务人员人数\t26人"),
    ("pingshan-2023", "公共 WIFI 的 AP 安装数（个） ≥3850 个"),
    ("futian-2022", "运维系统数量 7 个"),
    # a list item whose heading runs into its text
    ("longgang-2024", "2. 公务接待费。2024 年预算数 3.30 万元，比 2023 年增加 0 万元"),
    ("longgang-2024", "1. 深圳市龙岗区政务服务数据管理局（本级），内设办公室、事项管理科"),
])
def test_printed_line_is_in_a_chunk(doc_id, line):
    assert chunks_holding(doc_id, line)


def test_both_sides_of_a_two_sided_row_cite_their_facts():
    doc = load(DATA / "longgang-2024.txt")
    structure = document_to_structure(doc)
    chunk = next(c for c in structure_to_chunks(structure, doc.sha256)
                 if squeeze("政府预算资金\t18,287.71\t一般公共服务支出\t16,974.04") in squeeze(c.text))
    facts = {f.id: f for f in structure.facts}
    sides = {(facts[i].table_side, facts[i].row_name, facts[i].value) for i in chunk.fact_ids if facts[i].table_kind == "收支总表"}
    assert ("收入", "政府预算资金", 18287.71) in {(s, r, float(v)) for s, r, v in sides}
    assert ("支出", "一般公共服务支出", 16974.04) in {(s, r, float(v)) for s, r, v in sides}
    assert chunk.text.count("一般公共服务支出") == 1  # one printed row, printed once


@pytest.mark.parametrize("heading,text,marker", [
    ("1. 深圳市龙岗区政务服务数据管理局（本级）", "深圳市龙岗区政务服务数据管理局（本级），内设办公室", "1. "),
    ("（一）人员支出 760.07 万元", "人员支出 760.07 万元，主要是", "（一）"),
    ("一、部门职责", "贯彻党中央及省、市、区关于政务服务", None),
])
def test_run_in_marker(heading, text, marker):
    assert run_in_marker(heading, text) == marker
