"""Indexing with real components: the `qa` CLI in subprocesses, a real Chroma store, the real
embedding model, real kills.

Every run gets its own QA_INDEX_DIR, so settings are read fresh in each process. The state of an
index is read by a separate process as well (`inspect_index`), never through a Chroma client
held open in the test process while another process writes.

The processes run a snapshot of the `qa` and `index` packages taken when the module starts
(PYTHONPATH wins over the editable install): the document version hash covers the indexing code,
so an edit saved in the working tree between two runs of a test would otherwise re-index
documents that the test expects to be skipped.

Kills happen at chosen points: an external SIGKILL while the embedding runs, and SIGKILLs the
indexing process sends itself right before or after a given function (see RUNNER), which hits
the narrow windows between the Chroma write, the SQLite transaction and the old-vector delete
every time instead of by luck.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
BIN = Path(sys.executable).parent
QA = BIN / "qa"
CHROMA = BIN / "chroma"
A, B = "baoan-2023", "yantian-2024"

# Table 8 of data/baoan-2023.txt (一般公共预算支出表（按经济分类）, 万元):
#   30102 津贴补贴 410 · 31204 费用补贴 950 (under 312 对企业补助 950) · 30227 委托业务费 2,725
BAOAN_QUESTIONS = {
    "宝安区政务服务数据管理局2023年津贴补贴预算是多少？": "410",
    "宝安区政务服务数据管理局2023年对企业补助中的费用补贴是多少？": "950",
    "宝安区政务服务数据管理局2023年委托业务费预算是多少？": "2725",
}
# Table 8 of data/yantian-2024.txt, 深圳市盐田区政务服务数据管理局(本级): 30102 津贴补贴 169.57 万元
YANTIAN_QUESTIONS = {"盐田区政务服务数据管理局（本级）2024年津贴补贴是多少？": "169.57"}

# Runs the `qa` CLI; with QA_TEST_KILL="before|after module:attr[.attr]" the process SIGKILLs
# itself right before or after the first call of that function.
RUNNER = r'''
import importlib, os, signal, sys
spec = os.environ.pop("QA_TEST_KILL", "")
if spec:
    when, target = spec.split()
    module, path = target.split(":")
    owner = importlib.import_module(module)
    *parents, name = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    original = getattr(owner, name)

    def hooked(*args, **kwargs):
        if when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, name, hooked)
from qa.cli import app
sys.argv[0] = "qa"
app()
'''

# Prints the state of the index named by the environment as JSON, and the answers of `qa ask
# --json` to the given questions (asked in the same process: loading the embedding model and
# jieba is most of what a `qa ask` costs).
INSPECT = r"""
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
by_version = Counter((i.split(":")[0], m["doc_sha"]) for i, m in zip(got["ids"], got["metadatas"]))
vecs = {}
for (doc, sha), n in by_version.items():
    vecs.setdefault(doc, {})[sha] = n
answers = {}
if wanted["questions"]:
    from typer.testing import CliRunner
    from qa.cli import app
    runner = CliRunner()
    for question in wanted["questions"]:
        result = runner.invoke(app, ["ask", question, "--json"])
        assert result.exit_code == 0, result.output
        answers[question] = json.loads(result.stdout)["value"]
