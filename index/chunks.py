"""Structure → chunks: what gets embedded and searched.

One chunk per section that holds text, prefixed with the document title and the section path,
and table chunks that keep the title, unit, header and 预算单位 of their rows, split into row
groups that each repeat the header. Each chunk lists the ids of the facts it contains, so an
answer built from a chunk can cite and verify its numbers.
"""
from __future__ import annotations

from index.model import BudgetTable, Chunk, TableRow
from index.structure import Structure

ROWS_PER_CHUNK = 20
MAX_SECTION_CHARS = 800


def structure_to_chunks(structure: Structure, sha: str) -> list[Chunk]:
    """Given a document's structure and content hash, return its section chunks then its table chunks."""
    doc = structure.document
    title = document_title(structure)
    cells = {}
    for fact in structure.facts:
        if fact.kind == "cell":
            cells.setdefault((fact.table_number, fact.table_side, fact.page, fact.row_code, fact.row_name), []).append(fact)
    chunks = section_chunks(structure, title) + [
        chunk for table in structure.tables for chunk in table_chunks(table, title, cells)
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
        body = whole if fits else section.text.strip()
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
    """Given a section, return its own text followed by each subsection's heading and text."""
    parts = [section.text.strip()] + [
        f"{child.heading}\n{subtree_text(child)}".strip() for child in section.children]
    return "\n".join(part for part in parts if part)


def split_text(text: str, limit: int) -> list[str]:
    """Given a section's text, return pieces of at most ``limit`` characters cut at paragraph ends."""
    pieces, current = [], ""
    for paragraph in text.split("\n"):
        if current and len(current) + len(paragraph) > limit:
            pieces.append(current)
            current = ""
        current = f"{current}\n{paragraph}" if current else paragraph
    return pieces + [current] if current else pieces


def table_chunks(table: BudgetTable, title: str, cells: dict) -> list[Chunk]:
    """Given a table, return chunks of its rows grouped by 预算单位, each repeating title, unit and header."""
    name = f"表{table.number} {table.name}" + (f"（{table.side}）" if table.side else "")
    header = f"{title} / {name}\n部门：{table.department or ''}  单位：{table.unit or ''}\n列：" + " | ".join(
        "/".join(column) for column in table.columns)
    chunks = []
    for unit, rows in group_rows_by_unit(table.rows):
        for start in range(0, len(rows), ROWS_PER_CHUNK):
            group = rows[start:start + ROWS_PER_CHUNK]
            lines = [row_to_line(table, row) for row in group]
            facts = [f.id for row in group for f in cells.get((table.number, table.side, row.page, row.code, row.label), [])]
            unit_line = f"\n预算单位：{unit}" if unit else ""
            labels = "；".join(" ".join(p for p in (row.code, row.label) if p) for row in group)
            chunks.append(Chunk("", table.doc_id, header + unit_line + "\n" + "\n".join(lines), "table", name,
                                min(r.page for r in group), max(r.page for r in group), facts, table.number,
                                embed_text=f"{title} / {name}{unit_line}\n{labels}"))
    return chunks


def group_rows_by_unit(rows: list[TableRow]) -> list[tuple[str | None, list[TableRow]]]:
    """Given a table's rows in order, return runs of rows that belong to the same 预算单位."""
    groups: list[tuple[str | None, list[TableRow]]] = []
    for row in rows:
        if groups and groups[-1][0] == row.budget_unit:
            groups[-1][1].append(row)
        else:
            groups.append((row.budget_unit, [row]))
    return groups


def row_to_line(table: BudgetTable, row: TableRow) -> str:
    """Given a row, return it as printed: code, name, other label cells, then its values in column order."""
    label = " ".join(p for p in (row.code, row.label, *row.extra.values()) if p)
    return " ".join([label, *(f"{value:,}" if value is not None else "" for value in row.values)]).rstrip()
