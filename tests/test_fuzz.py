"""Property tests (hypothesis): the number parser, and the table reader on shuffled, truncated and
mangled real table text from data/*.txt. Nothing raises except the documented errors
(parse_number: ValueError for text that is not a number).

Question analysis (qa.plan.analyze.analyze never raises, on any text and on vocabulary soup) is
fuzzed in tests/test_analyze.py and not repeated here.
"""
from __future__ import annotations

import hashlib
import random
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from index.model import Document, DocumentMeta, Page
from common.numbers import BLANK_CELLS, MONEY_UNITS, convert_money, find_quantities, is_number, parse_number
from index.facts.structure import document_to_structure
from index.tables.build import pieces_to_tables
from index.tables.text import text_to_pieces
from index.tables.document import document_to_tables

DATA = Path(__file__).resolve().parents[1] / "data"
FULL_WIDTH = str.maketrans("0123456789,.-%", "０１２３４５６７８９，．－％")
SEEDS = st.integers(min_value=0, max_value=2**32)  # a seed per example: big random edits without big draws
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- numbers

def with_separators(digits: str) -> str:
    """Given an integer's digits, return them with a comma every three from the right."""
    return f"{int(digits):,}"


amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False,
                      allow_infinity=False)


@FUZZ
@given(amounts, st.booleans(), st.booleans(), st.booleans(), st.sampled_from(["", " ", "\t", "\u3000"]))
def test_printed_amount_parses_back_exactly(value, separators, full_width, percent, pad):
    printed = f"{value:,.2f}" if separators else f"{value:.2f}"
    if percent:
        printed += "%"
    if full_width:
        printed = printed.translate(FULL_WIDTH)
    assert parse_number(pad + printed + pad) == value


@FUZZ
@given(amounts)
def test_accounting_negative_in_brackets(value):
    assume(value > 0)
    assert parse_number(f"({value:,.2f})") == -value


@pytest.mark.parametrize("cell", sorted(BLANK_CELLS) + [None, "  ", "\u3000"])
def test_blank_cells_are_none(cell):
    assert parse_number(cell) is None and is_number(cell)


@FUZZ
@given(st.text(max_size=30))
@example("1,2,3")
@example("--5")
@example("1e5")
@example("NaN")
@example("Infinity")
@example("万元")
@example("5万元")
@example("１２.３４.５")
@example("()")
@example("(")
@example("%")
@example("\x00")
def test_parse_number_returns_a_decimal_none_or_raises_value_error(text):
    try:
        value = parse_number(text)
    except ValueError:
        assert not is_number(text)
        return
    assert value is None or (isinstance(value, Decimal) and value.is_finite())
    assert is_number(text)


@FUZZ
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99), st.booleans(),
       st.sampled_from(sorted(MONEY_UNITS)), st.sampled_from(["", " "]), st.booleans(), st.booleans())
def test_amount_in_running_text(whole, cents, separators, unit, space, full_width, negative):
    digits = with_separators(str(whole)) if separators else str(whole)
    printed = f"{'-' if negative else ''}{digits}.{cents:02d}"
    sentence = f"2024年部门预算收入{printed}{space}{unit}，比上年增长3.5%。"
    if full_width:
        sentence = sentence.translate(FULL_WIDTH)
    found = find_quantities(sentence)
    value = Decimal(f"{'-' if negative else ''}{whole}.{cents:02d}")
    amounts = [q for q in found if q.unit == unit]
    assert [q.value for q in amounts] == [value], found
    assert [q.value for q in found if q.unit == "%"] == [Decimal("3.5")]
    assert convert_money(value, unit, "元") == value * MONEY_UNITS[unit]


@FUZZ
@given(st.text(max_size=200))
@example("１，２３４．５６万元")
@example("-0.18%")
@example("1.2亿元和3,000元")
@example(",,,1,,2..3")
def test_find_quantities_never_raises_and_reports_where(text):
    normalized = __import__("unicodedata").normalize("NFKC", text)
    for quantity in find_quantities(text):
        assert isinstance(quantity.value, Decimal) and quantity.value.is_finite()
        assert normalized[quantity.start:quantity.end].startswith(quantity.raw)
        assert quantity.value == Decimal(quantity.raw.replace(",", ""))


# ---------------------------------------------------------------- the table reader

