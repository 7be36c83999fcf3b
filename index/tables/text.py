"""Table pieces read from a page's text: tab-separated rows as printed, or space-flattened PDF text
whose cells are rebuilt from number patterns and the standard header trees.

    text_pages_to_pieces(pages)      each page's pieces, a page's leading rows continuing the table the
                                     page before ended with
      text_to_pieces(page)           title, 部门名称, 单位, header grid, body rows, notes, line span
        ├ tab_region_to_rows(…)      tab-separated text: rows of cells as printed
        └ raw_region_to_rows(…)      space-flattened text: cells rebuilt from number patterns
              ├ split_raw_line(line) label text and trailing value tokens of one line
              ├ match_header_tree(…) the standard header tree (table_kinds.yaml) → column paths
              └ tree_to_grid(…)      column paths → a header grid with merged cells left blank
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from index.tables.cells import _LEADING_CODE, _TAG, clean_text, is_value_token
from index.model import Page, TablePiece
from common.printed import match_key, nfkc_char
from index.tables.header import first_body_row, header_to_paths
from index.tables.kinds import HeaderNode, TableKind, is_note, knowledge, label_role, name_to_kind
from index.tables.titles import Title, department_in_name, find_titles, read_preamble, next_nonblank


def text_to_pieces(page: Page, previous: TablePiece | None = None) -> list[TablePiece]:
    """Given a page, return every table piece on it, in order.

    Each piece has its title (number as printed, name), 部门名称, 单位, header grid, body rows
    (lists of cell strings), notes and the [start, end) line span it covers on the page.
    Tab-separated tables are read as printed; space-flattened PDF text is rebuilt into cells.
    ``previous``, the last piece of the page before, lets rows at the top of this page that
    continue it without a repeated title become a piece of the same table.
    """
    lines = [pipes_to_tabs(line) for line in page.text.split("\n")]
    titles = find_titles(lines)
    pieces: list[TablePiece] = []
    first = titles[0].start if titles else len(lines)
    if previous is not None:
        piece = continuation_piece(lines, 0, first, previous, page.number)
        if piece:
            pieces.append(piece)
    for k, title in enumerate(titles):
        end = titles[k + 1].start if k + 1 < len(titles) else len(lines)
        pieces.append(region_to_piece(lines, title, end, page.number))
    return pieces


def pipes_to_tabs(line: str) -> str:
    """Given a line, return it with a markdown table row ('| a | b |') as tab-separated cells
    and a markdown separator row ('|---|---|') as a blank line; other lines unchanged."""
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1):
        return line
    if re.fullmatch(r"[|:\-\s]+", stripped):
        return ""
    return "\t".join(cell.strip() for cell in stripped[1:-1].split("|"))


def region_to_piece(lines: list[str], title: Title, end: int, page: int) -> TablePiece:
    """Given a page's lines, a title and where the next title begins, return the table piece."""
    std = name_to_kind(title.name, title.number)
    preamble = read_preamble(lines, title.end, end)
    department = preamble.department or department_in_name(title.name)
    if is_tabbed(lines, preamble.end, end):
        header, body, notes, last = tab_region_to_rows(lines, preamble.end, end, std)
    else:
        header, body, notes, last = raw_region_to_rows(lines, preamble.end, end, std)
    return TablePiece(
        title=title.text,
        number=title.number,
        name=title.name or (std.name if std else ""),
        department=department,
        unit=preamble.unit,
        header=header,
        body=body,
        page=page,
        span=(title.start, max(last, title.end)),
        notes=notes,
        kind=std.name if std else None,
        label=title.label,
    )


def continuation_piece(lines: list[str], start: int, end: int, previous: TablePiece, page: int) -> TablePiece | None:
    """Given the lines at the top of a page before its first title and the piece that ended the
    page before, return the rows that continue that table, or None if they are not table rows."""
    i = next_nonblank(lines, start)
    if i is None or i >= end:
        return None
    std = knowledge().by_name(previous.kind)
    if is_tabbed(lines, i, end):
        header, body, notes, last = tab_region_to_rows(lines, i, end, std)
    else:
        if not split_raw_line(lines[i]).values:
            return None
        header, body, notes, last = raw_region_to_rows(lines, i, end, std, known_header=previous.header)
    if not body:
        return None
    return TablePiece(title=previous.title, number=previous.number, name=previous.name,
                      department=previous.department, unit=previous.unit, header=header, body=body,
                      page=page, span=(i, last), notes=notes, kind=previous.kind, label=previous.label)


