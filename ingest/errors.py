"""Errors raised while reading a document, each with a one-line human reason."""

from __future__ import annotations


class DocumentError(Exception):
    """The file cannot be turned into text; `reason` says why in one line for logs and the UI."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsupportedFormat(DocumentError):
    """The file is of a kind we do not read at all (e.g. .xlsx, an image)."""
