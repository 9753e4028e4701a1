"""The LLM answerer: numbered passages in, the model's answer out, then checked sentence by sentence.

The model (assistant.answering.models) sees 3-4 numbered passages and must cite them as [n]. A
sentence without a marker, or that the passage it cites does not support (assistant.citations), is
reported as unsupported rather than shown as sourced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.answering.base import Answerer, AnswerEvent, Draft, TextDelta
from assistant.answering.models import ChatModel, Messages
from assistant.citations import best_sentence, make_citation, supports
from assistant.prompts import PromptLibrary
from assistant.types import Citation, Context, Evidence, Passage, Retrieval
from common.text import split_sentences

_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_MARKER_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)")
_CANNOT = re.compile(r"papers provided do not say|do not (say|contain|mention)|no information", re.IGNORECASE)


class LLMAnswerer(Answerer):
    def __init__(self, model: ChatModel, prompts: PromptLibrary, passages: int = 3, mode: str = "local",
                 max_tokens: int = 400) -> None:
        self.model = model
        self.prompts = prompts
        self.passages = passages
        self.mode = mode
        self.max_tokens = max_tokens
        self.description = f"{'Local model' if mode == 'local' else 'Model server'} ({model.name})"

    def messages(self, question: str, passages: list[Passage]) -> Messages:
        blocks = []
        for n, p in enumerate(passages, start=1):
            # The council's name goes in the label: passages say "the council" or "DCC", and a small
            # model will not link that to a question about "Derbyshire County Council" on its own.
            council = f"{p.doc.council}: " if p.doc.council else ""
            where = f"{council}{p.doc.short_title or p.doc.title}, page {p.chunk.page_start}"
            blocks.append(f"[{n}] ({where})\n{p.chunk.text}")
        return [
            {"role": "system", "content": self.prompts.render("answer_system")},
            {"role": "user", "content": self.prompts.render("answer_user", passages="\n\n".join(blocks),
                                                            question=question)},
        ]

    def stream(self, context: Context) -> Iterator[AnswerEvent]:
        passages = self.choose_passages(context.retrieval, context.evidence)
        pieces: list[str] = []
        for delta in self.model.stream(self.messages(context.analysis.text, passages), self.max_tokens):
            pieces.append(delta)
            yield TextDelta(delta)
        yield self.check(("".join(pieces)).strip(), passages)

    def choose_passages(self, retrieval: Retrieval, evidence: list[Evidence]) -> list[Passage]:
        """The passages holding the selected evidence first, then the best of the rest (3-4 in all:
        small models start inventing with more)."""
        chosen: list[Passage] = []
        for item in evidence:
            if item.passage not in chosen:
                chosen.append(item.passage)
        for passage in retrieval.passages:
            if passage not in chosen:
                chosen.append(passage)
        return chosen[: self.passages]

    def check(self, text: str, passages: list[Passage]) -> Draft:
        """Tie each [n] to a verbatim quote from passage n; collect sentences no passage supports."""
        citations: dict[int, Citation] = {}
        unsupported: list[str] = []
        # Models put markers after the full stop ("…2018. [1] It…"); move them before it so each marker
        # stays with its own sentence when splitting.
        text = _MARKER_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
        for start, end in split_sentences(text):
            sentence = text[start:end]
            claim = _MARKER.sub("", sentence).strip()
            if len(claim.split()) < 3 or _CANNOT.search(claim):
                continue
            numbers = [int(n) for group in _MARKER.findall(sentence) for n in re.split(r"\s*,\s*", group)]
            valid = [n for n in numbers if 1 <= n <= len(passages)]
            supported = False
            for n in valid:
                passage = passages[n - 1]
                if not supports(claim, passage.chunk.text):
                    continue
                supported = True
                if n not in citations:
                    q_start, q_end = best_sentence(claim, passage.chunk.text)
                    citations[n] = make_citation(n, passage, q_start, q_end)
            if not supported:
                unsupported.append(claim)
        refused = not citations and bool(_CANNOT.search(text))
        return Draft(text, sorted(citations.values(), key=lambda c: c.n), unsupported, refused=refused)
