"""An exclusive lock on an index home, so two writers never interleave (ingest, remove, repair)."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class IndexBusyError(RuntimeError):
    pass


@contextmanager
def index_write_lock(path: Path, wait_seconds: float = 600.0, on_wait: object = None) -> Iterator[None]:
    """Hold an flock on `path`; waits (queues) up to `wait_seconds` for another writer to finish.

    The kernel drops an flock when its process dies, so a killed ingest never leaves a stale lock.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        deadline = time.monotonic() + wait_seconds
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusyError(f"another process is writing to the index ({path.parent})") from None
                if not told and callable(on_wait):
                    on_wait()
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
