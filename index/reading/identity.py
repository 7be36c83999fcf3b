"""A disclosure published as two files — its text and its tables — is one disclosure: the file that prints no
year (a tables-only file whose tables print no year) or no department takes its partner's.

    complete_identity(meta, source, known)   the meta, with what its partner among ``known`` files says

A partner is found only where exactly one fits: the same department (and kind) with a year, preferring files of
the same folder; or, for a file that names no department, the one disclosure of its folder of its kind (and
year, when it prints one).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from index.model import DocumentMeta

Known = list[tuple[Path, DocumentMeta]]  # files already read (this run or indexed before) and their identity


def complete_identity(meta: DocumentMeta, source: Path, known: Known) -> DocumentMeta:
    """Given a file's identity as it prints it, the file and the files known, return its identity completed from
    its partner's, or as it is when it is complete or no single partner fits."""
    if meta.year and meta.department:
        return meta
    others = [(path, other) for path, other in known if Path(path).resolve() != Path(source).resolve()
              and (not meta.kind or not other.kind or other.kind == meta.kind)]
    if meta.department:
        partner = single(others, source, lambda m: m.department == meta.department and m.year is not None)
        return replace(meta, year=partner.year) if partner else meta
    folder = [(p, m) for p, m in others if Path(p).parent == Path(source).parent]
    partner = single(folder, source, lambda m: m.department is not None and m.year is not None
                     and (meta.year is None or m.year == meta.year))
    if partner is None:
        return meta
    return replace(meta, department=partner.department, region=partner.region, parent=partner.parent,
                   year=meta.year or partner.year)


def single(known: Known, source: Path, fits) -> DocumentMeta | None:
    """Given known files, a file and what a partner must be, return the one that fits (one of the file's folder
    first), or None when none or several do."""
    fitting = [(path, meta) for path, meta in known if fits(meta)]
    near = [meta for path, meta in fitting if Path(path).parent == Path(source).parent]
    choices = {(m.department, m.year) for m in near} or {(m.department, m.year) for _, m in fitting}
    if len(choices) != 1:
        return None
    return next(meta for _, meta in fitting if (meta.department, meta.year) in choices)
