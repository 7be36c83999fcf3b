"""The kinds of tables a disclosure prints, read from table_kinds.yaml: a table's kind from its printed
name, the standard header trees of flattened text, and the words of label columns and notes.

Tables that match no kind are still read generically (kind None): title, column paths, row paths,
cells.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from index.tables.cells import clean_text
from common.printed import match_key


KNOWLEDGE_FILE = Path(__file__).with_name("table_kinds.yaml")


@dataclass
class HeaderNode:
    """One header cell of a kind's standard header tree: its spellings and its sub-columns."""

    name: str  # canonical spelling
    spellings: list[str]  # literal spellings, matched after normalisation
    patterns: list[re.Pattern]  # regular-expression spellings
    children: list[HeaderNode] = field(default_factory=list)


@dataclass
class IndicatorWords:
    """What table_kinds.yaml says about a 绩效目标表's indicator part."""

    labels: list[str]  # 一级指标, 二级指标, 三级指标
    column: str  # 目标值
    header: re.Pattern  # the row the part begins with
    column_words: re.Pattern  # cells that only name the columns
    first_level: re.Pattern  # 一级指标 names
    second_level: re.Pattern  # 二级指标 names
    sign: re.Pattern  # a comparison sign ('≥', '不少于')
    value: re.Pattern  # a 目标值 with one amount: its sign, number and unit


@dataclass
class TableKind:
    """What table_kinds.yaml says about one kind of table."""

    name: str  # the kind, e.g. 一般公共预算支出表
    number: int | None  # its place in the standard twelve-table set, if it has one
    match: re.Pattern
    labels: list[str] = field(default_factory=list)
    columns: list[HeaderNode] = field(default_factory=list)
    wrapper: HeaderNode | None = None
    two_sided: bool = False
    performance: bool = False
    year_column: HeaderNode | None = None
    stop: re.Pattern | None = None
    indicators: IndicatorWords | None = None


@dataclass
class Knowledge:
    """table_kinds.yaml, compiled."""

    kinds: list[TableKind]
    label_roles: dict[str, str]  # normalised header cell -> unit / code / name / extra
    label_endings: dict[str, tuple[str, ...]]  # role -> endings of header cells of that role
    code: re.Pattern  # a code as printed in a code column
    subject_code: re.Pattern
    unit_ends: re.Pattern
    unit_begins: re.Pattern
    expenditure_side: re.Pattern
    income_side: re.Pattern
    notes: re.Pattern
    year_cell: re.Pattern
    form_header: re.Pattern
    form_subject: re.Pattern
    form_value: re.Pattern
    form_unit: re.Pattern
    name_endings: dict[str, str]  # an ending other templates print → the standard one
    collective: re.Pattern  # the name of a set of tables
    count_column: re.Pattern  # a column that counts things, never money

    def by_number(self, number: int) -> TableKind | None:
        return next((kind for kind in self.kinds if kind.number == number), None)

    def by_name(self, name: str | None) -> TableKind | None:
        return next((kind for kind in self.kinds if kind.name == name), None)


def spelling_to_node(spelling: str, children: list | None = None) -> HeaderNode:
    """Given a yaml spelling ('A|B', 're:…', 'A|re:…') and sub-columns, return its HeaderNode."""
    literals: list[str] = []
    patterns: list[re.Pattern] = []
    rest = str(spelling)
    while rest:
        if rest.startswith("re:"):
            patterns.append(re.compile(rest[3:]))
            break
        head, _, rest = rest.partition("|")
        literals.append(head)
    name = literals[0] if literals else str(spelling)
    node = HeaderNode(name=name, spellings=[match_key(s) for s in literals], patterns=patterns)
    node.children = [yaml_to_node(child) for child in children or []]
    return node


def yaml_to_node(item) -> HeaderNode:
    """Given a yaml column entry (a string, or a one-key mapping to sub-columns), return its node."""
    if isinstance(item, dict):
        (spelling, children), = item.items()
        return spelling_to_node(spelling, children)
    return spelling_to_node(item)


def yaml_to_indicator_words(entry: dict) -> IndicatorWords:
    """Given the yaml of a 绩效目标表's indicator part, return it compiled."""
    patterns = {key: re.compile(value) for key, value in entry.items() if key not in ("labels", "column", "amount")}
    value = re.compile(rf"(?P<sign>{entry['sign']})?\s*{entry['amount']}")
    return IndicatorWords(labels=list(entry["labels"]), column=entry["column"], value=value, **patterns)


