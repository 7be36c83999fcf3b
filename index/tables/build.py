"""Table pieces → BudgetTables: page-broken pieces joined, header grids rebuilt into column paths, label
and value columns told apart, rows classified, side-by-side column groups read as their own rows.

    pieces_to_tables(doc_id, pieces, department)
      ├ group_pieces(pieces)         consecutive pieces of one table
      ├ column_roles(paths, body)    label columns (预算单位, 科目编码, 科目名称, 年度 …) vs values
      ├ body_to_rows(…)              unit / subject / named rows, budget_unit, parent_code
      ├ two_sided_tables(…)          收支总表 and 财政拨款收支总表 as a 收入 and a 支出 table
      └ performance_tables(…)        绩效目标表: its budget amounts, and its 三级指标 with their 目标值
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from index.tables.cells import _LEADING_CODE, _TAG, cell_value, clean_text, is_blank_marker, is_real_number, printed_row
from index.model import BudgetTable, TablePiece, TableRow
from common.printed import match_key, nfkc_char
from index.tables.forms import form_tables, is_form
from index.tables.header import first_body_row, header_to_paths
from index.tables.kinds import IndicatorWords, TableKind, knowledge, label_role, name_to_kind


def column_roles(paths: list[tuple[str, ...]], body: list[list[str]], two_sided: bool = False) -> list[str]:
    """Given column paths, body rows and whether the table is two-sided (收 | 支, maybe in several groups),
    return each column's role: 'unit', 'unit_code', 'code', 'code_part', 'name', 'extra' (other text),
    'value', or 'skip' (no header and no content)."""
    roles = []
    for c, path in enumerate(paths):
        cells = [row[c] for row in body if c < len(row) and row[c] and row[c].strip()]
        role = next((label_role(name) for name in reversed(path) if label_role(name)), None)
        if role:
            roles.append(role)
        elif not path and not cells:
            roles.append("skip")
        elif cells and not any(is_real_number(cell) or is_blank_marker(cell) for cell in cells):
            roles.append("extra")
        else:
            roles.append("value")
    # the first text column of a table with no name column names its rows
    if "name" not in roles and "unit" not in roles and "extra" in roles:
        roles[roles.index("extra")] = "name"
    # in a two-sided table a text column that follows figures and precedes figures labels a group of its own
    for c, role in enumerate(roles):
        if two_sided and role == "extra" and not any(label_role(name) for name in paths[c]) \
                and "value" in roles[:c] and roles[c + 1:c + 2] == ["value"]:
            roles[c] = "name"
    # a text column with no header of its own among the label columns is a label too (the inner name
    # beside a merged group cell: '一般公共预算资金' | '公共财政拨款（补助）资金')
    for c, role in enumerate(roles):
        if role == "extra" and not paths[c] and 0 < c and roles[c - 1] in ("name", "unit") and "value" in roles[c:]:
            roles[c] = "name"
    # a row is classified once: a second classification beside the first (政府经济科目编码 | 名称 after 部门经济
    # 科目编码 | 名称; 类 | 款 under another code header) is text beside the row
    start = second_classification(roles, paths)
    return roles if start is None else [r if c < start or r not in ("code", "code_part", "name") else "extra"
                                        for c, r in enumerate(roles)]


def second_classification(roles: list[str], paths: list[tuple[str, ...]]) -> int | None:
    """Given the columns' roles and paths, return where a second classification of the rows begins: a code column
    (or code parts 类 / 款) under another name than the first's. A side-by-side group repeats the first's name
    (人员经费 › 科目编码 | 公用经费 › 科目编码): its rows are its own, not a second classification."""
    first = None
    for c, role in enumerate(roles):
        if role in ("code", "code_part"):
            name = paths[c][-2:-1] if role == "code_part" else paths[c][-1:]
            if first is None:
                first = (c, name)
            elif name != first[1]:
                return c
    return None


def column_name(path: tuple[str, ...], fallback: str) -> str:
    """Given a column path, return the column's own name (its lowest header cell)."""
    return path[-1] if path else fallback