def is_tabbed(lines: list[str], start: int, end: int) -> bool:
    """Given a region of lines, return whether its table is tab-separated (not flattened)."""
    sample = [line for line in lines[start:end] if line.strip()][:12]
    return bool(sample) and sum("\t" in line for line in sample) * 2 >= len(sample)


def tab_region_to_rows(lines: list[str], start: int, end: int, std: TableKind | None
                       ) -> tuple[list[list[str]], list[list[str]], list[str], int]:
    """Given a region of tab-separated lines, return (header grid, body rows, notes, end line).

    The header is the leading rows without a number in them; the table stops at the first line
    without tabs that is not a note.
    """
    rows: list[list[str]] = []
    notes: list[str] = []
    last = start
    for i in range(start, end):
        line = lines[i]
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        filled = [cell for cell in cells if cell]
        if len(filled) == 1 and is_note(filled[0]):
            notes.append(clean_text(filled[0]))
            last = i + 1
            continue
        if "\t" not in line:
            if not rows:
                continue  # text between the title lines and the table
            break
        if notes:  # rows after the notes belong to something else
            break
        rows.append(cells)
        last = i + 1
    split = first_body_row(rows)
    return rows[:split], rows[split:], notes, last


@dataclass
class RawLine:
    """One line of flattened text: its label part and its trailing amounts."""

    text: str  # label text before the amounts ('' for a numbers-only line)
    values: list[str]  # trailing value tokens, as printed


def split_raw_line(line: str) -> RawLine:
    """Given a line of space-flattened table text, return its label text and the run of value
    tokens at its end: '2013701 行政运行 1,282 1,282 0' → ('2013701 行政运行', ['1,282', '1,282', '0'])."""
    tokens = line.split()
    k = len(tokens)
    while k > 0 and is_value_token(tokens[k - 1]):
        k -= 1
    return RawLine(" ".join(tokens[:k]), tokens[k:])


def split_raw_segments(line: str) -> list[tuple[str, list[str]]]:
    """Given a flattened line of a side-by-side table, return its (label, amounts) segments:
    '一、政府预算拨款 29,760 一、一般公共服务支出 29,173' → two segments."""
    segments: list[tuple[str, list[str]]] = []
    text: list[str] = []
    values: list[str] = []
    for token in line.split():
        if is_value_token(token) and (text or not segments or values):
            values.append(token)
            continue
        if values:
            segments.append((" ".join(text), values))
            text, values = [], []
        text.append(token)
    if text or values:
        segments.append((" ".join(text), values))
    return segments


def find_node(node: HeaderNode, key: str) -> tuple[int, int] | None:
    """Given a header node and normalised header text, return where one of its spellings stands."""
    for spelling in node.spellings:
        at = key.find(spelling)
        if at >= 0:
            return at, at + len(spelling)
    for pattern in node.patterns:
        found = pattern.search(key)
        if found:
            return found.span()
    return None


@dataclass
class MatchedHeader:
    """The standard header found in a flattened table's header text."""

    labels: list[str]  # label columns, as printed
    paths: list[tuple[str, ...]]  # value columns
    covered: int  # characters of header text the header needs (lines after it are row text)


