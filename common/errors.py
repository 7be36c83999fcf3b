"""Errors a user sees: each names the file and the cause, in Chinese and English."""
from __future__ import annotations

from pathlib import Path


class BudgetQAError(Exception):
    """An error with a bilingual message meant for the person using the tool."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


class LoadError(BudgetQAError):
    """A file that could not be read as a disclosure."""

    def __init__(self, path: Path | str, zh: str, en: str):
        self.path = Path(path)
        super().__init__(f"{self.path.name}：{zh}", f"{self.path.name}: {en}")
