"""Read a disclosure from PDF or text into a typed Document (pages, PDF tables, metadata).

Metadata (district, year, department) is read from the document itself, never from the
file name, so that any disclosure dropped into the index is described correctly.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from common.errors import LoadError
from index.model import Document, DocumentMeta, Page, PdfTable

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md")

_PAGE_NUMBER_LINE = re.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+)\s*$")
_ORG = r"深圳市[\u4e00-\u9fa5]{1,4}?区[\u4e00-\u9fa5（）()]{2,30}?(?:局|中心|委员会|办公室)(?:[（(]本级[)）])?"
_DEPARTMENT_LINE = re.compile(r"(?:部门|单位)名称\s*[:：]\s*(" + _ORG.replace("深圳市", r"\S{1,4}?市") + ")")
_DISTRICT = re.compile(r"市([\u4e00-\u9fa5]{1,4}?区)")
_YEAR_CONTEXT = re.compile(r"(20\d{2})\s*年\s*(?:度)?\s*(?:[\u4e00-\u9fa5]{0,20}?部门预算|主要工作目标|部门预算收入)")


@dataclass
class LoadReport:
    """What loading a set of paths gave: the documents read and the files refused, with why."""

    documents: list[Document] = field(default_factory=list)
    failures: list[LoadError] = field(default_factory=list)


def load(path: Path | str) -> Document:
    """Given a .pdf, .txt or .md path, return its Document, or raise LoadError naming the cause."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(path, "文件不存在", "file not found")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise LoadError(path, f"不支持的文件类型 {path.suffix}（仅支持 PDF、TXT、MD）",
                        f"unsupported file type {path.suffix} (PDF, TXT, MD only)")
    data = read_file(path)
    if not data.strip():
        raise LoadError(path, "文件为空", "the file is empty")
    if path.suffix.lower() == ".pdf":
        pages, kind = pdf_bytes_to_pages(path, data), "pdf"
    else:
        pages, kind = text_bytes_to_pages(path, data), "text"
    return Document(
        id=path.stem,
        source=path,
        kind=kind,
        pages=pages,
        meta=pages_to_meta(pages),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def read_file(path: Path) -> bytes:
    """Given a path, return its bytes, or raise LoadError when the file cannot be read (permissions, I/O)."""
    try:
        return Path(path).read_bytes()
    except OSError as error:
        cause = error.strerror or type(error).__name__
        raise LoadError(path, f"无法读取文件（{cause}）", f"cannot read the file ({cause})") from error


def load_paths(paths: list[Path | str]) -> LoadReport:
    """Given files and folders, return every document that loads and every file that does not.

    A folder contributes each supported file in it (recursively); a bad file never stops the rest.
    """
    report = LoadReport()
    for path in expand_paths(paths):
        try:
            report.documents.append(load(path))
        except LoadError as error:
            report.failures.append(error)
    return report


def expand_paths(paths: list[Path | str]) -> list[Path]:
    """Given files and folders, return the supported files they name, folders expanded and sorted."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file())
        else:
            files.append(path)
    return files


def text_bytes_to_pages(path: Path, data: bytes) -> list[Page]:
    """Given the bytes of a UTF-8 text file, return its pages (form feeds split pages)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoadError(
            path,
            f"不是 UTF-8 编码的文本（第 {error.start} 字节处无法解码），请先转换为 UTF-8（例如 GBK 文件可用 iconv -f GBK -t UTF-8）",
            f"not UTF-8 text (cannot decode at byte {error.start}); convert it to UTF-8 first "
            "(e.g. iconv -f GBK -t UTF-8 for a GBK file)",
        ) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [Page(number=i, text=chunk) for i, chunk in enumerate(text.split("\f"), start=1)]


def pdf_bytes_to_pages(path: Path, data: bytes) -> list[Page]:
    """Given the bytes of a PDF, return its pages with text and ruled tables.

    Refuses encrypted PDFs that need a password, broken files, and scans with no text layer.
    """
    import io

    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [pdf_page_to_page(number, page) for number, page in enumerate(pdf.pages, start=1)]
    except Exception as error:  # pdfminer raises many private error types for broken files
        raise pdf_error_to_load_error(path, error) from error
    if not pages:
        raise LoadError(path, "PDF 没有任何页面", "the PDF has no pages")
    if not any(page.text.strip() for page in pages):
        raise LoadError(path, "PDF 没有文字层（可能是扫描件），请先进行文字识别（OCR）",
                        "the PDF has no text layer (probably a scan); run OCR on it first")
    return pages


def pdf_error_to_load_error(path: Path, error: Exception) -> LoadError:
    """Given what pdfplumber raised for a file, return the LoadError that tells a person why."""
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
    if isinstance(cause, PDFPasswordIncorrect):
        return LoadError(path, "PDF 已加密，需要密码才能打开", "the PDF is encrypted and needs a password")
    detail = f"{type(cause).__name__}: {cause}".rstrip(": ")
    return LoadError(path, f"PDF 文件已损坏或不完整（{detail}）", f"the PDF is corrupt or truncated ({detail})")


def pdf_page_to_page(number: int, pdf_page) -> Page:
    """Given a pdfplumber page, return its text without page furniture, and its ruled tables."""
    text = strip_page_furniture(pdf_page.extract_text() or "")
    tables = [PdfTable(cells=table.extract(), bbox=tuple(table.bbox)) for table in pdf_page.find_tables()]
    return Page(number=number, text=text, tables=tables)


def strip_page_furniture(text: str) -> str:
    """Given a page's text, return it without a trailing page-number footer line."""
    lines = text.rstrip().split("\n")
    while lines and _PAGE_NUMBER_LINE.match(lines[-1]):
        lines.pop()
    return "\n".join(lines)


def pages_to_meta(pages: list[Page]) -> DocumentMeta:
    """Given a document's pages, return its title, district, year and department."""
    text = "\n".join(page.text for page in pages)
    title = text_to_title(text)
    department = text_to_department(text, title)
    district_match = _DISTRICT.search(department or title or text)
    years = Counter(int(y) for y in _YEAR_CONTEXT.findall(re.sub(r"\s+", "", title or "") + "\n" + text))
    return DocumentMeta(
        title=title,
        district=district_match.group(1) if district_match else None,
        year=years.most_common(1)[0][0] if years else None,
        department=department,
    )


def text_to_title(text: str) -> str | None:
    """Given a document's text, return its cover title (the lines before 目录), if it has one."""
    head = text.lstrip()[:300]
    cut = re.search(r"目\s*录|一、\s*文字部分", head)
    title = re.sub(r"\s+", "", head[: cut.start()] if cut else "")
    return title if 4 <= len(title) <= 80 and "预算" in title else None


def text_to_department(text: str, title: str | None) -> str | None:
    """Given a document's text, return the department it discloses (部门名称, else the title, else the most named)."""
    named = Counter(match.group(1) for match in _DEPARTMENT_LINE.finditer(text))
    if named:
        return named.most_common(1)[0][0]
    if title:
        found = re.search(_ORG, title)
        if found:
            return found.group(0)
    mentioned = Counter(re.findall(_ORG, re.sub(r"\s+", "", text)))
    return mentioned.most_common(1)[0][0] if mentioned else None
