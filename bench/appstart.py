"""App start-up: run `app.py` against a built index on a free loopback port, time readiness, stop it by pid."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import PROJECT, bench_env, free_port


def _get(url: str, timeout: float = 5.0) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return int(response.status)


def _post(url: str, body: dict[str, Any], timeout: float = 120.0) -> dict[str, Any]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        result: dict[str, Any] = json.loads(response.read())
        return result


def _peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024.0, 1)
    except OSError:
        pass
    return 0.0


def measure_app_start(home: Path, question: str, timeout: float = 300.0) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "app.py", "--home", str(home), "--host", "127.0.0.1", "--port",
                             str(port)], cwd=PROJECT, env=bench_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    result: dict[str, Any] = {"port": port}
    try:
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read() if proc.stderr else ""
                raise RuntimeError(f"app.py exited with {proc.returncode}: {err[-2000:]}")
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"app.py was not ready after {timeout:.0f}s")
            try:
                if _get(f"{base}/api/health", timeout=2.0) == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        result["ready_s"] = round(time.perf_counter() - started, 2)
        t0 = time.perf_counter()
        answer = _post(f"{base}/api/ask", {"question": question})
        result["first_ask_s"] = round(time.perf_counter() - t0, 2)
        result["first_ask_cited"] = bool(answer.get("citations"))
        result["ready_and_answered_s"] = round(time.perf_counter() - started, 2)
        t0 = time.perf_counter()
        _post(f"{base}/api/ask", {"question": question})
        result["second_ask_s"] = round(time.perf_counter() - t0, 2)
        result["max_rss_mb"] = _peak_rss_mb(proc.pid)
    finally:
        proc.terminate()  # this process only, by its handle (its pid)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    return result
