"""Passage questions → the section of the text part that answers them, quoted and cited.

原因 / 为什么, 主要用于, 包括哪些, 主要职责, 主要工作目标 … are answered from the text part, not from a
figure. The chain, each step a small function:

    document_sections   a document's section chunks → its section tree: the headings printed inside
                        a chunk split out, and lead-ins ('…主要职责：') given the list that follows
    question_subject    the intent → the words naming what is asked about (item, 预算单位, concept)
    ranked_candidates   the trees → the sections (and, for a reason or a purpose, the paragraphs),
                        best first: whose headings and text best cover the subject
    answer_text         that section → the paragraph asked for, or the section with its whole list,
                        cut to ANSWER_CHARS
    narrative_quote     all of it → the best candidate's quoted text (a candidate with none gives
                        way to the next), its citation and the chunks it comes from

What a question asks for (a reason, a purpose …) and the words marking the paragraph that gives it
are read from qa/plan/vocabulary.yaml (``narrative_answers``); the code holds only the procedure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from index.model import Chunk
from index.reading.sections import match_heading
from index.store.facts import FactStore
from index.facts.text import INSTRUCTION
from qa.plan.analyze import Intent, normalize
from qa.answer.model import Citation, Passage
from qa.plan.words import vocabulary
from qa.execute.retrieve import chunk_to_passage

ANSWER_CHARS = 800  # at most this much of a section is quoted
OWN_HEADING, ANCESTOR_HEADING, PARAGRAPH, OWN_TEXT = 1.0, 0.5, 0.8, 0.3  # where a subject word counts how much
RETRIEVAL_WEIGHT = 0.1  # a section the retriever ranked first gains this much, the n-th this / n
UNMARKED_WEIGHT = 0.6  # asked for a reason or a purpose, a section without the paragraph giving it counts this much
LEAD_IN_ENDINGS = ("：", ":")
DETAILS = ("full", "sentence", "title")  # how much of each list item is quoted, most first
SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*|\d+[a-z]+")


# --- typed objects ----------------------------------------------------------------------------------

@dataclass
class TextSection:
    """A section of a document's text part as its chunks print it: heading path, own paragraphs,
    subsections and the chunks its own paragraphs come from."""

    doc_id: str
    path: tuple[str, ...]
    lines: list[str] = field(default_factory=list)
    children: list[TextSection] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return self.path[-1] if self.path else ""

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class AnswerKind:
    """What a question asks for (a reason, a purpose), the cue words that ask it and the marker
    words of the paragraph that gives it."""

    name: str
    cues: tuple[str, ...]
    markers: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    """A section that may answer, with the headings above it and, when the question asks for a
    reason or a purpose, the one paragraph of it that gives that."""

    section: TextSection
    ancestors: tuple[str, ...]
    paragraph: str | None = None


@dataclass(frozen=True)
class Quote:
    """The answer's text, its citation and the chunks it is quoted from (as passages)."""

    text: str
    citation: Citation
    passages: list[Passage]


# --- the chain --------------------------------------------------------------------------------------

def narrative_quote(intent: Intent, passages: list[Passage], store: FactStore,
                    departments: dict[str, str]) -> Quote | None:
    """Given a passage question's intent, the retrieved passages and the store (with each document's
    department), return the text of the best candidate that has any, cited; None when none has."""
    kind = answer_kind(intent.normalized)
    for candidate in ranked_candidates(intent, passages, store, departments, kind):
        doc_id = candidate.section.doc_id
        text = answer_text(candidate, kind, question_subject(intent, doc_id, departments.get(doc_id, "")))
        if text.strip():
            chunks = quoted_chunks(candidate)
            return Quote(text, section_citation(candidate.section, chunks, text), quoted_passages(chunks, passages))
    return None


def ranked_candidates(intent: Intent, passages: list[Passage], store: FactStore, departments: dict[str, str],
                      kind: AnswerKind | None) -> list[Candidate]:
    """Given the intent, the retrieved passages, the store, the departments and the kind of answer
    asked, return the candidates of every retrieved document, best first (on a tie, the earlier
    document, then the earlier section)."""
    ranks = retrieval_ranks(passages)
    scored = []
    for doc_index, doc_id in enumerate(dict.fromkeys(p.doc_id for p in passages)):
        root = document_sections(doc_id, store.chunks([doc_id]))
        subject = question_subject(intent, doc_id, departments.get(doc_id) or "")
        scored += [(candidate_score(c, subject, ranks, kind), -doc_index, -i, c)
                   for i, c in enumerate(candidates(root, kind))]
    return [item[-1] for item in sorted(scored, key=lambda item: item[:3], reverse=True)]


