"""Tables: a Document's pages → table pieces (ruled grids or text) → BudgetTables (pieces joined, header trees,
label and value columns, rows, kinds from table_kinds.yaml). ``document.document_to_tables`` is the entry."""
