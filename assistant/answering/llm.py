"""LLM answerers: a local GGUF model in-process (llama-cpp-python) or any OpenAI-compatible server.

The model sees 3-4 numbered passages and must cite them as [n]. Its output is then checked sentence
by sentence: a sentence without a marker, or whose figures are not in the passage it cites, is
reported as unsupported rather than shown as sourced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from assistant.answering.base import Answerer, AnswerEvent, Draft, TextDelta
from assistant.citations import make_citation, split_sentences
from assistant.evidence import Evidence, quantities
from assistant.prompts import PromptLibrary
from assistant.retrieval import figures_in, stem
from assistant.settings import Settings
from assistant.types import Citation, Passage, Retrieval
from vectorstore.sqlite_index import query_terms

Messages = list[dict[str, str]]
_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_MARKER_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)")
_CANNOT = re.compile(r"papers provided do not say|do not (say|contain|mention)|no information", re.IGNORECASE)


class ChatModel:
    name: str = "chat-model"

    def stream(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        raise NotImplementedError

    def complete(self, messages: Messages, max_tokens: int) -> str:
        return "".join(self.stream(messages, max_tokens))


class LocalChatModel(ChatModel):
    """llama.cpp in-process. The model's own rope settings are kept (llama_cpp's 0 means "from the file")."""

    def __init__(self, model_path: str, n_ctx: int = 4096, n_threads: int = 2, temperature: float = 0.0) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as err:
            raise RuntimeError("local answers need the 'local' extra: pip install -e '.[local]'") from err
        self.name = model_path.rsplit("/", 1)[-1]
        self.temperature = temperature
        self.llm = Llama(model_path=model_path, n_ctx=n_ctx, n_threads=n_threads, verbose=False,
                         rope_freq_base=0.0, rope_freq_scale=0.0, seed=0)

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalChatModel:
        from assistant.answering.local_model import ensure_model

        path = settings.local_model_path or str(ensure_model())
        return cls(path, settings.llm_context_tokens, settings.llm_threads, settings.llm_temperature)

    def stream(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        for part in self.llm.create_chat_completion(messages=messages, stream=True, temperature=self.temperature,
                                                    max_tokens=max_tokens):
            delta = part["choices"][0].get("delta", {}).get("content")  # type: ignore[index,union-attr]
            if delta:
                yield delta


class ServerChatModel(ChatModel):
    """Any OpenAI-compatible server (vLLM, Ollama, llama.cpp server, Azure OpenAI) through LangChain."""

    def __init__(self, base_url: str, model: str, api_key: str, temperature: float = 0.0, timeout: float = 120) -> None:
        from langchain_openai import ChatOpenAI

        self.name = model
        self.chat = ChatOpenAI(base_url=base_url, model=model, api_key=api_key, temperature=temperature,
                               timeout=timeout, max_retries=1)

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerChatModel:
        return cls(settings.openai_base_url, settings.openai_model, settings.openai_api_key.get_secret_value(),
                   settings.llm_temperature)

    def stream(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        for chunk in self.chat.stream(_to_langchain(messages), max_tokens=max_tokens):
            if isinstance(chunk.content, str) and chunk.content:
                yield chunk.content


def _to_langchain(messages: Messages) -> list[Any]:
    from langchain_core.messages import HumanMessage, SystemMessage

    return [SystemMessage(m["content"]) if m["role"] == "system" else HumanMessage(m["content"]) for m in messages]


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

    def stream(self, question: str, retrieval: Retrieval, evidence: list[Evidence]) -> Iterator[AnswerEvent]:
        passages = self.choose_passages(retrieval, evidence)
        pieces: list[str] = []
        for delta in self.model.stream(self.messages(question, passages), self.max_tokens):
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
                if not _supports(claim, passage.chunk.text):
                    continue
                supported = True
                if n not in citations:
                    q_start, q_end = _best_sentence(claim, passage.chunk.text)
                    citations[n] = make_citation(n, passage, q_start, q_end)
            if not supported:
                unsupported.append(claim)
        refused = not citations and bool(_CANNOT.search(text))
        return Draft(text, sorted(citations.values(), key=lambda c: c.n), unsupported, refused=refused)

    def rewrite_followup(self, question: str, history: list[str]) -> str | None:
        prompt = self.prompts.render("rewrite_followup", history="\n".join(f"- {h}" for h in history[-3:]),
                                     question=question)
        text = self.model.complete([{"role": "user", "content": prompt}], 80).strip().splitlines()
        rewritten = text[0].strip().strip('"') if text else ""
        return rewritten if len(rewritten.split()) >= 3 else None


def _supports(claim: str, passage: str) -> bool:
    """The passage holds every figure of the claim and a fair share of its content words."""
    lower = passage.lower()
    if any(f not in lower for f in figures_in(claim)):
        return False
    terms = query_terms(claim)
    if terms and sum(1 for t in terms if stem(t) in lower) / len(terms) < 0.4:
        return False
    return all(_figure_in_context(figure, claim, passage) for figure in quantities(claim))


def _figure_in_context(figure: str, claim: str, passage: str, near: int = 6, far: int = 8) -> bool:
    """A figure must say the same thing in the passage as in the claim: the claim's words next to it
    must mostly stand next to it in the passage too. "90% of residents were satisfied with the council"
    fails against "a 90% satisfaction score with their area …, however satisfaction with the council
    at 59%", although both the figure and the words occur in that sentence."""
    claim_context = _context_terms(claim, figure, near)
    if not claim_context:
        return True
    windows = [_context_terms(passage, figure, far, occurrence=i) for i in range(passage.lower().count(figure))]
    return any(
        sum(1 for t in claim_context if any(t in w for w in window)) / len(claim_context) >= 0.6
        for window in windows
    )


def _context_terms(text: str, figure: str, width: int, occurrence: int = 0) -> set[str]:
    words = text.lower().split()
    positions = [i for i, w in enumerate(words) if figure in w]
    if len(positions) <= occurrence:
        return set()
    at = positions[occurrence]
    window = " ".join(words[max(0, at - width):at] + words[at + 1:at + 1 + width])
    return {stem(t) for t in query_terms(window) if not any(ch.isdigit() for ch in t)}


def _best_sentence(claim: str, passage: str) -> tuple[int, int]:
    terms = {stem(t) for t in query_terms(claim)} | set(figures_in(claim))
    best, best_score = (0, len(passage)), -1.0
    for start, end in split_sentences(passage):
        lower = passage[start:end].lower()
        score = sum(1 for t in terms if t in lower) / (1 + 0.01 * (end - start))
        if score > best_score:
            best, best_score = (start, end), score
    return best
