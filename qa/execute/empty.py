"""A table published empty: what a part asks of a table that the disclosure prints with no figures ('本部门无政府性
基金预算财政拨款安排的预算，故本表为空表') is answered by saying so, with the table, its page and the reason it
prints, instead of a figure of some other table that shares a word.
"""
from __future__ import annotations

from common.printed import match_key
from qa.answer.model import Citation
from qa.answer.wording import templates
from qa.execute.context import Context
from qa.execute.narrative import Quote
from qa.plan.analyze import Intent
from qa.plan.scope import Scope
from qa.plan.words import vocabulary

MIN_TITLE_WORD = 2
NOTE_WORDS: tuple[str, ...] = tuple(vocabulary()["empty_table_note_words"])


def asked_kinds(intent: Intent) -> set[str]:
    """Given a part read, return the table kinds it asks of: those it names, and each concept's first table."""
    return set(intent.tables_named) | {c.tables[0] for c in intent.concepts if c.tables}


def names_title(intent: Intent, title: str) -> bool:
    """Given a part read and a table's title, return whether the part's own words stand in the title (市级重点专项资金
    of '…市级重点专项资金绩效目标表'), so that it asks of that table among several of its kind."""
    words = [match_key(w) for w in (*intent.row_terms, *intent.keywords) if len(w) >= MIN_TITLE_WORD]
    return bool(words) and all(w in match_key(title) for w in words)


def empty_table_quote(intent: Intent, scope: Scope, ctx: Context) -> Quote | None:
    """Given a part and its scope, return the quote saying that the table it asks of is printed empty, or None:
    a table of an asked kind with no figure, the only one of its kind in the document or the one whose title
    holds the part's words."""
    kinds = asked_kinds(intent)
    for doc_id in scope.doc_ids:
        tables = ctx.store.inventory(doc_id).tables
        for table in tables:
            if table.kind not in kinds or table.figures:
                continue
            alone = not any(t.kind == table.kind and t.figures for t in tables)
            if alone or names_title(intent, table.title):
                reason = next((note for note in table.notes if any(w in note for w in NOTE_WORDS)), "")
                text = templates()["empty_table"].format(title=table.title, reason=reason)
                citation = Citation(n=0, doc_id=doc_id, page=table.pages[0] if table.pages else None,
                                    table_kind=table.kind, table_name=table.title, quote=reason or "（空表）")
                return Quote(text, citation, [])
    return None
