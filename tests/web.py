"""Shared helpers for tests that talk to the real app: a uvicorn server on loopback, headless Chromium."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling out on a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def launch_chromium(playwright: Any) -> Any:
    """Debian's chromium through playwright (never a browser playwright downloads)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@contextmanager
def app_page(live: LiveServer, **options: Any) -> Iterator[Any]:
    """The app's page open in headless Chromium and ready for a question; `page.dialogs` collects the messages of
    any dialog (dismissed) and `page.requested` every URL the page asked for. `options` go to `new_page`. Skips
    when chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (make system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, **options)
            page.dialogs = []
            page.requested = []
            page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: page.requested.append(r.url))
            page.goto(live.url + "/")
            page.wait_for_selector("#cc-question textarea", timeout=60_000)
            yield page
        finally:
            browser.close()


class LiveServer:
    def __init__(self, app, port: int) -> None:  # type: ignore[no-untyped-def]
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
