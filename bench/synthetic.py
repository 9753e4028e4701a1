"""Synthetic scale: indexes of 1k/10k/100k chunks made from real text, without embedding them all.

A pool of real chunks (texts and their stored vectors) is read from indexes the bench already built.
Each synthetic chunk takes the sentences of three pool chunks, shuffled and cut to the length of the
first; its vector is the same weighted mixture of their vectors plus noise, normalised. So text and
vector stay roughly related (retrieval finds topical passages) and nothing is embedded again.
Rows are written straight through `SqliteIndex.write_document` and `ChromaStore.upsert`.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import KENT_QUESTIONS, dir_size_mb, eval_questions

COUNCILS = ["Northshire County Council", "Eastmoor Borough Council", "Riverton City Council",
            "Westvale District Council", "Southdown County Council", "Highfield Council"]
TYPES = ["Cabinet report", "Budget report", "Minutes", "Corporate peer challenge", "Scrutiny report", "Strategy"]
TOPICS = ["Finance", "Housing", "Children's services", "Adult social care", "Transport", "Governance",
          "Climate", "Economy", "Risk", "Performance"]
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")


def stage_pool(homes: list[str], out: str, max_pool: int = 3000, seed: int = 7) -> dict[str, Any]:
    """Collect chunk texts and their stored vectors from built indexes into `out` (.npz)."""
    from assistant.services import Services
    from assistant.settings import Settings

    texts: list[str] = []
    vectors: list[np.ndarray] = []
    for home in homes:
        services = Services(Settings(home=Path(home)))
        rows = services.sqlite.conn.execute("SELECT chunk_id, text FROM chunks").fetchall()
        by_id = {r[0]: r[1] for r in rows}
        ids = list(by_id)
        for start in range(0, len(ids), 1000):
            got = services.dense.collection.get(ids=ids[start:start + 1000], include=["embeddings"])
            for cid, vec in zip(got["ids"], got["embeddings"], strict=True):
                texts.append(by_id[cid])
                vectors.append(np.asarray(vec, dtype=np.float32))
        services.close()
    rng = np.random.default_rng(seed)
    keep = rng.permutation(len(texts))[:max_pool]
    matrix = np.stack([vectors[i] for i in keep])
    np.savez(out, vectors=matrix, texts=np.array(json.dumps([texts[i] for i in keep])))
    return {"pool_chunks": int(len(keep)), "available": len(texts), "dim": int(matrix.shape[1])}


def _load_pool(path: str) -> tuple[list[str], np.ndarray]:
    data = np.load(path)
    return json.loads(str(data["texts"])), data["vectors"].astype(np.float32)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 3]


def synthetic_documents(size: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """~200 fake documents (fewer for small sizes) over six councils, 2015-2025, sharing `size` chunks."""
    n_docs = 200 if size >= 10_000 else max(10, size // 50)
    per_doc, extra = divmod(size, n_docs)
    docs = []
    for i in range(n_docs):
        year, month, day = int(rng.integers(2015, 2026)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
        doc_type = TYPES[int(rng.integers(len(TYPES)))]
        docs.append({"doc_id": f"synth-{i:04d}", "council": COUNCILS[i % len(COUNCILS)], "document_type": doc_type,
                     "date": f"{year}-{month:02d}-{day:02d}", "chunks": per_doc + (1 if i < extra else 0),
                     "title": f"{COUNCILS[i % len(COUNCILS)]}: {doc_type} {year} (synthetic {i})"})
    return docs


def mixed_vectors(pool: np.ndarray, sources: np.ndarray, weights: np.ndarray, rng: np.random.Generator,
                  noise: float = 0.35) -> np.ndarray:
    """Normalised weighted mixtures of pool vectors plus Gaussian noise (|noise| ~ `noise`)."""
    mix = np.einsum("nk,nkd->nd", weights, pool[sources])
    mix += noise * rng.standard_normal(mix.shape).astype(np.float32) / np.sqrt(pool.shape[1])
    mix /= np.linalg.norm(mix, axis=1, keepdims=True)
    return mix.astype(np.float32)


def build(services: Any, pool_texts: list[str], pool_vectors: np.ndarray, size: int, seed: int = 11
          ) -> dict[str, Any]:
    from common.types import Chunk, DocumentMetadata
    from vectorstore.index import dense_metadata

    rng = np.random.default_rng(seed)
    pool_sentences = [_sentences(t) or [t] for t in pool_texts]
    docs = synthetic_documents(size, rng)
    sqlite_s = dense_s = gen_s = 0.0
    pending: list[tuple[Chunk, DocumentMetadata, np.ndarray]] = []

    def flush() -> None:
        nonlocal dense_s
        if not pending:
            return
        t0 = time.perf_counter()
        services.dense.upsert([c.chunk_id for c, _, _ in pending], np.stack([v for _, _, v in pending]).tolist(),
                              [dense_metadata(m, c) for c, m, _ in pending], [c.text for c, _, _ in pending])
        dense_s += time.perf_counter() - t0
        pending.clear()

    for doc in docs:
        t0 = time.perf_counter()
        n = doc["chunks"]
        sources = rng.integers(len(pool_texts), size=(n, 3))
        weights = np.sort(rng.dirichlet(np.ones(3), size=n).astype(np.float32), axis=1)[:, ::-1].copy()
        vectors = mixed_vectors(pool_vectors, sources, weights, rng)
        meta = DocumentMetadata(doc_id=doc["doc_id"], title=doc["title"], short_title=doc["title"][:60],
                                council=doc["council"], document_type=doc["document_type"], date=doc["date"],
                                committee="Cabinet", content_hash=f"synthetic-{doc['doc_id']}-{seed}",
                                page_count=n // 3 + 1)
        chunks: list[Chunk] = []
        offset = 0
        for seq in range(n):
            sentences = [s for src in sources[seq] for s in pool_sentences[src]]
            rng.shuffle(sentences)
            target = len(pool_texts[sources[seq][0]])
            picked: list[str] = []
            while sentences and sum(len(s) + 1 for s in picked) < target:
                picked.append(sentences.pop())
            text = " ".join(picked)
            page = seq // 3 + 1
            section = f"{seq // 12 + 1}. {TOPICS[(seq // 12) % len(TOPICS)]}"
            chunks.append(Chunk(chunk_id=f"{doc['doc_id']}-{seq:05d}", doc_id=doc["doc_id"], seq=seq, text=text,
                                section=section, page_start=page, page_end=page, char_start=offset,
                                char_end=offset + len(text), page_breaks=[(0, page)]))
            offset += len(text) + 2
        t1 = time.perf_counter()
        services.sqlite.write_document(meta, chunks, [], [])
        t2 = time.perf_counter()
        gen_s += t1 - t0
        sqlite_s += t2 - t1
        pending.extend((c, meta, v) for c, v in zip(chunks, vectors, strict=True))
        if len(pending) >= 5000:
            flush()
    flush()
    t0 = time.perf_counter()
    for doc in docs:
        services.sqlite.mark_complete(doc["doc_id"])
    sqlite_s += time.perf_counter() - t0
    return {"documents": len(docs), "generate_s": round(gen_s, 2), "sqlite_write_s": round(sqlite_s, 2),
            "chroma_upsert_s": round(dense_s, 2),
            "chroma_upserts_per_s": round(size / dense_s, 1) if dense_s else 0.0}


def synthetic_items(n: int, seed: int = 5) -> list[tuple[str, Any]]:
    """Real questions with filters on: one or two of the fake councils, sometimes a date range."""
    from assistant.types import Filters

    rng = np.random.default_rng(seed)
    questions = [r["question"] for r in eval_questions(n)] + KENT_QUESTIONS
    items = []
    for i, question in enumerate(questions[:n]):
        council = COUNCILS[int(rng.integers(len(COUNCILS)))]
        if i % 2:
            other = COUNCILS[(COUNCILS.index(council) + 1) % len(COUNCILS)]
            items.append((question, Filters(councils=[council, other], date_from="2019")))
        else:
            items.append((question, Filters(councils=[council])))
    return items


def stage_synthetic(pool: str, home: str, size: int, queries: int = 20, profile: bool = False) -> dict[str, Any]:
    from assistant.services import Services
    from assistant.settings import Settings
    from bench.corpus import measure_queries

    texts, vectors = _load_pool(pool)
    services = Services(Settings(home=Path(home)))
    t0 = time.perf_counter()
    built = build(services, texts, vectors, size)
    built["build_s"] = round(time.perf_counter() - t0, 2)
    stats = services.index.stats()
    result = measure_queries(services, synthetic_items(queries), profile=profile)
    services.close()
    return {"size": size, "stats": stats, "build": built, "index_mb": dir_size_mb(Path(home)), **result}


def stage_remeasure(home: str, queries: int = 20) -> dict[str, Any]:
    """Query latency again on a synthetic index kept with `--work` (e.g. with another `--torch-threads`)."""
    from assistant.services import Services
    from assistant.settings import Settings
    from bench.corpus import measure_queries

    services = Services(Settings(home=Path(home)))
    stats = services.index.stats()
    result = measure_queries(services, synthetic_items(queries))
    services.close()
    return {"size": stats["chunks"], "stats": stats, **result}
