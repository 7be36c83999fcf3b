"""Consistency checks of a disclosure, whatever its layout: do its tables add up, does its text agree with
them and with itself, and is it consistent as a document?

    structure_to_checks(structure)
      ├ table_checks       (index.checks.tables)    parent = Σ children, totals, 预算单位 and department sums,
      │                                             收 = 支, one item in two tables
      ├ text_checks        (index.checks.text)      text vs tables, stated rates, shares and completion
      └ document_checks    (index.checks.document)  its year, its 目录, empty tables, placeholders

Each result names both places in the document's words; rounding differences are kept apart from real ones.
The results are computed when a document is indexed and stored with it (index.store.facts).
"""
from __future__ import annotations

from index.checks.document import document_checks
from index.checks.model import CheckResult
from index.checks.tables import table_checks
from index.checks.text import text_checks
from index.facts.structure import Structure


def structure_to_checks(structure: Structure) -> list[CheckResult]:
    """Given a document's structure, return the result of every consistency check that applies to it."""
    doc = structure.document
    cells = [f for f in structure.facts if f.kind == "cell"]
    texts = [f for f in structure.facts if f.kind == "text"]
    first_columns = {(t.name, t.side): t.columns[0] for t in structure.tables if t.columns}
    return (table_checks(doc.id, cells, doc.meta.department, first_columns)
            + text_checks(doc.id, structure.sections, texts, cells, doc.meta.department, doc.meta.is_final,
                          first_columns)
            + document_checks(doc, structure.sections, structure.tables))
