"""A disclosure's section tree: 文字部分 › 第N部分 › 一、 › （一） › 1. › （1）, and 表格部分 › 表N titles.

The chain, each step a small function:

    document_to_lines        pages → stripped, non-blank lines, each with its page
    drop_table_of_contents   the 目录 block (cover and TOC) is not content
    split_off_tables         lines of the 文字部分 | lines from 表格部分 on (rows, left to the table parser); prose
                             printed after or between the tables goes with the text
    lines_to_paragraphs      wrapped lines of raw PDF text → whole paragraphs, each knowing its pages
    paragraphs_to_tree       paragraphs → Section nodes by heading level
    table_lines_to_section   表格部分 → one child per table title (表 1 收支总表 …)

Blank lines carry no meaning: clean text and raw PDF text both put them between wrapped lines.
A paragraph ends where a line ends with 。；：？！, where a heading starts, or after a heading
that is a title only (一、部门职责). Domain words (heading patterns, punctuation, title endings)
are the module constants below.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from index.model import Document, Section

# --- domain words -------------------------------------------------------------------------------

CN_DIGITS = "一二三四五六七八九"
CN_NUMERAL = "[一二三四五六七八九十百零〇]+"
TEXT_PART, TABLE_PART = "文字部分", "表格部分"

# (kind, level, pattern) in order of precedence; ``marker``, ``ord`` and ``rest`` are named groups.
HEADING_KINDS: tuple[tuple[str, int, str], ...] = (
    ("part", 1, rf"^(?P<marker>(?:(?P<ord>{CN_NUMERAL})[、.．]\s*)?)(?P<rest>{TEXT_PART}|{TABLE_PART})$"),
    ("chapter", 2, rf"^(?P<marker>第\s*(?P<ord>{CN_NUMERAL}|\d{{1,2}})\s*部分)[\s:：]*(?P<rest>.*)$"),
    ("cn", 3, rf"^(?P<marker>(?P<ord>{CN_NUMERAL})\s*、)\s*(?P<rest>.*)$"),
    ("cn_paren", 4, rf"^(?P<marker>[（(]\s*(?P<ord>{CN_NUMERAL})\s*[)）])\s*(?P<rest>.*)$"),
    # '1.' '1、' — not a decimal such as '1.5万元' nor a list of numbers '10、20 万元' wrapped to a
    # line start; '3.2023 年…' is item 3 about the year 2023
    ("arabic", 5, r"^(?P<marker>(?P<ord>\d{1,2})\s*(?:[.．](?!\d)|[.．](?=(?:19|20)\d\d\s*年)|、(?!\s*\d)))\s*(?P<rest>.*)$"),
    ("arabic_paren", 6, r"^(?P<marker>[（(]\s*(?P<ord>\d{1,2})\s*[)）])\s*(?P<rest>.*)$"),
    ("circled", 7, r"^(?P<marker>(?P<ord>[①-⑳]))\s*(?P<rest>.*)$"),
)
TABLE_TITLE_LEVEL = 2
TOC_TITLE = re.compile(r"^目\s*录$")
TABLE_TITLE = re.compile(rf"^表\s*(?P<number>\d{{1,2}}|{CN_NUMERAL})(?![\d一二三四五六七八九十])\s*[:：.．、]?\s*(?P<name>.*)$")

TABLE_NAME = re.compile(r"^.*表(?:\s*[（(][^）)]*[)）])?")
PARAGRAPH_END = "。；：？！;:?!"  # a line ending so ends its paragraph
TABLE_CELL_END = "。；;"  # in a table printed in the text part, '：' ends a label, not a paragraph
SENTENCE_END = "。！？!?"
TITLE_STOP = "。；：，？！;:,!?"  # ends a heading's title; ASCII ',' ':' only when not between digits
OPEN_ENDINGS = "，、,（(“‘《-—"  # a line ending so goes on below
HEADING_TITLE_MAX = 40  # characters of a heading kept as its title
# a heading line at least this share of the wrap width was wrapped, not ended: list items (level
# 4 and deeper) are often run-in, section titles rarely fill a line
FULL_LINE_RATIO = {1: 1.0, 2: 1.0, 3: 0.97}
FULL_LINE_RATIO_DEFAULT = 0.85
# a 第N部分 title that does not end so may continue on the next short line ('…经费预算' + '情况')
CHAPTER_TITLE_ENDINGS = ("情况", "概况", "解释", "说明", "目标", "职责", "部分")
# a table printed inside the text part (第七部分 重点项目): from its header row to 备注/注 or the
# next 第N部分, lines are rows and cell text, never headings
EMBEDDED_TABLE_HEADER = re.compile(r"项目名称(?:\s*[（(][^）)]*[)）])?\s*预算数?(?:\s*[（(][^）)]*[)）])?\s*(?:绩效目标)?")
EMBEDDED_TABLE_END = re.compile(r"^(?:备注|注)\s*[:：]")
CHAPTER_CONTINUATION_MAX = 8
AMOUNT_IN_TITLE = re.compile(r"\d\s*(?:亿元|万元|元|%|％)")  # a title with an amount keeps it in the text
BULLET = re.compile(r"^[-•·●▪]\s+")
DOT_LEADER = re.compile(r"[\s.…·．_-]{2,}\d*\s*$|\s+\d{1,3}\s*$")
# characters a PDF may print for list markers, as the ASCII the patterns expect
MARKER_TRANSLATION = str.maketrans(
    {**{chr(0x2488 + i): f"{i + 1}." for i in range(20)},  # ⒈ … ⒛
     **{chr(0xFF10 + i): str(i) for i in range(10)},  # full-width digits
     "．": ".", "\u3000": " ", "\xa0": " "}
)


# --- intermediate objects -----------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    text: str
    page: int


@dataclass(frozen=True)
class Heading:
    """What a heading line says: its kind and level, its number, marker and the words after it."""

    kind: str
    level: int
    ordinal: int | None
    marker: str
    rest: str  # everything after the marker on the paragraph
    spaced: bool = False  # whether the marker is printed with a space after it

    @property
    def title(self) -> str:
        """The heading's own words: up to the first clause punctuation, at most HEADING_TITLE_MAX characters."""
        cut = first_break(self.rest, TITLE_STOP)
        title = self.rest[:cut].strip() if cut is not None else self.rest.strip()
        return title if len(title) <= HEADING_TITLE_MAX else title[:HEADING_TITLE_MAX] + "…"

    @property
    def text(self) -> str:
        """The heading as shown in a section path, e.g. '第二部分 部门预算收支总体情况', '（一）人员支出 760.07 万元'."""
        gap = " " if self.kind == "chapter" or self.spaced else ""
        return collapse_spaces(f"{self.marker.strip()}{gap}{self.title}").strip()

    @property
    def run_in(self) -> bool:
        """Whether the heading line goes on with content of its own ('（一）人员支出 760.07 万元，主要是…')."""
        rest = self.rest.strip()
        return self.kind not in ("part", "chapter") and (self.title != rest or bool(AMOUNT_IN_TITLE.search(rest)))


