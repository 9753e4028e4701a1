"""`python -m bench [--corpus PATH ...] [--synthetic 1000,10000,100000] [--out FILE] [--quick]`."""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.appstart import measure_app_start
from bench.common import DEMO_CORPUS, KENT_CORPUS, PROJECT, TORCH_THREADS, load_average, machine_info, run_stage
from bench.report import corpus_lines, synthetic_lines


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--corpus", type=Path, action="append",
                        help="a folder of papers (repeatable; default: the demo corpus and, if present, Kent)")
    parser.add_argument("--synthetic", default="1000,10000,100000",
                        help="synthetic index sizes in chunks, comma-separated ('' for none)")
    parser.add_argument("--questions", type=int, default=20, help="questions per latency measurement")
    parser.add_argument("--out", type=Path, help="write the results here as JSON (default bench/results/RUN.json)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke mode: no baseline, no app start-up, 5 questions, synthetic 1k only")
    parser.add_argument("--no-baseline", action="store_true", help="skip the LangChain tutorial pipeline")
    parser.add_argument("--no-app", action="store_true", help="skip the app start-up measurement")
    parser.add_argument("--profile", action="store_true", help="cProfile the queries at the largest synthetic size")
    parser.add_argument("--torch-threads", type=int, default=0,
                        help="what-if: torch.set_num_threads(N) in every stage process (default: PyTorch's own)")
    parser.add_argument("--remeasure", type=Path, metavar="WORK",
                        help="only re-run the query latencies on the homes kept in WORK by an earlier --work run")
    parser.add_argument("--work", type=Path, help="keep the temporary homes in this folder (default: deleted)")
    args = parser.parse_args(argv)
    if args.quick:
        args.no_baseline = args.no_app = True
        args.questions = min(args.questions, 5)
        args.synthetic = "1000" if args.synthetic == parser.get_default("synthetic") else args.synthetic
        args.corpus = args.corpus or [DEMO_CORPUS]
    if not args.corpus:
        args.corpus = [DEMO_CORPUS] + ([KENT_CORPUS] if KENT_CORPUS.is_dir() else [])
    if not args.no_baseline and not args.remeasure and (missing := _missing_baseline_packages()):
        parser.error(f"the LangChain baseline needs {', '.join(missing)}: install the 'baseline' extra "
                     "(pip install -e '.[baseline]', or `make bench`), or pass --no-baseline")
    return args


def _missing_baseline_packages() -> list[str]:
    modules = ("langchain_chroma", "langchain_huggingface", "langchain_text_splitters")
    return [m.replace("_", "-") for m in modules if importlib.util.find_spec(m) is None]


def run_corpus(corpus: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    home = work / f"{corpus.name}-home"
    say = _say
    say(f"[{corpus.name}] ingest into a fresh home …")
    run: dict[str, Any] = {"corpus": str(corpus)}
    run["ingest"] = run_stage("ingest", {"home": str(home), "corpus": str(corpus)})
    say(f"[{corpus.name}] unchanged re-ingest …")
    run["reingest"] = run_stage("reingest", {"home": str(home), "corpus": str(corpus)})
    say(f"[{corpus.name}] query latency …")
    kent = "kent" in corpus.name.lower()
    run["query"] = run_stage("query", {"home": str(home), "limit": args.questions, "kent": kent})
    if not args.no_baseline:
        say(f"[{corpus.name}] LangChain tutorial baseline …")
        run["baseline"] = run_stage("baseline", {"home": str(work / f"{corpus.name}-baseline"), "corpus": str(corpus)})
    if not args.no_app:
        say(f"[{corpus.name}] app start-up …")
        question = "What was Derby City Council's net revenue budget for 2017/18?"
        if kent:
            question = "What does the treasury management strategy say about borrowing?"
        run["app"] = measure_app_start(home, question)
        run["app"]["load_after"] = load_average()
    run["home"] = str(home)
    return run


def _say(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {text}", flush=True)


def remeasure(args: argparse.Namespace) -> dict[str, Any]:
    """Query latencies again on kept homes (e.g. with `--torch-threads 1`); nothing is rebuilt."""
    work: Path = args.remeasure
    results: dict[str, Any] = {"machine": machine_info(), "load_start": load_average(),
                               "torch_threads": args.torch_threads or "default", "corpora": {}, "synthetic": []}
    for home in sorted(work.glob("*-home")):
        name = home.name.removesuffix("-home")
        _say(f"[{name}] query latency …")
        results["corpora"][name] = run_stage("query", {"home": str(home), "limit": args.questions,
                                                       "kent": "kent" in name.lower()})
    homes = sorted(work.glob("synthetic-*"), key=lambda p: int(p.name.split("-")[1]))
    for home in homes:
        _say(f"[{home.name}] query latency …")
        results["synthetic"].append(run_stage("remeasure", {"home": str(home), "queries": args.questions}))
    results["load_end"] = load_average()
    for name, query in results["corpora"].items():
        print(f"{name}: retrieval {query['retrieval']}; answer {query['answer']}")
    for run in results["synthetic"]:
        print(f"{run['size']:,} chunks: retrieval {run['retrieval']}; answer {run['answer']}")
    out = args.out or PROJECT / "bench" / "results" / f"remeasure-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"results in {out}", flush=True)
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    sizes = [int(s) for s in args.synthetic.split(",") if s.strip()]
    if args.torch_threads:
        TORCH_THREADS[:] = [args.torch_threads]
    if args.remeasure:
        return remeasure(args)
    results: dict[str, Any] = {"machine": machine_info(), "load_start": load_average(), "argv": argv,
                               "torch_threads": args.torch_threads or "default",
                               "corpora": {}, "synthetic": []}
    started = time.perf_counter()
    work_ctx = tempfile.TemporaryDirectory(prefix="councilchat-bench-") if args.work is None else None
    work = Path(work_ctx.name) if work_ctx else args.work
    work.mkdir(parents=True, exist_ok=True)
    try:
        for corpus in args.corpus:
            run = run_corpus(corpus.resolve(), work, args)
            results["corpora"][corpus.name] = run
            print("\n".join(corpus_lines(corpus.name, run)), flush=True)
        if sizes:
            pool = work / "pool.npz"
            homes = [run["home"] for run in results["corpora"].values()]
            _say("synthetic: collecting a pool of real chunk texts and vectors …")
            results["pool"] = run_stage("pool", {"homes": homes, "out": str(pool)})
            for size in sizes:
                _say(f"synthetic: building and querying {size:,} chunks …")
                home = work / f"synthetic-{size}"
                profile = args.profile and size == max(sizes)
                result = run_stage("synthetic", {"pool": str(pool), "home": str(home), "size": size,
                                                 "queries": args.questions, "profile": profile})
                results["synthetic"].append(result)
                if work_ctx:
                    shutil.rmtree(home, ignore_errors=True)  # large; nothing reads it again
            print("\n".join(synthetic_lines(results["synthetic"])), flush=True)
            for line in (results["synthetic"][-1].get("profile") or []):
                print(line)
    finally:
        if work_ctx:
            work_ctx.cleanup()
    results["load_end"] = load_average()
    results["total_s"] = round(time.perf_counter() - started, 1)
    out = args.out or PROJECT / "bench" / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nload average start {results['load_start']} end {results['load_end']}; total {results['total_s']} s; "
          f"results in {out}", flush=True)
    return results


if __name__ == "__main__":
    main()
