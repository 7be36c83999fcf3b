"""The ``qa`` command: corpus, index, check, ask, eval, serve."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from common.settings import settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="部门预算问答 / budget disclosure Q&A")
console = Console()


class Printer(str, Enum):
    """Who makes the corpus PDFs: reportlab draws them, Chromium prints them from HTML."""

    reportlab = "reportlab"
    chromium = "chromium"


@app.command()
def corpus(src: Path = typer.Option(None, help="folder of .txt disclosures (default: the data folder)"),
           out: Path = typer.Option(None, help="where the PDFs go (default: data/pdf, or data/pdf-chromium)"),
           printer: Printer = typer.Option(Printer.reportlab, help="reportlab (drawn PDFs) | chromium (HTML "
                                           "printed by /usr/bin/chromium, text with CJK radical code points)")):
    """把样例语料渲染成 PDF / Render the sample corpus (text) into PDFs."""
    if printer is Printer.chromium:
        from corpus.render_html import PrintError, print_corpus

        out = out or settings.data_dir / "pdf-chromium"
        try:
            written = print_corpus(src or settings.data_dir, out)
        except PrintError as error:
            console.print(f"[red]{escape(str(error))}[/red]")
            raise typer.Exit(1) from error
    else:
        from corpus.render import render_corpus

        out = out or settings.pdf_dir
        written = render_corpus(src or settings.data_dir, out)
    console.print(f"PDF: {len(written)} 份 / files in {out}")


@app.command()
def index(paths: list[Path] = typer.Argument(None, help="files or folders (default: the sample PDFs and data/real)"),
          prune: bool = typer.Option(False, "--prune", help="drop indexed documents no longer among PATHS")):
    """建立或更新索引 / Build or update the index (unchanged files are skipped)."""
    from index.indexer import index_paths
    from qa.present import inventory_to_text

    report = index_paths(paths or [settings.pdf_dir, settings.real_dir], prune=prune)
    for timing in report.indexed:
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in timing.seconds.items())
        console.print(f"已索引 indexed {timing.doc_id}: {timing.pages} 页 pages, {timing.chunks} chunks, "
                      f"{timing.facts} facts ({stages})")
        console.print(escape(inventory_to_text(timing.doc_id, timing.meta, timing.inventory)), highlight=False)
    if report.skipped:
        console.print(f"未变化，跳过 unchanged, skipped: {', '.join(report.skipped)}")
    if report.pruned:
        console.print(f"已移除 pruned: {', '.join(report.pruned)}")
    for failure in report.failures:
        console.print(f"[red]失败 failed[/red] {failure}")
    if report.failures and not (report.indexed or report.skipped):
        raise typer.Exit(1)


@app.command()
def check(paths: list[Path] = typer.Argument(None, help="files or folders (default: everything indexed)"),
          verbose: bool = typer.Option(False, "--verbose", "-v", help="list passed checks too")):
    """一致性检查 / Consistency report: do the tables add up, does the text agree with them?"""
    from qa.consistency import check_paths, check_store, print_check_report

    results = check_paths(paths) if paths else check_store()
    print_check_report(results, console, verbose=verbose)


@app.command()
def ask(question: str, as_json: bool = typer.Option(False, "--json", help="print the Answer as JSON"),
        show_plan: bool = typer.Option(False, "--plan", help="print how the question was read before the answer"),
        engine: Optional[str] = typer.Option(None, help="extractive | openai | llamacpp | naive")):
    """提问 / Ask a question."""
    from qa import query
    from qa.present import answer_to_text

    answer = query(question, engine=engine)
    if as_json:
        sys.stdout.write(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    else:
        if show_plan and answer.plan:
            console.print("\n".join(answer.plan["lines"]) + "\n", highlight=False)
        console.print(answer_to_text(answer))


@app.command(name="eval")
def evaluate(gold: Path = typer.Argument(Path("eval/gold.jsonl")),
             engine: str = typer.Option("extractive", help="engine to score (naive = plain llama-index baseline)"),
             report: Optional[Path] = typer.Option(None, help="write the JSON report here"),
             min_accuracy: Optional[float] = typer.Option(None, help="exit 1 when overall accuracy is below"),
             limit: Optional[int] = typer.Option(None, help="only the first N questions")):
    """用标准问答集评测 / Score an engine against a gold Q&A set."""
    from qa.evaluate import run

    raise typer.Exit(run(gold, engine, report, min_accuracy, limit=limit))


@app.command()
def serve(host: Optional[str] = None, port: Optional[int] = None):
    """启动问答界面 / Start the chat UI."""
    from app import launch

    try:
        launch(host=host or settings.host, port=port or settings.port)
    except OSError as error:
        console.print(f"[red]无法启动界面：端口 {port or settings.port} 不可用（可设置 QA_PORT 或 --port）[/red] / "
                      f"cannot start the UI: port {port or settings.port} is not available ({error})")
        raise typer.Exit(1) from error


if __name__ == "__main__":
    app()
