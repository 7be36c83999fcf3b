"""Loading disclosures: metadata read from the documents, and every kind of bad input refused clearly."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from common.errors import LoadError
from index.reading.load import load, load_paths

from expected_corpus import DATA, EXPECTED_META


@pytest.mark.parametrize("stem", sorted(EXPECTED_META))
def test_text_disclosure_metadata(stem):
    doc = load(DATA / f"{stem}.txt")
    assert doc.kind == "text"
    assert len(doc.pages) == 1  # no form feeds in the sample text files
    assert (doc.meta.district, doc.meta.year, doc.meta.department) == EXPECTED_META[stem]
    assert doc.id == stem and len(doc.sha256) == 64


def test_form_feeds_split_text_pages(tmp_path):
    path = tmp_path / "paged.txt"
    path.write_text("2024年深圳市南山区某局部门预算\n第一页\f第二页\f第三页", encoding="utf-8")
    assert [page.number for page in load(path).pages] == [1, 2, 3]


def pdf_with_text(lines: list[str]) -> bytes:
    """Given lines of Chinese text, return a one-page PDF with a real text layer."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setFont("STSong-Light", 12)
    for i, line in enumerate(lines):
        pdf.drawString(72, 760 - 20 * i, line)
    pdf.drawCentredString(A4[0] / 2, 30, "- 1 -")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """Return a PDF whose only page is a drawing, with no text layer (as a scan has none)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.rect(72, 400, 300, 200, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


GOOD_LINES = ["2024年深圳市南山区政务服务数据管理局部门预算", "部门名称：深圳市南山区政务服务数据管理局", "部门预算收入 1,234.56 万元。"]


def test_small_pdf_loads_with_metadata(tmp_path):
    path = tmp_path / "nanshan.pdf"
    path.write_bytes(pdf_with_text(GOOD_LINES))
    doc = load(path)
    assert doc.kind == "pdf" and len(doc.pages) == 1
    assert "1,234.56" in doc.pages[0].text and "- 1 -" not in doc.pages[0].text
    assert (doc.meta.district, doc.meta.year) == ("南山区", 2024)


def test_pdf_with_owner_password_only_still_loads(tmp_path):
    """Many government PDFs restrict copying with an owner password; they open without one."""
    path = tmp_path / "restricted.pdf"
    path.write_bytes(encrypted(pdf_with_text(GOOD_LINES), user_password=""))
    assert "1,234.56" in load(path).pages[0].text


BAD_INPUTS = {
    "empty.pdf": (lambda: b"", "文件为空", "empty"),
    "blank.txt": (lambda: b"  \n\n", "文件为空", "empty"),
    "truncated.pdf": (lambda: pdf_with_text(GOOD_LINES)[:400], "损坏", "corrupt"),
    "garbage.pdf": (lambda: b"%PDF-1.4\n" + bytes(range(256)) * 20, "损坏", "corrupt"),
    "locked.pdf": (lambda: encrypted(pdf_with_text(GOOD_LINES), user_password="secret"), "加密", "encrypted"),
    "scan.pdf": (scanned_pdf, "没有文字层", "no text layer"),
    "gbk.txt": (lambda: "2024年深圳市龙岗区部门预算收入 18,287.71 万元".encode("gbk"), "UTF-8", "not UTF-8"),
    "table.xlsx": (lambda: b"PK\x03\x04", "不支持的文件类型", "unsupported file type"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_names_file_and_cause(tmp_path, name):
    make, zh, en = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(LoadError) as error:
        load(path)
    message = str(error.value)
    assert name in message and zh in message and en in message


def test_folder_goes_on_past_bad_files_and_reports_them(tmp_path):
    for name, (make, _, _) in BAD_INPUTS.items():
        if name.endswith((".pdf", ".txt")):
            (tmp_path / name).write_bytes(make())
    (tmp_path / "good.pdf").write_bytes(pdf_with_text(GOOD_LINES))
    (tmp_path / "longgang-2024.txt").write_bytes((DATA / "longgang-2024.txt").read_bytes())
    report = load_paths([tmp_path])
    assert sorted(doc.id for doc in report.documents) == ["good", "longgang-2024"]
    assert sorted(error.path.name for error in report.failures) == sorted(
        name for name in BAD_INPUTS if name.endswith((".pdf", ".txt")))


def test_missing_file(tmp_path):
    with pytest.raises(LoadError, match="文件不存在"):
        load(tmp_path / "nowhere.pdf")