@dataclass
class Paragraph:
    """Lines joined into one paragraph, with the page each stretch of its text stands on."""

    text: str
    pages: list[tuple[int, int]]  # (offset in text, page) where each joined line starts
    heading: Heading | None = None

    @property
    def first_page(self) -> int:
        return self.pages[0][1]

    @property
    def last_page(self) -> int:
        return self.pages[-1][1]

    @property
    def body(self) -> str:
        """The text after the heading marker (the whole text when the paragraph is no heading)."""
        return self.heading.rest.strip() if self.heading else self.text

    def page_at(self, offset: int) -> int:
        """Given an offset in ``text``, return the page that character stands on."""
        page = self.pages[0][1]
        for start, number in self.pages:
            if start > offset:
                break
            page = number
        return page


@dataclass
class _Builder:
    """A node while the tree is built: its paragraphs are joined into ``Section.text`` at the end."""

    section: Section
    ordinal: int | None = None
    paragraphs: list[str] = field(default_factory=list)
    children: list[_Builder] = field(default_factory=list)


# --- the chain ----------------------------------------------------------------------------------

def document_to_sections(doc: Document) -> Section:
    """Given a loaded document, return its section tree (root: level 0, heading = title or id)."""
    lines = drop_table_of_contents(document_to_lines(doc))
    text_lines, table_lines = split_off_tables(lines)
    paragraphs = lines_to_paragraphs(text_lines)
    root = paragraphs_to_tree(document_title(doc), paragraphs)
    if table_lines:
        root.children.append(table_lines_to_section(table_lines))
        root.last_page = max(root.last_page, root.children[-1].last_page)
    return root


