"""Question answering over budget disclosures: ``from qa import query``."""
