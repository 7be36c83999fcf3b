"""Who and when a disclosure is about, read from wherever it prints it (index.reading.meta), and a disclosure
published as two files read as one (index.reading.identity).

The files are real disclosures of data/real/ (public government publications) and parts of them cut by the test
(a tables-only file, a text-only file), as departments publish them; what each should say is read from the pages
(tests/real_pdfs/*.yaml) — never from the program's output.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from index.model import DocumentMeta, Page
from index.reading.identity import complete_identity
from index.reading.load import load
from index.reading.meta import pages_to_meta

REAL = Path(__file__).resolve().parents[1] / "data" / "real"


def cut(source: Path, pages: range, out: Path) -> Path:
    """Write the given 0-based pages of a PDF to a file of their own (a part published apart)."""
    writer = PdfWriter()
    reader = PdfReader(source)
    for index in pages:
        writer.add_page(reader.pages[index])
    writer.write(out)
    return out


@pytest.mark.parametrize("stem,pages,department,year", [
    # tables each print '部门：佛山市轨道交通局' in their header line; titles carry no year, the header lines do
    ("guangdong-foshan-rail-transit-bureau-2019-final", range(4, 23), "佛山市轨道交通局", 2019),
    # no 部门 line at all: the department is the unit its tables' rows name (中共西安市委宣传部, 201 / 201001)
    ("shaanxi-xian-publicity-dept-2021-budget", range(15, 41), "中共西安市委宣传部", 2021),
])
def test_a_tables_only_file_says_who_from_its_tables(tmp_path, stem, pages, department, year):
    meta = load(cut(REAL / f"{stem}.pdf", pages, tmp_path / "tables.pdf")).meta
    assert (meta.department, meta.year) == (department, year)


@pytest.mark.parametrize("stem,text_pages,table_pages,department,year", [
    # the tables print neither the university's name (单位名称： left blank) nor a year
    ("chongqing-southwest-university-2023-final", range(0, 7), range(7, 15), "西南大学", 2023),
    # the tables print no department, only the year of their titles
    ("shanghai-putuo-finance-2024-final", range(0, 5), range(5, 20), "上海市普陀区财政局", 2024),
])
def test_a_disclosure_in_two_files_takes_its_partners_identity(tmp_path, stem, text_pages, table_pages, department,
                                                              year):
    text = load(cut(REAL / f"{stem}.pdf", text_pages, tmp_path / "text.pdf"))
    tables = load(cut(REAL / f"{stem}.pdf", table_pages, tmp_path / "tables.pdf"))
    assert tables.meta.department is None  # as the tables print it
    known = [(text.source, text.meta)]
    completed = complete_identity(tables.meta, tables.source, known)
    assert (completed.department, completed.year, completed.region) == (department, year, text.meta.region)


def test_no_partner_when_two_fit(tmp_path):
    """Two disclosures of one department in one folder: a file printing no year takes neither's."""
    known = [(tmp_path / "a.pdf", DocumentMeta(department="东海市临江区教育局", year=2023, kind="部门预算")),
             (tmp_path / "b.pdf", DocumentMeta(department="东海市临江区教育局", year=2024, kind="部门预算"))]
    alone = DocumentMeta(department="东海市临江区教育局", kind="部门预算")
    assert complete_identity(alone, tmp_path / "c.pdf", known) == alone
    assert complete_identity(alone, tmp_path / "c.pdf", known[:1]).year == 2023


def meta_of(text: str) -> DocumentMeta:
    return pages_to_meta([Page(number=1, text=text, lines=[])])


def test_a_city_takes_the_province_the_text_prints_before_it():
    meta = meta_of("东海市交通运输局2025年部门预算\n一、部门职责\n南江省东海市交通运输局负责全市交通运输工作。")
    assert meta.region == ("南江省", "东海市") and meta.department == "东海市交通运输局"


def test_a_party_organ_is_of_the_place_its_name_holds():
    meta = meta_of("中共东海市委组织部2025年部门预算\n一、部门职责\n")
    assert meta.department == "中共东海市委组织部" and meta.region == ("东海市",)


def test_a_central_unit_is_of_the_centre_under_its_ministry():
    meta = meta_of("南山工业大学2024年度部门决算\n一、学校概况\n南山工业大学是交通运输部直属的全国重点大学。")
    assert (meta.department, meta.region, meta.parent) == ("南山工业大学", ("中央",), "交通运输部")
    assert meta_of("国家统计局东海调查队2025年部门预算\n").region == ("中央",)
