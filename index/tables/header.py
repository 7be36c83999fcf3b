"""A header grid as printed → column paths, and where a table's body begins.

A merged header cell's text stands in its first position, '' in the positions it covers; the
paths read down each column: ('本年收入', '财政拨款', '一般公共预算拨款', '基本支出拨款').
"""
from __future__ import annotations

import re

from index.tables.cells import clean_text, is_real_number


def header_to_paths(grid: list[list[str]]) -> list[tuple[str, ...]]:
    """Given a header grid as printed (a merged cell's text in its first column, '' where it
    continues), return one column path per column: each blank is filled from the left within
    the span of the cell above it, and a column's path is its non-blank cells top to bottom.

    [['收入', '', '支出', ''], ['项目', '预算数', '项目', '预算数']] →
    [('收入', '项目'), ('收入', '预算数'), ('支出', '项目'), ('支出', '预算数')]
    """
    if not grid:
        return []
    width = max(len(row) for row in grid)
    owners: list[list[tuple[int, int] | None]] = []  # (row, start column) of the cell covering
    for r, row in enumerate(grid):
        cells = [clean_text(c) for c in row] + [""] * (width - len(row))
        line: list[tuple[int, int] | None] = []
        for c in range(width):
            if cells[c]:
                line.append((r, c))
                continue
            left = line[c - 1] if c else None
            same_parent = left is not None and all(owners[up][left[1]] == owners[up][c] for up in range(r))
            line.append(left if same_parent else None)
        owners.append(line)
    paths = []
    for c in range(width):
        path: list[str] = []
        for r in range(len(grid)):
            owner = owners[r][c]
            if owner is None:
                continue
            text = clean_text(grid[owner[0]][owner[1]])
            if not path or path[-1] != text:
                path.append(text)
        paths.append(tuple(path))
    return paths


def first_body_row(rows: list[list[str]]) -> int:
    """Given a table's rows, return the index of the first body row: the first with a number in
    it that is not a row of column numbers (栏次 1 2 3 …)."""
    for k, row in enumerate(rows):
        cells = [clean_text(c) for c in row if c and c.strip()]
        if any(is_real_number(c) for c in cells) and not is_column_numbers(cells):
            return k
    return len(rows)


def is_column_numbers(cells: list[str]) -> bool:
    """Given a row's filled cells, return whether they number the columns ('栏次 1 2 3', '1 2 3 4')
    rather than print figures."""
    if cells and re.match(r"^(?:栏次|行次|序号)$", cells[0]):
        cells = cells[1:]  # '栏次' before its numbers; a header naming a 序号 column has names after it
        return bool(cells) and all(is_real_number(c) or re.match(r"^(?:栏次|行次)$", c) for c in cells)
    numbers = [c for c in cells if is_real_number(c)]
    return len(numbers) >= 3 and numbers == [str(i) for i in range(1, len(numbers) + 1)] and len(numbers) == len(cells)
