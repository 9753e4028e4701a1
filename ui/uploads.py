"""Adding documents from the browser: password check, safe file names, ingest under the index lock."""

from __future__ import annotations

import hashlib
import hmac
import re
import shutil
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.services import Services
from common.types import IndexBusyError

ALLOWED_SUFFIXES = (".pdf", ".docx")
MAX_NAME = 100


class UploadRejected(Exception):
    """The upload was refused as a whole (wrong password, nothing to add); the message is for the user."""


def safe_filename(name: str) -> str:
    """A basename made only of [A-Za-z0-9._-] that can never leave its folder.

    Directory parts are dropped ("../../etc/passwd" -> "passwd"), accents are folded to ASCII, other
    characters become "-", and a name with nothing left becomes "upload-<hash>" (unique per original name).
    """
    base = re.split(r"[\\/]", name or "")[-1]
    folded = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = folded.rpartition(".")
    if not dot:
        stem, suffix = folded, ""
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())[:10]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    stem = re.sub(r"[-.]{2,}", "-", stem).strip("-._")[:MAX_NAME]
    if not stem:
        stem = "upload-" + hashlib.sha256((name or "").encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{stem}.{suffix}" if suffix else stem


def check_password(given: str | None, expected: str) -> bool:
    """Constant-time comparison; an unset admin password never matches anything."""
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def store_uploads(files: Sequence[str | Path], uploads_dir: Path) -> tuple[list[Path], list[str]]:
    """Copy uploaded temp files into `uploads_dir` under safe names; returns (stored, problems)."""
    root = uploads_dir.resolve()
    root.mkdir(parents=True, exist_ok=True)
    stored: list[Path] = []
    problems: list[str] = []
    for item in files:
        source = Path(item)
        name = safe_filename(source.name)
        try:
            if not name.lower().endswith(ALLOWED_SUFFIXES):
                problems.append(f"{name}: not added — only PDF and DOCX files are accepted")
                continue
            target = (root / name).resolve()
            if target.parent != root:  # belt and braces: safe_filename already guarantees this
                problems.append(f"{name}: not added — unsafe file name")
                continue
            shutil.copyfile(source, target)
        except (OSError, ValueError):  # unreadable, vanished, or a NUL byte in the path
            problems.append(f"{name}: not added — the file could not be read")
            continue
        stored.append(target)
    return stored, problems


def ingest_uploads(services: Services, password: str | None, files: Sequence[str | Path],
                   progress: Callable[[int, int, str], None] | None = None) -> list[str]:
    """Check the password, store the files and ingest them; returns one result line per file."""
    settings = services.settings
    if not check_password(password, settings.admin_password.get_secret_value()):
        time.sleep(1.0)  # slows guessing down
        raise UploadRejected("Wrong admin password: nothing was added.")
    if not files:
        raise UploadRejected("Choose one or more PDF or DOCX files first.")
    stored, lines = store_uploads(files, settings.uploads_dir)
    if not stored:
        return lines
    total = len(stored)
    done = 0

    def on_file(outcome) -> None:  # type: ignore[no-untyped-def]
        nonlocal done
        done += 1
        if progress:
            progress(done, total, outcome.describe())

    if progress:
        progress(0, total, "waiting for the index…")
    try:
        summary = services.ingestor.ingest(stored, prune=False, progress=on_file, wait_seconds=120)
    except IndexBusyError:
        raise UploadRejected("Another ingest is running; try again in a few minutes.") from None
    root = str(settings.uploads_dir.resolve())
    lines.extend(o.describe().replace(root, "uploads") for o in summary.outcomes)
    return lines
