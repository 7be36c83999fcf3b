"""Scale benchmark: start-up and question latency with 5, 50 and 200 disclosures indexed.

Run from the project root::

    .venv/bin/python bench/scale.py [--sizes 5,50,200] [--out bench/scale.json] [--keep]

The larger sets are made from the sample disclosures (data/*.txt): each copy is the same document with its
lowest place renamed to an invented one (甲子区, 甲丑区, …), so the catalogue holds that many distinct
disclosures and every question still has one right answer. Each size is indexed into its own folder (the
next size starts from a copy of the previous index), then a fresh Python measures:

- start-up: importing the engine and warming it (index context, retriever, embedding model), as the UI does
  before it takes questions;
- the first question after that, and p50/p95 over the gold questions about the five sample documents.

Targets: the first question waits ≤ 2 s at 200 disclosures; p95 < 300 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIRST_QUESTION_TARGET_S = 2.0
P95_TARGET_MS = 300.0
# invented place names: stems and branches, none the name of a real district
STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
ASKED_TYPES = ("table_lookup", "text_fact", "compute")


def invented_places() -> list[str]:
    return [a + b for a, b in product(STEMS, BRANCHES)] + [a + b + b for a, b in product(STEMS, BRANCHES)]


def copy_with_place(text: str, place: str) -> str:
    """Given a disclosure's text and an invented place name, return the disclosure as that place's: its
    lowest place (with and without its ending) renamed throughout."""
    from index.reading.meta import name_to_region, named_departments
    from qa.plan.names import place_aliases, place_ending

    department = named_departments(text).most_common(1)[0][0]
    lowest = name_to_region(department)[0][-1]
    ending = place_ending(lowest)
    for alias in sorted(place_aliases(lowest), key=len, reverse=True):
        text = text.replace(alias, place + ending if alias == lowest else place)
    return text


def make_inputs(folder: Path, size: int) -> None:
    """Given a folder and a size, fill it with `size` disclosures: the five samples, then renamed copies."""
    samples = sorted((ROOT / "data").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    for sample in samples[:size]:
        shutil.copy(sample, folder / sample.name)
    places = invented_places()
    for n in range(max(0, size - len(samples))):
        sample = samples[n % len(samples)]
        target = folder / f"{sample.stem}-{n:03d}.txt"
        if not target.exists():
            target.write_text(copy_with_place(sample.read_text(encoding="utf-8"), places[n]), encoding="utf-8")


def stage_index(inputs: Path) -> dict:
    from index.indexer import index_paths

    started = time.perf_counter()
    report = index_paths([inputs], progress=False)
    return {"seconds": time.perf_counter() - started, "indexed": len(report.indexed), "skipped": len(report.skipped),
            "failures": [str(f) for f in report.failures]}


def stage_questions() -> dict:
    """In a fresh Python: start-up as the UI does it, the first question, then every sample gold question."""
    started = time.perf_counter()
    from qa.engine import query, warm_up
    from qa.evaluate import load_gold, percentile

    warm_up()
    startup_s = time.perf_counter() - started
    questions = [g.question for g in load_gold(ROOT / "eval" / "gold.jsonl")
                 if g.type in ASKED_TYPES and g.docs and all(d.endswith(".txt") for d in g.docs)]
    t = time.perf_counter()
    first = query(questions[0])
    first_s = time.perf_counter() - t
    latencies = []
    for question in questions[1:]:
        t = time.perf_counter()
        query(question)
        latencies.append((time.perf_counter() - t) * 1000)
    from qa.engine import context

    return {"startup_s": startup_s, "first_question_s": first_s, "first_refused": first.refused,
            "questions": len(latencies), "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "max_ms": max(latencies), "documents": len(context().records)}


def run_stage(name: str, index_dir: Path, *args: str) -> dict:
    env = {**os.environ, "QA_INDEX_DIR": str(index_dir), "TOKENIZERS_PARALLELISM": "false"}
    done = subprocess.run([sys.executable, __file__, "--stage", name, *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"stage {name} failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5,50,200")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("inputs", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage_index(args.inputs) if args.stage == "index" else stage_questions()))
        return 0

    from rich.console import Console
    from rich.table import Table

    from run import work_folder  # bench/run.py, beside this script

    console = Console(width=110)
    with work_folder("budget-qa-scale-", args.keep, console) as work:
        results, previous = [], None
        for size in sorted(int(s) for s in args.sizes.split(",")):
            inputs, index_dir = work / f"inputs-{size}", work / f"index-{size}"
            make_inputs(inputs, size)
            if previous is not None:
                shutil.copytree(previous, index_dir)
            indexed = run_stage("index", index_dir, str(inputs))
            console.print(f"[dim]{size} disclosures: indexed {indexed['indexed']} (skipped {indexed['skipped']}) "
                          f"in {indexed['seconds']:.0f} s[/dim]")
            asked = run_stage("questions", index_dir)
            results.append({"size": size, "index": indexed, **asked})
            previous = index_dir
        table = Table(title="Scale: start-up and question latency (extractive engine, warm after start-up)")
        for column in ("disclosures", "start-up s", "first question s", "questions", "p50 ms", "p95 ms", "max ms",
                       "first ≤ 2 s", "p95 < 300 ms"):
            table.add_column(column, justify="right")
        for r in results:
            table.add_row(str(r["documents"]), f"{r['startup_s']:.1f}", f"{r['first_question_s']:.2f}",
                          str(r["questions"]), f"{r['p50_ms']:.0f}", f"{r['p95_ms']:.0f}", f"{r['max_ms']:.0f}",
                          "PASS" if r["first_question_s"] <= FIRST_QUESTION_TARGET_S else "MISS",
                          "PASS" if r["p95_ms"] < P95_TARGET_MS else "MISS")
        console.print(table)
        if args.out:
            args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
