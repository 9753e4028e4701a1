"""Prompts live as files in prompts/; `$name` placeholders (string.Template) are filled in here."""

from __future__ import annotations

from pathlib import Path
from string import Template


class PromptLibrary:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load(self, name: str) -> Template:
        path = self.folder / f"{name}.md"
        if not path.is_file():
            raise FileNotFoundError(f"prompt file missing: {path}")
        return Template(path.read_text(encoding="utf-8"))

    def render(self, name: str, **values: str) -> str:
        # substitute (not safe_substitute): a missing value is a bug, not something to send to a model.
        return self.load(name).substitute(**values).strip()
