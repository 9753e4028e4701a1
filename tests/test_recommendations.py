"""Recommendations read at ingest, scored against a hand-made list; kept in step with the index; the CLI.

tests/data/recommendations_truth.json lists, by reading the papers, every recommendation of the five demo
papers and of twelve Kent papers (five of them with none: false-positive checks). Extraction is scored per
corpus by matching each record to the truth on normalised text; recall and precision must each be ≥ 0.95.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.citations import verify
from cli.main import app
from common.text import normalise_ws
from common.types import Recommendation
from ingest.chunking import chunk_document
from ingest.metadata import Catalogue
from ingest.parse import parse_file
from ingest.recommendations import extract_recommendations
from tests.conftest import EXTERNAL, PROJECT, make_services

TRUTH = json.loads((PROJECT / "tests" / "data" / "recommendations_truth.json").read_text(encoding="utf-8"))
PEER_2018 = "derbyshire-cc-corporate-peer-challenge-2018"
MATCH = 0.8  # normalised text similarity at which a record is the truth's recommendation


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9£%]+", " ", normalise_ws(text).lower().replace("’", "'")).strip()


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _norm(a), _norm(b), autojunk=False).ratio()


def _score(found: dict[str, list[Recommendation]], corpus: str) -> tuple[int, int, int, list[str]]:
    """(matched, truth, extracted, problems) over the truth's papers of one corpus."""
    matched = want_total = got_total = 0
    problems: list[str] = []
    for key, entry in TRUTH.items():
        if _corpus(entry) != corpus:
            continue
        want, got = entry["recommendations"], list(found.get(key, []))
        want_total, got_total = want_total + len(want), got_total + len(got)
        pairs = sorted(((_similarity(r.text, t["text"]), ti, ri) for ti, t in enumerate(want)
                        for ri, r in enumerate(got)), reverse=True)
        used_t: set[int] = set()
        used_r: set[int] = set()
        for sim, ti, ri in pairs:
            if sim >= MATCH and ti not in used_t and ri not in used_r:
                used_t.add(ti)
                used_r.add(ri)
                t, r = want[ti], got[ri]
                if (t["page"], t["kind"]) != (r.page, r.kind):
                    problems.append(f"{key} #{t['number']}: page/kind {(r.page, r.kind)} != {(t['page'], t['kind'])}")
        matched += len(used_t)
        if len(want) != len(got) or len(used_t) != len(want):
            problems.append(f"{key}: truth {len(want)}, extracted {len(got)}, matched {len(used_t)}")
    return matched, want_total, got_total, problems


def _corpus(entry: dict) -> str:
    return "demo" if entry["path"].startswith("data/") else "kent"


def _assert_scores(found: dict[str, list[Recommendation]], corpus: str) -> None:
    matched, want, got, problems = _score(found, corpus)
    recall, precision = matched / want, (matched / got if got else 1.0)
    assert recall >= 0.95 and precision >= 0.95, (corpus, recall, precision, problems)
    assert len(problems) <= max(1, want // 20), problems


def test_demo_extraction_against_hand_made_list(demo_services) -> None:  # type: ignore[no-untyped-def]
    """Through the real pipeline and index: what `councilchat ingest` stored."""
    register = demo_services.register
    found = {key: register.find(doc_ids=[key]) for key, entry in TRUTH.items() if _corpus(entry) == "demo"}
    _assert_scores(found, "demo")
    first = found[PEER_2018][0]
    assert (first.number, first.page, first.section, first.kind) == (
        "1", 2, "2. Key recommendations", Recommendation.PEER_REVIEW)
    assert "a. Further define its role and purpose" in first.text and "e. Consider where" in first.text
    cabinet = found["derbyshire-cc-cabinet-enterprising-council-phase-2-2020"]
    assert [r.number for r in cabinet] == ["1", "2", "", "4", "5", "6", "7"]  # the printed "3." is lost
    assert cabinet[0].lead_in == "It is recommended that Cabinet:"
    assert not any("Emma Alexander" in r.text for r in cabinet)  # the signature under the list is not an item


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason="../shared/external is not present")
def test_kent_extraction_against_hand_made_list(token_counter) -> None:  # type: ignore[no-untyped-def]
    found: dict[str, list[Recommendation]] = {}
    for key, entry in TRUTH.items():
        if _corpus(entry) != "kent":
            continue
        path = (PROJECT / entry["path"]).resolve()
        parsed = parse_file(path, Catalogue.find_for(path), ocr=False)
        found[key] = extract_recommendations(parsed, chunk_document(parsed, token_counter))
    _assert_scores(found, "kent")
    devolution = found["council-2025-01-09_devolution-white-paper-report"]
    assert [r.number for r in devolution] == ["1", "2", "3", "4"]  # run together in one block, printed twice
    assert all(r.page == 1 and r.also_on_pages == [7] for r in devolution)
    finance = found["cabinet-2025-01-30_24-00108_finance-monitoring-Q3-2024-25"]
    assert [r.number for r in finance] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert not any("refer to Section" in r.text for r in finance)