def table_texts() -> dict[str, list[str]]:
    """Return {stem: lines of its 表格部分} for every sample disclosure."""
    texts = {}
    for path in sorted(DATA.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        start = max(i for i, line in enumerate(lines) if line.strip() == "二、表格部分")
        texts[path.stem] = lines[start:]
    return texts


TABLE_TEXTS = table_texts()
STEMS = sorted(TABLE_TEXTS)


def read_tables(text: str, pages: int = 1):
    """Given table text, split it into pages and read it as the text loader does; return the tables."""
    lines = text.split("\n")
    size = max(1, len(lines) // pages)
    page_texts = ["\n".join(lines[i:i + size]) for i in range(0, len(lines), size)] or [""]
    doc = Document(id="fuzz", source=Path("fuzz.txt"), kind="text",
                   pages=[Page(number=n, text=t) for n, t in enumerate(page_texts, start=1)],
                   meta=DocumentMeta(), sha256=hashlib.sha256(text.encode()).hexdigest())
    tables = document_to_tables(doc)
    for table in tables:  # what the facts are made of: every value a finite Decimal, one per column
        for row in table.rows:
            assert all(value is None or value.is_finite() for value in row.values), row
    return tables


@pytest.mark.parametrize("stem", STEMS)
def test_unmangled_table_text_reads(stem):
    assert read_tables("\n".join(TABLE_TEXTS[stem]))


@FUZZ
@given(st.sampled_from(STEMS), SEEDS, st.integers(min_value=1, max_value=4))
def test_shuffled_table_lines(stem, seed, pages):
    rng = random.Random(seed)
    lines = list(TABLE_TEXTS[stem])
    start = rng.randrange(len(lines))
    window = lines[start:start + rng.randint(5, 80)]
    rng.shuffle(window)
    read_tables("\n".join(lines[:start] + window + lines[start + len(window):]), pages)


@FUZZ
@given(st.sampled_from(STEMS), st.floats(min_value=0, max_value=1), st.integers(min_value=1, max_value=5))
def test_truncated_table_text(stem, fraction, pages):
    text = "\n".join(TABLE_TEXTS[stem])
    read_tables(text[: int(len(text) * fraction)], pages)


@FUZZ
@given(st.sampled_from(STEMS), SEEDS)
def test_mangled_cells(stem, seed):
    """Cells dropped, doubled, emptied, swapped for junk or for numbers; tabs lost or added."""
    rng = random.Random(seed)
    junk = ["", "-", "—", "／", "１２，３４５．６", "(12.5)", "1e9", "NaN", "%", "表 7", "单位：万元", "合计", "\u3000",
            "<script>", "'; DROP TABLE facts;--", "9" * 40, "-0", "0.000001"]
    lines = []
    for line in TABLE_TEXTS[stem]:
        cells = line.split("\t")
        roll = rng.random()
        if roll < 0.05:
            continue
        if roll < 0.1:
            lines += [line, line]
            continue
        for i in range(len(cells)):
            if rng.random() < 0.1:
                cells[i] = rng.choice(junk)
        if rng.random() < 0.05:
            cells.insert(rng.randrange(len(cells) + 1), rng.choice(junk))
        joiner = " " if rng.random() < 0.05 else "\t"
        lines.append(joiner.join(cells))
    read_tables("\n".join(lines), rng.randint(1, 3))


@FUZZ
@given(st.lists(st.sampled_from(["表 1", "表 8", "收支总表", "一般公共预算支出表（按经济分类）", "部门名称：深圳市某区某局",
                                 "单位：万元", "项 目\t2024 年预算数", "收 入\t\t支 出\t", "301\t工资福利支出\t12.00",
                                 "合计\t1,234.56\t\t", "\t\t\t", "|a|b|", "|---|---|", "续表", "注：本表无数据。",
                                 "一、政府预算拨款\t5,665\t一、一般公共服务支出\t5,382", "2010301\t行政运行\t609"]),
                max_size=40),
       st.integers(min_value=1, max_value=3))
def test_table_vocabulary_soup(lines, pages):
    read_tables("\n".join(lines), pages)


@FUZZ
@given(st.sampled_from(STEMS), SEEDS)
def test_pieces_of_one_table_in_any_order(stem, seed):
    """Pieces read page by page, then handed to pieces_to_tables shuffled and partly dropped."""
    rng = random.Random(seed)
    text = "\n".join(TABLE_TEXTS[stem])
    pieces = []
    previous = None
    for number, chunk in enumerate(re.split(r"\n(?=表\s*\d+\s*\n)", text), start=1):
        found = text_to_pieces(Page(number=number, text=chunk), previous)
        pieces += found
        previous = found[-1] if found else None
    rng.shuffle(pieces)
    pieces_to_tables("fuzz", pieces[: rng.randint(0, len(pieces))])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(STEMS), SEEDS)
def test_whole_document_structure_on_mangled_text(stem, seed):
    """What indexing runs on a file (sections, tables, text facts) on a disclosure with lines dropped,
    doubled, swapped and cut: no exception, and every fact a finite number."""
    rng = random.Random(seed)
    lines = (DATA / f"{stem}.txt").read_text(encoding="utf-8").split("\n")
    for _ in range(rng.randint(1, 30)):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        action = rng.choice(["drop", "double", "swap", "cut"])
        if action == "drop":
            del lines[i]
        elif action == "double":
            lines.insert(j, lines[i])
        elif action == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    text = "\n".join(lines)
    doc = Document(id=stem, source=Path(f"{stem}.txt"), kind="text", pages=[Page(number=1, text=text)],
                   meta=DocumentMeta(), sha256=hashlib.sha256(text.encode()).hexdigest())
    structure = document_to_structure(doc)
    assert all(fact.value.is_finite() for fact in structure.facts)