def answer_kind(question: str) -> AnswerKind | None:
    """Given a normalised question, return the first kind of answer whose cue words it holds, or None
    (the answer is then a whole section)."""
    return next((kind for kind in answer_kinds() if any(cue in question for cue in kind.cues)), None)


@cache
def answer_kinds() -> tuple[AnswerKind, ...]:
    """Return the kinds of passage answers of qa/plan/vocabulary.yaml, in order of precedence."""
    return tuple(AnswerKind(name, tuple(normalize(w) for w in entry["cues"]), tuple(normalize(w) for w in entry["markers"]))
                 for name, entry in vocabulary()["narrative_answers"].items())


def retrieval_ranks(passages: list[Passage]) -> dict[str, int]:
    """Given the retrieved passages, return each text chunk's 1-based rank among the text passages."""
    texts = [p for p in passages if not p.where.startswith("表")]
    return {p.chunk_id: rank for rank, p in enumerate(texts, start=1)}


# --- chunks → section tree --------------------------------------------------------------------------

def document_sections(doc_id: str, chunks: list[Chunk]) -> TextSection:
    """Given a document's chunks in order, return the tree of its text part's sections.

    A chunk holds a section (with its subsections when they fit) under its path; headings printed
    inside a chunk, run into their paragraph or not, become subsections again, and a section whose
    lead-ins ('A主要职责：' 'B主要职责：') each introduce a list restarting at 1 gets one subsection
    per lead-in holding its list."""
    root = TextSection(doc_id, ())
    open_sections: list[TextSection] = []
    previous = None
    for chunk in chunks:
        if chunk.kind != "section":
            continue
        path = tuple(chunk.where.split(" / "))
        section = section_at(root, path)
        section.chunks.append(chunk)
        if path != previous:  # a chunk continuing the same section goes on where the last one stopped
            open_sections = [section]
        open_sections = add_lines(open_sections, chunk.text.split("\n")[1:])
        previous = path
    for section in root.walk():
        group_lead_ins(section)
    return root


def section_at(root: TextSection, path: tuple[str, ...]) -> TextSection:
    """Given the tree and a heading path, return the section there, adding it (and its parents) if new."""
    section = root
    for depth in range(1, len(path) + 1):
        child = next((c for c in section.children if c.path == path[:depth]), None)
        if child is None:
            child = TextSection(root.doc_id, path[:depth])
            section.children.append(child)
        section = child
    return section


def add_lines(open_sections: list[TextSection], lines: list[str]) -> list[TextSection]:
    """Given the open sections (the chunk's own first) and a chunk's lines, add each line to the
    innermost open section, a heading line opening a subsection; return the sections left open.

    Headings are split as index.reading.sections splits them: a heading run into its paragraph
    ('1.电子政务运行维护预算 4,103.61 万元，主要包括：…') is the heading ('1.电子政务运行维护预算
    4,103.61 万元') and, as the section's paragraph, the words after its marker. A chunk prints its
    own section's heading so when it is run in ('（四）项目支出 4,436.15 万元，具体包括：')."""
    stack = list(open_sections)
    for line in (line.strip() for line in lines):
        if not line or INSTRUCTION.search(line):  # a quote never repeats an instruction slipped into a document
            continue
        heading = match_heading(line) if "\t" not in line else None
        if heading and heading.level > heading_level(stack[0].heading):
            while len(stack) > 1 and heading_level(stack[-1].heading) >= heading.level:
                stack.pop()
            child = TextSection(stack[-1].doc_id, stack[-1].path + (heading.text,),
                                chunks=stack[0].chunks[-1:])
            stack[-1].children.append(child)
            stack.append(child)
        if heading and heading.text == stack[-1].heading:
            stack[-1].lines.extend([heading.rest.strip()] if heading.run_in else [])
        else:
            stack[-1].lines.append(line)
    return stack


def heading_level(text: str) -> int:
    """Given a heading or a line, return its heading level (0 when it is no heading)."""
    heading = match_heading(text)
    return heading.level if heading else 0


