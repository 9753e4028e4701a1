"""The web composition root: one FastAPI app with the REST API under /api and the Gradio page at /."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant.services import Services
from assistant.settings import Settings, force_offline
from ui.api import build_router
from ui.asking import Asker, resolve_answerer
from ui.chat import build_ui

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings, services: Services | None = None, warm_up: bool = True) -> FastAPI:
    """Build the whole web app. `services` (built on `settings` when omitted) owns the index and models."""
    force_offline()
    services = services or Services(settings)
    mode = resolve_answerer(services)
    asker = Asker(services)

    app = FastAPI(title="councilchat", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Logged in full on the server; the client never sees paths, settings or tracebacks.
        log.error("unhandled error on %s", request.url.path, exc_info=exc)
        return JSONResponse({"detail": "Internal error; see the server log."}, status_code=500)

    app.include_router(build_router(services, asker, mode))
    demo = build_ui(services, asker, mode)
    demo.queue(default_concurrency_limit=settings.app_concurrency)
    app = gr.mount_gradio_app(
        app, demo, path="/", footer_links=[], run_history=False, show_error=False, ssr_mode=False,
        mcp_server=False, pwa=False, max_file_size=int(settings.max_file_mb * 2**20),
        theme=gr.themes.Default(primary_hue="blue"), css_paths=[STATIC / "app.css"],
    )
    app.state.services = services
    if warm_up:
        # Load the embedding model now rather than on the first question (the page is up meanwhile).
        threading.Thread(target=_warm_up, args=(services,), name="councilchat-warm-up", daemon=True).start()
    return app


def _warm_up(services: Services) -> None:
    started = time.perf_counter()
    services.embedder.embed_query("warm up")
    _ = services.ask
    log.info("models ready in %.1fs", time.perf_counter() - started)
