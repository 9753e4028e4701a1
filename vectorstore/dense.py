"""Dense vector stores: a small base class and Chroma (embedded or client/server).

Vectors are always computed by our own embedder and passed in; Chroma is also given an explicit
embedding function, because without one it would try to download its default ONNX model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vectorstore.embeddings import Embedder
from vectorstore.lock import IndexWriteLock

# Candidates Chroma's HNSW search keeps while it walks the graph. At Chroma's default (100) the same query missed
# its best passage (similarity 0.52, rank 1 when found) in about one process in eight: the graph a process loads
# is not always the same, since records not yet synced to the saved index are inserted again when it opens. At 400
# no miss was seen in 25 processes. Measured query time, ef 100 -> 400, 50 results, load ~3: 1.09 -> 1.35 ms on
# the Kent index (2.4k passages), 0.97 -> 0.95 ms on all external papers (6.5k); not measured at 100k.
EF_SEARCH = 400


class DenseStore:
    """What retrieval and ingestion need from a vector store."""

    def upsert(self, ids: Sequence[str], vectors: Sequence[Sequence[float]], metadatas: Sequence[dict[str, Any]],
               texts: Sequence[str]) -> None:
        raise NotImplementedError

    def delete(self, ids: Sequence[str]) -> None:
        raise NotImplementedError

    def delete_doc(self, doc_id: str) -> None:
        raise NotImplementedError

    def query(self, vector: Sequence[float], k: int, doc_ids: Sequence[str] | None = None
              ) -> list[tuple[str, float]]:
        """Top-k as (chunk_id, cosine similarity)."""
        raise NotImplementedError

    def ids(self) -> set[str]:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def existing(self, ids: Sequence[str]) -> set[str]:
        raise NotImplementedError


class _ChromaEmbeddingFunction:
    """Adapter so Chroma embeds any text it is handed with our model, never its default one."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input: Sequence[str]) -> list[list[float]]:  # noqa: A002 - Chroma's protocol name
        return self._embedder.embed_documents(list(input))

    @staticmethod
    def name() -> str:
        return "councilchat-sentence-transformer"

    def is_legacy(self) -> bool:
        return False

    def get_config(self) -> dict[str, Any]:
        return {"model_path": getattr(self._embedder, "model_path", "")}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _ChromaEmbeddingFunction:
        from vectorstore.embeddings import SentenceTransformerEmbedder

        return _ChromaEmbeddingFunction(SentenceTransformerEmbedder(config.get("model_path", "")))

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]


class ChromaStore(DenseStore):
    # Chroma rejects very large single writes; this keeps each call well inside its limit.
    _BATCH = 2000

    def __init__(self, embedder: Embedder, collection: str, path: Path | None = None, host: str = "",
                 port: int = 8000) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if host:
            self.client = chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
            self.location = f"http://{host}:{port}"
            self.collection = self._collection(collection, embedder)
            return
        if path is None:
            raise ValueError("a local Chroma store needs a path")
        path.mkdir(parents=True, exist_ok=True)
        # Chroma creates its tables when a process first opens a new folder, and two processes doing that at once
        # can both try ("table collections already exists"): opening is one process at a time.
        with IndexWriteLock(path / "open.lock").hold(wait_seconds=300):
            self.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            self.collection = self._collection(collection, embedder)
        self.location = str(path)

    def _collection(self, name: str, embedder: Embedder):  # type: ignore[no-untyped-def]
        collection = self.client.get_or_create_collection(
            name=name,
            embedding_function=_ChromaEmbeddingFunction(embedder),  # type: ignore[arg-type]
            configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}},
        )
        hnsw = (getattr(collection, "configuration_json", None) or {}).get("hnsw") or {}
        if int(hnsw.get("ef_search") or 0) < EF_SEARCH:  # a store made before the setting was raised
            collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
        return collection

    def upsert(self, ids, vectors, metadatas, texts) -> None:  # type: ignore[no-untyped-def]
        for start in range(0, len(ids), self._BATCH):
            end = start + self._BATCH
            self.collection.upsert(
                ids=list(ids[start:end]),
                embeddings=[list(v) for v in vectors[start:end]],
                metadatas=list(metadatas[start:end]),
                documents=list(texts[start:end]),
            )

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), self._BATCH):
            self.collection.delete(ids=ids[start:start + self._BATCH])

    def delete_doc(self, doc_id: str) -> None:
        self.collection.delete(where={"doc_id": doc_id})

    def query(self, vector, k, doc_ids=None):  # type: ignore[no-untyped-def]
        if doc_ids is not None and not doc_ids:
            return []
        if doc_ids is None:
            return self._query(vector, k, None)
        # A metadata filter makes Chroma scan (~80 ms at 100k chunks); an unfiltered query for more
        # ids is ~2 ms. Filter those here and only fall back to Chroma's filter when too few survive.
        allowed = set(doc_ids)
        wide = self._query(vector, k * 10, None, with_doc=True)
        kept = [(cid, sim) for cid, sim, doc in wide if doc in allowed]
        if len(kept) >= k or len(wide) < k * 10:
            return kept[:k]
        return self._query(vector, k, {"doc_id": {"$in": list(doc_ids)}})

    def _query(self, vector, k, where, with_doc=False):  # type: ignore[no-untyped-def]
        include = ["distances", "metadatas"] if with_doc else ["distances"]
        result = self.collection.query(query_embeddings=[list(vector)], n_results=k, where=where, include=include)
        ids = result["ids"][0]
        # Chroma's cosine "distance" is 1 - cosine similarity.
        sims = [1.0 - float(d) for d in (result.get("distances") or [[]])[0]]
        if with_doc:
            docs = [str((m or {}).get("doc_id", "")) for m in (result.get("metadatas") or [[]])[0]]
            return list(zip(ids, sims, docs, strict=True))
        return list(zip(ids, sims, strict=True))

    def ids(self) -> set[str]:
        out: set[str] = set()
        offset = 0
        while True:
            batch = self.collection.get(include=[], limit=self._BATCH, offset=offset)["ids"]
            out.update(batch)
            if len(batch) < self._BATCH:
                return out
            offset += self._BATCH

    def existing(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        ids = list(ids)
        for start in range(0, len(ids), self._BATCH):
            found.update(self.collection.get(ids=ids[start:start + self._BATCH], include=[])["ids"])
        return found

    def count(self) -> int:
        return int(self.collection.count())