@lru_cache(maxsize=None)
def knowledge(path: Path = KNOWLEDGE_FILE) -> Knowledge:
    """Given the yaml of table kinds, return it compiled (read once)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    kinds = []
    for entry in data["tables"]:
        kinds.append(TableKind(
            name=entry["kind"],
            number=int(entry["number"]) if entry.get("number") else None,
            match=re.compile(entry["match"]),
            labels=[match_key(label) for label in entry.get("labels", [])],
            columns=[yaml_to_node(item) for item in entry.get("columns", [])],
            wrapper=spelling_to_node(entry["wrapper"]) if entry.get("wrapper") else None,
            two_sided=bool(entry.get("two_sided")),
            performance=bool(entry.get("performance")),
            year_column=spelling_to_node(entry["year_column"]) if entry.get("year_column") else None,
            stop=re.compile(entry["stop"]) if entry.get("stop") else None,
            indicators=yaml_to_indicator_words(entry["indicators"]) if entry.get("indicators") else None,
        ))
    roles = {match_key(name): role for role, names in data["label_columns"].items() for name in names}
    return Knowledge(
        kinds=kinds,
        label_roles=roles,
        label_endings={role: tuple(endings) for role, endings in data["label_endings"].items()},
        code=re.compile(data["code"]),
        subject_code=re.compile(data["subject_code"]),
        unit_ends=re.compile(data["unit_name"]["ends"]),
        unit_begins=re.compile(data["unit_name"]["begins"]),
        expenditure_side=re.compile(data["sides"]["expenditure"]),
        income_side=re.compile(data["sides"]["income"]),
        notes=re.compile(data["notes"]),
        year_cell=re.compile(data["year_cell"]),
        form_header=re.compile(data["form_header"]),
        form_subject=re.compile(data["form_subject"]),
        form_value=re.compile(data["form_value"]),
        form_unit=re.compile(data["form_unit"]),
        collective=re.compile(data["collective"]),
        count_column=re.compile(data["count_column"]),
        name_endings=dict(sorted(data["name_endings"].items(), key=lambda item: -len(item[0]))),
    )


def name_to_kind(name: str, number: int | None = None) -> TableKind | None:
    """Given a table's printed name (and the number its title prints), return its kind, or None for a table
    of no known kind.

    A printed number is only trusted when there is no name: a disclosure that leaves out one of the
    standard tables numbers the rest on (its 表8 may be the standard 表9).
    """
    key = standard_ending(match_key(name))
    bare = standard_ending(re.sub(r"\([^()]*\)$", "", key))  # '…绩效目标表(一级项目)': a note after the name
    for candidate in dict.fromkeys((key, bare)):
        for kind in knowledge().kinds:
            if candidate and kind.match.search(candidate):
                return kind
    if not key and number is not None:
        return knowledge().by_number(number)
    return None


def standard_ending(key: str) -> str:
    """Given a table name (match key), return it with another template's ending read as the standard one."""
    for ending, standard in knowledge().name_endings.items():
        if key.endswith(ending):
            return key[: -len(ending)] + standard
    return key


def label_role(name: str) -> str | None:
    """Given a header cell, return its label role (unit / unit_code / code / code_part / name / extra), or None
    for a value column; a trailing parenthetical is ignored: 项目（按支出功能科目编列至“项”级） is 项目; a header
    no list names is read by its ending (…科目编码 a code, …名称 a name)."""
    key = match_key(name)
    roles = knowledge().label_roles
    bare = re.sub(r"\([^()]*\)$", "", key)
    if key in roles or bare in roles:
        return roles.get(key) or roles[bare]
    return next((role for role, endings in knowledge().label_endings.items() if bare.endswith(endings)), None)


def is_count_column(column: tuple[str, ...]) -> bool:
    """Given a value column's path, return whether it counts things (数量, 人数) rather than holds money."""
    return bool(column) and bool(knowledge().count_column.search(match_key(column[-1])))


def is_collective(text: str) -> bool:
    """Given a line, return whether it names a set of tables ('2021年部门综合预算公开报表'), not one table."""
    return bool(knowledge().collective.search(match_key(text)))


def is_note(text: str) -> bool:
    """Given a line or cell, return whether it is a table note (注：…, 备注：…, 本表…)."""
    return bool(knowledge().notes.search(clean_text(text)))
