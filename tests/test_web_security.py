"""Security of the web app: who may add documents, where uploads land, escaping, and what errors reveal.

Everything runs against the real app (uvicorn on loopback, FastAPI + Gradio); Gradio events are driven
through the same queue routes the browser uses (/gradio_api/upload, /gradio_api/queue/join, .../queue/data).
"""

from __future__ import annotations

import html
import json
import re
import uuid
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio.utils import get_upload_folder

from tests.conftest import make_services
from tests.pdfgen import text_pdf
from tests.web import CHROMIUM, LiveServer, free_port, launch_chromium
from ui import create_app, render
from ui.api import _DOC_ID
from ui.asking import Asker
from ui.chat import UNEXPECTED, ChatHandlers
from ui.uploads import UploadRejected, ingest_uploads, safe_filename

ADMIN_PASSWORD = "pw-Zebra-7731-quartz"
SECRET_PATH, SECRET_TOKEN = "/secret/path", "token=abc"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
LEVY_Q = "What was the harbour mooring levy set at?"


# ---------------------------------------------------------------------------------------------- helpers

def hostile_pdf(path: Path) -> Path:
    """Minutes whose title, cited sentence and neighbouring text all carry markup (cp1252-encodable)."""
    return text_pdf(path, [
        [f"Harbour Board Minutes {SCRIPT}", "Meeting of 14 March 2021.", "",
         f"The harbour mooring levy was set at 42 pounds per berth {SCRIPT} for the year.",
         f"Members noted the dredging report {IMG} and agreed the dredging budget of 7,500 pounds."],
        [f"The lighthouse keeper {IMG} retired after thirty years of service.",
         "A new keeper will be appointed by the Harbour Board in April 2021."],
    ])


def plain_pdf(path: Path, topic: str = "allotment") -> Path:
    return text_pdf(path, [[f"Parish {topic} report 2022.", f"The {topic} rent was raised to 30 pounds a plot.",
                            f"The {topic} waiting list had 12 names."]])


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_inert(fragment: str) -> None:
    """No live script, image, frame or event handler anywhere in an HTML fragment the app produced."""
    parser = TagCollector()
    parser.feed(fragment)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag not in {"script", "img", "iframe", "svg", "object", "embed", "style", "form"}, (tag, fragment)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, fragment)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)
    assert not re.search(r"<\s*(script|img)", fragment, re.IGNORECASE), fragment


def assert_escaped_hostile(fragment: str, *raw: str) -> None:
    """Inert, and each hostile string (both by default) is present in its escaped form."""
    assert_inert(fragment)
    for text in raw or (SCRIPT, IMG):
        assert html.escape(text) in fragment, (text, fragment)


def gradio_upload(client: httpx.Client, name: str, content: bytes) -> dict[str, Any]:
    """Upload a file the way the browser's File component does; returns the FileData the page would send."""
    r = client.post("/gradio_api/upload", files=[("files", (name, content, "application/pdf"))])
    assert r.status_code == 200, r.text
    (path,) = r.json()
    return {"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}


def fn_index(client: httpx.Client, api_name: str) -> int | None:
    deps = client.get("/config").json()["dependencies"]
    return next((d["id"] for d in deps if d.get("api_name") == api_name), None)


def ui_event(client: httpx.Client, index: int, data: list[Any]) -> tuple[list[dict[str, Any]], str]:
    """Run one Gradio event through the queue like the page does; returns (messages, raw stream text)."""
    session = uuid.uuid4().hex[:12]
    r = client.post("/gradio_api/queue/join", json={"data": data, "fn_index": index, "session_hash": session,
                                                    "event_data": None, "trigger_id": None})
    assert r.status_code == 200, r.text
    messages: list[dict[str, Any]] = []
    raw: list[str] = []
    with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}, timeout=120) as resp:
        for line in resp.iter_lines():
            raw.append(line)
            if line.startswith("data:"):
                message = json.loads(line[5:])
                messages.append(message)
                if message.get("msg") in ("process_completed", "unexpected_error") or len(messages) > 500:
                    break
    return messages, "\n".join(raw)


def final_output(messages: list[dict[str, Any]]) -> list[Any]:
    done = messages[-1]
    assert done["msg"] == "process_completed" and done["success"], done
    return done["output"]["data"]


