"""The web front end: the Gradio chat page and the REST API, on one FastAPI app (see `ui.server`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.services import Services
    from assistant.settings import Settings

__all__ = ["create_app", "serve"]


def create_app(settings: Settings, services: Services | None = None, **kwargs: Any) -> FastAPI:
    """Build the web app (imports Gradio, so it is only loaded when a server is wanted)."""
    from ui.server import create_app as _create_app

    return _create_app(settings, services, **kwargs)


def serve(settings: Settings) -> None:
    """Run the web app until interrupted (imports Gradio and uvicorn)."""
    from ui.server import serve as _serve

    _serve(settings)