def group_lead_ins(section: TextSection) -> None:
    """Given a section, give each of its last lead-in lines ('…主要职责：') the run of subsections
    that follows it in order, when its subsections form as many lists restarting at 1."""
    runs = list_runs(section.children)
    lead_ins = [line for line in section.lines if line.endswith(LEAD_IN_ENDINGS)]
    if len(runs) < 2 or len(lead_ins) < len(runs):
        return
    paired = lead_ins[-len(runs):]
    section.lines = [line for line in section.lines if line not in paired]
    section.children = [TextSection(section.doc_id, section.path + (lead_in,), children=run,
                                    chunks=[c for child in run for c in child.chunks][:1])
                        for lead_in, run in zip(paired, runs)]


def list_runs(sections: list[TextSection]) -> list[list[TextSection]]:
    """Given subsections in order, return them as lists, a new list starting at each item numbered 1."""
    runs: list[list[TextSection]] = []
    for section in sections:
        heading = match_heading(section.heading)
        if not runs or (heading is not None and heading.ordinal == 1):
            runs.append([])
        runs[-1].append(section)
    return runs


# --- question → subject -----------------------------------------------------------------------------

def question_subject(intent: Intent, doc_id: str, department: str) -> frozenset[str]:
    """Given the intent, a document and its department, return the words (character pairs) naming
    what the question asks about: its concepts and where the vocabulary says they stand, its rows,
    columns and other content words, and the 预算单位 it names as far as it differs from the department."""
    words = [c.matched or c.name for c in intent.concepts] + [s for c in intent.concepts for s in c.section]
    words += list(intent.row_terms) + list(intent.column_terms) + list(intent.keywords)
    units = [word_pairs(unit) - word_pairs(department) for unit in intent.budget_units.get(doc_id, ())]
    return frozenset().union(*(word_pairs(w) for w in words), *units)


def word_pairs(text: str) -> frozenset[str]:
    """Given text, return its comparable pieces: each pair of adjacent Chinese characters, and each
    Latin word (WIFI, 5g); punctuation, spaces and bare numbers are no pieces."""
    text = normalize(text).lower()
    pairs = {run[i:i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)}
    return frozenset(pairs | set(_WORD.findall(text)))


# --- the section that answers ------------------------------------------------------------------------

def candidates(root: TextSection, kind: AnswerKind | None) -> list[Candidate]:
    """Given a document's tree and the kind of answer asked, return every section that may answer
    and, for a reason or a purpose, each paragraph holding one of the kind's marker words."""
    found = []

    def visit(section: TextSection, ancestors: tuple[str, ...]) -> None:
        if section.path:
            found.append(Candidate(section, ancestors))
            found.extend(Candidate(section, ancestors, line) for line in section.lines
                         if kind and any(marker in normalize(line) for marker in kind.markers))
        for child in section.children:
            visit(child, ancestors + ((section.heading,) if section.path else ()))

    visit(root, ())
    return found


def candidate_score(candidate: Candidate, subject: frozenset[str], ranks: dict[str, int],
                    kind: AnswerKind | None) -> float:
    """Given a candidate, the subject, the retrieval ranks and the kind of answer asked, return how
    well it answers: the share of the subject found in its own heading, its ancestors' headings, its
    paragraph or its text (each word counting by the best place it is found), plus a little for the
    retriever's rank. A section's text is its own paragraphs and its subsections' headings: what it
    says at its own level. Asked for a reason or a purpose, a whole section is only a fallback."""
    section = candidate.section
    places = [(OWN_HEADING, word_pairs(section.heading)),
              (ANCESTOR_HEADING, word_pairs(" ".join(candidate.ancestors)))]
    if candidate.paragraph is not None:
        places.append((PARAGRAPH, word_pairs(candidate.paragraph)))
    else:
        places.append((OWN_TEXT, word_pairs("\n".join(section.lines + [c.heading for c in section.children]))))
    covered = sum(max((weight for weight, pairs in places if word in pairs), default=0.0) for word in subject)
    rank = min((ranks[c.id] for c in section.chunks if c.id in ranks), default=None)
    score = covered / max(len(subject), 1) + (RETRIEVAL_WEIGHT / rank if rank else 0.0)
    return score * UNMARKED_WEIGHT if kind and candidate.paragraph is None else score


# --- the answering text -----------------------------------------------------------------------------

def answer_text(candidate: Candidate, kind: AnswerKind | None, subject: frozenset[str] = frozenset()) -> str:
    """Given the chosen candidate, the kind of answer asked and what the question is about, return the text that
    answers: its paragraph, else the section with its list, at most ANSWER_CHARS."""
    if candidate.paragraph is not None and kind is not None:
        return paragraph_text(candidate.paragraph, kind, subject)
    return fitted_text(candidate.section)