def respond_inputs(question: str) -> list[Any]:
    # question, chatbot, turns, council, type, date from, date to, only these documents
    return [question, [], [], [], [], "", "", []]


def upload_result(client: httpx.Client, password: str | None, files: list[dict[str, Any]]) -> str:
    index = fn_index(client, "upload")
    assert index is not None
    messages, _ = ui_event(client, index, [password, files])
    return final_output(messages)[0]


@pytest.fixture(scope="module")
def open_live(demo_home: Path, embedder) -> Iterator[tuple[LiveServer, Any]]:  # type: ignore[no-untyped-def]
    """The demo index with no admin password (the default)."""
    services = make_services(demo_home, embedder)
    with LiveServer(create_app(services.settings, services, warm_up=False), free_port()) as server:
        yield server, services
    services.close()


@pytest.fixture(scope="module")
def admin_live(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[tuple[LiveServer, Any]]:  # type: ignore[no-untyped-def]
    """An empty index with an admin password: the Upload tab exists."""
    services = make_services(tmp_path_factory.mktemp("admin-home"), embedder, admin_password=ADMIN_PASSWORD)
    with LiveServer(create_app(services.settings, services, warm_up=False), free_port()) as server:
        yield server, services
    services.close()


@pytest.fixture(scope="module")
def xss_services(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A fresh index holding one PDF full of markup."""
    home = tmp_path_factory.mktemp("xss-home")
    services = make_services(home, embedder)
    source = tmp_path_factory.mktemp("xss-src")
    # The title carries markup through the catalogue, whatever title the paper's own first line would give.
    (source / "catalogue.csv").write_text("file,title,short_title,council,document_type,date\n"
                                          f'harbour-board-minutes-2021.pdf,"Harbour Board Minutes {SCRIPT}",'
                                          f'"Harbour Board Minutes {SCRIPT}",Harbour Board,Minutes,2021-03-14\n',
                                          encoding="utf-8")
    summary = services.ingestor.ingest([hostile_pdf(source / "harbour-board-minutes-2021.pdf")])
    assert summary.count("added") == 1, summary.line()
    yield services
    services.close()


@pytest.fixture(scope="module")
def xss_live(xss_services) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    with LiveServer(create_app(xss_services.settings, xss_services, warm_up=False), free_port()) as server:
        yield server


class ExplodingAsk:
    """Stands in for the ask service: fails with a message full of secrets."""

    def stream(self, request: object) -> Iterator[object]:
        raise RuntimeError(f"{SECRET_PATH} {SECRET_TOKEN}")
        yield  # a generator, like the real one


@pytest.fixture(scope="module")
def failing_live(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[tuple[LiveServer, Path]]:  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("failing-home")
    services = make_services(home, embedder, admin_password=ADMIN_PASSWORD)
    app = create_app(services.settings, services, warm_up=False)
    services.__dict__["ask"] = ExplodingAsk()  # what both the API and the page call
    with LiveServer(app, free_port()) as server:
        yield server, services.settings.home_dir
    services.close()


# ------------------------------------------------------------------------------- upload needs the password

def test_no_admin_password_means_no_way_to_add_documents(open_live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    live, services = open_live
    before = services.sqlite.stats()
    with httpx.Client(base_url=live.url, timeout=60) as client:
        config = client.get("/config").json()
        labels = {c.get("props", {}).get("label") for c in config["components"]}
        assert "Admin password" not in labels and "Upload" not in labels
        assert not [c for c in config["components"] if c["type"] == "file"]
        assert fn_index(client, "upload") is None
        assert not any("upload" in (d.get("api_name") or "") for d in config["dependencies"])
        # Gradio's own upload route refuses files too (test_gradio_upload_route_is_closed_without_a_password);
        # a file on the server named in an event is no way in either.
        extra = plain_pdf(tmp_path / "extra.pdf")
        refused = client.post("/gradio_api/upload", files=[("files", ("extra.pdf", extra.read_bytes()))])
        assert refused.status_code == 403
        file = {"path": str(extra), "orig_name": "extra.pdf", "meta": {"_type": "gradio.FileData"}}
    for api_name in ("upload", "ingest", "add"):
        r = _request(live, "POST", f"/gradio_api/call/{api_name}", json={"data": ["", [file]]})
        assert r.status_code >= 400, (api_name, r.status_code, r.text[:200])
    for method, path in [("POST", "/api/documents"), ("PUT", "/api/documents"), ("POST", "/api/upload"),
                         ("POST", "/api/ingest"), ("POST", "/documents/new/file"), ("PUT", "/documents/x/file"),
                         ("POST", "/upload"), ("DELETE", "/api/documents")]:
        with httpx.Client(base_url=live.url, timeout=60) as client:  # fresh connection per probe
            r = client.request(method, path, files=[("files", ("extra.pdf", b"%PDF-1.4", "application/pdf"))])
        assert r.status_code in (404, 405), (method, path, r.status_code)
    # Every event the page can trigger, fed an upload-shaped payload: none adds a document.
    for dep in config["dependencies"]:
        with httpx.Client(base_url=live.url, timeout=60) as client:
            r = client.post(f"/gradio_api/call/{dep['api_name']}", json={"data": [ADMIN_PASSWORD, [file]]})
            if r.status_code == 200:
                client.get(f"/gradio_api/call/{dep['api_name']}/{r.json()['event_id']}")
    assert services.sqlite.stats() == before
    assert not services.settings.uploads_dir.exists()
    # The function behind the upload form refuses everything when no password is configured.
    for given in ("", None, " ", "admin", "None"):
        with pytest.raises(UploadRejected, match="Wrong admin password"):
            ingest_uploads(services, given, [plain_pdf(tmp_path / "x.pdf")])
    assert services.sqlite.stats() == before


# ------------------------------------------------------------------------------- Gradio's upload route

@pytest.fixture
def private_upload_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Gradio's upload folder for servers made in this test only (it is /tmp/gradio, shared, otherwise)."""
    folder = tmp_path / "gradio-uploads"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))
    assert get_upload_folder() == str(folder)
    return folder


