"""Why does our ingest embed slower than the tutorial pipeline? Compare what each one feeds the model.

`python -m bench.embedcheck OUR_HOME BASELINE_HOME [--sample 400]` (homes kept by `python -m bench --work DIR`):
token counts of every chunk as embedded (ours: section heading + text; baseline: the 1000-char split),
the padded tokens the model actually computes (sentence-transformers sorts a call's texts by length and
pads each batch to its longest text, capped at 256 word pieces), and a timed sample of each, alternating.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.settings import force_offline


def padded_tokens(lengths: Sequence[int], batch: int, cap: int = 256) -> int:
    """Tokens computed by one `encode` call: sorted by length, each batch padded to its longest."""
    ordered = sorted((min(n, cap) for n in lengths), reverse=True)
    return sum(len(ordered[i:i + batch]) * ordered[i] for i in range(0, len(ordered), batch))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    force_offline()
    parser = argparse.ArgumentParser(prog="python -m bench.embedcheck")
    parser.add_argument("our_home", type=Path)
    parser.add_argument("baseline_home", type=Path)
    parser.add_argument("--sample", type=int, default=400)
    args = parser.parse_args(argv)

    import chromadb

    from assistant.services import Services
    from assistant.settings import Settings
    from vectorstore.index import embedding_text

    services = Services(Settings(home=args.our_home))
    chunks = list(services.sqlite.get_chunks(services.sqlite.chunk_ids()).values())
    ours = [embedding_text(c) for c in chunks]
    by_doc: dict[str, list[str]] = {}
    for chunk, text in zip(chunks, ours, strict=True):
        by_doc.setdefault(chunk.doc_id, []).append(text)
    client = chromadb.PersistentClient(path=str(args.baseline_home / "chroma"))
    base = [d for d in client.get_collection("baseline").get(include=["documents"])["documents"] or [] if d]

    model = services.embedder.model
    tok = model.tokenizer

    def lengths(texts: list[str]) -> list[int]:
        return [len(ids) for ids in tok(texts, add_special_tokens=True, truncation=False)["input_ids"]]

    ours_len, base_len, plain_len = lengths(ours), lengths(base), lengths([c.text for c in chunks])
    batch = services.embedder.batch_size
    result: dict[str, Any] = {
        "ours": {"chunks": len(ours), "tokens": sum(ours_len), "tokens_without_section": sum(plain_len),
                 "tokens_capped": sum(min(n, 256) for n in ours_len),
                 "over_256": sum(n > 256 for n in ours_len),
                 "padded_per_document_calls": sum(padded_tokens(lengths(v), batch) for v in by_doc.values()),
                 "padded_one_call": padded_tokens(ours_len, batch)},
        "baseline": {"chunks": len(base), "tokens": sum(base_len), "tokens_capped": sum(min(n, 256) for n in base_len),
                     "over_256": sum(n > 256 for n in base_len), "padded_one_call": padded_tokens(base_len, 32)},
    }
    rng = random.Random(3)
    samples = {"ours": rng.sample(ours, min(args.sample, len(ours))),
               "baseline": rng.sample(base, min(args.sample, len(base)))}
    model.encode(["warm up"] * 8)
    timing: dict[str, list[float]] = {"ours": [], "baseline": []}
    for _ in range(2):  # alternate, so both see the same load on a shared machine
        for name, texts in samples.items():
            c0 = time.process_time()
            model.encode(texts, batch_size=batch if name == "ours" else 32, normalize_embeddings=name == "ours",
                         show_progress_bar=False)
            timing[name].append(time.process_time() - c0)
    for name, texts in samples.items():
        capped = sum(min(n, 256) for n in lengths(texts))
        cpu = min(timing[name])
        result[name]["sample"] = {"texts": len(texts), "capped_tokens": capped, "cpu_s": round(cpu, 2),
                                  "cpu_ms_per_1k_tokens": round(1000 * cpu / capped * 1000, 1) if capped else 0.0}
    services.close()
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