def match_header_tree(std: TableKind, printed: str) -> MatchedHeader | None:
    """Given a standard table and its header text as printed (cells run together and broken
    over lines), return the label columns and value column paths found in it, or None.

    A node is kept when one of its spellings is in the text or one of its sub-columns is; the
    kept leaves, in the tree's order, are the columns.  Column names are taken as printed.
    """
    squeezed = "".join(c for c in _TAG.sub("", printed) if not c.isspace())
    key = "".join(nfkc_char(c) for c in squeezed)  # same length: positions in key are positions in squeezed
    covered = 0

    def visit(node: HeaderNode, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        nonlocal covered
        where = find_node(node, key)
        name = squeezed[where[0]:where[1]] if where else node.name
        below: list[tuple[str, ...]] = []
        for child in node.children:
            below += visit(child, prefix + (name,))
        if where:
            covered = max(covered, where[1])
        if below:
            return below
        return [prefix + (name,)] if where else []

    labels = []
    for label in std.labels:
        at = key.find(label)
        if at >= 0:
            labels.append((at, squeezed[at:at + len(label)]))
            covered = max(covered, at + len(label))
    prefix: tuple[str, ...] = ()
    if std.wrapper:
        where = find_node(std.wrapper, key)
        if where:
            prefix = (squeezed[where[0]:where[1]],)
            covered = max(covered, where[1])
    paths: list[tuple[str, ...]] = []
    for node in std.columns:
        paths += visit(node, prefix)
    if not paths:
        return None
    return MatchedHeader([text for _, text in sorted(labels)], paths, covered)


def tree_to_grid(labels: list[str], paths: list[tuple[str, ...]]) -> list[list[str]]:
    """Given label column names and value column paths, return a header grid as printed:
    a merged cell's text in its first column, '' where it continues (header_to_paths undoes it)."""
    depth = max([len(p) for p in paths] + [1])
    width = len(labels) + len(paths)
    grid = [[""] * width for _ in range(depth)]
    for j, label in enumerate(labels):
        grid[0][j] = label
    for j, path in enumerate(paths):
        col = len(labels) + j
        before = paths[j - 1] if j else ()
        for level, name in enumerate(path):
            if before[: level + 1] != path[: level + 1]:
                grid[level][col] = name
    return grid


@dataclass
class _RawRow:
    texts: list[str] = field(default_factory=list)  # label text, one entry per line it came from
    values: list[str] = field(default_factory=list)
    line_starts: set[int] = field(default_factory=set)  # value indexes that began a new line


def join_broken_numbers(values: list[str], line_starts: set[int], wanted: int) -> list[str]:
    """Given a row's value tokens, which of them began a line, and how many columns there are,
    return the tokens with amounts broken over two lines joined again ('12,510.0' + '0' →
    '12,510.00'), as many as it takes to make the count fit."""
    out: list[str] = []
    excess = len(values) - wanted
    for k, token in enumerate(values):
        if excess > 0 and k in line_starts and out and re.search(r"\.\d$", out[-1]) and re.fullmatch(r"\d", token):
            out[-1] += token
            excess -= 1
        else:
            out.append(token)
    return out


def raw_region_to_rows(lines: list[str], start: int, end: int, std: TableKind | None,
                       known_header: list[list[str]] | None = None
                       ) -> tuple[list[list[str]], list[list[str]], list[str], int]:
    """Given a region of space-flattened lines (PDF text), return (header grid, body rows, notes,
    end line), cells rebuilt from what the standard table's shape says and number patterns.

    The header is the lines before the first line ending in amounts; matched against the
    standard header tree it gives the columns, and header lines after the last header word are
    the first row's label.  ``known_header`` (a continuation page) stands in for a missing header.
    """
    numbered = [(i, lines[i]) for i in range(start, end) if lines[i].strip()]
    first_body = next((k for k, (_, line) in enumerate(numbered) if split_raw_line(line).values), len(numbered))
    if std and std.two_sided:
        return raw_two_sided(numbered, first_body, std, start)
    pre = [line for _, line in numbered[:first_body]]
    header: list[list[str]] = []
    labels: list[str] = []
    width = 0
    pending: list[str] = []
    leading: list[list[str]] = []  # text above a 绩效目标表's header (部门名称 …), kept as rows
    matched = match_header_tree(std, "\n".join(pre)) if std and std.columns and pre else None
    most = max([len(raw.values) for raw in (split_raw_line(line) for _, line in numbered[first_body:]) if raw.text]
               + [0])
    if matched and most > len(matched.paths):
        matched = None  # a row has more amounts than the standard header has columns: not this shape
    if matched:
        labels = matched.labels or ([std.labels[0]] if std.labels else [])
        header = tree_to_grid(labels, matched.paths)
        width = len(matched.paths)
        used, k = 0, 0
        while k < len(pre) and used < matched.covered:
            used += len(match_key(pre[k]))
            k += 1
        pending = [line.strip() for line in pre[k:]]
        if std.performance:
            first_label = next((j for j, line in enumerate(pre[:k])
                                if any(match_key(label) in match_key(line) for label in labels)), 0)
            leading = [[" ".join(line.split())] for line in pre[:first_label]]
    elif known_header:
        paths = header_to_paths(known_header)
        labels = [path[-1] for path in paths if path and label_role(path[-1])]
        width = len(paths) - len(labels)
    if not width:
        counts = Counter(len(raw.values) for raw in (split_raw_line(line) for _, line in numbered[first_body:])
                         if raw.text and raw.values)
        width = counts.most_common(1)[0][0] if counts else 1
        header, labels = generic_raw_header(pre, width)
    body, notes, last = raw_body_rows(numbered[first_body:], pending, labels, width, std)
    if first_body:
        last = max(last, numbered[first_body - 1][0] + 1)
    return header, leading + body, notes, max(last, start)


def generic_raw_header(pre: list[str], width: int) -> tuple[list[list[str]], list[str]]:
    """Given the header lines of an unknown flattened table and its number of value columns,
    return a one-row header grid (known label names first, then value names) and the labels."""
    tokens = [clean_text(t) for line in pre for t in line.split()]
    labels = [t for t in tokens if match_key(t) in knowledge().label_roles]
    names = [t for t in tokens if match_key(t) not in knowledge().label_roles]
    if len(names) != width:
        names = names[-width:] if len(names) > width else [f"第{j + 1}列" for j in range(width)]
    labels = labels or ["项目"]
    return [labels + names], labels


def raw_body_rows(numbered: list[tuple[int, str]], pending: list[str], labels: list[str], width: int,
                  std: TableKind | None) -> tuple[list[list[str]], list[str], int]:
    """Given the body lines of a flattened table, text left over from its header, its label
    columns and number of value columns, return (rows of cells, notes, end line).

    A label broken over lines is joined to the amounts that follow it; amounts broken over
    lines are joined back; the table stops at prose, a 第…部分 heading, or after its notes.  A
    绩效目标表's lines after its budget part (年度总体目标, 绩效指标 …) are kept one row each,
    as printed: their cells cannot be told apart by amounts.
    """
    rows: list[_RawRow] = []
    notes: list[str] = []
    texts: list[str] = list(pending)
    last = numbered[0][0] if numbered else 0
    performance = bool(std and std.performance)
    current: _RawRow | None = None
    tail: list[list[str]] = []
    for i, line in numbered:
        text = clean_text(line)
        if is_note(text):
            notes.append(text)
            last = i + 1
            continue
        if notes or re.match(r"^第[一二三四五六七八九十]+部分", text):
            break
        if performance and (tail or std.stop and std.stop.match(text)):
            tail.append([" ".join(line.split())])
            last = i + 1
            continue
        raw = split_raw_line(line)
        if performance and raw.text and len(raw.values) < width:
            raw = RawLine(text, [])  # a number inside the 主要内容 prose, not the amounts
        if not raw.values:
            if not performance and len(text) >= 40 and re.search(r"[。；]$", text):
                break  # prose after the table
            texts.append(line.strip())
            last = i + 1
            continue
        if not raw.text and not texts and current is not None and len(current.values) < width:
            current.line_starts.add(len(current.values))
            current.values += raw.values
            last = i + 1
            continue
        if performance and current is not None and texts:
            texts = hand_back_sentences(current, texts, raw.text)
        current = _RawRow(texts=texts + ([raw.text] if raw.text else []), values=list(raw.values))
        rows.append(current)
        texts = []
        last = i + 1
    return [raw_row_to_cells(row, labels, width, std) for row in rows] + tail, notes, last


def hand_back_sentences(previous: _RawRow, texts: list[str], own: str) -> list[str]:
    """Given the row before, the text lines gathered since and the new row's own text, move the
    lines up to the last one that ends a sentence back to the row before (its 主要内容 went on
    after its amounts) and return the lines that remain for the new row."""
    if not own:
        return texts
    ends = [k for k, text in enumerate(texts) if re.search(r"[。；;]$", text)]
    if not ends:
        return texts
    cut = ends[-1] + 1
    previous.texts += texts[:cut]
    return texts[cut:]


def raw_row_to_cells(row: _RawRow, labels: list[str], width: int, std: TableKind | None) -> list[str]:
    """Given a flattened row (label text lines and amounts) and the table's label columns,
    return its cells: label cells in column order (科目编码 split off the label, 年度 off its end),
    then exactly ``width`` value cells (blank when the amounts cannot be aligned)."""
    values = join_broken_numbers(row.values, row.line_starts, width)
    unaligned = ""
    if len(values) != width:  # amounts missing (blank cells are not printed) or extra: do not guess
        unaligned, values = "未对齐数值：" + " ".join(values), [""] * width
    roles = [knowledge().label_roles.get(match_key(label), "name") for label in labels]
    cells = [""] * len(labels)
    if std and std.performance:
        task, content = split_task(row.texts)
        for j, label in enumerate(labels):
            cells[j] = task if j == 0 else content if j == 1 else ""
        return cells + values + ([unaligned] if unaligned else [])
    text = clean_text(" ".join(row.texts))
    code = ""
    found = _LEADING_CODE.match(text)
    if found and "code" in roles:
        code, text = "".join(part for part in found.groups()[:3] if part), found.group(4)
    for j, role in enumerate(roles):
        if role == "extra" and match_key(labels[j]) == "年度":
            year = knowledge().year_cell.search(text)
            if year:
                cells[j] = clean_text(year.group(0))
                text = text[: year.start()].strip()
    if "code" in roles:
        cells[roles.index("code")] = code
    if code and "name" in roles:
        cells[roles.index("name")] = text
    elif text:
        target = roles.index("unit") if "unit" in roles else roles.index("name") if "name" in roles else 0
        if cells:
            cells[target] = text
        else:
            cells = [text]
    return cells + values + ([unaligned] if unaligned else [])


def split_task(texts: list[str]) -> tuple[str, str]:
    """Given the text lines of a 绩效目标表 budget row, return (任务名称, 主要内容): the first
    line (or word, on a one-line row), extended while its brackets are open."""
    if not texts:
        return "", ""
    if len(texts) == 1:
        parts = texts[0].split()
    else:
        parts = list(texts)
    task, k = parts[0], 1
    while k < len(parts) and task.count("（") + task.count("(") > task.count("）") + task.count(")"):
        task += parts[k]
        k += 1
    return clean_text(task), clean_text(" ".join(parts[k:]))


def raw_two_sided(numbered: list[tuple[int, str]], first_body: int, std: TableKind, start: int
                  ) -> tuple[list[list[str]], list[list[str]], list[str], int]:
    """Given the lines of a flattened 收支总表 (收入 | 支出 side by side), return its header grid,
    rows [收入项目, 金额…, 支出项目, 金额…], notes and end line.  A line with one label and its
    amounts is put on the side its label belongs to (standard_tables.yaml: sides)."""
    pre = "\n".join(line for _, line in numbered[:first_body])
    squeezed = "".join(c for c in _TAG.sub("", pre) if not c.isspace())
    key = match_key(pre)
    years: list[str] = []
    if std.year_column:
        for pattern in std.year_column.patterns:
            years += [squeezed[m.start():m.end()] for m in pattern.finditer(key)]
        years += [squeezed[at:at + len(sp)] for sp in std.year_column.spellings for at in _find_all(key, sp)]
    lines = numbered[first_body:]
    width = max([len(v) for _, line in lines for _, v in split_raw_segments(line)] + [1])
    names = years[:width] if len(years) >= 2 * width else (years + ["预算数"] * width)[:width]
    header = [["收入"] + [""] * width + ["支出"] + [""] * width, ["项目"] + names + ["项目"] + names]
    body: list[list[str]] = []
    notes: list[str] = []
    pending = ""
    last = numbered[first_body - 1][0] + 1 if first_body else start
    for i, line in lines:
        text = clean_text(line)
        if is_note(text):
            notes.append(text)
            last = i + 1
            continue
        if notes:
            break
        segments = split_raw_segments(line)
        if len(segments) == 1 and not segments[0][1]:
            pending += segments[0][0]
            last = i + 1
            continue
        sides: list[tuple[str, list[str]] | None] = [None, None]
        if len(segments) >= 2:
            sides = [segments[0], segments[1]]
        else:
            label = clean_text(pending + segments[0][0])
            income = knowledge().income_side.search(label) and not knowledge().expenditure_side.search(label)
            sides[0 if income else 1] = segments[0]
        cells: list[str] = []
        for k, side in enumerate(sides):
            label, values = side if side else ("", [])
            if k == 0 or len(segments) == 1:
                label = pending + label if side else label
            cells += [clean_text(label)] + (values + [""] * width)[:width]
        pending = ""
        body.append(cells)
        last = i + 1
    return header, body, notes, last


def _find_all(text: str, part: str) -> list[int]:
    found, at = [], text.find(part)
    while part and at >= 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found


def ends_page(page: Page, piece: TablePiece) -> bool:
    """Given a page and its last piece, return whether the piece runs to the end of the page."""
    if not piece.span:
        return False
    lines = page.text.split("\n")
    return not any(line.strip() for line in lines[piece.span[1]:])


def text_pages_to_pieces(pages: list[Page]) -> list[TablePiece]:
    """Given a document's pages, return the table pieces read from their text, in order: a page's leading
    rows continue the table the page before ended with."""
    pieces: list[TablePiece] = []
    previous: TablePiece | None = None
    for page in pages:
        found = text_to_pieces(page, previous)
        pieces += found
        previous = found[-1] if found and ends_page(page, found[-1]) else None
    return pieces
