"""`python -m bench.stage NAME JSON`: run one measured stage in this (fresh) process and print its result."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

from assistant.settings import force_offline
from bench.common import emit


def _stages() -> dict[str, Callable[..., dict[str, Any]]]:
    from bench.baseline import stage_baseline
    from bench.corpus import stage_ingest, stage_query, stage_reingest
    from bench.synthetic import stage_pool, stage_remeasure, stage_synthetic

    return {"ingest": stage_ingest, "reingest": stage_reingest, "query": stage_query, "baseline": stage_baseline,
            "pool": stage_pool, "synthetic": stage_synthetic, "remeasure": stage_remeasure}


def main(argv: list[str]) -> None:
    force_offline()
    threads = os.environ.get("BENCH_TORCH_THREADS", "")
    if threads:
        # What-if knob (`--torch-threads`): the app itself leaves PyTorch at its default (one per core).
        import torch

        torch.set_num_threads(int(threads))
    name, args = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    emit(_stages()[name](**args))


if __name__ == "__main__":
    main(sys.argv[1:])