def extra_name(path: tuple[str, ...]) -> str:
    """Given the path of a text column beside a row's labels, return the name its text is kept under: its own
    name, with the header above it for a code part ('部门预算支出经济科目编码/类')."""
    if len(path) > 1 and label_role(path[-1]) == "code_part":
        return "/".join(path[-2:])
    return column_name(path, "备注")


@dataclass
class Layout:
    """How a piece's columns read: label columns by role, value columns and their paths."""

    roles: list[str]
    paths: list[tuple[str, ...]]

    @property
    def value_columns(self) -> list[int]:
        return [c for c, role in enumerate(self.roles) if role == "value"]

    @property
    def label_names(self) -> list[str]:
        return [column_name(self.paths[c], "备注") for c, role in enumerate(self.roles)
                if role in ("unit", "unit_code", "code", "code_part", "name", "extra")]

    @property
    def columns(self) -> list[tuple[str, ...]]:
        return [self.paths[c] or (f"第{c + 1}列",) for c in self.value_columns]


def piece_layout(paths: list[tuple[str, ...]], body: list[list[str | None]], two_sided: bool = False) -> Layout:
    """Given a piece's column paths and body and whether its table is two-sided, return its column layout."""
    paths = list(paths)
    width = max([len(paths)] + [len(row) for row in body])
    paths += [()] * (width - len(paths))
    return Layout(column_roles(paths, body, two_sided), paths)


def is_unit_name(label: str, department: str | None, in_unit_column: bool) -> bool:
    """Given a row label, return whether it names a 预算单位 (a department or sub-unit)."""
    if not label:
        return False
    know = knowledge()
    if department and (label == department or match_key(label).startswith(match_key(department))):
        return True
    if not know.unit_ends.search(label) or len(label) < 4:
        return False
    return bool(know.unit_begins.search(label)) or in_unit_column


def body_to_rows(body: list[list[str | None]], layout: Layout, page: int, department: str | None,
                 state: dict, printed: list[list[str | None]] | None = None) -> list[TableRow]:
    """Given body rows, the column layout and the department, return TableRows: values parsed and
    kept as printed, kind unit / subject / named, budget_unit carried down from the last unit row
    (the department before any), parent_code from the code prefix (7 → 5 → 3 digits), and each
    row as printed with its place in the table.

    A label cell spanning down over several rows (None below it) labels each of them; where a row
    has several name cells, the last is its own name and those before are what it stands under
    ('一般公共预算资金' › '公共财政拨款（补助）资金').

    ``state`` carries the current budget unit, the label cells spanning down and the count of
    printed rows over from the piece before.  ``printed`` is the rows as printed when ``body`` is
    one side of them (收支总表). A cell read from a ruled grid knows its box (CellText).
    """
    know = knowledge()
    rows = []
    first_line = state.get("line", 0)
    state["line"] = first_line + len(body)
    for k, cells in enumerate(body):
        cells = spanned_down(list(cells) + [""] * (len(layout.roles) - len(cells)), layout, state)
        labels = row_labels(cells, layout)
        unit_text, code, names, extra, parts = labels.unit, labels.code, labels.names, labels.extra, labels.parts
        name = names[-1] if names else ""
        values: list[Decimal | None] = []
        for c in layout.value_columns:
            try:
                values.append(cell_value(cells[c]))
            except ValueError:
                values.append(None)
                extra[column_name(layout.paths[c], f"第{c + 1}列")] = clean_text(cells[c])
        if parts and not code:
            code = code_from_parts(parts, state)
        unit_row = bool(labels.unit_code) and not code  # a row numbered by its 预算单位's code (单位编码)
        code = code or labels.unit_code
        if not code:
            found = _LEADING_CODE.match(name)
            if found:
                code, name = "".join(p for p in found.groups()[:3] if p), clean_text(found.group(4))
        if not (unit_text or code or name or extra) and (any(r in LABEL_ROLES for r in layout.roles)
                                                          or all(v is None for v in values)):
            continue  # nothing names the row (the blank filler rows of an empty table); a table of values
            # only (合计 | 基本支出 | 项目支出 over one row of figures) keeps its row
        if code and know.subject_code.match(code) and not unit_row:
            kind, label = "subject", name or unit_text
        elif unit_text and (unit_row or is_unit_name(unit_text, department, True)) or \
                not unit_text and name and (unit_row or is_unit_name(name, department, False)):
            kind, label = "unit", unit_text or name
            state["unit"] = label
        elif not (unit_text or code or name) and extra and "unit" in layout.roles and state.get("unit"):
            kind, label = "unit", state["unit"]  # e.g. a 三公 row with only 年度: its unit is above
        elif not (unit_text or code or name) and department:
            kind, label = "unit", state.get("unit") or department  # a table of values only: its one row is the unit's
        else:
            kind, label = "named", name or unit_text or code
        budget_unit = state.get("unit") or department
        if kind == "named" and re.search(r"(?:合计|总计)$", label):
            budget_unit = department  # a table total is the department's, not the last unit's
        parent = None
        if kind == "subject" and len(code) > 3:
            parent = code[:-2]
        rows.append(TableRow(kind=kind, label=label, values=values, page=page, code=code or None,
                             budget_unit=budget_unit, parent_code=parent, extra=extra,
                             printed=printed_row((printed or body)[k]), line=first_line + k,
                             under=tuple(names[:-1]),
                             cells=[clean_text(cells[c]) for c in layout.value_columns],
                             boxes=[getattr(cells[c], "box", None) for c in layout.value_columns]))
    return rows


