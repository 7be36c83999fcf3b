"""Store: what the index keeps on disk — facts, checks and inventories in SQLite (facts.py), chunks of text
(chunks.py) embedded (embed.py) into Chroma (vectors.py)."""
