"""The layers import only downwards: common <- vectorstore <- ingest <- assistant <- ui (and cli, eval, bench,
app.py on top). Read from the source with `ast`, so an import inside a function or under TYPE_CHECKING
counts as much as one at the top of a module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = frozenset({d.name for d in ROOT.iterdir() if (d / "__init__.py").is_file()} | {"app"})

# For each layer: the project packages it must not import (its own package is always allowed).
FORBIDDEN = {
    "common": PROJECT - {"common"},
    "vectorstore": {"ingest", "assistant", "ui", "eval", "cli", "bench", "app", "tests"},
    "ingest": {"assistant", "ui", "eval", "cli", "bench", "app", "tests"},
    "assistant": {"eval", "ui", "cli", "bench", "app", "tests"},
    "ui": PROJECT - {"ui", "assistant", "common"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in `source`, at any depth; relative ones resolved."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                found.append((node.lineno, ".".join(base + ([node.module] if node.module else []))))
            else:
                found.append((node.lineno, node.module or ""))
    return found


def violations(layer: str) -> list[str]:
    bad = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        module = module_name(path)
        for line, name in imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"):
            top = name.split(".")[0]
            if top in FORBIDDEN[layer]:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return bad


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downwards(layer: str) -> None:
    files = list((ROOT / layer).rglob("*.py"))
    assert files, f"no Python files under {layer}/"
    bad = violations(layer)
    assert not bad, f"{layer}/ must not import {sorted(FORBIDDEN[layer])}:\n" + "\n".join(bad)


def test_the_checker_sees_every_kind_of_import() -> None:
    """Nested, TYPE_CHECKING-only, relative and `import a.b` imports are all found."""
    source = """
import os
import ingest.pipeline as p
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from eval.harness import run_eval

def later():
    from ui.render import esc
    class Inner:
        def method(self):
            import cli.main
    return esc

from . import sibling
from .types import Answer
from ..common import text
"""
    names = {name for _, name in imports(source, "assistant.services")}
    assert names >= {"os", "ingest.pipeline", "eval.harness", "ui.render", "cli.main", "assistant",
                     "assistant.types", "common"}, names
    assert {name for _, name in imports("from . import x", "assistant", is_package=True)} == {"assistant"}


def test_the_project_packages_are_all_known() -> None:
    assert {"common", "vectorstore", "ingest", "assistant", "ui", "eval", "cli", "bench"} <= PROJECT
