"""Budget tables read from a disclosure's pages: pages → table pieces → BudgetTables.

A PDF's pieces come from the ruled grids pdfplumber finds (index.tables.grid); a text file's, and a
PDF page with a table title but no ruled grid, from the page text (index.tables.text). Either way
the pieces are joined and rebuilt into tables by index.tables.build, so a PDF and its text are read
by the same rules.
"""
from __future__ import annotations

from index.model import BudgetTable, Document
from index.tables.build import pieces_to_tables
from index.tables.grid import pdf_pages_to_pieces
from index.tables.text import text_pages_to_pieces


def document_to_tables(doc: Document) -> list[BudgetTable]:
    """Given a loaded document, return its budget tables."""
    pieces = pdf_pages_to_pieces(doc.pages) if doc.kind == "pdf" else text_pages_to_pieces(doc.pages)
    return pieces_to_tables(doc.id, pieces, doc.meta.department)