def test_every_record_points_at_its_first_line(demo_services) -> None:  # type: ignore[no-untyped-def]
    register, sqlite = demo_services.register, demo_services.sqlite
    records = register.find()
    assert len(records) == 28
    chunks = sqlite.get_chunks({r.chunk_id for r in records})
    for rec in records:
        chunk = chunks[rec.chunk_id]
        assert chunk.text[rec.start:rec.end] == rec.quote and rec.quote
        assert normalise_ws(rec.text).startswith(normalise_ws(rec.quote))
        assert verify(register.citation(rec), chunk), rec
    assert {r.kind for r in register.find(council="Derby City Council")} == {Recommendation.PEER_REVIEW}
    assert len(register.find(kind=Recommendation.DECISION_SOUGHT)) == 10
    assert len(register.find(doc_ids=[PEER_2018], kind=[Recommendation.PEER_REVIEW])) == 7


PAPER = """# Highways Maintenance – Report to Cabinet

## Summary

This report sets out the highways maintenance programme for 2025-26.

## Recommendation(s):

Cabinet is asked to:

1. Note the condition survey results.
2. Approve the maintenance programme set out in Appendix A.
3. Delegate authority to the Director of Highways to award the contracts.

## 1. Background

1.1 The council maintains 5,000 miles of road. It is recommended that members read the survey.

## 2. Proposals

The Committee is asked to:

- Agree the revised pothole policy; and
- Endorse the winter service plan.

## 3. Minutes of the last meeting

“Council is asked to:

- Note the previous programme.

## 9. Recommendation(s):

Cabinet is asked to:

1. Note the condition survey results.
2. Approve the maintenance programme set out in Appendix A.
3. Delegate authority to the Director of Highways to award the contracts.

Jane Smith Director of Highways
"""


def _extract(path: Path, token_counter) -> list[Recommendation]:  # type: ignore[no-untyped-def]
    parsed = parse_file(path, None, ocr=False)
    return extract_recommendations(parsed, chunk_document(parsed, token_counter))


def test_structure_and_wording_not_file_rules(tmp_path: Path, token_counter) -> None:  # type: ignore[no-untyped-def]
    """A label and its list, a lead-in and its list anywhere, printed twice counted once, quoted motions and
    prose mentioning a recommendation left alone, items run together in one paragraph split."""
    path = tmp_path / "highways-cabinet.md"
    path.write_text(PAPER, encoding="utf-8")
    records = _extract(path, token_counter)
    assert [(r.number, normalise_ws(r.text)) for r in records] == [
        ("1", "Note the condition survey results."),
        ("2", "Approve the maintenance programme set out in Appendix A."),
        ("3", "Delegate authority to the Director of Highways to award the contracts."),
        ("", "Agree the revised pothole policy; and"),
        ("", "Endorse the winter service plan."),
    ]
    assert all(r.kind == Recommendation.DECISION_SOUGHT for r in records)
    assert records[0].section == "Recommendation(s):" and records[0].lead_in == "Cabinet is asked to:"
    assert records[3].section == "2. Proposals" and records[3].lead_in == "The Committee is asked to:"
    assert [r.ord for r in records] == list(range(5))


