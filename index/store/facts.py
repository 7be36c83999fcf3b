"""The fact store: an embedded SQLite database in the index folder.

It holds one row per number (table cells and text figures) and one row per indexed document
with its content hash. A document's facts are replaced in one transaction, so a crash leaves
either the old facts or the new ones, never a mix. Every query uses bound parameters.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path

from index.checks.model import CheckResult, Side
from index.checks.inventory import Inventory, TableEntry
from index.model import Box, Chunk, DocumentMeta, Fact

SCHEMA_VERSION = 4  # a store written with another version is emptied and indexed again
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT, kind TEXT, sha256 TEXT, title TEXT,
    region TEXT, year INTEGER, department TEXT, disclosure TEXT, pages INTEGER, indexed_at TEXT, parent TEXT
);
CREATE TABLE IF NOT EXISTS facts (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, kind TEXT, value TEXT, unit TEXT, page INTEGER,
    year INTEGER, department TEXT, printed TEXT, in_wan TEXT, box TEXT, budget_unit TEXT, table_kind TEXT,
    table_label TEXT, table_name TEXT, table_side TEXT, row_code TEXT, row_name TEXT, row_path TEXT,
    column_path TEXT, sentence TEXT, section_path TEXT, subject TEXT
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, sha256 TEXT, kind TEXT, "where" TEXT,
    first_page INTEGER, last_page INTEGER, table_kind TEXT, fact_ids TEXT, text TEXT
);
CREATE TABLE IF NOT EXISTS checks (
    doc_id TEXT NOT NULL, "check" TEXT, status TEXT, left_value TEXT, left_facts TEXT, left_place TEXT,
    right_value TEXT, right_facts TEXT, right_place TEXT, note TEXT
);
CREATE TABLE IF NOT EXISTS inventory (
    doc_id TEXT NOT NULL, position INTEGER, kind TEXT, title TEXT, pages TEXT, unit TEXT, rows INTEGER,
    figures INTEGER, notes TEXT, problem TEXT
);
CREATE INDEX IF NOT EXISTS facts_doc ON facts (doc_id, table_kind);
CREATE INDEX IF NOT EXISTS checks_doc ON checks (doc_id);
CREATE INDEX IF NOT EXISTS facts_value ON facts (value);
"""
PATH_SEPARATOR = " / "
DOCUMENT_TABLES = ("facts", "chunks", "checks", "inventory", "documents")
_FACT_COLUMNS = [f.name for f in fields(Fact)]
_QUERYABLE = set(_FACT_COLUMNS) - {"row_path", "column_path", "section_path", "box"}


@dataclass(frozen=True)
class DocumentRecord:
    """An indexed document as the store knows it: its file and what it discloses (DocumentMeta's fields)."""

    doc_id: str
    source: str
    kind: str  # pdf | text
    sha256: str
    title: str | None
    region: str | None  # the region chain, places joined by PATH_SEPARATOR
    year: int | None
    department: str | None
    disclosure: str | None  # 部门预算 | 单位预算 | 部门决算 | 单位决算
    pages: int
    indexed_at: str
    parent: str | None = None  # the national organ a central unit is directly under

    @property
    def meta(self) -> DocumentMeta:
        return DocumentMeta(title=self.title, region=tuple(self.region.split(PATH_SEPARATOR)) if self.region else (),
                            year=self.year, department=self.department, kind=self.disclosure, parent=self.parent)

    @property
    def district(self) -> str | None:
        return self.meta.district


class FactStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as db:
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                for table in ("facts", "chunks", "documents"):
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.executescript(SCHEMA)

    @contextmanager
    def connect(self):
        """Yield a connection that commits on success and rolls back on any error."""
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            with db:
                yield db
        finally:
            db.close()

    def replace_document(self, record: DocumentRecord, facts: list[Fact], chunks: list[Chunk],
                         checks: list[CheckResult] = (), inventory: Inventory | None = None) -> None:
        """Given a document's record, facts, chunks, consistency checks and inventory, store them in place of any
        earlier version."""
        with self.connect() as db:
            for table in DOCUMENT_TABLES:
                db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (record.doc_id,))
            db.executemany("INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [check_to_row(record.doc_id, check) for check in checks])
            if inventory is not None:
                db.executemany("INSERT INTO inventory VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               inventory_to_rows(record.doc_id, inventory))
            db.execute(f"INSERT INTO documents VALUES ({', '.join('?' * len(fields(DocumentRecord)))})",
                       [getattr(record, f.name) for f in fields(DocumentRecord)])
            db.executemany(f"INSERT INTO facts ({', '.join(_FACT_COLUMNS)}) VALUES ({', '.join('?' * len(_FACT_COLUMNS))})",
                           [fact_to_row(fact) for fact in facts])
            db.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                (c.id, c.doc_id, record.sha256, c.kind, c.where, c.first_page, c.last_page, c.table_kind,
                 ",".join(c.fact_ids), c.text) for c in chunks])

    def drop_document(self, doc_id: str) -> None:
        with self.connect() as db:
            for table in DOCUMENT_TABLES:
                db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))

    def checks(self, doc_id: str | None = None) -> list[CheckResult]:
        """Return the consistency checks computed when the documents were indexed (of ``doc_id`` if given)."""
        sql, params = 'SELECT * FROM checks', []
        if doc_id is not None:
            sql, params = sql + " WHERE doc_id = ?", [doc_id]
        with self.connect() as db:
            return [row_to_check(row) for row in db.execute(sql + " ORDER BY rowid", params)]

    def inventory(self, doc_id: str) -> Inventory:
        """Return a document's inventory: its tables as printed and what could not be read."""
        with self.connect() as db:
            rows = db.execute("SELECT * FROM inventory WHERE doc_id = ? ORDER BY position", (doc_id,)).fetchall()
        tables = tuple(TableEntry(kind, title, tuple(int(p) for p in pages.split(",") if p), unit, n_rows, figures,
                                  tuple(notes.split(PATH_SEPARATOR)) if notes else ())
                       for _, _, kind, title, pages, unit, n_rows, figures, notes, problem in rows if problem is None)
        return Inventory(tables, tuple(row[9] for row in rows if row[9] is not None))

    def chunks(self, doc_ids: list[str] | None = None) -> list[Chunk]:
        """Return the stored chunks of the current document versions (of ``doc_ids`` if given)."""
        sql = ('SELECT chunk_id, doc_id, text, kind, "where", first_page, last_page, fact_ids, table_kind '
               "FROM chunks")
        params: list = []
        if doc_ids is not None:
            sql += f" WHERE doc_id IN ({', '.join('?' * len(doc_ids))})"
            params = list(doc_ids)
        with self.connect() as db:
            rows = db.execute(sql + " ORDER BY chunk_id", params).fetchall()
        return [Chunk(*row[:7], fact_ids=row[7].split(",") if row[7] else [], table_kind=row[8]) for row in rows]

    def documents(self) -> list[DocumentRecord]:
        with self.connect() as db:
            rows = db.execute("SELECT * FROM documents ORDER BY doc_id").fetchall()
        return [DocumentRecord(*row) for row in rows]

    def document(self, doc_id: str) -> DocumentRecord | None:
        return next((d for d in self.documents() if d.doc_id == doc_id), None)

    def facts(self, **where) -> list[Fact]:
        """Given column=value filters (a list or tuple value means any of them), return matching facts."""
        clauses, params = [], []
        for column, wanted in where.items():
            if column not in _QUERYABLE:
                raise ValueError(f"unknown fact column: {column}")
            if isinstance(wanted, (list, tuple, set)):
                clauses.append(f"{column} IN ({', '.join('?' * len(wanted))})")
                params += [str(w) if isinstance(w, Decimal) else w for w in wanted]
            elif wanted is None:
                clauses.append(f"{column} IS NULL")
            else:
                clauses.append(f"{column} = ?")
                params.append(str(wanted) if isinstance(wanted, Decimal) else wanted)
        sql = f"SELECT {', '.join(_FACT_COLUMNS)} FROM facts"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        with self.connect() as db:
            return [row_to_fact(row) for row in db.execute(sql + " ORDER BY rowid", params)]

    def fact(self, fact_id: str) -> Fact | None:
        found = self.facts(id=fact_id)
        return found[0] if found else None


def fact_to_row(fact: Fact) -> list:
    """Given a Fact, return its column values for SQLite (Decimal as exact text, paths joined, a box as
    'x0,top,x1,bottom')."""
    row = []
    for name in _FACT_COLUMNS:
        value = getattr(fact, name)
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, tuple):
            value = PATH_SEPARATOR.join(value)
        elif isinstance(value, Box):
            value = ",".join(f"{v:.2f}" for v in (value.x0, value.top, value.x1, value.bottom))
        row.append(value)
    return row


def row_to_fact(row: tuple) -> Fact:
    """Given a SQLite row of the facts table, return the Fact it stores."""
    values = dict(zip(_FACT_COLUMNS, row))
    values["value"] = Decimal(values["value"])
    values["in_wan"] = Decimal(values["in_wan"]) if values["in_wan"] is not None else None
    values["box"] = Box(*map(float, values["box"].split(","))) if values["box"] else None
    for name in ("row_path", "column_path", "section_path"):
        values[name] = tuple(values[name].split(PATH_SEPARATOR)) if values[name] else ()
    return Fact(**values)


def check_to_row(doc_id: str, check: CheckResult) -> tuple:
    """Given a check result, return its row of the checks table."""
    def side(s: Side) -> tuple:
        return (None if s.value is None else str(s.value), ",".join(s.fact_ids), s.place)
    return (doc_id, check.check, check.status, *side(check.left), *side(check.right), check.note)


def row_to_check(row: tuple) -> CheckResult:
    """Given a row of the checks table, return the check result it stores."""
    doc_id, check, status, lv, lf, lp, rv, rf, rp, note = row
    def side(value, facts, place) -> Side:
        return Side(None if value is None else Decimal(value), tuple(facts.split(",")) if facts else (), place)
    return CheckResult(check, doc_id, status, side(lv, lf, lp), side(rv, rf, rp), note or "")


def inventory_to_rows(doc_id: str, inventory: Inventory) -> list[tuple]:
    """Given a document's inventory, return its rows of the inventory table (tables, then problems)."""
    rows = [(doc_id, k, t.kind, t.title, ",".join(map(str, t.pages)), t.unit, t.rows, t.figures,
             PATH_SEPARATOR.join(t.notes), None) for k, t in enumerate(inventory.tables)]
    return rows + [(doc_id, len(rows) + k, None, None, None, None, None, None, None, problem)
                   for k, problem in enumerate(inventory.problems)]