def document_to_paragraphs(doc: Document) -> list[Paragraph]:
    """Given a loaded document, return the paragraphs of its text part (before 表格部分), in order."""
    text_lines, _ = split_off_tables(drop_table_of_contents(document_to_lines(doc)))
    return lines_to_paragraphs(text_lines)


def document_title(doc: Document) -> str:
    """Given a document, return the heading of its root: its cover title, else its id."""
    return doc.meta.title or doc.id


def document_to_lines(doc: Document) -> list[Line]:
    """Given a document, return the non-blank lines of its prose (a PDF's ruled tables are left to the table
    reader), stripped, list markers made ASCII, each with its page."""
    lines = []
    for page in doc.pages:
        for raw in page.prose.split("\n"):
            text = raw.translate(MARKER_TRANSLATION).strip()
            if text:
                lines.append(Line(text, page.number))
    return rejoin_chapter_titles(lines)


def rejoin_chapter_titles(lines: list[Line]) -> list[Line]:
    """Given lines, return them with a 第N部分 title's last word moved back from the next line.

    A PDF may wrap '第五部分 一般公共预算“三公”经费预算' and run its last word into the next
    paragraph ('情况2023 年“三公”经费预算…'): the word goes back to the title, the rest stays.
    """
    result = list(lines)
    for i in range(len(result) - 1):
        heading = match_heading(result[i].text)
        if heading is None or heading.kind != "chapter" or heading.rest.strip().endswith(CHAPTER_TITLE_ENDINGS):
            continue
        following = result[i + 1]
        ending = next((e for e in CHAPTER_TITLE_ENDINGS if following.text.startswith(e)), None)
        rest = following.text[len(ending):].strip() if ending else ""
        if ending and rest:
            result[i] = Line(result[i].text + ending, result[i].page)
            result[i + 1] = Line(rest, following.page)
    return result


def drop_table_of_contents(lines: list[Line]) -> list[Line]:
    """Given a document's lines, return them without the cover lines before 目录 and the 目录 block.

    The block ends where its first entry appears a second time (the real heading); failing that,
    at the first line that reads as prose rather than as an entry.
    """
    start = next((i for i, line in enumerate(lines[:120]) if TOC_TITLE.match(collapse_spaces(line.text))), None)
    if start is None:
        return lines
    entries = [i for i in range(start + 1, len(lines)) if toc_key(lines[i].text)]
    if not entries:
        return lines[start + 1:]
    first_key = toc_key(lines[entries[0]].text)
    repeat = next((i for i in range(entries[0] + 1, len(lines)) if toc_key(lines[i].text) == first_key), None)
    if repeat is not None:
        return lines[repeat:]
    end = next((i for i in range(start + 1, len(lines)) if not is_toc_entry(lines[i].text)), len(lines))
    return lines[end:]


def toc_key(text: str) -> str:
    """Given a line, return it as a 目录 entry would print it: no bullet, dot leader, page number or spaces."""
    text = DOT_LEADER.sub("", BULLET.sub("", text.strip()))
    return re.sub(r"\s+", "", text)


def is_toc_entry(text: str) -> bool:
    """Given a line after 目录, return whether it reads as an entry (a heading or table title, no prose)."""
    key = BULLET.sub("", text.strip())
    if match_heading(key) or TABLE_TITLE.match(key):
        return True
    return len(key) <= 30 and not any(mark in key for mark in SENTENCE_END + "，,")


