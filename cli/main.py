"""`councilchat`: the command line. Thin: parses options, calls services, prints results.

It sits above the core, beside the web app: it builds its Services like every front end
(`assistant.services.build_services`) and also drives the evaluation (`eval`) and the web server
(`serve`), which the core itself never imports.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from assistant.services import Services, build_services
from common.types import IndexBusyError, IndexVersionError
from ingest.pipeline import PIPELINE_VERSION

app = typer.Typer(help="Chat assistant over council papers: ingest, ask, evaluate.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
docs_app = typer.Typer(help="The document library.", no_args_is_help=True)
app.add_typer(docs_app, name="docs")

HomeOption = Annotated[Path | None, typer.Option("--home", help="Index folder (default: $COUNCILCHAT_HOME).")]


def _waiting() -> None:
    typer.echo("waiting for another writer to finish…", err=True)


def _busy(err: IndexBusyError) -> typer.Exit:
    typer.echo(f"{err}; try again when it has finished", err=True)
    return typer.Exit(3)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (recursive).")],
    prune: Annotated[bool, typer.Option(help="Remove documents whose file left an ingested folder.")] = True,
    home: HomeOption = None,
) -> None:
    """Add or update council papers in the index."""

    services = build_services(home)
    try:
        summary = _run_ingest(services, paths, prune)
    except IndexBusyError as err:
        raise _busy(err) from err
    for outcome in summary.outcomes:
        if outcome.status in ("failed", "duplicate", "removed", "skipped") or outcome.scanned_pages:
            typer.echo(outcome.describe())
    typer.echo(summary.line())
    if summary.count("failed") and not (summary.count("added") or summary.count("updated")
                                        or summary.count("unchanged")):
        raise typer.Exit(1)


def _run_ingest(services: Services, paths: list[Path], prune: bool):  # type: ignore[no-untyped-def]
    if not sys.stderr.isatty():
        return services.ingestor.ingest(paths, prune=prune, on_wait=_waiting)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True) as bar:
        task = bar.add_task("ingesting", total=None)
        return services.ingestor.ingest(
            paths, prune=prune,
            on_start=lambda n: bar.update(task, total=n),
            progress=lambda o: bar.update(task, advance=1, description=Path(o.path).name[:40]),
            on_wait=_waiting,
        )


@docs_app.command("list")
def docs_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    home: HomeOption = None,
) -> None:
    """List the documents in the index."""
    docs = build_services(home).sqlite.list_documents()
    if as_json:
        typer.echo(json.dumps([d.to_dict() for d in docs], indent=2))
        return
    if not docs:
        typer.echo("no documents; add some with `councilchat ingest PATH`")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("doc_id", "title", "council", "committee", "type", "date", "decision", "pages", "chunks")
    for d in docs:
        kind = f"{d.document_type} (to {d.part_of})" if d.part_of else d.document_type
        table.add_row(d.doc_id, d.title, d.council, d.committee, kind, d.date, d.decision_number, str(d.page_count),
                      str(d.chunk_count))
    Console(width=200).print(table)


@docs_app.command("remove")
def docs_remove(doc_id: str, home: HomeOption = None) -> None:
    """Remove one document from the index."""

    services = build_services(home)
    try:
        with services.index.writing(on_wait=_waiting):
            removed = services.index.remove_document(doc_id)
    except IndexBusyError as err:
        raise _busy(err) from err
    if not removed:
        typer.echo(f"no document {doc_id!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"removed {doc_id}")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    council: Annotated[list[str] | None, typer.Option("--council", help="Only this council (repeatable).")] = None,
    doc_type: Annotated[list[str] | None, typer.Option("--type", help="Only this document type.")] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this doc_id (repeatable).")] = None,
    date_from: Annotated[str, typer.Option("--from", help="Papers dated on/after (e.g. 2018 or 2018-06).")] = "",
    date_to: Annotated[str, typer.Option("--to", help="Papers dated on/before.")] = "",
    history: Annotated[list[str] | None, typer.Option("--history", help="An earlier question (repeatable).")] = None,
    mode: Annotated[str | None, typer.Option(help="extractive | local | server")] = None,
    k: Annotated[int | None, typer.Option("--k", help="Passages to retrieve (default: setting top_k).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
    home: HomeOption = None,
) -> None:
    """Ask a question; prints the answer and its citations."""
    from assistant.ask import AskRequest
    from assistant.citations import citation_runs
    from common.types import Filters, InvalidRequest

    services = build_services(home, answer_mode=mode)
    try:
        filters = Filters(councils=council or (), document_types=doc_type or (), doc_ids=doc or (),
                          date_from=date_from, date_to=date_to)
        answer = services.ask.ask(AskRequest(question, history or [], filters, k))
    except InvalidRequest as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from err
    if services.answer_notice:
        typer.echo(f"({services.answer_notice})", err=True)
    if as_json:
        typer.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
        return
    typer.echo(answer.answer)
    typer.echo("")
    if answer.refused:
        typer.echo(f"(refused: {answer.refusal_reason})")
        for p in answer.retrieved:
            typer.echo(f"  nearest: {p.doc.title}, p. {p.chunk.page_start}: {p.chunk.text[:160]}…")
    for run in citation_runs(answer.citations):
        c = run[0]
        markers = f"[{c.n}]" if len(run) == 1 else f"[{c.n}]–[{run[-1].n}]"
        typer.echo(f"{markers} {c.title}, page {c.page}{' — ' + c.section if c.section else ''}")
    for claim in answer.unsupported:
        typer.echo(f"(not supported by the cited passages: {claim})")
    typer.echo(f"({answer.mode}, {answer.latency_ms:.0f} ms)")


@app.command()
def check(
    repair: Annotated[bool, typer.Option(help="Fix what is inconsistent.")] = False,
    home: HomeOption = None,
) -> None:
    """Verify that the catalogue, the lexical index and the vectors agree."""

    services = build_services(home)
    try:
        with services.index.writing(on_wait=_waiting):
            report = services.index.check(repair=repair, pipeline=PIPELINE_VERSION)
    except IndexBusyError as err:
        raise _busy(err) from err
    for line in report.lines() + report.notices():
        typer.echo(line)
    if not report.consistent and not report.repaired:
        raise typer.Exit(1)


@app.command()
def recommendations(
    council: Annotated[list[str] | None, typer.Option("--council", help="Only this council (repeatable).")] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this doc_id (repeatable).")] = None,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", help="'peer-review' or 'decision' (repeatable).")] = None,
    links: Annotated[bool, typer.Option(help="Look for possibly related passages in later papers.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    home: HomeOption = None,
) -> None:
    """The recommendations register: what reviews recommended and meetings were asked to decide, verbatim."""
    from assistant.register import parse_kind
    from common.types import InvalidRequest

    services = build_services(home)
    try:
        kinds = [parse_kind(k) for k in kind or ()]
    except InvalidRequest as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from err
    entries = services.register.entries(doc or None, council or None, kinds or None, follow_ups=links)
    if as_json:
        typer.echo(json.dumps([e.to_json() for e in entries], indent=2, ensure_ascii=False))
        return
    if not entries:
        typer.echo("no recommendations found" + (" for these filters" if council or doc or kind else ""))
        return
    current = ""
    for entry in entries:
        r, d = entry.recommendation, entry.doc
        if d.doc_id != current:
            current = d.doc_id
            typer.echo(f"\n{d.title} — {d.council}{', ' + d.date if d.date else ''} [{d.doc_id}]")
            typer.echo(f"  {r.section.rstrip(': ')} ({r.kind}){': ' + r.lead_in if r.lead_in else ''}")
        again = f"; also printed on page {', '.join(map(str, r.also_on_pages))}" if r.also_on_pages else ""
        label = f"{r.number}{'' if '.' in r.number else '.'} " if r.number else "- "
        typer.echo(f"  {label}{' '.join(r.text.split())}  (page {r.page}{again})")
        if entry.follow_ups:
            typer.echo("      possibly related in later papers (not a claim that it was done):")
        for f in entry.follow_ups:
            typer.echo(f"      · {f.title} ({f.date}), page {f.page}, match {f.strength:.2f}: “{f.quote}”")


@app.command("eval")
def eval_command(
    questions: Annotated[Path, typer.Argument(help="A questions.jsonl file (or, with --compare, a run folder).")],
    out: Annotated[Path | None, typer.Option("--out", help="Run folder (default: eval/runs/<time>).")] = None,
    mode: Annotated[str | None, typer.Option(help="extractive | local | server")] = None,
    k: Annotated[int, typer.Option("--k", min=1, help="Passages given to the answerer (top_k).")] = 5,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N questions.")] = None,
    compare: Annotated[Path | None, typer.Option("--compare", help="An earlier run folder to compare with.")] = None,
    home: HomeOption = None,
) -> None:
    """Score the assistant on a question file, using the current index; writes results, summary, report."""
    from eval import harness

    try:
        if compare is not None and questions.is_dir():  # compare two existing runs, run nothing
            typer.echo(harness.comparison_table(compare, harness.load_summary(questions)))
            return
        services = build_services(home, answer_mode=mode, top_k=k)
        out_dir = out or harness.default_out_dir()
        run = harness.run_eval(questions, out_dir, services, limit=limit, progress=lambda i, n, r: typer.echo(
            f"[{i}/{n}] {r['id']} {r['failure'] or 'ok'}", err=True))
        typer.echo(harness.headline(run.summary))
        typer.echo(f"wrote {run.results_path}, {run.summary_path}, {run.report_path}")
        if compare is not None:
            typer.echo(harness.comparison_table(compare, run.summary))
    except harness.EvalError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from err


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 7860).")] = None,
    home: HomeOption = None,
) -> None:
    """Run the web app (chat page at /, REST API under /api), as `python app.py` does."""
    from assistant.settings import Settings
    from ui import serve as serve_app

    overrides = {key: value for key, value in {"home": home, "host": host, "port": port}.items() if value is not None}
    serve_app(Settings(**overrides))


def main() -> None:
    """The `councilchat` command: an index the release cannot read is a message, not a traceback."""
    try:
        app()
    except IndexVersionError as err:
        typer.echo(str(err), err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
