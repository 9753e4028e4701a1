"""The web composition root: one FastAPI app with the REST API under /api and the Gradio page at /."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import gradio as gr
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import State
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.services import Services
from assistant.settings import Settings, force_offline
from ui.api import build_router
from ui.asking import Asker, answer_mode
from ui.chat import build_ui

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
MAX_API_BODY = 2**20  # a question with its history and filters is a few kilobytes
# Gradio's routes that store a file the client sends (the mount is at "/", so under /gradio_api): the File
# component's upload, and the screen-recording helper, which no component of this page uses.
GRADIO_UPLOAD = "/gradio_api/upload"
GRADIO_RECORDING = "/gradio_api/process_recording"


def create_app(settings: Settings, services: Services | None = None, warm_up: bool = True) -> FastAPI:
    """Build the whole web app. `services` (built on `settings` when omitted) owns the index and models."""
    force_offline()
    services = services or Services(settings)
    mode = answer_mode(services)
    asker = Asker(services)

    app = FastAPI(title="councilchat", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Logged in full on the server; the client never sees paths, settings or tracebacks.
        log.error("unhandled error on %s", request.url.path, exc_info=exc)
        return JSONResponse({"detail": "Internal error; see the server log."}, status_code=500)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's default handler echoes every bad value back ("input"), so a huge body came back whole.
        errors = [{"type": e.get("type", ""), "loc": list(e.get("loc", ())), "msg": e.get("msg", "")}
                  for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    app.add_middleware(BodyLimit, limit=MAX_API_BODY, prefix="/api/")
    # Without an admin password there is no Upload tab, so nothing may store files in Gradio's cache.
    upload_enabled = bool(settings.admin_password.get_secret_value())
    refused = (GRADIO_RECORDING,) if upload_enabled else (GRADIO_UPLOAD, GRADIO_RECORDING)
    app.add_middleware(RefuseUploads, paths=refused)

    app.include_router(build_router(services, asker, mode))
    demo = build_ui(services, asker, mode)
    demo.queue(default_concurrency_limit=settings.app_concurrency)
    app = gr.mount_gradio_app(
        app, demo, path="/", footer_links=[], run_history=False, show_error=False, ssr_mode=False,
        mcp_server=False, pwa=False, max_file_size=int(settings.max_file_mb * 2**20),
        theme=gr.themes.Default(primary_hue="blue"), css_paths=[STATIC / "app.css"],
    )
    # Gradio checks that every file path an event sends was uploaded through the page, but only once the
    # Blocks count as launched, which a mounted app never does. Without this, any request could name a file
    # on the server (in the chat history, say) and have Gradio copy it into its cache and serve it back.
    demo.has_launched = True
    app.state.services = services
    if warm_up:
        # Load the embedding model now rather than on the first question (the page is up meanwhile);
        # /api/health says "warming" until this is done.
        app.state.ready = threading.Event()
        threading.Thread(target=_warm_up, args=(services, app.state), name="councilchat-warm-up",
                         daemon=True).start()
    return app


class RefuseUploads:
    """Answer 403 to any request on the given paths, however spelt (repeated or trailing slashes, behind a
    root path), before the route reads a byte of the body."""

    def __init__(self, app: ASGIApp, paths: tuple[str, ...]) -> None:
        self.app, self.paths = app, frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _route_path(scope) in self.paths:
            response = JSONResponse({"detail": "This server does not accept uploads here."}, status_code=403)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _route_path(scope: Scope) -> str:
    path, root = scope["path"], scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root):]
    return "/" + "/".join(part for part in path.split("/") if part)


class BodyLimit:
    """Refuse request bodies over `limit` bytes on paths under `prefix` (413), declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int, prefix: str) -> None:
        self.app, self.limit, self.prefix = app, limit, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await JSONResponse({"detail": "Request body too large."}, status_code=413)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:  # chunked upload with no Content-Length
                raise HTTPException(status_code=413, detail="Request body too large.")
            return message

        await self.app(scope, limited, send)


def _warm_up(services: Services, state: State) -> None:
    started = time.perf_counter()
    try:
        services.embedder.embed_query("warm up")
        _ = services.ask
    except Exception:
        log.exception("warm-up failed: the first question will try to load the models again")
        state.warm_up_failed = True
        return
    state.ready.set()
    log.info("models ready in %.1fs", time.perf_counter() - started)


def serve(settings: Settings) -> None:
    """Run the app with uvicorn until Ctrl+C, printing the URL once it is listening (`python app.py`,
    `councilchat serve`)."""
    import uvicorn

    started = time.perf_counter()
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning"))
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    url = f"http://{host}:{settings.port}/"

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            print(f"councilchat is ready at {url} (index: {settings.home_dir}; "
                  f"started in {time.perf_counter() - started:.1f}s). Ctrl+C to stop.", flush=True)

    print(f"councilchat: starting on {url} …", flush=True)
    threading.Thread(target=announce, daemon=True).start()
    server.run()
