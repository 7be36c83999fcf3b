"""Read a disclosure from PDF or text into a typed Document (pages, PDF tables, metadata).

Metadata (region, department, year, kind: index.reading.meta) is read from the document itself, never from the
file name, so that any disclosure dropped into the index is described correctly.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from common.errors import LoadError
from index.reading.meta import pages_to_meta
from index.model import Box, Document, Grid, GridCell, Page, TextLine
from common.printed import as_printed

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md")
FOLDER_NOTES = ("README", "LICENSE", "CHANGELOG")  # a folder's notes about its files are no disclosure
# pdfminer warns of every font it cannot measure ('Could not get FontBBox …' for each browser-made PDF);
# the text still extracts, and a person indexing their files should not have to read that.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

_PAGE_NUMBER_LINE = re.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+)\s*$")


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

    A folder contributes each supported file in it (recursively) but its notes (README …); a bad file never
    stops the rest.
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
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file()
                            and not p.stem.upper().startswith(FOLDER_NOTES))
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
    text = as_printed(text.replace("\r\n", "\n").replace("\r", "\n"))
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
    """Given a pdfplumber page, return its lines of text as printed (without page furniture) and its
    ruled tables as grids of cells with their boxes: the rules are what is drawn visibly (a word processor
    paints each cell's white background as a rectangle, which would otherwise cut merged cells apart)."""
    page = pdf_page.dedupe_chars().filter(is_visible)
    lines = strip_page_furniture(chars_to_lines(page.chars))
    closing = {"explicit_horizontal_lines": open_row_rules(page.edges)}
    grids = [table_to_grid(table, page.chars) for table in page.find_tables(table_settings=closing)]
    return Page(number=number, text="\n".join(line.text for line in lines), lines=lines, grids=grids,
                width=float(page.width), height=float(page.height))


def open_row_rules(edges: list[dict], tolerance: float = 1.5) -> list[dict]:
    """Given a page's visible edges, return the horizontal rules a table leaves out: where two or more vertical
    rules begin (or end) at the same height and no horizontal rule at all is drawn between them there, a row
    is open at that side (a table going on from the page before draws no top rule above its first row). A
    rule drawn over part of the width means merged cells, not an open row."""
    vertical = [e for e in edges if e["orientation"] == "v"]
    # the ends of a vertical rule drawn as a thin rectangle are horizontal edges a point long: no rule
    horizontal = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 3 * tolerance]
    other_side = {"top": "bottom", "bottom": "top"}
    rules = []
    for side in ("top", "bottom"):
        # where a vertical rule ends; a rule drawn in segments goes on through the joints between them
        ending = [e for e in vertical if not any(abs(o["x0"] - e["x0"]) <= tolerance
                                                 and abs(o[other_side[side]] - e[side]) <= tolerance for o in vertical)]
        for y in sorted({round(e[side]) for e in ending}):
            ends = [e for e in ending if abs(e[side] - y) <= tolerance]
            if len(ends) < 2:
                continue
            x0, x1 = min(e["x0"] for e in ends), max(e["x1"] for e in ends)
            if not any(abs(h["top"] - y) <= tolerance and h["x1"] > x0 + tolerance and h["x0"] < x1 - tolerance
                       for h in horizontal):
                at = sum(e[side] for e in ends) / len(ends)
                rules.append({"x0": x0, "x1": x1, "top": at, "bottom": at, "width": x1 - x0, "height": 0,
                              "orientation": "h", "object_type": "line"})
    return rules


def is_visible(obj: dict) -> bool:
    """Given a pdfplumber object, return whether it shows on the page: text always; a rectangle, line or
    curve when it is stroked or filled in a colour other than white."""
    if obj.get("object_type") not in ("rect", "line", "curve"):
        return True
    return bool(obj.get("stroke") and not is_white(obj.get("stroking_color"))
                or obj.get("fill") and not is_white(obj.get("non_stroking_color")))


def is_white(colour) -> bool:
    """Given a PDF colour (grey, RGB or CMYK components, or one number), return whether it is white."""
    if colour is None:
        return False
    parts = colour if isinstance(colour, (list, tuple)) else (colour,)
    if not all(isinstance(part, (int, float)) for part in parts):
        return False  # a pattern or named colour: shown
    if len(parts) == 4:
        return all(part <= 0.01 for part in parts)
    return all(part >= 0.99 for part in parts)


