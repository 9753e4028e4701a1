"""The question analyzer for the index's current catalogue: papers added, changed or removed rebuild it.

Analysis reads questions against the catalogue (titles, councils, dates) and the abbreviations the papers define
(`assistant.glossary`), so the analyzer is made from the papers the index holds now; this keeps one per catalogue
state and is shared by retrieval and the ask service.
"""

from __future__ import annotations

import threading

from assistant.analysis import QuestionAnalyzer
from assistant.glossary import Glossary
from vectorstore.sqlite_index import SqliteIndex


class AnalyzerSource:
    """The analyzer for the index's current catalogue, rebuilt when papers are added, changed or removed."""

    def __init__(self, sqlite: SqliteIndex) -> None:
        self.sqlite = sqlite
        self._key: tuple[tuple[str, float], ...] = ()
        self._analyzer: QuestionAnalyzer | None = None
        self._lock = threading.Lock()

    def current(self) -> QuestionAnalyzer:
        documents = self.sqlite.list_documents()
        key = tuple(sorted((d.doc_id, d.ingested_at) for d in documents))
        with self._lock:
            if self._analyzer is None or key != self._key:
                glossary = Glossary.read(self.sqlite.chunk_texts())
                self._analyzer, self._key = QuestionAnalyzer(documents, glossary), key
            return self._analyzer
