"""Structure → chunks: what gets embedded and searched.

One chunk per section that holds text, prefixed with the document title and the section path,
and table chunks that keep the title, unit, header and 预算单位 of their rows, split into row
groups that each repeat the header. Each chunk lists the ids of the facts it contains, so an
answer built from a chunk can cite and verify its numbers.
"""
from __future__ import annotations

from dataclasses import dataclass

from index.model import BudgetTable, Chunk, TableRow
from index.facts.structure import Structure

# A few rows' labels embed and score more specifically than twenty: on the gold questions
# (retrieval among the gold documents, 300-character sections) 20 rows gave recall@5 0.76, 10 rows 0.85,
# 6 rows 0.88, 4 rows 0.86.  Sections stay whole up to 800 characters: smaller section chunks retrieve only a little
# better (+0.01) but cut lists apart, and a narrative answer quotes its best section chunk.
ROWS_PER_CHUNK = 6
MAX_SECTION_CHARS = 800


def structure_to_chunks(structure: Structure, sha: str) -> list[Chunk]:
    """Given a document's structure and content hash, return its section chunks then its table chunks."""
    doc = structure.document
    title = document_title(structure)
    cells = {}
    for fact in structure.facts:
        if fact.kind == "cell":
            cells.setdefault((fact.table_name, fact.table_side, fact.page, fact.row_code, fact.row_name), []).append(fact)
    chunks = section_chunks(structure, title) + [
        chunk for parts in printed_tables(structure.tables) for chunk in table_chunks(parts, title, cells)
    ]
    for i, chunk in enumerate(chunks):
        chunk.id = f"{doc.id}:{sha[:12]}:{i:04d}"
    return chunks


def document_title(structure: Structure) -> str:
    """Given a structure, return a title for the document even when its cover page has none."""
    meta = structure.document.meta
    if meta.title:
        return meta.title
    return f"{meta.year or ''}年{meta.department or structure.document.id}部门预算".lstrip("年")


def section_chunks(structure: Structure, title: str) -> list[Chunk]:
    """Given a structure, return its text part as chunks: each section whole with its subsections when
    that fits (so a list such as 主要工作目标 1. … 5. stays together), else its own text and then each
    subsection in turn. Long texts are split at paragraph ends."""
    text_facts = [f for f in structure.facts if f.kind == "text"]
    chunks: list[Chunk] = []

    def visit(section) -> None:
        if section.path and section.path[0].endswith("表格部分"):
            return
        whole = subtree_text(section)
        fits = len(whole) <= MAX_SECTION_CHARS
        body = whole if fits else own_text(section)
        if body:
            path = " / ".join(section.path)
            paths = {s.path for s in section.walk()} if fits else {section.path}
            facts = [f.id for f in text_facts if f.section_path in paths]
            last_page = max(s.last_page for s in section.walk()) if fits else section.last_page
            for piece in split_text(body, MAX_SECTION_CHARS):
                chunks.append(Chunk("", structure.document.id, f"{title} / {path}\n{piece}", "section", path,
                                    section.first_page, last_page, facts))
        if not fits:
            for child in section.children:
                visit(child)

    visit(structure.sections)
    return chunks


def subtree_text(section) -> str:
    """Given a section, return its own text followed by each subsection as printed."""
    parts = [own_text(section)] + [printed_section(child) for child in section.children]
    return "\n".join(part for part in parts if part)


def own_text(section) -> str:
    """Given a section, return its own text; a heading run into its text ('2. 公务接待费。2024 年预算数…')
    is given back its marker, so the line reads as printed."""
    text = section.text.strip()
    marker = run_in_marker(section.heading, text)
    return f"{marker}{text}" if marker is not None else text


def printed_section(section) -> str:
    """Given a subsection, return it as printed: its heading line (unless run into its text),
    its text, its subsections."""
    body = subtree_text(section)
    if run_in_marker(section.heading, section.text.strip()) is not None:
        return body
    return f"{section.heading}\n{body}".strip()


def run_in_marker(heading: str, text: str) -> str | None:
    """Given a heading ('1. 临海市东城区政务服务数据管理局（本级）') and its section's text, return the
    heading's marker ('1. ') when the text begins with the heading's words (the section tree
    cut the heading's title off a printed line and kept the whole line as text), else None."""
    words = heading.rstrip("…")
    for start in range(1, len(words) - 1):
        if text.startswith(words[start:]) and not words[start - 1].isalnum():
            return words[:start]
    return None


