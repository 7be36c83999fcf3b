"""Checks: a document's Structure → consistency findings (tables, text vs tables, the document itself) and its
table inventory. ``run.structure_to_checks`` is the entry."""