@dataclass
class RowLabels:
    """What a row's label cells say: its 预算单位 (and the unit's code), its 科目编码 (or its parts 类 / 款 / 项),
    its names (the last is its own) and its other label cells by column."""

    unit: str = ""
    unit_code: str = ""
    code: str = ""
    names: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)


def row_labels(cells: list[str], layout: Layout) -> RowLabels:
    """Given a row's cells and the layout, return what its label cells say."""
    know = knowledge()
    labels = RowLabels()
    for c, role in enumerate(layout.roles):
        text = clean_text(cells[c])
        if not text or role in ("value", "skip"):
            continue
        if role == "code_part" and not match_key(text).isdigit() or \
                role in ("code", "unit_code") and not (match_key(text) and know.code.fullmatch(match_key(text))):
            role = "name"  # '无', '合计' printed in a code column
        if role == "code_part":
            labels.parts[match_key(layout.paths[c][-1])] = match_key(text)
        elif role == "unit" and not labels.unit:
            labels.unit = text
        elif role == "unit_code" and not labels.unit_code:
            labels.unit_code = match_key(text)
        elif role == "code" and not labels.code:
            labels.code = match_key(text)
        elif role == "name":
            labels.names.append(text)
        else:
            labels.extra[extra_name(layout.paths[c])] = text
    return labels


def spanned_down(cells: list[str | None], layout: Layout, state: dict) -> list[str]:
    """Given a body row's cells (None where a cell above spans down over it), return them with each such
    label cell holding the spanning cell's text; the row's own label cells become the ones spanning on."""
    above: dict[int, str] = state.setdefault("above", {})
    filled = []
    for c, cell in enumerate(cells):
        labelled = c < len(layout.roles) and layout.roles[c] not in ("value", "skip")
        if cell is None:
            filled.append(above.get(c, "") if labelled else "")
            continue
        if labelled:
            above[c] = cell
        filled.append(cell)
    return filled


def code_from_parts(parts: dict[str, str], state: dict) -> str:
    """Given a row's 科目编码 printed in 类 / 款 / 项 columns ('201', '03', '01'; the higher
    parts often left blank under their parent), return the full code ('2010301')."""
    if parts.get("类"):
        state["类"], state["款"] = parts["类"], ""
    if parts.get("款"):
        state["款"] = parts["款"]
    if parts.get("类") and not parts.get("款"):
        return parts["类"]
    if parts.get("项"):
        return state.get("类", "") + state.get("款", "") + parts["项"]
    return state.get("类", "") + (parts.get("款") or "")


