"""An exclusive lock on an index home, so two writers never interleave (ingest, remove, repair).

The index takes it around every write (`CouncilIndex.writing`), so callers cannot forget it. It is
re-entrant within a process: an ingest holding it can remove a renamed file's old entry without
locking itself out.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from common.types import IndexBusyError


class IndexWriteLock:
    """An flock on `path`, held by one thread of one process at a time; nested holds by that thread are free.

    The kernel drops an flock when its process dies, so a killed ingest never leaves a stale lock.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._handle: IO[str] | None = None

    @contextmanager
    def hold(self, wait_seconds: float = 600.0, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        deadline = time.monotonic() + wait_seconds
        if not self._thread_lock.acquire(timeout=max(wait_seconds, 0.001)):
            raise IndexBusyError(f"another writer in this process is using the index ({self.path.parent})")
        try:
            if self._depth == 0:
                self._handle = self._acquire_file(deadline, on_wait)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._handle is not None:
                    fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
                    self._handle.close()
                    self._handle = None
        finally:
            self._thread_lock.release()

    def _acquire_file(self, deadline: float, on_wait: Callable[[], None] | None) -> IO[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 - closed when the outermost hold ends
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.close()
                    raise IndexBusyError(f"another process is writing to the index ({self.path.parent})") from None
                if not told and on_wait is not None:
                    on_wait()
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        return handle
