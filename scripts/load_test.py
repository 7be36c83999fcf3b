"""Load: concurrent clients asking gold-set questions against `query` (threads in this process) and
against the UI server over HTTP on loopback; no errors, answers identical to a single client's.

Run from the project root::

    .venv/bin/python scripts/load_test.py --seconds 60 [--clients 8] [--docs baoan-2023,yantian-2024]

1. A fresh temporary index of the docs is built by `qa index` (or --index-dir names an existing one).
2. The gold questions about those docs (every type but cross_doc, plus the unanswerable ones) are
   asked once by one client: the reference answers and the single-client latencies.
3. `query`: --clients threads ask them round and round for --seconds; every answer is compared
   with the reference (text, value, refusal, every figure and its status, every citation).
4. The UI: `app.launch()` runs in a child process on a free loopback port; one gradio_client
   client asks every question once through the app's /respond endpoint (what the 提问 button
   calls) for the HTTP reference, whose chat message must equal the in-process answer as the UI
   words it (qa.ui_render.chat_text); then --clients clients, each with its own connection, ask
   round and round for --seconds, each answer compared with the HTTP reference (chat message and
   figures panel, the panel's timing line left out).
Printed: requests, errors, mismatches, p50/p95/max latency and throughput per phase, and the
resident memory (RSS) of this process and of the server at the start and the end of each run.

Everything runs a snapshot of qa/, index/, prompts/ and app.py taken at the start (other people
edit the tree meanwhile). Exit status 0 when there was no error and no mismatch. Bounded: every
phase stops at its deadline, every request has a timeout.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold.jsonl"
REQUEST_TIMEOUT = 180  # seconds, any one question


def rss_mb(pid: int | str = "self") -> float:
    """Return the resident set size of a process in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def gold_questions(docs: list[str]) -> list[str]:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {f"{d}.txt" for d in docs}
    return [r["question"] for r in rows
            if (r["type"] != "cross_doc" and r["doc"] in wanted) or r["type"] == "unanswerable"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Phase:
    """Latencies, errors and mismatches of one phase, filled by many threads."""

    def __init__(self, name: str, clients: int):
        self.name, self.clients = name, clients
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.mismatches: list[str] = []
        self.seconds = 0.0
        self.lock = threading.Lock()

    def record(self, started: float, error: str | None = None, mismatch: str | None = None) -> None:
        with self.lock:
            self.latencies.append(time.perf_counter() - started)
            if error:
                self.errors.append(error)
            if mismatch:
                self.mismatches.append(mismatch)

    def row(self) -> str:
        ms = [1000 * s for s in self.latencies]
        rate = len(ms) / self.seconds if self.seconds else float("nan")
        return (f"{self.name:<28} {self.clients:>7} {len(ms):>8} {len(self.errors):>6} {len(self.mismatches):>10} "
                f"{percentile(ms, 50):>8.0f} {percentile(ms, 95):>8.0f} {max(ms, default=float('nan')):>8.0f} {rate:>7.2f}")


HEADER = (f"{'phase':<28} {'clients':>7} {'requests':>8} {'errors':>6} {'mismatches':>10} "
          f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7}")


def run_clients(phase: Phase, clients: int, seconds: float, questions: list[str], ask, expected: dict,
                rss=None) -> list[tuple[float, float]]:
    """Start `clients` threads that ask the questions round and round until the deadline; each
    thread starts at its own place in the list. ask(client_state, question) returns a signature.
    Return (seconds since the start, rss()) sampled every 5 s while they run."""
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        state: dict = {}
        i = number * max(1, len(questions) // clients)
        while time.monotonic() < deadline:
            question = questions[i % len(questions)]
            i += 1
            started = time.perf_counter()
            try:
                got = ask(state, question)
            except Exception as error:  # counted, never fatal: the run goes on
                phase.record(started, error=f"{type(error).__name__}: {error}"[:300])
                continue
            phase.record(started, mismatch=None if got == expected[question] else f"{question}: {got!r:.300}")

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    samples: list[tuple[float, float]] = []
    give_up, next_sample = started + seconds + REQUEST_TIMEOUT + 30, started + 5
    while any(thread.is_alive() for thread in threads) and time.monotonic() < give_up:
        time.sleep(max(0.05, min(1.0, next_sample - time.monotonic())))
        if rss is not None and time.monotonic() >= next_sample:
            samples.append((time.monotonic() - started, rss()))
            next_sample += 5
    phase.seconds = time.monotonic() - started
    if rss is not None:
        samples.append((phase.seconds, rss()))
    return samples


def memory_line(name: str, start: float, samples: list[tuple[float, float]]) -> str:
    """Given RSS after warm-up and the samples under load, return how it went: the first 10 s grow
    (every client thread's buffers), then it should stay flat."""
    if not samples:
        return f"RSS of {name}: {start:.0f} MB (no samples)"
    settled = next((mb for t, mb in samples if t >= 10), samples[0][1])
    end = samples[-1][1]
    return (f"RSS of {name}: {start:.0f} MB after warm-up, {settled:.0f} MB at 10 s, {end:.0f} MB at the end "
            f"(max {max(mb for _, mb in samples):.0f} MB; {end - settled:+.0f} MB from 10 s to the end)")


def answer_signature(answer) -> tuple:
    """Everything a person sees of an Answer except its timing."""
    return (answer.text, None if answer.value is None else str(answer.value), answer.unit, answer.refused, answer.reason,
            tuple((f.text, f.status, tuple(f.citations), f.formula) for f in answer.figures),
            tuple(c.label() + "|" + c.quote for c in answer.citations),
            tuple((d.subject, tuple((f.text, f.status) for f in d.figures)) for d in answer.discrepancies))


_META = re.compile(r'<div class="qa-meta">.*?</div>')


def message_text(message: dict) -> str:
    """Given a chat message as the Gradio API returns it, return its text."""
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)


def http_signature(result) -> tuple:
    """Given the outputs of /respond (chat, question box, panel), return the answer's message and its
    panel without the timing line."""
    history, _, panel = result
    return message_text(history[-1]), _META.sub("", panel or "")


def in_child() -> int:
    """The load test proper, run with the snapshot first on sys.path (see main)."""
    args = json.loads(os.environ["LOAD_TEST_ARGS"])
    work = Path(args["work"])
    questions = gold_questions(args["docs"])
    import qa.engine
    from qa import query
    from qa import ui_render as ui

    assert Path(qa.engine.__file__).is_relative_to(work), f"not the snapshot: {qa.engine.__file__}"
    print(f"{len(questions)} gold questions about {', '.join(args['docs'])}; {args['clients']} clients; "
          f"{args['seconds']:.0f} s per phase; index {os.environ['QA_INDEX_DIR']}", flush=True)
    rss_before = rss_mb()
    phases = []

    # ---------------------------------------------------------------- query, in this process
    single = Phase("query, single client", 1)
    reference, answers = {}, {}
    started_all = time.monotonic()
    for question in questions:
        started = time.perf_counter()
        answer = query(question)
        answers[question], reference[question] = answer, answer_signature(answer)
        single.record(started)
    single.seconds = time.monotonic() - started_all
    phases.append(single)
    rss_start = rss_mb()
    print(f"single-client reference done: {sum(not a.refused for a in answers.values())}/{len(questions)} answered; "
          f"RSS {rss_before:.0f} MB before the first question, {rss_start:.0f} MB after", flush=True)
    threaded = Phase(f"query, {args['clients']} threads", args["clients"])
    query_samples = run_clients(threaded, args["clients"], args["seconds"], questions,
                                lambda state, q: answer_signature(query(q)), reference, rss=rss_mb)
    phases.append(threaded)
    print(f"query under load done: RSS {rss_start:.0f} MB → {rss_mb():.0f} MB", flush=True)

    # ---------------------------------------------------------------- the UI server over HTTP
    from gradio_client import Client

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server_log = (work / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-c", f"import app; app.launch(host='127.0.0.1', port={port})"],
                              cwd=work / "code", env=os.environ.copy(), stdout=server_log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the server exited {server.returncode}: {(work / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url + "config", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        server_rss_idle = rss_mb(server.pid)

        def ask_http(state: dict, question: str) -> tuple:
            if "client" not in state:
                state["client"] = Client(url, verbose=False, httpx_kwargs={"timeout": REQUEST_TIMEOUT})
            return http_signature(state["client"].predict(question, [], "", "", "", api_name="/respond"))

        http_single = Phase("HTTP /respond, single client", 1)
        http_reference: dict = {}
        state: dict = {}
        started_all = time.monotonic()
        for question in questions:
            started = time.perf_counter()
            try:
                http_reference[question] = ask_http(state, question)
                expected_text = ui.chat_text(answers[question])
                http_single.record(started, mismatch=None if http_reference[question][0] == expected_text
                                   else f"{question}: HTTP {http_reference[question][0]!r:.200} ≠ query {expected_text!r:.200}")
            except Exception as error:
                http_single.record(started, error=f"{type(error).__name__}: {error}"[:300])
        http_single.seconds = time.monotonic() - started_all
        phases.append(http_single)
        server_rss_start = rss_mb(server.pid)
        print(f"HTTP single-client reference done (chat messages equal to the in-process answers: "
              f"{len(questions) - len(http_single.mismatches) - len(http_single.errors)}/{len(questions)}); "
              f"server RSS {server_rss_idle:.0f} MB idle, {server_rss_start:.0f} MB after", flush=True)
        http_load = Phase(f"HTTP /respond, {args['clients']} clients", args["clients"])
        usable = [q for q in questions if q in http_reference]
        server_samples = run_clients(http_load, args["clients"], args["seconds"], usable, ask_http, http_reference,
                                     rss=lambda: rss_mb(server.pid))
        phases.append(http_load)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(30)
        server_log.close()

    print()
    print(HEADER)
    print("-" * len(HEADER))
    for phase in phases:
        print(phase.row())
    print()
    print(memory_line("this process (query phases)", rss_start, query_samples))
    print(memory_line("the UI server", server_rss_start, server_samples))
    problems = 0
    for phase in phases:
        for kind, items in (("error", phase.errors), ("mismatch", phase.mismatches)):
            for item in dict.fromkeys(items):
                problems += 1
                if problems <= 20:
                    print(f"  ! {phase.name}: {kind}: {item}")
    print("PASS" if not problems else f"FAIL ({problems} distinct problems)")
    return 0 if not problems else 1


def main(argv: list[str] | None = None) -> int:
    if os.environ.get("LOAD_TEST_ARGS"):
        return in_child()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--docs", default="baoan-2023,yantian-2024", help="sample disclosures (stems in data/) to index")
    parser.add_argument("--index-dir", default="", help="use this existing index instead of building one")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="load-test-"))
    code = work / "code"
    for part in ("qa", "index", "prompts"):
        shutil.copytree(ROOT / part, code / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "app.py", code / "app.py")
    index_dir = Path(args.index_dir) if args.index_dir else work / "index"
    docs = [d for d in args.docs.split(",") if d]
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(QA_INDEX_DIR=str(index_dir), PYTHONPATH=str(code), PYTHONUNBUFFERED="1", TOKENIZERS_PARALLELISM="false",
               LOAD_TEST_ARGS=json.dumps({"work": str(work), "docs": docs, "clients": args.clients, "seconds": args.seconds}))
    try:
        if not args.index_dir:
            started = time.monotonic()
            files = [str(ROOT / "data" / f"{d}.txt") for d in docs]
            done = subprocess.run([sys.executable, "-c", "import sys; from qa.cli import app; sys.argv[0] = 'qa'; app()",
                                   "index", *files], env={k: v for k, v in env.items() if k != "LOAD_TEST_ARGS"},
                                  cwd=code, capture_output=True, text=True, timeout=1800)
            if done.returncode != 0:
                print(done.stdout, done.stderr[-3000:])
                return 1
            print(f"indexed {', '.join(docs)} in {time.monotonic() - started:.1f}s", flush=True)
        return subprocess.run([sys.executable, str(Path(__file__).resolve())], env=env, cwd=code).returncode
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
