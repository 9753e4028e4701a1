"""Client/server mode: a real `chroma run` server, two app instances sharing it.

The vectors live in the Chroma server; the catalogue and lexical index are local SQLite in each
instance's home. Instances that share a home (shared volume) see everything at once; an instance with
its own home must re-ingest, which re-parses the files but embeds nothing (the vectors are found in
the server already).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.ask import AskRequest
from assistant.settings import Settings
from tests.conftest import DEMO_CORPUS, make_services
from tests.web import free_port

DERBY = DEMO_CORPUS / "derby-city-corporate-peer-challenge-2017.pdf"
PEER_2018 = DEMO_CORPUS / "derbyshire-cc-corporate-peer-challenge-2018.pdf"
QUESTION = "What was Derby City Council's net revenue budget for 2017/18?"


def chroma_cli() -> str | None:
    local = Path(sys.executable).parent / "chroma"
    return str(local) if local.is_file() else shutil.which("chroma")



def heartbeat(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2) as response:
            return response.status == 200 and "nanosecond heartbeat" in json.loads(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return False


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    cli = chroma_cli()
    if cli is None:
        pytest.skip("the chroma CLI (installed with chromadb) is not on this machine")
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    proc = subprocess.Popen([cli, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not heartbeat(port):
            if proc.poll() is not None:
                output = (tmp_path / "chroma.log").read_text()[-2000:]
                pytest.fail(f"chroma run exited with {proc.returncode}: {output}")
            if time.monotonic() > deadline:
                pytest.fail("the chroma server gave no heartbeat within 60 s")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()  # this server only, by its own handle
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def test_settings_take_the_chroma_server_from_arguments_and_env(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, chroma_host="10.0.0.5", chroma_port=8123)
    assert (settings.chroma_host, settings.chroma_port) == ("10.0.0.5", 8123)
    monkeypatch.setenv("CHROMA_HOST", "chroma.internal")
    monkeypatch.setenv("CHROMA_PORT", "9000")
    settings = Settings(home=tmp_path)
    assert (settings.chroma_host, settings.chroma_port) == ("chroma.internal", 9000)


def test_two_instances_share_one_chroma_server(chroma_server: int, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    shared_home = tmp_path / "shared-home"
    first = make_services(shared_home, embedder, chroma_host="127.0.0.1", chroma_port=chroma_server)
    assert first.dense.location == f"http://127.0.0.1:{chroma_server}"
    summary = first.ingestor.ingest([DERBY, PEER_2018])
    assert summary.count("added") == 2, summary.line()
    assert not first.settings.chroma_dir.exists(), "no local Chroma store in client/server mode"
    vectors = first.dense.count()
    assert vectors == summary.chunks > 0

    answer = first.ask.ask(AskRequest(QUESTION))
    assert not answer.refused, answer.refusal_reason
    assert answer.citations and answer.citations[0].doc_id == DERBY.stem
    assert "215" in answer.answer

    # A second app instance on the same (shared) home and the same server sees the same index.
    second = make_services(shared_home, embedder, chroma_host="127.0.0.1", chroma_port=chroma_server)
    assert second.dense.count() == vectors
    assert second.dense.ids() == first.dense.ids()
    again = second.ask.ask(AskRequest(QUESTION))
    assert [c.chunk_id for c in again.citations] == [c.chunk_id for c in answer.citations]

    # An instance with its own home sees the vectors but has no catalogue until it re-ingests,
    # and that re-ingest finds every vector in the server: nothing is embedded again.
    third = make_services(tmp_path / "own-home", embedder, chroma_host="127.0.0.1", chroma_port=chroma_server)
    assert third.dense.count() == vectors
    assert third.ask.ask(AskRequest(QUESTION)).refused
    rebuilt = third.ingestor.ingest([DERBY, PEER_2018])
    assert rebuilt.count("added") == 2 and rebuilt.embedded_chunks == 0, rebuilt.line()
    assert not third.ask.ask(AskRequest(QUESTION)).refused
    for services in (first, second, third):
        services.close()
