"""The composition root for the core: every component is built here, from one Settings object.

Components are built lazily, so `councilchat docs list` never loads the embedding model, and tests can
hand in replacements (`Services(settings, embedder=FakeEmbedder())`). The CLI, the web app, the
evaluation and the benchmarks all build their Services here (`build_services`), so they answer the
same way: when the configured answer mode cannot run, every one of them falls back to extractive
answers and says why (`answer_notice`).
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.settings import Settings, force_offline

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from assistant.analyzers import AnalyzerSource
    from assistant.answering import Answerer
    from assistant.ask import AskService
    from assistant.context import ContextBuilder
    from assistant.evidence import EvidenceSelector
    from assistant.outline import Outline
    from assistant.register import RecommendationRegister
    from assistant.retrieval import HybridRetriever
    from ingest.pipeline import Ingestor
    from vectorstore.dense import DenseStore
    from vectorstore.embeddings import Embedder
    from vectorstore.index import CouncilIndex
    from vectorstore.sqlite_index import SqliteIndex


def build_services(home: Path | None = None, **settings: Any) -> Services:
    """Services for a command: `home` and any setting given (None means "not given": the default)."""
    overrides = {key: value for key, value in settings.items() if value is not None}
    if home is not None:
        overrides["home"] = home
    return Services(Settings(**overrides))


class Services:
    def __init__(self, settings: Settings, **overrides: Any) -> None:
        force_offline()
        self.settings = settings
        # Why the configured answer mode is not the one answering, when it is not ("" otherwise).
        self.answer_notice = ""
        # Anything passed in replaces the component of that name (tests swap parts this way).
        for name, value in overrides.items():
            if name not in type(self).__dict__:
                raise TypeError(f"unknown component {name!r}")
            self.__dict__[name] = value

    @cached_property
    def embedder(self) -> Embedder:
        from vectorstore.embeddings import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(self.settings.embedding_model_path, self.settings.embed_batch_size)

    @cached_property
    def sqlite(self) -> SqliteIndex:
        from vectorstore.sqlite_index import SqliteIndex

        return SqliteIndex(self.settings.sqlite_path)

    @cached_property
    def dense(self) -> DenseStore:
        from vectorstore.dense import ChromaStore

        s = self.settings
        return ChromaStore(self.embedder, s.chroma_collection, path=s.chroma_dir, host=s.chroma_host,
                           port=s.chroma_port)

    @cached_property
    def index(self) -> CouncilIndex:
        from vectorstore.index import CouncilIndex

        return CouncilIndex(self.sqlite, self.dense, self.embedder, self.settings.lock_path)

    @cached_property
    def ingestor(self) -> Ingestor:
        from ingest.chunking import load_token_counter
        from ingest.pipeline import Ingestor

        s = self.settings
        return Ingestor(self.index, load_token_counter(s.embedding_model_path), s.chunk_max_tokens,
                        int(s.max_file_mb * 2**20), max_pages=s.max_pages, ocr_enabled=s.ocr_enabled)

    @cached_property
    def analyzers(self) -> AnalyzerSource:
        from assistant.analyzers import AnalyzerSource

        return AnalyzerSource(self.sqlite)

    @cached_property
    def retriever(self) -> HybridRetriever:
        from assistant.retrieval import HybridRetriever

        return HybridRetriever.from_settings(self.index, self.analyzers, self.settings)

    @cached_property
    def evidence(self) -> EvidenceSelector:
        from assistant.evidence import EvidenceSelector

        return EvidenceSelector(self.embedder)

    @cached_property
    def outline(self) -> Outline:
        from assistant.outline import Outline

        return Outline(self.sqlite, self.embedder)

    @cached_property
    def contexts(self) -> ContextBuilder:
        from assistant.context import ContextBuilder
        from assistant.digest import Digest

        return ContextBuilder(self.retriever, self.evidence, self.outline, Digest(self.sqlite, self.embedder))

    @cached_property
    def answerer(self) -> Answerer:
        """The configured answerer; extractive (with `answer_notice` saying why) when it cannot run here."""
        from assistant.answering import AnswererUnavailable, build_answerer
        from assistant.answering.extractive import ExtractiveAnswerer

        try:
            answerer = build_answerer(self.settings, self.embedder)
            ok, reason = answerer.available()
            if ok:
                self.answer_notice = reason
                return answerer
        except AnswererUnavailable as err:
            reason = str(err)
        log.warning("answer mode %r unavailable: %s", self.settings.answer_mode, reason)
        self.answer_notice = (f"The '{self.settings.answer_mode}' answer mode is not available "
                              f"({reason or 'the answer model is not available'}); "
                              "answers are extractive quotes from the papers instead.")
        return ExtractiveAnswerer()

    @cached_property
    def register(self) -> RecommendationRegister:
        from assistant.register import RecommendationRegister

        return RecommendationRegister(self.sqlite, self.retriever, self.embedder)

    @cached_property
    def ask(self) -> AskService:
        from assistant.ask import AskService

        return AskService(self.analyzers, self.contexts, self.answerer, self.settings)

    def close(self) -> None:
        if "sqlite" in self.__dict__:
            self.sqlite.close()