def split_off_tables(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Given content lines, return the lines before 表格部分 and the lines from its heading on.

    Without a 表格部分 heading, the tables start at a first table title ('表 1', '表一：…'), if any.
    """
    for i, line in enumerate(lines):
        heading = match_heading(line.text)
        if heading and heading.kind == "part" and heading.rest == TABLE_PART:
            return with_prose_after(lines[:i], lines[i:])
    for i, line in enumerate(lines):
        title = TABLE_TITLE.match(line.text)
        if title and cn_to_int(title.group("number")) == 1 and table_name_at(lines, i).endswith("表"):
            return with_prose_after(lines[:i], [Line(TABLE_PART, line.page)] + lines[i:])
    return lines, []


def with_prose_after(text_lines: list[Line], table_lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Given the lines before the tables and those from the tables on, return them with the prose printed after
    or between the tables (三、决算报表说明 after the 决算 tables) moved to the text: a run that opens with a
    section heading (第N部分, 一、, （一）) followed by sentences and goes on while sentences, headings and the
    wrapped lines between sentences do, up to the next table's title. A table's cells, even sentences in a
    form, open with no such heading."""
    prose = [is_prose_line(line.text) for line in table_lines]
    moved = [False] * len(table_lines)
    k = 0
    while k < len(table_lines) - 1:
        heading = match_heading(table_lines[k].text)
        if not (heading and heading.kind in RUN_OPENERS and prose[k + 1]):
            k += 1
            continue
        moved[k] = True
        k += 1
        while k < len(table_lines) and not TABLE_TITLE.match(table_lines[k].text) and (
                prose[k] or match_heading(table_lines[k].text)
                or (k + 1 < len(table_lines) and prose[k - 1] and prose[k + 1])):
            moved[k] = True
            k += 1
    return text_lines + [l for l, m in zip(table_lines, moved) if m], [l for l, m in zip(table_lines, moved) if not m]


RUN_OPENERS = ("chapter", "cn", "cn_paren")  # the headings that open prose after the tables


PROSE_MIN_CHARS = 12


BARE_AMOUNT = re.compile(r"(?<![\d.,])\d[\d,]*\.\d+(?![\d.,]|\s*(?:万元|亿元|元|%|％))")


def is_prose_line(text: str) -> bool:
    """Given a line from the table part, return whether it is running text: long enough, with a sentence's
    punctuation (，。；), no table's title and not a row's cells (tabs, or several amounts without a unit)."""
    return len(text) >= PROSE_MIN_CHARS and any(mark in text for mark in "，。；") and not TABLE_TITLE.match(text) \
        and "\t" not in text and len(BARE_AMOUNT.findall(text)) < 2


# --- headings -------------------------------------------------------------------------------------

def match_heading(text: str) -> Heading | None:
    """Given a line or paragraph, return the heading it starts with, or None."""
    text = text.strip()
    for kind, level, pattern in _HEADING_PATTERNS:
        match = pattern.match(text)
        if match:
            ordinal = match.group("ord")
            spaced = match.end("marker") < len(text) and text[match.end("marker")].isspace()
            return Heading(kind, level, cn_to_int(ordinal) if ordinal else None, match.group("marker"),
                           match.group("rest"), spaced)
    return None


_HEADING_PATTERNS = tuple((kind, level, re.compile(pattern)) for kind, level, pattern in HEADING_KINDS)


def is_title_only(line: Line, heading: Heading, wrap_width: float) -> bool:
    """Given a heading line, return whether it is a title alone (the paragraph ends with it).

    A title has no clause punctuation and fits HEADING_TITLE_MAX; a list item (（一）, 1.) that
    fills the line is taken to be wrapped, not a title, since its content goes on below.
    """
    if heading.kind in ("part", "chapter"):
        return True
    rest = heading.rest.strip()
    if first_break(rest, TITLE_STOP) is not None or len(rest) > HEADING_TITLE_MAX or rest.endswith(tuple(OPEN_ENDINGS)):
        return False
    return display_width(line.text) < wrap_width * FULL_LINE_RATIO.get(heading.level, FULL_LINE_RATIO_DEFAULT)


def continues_chapter_title(paragraph: Paragraph, line: Line) -> bool:
    """Given a 第N部分 heading paragraph and the next line, return whether that line is the title's wrapped end."""
    if paragraph.heading is None or paragraph.heading.kind != "chapter" or len(paragraph.pages) != 1:
        return False
    title, text = paragraph.heading.rest.strip(), line.text.strip()
    return (bool(title) and not title.endswith(CHAPTER_TITLE_ENDINGS) and len(text) <= CHAPTER_CONTINUATION_MAX
            and first_break(text, TITLE_STOP + "、") is None and not re.search(r"\d", text) and match_heading(text) is None)


# --- paragraphs -----------------------------------------------------------------------------------

def lines_to_paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Given the lines of the text part, return its paragraphs, wrapped lines joined into sentences."""
    wrap_width = line_wrap_width(lines)
    paragraphs: list[Paragraph] = []
    current: Paragraph | None = None
    closed = True  # whether the current paragraph takes no more lines
    for line, in_table in zip(lines, embedded_table_flags(lines)):
        heading = match_heading(line.text)
        if in_table and heading is not None and heading.level > 2:
            heading = None  # '2.电话及网络费…' in a table cell is no section
        if current is not None and heading is None and "\t" not in line.text and (
                not closed or continues_chapter_title(current, line)):
            current.pages.append((len(current.text), line.page))
            current.text = join_wrapped(current.text, line.text)
            current.heading = match_heading(current.text) if current.heading else None
        else:
            current = Paragraph(line.text, [(0, line.page)], heading)
            paragraphs.append(current)
        closed = ends_paragraph(current, line, in_table, wrap_width)
    return paragraphs


def ends_paragraph(paragraph: Paragraph, line: Line, in_table: bool, wrap_width: float) -> bool:
    """Given a paragraph, its last line so far and whether that is a table row, return whether it is complete.

    It is when the line ends with 。；：？！ (in a table only 。；), is tab-separated or a table's
    header row, or when the paragraph is a heading that is a title only.
    """
    ends = TABLE_CELL_END if in_table else PARAGRAPH_END
    if paragraph.text.endswith(tuple(ends)) or "\t" in line.text:
        return True
    header = EMBEDDED_TABLE_HEADER.match(line.text) if in_table else None
    if header and not line.text[header.end():].strip():  # a header row alone; one run into a row goes on
        return True
    if paragraph.heading is not None and paragraph.heading.kind in ("part", "chapter"):
        return True
    return (paragraph.heading is not None and len(paragraph.pages) == 1
            and is_title_only(line, paragraph.heading, wrap_width))


def embedded_table_flags(lines: list[Line]) -> list[bool]:
    """Given lines, return for each whether it is a row of a table printed inside the text part."""
    flags, inside = [], False
    for line in lines:
        heading = match_heading(line.text)
        if EMBEDDED_TABLE_END.match(line.text) or (heading is not None and heading.level <= 2):
            inside = False
        elif EMBEDDED_TABLE_HEADER.match(line.text):
            inside = True
        flags.append(inside)
    return flags


def join_wrapped(text: str, more: str) -> str:
    """Given a paragraph so far and its next wrapped line, return them joined as one run of text.

    CJK text wraps anywhere, so the break is simply removed; only two ASCII words keep a space.
    """
    if not more:
        return text
    if text and re.match(r"[A-Za-z]", text[-1]) and re.match(r"[A-Za-z]", more[0]):
        return f"{text} {more}"
    return text + more


def line_wrap_width(lines: list[Line]) -> float:
    """Given lines, return the width at which they were wrapped (the 75th percentile of line widths)."""
    widths = sorted(display_width(line.text) for line in lines if "\t" not in line.text)
    return float(widths[int(len(widths) * 0.75)]) if widths else 0.0


def display_width(text: str) -> int:
    """Given text, return its printed width: wide (CJK, full-width) characters count 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --- the tree -------------------------------------------------------------------------------------

def paragraphs_to_tree(title: str, paragraphs: list[Paragraph]) -> Section:
    """Given the root's title and the text part's paragraphs, return the section tree they make.

    A heading closes every open node of its level or deeper. A paragraph that introduces a list
    ('…主要职责：') just before that list restarts at 1 belongs to the list's parent, not to the
    last item of the previous list.
    """
    root = _Builder(Section(heading=title, level=0, path=(), first_page=first_page_of(paragraphs),
                            last_page=first_page_of(paragraphs)))
    stack = [root]
    for i, paragraph in enumerate(paragraphs):
        heading = paragraph.heading
        if heading is not None:
            while stack[-1].section.level >= heading.level:
                stack.pop()
            parent = stack[-1]
            node = _Builder(Section(heading=heading.text, level=heading.level,
                                    path=parent.section.path + (heading.text,),
                                    first_page=paragraph.first_page, last_page=paragraph.last_page),
                            ordinal=heading.ordinal)
            parent.children.append(node)
            stack.append(node)
            if heading.run_in:
                node.paragraphs.append(paragraph.body)
        else:
            restart = list_restart_level(paragraph, paragraphs[i + 1] if i + 1 < len(paragraphs) else None, stack)
            while restart is not None and len(stack) > 1 and stack[-1].section.level >= restart:
                stack.pop()
            stack[-1].paragraphs.append(paragraph.text)
        for open_node in stack:
            open_node.section.last_page = max(open_node.section.last_page, paragraph.last_page)
    return finish(root)


def list_restart_level(paragraph: Paragraph, following: Paragraph | None, stack: list[_Builder]) -> int | None:
    """Given a plain paragraph, the next one and the open nodes, return the level of a list it introduces anew.

    That is: the paragraph ends with a colon, the next paragraph is item 1 of a kind of list
    already open with a later item; else None.
    """
    if following is None or following.heading is None or not paragraph.text.endswith(("：", ":")):
        return None
    level = following.heading.level
    open_item = next((node for node in stack if node.section.level == level), None)
    if following.heading.ordinal == 1 and open_item is not None and (open_item.ordinal or 0) > 1:
        return level
    return None


def finish(builder: _Builder) -> Section:
    """Given a node under construction, return its Section with text and children filled in."""
    section = builder.section
    section.text = "\n".join(p for p in builder.paragraphs if p)
    section.children = [finish(child) for child in builder.children]
    return section


def first_page_of(paragraphs: list[Paragraph]) -> int:
    return paragraphs[0].first_page if paragraphs else 1


# --- the table part -------------------------------------------------------------------------------

def table_lines_to_section(lines: list[Line]) -> Section:
    """Given the lines from the 表格部分 heading on, return its node with one child per table title.

    A title printed again on the next page (a table continued) extends its node's pages.
    """
    heading = match_heading(lines[0].text)
    text = heading.text if heading else TABLE_PART
    part = Section(heading=text, level=1, path=(text,), first_page=lines[0].page, last_page=lines[-1].page)
    for i, line in enumerate(lines):
        match = TABLE_TITLE.match(line.text)
        if not match:
            continue
        number = match.group("number")
        gap = " " if number.isdigit() else ""
        title = collapse_spaces(f"表{gap}{number} {table_name_at(lines, i)}").strip()
        if part.children and part.children[-1].heading == title:
            part.children[-1].last_page = line.page
            continue
        if part.children:
            part.children[-1].last_page = max(part.children[-1].last_page, lines[i - 1].page)
        part.children.append(Section(heading=title, level=TABLE_TITLE_LEVEL, path=(text, title),
                                     first_page=line.page, last_page=line.page))
    return part


def table_name_at(lines: list[Line], i: int) -> str:
    """Given lines and the index of a table title line, return the table's name (same or next line)."""
    match = TABLE_TITLE.match(lines[i].text)
    name = match.group("name").strip() if match else ""
    if not name and i + 1 < len(lines):
        name = lines[i + 1].text.strip()
    ends = TABLE_NAME.match(name)  # the name ends at its last 表 (and a bracket after it)
    return collapse_spaces(ends.group(0) if ends else name)


# --- small helpers --------------------------------------------------------------------------------

def first_break(text: str, stops: str) -> int | None:
    """Given text and punctuation, return the offset of the first such mark (not a ',' or ':' inside a number)."""
    for i, ch in enumerate(text):
        if ch in stops and not is_inside_number(text, i):
            return i
    return None


def is_inside_number(text: str, i: int) -> bool:
    """Given text and an offset holding ',' or ':', return whether it stands between two digits (18,287)."""
    return (text[i] in ",:" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit())


def collapse_spaces(text: str) -> str:
    """Given text, return it with each run of whitespace made one space."""
    return re.sub(r"\s+", " ", text)


def cn_to_int(numeral: str) -> int | None:
    """Given a number written with ASCII digits, CJK numerals (十一, 二十三) or circled digits, return its value."""
    numeral = numeral.strip()
    if numeral.isascii() and numeral.isdigit():
        return int(numeral)
    if len(numeral) == 1 and "①" <= numeral <= "⑳":
        return ord(numeral) - ord("①") + 1
    digits = {d: i + 1 for i, d in enumerate(CN_DIGITS)} | {"零": 0, "〇": 0}
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        if (tens and tens not in digits) or (units and units not in digits):
            return None
        return digits.get(tens, 1) * 10 + digits.get(units, 0)
    if len(numeral) == 1 and numeral in digits:
        return digits[numeral]
    return None
