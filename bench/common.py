"""Shared helpers: running a stage in a subprocess, percentiles, sizes, ports, questions, machine info."""

from __future__ import annotations

import json
import math
import os
import platform
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
DEMO_CORPUS = PROJECT / "data" / "council-papers"
KENT_CORPUS = PROJECT.parent / "shared" / "external" / "pdfs" / "kent-cc"
QUESTIONS = PROJECT / "eval" / "questions.jsonl"
RESULT_MARK = "BENCH-RESULT "
TORCH_THREADS: list[int] = []  # set by `--torch-threads`: PyTorch threads in the stage processes

# A few questions about the Kent papers (the eval set is about the demo corpus), for latency only.
KENT_QUESTIONS = [
    "What is the pay policy statement for 2025-26 about?",
    "What are the main risks in the corporate risk register?",
    "What does the treasury management strategy say about borrowing?",
    "What was the forecast revenue overspend in the quarter 3 finance monitoring?",
    "What does the section 25 statement say about the robustness of the estimates?",
    "What did the planning inspector conclude about the Kent Minerals and Waste Local Plan?",
    "Why was the family hubs decision called in for scrutiny?",
    "What does the devolution white paper mean for Kent?",
    "What budget amendments were proposed at the February 2025 council meeting?",
    "What is the education commissioning plan?",
]


class StageFailed(RuntimeError):
    pass


def max_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def emit(result: dict[str, Any]) -> None:
    """A stage's last stdout line: its result, with its peak memory."""
    result["max_rss_mb"] = round(max_rss_mb(), 1)
    print(RESULT_MARK + json.dumps(result), flush=True)


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                "GRADIO_ANALYTICS_ENABLED": "False", "TOKENIZERS_PARALLELISM": "false"})
    env.pop("COUNCILCHAT_HOME", None)
    env.pop("CHROMA_HOST", None)  # benchmarks always use a local, temporary Chroma store
    env.pop("COUNCILCHAT_CHROMA_HOST", None)
    if TORCH_THREADS:
        env["BENCH_TORCH_THREADS"] = str(TORCH_THREADS[0])
    env["PYTHONPATH"] = str(PROJECT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_stage(name: str, args: dict[str, Any], timeout: float = 7200.0) -> dict[str, Any]:
    """Run `python -m bench.stage NAME ARGS` and return its result dict (wall time included)."""
    started = time.perf_counter()
    load_before = load_average()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.stage", name, json.dumps(args)], cwd=PROJECT, env=bench_env(),
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout)[-3000:]
        raise StageFailed(f"stage {name} failed (exit {proc.returncode}):\n{tail}")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_MARK):])
    result["stage_wall_s"] = round(time.perf_counter() - started, 2)
    result["load_before"] = load_before
    result["load_after"] = load_average()
    return result


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): the p95 of 20 samples is the 19th smallest."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100.0 * len(ordered)))
    return float(ordered[rank - 1])


def latency_summary(ms: Sequence[float], cpu_ms: Sequence[float] = ()) -> dict[str, float]:
    """Wall-clock percentiles, and CPU time of this process (all its threads) for the same calls:
    on a shared machine CPU time shows the work done, wall time also the wait for a core."""
    out = {"n": len(ms), "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
           "max_ms": round(max(ms, default=0.0), 1), "mean_ms": round(sum(ms) / len(ms), 1) if ms else 0.0}
    if cpu_ms:
        out["cpu_p50_ms"] = round(percentile(cpu_ms, 50), 1)
        out["cpu_p95_ms"] = round(percentile(cpu_ms, 95), 1)
    return out


def dir_size_mb(path: Path) -> float:
    total = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    return round(total / 2**20, 2)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def eval_questions(limit: int = 20) -> list[dict[str, Any]]:
    """Real questions from eval/questions.jsonl: answerable, single-turn, spread over the sources."""
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if not r.get("history")]
    answerable = [r for r in rows if r.get("answerable")]
    others = [r for r in rows if not r.get("answerable")]
    # Every fourth answerable question plus one unanswerable in five: a spread of documents and refusals.
    n_others = limit // 5
    return answerable[::4][: limit - n_others] + others[:n_others]


def machine_info() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": mem_gb, "python": platform.python_version(),
            "platform": platform.platform(), "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