def test_a_paper_without_recommendations_has_none(tmp_path: Path, token_counter) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "newsletter.md"
    path.write_text("# Parish newsletter\n\nThe fete raised £1,200. We recommend the new café on Mill Lane.\n\n"
                    "## Reasons for recommendations\n\nThe hall needs a new roof.\n\n- Roof\n- Windows\n",
                    encoding="utf-8")
    assert _extract(path, token_counter) == []


@pytest.fixture
def services(tmp_path: Path, embedder):  # type: ignore[no-untyped-def]
    svc = make_services(tmp_path / "home", embedder)
    yield svc
    svc.close()


def test_reingest_and_removal_keep_the_register_in_step(tmp_path: Path, services) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "papers"
    folder.mkdir()
    paper = folder / "highways-cabinet.md"
    paper.write_text(PAPER, encoding="utf-8")
    services.ingestor.ingest([folder])
    assert len(services.register.find(doc_ids=["highways-cabinet"])) == 5

    paper.write_text(PAPER.replace("3. Delegate authority", "3. Agree to consult residents.\n4. Delegate authority"),
                     encoding="utf-8")
    assert services.ingestor.ingest([folder]).count("updated") == 1
    numbers = [r.number for r in services.register.find(doc_ids=["highways-cabinet"])]
    assert numbers == ["1", "2", "3", "4", "", ""]
    chunk_ids = services.sqlite.chunk_ids()
    assert all(r.chunk_id in chunk_ids for r in services.register.find())

    assert services.index.remove_document("highways-cabinet")
    assert services.register.find() == []
    rows = sqlite3.connect(services.settings.sqlite_path).execute("SELECT count(*) FROM recommendations")
    assert rows.fetchone()[0] == 0


def test_check_reports_recommendations_whose_passage_is_gone(tmp_path: Path, services) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "highways-cabinet.md").write_text(PAPER, encoding="utf-8")
    services.ingestor.ingest([folder])
    assert services.index.check().consistent
    services.sqlite.conn.execute("UPDATE recommendations SET chunk_id = 'gone' WHERE ord = 1")

    runner = CliRunner()
    result = runner.invoke(app, ["check", "--home", str(services.settings.home)])
    assert result.exit_code == 1
    assert "recommendations whose passage no longer exists: 1 (highways-cabinet" in result.output
    result = runner.invoke(app, ["check", "--repair", "--home", str(services.settings.home)])
    assert result.exit_code == 0 and "repaired" in result.output
    assert [r.ord for r in services.register.find()] == [0, 2, 3, 4]
    assert services.index.check().consistent


def test_cli_lists_the_register(demo_home: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["recommendations", "--doc", PEER_2018, "--no-links", "--json",
                                 "--home", str(demo_home)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert [r["number"] for r in body] == ["1", "2", "3", "4", "5", "6", "7"]
    assert body[0]["url"] == f"/documents/{PEER_2018}/file#page=2" and body[0]["follow_ups"] == []
    assert body[0]["council"] == "Derbyshire County Council" and body[0]["kind"] == Recommendation.PEER_REVIEW

    result = runner.invoke(app, ["recommendations", "--council", "Derbyshire Dales District Council", "--kind",
                                 "decision", "--no-links", "--home", str(demo_home)])
    assert result.exit_code == 0, result.output
    assert "RECOMMENDATION (decision sought)" in result.output
    assert "3. Delegate authority to the Chief Executive" in result.output and "(page 1)" in result.output

    result = runner.invoke(app, ["recommendations", "--kind", "wishes", "--home", str(demo_home)])
    assert result.exit_code == 2 and "Unknown kind" in result.output
    result = runner.invoke(app, ["recommendations", "--council", "Nowhere Council", "--home", str(demo_home)])
    assert result.exit_code == 0 and "no recommendations found" in result.output
