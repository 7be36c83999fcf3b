"""The sentence-transformers model from settings, loaded once per process through llama-index."""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from qa.settings import settings


@cache
def embedding_model():
    """Return the llama-index embedding for the configured model (offline default: bundled m3e-small)."""
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    name = settings.embedding_model()
    if Path(name).is_dir():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder never needs the hub
    return HuggingFaceEmbedding(model_name=name, device="cpu", embed_batch_size=settings.embed_batch_size,
                                max_length=settings.embed_max_tokens)
