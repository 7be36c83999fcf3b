"""Question answering over budget disclosures: ``from qa import query``."""
from __future__ import annotations


def __getattr__(name: str):
    # Imported lazily so that `common.settings` can be used without loading the answering stack.
    if name == "query":
        from qa.engine import query

        return query
    if name == "Answer":
        from qa.answer.model import Answer

        return Answer
    raise AttributeError(name)


__all__ = ["query", "Answer"]
