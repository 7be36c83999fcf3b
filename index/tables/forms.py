"""Forms: grids that pair labels and figures across each row ('项目资金总额 | 4,100,000.00 | 年度资金申请总额 |
4,100,000.00'), as a project's 绩效目标填报表 prints its funds and indicators, rather than columns of figures.

    is_form(body)                    some columns hold labels in some rows and figures in others
    form_tables(group, base)         one table of the form's figures: each figure under the label before it
                                     in its row, the labels further left (and spanning down) above it; in a
                                     block of the form under a row of headers (一级指标 | 二级指标 | 三级指标 |
                                     指标值; 指标名称 | 指标性质 | 指标值 | 计量单位) a printed row is a row: named
                                     by its label columns, its figures under their headers, its other text
                                     (指标性质 ≥, 计量单位 %) kept beside them
"""
from __future__ import annotations

import re
from decimal import Decimal

from index.tables.cells import clean_text, is_blank_marker, is_real_number
from index.model import BudgetTable, TablePiece, TableRow
from common.numbers import parse_number
from index.tables.kinds import knowledge, label_role

# A figure inside the text of a form's cell: '≥13459.00(平方米)', '=12.00(次)', '90.00(度)' — one number,
# an optional comparison sign before it and a unit in brackets after it.
AMOUNT_IN_TEXT = re.compile(r"^(?P<sign>[≥≤><=＝≧≦]|不少于|不低于|不超过)?\s*(?P<number>\d[\d,]*(?:\.\d+)?)"
                            r"\s*(?:[(（](?P<unit>[^()（）]{1,6})[)）]|(?P<tail>%|万元|元|人|个|次|项|场|天))?$")
MIXED_COLUMNS = 2  # a grid is a form when at least this many columns mix labels and figures
PROSE_CHARS = 20  # a cell of at least this many characters is text, not a label


def is_figure(text: str) -> bool:
    """Given a cell's text, return whether it prints a figure (a number, or one amount with its sign and unit)."""
    return is_real_number(text) or AMOUNT_IN_TEXT.match(text) is not None


def is_form(rows: list[list[str | None]]) -> bool:
    """Given a grid's body rows, return whether it is a form: several of its columns hold labels in some rows and
    figures in others (a table of figures keeps each column one or the other)."""
    width = max((len(row) for row in rows), default=0)
    mixed = 0
    for c in range(width):
        texts = [clean_text(row[c]) for row in rows if c < len(row) and row[c] and clean_text(row[c])]
        figures = [t for t in texts if is_figure(t)]
        labels = [t for t in texts if not is_figure(t) and not is_blank_marker(t)]
        if figures and labels:
            mixed += 1
    return mixed >= MIXED_COLUMNS


def spanning(cell: str) -> str:
    """Given the cell above that spans down over a position, return what the position reads: the label, not a
    figure (a figure is printed once)."""
    text = clean_text(cell)
    return "" if is_figure(text) else text


def figure_value(text: str) -> tuple[Decimal, str | None] | None:
    """Given a figure's text, return its value and the unit printed with it, if it holds one amount."""
    if is_real_number(text):
        return parse_number(text), None
    found = AMOUNT_IN_TEXT.match(text)
    if not found:
        return None
    return Decimal(found.group("number").replace(",", "")), found.group("unit") or found.group("tail")


def form_subject(rows: list[TableRow]) -> str | None:
    """Given a form's rows, return what it is about: the text its 项目名称 row prints, if it has one."""
    return next((text for row in rows if knowledge().form_subject.match(row.label) for text in row.extra.values()
                 if text), None)


def form_tables(group: list[TablePiece], base: dict) -> list[BudgetTable]:
    """Given the pieces of one form, return it as one table: a row per figure, its label the text before it in
    its row, what it stands under the labels further left (a label spanning down counts in every row it
    covers), its column the header of its block (or none); a printed row with no figure is a row of labels.
    A printed row of a block with a header row is read as a table's row (block_row)."""
    columns: list[tuple[str, ...]] = [()]
    rows: list[TableRow] = []
    line = 0
    for piece in group:
        headers: dict[int, str] = {}  # column → header text of the block the rows are in
        above: dict[int, str] = {}  # column → the label cell spanning down over it
        first_of_block = False
        for printed in [*piece.header, *piece.body]:
            cells = [spanning(above.get(c, "")) if cell is None else clean_text(cell) for c, cell in enumerate(printed)]
            above.update({c: cell for c, cell in enumerate(printed) if cell is not None})
            if sum(1 for t in cells if knowledge().form_header.search(t)) >= 2:
                headers = {c: t for c, t in enumerate(cells) if t}  # a block's header row
                line += 1
                first_of_block = True
                continue
            placed = dict(page=piece.page, budget_unit=base["department"], line=line, printed="\t".join(cells))
            if headers and (first_of_block or any(cells[c] for c in headers if c < len(cells))):
                rows.append(block_row(cells, printed, headers, columns, placed))  # a blank first row is the block's
            else:
                found = pair_rows(cells, printed, headers, columns, placed)
                if rows and is_lone_label(found) and is_lone_label(rows[-1:]) and rows[-1].page == piece.page \
                        and len(found[0].label) >= PROSE_CHARS > len(rows[-1].label):
                    caption = rows[-1]  # a heading alone above its text alone: the text is the heading's field
                    caption.extra, caption.printed = {"第1项": found[0].label}, f"{caption.printed}\t{found[0].label}"
                    continue
                rows += found
            line += 1
            first_of_block = False
    subject = form_subject(rows)
    for row in rows:  # the columns a later block added; the form's subject above every figure
        if subject and any(v is not None for v in row.values):
            row.under = (subject, *row.under)
        missing = len(columns) - len(row.values)
        row.values += [None] * missing
        row.cells += [""] * missing
        row.boxes += [None] * missing
    if not any(piece.unit for piece in group) and any(row.unit for row in rows) \
            and all(row.unit for row in rows if any(v is not None for v in row.values)):
        base = {**base, "unit": None}  # no unit printed, and every figure carries its own (计量单位): none taken
    return [BudgetTable(**base, label_columns=[], columns=columns, rows=rows)]