def split_text(text: str, limit: int) -> list[str]:
    """Given a section's text, return pieces of at most ``limit`` characters cut at paragraph ends."""
    pieces, current = [], ""
    for paragraph in text.split("\n"):
        if current and len(current) + len(paragraph) > limit:
            pieces.append(current)
            current = ""
        current = f"{current}\n{paragraph}" if current else paragraph
    return pieces + [current] if current else pieces


def printed_tables(tables: list[BudgetTable]) -> list[list[BudgetTable]]:
    """Given a document's tables in order, return them grouped as they are printed: the parts
    one printed table was read into (the 收入 and 支出 halves of a 收支总表, the budget and
    indicator parts of a 绩效目标表) together."""
    groups: list[list[BudgetTable]] = []
    for table in tables:
        last = groups[-1][0] if groups else None
        if last is not None and (last.kind, last.title) == (table.kind, table.title) and set(last.pages) & set(table.pages):
            groups[-1].append(table)
        else:
            groups.append([table])
    return groups


@dataclass
class PrintedLine:
    """One printed row of a table and the rows it was read into (one per side of a 收支总表)."""

    text: str
    unit: str | None
    rows: list[tuple[BudgetTable, TableRow]]


def printed_lines(parts: list[BudgetTable]) -> list[PrintedLine]:
    """Given the parts of one printed table, return its rows as printed, in printed order: the
    rows that share a printed line (its place in the table) become one line."""
    entries = sorted(((row.line if row.line is not None else k, table, row)
                      for table in parts for k, row in enumerate(table.rows)), key=lambda entry: entry[0])
    lines: list[PrintedLine] = []
    last = None
    for place, table, row in entries:
        if lines and place == last and row.line is not None:
            lines[-1].rows.append((table, row))
            continue
        lines.append(PrintedLine(row.printed or row_to_line(table, row), row.budget_unit, [(table, row)]))
        last = place
    return lines


def table_chunks(parts: list[BudgetTable], title: str, cells: dict) -> list[Chunk]:
    """Given the parts of one printed table, return chunks of its rows as printed, grouped by
    预算单位, each repeating title, unit and the columns of every part."""
    table = parts[0]
    name = table_title(table)
    columns = "；".join((f"{part.side}：" if part.side else "") + " | ".join("/".join(c) for c in part.columns)
                       for part in parts)
    header = f"{title} / {name}\n部门：{table.department or ''}  单位：{table.unit or ''}\n列：{columns}"
    chunks = []
    for unit, lines in group_lines_by_unit(printed_lines(parts)):
        for start in range(0, len(lines), ROWS_PER_CHUNK):
            group = lines[start:start + ROWS_PER_CHUNK]
            rows = [(part, row) for line in group for part, row in line.rows]
            facts = [f.id for part, row in rows
                     for f in cells.get((part.name, part.side, row.page, row.code, row.label), [])]
            unit_line = f"\n预算单位：{unit}" if unit else ""
            labels = "；".join(" ".join(p for p in (row.code, row.label) if p) for _, row in rows)
            chunks.append(Chunk("", table.doc_id, header + unit_line + "\n" + "\n".join(line.text for line in group),
                                "table", name, min(r.page for _, r in rows), max(r.page for _, r in rows), facts,
                                table.kind, embed_text=f"{title} / {name}{unit_line}\n{labels}"))
    return chunks


def table_title(table: BudgetTable) -> str:
    """Given a table, return its title as a reader sees it: the printed label and name."""
    return f"{table.label} {table.name}" if table.label and table.label not in table.name else table.name


def group_lines_by_unit(lines: list[PrintedLine]) -> list[tuple[str | None, list[PrintedLine]]]:
    """Given a table's printed lines in order, return runs of lines that belong to the same 预算单位."""
    groups: list[tuple[str | None, list[PrintedLine]]] = []
    for line in lines:
        if groups and groups[-1][0] == line.unit:
            groups[-1][1].append(line)
        else:
            groups.append((line.unit, [line]))
    return groups


def row_to_line(table: BudgetTable, row: TableRow) -> str:
    """Given a row read without its printed text, return it as a line: code, name, other label
    cells, then its values in column order."""
    label = " ".join(p for p in (row.code, row.label, *row.extra.values()) if p)
    return " ".join([label, *(f"{value:,}" if value is not None else "" for value in row.values)]).rstrip()
