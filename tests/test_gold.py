"""Checks on the gold question/answer set ``eval/gold.jsonl``.

The gold set is hand-written from the five Shenzhen disclosures in ``data/`` (text files) and
the five real PDFs in ``data/real/``; these tests make sure that every item is well formed and
that what it claims can be found in the documents: evidence lines occur in the named file (for
a PDF, on the named page as the project's loader reads it), printed values occur in their
evidence, formulas of computed answers evaluate to the stated value, key phrases of narrative
answers occur in the document, and every table of every document is asked about.  See
``eval/README.md`` for the schema.

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
import yaml

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

REAL_DIR = REPO / "data" / "real"
# hand-read expectations of each real PDF (metadata, table inventory, cells): tests/real_pdfs/<stem>.yaml
REAL_EXPECTED = REPO / "tests" / "real_pdfs"
REAL_FILES = tuple(sorted(path.stem + ".pdf" for path in REAL_EXPECTED.glob("*.yaml")))

FIELDS = (
    "id", "type", "question", "answer", "value", "unit", "doc", "source",
    "evidence", "formula", "values", "key_phrases",
)
# written after FIELDS on the lines about the real PDFs (absent, i.e. null, on the Shenzhen lines)
PDF_FIELDS = ("page", "table")
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

# kinds of tables (a table's kind is what it holds, whatever its printed title); `table` names one
TABLE_KINDS = (
    "收支总表", "收入总表", "支出总表", "财政拨款收支总表", "财政拨款支出表", "财政拨款基本支出表",
    "一般公共预算支出表", "一般公共预算基本支出表", "一般公共预算支出经济分类表", "基本支出表",
    "项目支出表", "三公经费表", "机关运行经费表", "政府采购表", "政府性基金预算支出表",
    "国有资本经营预算支出表", "绩效目标表", "其他",
)
# what a department name carries besides its own name: the parent government of a street office
# (…区人民政府万里街道办事处), the 人民 of courts and procuratorates, the 办事处 of a street office
DEPARTMENT_AFFIXES = ("人民政府", "人民", "办事处")
REGION_ENDING = re.compile(r"(?:省|市|区|县|街道|镇|乡)$")

# numbers a formula may use without their being printed: ×100 for a percentage, ÷10000 for 元 → 万元
FORMULA_CONSTANTS = ("100", "10000")

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


def is_pdf(name: str) -> bool:
    return name.lower().endswith(".pdf")


@lru_cache(maxsize=None)
def pdf_pages(name: str) -> tuple[str, ...]:
    """The text of each page of a real PDF as the project's loader reads it (CJK radicals mapped to
    ordinary characters, numbers put back on their lines) — the text a question is answered from.
    Cached: loading one PDF takes about two seconds. Imported here so that the checks of the
    Shenzhen text files still run when the loader cannot be imported."""
    from index.reading.load import load

    return tuple(page.text for page in load(REAL_DIR / name).pages)


@lru_cache(maxsize=None)
def page_squeezed(name: str, page: int) -> str:
    return squeeze(pdf_pages(name)[page - 1])


@lru_cache(maxsize=None)
def doc_text(name: str) -> str:
    if is_pdf(name):
        return "\n".join(pdf_pages(name))
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


def occurs_on_page(fragment: str, name: str, page: int) -> bool:
    """True if ``fragment`` is printed on the page of the PDF, comparing with all whitespace removed
    (the loader's line breaks and spacing are not the printed ones; the characters are)."""
    frag = squeeze(fragment)
    if not frag or not 1 <= page <= len(pdf_pages(name)):
        return False  # a page the PDF lacks is reported by test_pdf_items_name_their_pages
    return frag in page_squeezed(name, page)


def occurs_in(fragment: str, text: str) -> bool:
    return fragment in text or squeeze(fragment) in squeeze(text)


def docs_of(item: dict) -> list[str]:
    doc = item["doc"]
    if doc is None:
        return []
    return list(doc) if isinstance(doc, list) else [doc]


def places_of(item: dict) -> list[tuple[str, int | None]]:
    """(document, page) pairs where the item's evidence stands: page None for a text file. A
    cross_doc item lists one page per document, in the order of ``doc``; any other item names one
    page or a list of pages of its one document."""
    names, page = docs_of(item), item.get("page")
    if page is None:
        return [(name, None) for name in names]
    if isinstance(item["doc"], list):
        pages = page if isinstance(page, list) else [page] * len(names)
        return list(zip(names, pages))
    return [(names[0], p) for p in (page if isinstance(page, list) else [page])]


def evidence_found(line: str, item: dict) -> bool:
    """True if an evidence line stands in one of the item's places: on a named page of a PDF, anywhere
    in a text file."""
    for name, page in places_of(item):
        if is_pdf(name):
            if page is not None and occurs_on_page(line, name, page):
                return True
        elif occurs_in_doc(line, name):
            return True
    return False


@lru_cache(maxsize=None)
def expectations(name: str) -> dict:
    """The hand-read expectations of a real PDF: metadata (region, department) and table inventory."""
    return yaml.safe_load((REAL_EXPECTED / f"{Path(name).stem}.yaml").read_text(encoding="utf-8"))


def department_forms(name: str) -> set[str]:
    """The names by which a reader recognises the department of a real PDF, computed from its hand-read
    name and region chain: the full name (江苏省高级人民法院); the name after its region prefix
    (高级人民法院, 人民政府万里街道办事处); that name without the affixes 人民政府 / 人民 / 办事处
    (高级法院, 检察院, 万里街道, 司法局); and for a four-character short name that is not itself a
    place its first and last character, the usual contraction (高级法院 → 高院)."""
    meta = expectations(name)["metadata"]
    full = rest = meta["department"]
    for region in meta["region"]:
        rest = rest.removeprefix(region)
    short = rest
    for affix in DEPARTMENT_AFFIXES:
        short = short.replace(affix, "")
    forms = {full, rest, short}
    if len(short) == 4 and not REGION_ENDING.search(short):
        forms.add(short[0] + short[-1])
    return {form for form in forms if len(form) >= 2}


def region_forms(region: str) -> set[str]:
    """A region as printed and without its administrative ending (江苏省 → 江苏, 万里街道 → 万里)."""
    bare = REGION_ENDING.sub("", region)
    return {region, bare} if len(bare) >= 2 else {region}


def real_places() -> set[str]:
    """Every place or department of the real PDFs a question may name."""
    places: set[str] = set()
    for name in REAL_FILES:
        places |= department_forms(name)
        for region in expectations(name)["metadata"]["region"]:
            places |= region_forms(region)
    return places


def is_real(item: dict) -> bool:
    """True for an item about the real PDFs: it cites one, or (unanswerable) it names a place of the real
    PDFs and no Shenzhen district."""
    if item.get("doc") is not None:
        return any(is_pdf(name) for name in docs_of(item))
    question = item.get("question") or ""
    return any(p in question for p in real_places()) and not any(d in question for d in ALL_DISTRICTS)


def kind_pages(name: str, kind: str) -> set[int]:
    """The pages on which the real PDF prints tables of ``kind`` (from its hand-read inventory)."""
    return {p for table in expectations(name)["tables"] if table["kind"] == kind for p in table["pages"]}


def prints_figures(name: str, table: dict) -> bool:
    """True if a table of the real PDF prints a figure: it is not empty and one of its hand-read cells
    is a number outside a 序号 (row number) column — the 单位构成 list of a 决算 prints only 1, 2, 3."""
    if table["empty"]:
        return False
    for cell in expectations(name).get("cells") or []:
        if cell["table"] != table["kind"] or cell["page"] not in table["pages"]:
            continue
        if "序号" in (cell.get("column") or []):
            continue
        if re.fullmatch(r"-?\d[\d,]*(?:\.\d+)?", str(cell["printed"]).strip()):
            return True
    return False


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


def shenzhen(items: list[dict]) -> list[dict]:
    """The items about the Shenzhen text files (the part the per-type minimums were set for)."""
    return [item for item in items if not is_real(item)]


def of_pdfs(items: list[dict]) -> list[dict]:
    """The items that cite a real PDF."""
    return [item for item in items if any(is_pdf(name) for name in docs_of(item))]


# --------------------------------------------------------------------------- file-level


def test_gold_file_exists():
    assert GOLD.is_file(), f"missing {GOLD}"


def test_corpus_present():
    for name in CORPUS_FILES:
        assert (corpus_dir() / name).is_file(), f"corpus file {name} not found in {corpus_dir()}"


def test_real_pdfs_present():
    """Each real PDF with hand-read expectations is in data/real/ (questions are checked against it)."""
    assert REAL_FILES, f"no expectations in {REAL_EXPECTED}"
    for name in REAL_FILES:
        assert (REAL_DIR / name).is_file(), f"real PDF {name} not found in {REAL_DIR}"


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


def test_id_prefix_names_one_document():
    """All single-document items of a document share one id prefix, <name><yy>, yy being the document's year
    (lg24 → longgang-2024.txt, jsp19 → jiangsu-procuratorate-2019-budget.pdf), and no two documents
    share a prefix."""
    docs_of_prefix: dict[str, set[str]] = {}
    for item in ITEMS:
        if isinstance(item.get("doc"), str):
            docs_of_prefix.setdefault(str(item["id"]).split("-")[0], set()).add(item["doc"])
    for prefix, names in docs_of_prefix.items():
        assert len(names) == 1, f"id prefix {prefix} is used for {sorted(names)}"
        year = re.search(r"(?:19|20)(\d{2})", next(iter(names)))
        assert year and prefix.endswith(year.group(1)), f"id prefix {prefix} does not end in the year of {names}"


def test_minimum_counts():
    """The minimums hold for the Shenzhen part alone, so that questions about the real PDFs never
    make up for a type missing over the Shenzhen files."""
    part = shenzhen(ITEMS)
    counts = Counter(item.get("type") for item in part)
    assert len(part) >= MIN_TOTAL, f"only {len(part)} Shenzhen items"
    for kind, least in MIN_COUNTS.items():
        assert counts[kind] >= least, f"{kind}: {counts[kind]} < {least} (Shenzhen part)"


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


@pytest.mark.parametrize("name", REAL_FILES)
def test_every_table_kind_covered(name):
    """Each kind of table a real PDF the gold set asks about prints (its hand-read inventory) is asked about by at
    least one table_lookup or compute question naming that kind — except kinds whose tables print no figure
    (empty tables, a list of units). PDFs the gold set leaves to the blind set are not its to cover."""
    if not any(item["doc"] == name for item in ITEMS):
        pytest.skip(f"the gold set asks nothing about {name}")
    wanted = {t["kind"] for t in expectations(name)["tables"] if prints_figures(name, t)}
    seen = {item.get("table") for item in by_type("table_lookup", "compute") if item["doc"] == name}
    assert wanted <= seen, f"{name}: no table_lookup / compute for {sorted(wanted - seen)}"


# --------------------------------------------------------------------------- per item


ID_KIND = {"table_lookup": "t", "text_fact": "f", "compute": "c", "narrative": "n", "discrepancy": "d"}


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_id_follows_convention(item):
    """Ids say what an item is: <doc><yy>-<kind><nn> with the kind letter of its type, x-NN / xr-<r>NN for
    cross-document (Shenzhen / real PDFs of one region), na-uNN / na-r<r>NN for unanswerable."""
    kind, item_id = item.get("type"), str(item.get("id"))
    if kind in ID_KIND:
        pattern = rf"[a-z]+\d{{2}}-{ID_KIND[kind]}\d{{2}}"
    elif kind == "cross_doc":
        pattern = r"x-\d{2}|xr-[a-z]\d{2}"
    else:
        pattern = r"na-u\d{2}|na-r[a-z]\d{2}"
    assert re.fullmatch(pattern, item_id), f"id {item_id!r} does not follow the convention for {kind}"


def is_page(page: object) -> bool:
    return isinstance(page, int) and not isinstance(page, bool) and page >= 1


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_fields_and_types(item):
    assert set(FIELDS) <= set(item), f"missing fields {set(FIELDS) - set(item)}"
    assert set(item) <= set(FIELDS + PDF_FIELDS), f"unknown fields {set(item) - set(FIELDS + PDF_FIELDS)}"
    order = [key for key in FIELDS + PDF_FIELDS if key in item]
    assert list(item) == order, f"fields out of order: {list(item)} (want {order})"
    if is_real(item):
        assert set(PDF_FIELDS) <= set(item), "an item about the real PDFs writes page and table"
    page, table = item.get("page"), item.get("table")
    assert page is None or is_page(page) or (
        isinstance(page, list) and page and all(p is None or is_page(p) for p in page)
    ), f"page is a 1-based page index, a list of them, or null: {page!r}"
    assert table is None or table in TABLE_KINDS, f"table must be a kind of table: {table!r}"
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
    if item["type"] == "unanswerable":
        assert page is None and table is None, "an unanswerable item names no page and no table"
    elif not of_pdfs([item]):
        assert page is None and table is None, "a Shenzhen text item has no page and names tables by 表N"


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_doc_files_exist_and_question_names_place(item):
    """A question names the place or department of each document it is about (a Shenzhen district;
    a real PDF's department, full or in a short form a reader recognises), so that it can be answered
    without knowing which file it was written from; an unanswerable one names some place."""
    question = item["question"]
    if item["type"] == "unanswerable":
        places = set(ALL_DISTRICTS) | real_places()
        assert any(p in question for p in places), "question must name a place or department"
        assert item["doc"] is None and item["evidence"] is None and item["value"] is None
        return
    names = docs_of(item)
    if item["type"] == "cross_doc":
        assert isinstance(item["doc"], list) and len(set(names)) >= 2, "cross_doc names ≥2 files"
    else:
        assert isinstance(item["doc"], str), "doc is one file name"
    for name in names:
        if is_pdf(name):
            assert name in REAL_FILES and (REAL_DIR / name).is_file(), f"no such real PDF {name}"
            forms = department_forms(name)
            assert any(f in question for f in forms), f"question names none of {sorted(forms)} ({name})"
        else:
            assert name in CORPUS_FILES and (corpus_dir() / name).is_file(), f"no such document {name}"
            district = DISTRICT_OF_DOC[name.split("-")[0]]
            assert district in question, f"question does not name {district} ({name})"


@pytest.mark.parametrize("item", of_pdfs(ITEMS), ids=ids_of(of_pdfs(ITEMS)))
def test_pdf_items_name_their_pages(item):
    """An item about a real PDF names the page(s) its evidence stands on — one per document, in doc order,
    for cross_doc — and each is a page of that PDF; a text file has no page."""
    page = item.get("page")
    assert page is not None, "an item about a PDF names its page"
    if isinstance(item["doc"], list):
        assert isinstance(page, list) and len(page) == len(item["doc"]), "cross_doc: one page per document"
    for name, p in places_of(item):
        if is_pdf(name):
            assert is_page(p) and p <= len(pdf_pages(name)), f"{name} has no page {p}"
        else:
            assert p is None, f"{name} is a text file: its page is null"


@pytest.mark.parametrize("item", of_pdfs(ITEMS), ids=ids_of(of_pdfs(ITEMS)))
def test_pdf_table_is_a_kind_printed_on_the_page(item):
    """A table question about a real PDF names the kind of its table, and that kind is printed on the
    named page(s) (the hand-read inventory), so a kind cannot be named by guess."""
    if item["type"] == "table_lookup":
        assert item.get("table"), "a table_lookup on a PDF names the kind of its table (field table)"
    if not item.get("table"):
        return
    for name, page in places_of(item):
        pages = kind_pages(name, item["table"])
        assert pages, f"{name} prints no table of kind {item['table']}"
        assert page in pages, f"{name}: no {item['table']} on page {page} (it is on {sorted(pages)})"


@pytest.mark.parametrize(
    "item", [i for i in ITEMS if i.get("type") != "unanswerable"],
    ids=ids_of([i for i in ITEMS if i.get("type") != "unanswerable"]),
)
def test_evidence_occurs_in_document(item):
    """Each evidence line is in a named text file, or printed on a named page of a named PDF."""
    assert item["evidence"], "evidence required"
    for line in item["evidence"]:
        assert evidence_found(line, item), f"evidence not found in {places_of(item)}: {line!r}"


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


@pytest.mark.parametrize(
    "item", shenzhen(by_type("table_lookup")), ids=ids_of(shenzhen(by_type("table_lookup"))),
)
def test_table_source_names_standard_table(item):
    """Shenzhen table items name the standard table number (real PDFs name the kind in `table`)."""
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
    """Each figure a formula starts from is printed in the evidence (so it was read, not made up);
    100 (a share as a percentage) and 10000 (元 to 万元, for tables printed in 元) are not figures."""
    if not item["formula"]:
        return
    lhs = item["formula"].split("=")[0]
    joined = "\n".join(item["evidence"])
    for figure in re.findall(r"\d[\d,]*(?:\.\d+)?", lhs):
        if figure in FORMULA_CONSTANTS:
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
    """The disagreeing figures are listed as printed and quoted in the evidence: from two places, or
    from one sentence that contradicts itself (a rate that does not follow from the amounts it states)."""
    values = item["values"]
    assert values and len(values) >= 2, "values lists both figures"
    for figure in values:
        try:
            number(figure)
        except InvalidOperation:
            raise AssertionError(f"values must be printed numbers: {figure!r}") from None
    assert len({number(v) for v in values}) >= 2, "the figures must disagree"
    joined = "\n".join(item["evidence"])
    one_sentence = len(item["evidence"]) == 1 and all(occurs_in(v, joined) for v in values)
    assert len(item["evidence"]) >= 2 or one_sentence, "evidence holds both places"
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


def test_checker_reads_the_named_pdf_page_only():
    """PDF evidence is looked for on the named page (whitespace ignored), not elsewhere in the file."""
    name = "jiangsu-procuratorate-2019-budget.pdf"
    assert occurs_on_page("四、公共安全支出 16,593.12", name, 14)
    assert not occurs_on_page("四、公共安全支出 16,593.21", name, 14)
    assert not occurs_on_page("四、公共安全支出 16,593.12", name, 20)
    item = {"doc": name, "page": [20, 14]}
    assert evidence_found("16,593.12", item) and not evidence_found("16,593.21", item)


def test_department_forms_are_computed_from_the_name():
    assert {"江苏省高级人民法院", "高级人民法院", "高级法院", "高院"} <= department_forms("jiangsu-high-court-2017-budget.pdf")
    assert "检察院" in department_forms("jiangsu-procuratorate-2019-budget.pdf")
    assert "万里街道" in department_forms("shanghai-putuo-wanli-street-2023-budget.pdf")
    assert "司法局" in department_forms("shanghai-putuo-justice-2026-budget.pdf")
    assert not any(f in "普陀区财政局2024年决算" for f in department_forms("shanghai-putuo-justice-2026-budget.pdf"))


def test_formula_evaluator():
    assert evaluate("760.07 + 1,482.63") == Decimal("2242.70")
    assert evaluate("(18,287.71 - 4,398.38) × 2") == Decimal("27778.66")
    assert abs(evaluate("7,280.39 / 25,568.10 × 100%") - Decimal("28.47")) < Decimal("0.01")
    with pytest.raises(AssertionError):
        check_formula("760.07 + 1,482.63 = 2,242.71", "2,242.71")
    with pytest.raises(AssertionError):
        check_formula("760.07 + 1,482.63 = 2,242.70", "2,242.07")
