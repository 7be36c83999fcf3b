"""Facts: BudgetTables and sections → one Fact per printed number (cells and sentences); the Structure of a
document. ``structure.document_to_structure`` is the entry."""
