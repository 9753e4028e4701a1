"""Answerers, chosen by `settings.answer_mode`: extractive (default), local (GGUF), server (OpenAI-compatible)."""

from __future__ import annotations

from assistant.answering.base import Answerer, AnswerEvent, Draft, TextDelta
from assistant.answering.models import AnswererUnavailable
from assistant.settings import Settings
from vectorstore.embeddings import Embedder

__all__ = ["AnswerEvent", "Answerer", "AnswererUnavailable", "Draft", "TextDelta", "build_answerer"]


def build_answerer(settings: Settings, embedder: Embedder | None = None) -> Answerer:
    """`embedder`: the index's sentence model, which an LLM answerer's attribution shares (else it loads its own)."""
    if settings.answer_mode == "extractive":
        from assistant.answering.extractive import ExtractiveAnswerer

        return ExtractiveAnswerer()
    from assistant.answering.llm import LLMAnswerer
    from assistant.answering.models import build_chat_model
    from assistant.prompts import PromptLibrary

    prompts = PromptLibrary(settings.prompts_dir)
    model = build_chat_model(settings)
    return LLMAnswerer(model, prompts, settings.llm_passages, settings.answer_mode, settings.llm_max_tokens,
                        embedder=embedder)
