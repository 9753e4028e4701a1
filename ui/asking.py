"""What the chat page and the REST API share: filters from form values, the answer mode, one ask path."""

from __future__ import annotations

import contextlib
import copy
import logging
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assistant.answering.base import TextDelta
from assistant.ask import AskRequest, AskService, InvalidQuestion
from assistant.services import Services
from assistant.types import Answer, Filters

log = logging.getLogger(__name__)

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
# Errors building a language-model answerer that mean "not installed / not usable here".
ANSWERER_ERRORS = (RuntimeError, ImportError, OSError, ValueError)


def clean_date(value: str | None, label: str) -> str:
    """'' or an ISO prefix (2018, 2018-06, 2018-06-30); anything else raises InvalidQuestion."""
    value = (value or "").strip()
    if value and not _DATE.match(value):
        raise InvalidQuestion(f"The '{label}' date must look like 2018, 2018-06 or 2018-06-30 (got {value[:20]!r}).")
    return value


def make_filters(councils: Sequence[str] | None = None, document_types: Sequence[str] | None = None,
                 doc_ids: Sequence[str] | None = None, date_from: str | None = "", date_to: str | None = "") -> Filters:
    return Filters(councils=list(councils or []), document_types=list(document_types or []),
                   doc_ids=list(doc_ids or []), date_from=clean_date(date_from, "from"),
                   date_to=clean_date(date_to, "to"))


@dataclass
class ModeInfo:
    description: str
    notice: str = ""


def resolve_answerer(services: Services) -> ModeInfo:
    """Build the configured answerer now; if it cannot be built, say why and fall back to extractive."""
    try:
        answerer = services.answerer
        ok, message = answerer.available()
        if ok:
            return ModeInfo(answerer.description or answerer.mode, message)
        reason = message or "the answer model is not available"
    except ANSWERER_ERRORS as err:
        log.warning("answer mode %r unavailable: %s", services.settings.answer_mode, err)
        reason = str(err) or type(err).__name__
    from assistant.answering import build_answerer

    fallback = build_answerer(services.settings.model_copy(update={"answer_mode": "extractive"}))
    services.answerer = fallback  # replaces the cached component; `ask` is built from it later
    if "ask" in services.__dict__:
        del services.__dict__["ask"]
    notice = (f"The '{services.settings.answer_mode}' answer mode is not available ({reason}); "
              "answers are extractive quotes from the papers instead.")
    return ModeInfo(fallback.description, notice)


class Asker:
    """One way in for both front ends. A local in-process model answers one question at a time."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._model_lock = threading.Lock()

    def _service(self, k: int | None) -> AskService:
        if not k:
            return self.services.ask
        # The same service with a retriever that returns k passages (a shallow copy shares everything else).
        service = copy.copy(self.services.ask)
        service.retriever = self.services.retriever.model_copy(update={"k": k})
        return service

    def stream(self, question: str, history: Sequence[str] = (), filters: Filters | None = None,
               k: int | None = None) -> Iterator[TextDelta | Answer]:
        request = AskRequest(question, list(history), filters or Filters())
        exclusive = self.services.answerer.mode == "local"
        guard = self._model_lock if exclusive else contextlib.nullcontext()
        with guard:
            yield from self._service(k).stream(request)

    def ask(self, question: str, history: Sequence[str] = (), filters: Filters | None = None,
            k: int | None = None) -> Answer:
        answer: Answer | None = None
        for event in self.stream(question, history, filters, k):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        return answer
