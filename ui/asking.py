"""What the chat page and the REST API share: the one way from their form values to an answer.

Both build an AskRequest (filters and k checked there) and stream it through `services.ask`; the
answer-mode fallback and the local model's one-at-a-time lock live in the core, so the CLI, the
evaluation and the benchmarks behave the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assistant.answering.base import Status, TextDelta
from assistant.ask import AskRequest
from assistant.conversation import Turn
from assistant.services import Services
from assistant.types import Answer
from common.types import Filters


@dataclass
class ModeInfo:
    description: str
    notice: str = ""


def answer_mode(services: Services) -> ModeInfo:
    """Build the answerer now (not on the first question) and say which mode answers, and why if not the one set."""
    answerer = services.answerer
    return ModeInfo(answerer.description or answerer.mode, services.answer_notice)


def make_filters(councils: Sequence[str] | None = None, document_types: Sequence[str] | None = None,
                 doc_ids: Sequence[str] | None = None, date_from: str | None = "", date_to: str | None = "") -> Filters:
    """Filters from form values (None for an empty field); raises InvalidRequest for a malformed date."""
    return Filters(councils=list(councils or []), document_types=list(document_types or []),
                   doc_ids=list(doc_ids or []), date_from=date_from or "", date_to=date_to or "")


class Asker:
    """One way in for both front ends."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def stream(self, question: str, history: Sequence[Turn | str] = (), filters: Filters | None = None,
               k: int | None = None) -> Iterator[TextDelta | Status | Answer]:
        yield from self.services.ask.stream(AskRequest(question, list(history), filters or Filters(), k))

    def ask(self, question: str, history: Sequence[Turn | str] = (), filters: Filters | None = None,
            k: int | None = None) -> Answer:
        return self.services.ask.ask(AskRequest(question, list(history), filters or Filters(), k))
