"""REST routes: /api/ask, /api/documents, /api/recommendations, /api/health, and /documents/{doc_id}/file for the
originals."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.register import parse_kind
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


# The /api/ask response: `Answer.to_json()` (assistant/types.py), declared so /api/openapi.json shows its
# shape. Keys the core adds later pass through unchanged (extra="allow") instead of breaking the route.
class CitationOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    n: int = Field(description="The [n] marker in the answer text.")
    doc_id: str
    title: str
    page: int = Field(description="1-based page of the quoted words.")
    section: str
    quote: str = Field(description="Words quoted verbatim from the cited passage.")
    chunk_id: str


class PassageOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    doc_id: str
    chunk_id: str
    title: str
    page: int
    page_end: int
    section: str
    text: str
    score: float = Field(description="Fused rank score (higher is better).")
    similarity: float = Field(description="Cosine similarity with the question (0 if only BM25 found it).")


class AskResponse(BaseModel):
    model_config = ConfigDict(extra="allow")

    question: str
    standalone_question: str = Field(description="The question rewritten without the history it relies on.")
    answer: str
    refused: bool = Field(description="True when the papers do not answer the question.")
    refusal_reason: str
    citations: list[CitationOut]
    retrieved: list[PassageOut] = Field(description="The passages found, best first (the nearest ones if refused).")
    unsupported: list[str] = Field(description="Generated sentences no verified citation supports.")
    quoted_instead: bool = Field(description="True when a model's answer could not be checked against the papers "
                                             "and the papers' own words are shown instead.")
    mode: str = Field(description="The answer mode that answered: extractive, local or server.")
    latency_ms: float


class FollowUpOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    doc_id: str
    title: str
    council: str
    date: str
    page: int
    section: str
    chunk_id: str
    quote: str = Field(description="A sentence of the later passage, verbatim.")
    strength: float = Field(description="0–1: how closely the passage matches the recommendation.")
    url: str


class RecommendationOut(BaseModel):
    """One entry of the recommendations register; `follow_ups` are possibly related passages of later papers,
    never a statement that the recommendation was carried out."""

    model_config = ConfigDict(extra="allow")

    doc_id: str
    title: str
    council: str
    document_type: str
    date: str
    ord: int
    number: str = Field(description="As printed (\"1\", \"2.1\", \"iii\"); empty when unnumbered.")
    text: str = Field(description="The recommendation with its sub-items, verbatim.")
    page: int
    section: str
    kind: str = Field(description="'peer-review recommendation' or 'decision sought'.")
    lead_in: str
    chunk_id: str
    quote: str = Field(description="Its first line, verbatim in the chunk `chunk_id`.")
    also_on_pages: list[int]
    url: str
    follow_ups: list[FollowUpOut]


def build_router(services: Services, asker: Asker, mode: ModeInfo) -> APIRouter:
    router = APIRouter()

    @router.post("/api/ask", response_model=AskResponse)
    def ask(body: AskBody) -> AskResponse:
        try:
            f = body.filters
            filters = make_filters(f.councils, f.document_types, f.doc_ids, f.date_from, f.date_to)
            answer = asker.ask(body.question, body.history, filters, body.k)
        except InvalidRequest as err:
            raise HTTPException(status_code=422, detail=str(err)) from None
        return AskResponse.model_validate(answer.to_json())

    @router.get("/api/documents")
    def documents() -> list[dict[str, Any]]:
        return [
            {"doc_id": d.doc_id, "title": d.title, "short_title": d.short_title, "council": d.council,
             "document_type": d.document_type, "date": d.date, "committee": d.committee, "author": d.author,
             "pages": d.page_count, "chunks": d.chunk_count, "url": f"/documents/{d.doc_id}/file"}
            for d in services.sqlite.list_documents()
        ]

    @router.get("/api/recommendations", response_model=list[RecommendationOut])
    def recommendations(council: Annotated[list[Name], Query(max_length=200)] = [],  # noqa: B006
                        doc: Annotated[list[Name], Query(max_length=1000)] = [],  # noqa: B006
                        kind: Annotated[list[Name], Query(max_length=10)] = [],  # noqa: B006
                        follow_ups: bool = True) -> list[RecommendationOut]:
        """The recommendations register, filtered like `councilchat recommendations` (repeat a parameter for more)."""
        try:
            kinds = [parse_kind(k) for k in kind]
        except InvalidRequest as err:
            raise HTTPException(status_code=422, detail=str(err)) from None
        entries = services.register.entries(doc or None, council or None, kinds or None, follow_ups=follow_ups)
        return [RecommendationOut.model_validate(e.to_json()) for e in entries]

    @router.get("/api/health")
    def health(request: Request) -> dict[str, Any]:
        stats = services.sqlite.stats()
        return {"status": _status(request), "documents": stats["documents"], "chunks": stats["chunks"],
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


def _status(request: Request) -> str:
    """`warming` until the first question can be served (the server's warm-up sets `app.state.ready`), then
    `ok`; `error` if the warm-up failed (details in the server log). No warm-up at all means `ok`."""
    state = request.app.state
    if getattr(state, "warm_up_failed", False):
        return "error"
    ready = getattr(state, "ready", None)
    return "warming" if ready is not None and not ready.is_set() else "ok"
