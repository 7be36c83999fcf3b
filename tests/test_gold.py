"""Checks on the gold question/answer set ``eval/gold.jsonl``.

The gold set is hand-written from the five disclosures in ``data/``; these tests make sure
that every item is well formed and that what it claims can be found in the documents:
evidence lines occur in the named file, printed values occur in their evidence, formulas
of computed answers evaluate to the stated value, key phrases of narrative answers occur in
the document.  See ``eval/README.md`` for the schema.

``GOLD_FILE=/path/to/copy.jsonl pytest tests/test_gold.py`` checks another copy of the file
(used to confirm that a broken evidence line makes the suite fail).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GOLD = Path(os.environ.get("GOLD_FILE") or REPO / "eval" / "gold.jsonl")
FALLBACK_CORPUS = Path("/work/shared/corpus")
CORPUS_FILES = (
    "baoan-2023.txt",
    "futian-2022.txt",
    "longgang-2024.txt",
    "pingshan-2023.txt",
    "yantian-2024.txt",
)

FIELDS = (
    "id", "type", "question", "answer", "value", "unit", "doc", "source",
    "evidence", "formula", "values", "key_phrases",
)
MIN_COUNTS = {
    "table_lookup": 60,
    "text_fact": 30,
    "compute": 20,
    "cross_doc": 20,
    "narrative": 20,
    "unanswerable": 15,
    "discrepancy": 10,
}
MIN_TOTAL = 180
UNITS = {None, "万元", "元", "%", "人", "个", "辆", "家", "台（套）", "项", "次", "件", "宗", "条", "篇", "路", "幅", "平方公里", "台", "套"}

# district named in a file name -> the name a question has to use
DISTRICT_OF_DOC = {
    "baoan": "宝安",
    "futian": "福田",
    "longgang": "龙岗",
    "pingshan": "坪山",
    "yantian": "盐田",
}
ALL_DISTRICTS = tuple(DISTRICT_OF_DOC.values()) + (
    "南山", "罗湖", "光明", "龙华", "大鹏", "前海", "深圳市", "广州", "北京",
)

# standard table number -> a word its name must contain (futian-2022 prints other numbers
# for tables 9-12 because it has no table 8; the gold set always uses the standard number)
TABLE_NAME_WORD = {
    1: "收支总表",
    2: "收入总表",
    3: "支出总表",
    4: "基本支出",
    5: "项目支出",
    6: "收支总表",
    7: "功能",
    8: "经济",
    9: "三公",
    10: "政府性基金",
    11: "国有资本",
    12: "绩效目标",
}

WS = re.compile(r"\s+")


# --------------------------------------------------------------------------- helpers


def corpus_dir() -> Path:
    """``data/`` of the repository, or the shared corpus if data/ lacks the files."""
    data = REPO / "data"
    if all((data / name).is_file() for name in CORPUS_FILES):
        return data
    return FALLBACK_CORPUS


def collapse(text: str) -> str:
    return WS.sub(" ", text).strip()


def squeeze(text: str) -> str:
    return WS.sub("", text)


@lru_cache(maxsize=None)
def doc_text(name: str) -> str:
    return (corpus_dir() / name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def doc_collapsed(name: str) -> str:
    return collapse(doc_text(name))


@lru_cache(maxsize=None)
def doc_squeezed(name: str) -> str:
    return squeeze(doc_text(name))


def occurs_in_doc(fragment: str, name: str) -> bool:
    """True if ``fragment`` is in the document, comparing with runs of whitespace
    collapsed to one space, or else (wrapped raw text) with all whitespace removed."""
    frag = collapse(fragment)
    if not frag:
        return False
    if frag in doc_collapsed(name):
        return True
    return squeeze(fragment) in doc_squeezed(name)


def occurs_in(fragment: str, text: str) -> bool:
    return fragment in text or squeeze(fragment) in squeeze(text)


def docs_of(item: dict) -> list[str]:
    doc = item["doc"]
    if doc is None:
        return []
    return list(doc) if isinstance(doc, list) else [doc]


_TOKEN = re.compile(r"\s*(?:(\d[\d,]*(?:\.\d+)?)|(.))")


def evaluate(expression: str) -> Decimal:
    """Evaluate an arithmetic expression of printed figures.

    Numbers may carry thousands separators ("18,287.71"); operators are + - × * / ÷ and
    parentheses; "%" signs are ignored (``a / b × 100%`` reads as ``a / b × 100``)."""
    tokens: list[object] = []
    for number, other in _TOKEN.findall(expression.replace("%", "").replace("％", "")):
        if number:
            tokens.append(Decimal(number.replace(",", "")))
        elif other.strip():
            op = {"×": "*", "x": "*", "X": "*", "÷": "/", "（": "(", "）": ")", "－": "-", "＋": "+"}.get(other, other)
            if op not in "+-*/()":
                raise ValueError(f"unexpected character {other!r} in {expression!r}")
            tokens.append(op)
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take():
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        return tok

    def expr() -> Decimal:
        value = term()
        while peek() in ("+", "-"):
            value = value + term() if take() == "+" else value - term()
        return value

    def term() -> Decimal:
        value = factor()
        while peek() in ("*", "/"):
            value = value * factor() if take() == "*" else value / factor()
        return value

    def factor() -> Decimal:
        tok = take()
        if tok == "-":
            return -factor()
        if tok == "(":
            value = expr()
            if take() != ")":
                raise ValueError(f"unbalanced parentheses in {expression!r}")
            return value
        if isinstance(tok, Decimal):
            return tok
        raise ValueError(f"unexpected token {tok!r} in {expression!r}")

    result = expr()
    if pos != len(tokens):
        raise ValueError(f"trailing tokens in {expression!r}")
    return result


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("%", "").strip())


def check_formula(formula: str, value: str | None) -> None:
    assert formula.count("=") == 1, f"formula needs exactly one '=': {formula!r}"
    lhs, rhs = (part.strip() for part in formula.split("="))
    rhs_plain = rhs.rstrip("%％").strip()
    assert value is not None, "a formula needs a value"
    assert rhs_plain == value, f"right-hand side {rhs!r} differs from value {value!r}"
    got = evaluate(lhs)
    want = number(value)
    # the value is the result rounded as the document rounds (2 decimals): within 0.01
    assert abs(got - want) < Decimal("0.01"), f"{lhs} = {got}, not {value}"


# --------------------------------------------------------------------------- loading


def load_lines() -> list[str]:
    return GOLD.read_text(encoding="utf-8").splitlines()


def load_items() -> list[dict]:
    items = []
    for line in load_lines():
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError:
                pass  # reported by test_every_line_parses
    return items


ITEMS = load_items() if GOLD.is_file() else []
IDS = [str(item.get("id", i)) for i, item in enumerate(ITEMS)]


def by_type(*types: str) -> list[dict]:
    return [item for item in ITEMS if item.get("type") in types]


def ids_of(items: list[dict]) -> list[str]:
    return [str(item.get("id")) for item in items]


# --------------------------------------------------------------------------- file-level


def test_gold_file_exists():
    assert GOLD.is_file(), f"missing {GOLD}"


def test_corpus_present():
    for name in CORPUS_FILES:
        assert (corpus_dir() / name).is_file(), f"corpus file {name} not found in {corpus_dir()}"


def test_every_line_parses():
    for number_, line in enumerate(load_lines(), 1):
        assert line.strip(), f"blank line {number_}"
        obj = json.loads(line)
        assert isinstance(obj, dict), f"line {number_} is not an object"


def test_written_without_ascii_escapes():
    text = GOLD.read_text(encoding="utf-8")
    assert "\\u" not in text, "write the file with ensure_ascii=False"


def test_ids_unique():
    counts = Counter(item.get("id") for item in ITEMS)
    dup = [k for k, v in counts.items() if v > 1]
    assert not dup, f"duplicate ids: {dup}"


def test_minimum_counts():
    counts = Counter(item.get("type") for item in ITEMS)
    assert len(ITEMS) >= MIN_TOTAL, f"only {len(ITEMS)} items"
    for kind, least in MIN_COUNTS.items():
        assert counts[kind] >= least, f"{kind}: {counts[kind]} < {least}"


def test_every_standard_table_covered():
    """Each table present in a document is asked about at least once (where it has numbers)."""
    expected = {
        "baoan-2023.txt": {1, 3, 6, 7, 8, 9, 10, 11, 12},
        "futian-2022.txt": {1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12},
        "longgang-2024.txt": {1, 3, 6, 7, 8, 10, 11, 12},
        "pingshan-2023.txt": {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
        "yantian-2024.txt": {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
    }
    seen: dict[str, set[int]] = {name: set() for name in expected}
    for item in by_type("table_lookup"):
        match = re.match(r"表(\d{1,2})", item["source"])
        if match and item["doc"] in seen:
            seen[item["doc"]].add(int(match.group(1)))
    for name, tables in expected.items():
        assert tables <= seen[name], f"{name}: no table_lookup for 表{sorted(tables - seen[name])}"


# --------------------------------------------------------------------------- per item


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_fields_and_types(item):
    assert set(FIELDS) <= set(item), f"missing fields {set(FIELDS) - set(item)}"
    assert set(item) <= set(FIELDS), f"unknown fields {set(item) - set(FIELDS)}"
    assert item["type"] in MIN_COUNTS, f"bad type {item['type']!r}"
    for key in ("id", "question", "answer"):
        assert isinstance(item[key], str) and item[key].strip(), f"{key} must be a non-empty string"
    if item["type"] == "unanswerable":
        assert item["source"] is None, "an unanswerable item has no source"
    else:
        assert isinstance(item["source"], str) and item["source"].strip(), "source must be a non-empty string"
    assert re.search(r"[\u4e00-\u9fff]", item["question"]), "question should be Chinese"
    assert item["value"] is None or isinstance(item["value"], str), "value is a string or null"
    if item["value"] is not None:
        assert re.fullmatch(r"-?\d{1,3}(,\d{3})*(\.\d+)?|-?\d+(\.\d+)?", item["value"]), (
            f"value must be a number as printed: {item['value']!r}"
        )
    assert item["unit"] in UNITS, f"unexpected unit {item['unit']!r}"
    for key in ("evidence", "values", "key_phrases"):
        val = item[key]
        assert val is None or (
            isinstance(val, list) and val and all(isinstance(x, str) and x.strip() for x in val)
        ), f"{key} must be null or a non-empty list of strings"
    assert item["formula"] is None or isinstance(item["formula"], str)
    # the fields that belong to one type only
    if item["type"] != "compute" and item["type"] != "cross_doc":
        assert item["formula"] is None, "formula is only for compute / cross_doc"
    if item["type"] != "discrepancy":
        assert item["values"] is None, "values is only for discrepancy"
    if item["type"] != "narrative":
        assert item["key_phrases"] is None, "key_phrases is only for narrative"


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_doc_files_exist_and_question_names_district(item):
    question = item["question"]
    assert any(d in question for d in ALL_DISTRICTS), "question must name the district"
    if item["type"] == "unanswerable":
        assert item["doc"] is None and item["evidence"] is None and item["value"] is None
        return
    names = docs_of(item)
    if item["type"] == "cross_doc":
        assert isinstance(item["doc"], list) and len(set(names)) >= 2, "cross_doc names ≥2 files"
    else:
        assert isinstance(item["doc"], str), "doc is one file name"
    for name in names:
        assert name in CORPUS_FILES and (corpus_dir() / name).is_file(), f"no such document {name}"
        district = DISTRICT_OF_DOC[name.split("-")[0]]
        assert district in question, f"question does not name {district} ({name})"


@pytest.mark.parametrize(
    "item", [i for i in ITEMS if i.get("type") != "unanswerable"],
    ids=ids_of([i for i in ITEMS if i.get("type") != "unanswerable"]),
)
def test_evidence_occurs_in_document(item):
    assert item["evidence"], "evidence required"
    names = docs_of(item)
    for line in item["evidence"]:
        assert any(occurs_in_doc(line, name) for name in names), (
            f"evidence not found in {names}: {line!r}"
        )


@pytest.mark.parametrize(
    "item",
    [i for i in ITEMS if i.get("type") not in ("compute", "cross_doc", "unanswerable")],
    ids=ids_of([i for i in ITEMS if i.get("type") not in ("compute", "cross_doc", "unanswerable")]),
)
def test_value_printed_in_evidence(item):
    if item["type"] in ("table_lookup", "text_fact"):
        assert item["value"] is not None, "a lookup needs a value"
    if item["value"] is None:
        return
    joined = "\n".join(item["evidence"])
    assert occurs_in(item["value"], joined), f"value {item['value']!r} not in evidence"


@pytest.mark.parametrize("item", by_type("table_lookup"), ids=ids_of(by_type("table_lookup")))
def test_table_source_names_standard_table(item):
    match = re.match(r"表(\d{1,2}) ?(\S.*)", item["source"])
    assert match, f"table source must start with 表N: {item['source']!r}"
    n = int(match.group(1))
    assert 1 <= n <= 12, f"table number {n} out of range"
    assert TABLE_NAME_WORD[n] in match.group(2), f"表{n} should be named with {TABLE_NAME_WORD[n]!r}"


@pytest.mark.parametrize("item", by_type("compute"), ids=ids_of(by_type("compute")))
def test_compute_formula(item):
    assert item["formula"], "compute needs a formula"
    check_formula(item["formula"], item["value"])


@pytest.mark.parametrize(
    "item", [i for i in by_type("cross_doc") if i.get("formula")],
    ids=ids_of([i for i in by_type("cross_doc") if i.get("formula")]),
)
def test_cross_doc_formula(item):
    check_formula(item["formula"], item["value"])


@pytest.mark.parametrize("item", by_type("compute", "cross_doc"), ids=ids_of(by_type("compute", "cross_doc")))
def test_formula_operands_are_printed(item):
    """Each figure a formula starts from is printed in the evidence (so it was read, not made up)."""
    if not item["formula"]:
        return
    lhs = item["formula"].split("=")[0]
    joined = "\n".join(item["evidence"])
    for figure in re.findall(r"\d[\d,]*(?:\.\d+)?", lhs):
        if figure in ("100",):
            continue
        assert occurs_in(figure, joined), f"operand {figure} not in evidence"


@pytest.mark.parametrize("item", by_type("narrative"), ids=ids_of(by_type("narrative")))
def test_narrative_key_phrases(item):
    assert item["key_phrases"], "narrative needs key_phrases"
    text = doc_squeezed(item["doc"])
    for phrase in item["key_phrases"]:
        assert squeeze(phrase) in text, f"key phrase not in {item['doc']}: {phrase!r}"


@pytest.mark.parametrize("item", by_type("discrepancy"), ids=ids_of(by_type("discrepancy")))
def test_discrepancy_lists_both_figures(item):
    values = item["values"]
    assert values and len(values) >= 2, "values lists both figures"
    for figure in values:
        try:
            number(figure)
        except InvalidOperation:
            raise AssertionError(f"values must be printed numbers: {figure!r}") from None
    assert len({number(v) for v in values}) >= 2, "the figures must disagree"
    assert len(item["evidence"]) >= 2, "evidence holds both places"
    joined = "\n".join(item["evidence"])
    for figure in values:
        assert occurs_in(figure, joined), f"{figure} not in evidence"


# --------------------------------------------------------------------------- self-checks


def test_checker_rejects_a_wrong_evidence_line():
    name = "longgang-2024.txt"
    good = "2024 年深圳市龙岗区政务服务数据管理局部门预算收入 18,287.71 万元"
    assert occurs_in_doc(good, name)
    assert not occurs_in_doc(good.replace("18,287.71", "18,287.17"), name)
    # wrapped raw text matches once whitespace is removed, but a wrong figure does not
    assert occurs_in_doc("部门预算收入 29,760万元，比 2022 年增加 9,545万元", "pingshan-2023.txt")
    assert not occurs_in_doc("部门预算收入 29,760万元，比 2022 年增加 9,546万元", "pingshan-2023.txt")


def test_formula_evaluator():
    assert evaluate("760.07 + 1,482.63") == Decimal("2242.70")
    assert evaluate("(18,287.71 - 4,398.38) × 2") == Decimal("27778.66")
    assert abs(evaluate("7,280.39 / 25,568.10 × 100%") - Decimal("28.47")) < Decimal("0.01")
    with pytest.raises(AssertionError):
        check_formula("760.07 + 1,482.63 = 2,242.71", "2,242.71")
    with pytest.raises(AssertionError):
        check_formula("760.07 + 1,482.63 = 2,242.70", "2,242.07")
