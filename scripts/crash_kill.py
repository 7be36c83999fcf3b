"""Crash safety: SIGKILL a real `qa index` at random moments, many times; the index must keep answering.

Run from the project root::

    .venv/bin/python scripts/crash_kill.py --runs 20 [--seed 2024] [--questions 0] [--docs baoan-2023,yantian-2024]

1. Baseline: the docs (default baoan-2023 and yantian-2024 from data/) are indexed by `qa index`
   in a fresh temporary index, and the gold set's table_lookup questions about them
   (eval/gold.jsonl, filtered by doc) are answered: value, refused, status of every figure.
2. Each run changes the folder (appends a line to a document, or adds another sample disclosure),
   starts `qa index FOLDER` as a subprocess and sends it SIGKILL after a random delay (seeded)
   drawn over the indexing window: start-up plus the expected time of the documents it has to
   index, measured in the baseline. After the kill a separate process checks the index:
   SQLite `PRAGMA integrity_check` is ok, every document version SQLite names is complete in
   Chroma (vectors = chunks), and every question gets the same value, refusal and figure
   statuses as in the baseline.
3. Finally `qa index FOLDER` runs to the end: exit 0, every document at the version of its file,
   no other version's vectors left, the same answers.

Every process runs a snapshot of the `qa` and `index` packages taken at the start (PYTHONPATH), so
edits made to the working tree while this runs change nothing (the index version hash covers the
indexing code). Exit status 0 when every run passed. Bounded: --runs runs, each kill and check
with a timeout.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
GOLD = ROOT / "eval" / "gold.jsonl"
EXTRA_DOCS = ("longgang-2024", "pingshan-2023", "futian-2022")  # what "add one" adds, in turn
STEP_TIMEOUT = 900  # seconds for any one indexing or checking process

# Prints the state of the index named by QA_INDEX_DIR and the answers to the questions, as JSON.
CHECK = r"""
import hashlib, json, sqlite3, sys
from collections import Counter
from pathlib import Path
from index.indexer import fact_store, pipeline_fingerprint
from index.store import vectors
wanted = json.loads(sys.argv[1])
store = fact_store()
with sqlite3.connect(store.path) as db:
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    facts = dict(db.execute("SELECT doc_id, COUNT(*) FROM facts GROUP BY doc_id").fetchall())
    chunks = dict(db.execute("SELECT doc_id, COUNT(*) FROM chunks GROUP BY doc_id").fetchall())
got = vectors.vector_store().client.get(include=["metadatas"])
versions = Counter((m["doc_id"], m["doc_sha"]) for m in got["metadatas"])
vecs = {}
for (doc, sha), n in versions.items():
    vecs.setdefault(doc, {})[sha] = n
answers = {}
if wanted["questions"]:
    from qa import query
    for question in wanted["questions"]:
        a = query(question)
        answers[question] = [None if a.value is None else str(a.value), a.refused, [f.status for f in a.figures]]
