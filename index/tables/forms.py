"""Forms: grids that pair labels and figures across each row ('项目资金总额 | 4,100,000.00 | 年度资金申请总额 |
4,100,000.00'), as a project's 绩效目标填报表 prints its funds and indicators, rather than columns of figures.

    is_form(body)                    some columns hold labels in some rows and figures in others
    form_tables(group, base)         one table of the form's figures: each figure under the label before it
                                     in its row, the labels further left (and spanning down) above it, the
                                     column named by a row of headers above it when a block of the form has
                                     one (一级指标 | 二级指标 | 三级指标 | 指标值)
"""
from __future__ import annotations

import re
from decimal import Decimal

from index.tables.cells import clean_text, is_blank_marker, is_real_number
from index.model import BudgetTable, TablePiece, TableRow
from common.numbers import parse_number
from index.tables.kinds import knowledge

# A figure inside the text of a form's cell: '≥13459.00(平方米)', '=12.00(次)', '90.00(度)' — one number,
# an optional comparison sign before it and a unit in brackets after it.
AMOUNT_IN_TEXT = re.compile(r"^(?P<sign>[≥≤><=＝≧≦]|不少于|不低于|不超过)?\s*(?P<number>\d[\d,]*(?:\.\d+)?)"
                            r"\s*(?:[(（](?P<unit>[^()（）]{1,6})[)）]|(?P<tail>%|万元|元|人|个|次|项|场|天))?$")
MIXED_COLUMNS = 2  # a grid is a form when at least this many columns mix labels and figures


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
    covers), its column the header of its block (or none); a printed row with no figure is a row of labels."""
    columns: list[tuple[str, ...]] = [()]
    rows: list[TableRow] = []
    line = 0
    for piece in group:
        headers: dict[int, str] = {}  # column → header text of the block the rows are in
        above: dict[int, str] = {}  # column → the label cell spanning down over it
        for printed in [*piece.header, *piece.body]:
            cells = [spanning(above.get(c, "")) if cell is None else clean_text(cell) for c, cell in enumerate(printed)]
            above.update({c: cell for c, cell in enumerate(printed) if cell is not None})
            if sum(1 for t in cells if knowledge().form_header.search(t)) >= 2:
                headers = {c: t for c, t in enumerate(cells) if t}  # a block's header row
                line += 1
                continue
            labels: list[str] = []
            figures = len(rows)
            for c, text in enumerate(cells):
                if not text:
                    continue
                found = figure_value(text) if is_figure(text) else None
                if found is None:
                    labels.append(text)
                    continue
                value, unit = found
                column = (headers[c],) if c in headers and headers[c] not in labels else ()
                if column not in columns:
                    columns.append(column)
                at = columns.index(column)
                rows.append(TableRow(kind="named", label=labels[-1] if labels else "", page=piece.page,
                                     values=[value if k == at else None for k in range(at + 1)],
                                     cells=[text if k == at else "" for k in range(at + 1)],
                                     boxes=[getattr(printed[c], "box", None) if k == at else None for k in range(at + 1)],
                                     budget_unit=base["department"], under=tuple(labels[:-1]), line=line,
                                     printed="\t".join(cells), unit=unit))
                labels = []
            if len(rows) == figures and labels:  # a row of the form with no figure: kept as printed, no fact
                rows.append(TableRow(kind="named", label=labels[0], values=[None], page=piece.page,
                                     budget_unit=base["department"], line=line, printed="\t".join(cells),
                                     extra={f"第{k + 1}项": text for k, text in enumerate(labels[1:])}, cells=[""],
                                     boxes=[None]))
            line += 1
    subject = form_subject(rows)
    for row in rows:  # the columns a later block added; the form's subject above every figure
        if subject and any(v is not None for v in row.values):
            row.under = (subject, *row.under)
        missing = len(columns) - len(row.values)
        row.values += [None] * missing
        row.cells += [""] * missing
        row.boxes += [None] * missing
    return [BudgetTable(**base, label_columns=[], columns=columns, rows=rows)]