def paragraph_text(paragraph: str, kind: AnswerKind, subject: frozenset[str] = frozenset()) -> str:
    """Given a paragraph holding a marker word of the kind asked and what the question is about, return it
    whole when it fits ANSWER_CHARS, else from its marked sentence that says most of the subject (the first
    of them) on, cut to ANSWER_CHARS: '三公经费…减少的主要原因是…；…会议费 32 万元…主要原因是…' asked of 会议费."""
    if len(paragraph) <= ANSWER_CHARS:
        return paragraph
    sentences = [s for s in SENTENCE_END.split(paragraph) if s]
    marked = [i for i, s in enumerate(sentences) if any(m in normalize(s) for m in kind.markers)] or [0]
    first = max(marked, key=lambda i: (len(subject & word_pairs(sentences[i])), -i))
    return "".join(sentences[first:])[:ANSWER_CHARS]


def fitted_text(section: TextSection) -> str:
    """Given a section, return it with its list in as much detail as fits ANSWER_CHARS: whole, each
    item cut to its first sentence, or each item's title; failing that, the lines of the titles that fit."""
    for detail in DETAILS:
        lines = listed_lines(section, detail)
        if len("\n".join(lines)) <= ANSWER_CHARS:
            return "\n".join(lines)
    kept = [line for i, line in enumerate(lines) if i == 0 or len("\n".join(lines[:i + 1])) <= ANSWER_CHARS]
    return "\n".join(kept)[:ANSWER_CHARS]


def listed_lines(section: TextSection, detail: str) -> list[str]:
    """Given a section and a detail (DETAILS), return its own paragraphs, then each subsection as an
    item of its list, in that detail."""
    return list(section.lines) + [line for child in section.children for line in item_lines(child, detail)]


def item_lines(section: TextSection, detail: str) -> list[str]:
    """Given a subsection and a detail, return it as an item: 'full' its lines with the heading run
    into the first paragraph ('1. 标题。正文…', not the title twice), 'sentence' that first line's
    first sentence, 'title' its heading; each followed by its own items in the same detail."""
    items = [line for child in section.children for line in item_lines(child, detail)]
    if detail == "title":
        return [section.heading] + items
    first, *more = headed_lines(section)
    return ([first_sentence(first)] if detail == "sentence" else [first, *more]) + items


def headed_lines(section: TextSection) -> list[str]:
    """Given a subsection, return its heading and own paragraphs, the heading run into the first
    paragraph when that starts with the heading's title."""
    heading = match_heading(section.heading)
    if heading and section.lines:
        title = heading.rest.strip().rstrip("…")
        if title and normalize(section.lines[0]).startswith(normalize(title)):
            gap = " " if heading.spaced else ""
            return [f"{heading.marker.strip()}{gap}{section.lines[0]}"] + section.lines[1:]
    return [section.heading] + section.lines


def first_sentence(line: str) -> str:
    """Given a line, return its first sentence (up to the first 。；！？)."""
    return next((s for s in SENTENCE_END.split(line) if s), line)


# --- citing -----------------------------------------------------------------------------------------

def section_citation(section: TextSection, chunks: list[Chunk], text: str) -> Citation:
    """Given the section quoted, the chunks quoted and the quote, return its citation (document,
    first page, path)."""
    page = chunks[0].first_page if chunks else None
    return Citation(n=1, doc_id=section.doc_id, page=page, section_path=list(section.path), quote=text)


def quoted_chunks(candidate: Candidate) -> list[Chunk]:
    """Given the candidate quoted, return the chunks its quote comes from: its paragraph's section's
    chunks, or those of the whole section with its subsections."""
    return candidate.section.chunks if candidate.paragraph is not None else section_chunks(candidate.section)


def section_chunks(section: TextSection) -> list[Chunk]:
    """Given a section, return the chunks its text and its subsections' text come from, in order."""
    return list({c.id: c for s in section.walk() for c in s.chunks}.values())


def quoted_passages(chunks: list[Chunk], passages: list[Passage]) -> list[Passage]:
    """Given the chunks quoted and the retrieved passages, return the chunks quoted first (as
    passages), then the other retrieved passages, as many passages as were retrieved (or quoted)."""
    quoted = [chunk_to_passage(c, 1.0) for c in chunks]
    ids = {p.chunk_id for p in quoted}
    return (quoted + [p for p in passages if p.chunk_id not in ids])[:max(len(passages), len(quoted))]
