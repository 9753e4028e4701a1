"""The HTML the page shows: escaping, highlighting, refusals, exports; and upload file-name safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.services import Services
from assistant.settings import Settings
from assistant.types import Answer, Citation, Passage
from common.types import Chunk
from ui import render
from ui.asking import make_filters
from ui.uploads import UploadRejected, check_password, ingest_uploads, safe_filename, store_uploads
from vectorstore.sqlite_index import DocumentRecord

EVIL = "<script>alert(1)</script>"
QUOTE = "budget reductions of £263m were made"


def _doc(title: str = "Peer Challenge <b>2018</b>", council: str = "Derbyshire County Council") -> DocumentRecord:
    return DocumentRecord("peer-2018", title, "Peer 2018", council, "Peer challenge report", "2018-10-25", "", "",
                          "/srv/papers/peer-2018.pdf", "h", 14, 40, [], [], "complete", 0.0)


def _passage(text: str, chunk_id: str = "peer-2018-0001", page: int = 7) -> Passage:
    chunk = Chunk(chunk_id, "peer-2018", 1, text, "4. Feedback > <i>Finance</i>", page, page, 0, len(text))
    return Passage(chunk, _doc(), 0.5, 0.6)


def _answer(text: str, passages: list[Passage], citations: list[Citation], refused: bool = False,
            unsupported: list[str] | None = None, question: str = "q") -> Answer:
    return Answer(question, text, refused, citations, passages, "extractive", unsupported=unsupported or [],
                  refusal_reason="no passage is close enough" if refused else "")


def _cited_answer() -> Answer:
    text = f"Since 2010 the council says {EVIL} and\nthe budget   reductions of £263m\nwere made by 2018 in total."
    passage = _passage(text)
    citation = Citation(1, passage.chunk.chunk_id, "peer-2018", passage.doc.title, 7, passage.chunk.section, QUOTE)
    return _answer(f"The papers say: “{QUOTE}” [1] {EVIL}", [passage, _passage("Other <img src=x>", "c2", 3)],
                   [citation])


def test_question_html_escapes_script() -> None:
    out = render.question_html(EVIL)
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_escape_covers_attributes_and_template_syntax() -> None:
    out = render.esc('"onmouseover="x" ${alert(1)} {{x}} `y`')
    assert '"' not in out and "${" not in out and "{{" not in out and "`" not in out


def test_answer_html_escapes_answer_and_marks_citations() -> None:
    out = render.answer_html(_cited_answer())
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert '<span class="cc-marker">[1]</span>' in out
    assert 'href="/documents/peer-2018/file#page=7"' in out


def test_source_lines_name_each_quotes_own_section() -> None:
    # A summary quotes the end of one section and the start of the next on the same page: each source line is
    # labelled with its own section, not the first one's.
    passage = _passage("Background text. Thematic text.")
    cites = [Citation(n, passage.chunk.chunk_id, "peer-2018", passage.doc.title, 1, section, quote)
             for n, section, quote in [(1, "Background", "Background text."), (2, "Background", "More."),
                                       (3, "Thematic Area 1", "Thematic text."), (4, "Thematic Area 1", "And.")]]
    out = render.answer_html(_answer("“Background text.” [1] [2] “Thematic text.” [3] [4]", [passage], cites))
    assert re.search(r"\[1\]–\[2\]</span> <a [^>]*>Peer 2018</a>, page 1 — Background<br>", out)
    assert re.search(r"\[3\]–\[4\]</span> <a [^>]*>Peer 2018</a>, page 1 — Thematic Area 1</p>", out)


def test_a_follow_up_shows_how_it_was_read() -> None:
    answer = _cited_answer()
    answer.question, answer.standalone_question = "Why?", f"Why is {EVIL} overspending the most?"
    out = render.answer_html(answer)
    assert "Read as: “Why is &lt;script&gt;alert(1)&lt;/script&gt; overspending the most?”" in out
    refused = _answer("The papers provided do not say.", [], [], refused=True, question="Why?")
    refused.standalone_question = "Why is Kent overspending this year?"
    assert "Read as: “Why is Kent overspending this year?”" in render.answer_html(refused)
    # A question that stood alone is not repeated.
    answer.standalone_question = answer.question
    assert "Read as" not in render.answer_html(answer)


def test_sources_highlight_quote_inside_escaped_passage() -> None:
    out = render.sources_html(_cited_answer())
    # The quote spans line breaks and runs of spaces in the passage; it is still found and marked.
    marked = re.search(r"<mark>(.*?)</mark>", out, re.S)
    assert marked is not None
    assert re.sub(r"\s+", " ", marked.group(1)) == QUOTE
    assert "<script>" not in out and "<img" not in out and "<b>2018" not in out and "<i>Finance" not in out
    assert "&lt;script&gt;" in out and "&lt;b&gt;2018&lt;/b&gt;" in out
    assert "page 7" in out and "Derbyshire County Council" in out and "2018-10-25" in out
    assert 'href="/documents/peer-2018/file#page=7"' in out
    assert "Retrieved, not cited" in out  # the second passage is listed apart from the cited one
    assert "/srv/papers" not in out  # server paths never reach the page


def test_highlight_reports_missing_quote() -> None:
    html_text, found = render.highlight("some <b>text</b>", "not there")
    assert not found and "<mark>" not in html_text and "&lt;b&gt;" in html_text


def test_refusal_renders_nearest_passages_labelled() -> None:
    answer = _answer("The papers provided do not say.", [_passage(f"Nearby {EVIL} text")], [], refused=True)
    sources = render.sources_html(answer, "council: Derbyshire County Council")
    assert "do not answer this question" in sources
    assert "Nearest passage, does not answer" in sources
    assert "<mark>" not in sources and "<script>" not in sources and "Nearby &lt;script&gt;" in sources
    assert "Searched only: council: Derbyshire County Council" in sources
    bubble = render.answer_html(answer)
    assert "The papers provided do not say." in bubble and "no passage is close enough" in bubble


def test_unsupported_sentences_are_flagged() -> None:
    answer = _cited_answer()
    answer.answer = "The council cut £263m [1]. It also <u>abolished</u> all libraries."
    answer.unsupported = ["It also <u>abolished</u> all libraries."]
    out = render.answer_html(answer)
    assert re.search(r'class="cc-unsupported"[^>]*>⚠ It also &lt;u&gt;abolished', out)
    assert "not backed by a cited passage" in out
    assert "<u>" not in out


def test_unverified_marker_is_visible() -> None:
    out = render.answer_body("A claim [unverified].")
    assert 'class="cc-unverified"' in out


def test_library_and_export() -> None:
    lib = render.library_html([_doc()])
    assert "&lt;b&gt;2018" in lib and 'href="/documents/peer-2018/file#page=1"' in lib
    assert '<td class="cc-num">14' in lib
    md = render.conversation_markdown([
        {"question": "How much?", "answer": _cited_answer().to_json(), "filters": "council: X"},
        {"question": "??", "answer": None, "message": "Please type a question."},
    ])
    assert "## 1. How much?" in md and "[1] Peer Challenge" in md and "page 7" in md and QUOTE in md
    assert "Please type a question." in md and "Searched only: council: X" in md
    assert "Read as" not in md  # questions that stood alone
    follow_up = _cited_answer()
    follow_up.question, follow_up.standalone_question = "Why?", "Why is Adult Social Care & Health overspending?"
    md = render.conversation_markdown([{"question": "Why?", "answer": follow_up.to_json()}])
    assert "## 1. Why?\n\n_Read as: “Why is Adult Social Care & Health overspending?”_" in md


def test_filters_validate_dates_and_describe() -> None:
    filters = make_filters(["Derby City Council"], [], ["d1"], "2018", "2020-01")
    assert filters.date_from == "2018" and filters.date_to == "2020-01"
    assert render.filters_summary(filters, {"d1": "Doc One"}) == (
        "council: Derby City Council · documents: Doc One · dated 2018 to 2020-01")
    from common.types import InvalidRequest

    with pytest.raises(InvalidRequest):
        make_filters(date_from="last year")
    with pytest.raises(InvalidRequest):
        make_filters(date_to="2020-13")


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\system.ini", "system.ini"),
    ("/abs/path/Report 2020 (final).PDF", "Report-2020-final.pdf"),
    ("Réunion du conseil – été.pdf", "Reunion-du-conseil-ete.pdf"),
    ("..pdf", None),
    ("", None),
    ("報告書.docx", None),
    (".hidden.pdf", "hidden.pdf"),
    ("a" * 300 + ".pdf", "a" * 100 + ".pdf"),
])
def test_safe_filename(name: str, expected: str | None) -> None:
    out = safe_filename(name)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", out), out
    assert "/" not in out and "\\" not in out and ".." not in out
    if expected is None:
        assert out.startswith("upload-")
        assert safe_filename(name) == out  # stable
    else:
        assert out == expected


def test_safe_filename_distinguishes_unreadable_names() -> None:
    assert safe_filename("報告書.pdf") != safe_filename("議事録.pdf")
    assert safe_filename("報告書.pdf").endswith(".pdf")


def test_store_uploads_stays_inside_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    evil = src / "passwd"
    evil.write_bytes(b"x")
    good = src / "Budget Report.pdf"
    good.write_bytes(b"%PDF-1.4")
    uploads = tmp_path / "home" / "uploads"
    stored, problems = store_uploads([evil, good], uploads)
    assert stored == [(uploads / "Budget-Report.pdf").resolve()]
    assert problems and "only PDF and DOCX" in problems[0]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["Budget Report.pdf", "Budget-Report.pdf",
                                                                          "passwd"]


def test_password_check() -> None:
    assert check_password("s3cret", "s3cret")
    assert not check_password("s3cret ", "s3cret")
    assert not check_password("", "")  # no admin password set: nothing matches
    assert not check_password(None, "s3cret")
    assert not check_password("anything", "")


def test_upload_with_wrong_password_adds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.uploads.time.sleep", lambda s: None)
    services = Services(Settings(home=tmp_path / "home", admin_password="right"))
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(UploadRejected, match="Wrong admin password"):
        ingest_uploads(services, "wrong", [pdf])
    with pytest.raises(UploadRejected, match="Wrong admin password"):
        ingest_uploads(Services(Settings(home=tmp_path / "h2")), "", [pdf])  # no password configured
    assert not (tmp_path / "home" / "uploads").exists()
    assert "ingestor" not in services.__dict__  # the index was never touched


def test_two_papers_cited_under_one_name_are_told_apart_in_the_footer() -> None:
    # The January and February "Draft Revenue Budget …" reports share a title: each line says its meeting and date.
    passages, citations = [], []
    for n, (doc_id, committee, date, page) in enumerate([("jan", "Cabinet", "2025-01-30", 42),
                                                         ("feb", "County Council", "2025-02-13", 41)], start=1):
        title = "Draft Revenue Budget 2025-26"
        doc = DocumentRecord(doc_id, title, title, "Kent County Council", "Cabinet report", date, committee, "",
                             f"/srv/{doc_id}.pdf", "h", 60, 90, [], [], "complete", 0.0)
        chunk = Chunk(f"{doc_id}-1", doc_id, 1, QUOTE, "Reserves", page, page, 0, len(QUOTE))
        passages.append(Passage(chunk, doc, 0.5, 0.6))
        citations.append(Citation(n, chunk.chunk_id, doc_id, doc.title, page, "Reserves", QUOTE))
    out = render.answer_html(_answer(f"“{QUOTE}” [1] “{QUOTE}” [2]", passages, citations))
    assert "Draft Revenue Budget 2025-26 (Cabinet, 2025-01-30)</a>, page 42" in out
    assert "Draft Revenue Budget 2025-26 (County Council, 2025-02-13)</a>, page 41" in out
    # One paper keeps its plain name.
    assert "Peer 2018</a>, page 7" in render.answer_html(_cited_answer())
