"""Shared fixtures. Tests never touch the real index: every home is a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import Settings, force_offline

force_offline()

PROJECT = Path(__file__).resolve().parents[1]
DEMO_CORPUS = PROJECT / "data" / "council-papers"
SHARED = PROJECT.parent / "shared"
EXTERNAL = SHARED / "external"


def requires_external() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not EXTERNAL.is_dir(), reason="../shared/external is not present")


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own COUNCILCHAT_HOME, so nothing can write to a real index."""
    home = tmp_path / "councilchat-home"
    monkeypatch.setenv("COUNCILCHAT_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    """One embedding model per test session (loading it takes seconds)."""
    from vectorstore.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def token_counter():  # type: ignore[no-untyped-def]
    from ingest.chunking import load_token_counter

    return load_token_counter()


def make_services(home: Path, embedder, **settings: object):  # type: ignore[no-untyped-def]
    from assistant.services import Services

    return Services(Settings(home=home, **settings), embedder=embedder)


def _ingest_into(home: Path, embedder, folder: Path):  # type: ignore[no-untyped-def]
    """A new index in `home` of everything in `folder`: (home, the ingest summary)."""
    services = make_services(home, embedder)
    try:
        return home, services.ingestor.ingest([folder])
    finally:
        services.close()


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:  # type: ignore[no-untyped-def]
    """An index of the demo corpus, built once per session. Tests must only read from it."""
    home, summary = _ingest_into(tmp_path_factory.mktemp("demo-home"), embedder, DEMO_CORPUS)
    assert summary.count("added") == 5, summary.line()
    return home


@pytest.fixture(scope="session")
def kent_home(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:  # type: ignore[no-untyped-def]
    """An index of the 28 Kent County Council papers in ../shared/external (no catalogue: metadata is read from
    the papers), built once per session. Tests must only read from it; skips when the folder is absent."""
    kent = EXTERNAL / "pdfs" / "kent-cc"
    if not kent.is_dir():
        pytest.skip("../shared/external is not present")
    home, summary = _ingest_into(tmp_path_factory.mktemp("kent-home"), embedder, kent)
    assert summary.count("added") == 28, summary.line()
    return home


@pytest.fixture(scope="session")
def external_ingest(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    """All 56 files of ../shared/external ingested into one index, once per session: (home, summary)."""
    if not EXTERNAL.is_dir():
        pytest.skip("../shared/external is not present")
    return _ingest_into(tmp_path_factory.mktemp("external-home"), embedder, EXTERNAL / "pdfs")


@pytest.fixture(scope="module")
def live(demo_home: Path, embedder):  # type: ignore[no-untyped-def]
    """The real app (FastAPI + Gradio) on a loopback port over the demo index, one per test module."""
    from tests.web import LiveServer, free_port
    from ui import create_app

    services = make_services(demo_home, embedder)
    with LiveServer(create_app(services.settings, services, warm_up=False), free_port()) as server:
        yield server
    services.close()


@pytest.fixture
def demo_services(demo_home: Path, embedder) -> Iterator[object]:  # type: ignore[no-untyped-def]
    services = make_services(demo_home, embedder)
    yield services
    services.close()


@pytest.fixture(scope="module")
def kent(kent_home: Path, embedder) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """Services over the Kent index, one per test module."""
    services = make_services(kent_home, embedder)
    yield services
    services.close()


def assert_quotes_verified(answer) -> None:  # type: ignore[no-untyped-def]
    """The answer cites, and every citation's quote is in the passage it names."""
    from assistant.citations import verify

    chunks = {p.chunk.chunk_id: p.chunk for p in answer.retrieved}
    assert answer.citations and all(verify(c, chunks.get(c.chunk_id)) for c in answer.citations)