def _files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _post_file(client: httpx.Client, path: str, size: int, name: str = "paper.pdf") -> httpx.Response:
    return client.post(path, files=[("files", (name, b"%PDF-1.4\n" + b"x" * size, "application/pdf"))])


def test_gradio_upload_route_is_closed_without_a_password(private_upload_folder: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                          embedder) -> None:
    services = make_services(tmp_path / "home", embedder)
    with LiveServer(create_app(services.settings, services, warm_up=False), free_port()) as live, \
            httpx.Client(base_url=live.url, timeout=60) as client:
        for path in ("/gradio_api/upload", "/gradio_api/upload/", "/gradio_api//upload",
                     "/gradio_api/upload?upload_id=abc123"):
            r = _post_file(client, path, 1000)
            assert r.status_code == 403, (path, r.status_code, r.text[:200])
            assert r.json() == {"detail": "This server does not accept uploads here."}
        # Streamed with no Content-Length, and the screen-recording helper that also stores a posted file.
        stream = (part for part in (b"--b\r\n", b"x" * 70_000, b"\r\n--b--\r\n"))
        r = client.post("/gradio_api/upload", content=stream,
                        headers={"content-type": "multipart/form-data; boundary=b"})
        assert r.status_code == 403
        r = client.post("/gradio_api/process_recording", files=[("video", ("v.mp4", b"x" * 1000, "video/mp4"))])
        assert r.status_code == 403
        assert client.get("/").status_code == 200 and client.get("/config").status_code == 200
        assert client.get("/api/health").json()["status"] == "ok"
    assert _files_in(private_upload_folder) == []
    services.close()


