"""The ``qa`` command: corpus, index, ask, eval, check, serve."""
from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="部门预算问答 / budget disclosure Q&A")
