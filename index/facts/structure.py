"""A loaded document → its structure: section tree, budget tables, and facts."""
from __future__ import annotations

from dataclasses import dataclass, replace

from index.facts.cells import tables_to_facts
from index.model import BudgetTable, Document, Fact, Section, fact_id
from index.reading.sections import document_to_sections
from index.tables.document import document_to_tables
from index.facts.text import sections_to_facts, table_prose_facts


@dataclass
class Structure:
    document: Document
    sections: Section
    tables: list[BudgetTable]
    facts: list[Fact]


def document_to_structure(doc: Document) -> Structure:
    """Given a loaded document, return its section tree, tables, and every fact in text and tables."""
    sections = document_to_sections(doc)
    tables = document_to_tables(doc)
    facts = tables_to_facts(doc, tables) + sections_to_facts(doc, sections) + table_prose_facts(doc, tables)
    return Structure(doc, sections, tables, number_facts(doc.id, facts))


def number_facts(doc_id: str, facts: list[Fact]) -> list[Fact]:
    """Given a document's facts in reading order, return them with their ids: the document's key and the fact's
    place in that order, so no two facts of a document share one (a re-read of the same file gives the same ids)."""
    key = fact_id(doc_id)
    return [replace(fact, id=f"{key}-{k}") for k, fact in enumerate(facts)]