def is_lone_label(rows: list[TableRow]) -> bool:
    """Given the rows read from one printed row, return whether it printed one label alone (no figure, no field)."""
    return len(rows) == 1 and all(v is None for v in rows[0].values) and not rows[0].extra and not rows[0].under \
        and sum(1 for cell in rows[0].printed.split("\t") if cell) == 1


def column_at(column: tuple[str, ...], columns: list[tuple[str, ...]]) -> int:
    """Given a column and the form's columns so far, return its index, adding it when new."""
    if column not in columns:
        columns.append(column)
    return columns.index(column)


def block_row(cells: list[str], printed: list, headers: dict[int, str], columns: list[tuple[str, ...]],
              placed: dict) -> TableRow:
    """Given a printed row of a block under a header row, return it as one row: named by the last filled cell of
    the block's label columns (三级指标, 指标名称), standing under those before it (一级指标; a 项目名称 spanning
    down), each figure under its column's header, the other text under its header beside them."""
    labels = [c for c in sorted(headers) if label_role(headers[c]) in ("unit", "name")]
    names = [cells[c] for c in labels if c < len(cells) and cells[c] and not is_figure(cells[c])]
    values, texts, boxes, extra, unit = {}, {}, {}, {}, None
    for c, text in enumerate(cells):
        if not text or c in labels:
            continue
        numbering = c in headers and label_role(headers[c]) == "extra"  # 序号: a number that counts rows
        found = figure_value(text) if is_figure(text) and c in headers and not numbering else None
        if found is None:
            extra[headers.get(c, f"第{c + 1}列")] = text
            if c in headers and knowledge().form_unit.match(headers[c]):
                unit = text  # the row's own unit (计量单位)
            continue
        at = column_at((headers[c],), columns)
        values[at], texts[at], boxes[at] = found[0], text, getattr(printed[c], "box", None)
        unit = unit or found[1]
    for c, header in headers.items():  # the block's figure columns, blank in this row or not
        if c not in labels and knowledge().form_value.search(header):
            at = column_at((header,), columns)
            texts.setdefault(at, "")
    width = max([*values, *texts], default=0) + 1
    group = next((h for c, h in sorted(headers.items()) if c not in labels and not knowledge().form_header.search(h)), "")
    return TableRow(kind="named", label=names[-1] if names else next(iter(extra.values()), group),
                    values=[values.get(k) for k in range(width)], cells=[texts.get(k, "") for k in range(width)],
                    boxes=[boxes.get(k) for k in range(width)], under=tuple(names[:-1]), extra=extra, unit=unit,
                    **placed)


def pair_rows(cells: list[str], printed: list, headers: dict[int, str], columns: list[tuple[str, ...]],
              placed: dict) -> list[TableRow]:
    """Given a printed row of label-figure pairs, return a row per figure (or field left blank), labelled by the
    text before it and standing under the labels before that; a printed row with no figure and no blank field is
    one row of labels."""
    rows: list[TableRow] = []
    labels: list[str] = []
    for c, text in enumerate(cells):
        if not text:
            drawn = getattr(printed[c], "box", None) is not None  # an empty cell of its own, not one the label spans
            if labels and drawn:  # a field left blank after its label: the label names it
                rows.append(TableRow(kind="named", label=labels[-1], values=[None], cells=[""], boxes=[None],
                                     under=tuple(labels[:-1]), **placed))
                labels = []
            continue
        found = figure_value(text) if is_figure(text) else None
        if found is None:
            labels.append(text)
            continue
        value, unit = found
        at = column_at((headers[c],) if c in headers and headers[c] not in labels else (), columns)
        rows.append(TableRow(kind="named", label=labels[-1] if labels else "", values=[value if k == at else None for k in range(at + 1)],
                             cells=[text if k == at else "" for k in range(at + 1)],
                             boxes=[getattr(printed[c], "box", None) if k == at else None for k in range(at + 1)],
                             under=tuple(labels[:-1]), unit=unit, **placed))
        labels = []
    if not rows and labels:  # a row of the form with no figure: kept as printed, no fact
        rows.append(TableRow(kind="named", label=labels[0], values=[None], cells=[""], boxes=[None],
                             extra={f"第{k + 1}项": text for k, text in enumerate(labels[1:])}, **placed))
    return rows