print(json.dumps({
    "integrity": integrity,
    "documents": {d.doc_id: d.sha256 for d in store.documents()},
    "facts": facts, "chunks": chunks, "vectors": vecs,
    "expected_sha": {Path(p).stem: hashlib.sha256(Path(p).read_bytes() + pipeline_fingerprint().encode()).hexdigest()
                     for p in wanted["files"]},
    "answers": answers,
}, ensure_ascii=False))
"""

_STAGE = re.compile(r"([\w.-]+?)\.(?:txt|pdf|md)(?:: (parse|chunk|embed|write) [\d.]+s)?\]")
_DONE = re.compile(r"已索引 indexed ([\w.-]+): .*?\(parse ([\d.]+)s, chunk ([\d.]+)s, embed ([\d.]+)s, write ([\d.]+)s\)",
                   re.S)


def snapshot_code(work: Path) -> Path:
    """Copy the packages the subprocesses run into work/code; return the folder."""
    code = work / "code"
    for package in ("qa", "index", "prompts"):
        if (ROOT / package).exists():
            shutil.copytree(ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    return code


def environment(code: Path, index_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(QA_INDEX_DIR=str(index_dir), PYTHONPATH=str(code), PYTHONUNBUFFERED="1", COLUMNS="250",
               TOKENIZERS_PARALLELISM="false")
    return env


def qa_index_command(folder: Path) -> list[str]:
    return [sys.executable, "-c", "import sys; from qa.cli import app; sys.argv[0] = 'qa'; app()", "index", str(folder)]


def check_index(code: Path, index_dir: Path, files: list[Path], questions: list[str]) -> dict:
    """Return the state of the index and the answers (see CHECK), from a fresh process."""
    done = subprocess.run([sys.executable, "-c", CHECK, json.dumps({"files": list(map(str, files)), "questions": questions})],
                          env=environment(code, index_dir), cwd=code, capture_output=True, text=True, timeout=STEP_TIMEOUT)
    if done.returncode != 0:
        raise RuntimeError(f"the check failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def doc_seconds(stdout: str) -> dict[str, float]:
    """Given `qa index` output, return {doc_id: seconds its parse+chunk+embed+write took}."""
    flat = re.sub(r"\s*\n\s*", " ", stdout)
    return {m.group(1): sum(float(m.group(i)) for i in range(2, 6)) for m in _DONE.finditer(flat)}


def stage_from_progress(stderr: str) -> str:
    """Given the progress output of a killed `qa index`, return the last stage it showed."""
    last = None
    for match in _STAGE.finditer(stderr):
        last = match
    if last is None:
        return "start-up (imports, model)"
    doc, done = last.group(1), last.group(2)
    if re.search(r"索引 indexing: 100%", stderr[last.start() - 120:]):  # the files' bar, not the embedding one
        return "all files done, exiting"
    if "嵌入 embedding" in stderr[last.end():] and done in (None, "parse", "chunk"):
        return f"{doc}: embedding"
    return f"{doc}: " + {None: "hash check, load+parse", "parse": "chunk", "chunk": "embedding", "embed": "write",
                         "write": "done"}[done]


def store_stage(state: dict, before: dict[str, str]) -> str:
    """Given the index after a kill, the versions SQLite named before the run and the files, return
    what the killed run had got to per changed document (from SQLite and Chroma, not from its output)."""
    notes = []
    for doc_id, expected in sorted(state["expected_sha"].items()):
        old = before.get(doc_id)
        if old == expected:
            continue  # nothing to do for this document in this run
        named = state["documents"].get(doc_id)
        new_vectors = state["vectors"].get(doc_id, {}).get(expected, 0)
        if named == expected:
            stale = sum(n for sha, n in state["vectors"].get(doc_id, {}).items() if sha != expected)
            notes.append(f"{doc_id} committed" + (f", {stale} old vectors left" if stale else ""))
        elif new_vectors:
            notes.append(f"{doc_id} vectors written, not committed")
        else:
            notes.append(f"{doc_id} not written")
    return "; ".join(notes) or "nothing to do"


def complete_versions(state: dict) -> list[str]:
    """Return the problems: document versions SQLite names that are not complete in Chroma."""
    problems = []
    for doc_id, sha in state["documents"].items():
        chunks = state["chunks"].get(doc_id, 0)
        vectors = state["vectors"].get(doc_id, {}).get(sha, 0)
        if chunks == 0 or vectors != chunks:
            problems.append(f"{doc_id}: {vectors} vectors for {chunks} chunks")
    return problems


def compare_answers(baseline: dict, answers: dict) -> list[str]:
    return [f"{q}: {baseline[q]} → {answers.get(q)}" for q in baseline if answers.get(q) != baseline[q]]


def gold_questions(docs: list[str], limit: int) -> list[str]:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {f"{d}.txt" for d in docs}
    questions = [r["question"] for r in rows if r["type"] == "table_lookup" and r["doc"] in wanted]
    return questions[:limit] if limit else questions


def run(args) -> int:
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="crash-kill-"))
    try:
        return run_in(args, work)
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)


def run_in(args, work: Path) -> int:
    rng = random.Random(args.seed)
    work.mkdir(parents=True, exist_ok=True)
    code = snapshot_code(work)
    folder, index_dir = work / "docs", work / "index"
    folder.mkdir(exist_ok=True)
    docs = [d for d in args.docs.split(",") if d]
    for doc in docs:
        shutil.copy(DATA / f"{doc}.txt", folder / f"{doc}.txt")
    questions = gold_questions(docs, args.questions)
    env = environment(code, index_dir)
    print(f"work folder {work}; docs {', '.join(docs)}; {len(questions)} table_lookup questions; seed {args.seed}", flush=True)

    started = time.monotonic()
    done = subprocess.run(qa_index_command(folder), env=env, cwd=code, capture_output=True, text=True, timeout=STEP_TIMEOUT)
    total = time.monotonic() - started
    if done.returncode != 0:
        print(done.stdout, done.stderr[-3000:])
        return 1
    seconds = doc_seconds(done.stdout)
    startup = max(1.0, total - sum(seconds.values()))
    # The first document's time includes loading the embedding model; the others' give the rate.
    size = {d: (folder / f"{d}.txt").stat().st_size for d in seconds}
    order = list(seconds)
    rates = [seconds[d] / size[d] for d in order[1:]] or [seconds[order[0]] / size[order[0]]]
    per_byte = max(rates)
    model_load = max(0.0, seconds[order[0]] - size[order[0]] * per_byte)
    files = lambda: sorted(folder.glob("*.txt"))  # noqa: E731
    state = check_index(code, index_dir, files(), questions)
    baseline = state["answers"]
    print(f"baseline: indexed in {total:.1f}s (start-up {startup:.1f}s, model {model_load:.1f}s, "
          + ", ".join(f"{d} {s:.1f}s" for d, s in seconds.items()) + f"); integrity {state['integrity']}; "
          f"{sum(1 for a in baseline.values() if not a[1])}/{len(baseline)} questions answered", flush=True)
    if state["integrity"] != "ok" or complete_versions(state):
        print("the baseline index is not complete", complete_versions(state))
        return 1

    header = (f"{'run':>3}  {'change':<24} {'kill at':>8} {'window':>7}  {'progress shown':<26} {'integrity':<9} "
              f"{'answers':>8}  {'result':<6}  index after kill (SQLite / Chroma)")
    print(header)
    print("-" * (len(header) + 20))
    failures = 0
    kills = 0
    attempts = 0
    extra = [d for d in EXTRA_DOCS if d not in docs]
    scale = 1.0  # estimated / real indexing time, learnt from runs that end before their kill
    while kills < args.runs and attempts < 2 * args.runs:  # a run that ends before its kill does not count
        attempts += 1
        present = sorted(p.stem for p in folder.glob("*.txt"))
        # left behind by earlier killed runs: files whose version SQLite does not name yet
        pending = {d for d, sha in state["expected_sha"].items() if state["documents"].get(d) != sha}
        if extra and rng.random() < 0.3:
            added = extra.pop(0)
            shutil.copy(DATA / f"{added}.txt", folder / f"{added}.txt")
            change = f"add {added}"
            pending.add(added)
        else:
            target = rng.choice(present)
            with (folder / f"{target}.txt").open("a", encoding="utf-8") as f:
                f.write(f"\n备注：第{'一二三四五六七八九十'[attempts % 10]}轮测试追加，用于改变文件内容（{rng.choice('甲乙丙丁戊己庚辛')}）。\n")
            change = f"modify {target}"
            pending.add(target)
        before = state["documents"]
        # The window: start-up plus the expected time of every file whose version the index lacks.
        window = scale * (startup + model_load + sum((folder / f"{d}.txt").stat().st_size * per_byte for d in pending))
        delay = rng.uniform(0.02, 0.98) * window
        log = work / f"run{attempts:02d}.stderr"
        launched = time.monotonic()
        with log.open("w") as stderr:
            process = subprocess.Popen(qa_index_command(folder), env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=stderr)
            try:
                process.wait(timeout=delay)
                killed = False
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                killed = True
            finally:
                if process.poll() is None:
                    process.kill()
                process.wait(timeout=60)
        kills += killed
        if not killed:  # it ended first: the machine is faster than the estimate, so later windows shrink
            scale = min(1.5, max(0.3, 0.5 * scale + 0.5 * scale * (time.monotonic() - launched) / window))
        progress = (stage_from_progress(log.read_text(errors="replace")) if killed
                    else f"ended first (exit {process.returncode})")
        state = check_index(code, index_dir, files(), questions)
        problems = complete_versions(state) + compare_answers(baseline, state["answers"])
        if state["integrity"] != "ok":
            problems.append(f"integrity_check: {state['integrity']}")
        if not killed and process.returncode != 0:
            problems.append(f"the unkilled run exited {process.returncode}")
        same = sum(1 for q in baseline if state["answers"].get(q) == baseline[q])
        result = "PASS" if not problems else "FAIL"
        failures += bool(problems)
        print(f"{attempts:>3}  {change:<24} {delay:>7.1f}s {window:>6.1f}s  {progress[:26]:<26} {state['integrity']:<9} "
              f"{same:>3}/{len(baseline):<4}  {result:<6}  {store_stage(state, before)}", flush=True)
        for problem in problems:
            print(f"       ! {problem}")

    started = time.monotonic()
    done = subprocess.run(qa_index_command(folder), env=env, cwd=code, capture_output=True, text=True, timeout=STEP_TIMEOUT)
    final_seconds = time.monotonic() - started
    state = check_index(code, index_dir, files(), questions)
    problems = complete_versions(state) + compare_answers(baseline, state["answers"])
    if done.returncode != 0:
        problems.append(f"the final run exited {done.returncode}: {done.stderr[-2000:]}")
    for doc_id, expected in state["expected_sha"].items():
        if state["documents"].get(doc_id) != expected:
            problems.append(f"{doc_id} is not at the version of its file")
        if set(state["vectors"].get(doc_id, {})) != {expected}:
            problems.append(f"{doc_id}: other versions' vectors left: {state['vectors'].get(doc_id)}")
    if state["integrity"] != "ok":
        problems.append(f"integrity_check: {state['integrity']}")
    indexed = re.findall(r"已索引 indexed ([\w.-]+)", done.stdout)
    print(f"final run: exit {done.returncode} in {final_seconds:.1f}s, indexed {', '.join(indexed) or 'nothing'}; "
          f"{len(state['documents'])} documents, each at its file's version with only its own vectors: "
          f"{'yes' if not problems else 'NO'}; answers same: "
          f"{sum(1 for q in baseline if state['answers'].get(q) == baseline[q])}/{len(baseline)}")
    for problem in problems:
        print(f"       ! {problem}")
    failures += bool(problems)
    print(f"{attempts} runs: {kills} killed mid-run, {attempts - kills} ended before their kill; "
          f"{failures} failed; {'PASS' if not failures else 'FAIL'}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # terminated: children stopped by the finally blocks
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="how many runs to kill (runs that end before their kill are extra)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--docs", default="baoan-2023,yantian-2024", help="sample disclosures (stems in data/) to start with")
    parser.add_argument("--questions", type=int, default=0, help="ask only the first N table_lookup questions (0 = all)")
    parser.add_argument("--work", default="", help="work folder (default: a new temporary folder, removed at the end)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
