"""REST routes: /api/ask, /api/documents, /api/health, and /documents/{doc_id}/file for the originals."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from assistant.services import Services
from common.types import InvalidRequest
from ui.asking import Asker, ModeInfo, make_filters

_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")
_SERVED_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt"}


# Every string and list in a request is bounded: history items and filter values were unbounded, and one
# 500 KB history item kept a worker busy ~2 s before the ask path trimmed it (413 above 1 MiB: ui/server.py).
Text = Annotated[str, Field(max_length=4000)]
Name = Annotated[str, Field(max_length=300)]


class FilterBody(BaseModel):
    councils: list[Name] = Field(default_factory=list, max_length=200)
    document_types: list[Name] = Field(default_factory=list, max_length=200)
    doc_ids: list[Name] = Field(default_factory=list, max_length=1000)
    date_from: str = Field(default="", max_length=40)
    date_to: str = Field(default="", max_length=40)


class AskBody(BaseModel):
    question: Text
    history: list[Text] = Field(default_factory=list, max_length=20)
    filters: FilterBody = Field(default_factory=FilterBody)
    k: int | None = Field(default=None, ge=1, le=20)


def build_router(services: Services, asker: Asker, mode: ModeInfo) -> APIRouter:
    router = APIRouter()

    @router.post("/api/ask")
    def ask(body: AskBody) -> dict[str, Any]:
        try:
            f = body.filters
            filters = make_filters(f.councils, f.document_types, f.doc_ids, f.date_from, f.date_to)
            answer = asker.ask(body.question, body.history, filters, body.k)
        except InvalidRequest as err:
            raise HTTPException(status_code=422, detail=str(err)) from None
        return answer.to_json()

    @router.get("/api/documents")
    def documents() -> list[dict[str, Any]]:
        return [
            {"doc_id": d.doc_id, "title": d.title, "short_title": d.short_title, "council": d.council,
             "document_type": d.document_type, "date": d.date, "committee": d.committee, "author": d.author,
             "pages": d.page_count, "chunks": d.chunk_count, "url": f"/documents/{d.doc_id}/file"}
            for d in services.sqlite.list_documents()
        ]

    @router.get("/api/health")
    def health() -> dict[str, Any]:
        stats = services.sqlite.stats()
        return {"status": "ok", "documents": stats["documents"], "chunks": stats["chunks"],
                "mode": services.answerer.mode, "mode_description": mode.description, "notice": mode.notice}

    @router.get("/documents/{doc_id}/file")
    async def document_file(doc_id: str) -> FileResponse:
        # Only files registered in the catalogue are served, looked up by id; the URL never names a path.
        if not _DOC_ID.match(doc_id):
            raise HTTPException(status_code=404, detail="No such document.")
        doc = await run_in_threadpool(services.sqlite.get_document, doc_id)
        if doc is None or doc.status != "complete" or not doc.source_path:
            raise HTTPException(status_code=404, detail="No such document.")
        path = Path(doc.source_path)
        if path.suffix.lower() not in _SERVED_SUFFIXES or not path.is_file():
            raise HTTPException(status_code=404, detail="The original file is no longer available.")
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        inline = path.suffix.lower() == ".pdf"
        return FileResponse(path, media_type=media, filename=path.name,
                            content_disposition_type="inline" if inline else "attachment")

    return router