def test_gradio_upload_is_capped_and_cleaned_up(private_upload_folder: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    cap = int(0.05 * 2**20)  # max_file_mb=0.05
    services = make_services(tmp_path / "home", embedder, admin_password=ADMIN_PASSWORD, max_file_mb=0.05)
    with LiveServer(create_app(services.settings, services, warm_up=False), free_port()) as live, \
            httpx.Client(base_url=live.url, timeout=60) as client:
        r = _post_file(client, "/gradio_api/upload", cap // 2)
        assert r.status_code == 200, r.text
        (kept,) = r.json()
        assert Path(kept).is_file() and Path(kept).is_relative_to(private_upload_folder)
        r = _post_file(client, "/gradio_api/upload", cap + 1000, "too-big.pdf")
        assert r.status_code == 413, (r.status_code, r.text[:200])
        assert _files_in(private_upload_folder) == [Path(kept)]  # the refused file's partial copy is gone
        r = client.post("/gradio_api/process_recording", files=[("video", ("v.mp4", b"x" * 1000, "video/mp4"))])
        assert r.status_code == 403  # no component of the page records video, upload enabled or not
    # Gradio deletes what the app stored when the server stops.
    assert _files_in(private_upload_folder) == []
    services.close()


def test_old_gradio_uploads_are_deleted(private_upload_folder: Path, tmp_path: Path, embedder,  # type: ignore[no-untyped-def]
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from starlette.routing import Mount

    import ui.chat

    services = make_services(tmp_path / "home", embedder, admin_password=ADMIN_PASSWORD)
    app = create_app(services.settings, services, warm_up=False)
    (blocks,) = [r.app.get_blocks() for r in app.routes if isinstance(r, Mount)]
    assert blocks.delete_cache == ui.chat.CACHE_CLEANUP  # what the real app runs with
    frequency, age = ui.chat.CACHE_CLEANUP
    assert 0 < frequency <= age <= 24 * 3600

    monkeypatch.setattr(ui.chat, "CACHE_CLEANUP", (1, 2))  # the same cleanup, in seconds rather than an hour
    app = create_app(services.settings, services, warm_up=False)
    with LiveServer(app, free_port()) as live, httpx.Client(base_url=live.url, timeout=60) as client:
        (old,) = _post_file(client, "/gradio_api/upload", 1000, "old.pdf").json()
        assert Path(old).is_file()
        deadline = time.monotonic() + 30
        while Path(old).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not Path(old).exists(), "an upload older than the age limit was not deleted"
        (new,) = _post_file(client, "/gradio_api/upload", 1000, "new.pdf").json()
        assert Path(new).is_file()  # a fresh upload is kept until it is old
    services.close()


def test_wrong_password_adds_nothing_right_one_does(admin_live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    live, services = admin_live
    with httpx.Client(base_url=live.url, timeout=120) as client:
        labels = {c.get("props", {}).get("label") for c in client.get("/config").json()["components"]}
        assert "Admin password" in labels
        pdf = plain_pdf(tmp_path / "allotments.pdf").read_bytes()
        for wrong in ("", None, "wrong", ADMIN_PASSWORD.upper(), ADMIN_PASSWORD + " ", ADMIN_PASSWORD[:-1]):
            file = gradio_upload(client, "allotments.pdf", pdf)
            result = upload_result(client, wrong, [file])
            assert "Wrong admin password: nothing was added." in result, (wrong, result)
            assert services.sqlite.stats()["documents"] == 0
        assert not services.settings.uploads_dir.exists() or not any(services.settings.uploads_dir.iterdir())
        # Positive control: the same request with the right password adds the file (so the check can fail).
        file = gradio_upload(client, "allotments.pdf", pdf)
        result = upload_result(client, ADMIN_PASSWORD, [file])
        assert "allotments.pdf: added" in result, result
        assert [d.doc_id for d in services.sqlite.list_documents()] == ["allotments"]


def test_upload_event_refuses_files_not_uploaded_through_the_page(admin_live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A hand-made event naming a server-side file must not ingest it, even with the password."""
    live, services = admin_live
    outside = plain_pdf(tmp_path / "server-side-secret.pdf", "greenhouse")
    sneaky = [
        {"path": str(outside), "orig_name": "innocent.pdf", "meta": {"_type": "gradio.FileData"}},
        {"path": f"{get_upload_folder()}/../../{outside}", "orig_name": "x.pdf", "meta": {"_type": "gradio.FileData"}},
    ]
    before = services.sqlite.stats()
    with httpx.Client(base_url=live.url, timeout=120) as client:
        index = fn_index(client, "upload")
        assert index is not None
        for file in sneaky:
            messages, raw = ui_event(client, index, [ADMIN_PASSWORD, [file]])
            assert not messages[-1]["success"], raw[-500:]
            assert "added" not in raw.replace("not added", "") and str(tmp_path) not in raw
    assert services.sqlite.stats() == before
    assert not any(p.name.startswith("server-side-secret") for p in services.settings.uploads_dir.iterdir())


def test_chat_history_cannot_smuggle_server_files(open_live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The chat history the page sends back may carry file messages; a server path there must not be copied
    into Gradio's cache and served (an unauthenticated arbitrary file read in a mounted Gradio app)."""
    live, _ = open_live
    secret = tmp_path / f"server-secret-{uuid.uuid4().hex[:12]}.txt"  # unique: Gradio's cache outlives tests
    secret.write_text("SERVER-SECRET-CONTENT-8841\n", encoding="utf-8")
    for target in (str(secret), f"{get_upload_folder()}/../../{secret}"):
        history = [{"role": "user", "content": [{"type": "file", "file": {"path": target,
                                                                           "meta": {"_type": "gradio.FileData"}}}]},
                   {"role": "assistant", "content": [{"type": "text", "text": "ok"}]}]
        data = respond_inputs("What did the peer team say about Cotmanhay?")
        data[1] = history
        with httpx.Client(base_url=live.url, timeout=120) as client:
            messages, raw = ui_event(client, fn_index(client, "respond"), data)  # type: ignore[arg-type]
            assert "SERVER-SECRET-CONTENT" not in raw
            assert not messages[-1]["success"], raw[-500:]
            served = re.findall(r"/gradio_api/file=[^\"\s]+", raw)
            for url in served:
                assert "SERVER-SECRET-CONTENT" not in client.get(url).text, url
    cached = list(Path(get_upload_folder()).glob(f"*/{secret.name}"))
    assert not cached, cached


# ------------------------------------------------------------------------------------ upload file names

HOSTILE_NAMES = [
    "../../x.pdf", "..\\..\\x.pdf", "/etc/x.pdf", "/abs/path/to/x.pdf", "C:\\Windows\\System32\\x.pdf",
    "\\\\server\\share\\x.pdf", "x\x00.pdf", "\x00", "x.pdf\x00.exe", "..", ".", "", "....pdf", "..pdf", ".pdf",
    ".hidden.pdf", "..\\", "../", "..\uff0f..\uff0fx.pdf", "..\u2215..\u2215x.pdf", "%2e%2e%2fx.pdf",
    "-rf --no-preserve-root.pdf", "a" * 500 + ".pdf", "x." + "p" * 50, "name with spaces.pdf",
    "R\u00e9sum\u00e9 \u2713.pdf", "\u65e5\u672c.pdf", "CON.pdf", "x.pdf/", "x.pdf\\..\\..", "~/x.pdf", "$HOME.pdf",
    "`id`.pdf", "x;rm -rf.pdf", "x\n.pdf", "x\r\n\t.pdf", "\u202egpj.pdf", "..././x.pdf",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=[repr(n)[:30] for n in HOSTILE_NAMES])
def test_safe_filename_stays_in_the_folder(name: str, tmp_path: Path) -> None:
    safe = safe_filename(name)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", safe), (name, safe)
    assert ".." not in safe and len(safe) <= 120
    root = tmp_path.resolve()
    assert (root / safe).resolve().parent == root
    assert _DOC_ID.match(Path(safe).stem)  # the document id derived from it can be served


def test_upload_handler_keeps_hostile_names_inside_the_uploads_folder(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    """The handler behind the Upload tab, given files Gradio received under hostile names."""
    services = make_services(tmp_path / "home", embedder, admin_password=ADMIN_PASSWORD)
    handlers = ChatHandlers(services, Asker(services))
    inbox = tmp_path / "gradio-uploads"  # where Gradio would have put the browser's files
    names = ["..\\..\\evil.pdf", "....pdf", "-rf.pdf", " .pdf", "R\u00e9sum\u00e9 <b>.pdf", "..\\", "x.PDF"]
    files: list[str] = []
    for i, name in enumerate(names):
        folder = inbox / str(i)
        folder.mkdir(parents=True)
        files.append(str(plain_pdf(folder / name, f"topic{i}")))
    # Paths spelled with ".." and a NUL byte, and a file that is not a PDF: refused or contained, no crash.
    files.append(str(inbox / "0" / ".." / "1" / "....pdf"))
    files.append(str(inbox / "0" / "bad\x00.pdf"))
    files.append("/etc/passwd")
    before = set(tmp_path.rglob("*"))
    result, *_ = handlers.upload(ADMIN_PASSWORD, files, progress=lambda *a, **k: None)
    assert_inert(result)
    uploads = services.settings.uploads_dir.resolve()
    created = {p for p in tmp_path.rglob("*") if p not in before and p.is_file()}
    outside = [p for p in created if not p.resolve().is_relative_to(services.settings.home_dir)]
    assert not outside, outside
    stored = sorted(uploads.iterdir())
    assert stored and all(p.parent == uploads and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", p.name)
                          for p in stored), stored
    assert "passwd" not in {p.stem for p in stored}
    assert "passwd: not added" in result and "could not be read" in result, result
    docs = services.sqlite.list_documents()
    assert len(docs) >= 5 and all(_DOC_ID.match(d.doc_id) for d in docs)
    assert str(tmp_path) not in result
    services.close()


# ------------------------------------------------------------------------------------------- escaping

def test_document_text_is_escaped_in_every_html_fragment(xss_services) -> None:  # type: ignore[no-untyped-def]
    asker = Asker(xss_services)
    answer = asker.ask(LEVY_Q)
    assert not answer.refused and answer.citations, answer.answer
    assert SCRIPT in answer.citations[0].quote  # the markup really is in what gets cited
    assert_escaped_hostile(render.sources_html(answer, "council: " + SCRIPT + IMG))
    answer_html = render.answer_html(answer)
    assert_inert(answer_html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer_html and "[1]" in answer_html
    assert_escaped_hostile(render.library_html(xss_services.sqlite.list_documents()) + answer_html
                           + render.question_html(IMG))
    refused = asker.ask("Which football club won the county cup in 1998?")
    assert refused.refused and refused.retrieved
    assert_escaped_hostile(render.sources_html(refused))  # nearest passages are escaped too
    assert_inert(render.answer_html(refused))
    assert_escaped_hostile(render.streaming_html(answer.answer), SCRIPT)
    for fragment in (render.message_html(SCRIPT + IMG),
                     render.lines_html([SCRIPT, IMG]), render.mode_html(SCRIPT, IMG),
                     render.question_html(SCRIPT + "\n\n" + IMG)):
        assert_escaped_hostile(fragment)
    markdown = render.conversation_markdown([{"question": IMG, "answer": answer.to_json()}])
    assert SCRIPT in markdown  # the export is Markdown text, not HTML: it keeps the words as written


def test_page_events_and_api_return_only_escaped_markup(xss_live: LiveServer) -> None:
    with httpx.Client(base_url=xss_live.url, timeout=120) as client:
        r = client.post("/api/ask", json={"question": LEVY_Q})
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        body = r.json()
        assert SCRIPT in body["citations"][0]["quote"]  # data for API consumers, served as JSON, not HTML
        docs = client.get("/api/documents")
        assert docs.headers["content-type"] == "application/json"
        index = fn_index(client, "respond")
        assert index is not None
        messages, _ = ui_event(client, index, respond_inputs(LEVY_Q + " " + IMG))
        _, chat, sources, _, _ = final_output(messages)
        bubbles = "".join(part["text"] for turn in chat for part in turn["content"] if part.get("type") == "text")
        assert_escaped_hostile(bubbles)
        assert_escaped_hostile(sources)
        messages, _ = ui_event(client, fn_index(client, "refresh"), [])  # type: ignore[arg-type]
        library = final_output(messages)[3]
        assert_escaped_hostile(library, SCRIPT)  # the title carries the script tag


@pytest.mark.slow
def test_no_dialog_fires_in_the_browser(xss_live: LiveServer) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (make system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(xss_live.url + "/")
            page.wait_for_selector("#cc-question textarea", timeout=60_000)
            page.fill("#cc-question textarea", LEVY_Q + " " + IMG)
            page.press("#cc-question textarea", "Enter")
            page.wait_for_selector("#cc-chat .cc-cites", timeout=90_000)
            page.wait_for_function("document.querySelector('#cc-sources .cc-cited') !== null", timeout=30_000)
            page.get_by_role("tab", name="Documents").click()
            page.wait_for_selector("#cc-library table", timeout=30_000)
            page.wait_for_timeout(500)  # give any injected handler time to run
            sources = page.locator("#cc-sources").inner_text()
            assert SCRIPT in sources and IMG in sources  # shown as text
            assert IMG in page.locator("#cc-chat").inner_text()
            assert SCRIPT in page.locator("#cc-library").inner_text()
            for area in ("#cc-chat", "#cc-sources", "#cc-library"):
                assert page.locator(f"{area} script").count() == 0, area
                assert page.locator(f"{area} img").count() == 0, area
            assert page.locator("img[src='x']").count() == 0
            assert dialogs == []
        finally:
            browser.close()


# ------------------------------------------------------------------------------------ what errors reveal

def _request(live: LiveServer, method: str, path: str, **kwargs: Any) -> httpx.Response:
    with httpx.Client(base_url=live.url, timeout=120) as client:  # fresh connection: a 500 may close it
        return client.request(method, path, **kwargs)


def _assert_no_leak(r: httpx.Response, home: Path, *, echo_ok: str = "") -> None:
    text = r.text.replace(echo_ok, "") if echo_ok else r.text
    everything = text + json.dumps(dict(r.headers))
    for secret in (SECRET_PATH, SECRET_TOKEN, ADMIN_PASSWORD, str(home), "/work/", "Traceback", 'File "',
                   "site-packages", "RuntimeError", "KeyError"):
        assert secret not in everything, (secret, r.request.method, r.request.url.path, r.status_code, text[:300])


def _chunks(total: int) -> Iterator[bytes]:
    yield b'{"question": "'
    for _ in range(total // 65536):
        yield b"a" * 65536
    yield b'"}'


JSON = {"content-type": "application/json"}
BAD_REQUESTS: list[tuple[str, str, dict[str, Any], tuple[int, ...]]] = [
    ("POST", "/api/ask", {"content": b"{not json", "headers": JSON}, (422,)),
    ("POST", "/api/ask", {"content": b"\xff\xfe\x00", "headers": JSON}, (400, 422)),
    ("POST", "/api/ask", {"content": b"", "headers": JSON}, (422,)),
    ("POST", "/api/ask", {"content": b"[" * 100_000 + b"]" * 100_000, "headers": JSON}, (400, 422)),
    ("POST", "/api/ask", {"content": b"question=budget"}, (422,)),
    ("POST", "/api/ask", {"json": [1, 2]}, (422,)),
    ("POST", "/api/ask", {"json": {"question": 5}}, (422,)),
    ("POST", "/api/ask", {"json": {"question": None}}, (422,)),
    ("POST", "/api/ask", {"json": {"question": "budget", "k": "many"}}, (422,)),
    ("POST", "/api/ask", {"json": {"question": "budget", "k": 10**30}}, (422,)),
    ("POST", "/api/ask", {"json": {"question": "budget", "history": "x"}}, (422,)),
    ("POST", "/api/ask", {"json": {"question": "budget", "history": ["x" * 100_000]}}, (422,)),
    ("POST", "/api/ask", {"json": {"question": "budget", "filters": []}}, (422,)),
    ("POST", "/api/ask", {"json": {"question": "budget", "filters": {"councils": [1, {}]}}}, (422,)),
    ("POST", "/api/ask", {"json": {"question": "budget", "filters": {"doc_ids": ["d"] * 5000}}}, (422,)),
    ("POST", "/api/ask", {"json": {"question": "budget", "filters": {"date_from": "x" * 10_000}}}, (422,)),
    ("POST", "/api/ask", {"json": {"question": "budget", "filters": {"date_from": "../../etc"}}}, (422,)),
    ("POST", "/api/ask", {"json": {"question": "x" * 5000}}, (422,)),
    ("POST", "/api/ask", {"content": b'{"question": "' + b"a" * (3 * 2**20) + b'"}', "headers": JSON}, (413,)),
    ("POST", "/api/ask", {"content": _chunks(3 * 2**20), "headers": JSON}, (413,)),
    ("GET", "/api/ask", {}, (404, 405)),
    ("POST", "/api/health", {"json": {}}, (404, 405)),
    ("POST", "/api/documents", {"content": b"x" * 2**20}, (404, 405, 413)),
    ("GET", "/api/documents?limit=-1&doc_id=../../etc/passwd", {}, (200,)),
    ("GET", "/api/nope", {}, (404,)),
    ("GET", "/documents/unknown-doc/file", {}, (404,)),
    ("GET", "/documents/" + "a" * 5000 + "/file", {}, (404,)),
    ("GET", "/documents/..%2F..%2Fetc%2Fpasswd/file", {}, (404,)),
    ("GET", "/documents/%00/file", {}, (404,)),
    ("GET", "/documents/index.sqlite3/file", {}, (404,)),
    ("GET", "/gradio_api/file=/etc/passwd", {}, (403, 404)),
    ("POST", "/gradio_api/queue/join", {"content": b"{", "headers": JSON}, (422,)),
    ("POST", "/gradio_api/queue/join", {"json": {"data": [], "fn_index": 999, "session_hash": "abc"}},
     (400, 404, 422, 500)),
    ("POST", "/gradio_api/queue/join", {"json": {"data": "x", "fn_index": "y"}}, (400, 422)),
    ("POST", "/gradio_api/run/predict", {"json": {"data": []}}, (400, 404, 422, 500)),
    ("POST", "/gradio_api/upload", {"content": b"junk", "headers": {"content-type": "multipart/form-data"}},
     (400, 422)),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "statuses"), BAD_REQUESTS,
                         ids=[f"{m} {p[:40]} #{i}" for i, (m, p, _, _) in enumerate(BAD_REQUESTS)])
def test_bad_requests_get_plain_errors(failing_live, method: str, path: str, kwargs: dict[str, Any],  # type: ignore[no-untyped-def]
                                       statuses: tuple[int, ...]) -> None:
    live, home = failing_live
    r = _request(live, method, path, **kwargs)
    assert r.status_code in statuses, (r.status_code, r.text[:300])
    _assert_no_leak(r, home)
    assert b"root:" not in r.content and not r.content.startswith(b"SQLite format")
    assert len(r.content) < 20_000, len(r.content)  # a huge request never comes back whole


def test_internal_error_is_generic_in_the_api_and_the_page(failing_live) -> None:  # type: ignore[no-untyped-def]
    live, home = failing_live
    r = _request(live, "POST", "/api/ask", json={"question": "What was the budget?"})
    assert r.status_code == 500
    assert r.json() == {"detail": "Internal error; see the server log."}
    _assert_no_leak(r, home)
    with httpx.Client(base_url=live.url, timeout=120) as client:
        index = fn_index(client, "respond")
        assert index is not None
        messages, raw = ui_event(client, index, respond_inputs("What was the budget?"))
        for secret in (SECRET_PATH, SECRET_TOKEN, "Traceback", "RuntimeError", str(home)):
            assert secret not in raw, secret
        _, chat, _, _, _ = final_output(messages)
        assert UNEXPECTED in chat[-1]["content"][0]["text"]  # the bubble says so instead of spinning forever


def test_admin_password_never_served(failing_live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    live, home = failing_live
    gets = ["/", "/config", "/gradio_api/info", "/gradio_api/info?all_endpoints=true", "/api/health",
            "/api/documents", "/api/openapi.json", "/theme.css", "/gradio_api/queue/status", "/gradio_api/app_id",
            "/gradio_api/openapi.json", "/manifest.json", "/?view=api"]
    for path in gets:
        r = _request(live, "GET", path)
        assert r.status_code < 500, (path, r.status_code)
        _assert_no_leak(r, home)
    with httpx.Client(base_url=live.url, timeout=120) as client:
        # Upload results (wrong and right password, and a file that fails to parse) name neither the
        # password nor where the index lives.
        broken = gradio_upload(client, "broken.pdf", b"%PDF-1.4\n1 0 obj garbage\n")
        for password in ("wrong", ADMIN_PASSWORD):
            index = fn_index(client, "upload")
            assert index is not None
            _, raw = ui_event(client, index, [password, [broken]])
            for secret in (ADMIN_PASSWORD, str(home), "Traceback", "/work/"):
                assert secret not in raw, (password, secret, raw[-500:])