def group_pieces(pieces: list[TablePiece]) -> list[list[TablePiece]]:
    """Given a document's pieces in order, return them grouped: consecutive pieces of one table together.

    A piece says whether it continues the one before when its reader knows (a ruled grid at the top of
    a page, after a table that ran to the foot of the page before); else a piece of the same kind and
    name as the one before continues it (its title and header repeated on each page)."""
    groups: list[list[TablePiece]] = []
    last_key = None
    for piece in pieces:
        key = (piece.kind, match_key(piece.name) or piece.number)
        joins = piece.continues if piece.continues is not None else key == last_key
        if groups and joins:
            groups[-1].append(piece)
        else:
            groups.append([piece])
        last_key = key
    return groups


def pieces_to_tables(doc_id: str, pieces: list[TablePiece], department: str | None = None) -> list[BudgetTable]:
    """Given a document's table pieces (from text or from ruled grids) and who the document is about, return its
    BudgetTables: page-broken pieces joined, header grids rebuilt into column paths, label and value columns
    separated, rows classified; 收支总表-type tables as a 收入 and a 支出 table. A table that names no
    department is the one most tables name, else the document's."""
    pieces = [sanitize_piece(p) for p in pieces]
    departments = Counter(p.department for p in pieces if p.department)
    units = Counter(p.unit for p in pieces if p.unit)
    default_department = departments.most_common(1)[0][0] if departments else department
    default_unit = units.most_common(1)[0][0] if units else None
    tables: list[BudgetTable] = []
    for group in group_pieces(pieces):
        std = knowledge().by_name(group[0].kind)
        department = next((p.department for p in group if p.department), None) or default_department
        # a budget table without a 单位 line is in the unit of the document's others; a table of no known kind
        # (单位构成, a form) has the unit it prints or none
        unit = next((p.unit for p in group if p.unit), None) or named_unit(group) or (default_unit if std else None)
        base = dict(doc_id=doc_id, kind=group[0].kind, label=group[0].label, name=group[0].name,
                    title=group[0].title, department=department, unit=unit, pages=sorted({p.page for p in group}),
                    notes=list(dict.fromkeys(n for p in group for n in p.notes)))
        if std and std.performance and has_budget_part(group, std):
            tables += performance_tables(group, std, base)
        elif std and std.performance or is_form([row for piece in group for row in piece.body]):
            tables += form_tables(group, base)
        else:
            tables += grid_tables(group, base, two_sided=bool(std and std.two_sided))
    return units_named_by_code(tables)


def units_named_by_code(tables: list[BudgetTable]) -> list[BudgetTable]:
    """Given a document's tables, return them with each 预算单位 row numbered by a unit code named as the longest
    of its names under that code: a narrow column cuts '中共东海市委理论讲师团' to '中共东海市委' in one table
    while another prints it whole. The rows under a renamed unit row belong to the whole name."""
    whole: dict[str, str] = {}
    for row in (r for t in tables for r in t.rows if r.kind == "unit" and r.code):
        if len(row.label) > len(whole.get(row.code, "")):
            whole[row.code] = row.label
    for table in tables:
        cut, full = None, None
        for row in table.rows:
            if row.kind == "unit":
                name = whole.get(row.code or "", row.label)
                cut, full = (row.label, name) if name != row.label and match_key(name).startswith(match_key(row.label)) \
                    else (None, None)
                if full:
                    row.label = full
            if cut and row.budget_unit == cut:
                row.budget_unit = full
    return tables


UNIT_IN_NAME = re.compile(r"[(（](万元|元|亿元|千元)[)）]")  # '预算金额（万元）'


def named_unit(group: list[TablePiece]) -> str | None:
    """Given the pieces of a table that prints no 单位 line, return the money unit its header or label cells name
    ('资金金额（万元）'), when they name one only."""
    named = {found.group(1) for piece in group for row in [*piece.header, *piece.body[:12]] for cell in row
             if cell and (found := UNIT_IN_NAME.search(cell))}
    return named.pop() if len(named) == 1 else None


