"""Answerers, chosen by `settings.answer_mode`: extractive (default), local (GGUF), server (OpenAI-compatible)."""

from __future__ import annotations

from assistant.answering.base import Answerer, AnswerEvent, Draft, TextDelta
from assistant.settings import Settings
from vectorstore.embeddings import Embedder

__all__ = ["AnswerEvent", "Answerer", "Draft", "TextDelta", "build_answerer"]


def build_answerer(settings: Settings, embedder: Embedder) -> Answerer:
    if settings.answer_mode == "extractive":
        from assistant.answering.extractive import ExtractiveAnswerer

        return ExtractiveAnswerer(embedder)
    from assistant.answering.llm import LLMAnswerer, LocalChatModel, ServerChatModel
    from assistant.prompts import PromptLibrary

    prompts = PromptLibrary(settings.prompts_dir)
    if settings.answer_mode == "local":
        return LLMAnswerer(LocalChatModel.from_settings(settings), prompts, settings.llm_passages, "local")
    return LLMAnswerer(ServerChatModel.from_settings(settings), prompts, settings.llm_passages, "server")