print(json.dumps({
    "integrity": integrity,
    "documents": {d.doc_id: d.sha256 for d in store.documents()},
    "facts": facts,
    "chunks": chunks,
    "vectors": vecs,
    "vector_doc_ids": sorted({m["doc_id"] for m in got["metadatas"]}),
    "expected_sha": {Path(p).stem: hashlib.sha256(Path(p).read_bytes() + pipeline_fingerprint().encode()).hexdigest()
                     for p in wanted["files"]},
    "answers": answers,
}, ensure_ascii=False))
"""


_SNAPSHOT: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def code_snapshot(tmp_path_factory):
    """Copy the packages under test once, and check that the subprocesses import the copy."""
    snapshot = tmp_path_factory.mktemp("code")
    for package in ("qa", "index"):
        shutil.copytree(ROOT / package, snapshot / package, ignore=shutil.ignore_patterns("__pycache__"))
    _SNAPSHOT[:] = [snapshot]
    done = subprocess.run([sys.executable, "-c", "import qa.cli, index.indexer; print(index.indexer.__file__)"],
                          env=env_for(snapshot), cwd=snapshot, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == str(snapshot / "index" / "indexer.py"), done.stdout + done.stderr
    yield snapshot
    _SNAPSHOT.clear()


def env_for(index_dir: Path, chroma_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(QA_INDEX_DIR=str(index_dir), QA_CHROMA_URL=chroma_url, COLUMNS="250", PYTHONUNBUFFERED="1",
               PYTHONPATH=os.pathsep.join(map(str, _SNAPSHOT)))
    return env


def qa_index(index_dir: Path, *args, chroma_url: str = "", kill: str = "") -> subprocess.CompletedProcess:
    """Run `qa index ARGS` (through RUNNER when a self-kill point is given) and return the finished process."""
    env = env_for(index_dir, chroma_url)
    if kill:
        env["QA_TEST_KILL"] = kill
        command = [sys.executable, "-c", RUNNER, "index", *map(str, args)]
    else:
        command = [str(QA), "index", *map(str, args)]
    return subprocess.run(command, env=env, cwd=_SNAPSHOT[0], capture_output=True, text=True, timeout=600)


def indexed_ok(index_dir: Path, *args, chroma_url: str = "") -> str:
    done = qa_index(index_dir, *args, chroma_url=chroma_url)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def inspect_index(index_dir: Path, *files: Path, questions=(), chroma_url: str = "") -> dict:
    """Return the state of the index (see INSPECT), the version hashes of files, and answers to questions."""
    wanted = json.dumps({"files": list(map(str, files)), "questions": list(questions)})
    done = subprocess.run([sys.executable, "-c", INSPECT, wanted], env=env_for(index_dir, chroma_url),
                          cwd=_SNAPSHOT[0], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def assert_complete(state: dict, doc_id: str) -> None:
    """The version of doc_id that SQLite names is fully in Chroma (vectors = chunks, facts present)."""
    sha = state["documents"][doc_id]
    assert state["chunks"].get(doc_id, 0) > 0 and state["facts"].get(doc_id, 0) > 0
    assert state["vectors"].get(doc_id, {}).get(sha) == state["chunks"][doc_id], (doc_id, state)


def assert_only_version(state: dict, doc_id: str, sha: str) -> None:
    """doc_id is indexed at version sha, completely, and Chroma holds no other version of it."""
    assert state["documents"][doc_id] == sha
    assert_complete(state, doc_id)
    assert state["vectors"][doc_id] == {sha: state["chunks"][doc_id]}, state["vectors"]


def append_line(path: Path) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write("\n备注：本行为测试追加，用于改变文件内容。\n")


def test_incremental_reindex_and_prune(tmp_path):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    doc = docs / f"{A}.txt"
    shutil.copy(DATA / doc.name, doc)

    started = time.perf_counter()
    out = indexed_ok(index_dir, doc)
    first_seconds = time.perf_counter() - started
    assert f"已索引 indexed {A}" in out
    state = inspect_index(index_dir, doc)
    first_sha = state["expected_sha"][A]
    assert_only_version(state, A, first_sha)
    assert state["vector_doc_ids"] == [A]  # the doc_id metadata is ours, not llama-index's "None"

    started = time.perf_counter()
    out = indexed_ok(index_dir, doc)
    second_seconds = time.perf_counter() - started
    assert "跳过" in out and A in out and "已索引" not in out, out
    assert second_seconds < first_seconds / 2, (first_seconds, second_seconds)

    append_line(doc)
    out = indexed_ok(index_dir, doc)
    assert f"已索引 indexed {A}" in out
    state = inspect_index(index_dir, doc)
    new_sha = state["expected_sha"][A]
    assert new_sha != first_sha
    assert_only_version(state, A, new_sha)  # the old version's vectors are gone

    doc.unlink()
    # Killed between the two halves of the prune (SQLite rows, Chroma vectors), then run again.
    killed = qa_index(index_dir, docs, "--prune", kill="after index.store.facts:FactStore.drop_document")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    out = indexed_ok(index_dir, docs, "--prune")
    state = inspect_index(index_dir)
    assert state["integrity"] == "ok"
    assert state["documents"] == {} and state["facts"] == {} and state["chunks"] == {}
    assert state["vectors"] == {}, state["vectors"]


def test_kill_mid_indexing_keeps_previous_index(tmp_path):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    doc_a, doc_b = docs / f"{A}.txt", docs / f"{B}.txt"
    shutil.copy(DATA / doc_a.name, doc_a)
    indexed_ok(index_dir, doc_a)
    state = inspect_index(index_dir, questions=BAOAN_QUESTIONS)
    baseline, old_sha = state["answers"], state["documents"][A]
    assert baseline == BAOAN_QUESTIONS

    append_line(doc_a)  # A must be re-indexed
    shutil.copy(DATA / doc_b.name, doc_b)

    def check_previous_index_answers(label: str) -> dict:
        state = inspect_index(index_dir, doc_a, doc_b, questions=BAOAN_QUESTIONS)
        assert state["integrity"] == "ok", label
        # A is at its old or its new version, never in between; whatever SQLite names is all in Chroma.
        assert state["documents"][A] in (old_sha, state["expected_sha"][A]), label
        for doc_id in state["documents"]:
            assert_complete(state, doc_id)
        assert state["answers"] == baseline, label
        return state

    # 1. External SIGKILL at a random moment while the model embeds.
    rng = random.Random(os.environ.get("QA_TEST_SEED", "20231"))
    env = env_for(index_dir)
    stderr_path = tmp_path / "index.stderr"
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen([str(QA), "index", str(docs)], env=env, cwd=_SNAPSHOT[0], stdout=subprocess.DEVNULL,
                                   stderr=stderr)
        try:
            deadline = time.monotonic() + 120
            while "嵌入" not in stderr_path.read_text(errors="replace"):
                assert process.poll() is None and time.monotonic() < deadline, stderr_path.read_text()
                time.sleep(0.05)
            time.sleep(rng.uniform(0.5, 3.0))
            assert process.poll() is None, "indexing finished before it could be killed"
            process.send_signal(signal.SIGKILL)
        finally:
            process.kill()
            process.wait(30)
    assert process.returncode == -signal.SIGKILL
    check_previous_index_answers("killed while embedding")

    # 2. Killed right after A's new vectors went into Chroma, before SQLite names them.
    killed = qa_index(index_dir, docs, kill="after index.store.vectors:add_chunks")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    state = check_previous_index_answers("killed after the Chroma write")
    assert state["documents"] == {A: old_sha}
    assert state["vectors"][A].get(state["expected_sha"][A]), "the new vectors were written"

    # 3. Killed right after SQLite switched A to its new version, before its old vectors are deleted.
    killed = qa_index(index_dir, docs, kill="before index.store.vectors:delete_chunks")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    state = check_previous_index_answers("killed before the old vectors were deleted")
    assert state["documents"] == {A: state["expected_sha"][A]}

    # A clean run finishes the job: B indexed, A complete, no old version left anywhere.
    out = indexed_ok(index_dir, docs)
    assert f"已索引 indexed {B}" in out, out
    state = inspect_index(index_dir, doc_a, doc_b, questions={**BAOAN_QUESTIONS, **YANTIAN_QUESTIONS})
    assert state["integrity"] == "ok"
    assert set(state["documents"]) == {A, B}
    for doc_id in (A, B):
        assert_only_version(state, doc_id, state["expected_sha"][doc_id])
    assert state["answers"] == {**baseline, **YANTIAN_QUESTIONS}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    """Start `chroma run` on a free port with its data in a temp folder; yield its URL; stop it."""
    if not CHROMA.exists() and shutil.which("chroma") is None:
        pytest.skip("the chroma CLI is not installed")
    import chromadb
    from chromadb.config import Settings

    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    server = subprocess.Popen([str(CHROMA if CHROMA.exists() else shutil.which("chroma")), "run",
                               "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "chroma.log").read_text()
            try:  # the client connects as it is made, so it is made until the server is up
                client = chromadb.HttpClient(host="127.0.0.1", port=port, settings=Settings(anonymized_telemetry=False))
                client.heartbeat()
                break
            except Exception:
                assert time.monotonic() < deadline, "chroma server did not answer its heartbeat"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", client
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(15)
        log.close()


def test_server_mode(tmp_path, chroma_server):
    url, client = chroma_server
    index_dir = tmp_path / "index"
    doc = DATA / f"{A}.txt"

    out = indexed_ok(index_dir, doc, chroma_url=url)
    assert f"已索引 indexed {A}" in out
    assert not (index_dir / "chroma").exists()  # nothing embedded locally
    state = inspect_index(index_dir, doc, chroma_url=url)
    assert_only_version(state, A, state["expected_sha"][A])

    collection = client.get_collection("budget_chunks")  # the default QA_COLLECTION
    got = collection.get(include=["metadatas"])
    assert len(got["ids"]) == state["chunks"][A] > 0
    assert {m["doc_id"] for m in got["metadatas"]} == {A}
    assert {m["doc_sha"] for m in got["metadatas"]} == {state["expected_sha"][A]}

    out = indexed_ok(index_dir, doc, chroma_url=url)  # the server's vectors count for the skip
    assert "跳过" in out and "已索引" not in out, out

    question = "宝安区政务服务数据管理局2023年津贴补贴预算是多少？"
    done = subprocess.run([str(QA), "ask", question, "--json"], env=env_for(index_dir, url), cwd=_SNAPSHOT[0],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout)
    assert answer["value"] == "410" and not answer["refused"], answer["text"]
    assert any(c["doc_id"] == A for c in answer["citations"])
    assert not (index_dir / "chroma").exists()