def sanitize_piece(piece: TablePiece) -> TablePiece:
    """Given a piece from anywhere, return it with every header cell a string (body cells stay None
    where a label cell above spans down over them) and its kind, read from its name when its reader
    left it out."""
    header = [["" if c is None else c if isinstance(c, str) else str(c) for c in row] for row in piece.header or []]
    kind = piece.kind
    if kind is None and piece.continues is None:
        found = name_to_kind(piece.name, piece.number)
        kind = found.name if found else None
    return replace(piece, header=header, body=[list(row) for row in piece.body or []], kind=kind)


def with_header(piece: TablePiece, previous: list[list[str]] | None) -> tuple[list[list[str]], list[list[str]]]:
    """Given a piece and the header of the piece before, return its (header, body): a piece
    without a header takes the one before, or else its leading rows without numbers."""
    if piece.header:
        return piece.header, piece.body
    if previous:
        body = piece.body
        printed = [match_key("".join(c or "" for c in row)) for row in previous]
        while body and match_key("".join(c or "" for c in body[0])) in printed:
            body = body[1:]
        return previous, body
    split = first_body_row(piece.body)
    return piece.body[:split], piece.body[split:]


LABEL_ROLES = ("unit", "unit_code", "code", "code_part", "name")


def grid_tables(group: list[TablePiece], base: dict, two_sided: bool = False) -> list[BudgetTable]:
    """Given the pieces of one table, return it as BudgetTables: one per side-by-side column group (收入 |
    支出 of a 收支总表; the two halves of a 基本支出 table), and a new one where a piece's columns do not
    agree with the piece before."""
    tables: list[BudgetTable] = []
    header: list[list[str]] | None = None
    current: list[BudgetTable] = []
    layouts: list[Layout] = []
    state: list[dict] = []
    line = 0
    first_row: str | None = None  # the table's first printed row (its total, where it is printed first)
    for piece in group:
        if current and not piece.body and not piece.header:  # the table's rules go on over a page, empty
            for table in current:
                table.pages.append(piece.page)
            continue
        header, body = with_header(piece, header)
        paths = piece.paths if piece.paths is not None else header_to_paths(header)
        sides = two_sided or {"收入", "支出"} <= {match_key(path[0]) for path in paths if path}  # 收 | 支 side by side
        # a page going on with the table may print its total again above its own rows: the same printed row
        repeated = first_row is not None and bool(body) and repeats_total(body[0], first_row)
        first_row = first_row if first_row is not None else row_key(body[0]) if body else None
        layout = piece_layout(paths, body, sides)
        groups = column_groups(layout, sides)
        named = named_groups([group_layout(layout, columns) for columns in groups], sides)
        parts = [part for _, part in named]
        if [len(p.value_columns) for p in parts] != [len(p.value_columns) for p in layouts]:
            state = [{"line": line} for _ in parts]
            current = [BudgetTable(**{**base, "pages": []}, label_columns=part.label_names, columns=part.columns,
                                   rows=[], side=name) for name, part in named]
            tables += current
        layouts = parts
        for table, part, columns, part_state in zip(current, parts, groups, state):
            part_body = [[row[c] if c < len(row) else "" for c in columns] for row in body]
            rows = body_to_rows(part_body, part, piece.page, base["department"], part_state, printed=body)
            if repeated and rows:
                rows[0].repeated = True
            if len(parts) > 1:
                for row in rows:
                    if row.kind == "unit":
                        row.kind = "named"
            table.rows += rows
            if piece.page not in table.pages:
                table.pages.append(piece.page)
        line += len(body)
    for table in tables:
        table.pages = sorted(set(table.pages)) or list(base["pages"])
    return tables


def row_key(row: list[str | None]) -> str:
    """Given a printed row, return the form two printed rows are compared in."""
    return match_key("\t".join(cell or "" for cell in row))


def repeats_total(row: list[str | None], first_row: str) -> bool:
    """Given the first row of a page going on with a table and the table's first printed row, return whether it
    is that row again and a total (合计, 总计)."""
    return row_key(row) == first_row and any(re.search(r"(?:合计|总计)$", clean_text(cell)) for cell in row if cell)


