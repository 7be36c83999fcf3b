"""The words of questions: qa/plan/vocabulary.yaml, read once.

Every step of answering reads its own section of the file (analyze its concepts and cue words, names its
affixes and endings, lookup its table weights, wording nothing: answers are phrased by prompts/); this
module only reads it, so that no step has to import another to get at the words.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

VOCABULARY = Path(__file__).with_name("vocabulary.yaml")
RENAMED = Path(__file__).with_name("renamed.yaml")


@cache
def vocabulary() -> dict:
    """Given nothing, return qa/plan/vocabulary.yaml as read (once)."""
    return yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))


@cache
def renamed() -> dict:
    """Given nothing, return qa/plan/renamed.yaml as read (once): fields' older names and shortened endings."""
    return yaml.safe_load(RENAMED.read_text(encoding="utf-8"))
