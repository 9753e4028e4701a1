"""The real app (uvicorn, FastAPI + Gradio) over HTTP against the demo index."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import DEMO_CORPUS, make_services
from tests.web import LiveServer
from ui import create_app
from ui.uploads import ingest_uploads

PEER_2018 = "derbyshire-cc-corporate-peer-challenge-2018"


@pytest.fixture
def client(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=120) as c:
        yield c


def test_health(client: httpx.Client) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["documents"] == 5 and body["chunks"] > 100
    assert body["mode"] == "extractive"


def test_documents(client: httpx.Client) -> None:
    docs = client.get("/api/documents").json()
    assert len(docs) == 5
    assert {d["council"] for d in docs} >= {"Derby City Council", "Derbyshire County Council"}
    assert all("source_path" not in d and d["url"] == f"/documents/{d['doc_id']}/file" for d in docs)


def test_ask_returns_cited_answer(client: httpx.Client) -> None:
    r = client.post("/api/ask", json={"question": "What did the peer team say about Cotmanhay?"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert not body["refused"]
    assert body["citations"], body
    first = body["citations"][0]
    assert first["doc_id"] == PEER_2018 and first["page"] == 7
    assert "Cotmanhay" in first["quote"]
    assert "[1]" in body["answer"]


def test_follow_up_uses_history(client: httpx.Client) -> None:
    r = client.post("/api/ask", json={"question": "What did they say about it?",
                                      "history": ["What did the peer team say about Cotmanhay?"]})
    assert r.status_code == 200
    assert "Cotmanhay" in r.json()["standalone_question"]


def test_council_filter_restricts_every_passage(client: httpx.Client) -> None:
    question = {"question": "What were the key recommendations of the peer challenge?", "k": 8}
    unfiltered = client.post("/api/ask", json=question).json()
    councils = {p["doc_id"] for p in unfiltered["retrieved"]}
    assert len(councils) > 1  # without the filter, more than one document answers
    r = client.post("/api/ask", json=question | {"filters": {"councils": ["Derby City Council"]}})
    body = r.json()
    assert body["retrieved"]
    assert {p["doc_id"] for p in body["retrieved"]} == {"derby-city-corporate-peer-challenge-2017"}
    assert all(c["doc_id"] == "derby-city-corporate-peer-challenge-2017" for c in body["citations"])


@pytest.mark.parametrize("payload", [{"question": ""}, {"question": "  ?!  "}, {"history": []},
                                     {"question": "budget", "filters": {"date_from": "last year"}}])
def test_invalid_question_is_422(client: httpx.Client, payload: dict) -> None:
    r = client.post("/api/ask", json=payload)
    assert r.status_code == 422
    assert r.json()["detail"]


def test_errors_do_not_leak_paths(client: httpx.Client, demo_home: Path) -> None:
    for r in (client.post("/api/ask", json={"question": ""}), client.get("/documents/nope/file"),
              client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})):
        assert r.status_code in (404, 422)
        assert str(demo_home) not in r.text and "/work/" not in r.text and "Traceback" not in r.text


def test_pdf_route_serves_registered_file(client: httpx.Client) -> None:
    r = client.get(f"/documents/{PEER_2018}/file")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert r.content == (DEMO_CORPUS / f"{PEER_2018}.pdf").read_bytes()


@pytest.mark.parametrize("path", [
    "/documents/unknown-doc/file",
    "/documents/..%2F..%2Fetc%2Fpasswd/file",
    "/documents/%2Fetc%2Fpasswd/file",
    "/documents/.hidden/file",
    f"/documents/{PEER_2018}%00/file",
    f"/documents/{PEER_2018}.pdf/file",
    "/documents/catalogue/file",
])
def test_pdf_route_refuses_unknown_and_tricks(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert not r.content.startswith(b"%PDF") and b"root:" not in r.content


def test_raw_dotdot_path_is_not_served(live: LiveServer) -> None:
    # httpx normalises "..", so send the request line by hand.
    host, port = live.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"GET /documents/../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert b"root:" not in data


def test_page_is_served_offline(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "councilchat" in page.text
    config = client.get("/config").json()
    labels = {c.get("props", {}).get("label") for c in config["components"]}
    assert "Conversation" in labels
    assert "Admin password" not in labels  # no admin password set: no upload tab at all
    assert "fonts.googleapis" not in client.get("/theme.css").text


def test_upload_tab_requires_password_and_ingests(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    services = make_services(tmp_path / "home", embedder, admin_password="correct horse")
    app = create_app(services.settings, services, warm_up=False)
    with TestClient(app) as tc:
        labels = {c.get("props", {}).get("label") for c in tc.get("/config").json()["components"]}
    assert "Admin password" in labels
    upload = tmp_path / "incoming" / "Vision Derbyshire (2020).pdf"
    upload.parent.mkdir()
    shutil.copyfile(DEMO_CORPUS / "derbyshire-dales-council-vision-derbyshire-2020.pdf", upload)
    seen: list[str] = []
    lines = ingest_uploads(services, "correct horse", [upload], lambda done, total, line: seen.append(line))
    assert lines == ["Vision-Derbyshire-2020.pdf: added (4 pages, " + lines[0].split("(4 pages, ")[1]]
    assert (services.settings.uploads_dir / "Vision-Derbyshire-2020.pdf").is_file()
    assert [d.doc_id for d in services.sqlite.list_documents()] == ["Vision-Derbyshire-2020"]
    assert seen and seen[-1].startswith("Vision-Derbyshire-2020.pdf: added")
    services.close()


def test_feedback_is_appended_as_json_lines(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    import json

    import gradio as gr

    from ui.asking import Asker
    from ui.chat import ChatHandlers

    services = make_services(tmp_path / "home", embedder)
    handlers = ChatHandlers(services, Asker(services))
    turns = [{"question": "q1", "answer": None, "message": "Please type a question."},
             {"question": "What about Cotmanhay?", "filters": "council: X",
              "answer": {"answer": "It says [1]", "refused": False, "mode": "extractive",
                         "citations": [{"n": 1, "doc_id": "d", "page": 7, "quote": "q"}]}}]
    dislike = gr.LikeData(None, {"index": 3, "value": "", "liked": False})
    status, comment = handlers.feedback(turns, "wrong page", dislike)
    assert "recorded" in status and comment == ""
    status, _ = handlers.feedback(turns, "", gr.LikeData(None, {"index": 1, "value": "", "liked": True}))
    assert "Nothing to rate" in status  # the first turn had no answer
    records = [json.loads(line) for line in services.settings.feedback_path.read_text().splitlines()]
    assert records == [records[0]] and records[0]["rating"] == "down" and records[0]["comment"] == "wrong page"
    assert records[0]["question"] == "What about Cotmanhay?" and records[0]["citations"][0]["page"] == 7


# ------------------------------------------------------------------------------------ /api/ask's shape

ASK_FIELDS = {"question", "standalone_question", "answer", "refused", "refusal_reason", "citations", "retrieved",
              "unsupported", "quoted_instead", "mode", "latency_ms"}
CITATION_FIELDS = {"n", "doc_id", "title", "page", "section", "quote", "chunk_id"}
PASSAGE_FIELDS = {"doc_id", "chunk_id", "title", "page", "page_end", "section", "text", "score", "similarity"}


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_openapi_shows_the_ask_response(client: httpx.Client) -> None:
    spec = client.get("/api/openapi.json").json()
    ok = spec["paths"]["/api/ask"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    answer = _resolve(spec, ok)
    assert set(answer["properties"]) >= ASK_FIELDS, sorted(answer["properties"])
    assert set(answer["required"]) >= ASK_FIELDS
    assert answer["properties"]["refused"]["type"] == "boolean"
    citation = _resolve(spec, answer["properties"]["citations"]["items"])
    assert set(citation["properties"]) >= CITATION_FIELDS
    assert citation["properties"]["page"]["type"] == "integer"
    passage = _resolve(spec, answer["properties"]["retrieved"]["items"])
    assert set(passage["properties"]) >= PASSAGE_FIELDS
    assert passage["properties"]["score"]["type"] == "number"


def test_a_real_answer_matches_the_response_model(client: httpx.Client) -> None:
    from ui.api import AskResponse, CitationOut, PassageOut

    assert set(AskResponse.model_fields) == ASK_FIELDS
    assert set(CitationOut.model_fields) == CITATION_FIELDS and set(PassageOut.model_fields) == PASSAGE_FIELDS
    for question in ("What did the peer team say about Cotmanhay?", "Which football club won the cup in 1998?"):
        body = client.post("/api/ask", json={"question": question}).json()
        assert set(body) >= ASK_FIELDS, sorted(body)
        parsed = AskResponse.model_validate(body)
        assert parsed.retrieved and all(set(p) >= PASSAGE_FIELDS for p in body["retrieved"])
        assert all(set(c) >= CITATION_FIELDS for c in body["citations"])
        assert parsed.model_dump() == body  # nothing dropped or renamed on the way out


def test_keys_the_core_adds_later_pass_through(demo_services) -> None:  # type: ignore[no-untyped-def]
    from ui.api import AskResponse
    from ui.asking import Asker

    body = Asker(demo_services).ask("What did the peer team say about Cotmanhay?").to_json()
    body["new_key"] = {"added": "later"}
    body["citations"] = [c | {"extra": 1} for c in body["citations"]]
    parsed = AskResponse.model_validate(body)
    assert parsed.model_dump() == body


# --------------------------------------------------------------------------------- /api/health warming

class GatedEmbedder:
    """Wraps the real embedder; embedding waits until the test opens the gate (or fails when told to)."""

    def __init__(self, inner, fail: bool = False) -> None:  # type: ignore[no-untyped-def]
        import threading

        self.inner, self.fail, self.gate = inner, fail, threading.Event()
        self.name = inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        assert self.gate.wait(60), "the test never opened the gate"
        if self.fail:
            raise RuntimeError("the model could not be loaded")
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def _health_over_time(tmp_path: Path, embedder, fail: bool) -> tuple[list[str], str]:  # type: ignore[no-untyped-def]
    import time

    from assistant.services import Services
    from assistant.settings import Settings
    from tests.web import free_port

    gated = GatedEmbedder(embedder, fail=fail)
    services = Services(Settings(home=tmp_path / "home"), embedder=gated)
    try:
        with LiveServer(create_app(services.settings, services), free_port()) as server, \
                httpx.Client(base_url=server.url, timeout=60) as client:
            before = [client.get("/api/health").json()["status"] for _ in range(3)]
            gated.gate.set()
            deadline = time.monotonic() + 60
            while (status := client.get("/api/health").json()["status"]) == "warming" \
                    and time.monotonic() < deadline:
                time.sleep(0.1)
            return before, status
    finally:
        services.close()


def test_health_says_warming_until_the_first_question_can_be_served(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    before, after = _health_over_time(tmp_path, embedder, fail=False)
    assert before == ["warming"] * 3
    assert after == "ok"


def test_health_says_error_when_the_warm_up_fails(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    before, after = _health_over_time(tmp_path, embedder, fail=True)
    assert before == ["warming"] * 3
    assert after == "error"


def test_health_is_ok_at_once_without_a_warm_up(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    services = make_services(tmp_path / "home", embedder)
    with TestClient(create_app(services.settings, services, warm_up=False)) as tc:
        body = tc.get("/api/health").json()
    assert body["status"] == "ok" and body["documents"] == 0
    services.close()
