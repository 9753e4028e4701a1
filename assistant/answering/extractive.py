"""The default answerer: no LLM. It quotes the evidence sentences verbatim, each with its citation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.answering.base import Answerer, AnswerEvent, Draft, TextDelta
from assistant.citations import make_citation
from assistant.evidence import Evidence
from assistant.types import Retrieval


class ExtractiveAnswerer(Answerer):
    mode = "extractive"
    description = "Extractive: quotes the papers (no language model)"

    def stream(self, question: str, retrieval: Retrieval, evidence: list[Evidence]) -> Iterator[AnswerEvent]:
        if not evidence:
            draft = Draft("The passages found do not contain a sentence that answers this.", [], refused=True)
            yield TextDelta(draft.text)
            yield draft
            return
        citations = []
        lines = []
        for n, item in enumerate(evidence, start=1):
            citation = make_citation(n, item.passage, item.start, item.end)
            citations.append(citation)
            lines.append(f"“{citation.quote}” [{n}]")
        if len(lines) == 1:
            text = f"The papers say: {lines[0]}"
        else:
            text = "From the papers:\n\n" + "\n".join(f"- {line}" for line in lines)
        for piece in re.findall(r"\S+\s*", text):
            yield TextDelta(piece)
        yield Draft(text, citations)