def chars_to_lines(chars: list[dict]) -> list[TextLine]:
    """Given a page's characters, return its lines of text as printed, top to bottom: a character belongs to
    the line whose first character shares its baseline, else whose box it overlaps over half its height. Some
    producers set numbers and quote marks a few points off the words of their line ('人员经费 万元' over
    '2152.26'); a fixed distance between tops (pdfplumber's 3 points) would put them on a line of their own.
    Others embed a font for digits and punctuation whose ascent and descent are wrong, so a figure's box
    stands half a line below the words it is printed with ('2026' before '年部门收支总体情况表', the ':' of
    '单位名称：'), while its baseline is theirs."""
    from pdfplumber.utils import extract_text

    lines: list[tuple[dict, list[dict]]] = []  # (first character, characters)
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        recent = list(reversed(lines[-4:]))
        found = next((members for first, members in recent if same_baseline(first, char)), None) or \
            next((members for first, members in recent if boxes_overlap(first, char)), None)
        if found is None:
            lines.append((char, [char]))
        else:
            found.append(char)
    lines.sort(key=lambda line: min(c["top"] for c in line[1]))
    text_lines = []
    for _, members in lines:
        text = line_text(sorted(members, key=lambda c: c["x0"]))
        if text:
            boxes = [glyph_box(c) for c in members]
            box = Box(min(b.x0 for b in boxes), min(b.top for b in boxes), max(b.x1 for b in boxes),
                      max(b.bottom for b in boxes))
            text_lines.append(TextLine(as_printed(text), box))
    return text_lines


LETTER_SPACED = 0.4  # a line with a space character between most of its characters is justified by spaces


def line_text(chars: list[dict]) -> str:
    """Given a line's characters left to right, return its text: a space where the characters stand apart (or a
    space character is printed), except in a line justified by a space between (nearly) every two characters
    ('2 0 2 6 年 年 初 预 算 数 1 4 , 7 7 0. 6 2 万 元'), whose spaces are layout, not words."""
    from pdfplumber.utils import extract_text

    printed = [c for c in chars if not c["text"].isspace()]
    if len(printed) >= 6 and len(chars) - len(printed) >= LETTER_SPACED * len(printed):
        widest = max(c.get("size") or (c["x1"] - c["x0"]) for c in printed)
        return extract_text(printed, x_tolerance=2 * widest, y_tolerance=1e6).strip()
    return extract_text(chars, y_tolerance=1e6).strip()


def boxes_overlap(first: dict, char: dict) -> bool:
    """Given the first character of a line and another character, return whether their boxes overlap over half
    the smaller height (a figure set a few points above the words of its line)."""
    overlap = min(first["bottom"], char["bottom"]) - max(first["top"], char["top"])
    return overlap >= 0.5 * min(char["bottom"] - char["top"], first["bottom"] - first["top"])


def same_baseline(first: dict, char: dict) -> bool:
    """Given the first character of a line and another character, both upright, return whether their baselines
    are within a third of the smaller size (a box may stand half a line off its glyph; a baseline does not)."""
    if not (first.get("upright") and char.get("upright") and first.get("matrix") and char.get("matrix")):
        return False
    size = min(first.get("size") or 0, char.get("size") or 0) or (char["bottom"] - char["top"])
    return abs(first["matrix"][5] - char["matrix"][5]) <= size / 3


ASCENT, DESCENT = 0.8, 0.2  # of a glyph's size, above and below its baseline (CJK fonts' em box)


def glyph_box(char: dict) -> Box:
    """Given a character, return where its glyph stands: for upright text from its baseline and size, which stay
    right where a font's ascent and descent put the character's box half a line off; else its box."""
    if not (char.get("upright") and char.get("matrix") and char.get("size")):
        return Box(char["x0"], char["top"], char["x1"], char["bottom"])
    baseline = char["y0"] + char["bottom"] - char["matrix"][5]  # the baseline, measured from the page's top
    return Box(char["x0"], baseline - ASCENT * char["size"], char["x1"], baseline + DESCENT * char["size"])


def char_middle(char: dict) -> tuple[float, float]:
    """Given a character, return the middle of its glyph (x, y from the top)."""
    box = glyph_box(char)
    return (box.x0 + box.x1) / 2, (box.top + box.bottom) / 2


def table_to_grid(table, chars: list[dict]) -> Grid:
    """Given a ruled table pdfplumber found and the page's characters, return its cells as printed with their
    boxes: a cell holds the characters whose glyph's middle stands in it, read into lines as the page's are."""
    placed = sorted(((char_middle(c), c) for c in chars), key=lambda item: item[0][0])
    xs = [middle[0] for middle, _ in placed]
    cells = []
    for row in table.rows:
        for box in row.cells:
            if box is None:
                continue
            x0, top, x1, bottom = map(float, box)
            inside = [c for (x, y), c in placed[bisect_left(xs, x0):bisect_right(xs, x1)] if top <= y <= bottom]
            text = "\n".join(line.text for line in chars_to_lines(inside))
            cells.append(GridCell(text, Box(x0, top, x1, bottom)))
    return Grid(Box(*map(float, table.bbox)), tuple(cells))


def strip_page_furniture(lines: list[TextLine]) -> list[TextLine]:
    """Given a page's lines, return them without a trailing page-number footer line."""
    lines = list(lines)
    while lines and _PAGE_NUMBER_LINE.match(lines[-1].text):
        lines.pop()
    return lines