def column_groups(layout: Layout, two_sided: bool) -> list[list[int]]:
    """Given a piece's layout, return the columns of each side-by-side group: a group begins at a label
    column that follows value columns and has value columns of its own. A two-sided table (收支总表) whose
    labels do not show its halves is split where the 支出 columns begin."""
    roles = layout.roles
    starts = [0]
    for c, role in enumerate(roles):
        if role in LABEL_ROLES and c > starts[-1] and "value" in roles[starts[-1]:c] and "value" in roles[c:] \
                and (c == 0 or roles[c - 1] not in LABEL_ROLES):
            starts.append(c)
    if len(starts) == 1 and two_sided:
        paths = layout.paths
        split = next((c for c, path in enumerate(paths) if c and path and "支出" in match_key(path[0])
                      and "支出" not in match_key(paths[0][0] if paths[0] else "")), len(paths) // 2)
        starts.append(split)
    bounds = starts + [len(roles)]
    return [list(range(a, b)) for a, b in zip(bounds, bounds[1:]) if b > a]


def group_layout(layout: Layout, columns: list[int]) -> Layout:
    """Given a piece's layout and the columns of one of its groups, return the group's own layout."""
    return Layout([layout.roles[c] for c in columns], [layout.paths[c] for c in columns])


def named_groups(parts: list[Layout], two_sided: bool) -> list[tuple[str | None, Layout]]:
    """Given the layouts of a piece's side-by-side groups, return each group's name and its layout with the
    name taken off its column paths: the header cells above all its columns that the other groups do not
    share ('收入'; '支出/功能分类'), else 收入 and 支出 for the halves of a two-sided table; a table of one
    group has no name."""
    if len(parts) == 1:
        return [(None, parts[0])]
    shared = common_prefix([p for part in parts for p in part.paths if p])
    named = []
    for k, part in enumerate(parts):
        own = common_prefix([p for p in part.paths if p])[len(shared):]
        name = "/".join(own) if own else ("收入" if k == 0 else "支出") if two_sided else None
        cut = len(shared) + len(own)
        named.append((name, Layout(part.roles, [p[cut:] if len(p) > cut else p for p in part.paths])))
    names = Counter(name for name, _ in named)
    return [(f"{name}/{group_label(part)}" if name and names[name] > 1 and group_label(part) else name, part)
            for name, part in named]


def group_label(layout: Layout) -> str:
    """Given a side-by-side group's layout, return the header of its first label column ('支出功能分类科目'),
    which tells it from groups of the same name ('支出' three times over: by function, by two economic classes)."""
    return next((column_name(layout.paths[c], "") for c, role in enumerate(layout.roles) if role in LABEL_ROLES), "")


def common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    """Given column paths, return the header cells at the top of all of them (never a column's own cell)."""
    if not paths:
        return ()
    shortest = min(len(path) for path in paths)
    k = 0
    while k < shortest - 1 and all(path[k] == paths[0][k] for path in paths):
        k += 1
    return paths[0][:k]


def has_budget_part(group: list[TablePiece], std: TableKind) -> bool:
    """Given the pieces of a 绩效目标表 and its kind, return whether it prints the kind's budget part
    (任务名称 | 主要内容 | 预算金额 …): a whole department's targets rather than a project's form. Its header cell
    is the kind's own ('预算金额（万元）'); a column such as '当年财政拨款预算金额' is an amount of another layout."""
    words = {spelling for node in std.columns for spelling in node.spellings}
    return any(match_key(cell) in words for piece in group for row in [*piece.header, *piece.body]
               for cell in row if cell)


def performance_tables(group: list[TablePiece], std: TableKind, base: dict) -> list[BudgetTable]:
    """Given the pieces of a 绩效目标表, return its budget part as a BudgetTable (one row per
    task with its amounts 总额, 财政拨款, 其他资金) and, when it has one, its goals and
    indicators part (one row per printed row; a 三级指标 whose 目标值 holds one amount carries it)."""
    rows_in = [(row, piece.page) for piece in group for row in [*piece.header, *piece.body]]
    stop = next((k for k, (cells, _) in enumerate(rows_in)
                 if std.stop and any(clean_text(c) for c in cells)
                 and std.stop.match(next(clean_text(c) for c in cells if clean_text(c)))), len(rows_in))
    columns, rows = budget_rows(rows_in[:stop], std, base["department"])
    tables = [BudgetTable(**base, label_columns=[clean_text(n) for n in ("任务名称", "主要内容")],
                          columns=columns, rows=rows)]
    if std.indicators and stop < len(rows_in):
        rows = indicator_rows(rows_in[stop:], std.indicators, base["department"], stop)
        tables.append(BudgetTable(**{**base, "pages": sorted({row.page for row in rows})},
                                  label_columns=list(std.indicators.labels), columns=[(std.indicators.column,)],
                                  rows=rows))
    return tables


def budget_rows(rows_in: list[tuple[list[str], int]], std: TableKind, department: str | None
                ) -> tuple[list[tuple[str, ...]], list[TableRow]]:
    """Given the printed rows of a 绩效目标表's budget part (with their pages), return its value
    columns and one row per task with its amounts."""
    defaults = [tuple(n for n in (node.name, child.name)) for node in std.columns for child in node.children]
    group_name = next((clean_text(c) for row, _ in rows_in for c in row if "预算金额" in c), None)
    names_row = next((row for row, _ in rows_in if any(match_key(c) in ("总额", "合计") for c in row)), None)
    columns = defaults
    at = None  # where the amounts stand under their names, when the table prints them
    if names_row:
        at = next(k for k, c in enumerate(names_row) if match_key(c) in ("总额", "合计"))
        names = [clean_text(c) for c in names_row[at:] if clean_text(c)]
        if len(names) == len(defaults):
            columns = [(group_name or defaults[0][0], n) for n in names]
    width = len(columns)
    rows: list[TableRow] = []
    task = ""
    for line, (printed, page) in enumerate(rows_in):
        cells = [clean_text(c) for c in printed]
        first = next((c for c, text in enumerate(cells) if is_real_number(text)), None)
        if first is not None and first == at and len(cells) >= at + width:
            v, k = at, at + width  # figures right under their names: a blank among them is a blank amount
        else:  # else the amounts are the last cells the row prints
            k = len(cells)
            while k and not cells[k - 1]:
                k -= 1
            v = k
            while v > 0 and (is_real_number(cells[v - 1]) or (cells[v - 1] and is_blank_marker(cells[v - 1]))):
                v -= 1
            if k - v < width:
                continue
            v = k - width
        if not any(is_real_number(c) for c in cells[v:k]):
            continue
        content = cells[v - 1] if v >= 1 else ""
        own_task = cells[v - 2] if v >= 2 else ""
        if own_task:
            task = own_task
        values = []
        for c in cells[v:k]:
            try:
                values.append(cell_value(c))
            except ValueError:
                values.append(None)
        placed = dict(page=page, budget_unit=department, printed=printed_row(printed), line=line, cells=cells[v:k],
                      boxes=[getattr(c, "box", None) for c in printed[v:k]])
        total = next((t for t in (own_task, content) if re.search(r"(?:合计|总计)$", t)), None)
        if total:
            rows.append(TableRow(kind="named", label=total, values=values, **placed))
            continue
        extra = {"主要内容": content} if content else {}
        rows.append(TableRow(kind="named", label=task or content, values=values, extra=extra, **placed))
    return columns, rows


@dataclass
class IndicatorState:
    """Where a 绩效目标表's indicator rows stand: the headings above and a name still open."""

    started: bool = False  # the indicator header row has been seen (rows before it are goals)
    first: str = ""  # 一级指标
    second: str = ""  # 二级指标
    pending: list[str] = field(default_factory=list)  # a 三级指标 name printed over lines before its value


def indicator_rows(rows_in: list[tuple[list[str], int]], words: IndicatorWords, department: str | None,
                   first_line: int) -> list[TableRow]:
    """Given the printed rows of a 绩效目标表 from its goals on (with their pages), return one row
    per printed row: a 三级指标 with its 目标值 (value and unit when it holds one amount, the
    一级 and 二级 指标 it stands under), other rows (goals, headings, text) as printed."""
    state = IndicatorState()
    rows: list[TableRow] = []
    for k, (printed, page) in enumerate(rows_in):
        filled = [" ".join(_TAG.sub(" ", c).split()) for c in printed if clean_text(c)]
        if not filled:
            continue
        placed = dict(page=page, budget_unit=department, printed=printed_row(printed), line=first_line + k)
        found = None
        if state.started:
            found = read_indicator(filled, words, state)
        elif words.header.search(match_key(" ".join(filled))):
            state.started = True
        if found is None:
            rows.append(TableRow(kind="named", label=clean_text(filled[0]), values=[None], **placed))
            continue
        name, target = found
        value, unit = indicator_value(target, words)
        rows.append(TableRow(kind="named", label=name, values=[value], extra={words.column: target},
                             under=tuple(h for h in (state.first, state.second) if h), unit=unit, **placed))
    return rows


def read_indicator(filled: list[str], words: IndicatorWords, state: IndicatorState) -> tuple[str, str] | None:
    """Given the filled cells of an indicator row and where the rows stand, return the row's
    (三级指标, 目标值), or None for a row of headings or of a name still going on; the 一级 and
    二级 headings it begins with are taken into ``state``."""
    cells = [clean_text(c) for c in (filled if len(filled) > 1 else flattened_cells(filled[0], words))]
    while cells and (words.column_words.match(cells[0]) or words.first_level.match(cells[0])
                     or words.second_level.match(cells[0])):
        if words.first_level.match(cells[0]):
            state.first, state.second = cells[0], ""
        elif words.second_level.match(cells[0]):
            state.second = cells[0]
        state.pending = []
        cells = cells[1:]
    if not cells:
        return None
    if len(cells) == 1:
        if state.pending and words.value.fullmatch(unicodedata.normalize("NFKC", cells[0])):
            name, state.pending = "".join(state.pending), []
            return sign_to_value(name, cells[0], words)
        state.pending.append(cells[0])
        return None
    name = cells[-2]
    if state.pending and name.startswith(("（", "(")):
        name = "".join(state.pending) + name  # a name's last line: '（%）'
    state.pending = []
    return name, cells[-1]


def sign_to_value(name: str, target: str, words: IndicatorWords) -> tuple[str, str]:
    """Given a 三级指标 and its 目标值, return them with a comparison sign printed at the end of
    the name's line ('支出进度达标率 ＞' above '95%') moved to the value."""
    sign = re.search(rf"(?:{words.sign.pattern})$", "".join(nfkc_char(c) for c in name))
    if not sign:
        return name, target
    return name[:sign.start()].strip(), name[sign.start():] + target


def flattened_cells(line: str, words: IndicatorWords) -> list[str]:
    """Given an indicator row flattened into one line ('数量 公共 WIFI 的 AP 安装数（个） ≥3850 个'),
    return its cells: leading heading words, then the name and the 目标值 when the line ends
    with an amount."""
    tokens = line.split()
    heads: list[str] = []
    while len(tokens) > 1 and any(p.match(tokens[0]) for p in (words.column_words, words.first_level,
                                                                words.second_level)):
        heads.append(tokens.pop(0))
    rest = " ".join(tokens)
    ending = re.search(f"(?:{words.value.pattern})$", "".join(nfkc_char(c) for c in rest))
    if ending and ending.start() > 0:
        return heads + [rest[:ending.start()].strip(), rest[ending.start():].strip()]
    return heads + [rest]


def indicator_value(target: str, words: IndicatorWords) -> tuple[Decimal | None, str | None]:
    """Given a 目标值 as printed ('≥26人', '96 人', '≥99% 可控'), return its amount and unit when it
    holds exactly one amount with a unit (not a date such as '2024年12月31日前'), else (None, None)."""
    text = unicodedata.normalize("NFKC", target)
    if len(re.findall(r"\d+(?:[.,]\d+)*", text)) != 1:
        return None, None
    found = words.value.search(text)
    if not found:
        return None, None
    return Decimal(found.group("number").replace(",", "")), found.group("unit")
