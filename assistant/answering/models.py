"""Connections to language models: a local GGUF model in-process, or any OpenAI-compatible server.

A small base class, one implementation per backend, chosen by `settings.answer_mode`. A model that
cannot be used here (extra not installed, file missing or unreadable) raises `AnswererUnavailable`,
which the composition root turns into a fallback to extractive answers with a notice.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from assistant.settings import Settings

Messages = list[dict[str, str]]


class AnswererUnavailable(RuntimeError):
    """The configured answer mode cannot run here; the message says why (and what to install)."""


class ChatModel:
    name: str = "chat-model"

    def stream(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        raise NotImplementedError

    def complete(self, messages: Messages, max_tokens: int) -> str:
        return "".join(self.stream(messages, max_tokens))


class LocalChatModel(ChatModel):
    """llama.cpp in-process. The model's own rope settings are kept (llama_cpp's 0 means "from the file").

    One llama.cpp context answers one request at a time: the lock lives here, so every caller (web,
    CLI, eval, bench) gets it.
    """

    def __init__(self, model_path: str, n_ctx: int = 4096, n_threads: int = 2, temperature: float = 0.0,
                 n_threads_batch: int = 0) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as err:
            raise AnswererUnavailable("local answers need the 'local' extra: pip install -e '.[local]'") from err
        self.name = model_path.rsplit("/", 1)[-1]
        self.temperature = temperature
        self._lock = threading.Lock()
        try:
            self.llm = Llama(model_path=model_path, n_ctx=n_ctx, n_threads=n_threads,
                             n_threads_batch=n_threads_batch or n_threads, verbose=False,
                             rope_freq_base=0.0, rope_freq_scale=0.0, seed=0)
        except (ValueError, OSError) as err:  # llama.cpp says "Failed to load model from file …"
            raise AnswererUnavailable(f"the local model could not be loaded ({err})") from err

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalChatModel:
        from assistant.answering.local_model import ModelNotInstalled, ensure_model

        try:
            path = settings.local_model_path or str(ensure_model())
        except ModelNotInstalled as err:
            raise AnswererUnavailable(str(err)) from err
        return cls(path, settings.llm_context_tokens, settings.llm_threads, settings.llm_temperature,
                   settings.llm_batch_threads)

    def stream(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        with self._lock:
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


def build_chat_model(settings: Settings) -> ChatModel:
    if settings.answer_mode == "local":
        return LocalChatModel.from_settings(settings)
    return ServerChatModel.from_settings(settings)
