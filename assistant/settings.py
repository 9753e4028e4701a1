"""The one settings object. Every knob lives here; env vars override (prefix COUNCILCHAT_).

Profiles bundle defaults for a situation (`COUNCILCHAT_PROFILE=test` gives small, fast settings);
explicit env vars and constructor arguments still win over a profile.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

AnswerMode = Literal["extractive", "local", "server"]

# Defaults that differ per profile; applied only to fields the user did not set.
PROFILES: dict[str, dict[str, Any]] = {
    "default": {},
    "test": {"llm_max_tokens": 160},
    "server": {"app_concurrency": 8},
}

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def force_offline() -> None:
    """Nothing may download models, send analytics or phone home. Called before heavy imports."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["ANONYMIZED_TELEMETRY"] = "False"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # PyTorch's OpenMP threads spin while waiting; on a busy 2-core machine that made one query
    # embedding take ~240 ms instead of ~17 ms (docs/benchmarks.md). Must be set before torch loads.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COUNCILCHAT_", extra="ignore", validate_default=True)

    profile: str = "default"
    home: Path = Field(default=Path(".councilchat"), description="Where the index lives.")
    demo_corpus: Path = PROJECT_ROOT / "data" / "council-papers"

    # Embedding: a folder with a sentence-transformers model; empty = the packaged all-MiniLM-L6-v2.
    embedding_model_path: str = ""
    # Small batches pad less (chunks differ in length): 16 measured ~30% faster than 64 on 2 cores.
    embed_batch_size: int = 16
    chunk_max_tokens: int = 230
    max_file_mb: float = 100.0
    max_pages: int = 5000
    ocr_enabled: bool = True

    # Chroma: local persistent by default; a host switches to client/server mode.
    chroma_host: str = Field(default="", validation_alias=AliasChoices("chroma_host", "COUNCILCHAT_CHROMA_HOST",
                                                                       "CHROMA_HOST"))
    chroma_port: int = Field(default=8000, validation_alias=AliasChoices("chroma_port", "COUNCILCHAT_CHROMA_PORT",
                                                                         "CHROMA_PORT"))
    chroma_collection: str = "council_chunks"

    # Retrieval.
    top_k: int = 5
    candidates: int = 30
    rrf_k: int = 60
    neighbour_expansion: bool = True
    reranker_model_path: str = ""
    # Refusal: below these the papers are taken not to answer the question.
    refusal_min_similarity: float = 0.3
    refusal_min_coverage: float = 0.35

    # Answering.
    answer_mode: AnswerMode = "extractive"
    llm_passages: int = 3
    llm_max_tokens: int = 400
    llm_temperature: float = 0.0
    llm_context_tokens: int = 4096
    llm_threads: int = 2  # threads generating tokens (see docs/benchmarks.md: measured on 2 cores)
    llm_batch_threads: int = 0  # threads reading the prompt; 0 = llm_threads
    local_model_path: str = ""  # a GGUF file; empty = the packaged Qwen2.5-Coder-1.5B (extra "local")
    openai_base_url: str = "http://127.0.0.1:8080/v1"
    openai_model: str = "local-model"
    openai_api_key: SecretStr = SecretStr("not-needed")
    prompts_dir: Path = PROJECT_ROOT / "prompts"

    # Web app. Gradio's own variables are honoured too (COUNCILCHAT_* wins when both are set).
    host: str = Field(default="127.0.0.1", validation_alias=AliasChoices("host", "COUNCILCHAT_HOST",
                                                                      "GRADIO_SERVER_NAME"))
    port: int = Field(default=7860, validation_alias=AliasChoices("port", "COUNCILCHAT_PORT", "GRADIO_SERVER_PORT"))
    admin_password: SecretStr = SecretStr("")
    app_concurrency: int = 4

    @model_validator(mode="before")
    @classmethod
    def _apply_profile(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        profile = data.get("profile") or os.environ.get("COUNCILCHAT_PROFILE", "default")
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose from {sorted(PROFILES)}")
        for key, value in PROFILES[profile].items():
            env_name = f"COUNCILCHAT_{key.upper()}"
            if key not in data and env_name not in os.environ:
                data[key] = value
        return data

    @property
    def home_dir(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def chroma_dir(self) -> Path:
        return self.home_dir / "chroma"

    @property
    def sqlite_path(self) -> Path:
        return self.home_dir / "index.sqlite3"

    @property
    def uploads_dir(self) -> Path:
        return self.home_dir / "uploads"

    @property
    def feedback_path(self) -> Path:
        return self.home_dir / "feedback.jsonl"

    @property
    def lock_path(self) -> Path:
        return self.home_dir / "ingest.lock"
