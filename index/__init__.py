"""Disclosures → the index, one folder a stage, each standing on the ones before it:

    reading/   a file → Document: pages, lines, ruled grids, text as printed, who/where/when (meta), sections
    tables/    pages → table pieces → BudgetTables (grids, titles, header trees, rows, kinds)
    facts/     tables and sections → Facts (cells and sentences), the Structure of a document
    checks/    a Structure → consistency findings and the table inventory
    store/     facts, chunks, checks → SQLite; chunks → embeddings → Chroma

``indexer.py`` runs them in order for each file; ``model.py`` holds the typed objects passed between them.
"""
