"""The Recommendations tab in a real headless browser: filter by paper, links to pages, later passages, CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from assistant.register import FollowUp, RegisterEntry
from common.types import DocumentRecord, Recommendation
from tests.conftest import PROJECT
from tests.web import LiveServer, app_page
from ui.register_tab import export_csv, register_html

ARTIFACTS = PROJECT / "test-artifacts"
PEER_2018 = "derbyshire-cc-corporate-peer-challenge-2018"
ITEMS = "#cc-register .cc-reg-item"


@pytest.fixture
def browser_page(live: LiveServer):  # type: ignore[no-untyped-def]
    with app_page(live, accept_downloads=True) as page:
        yield page


@pytest.mark.slow
def test_recommendations_tab(browser_page) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.get_by_role("tab", name="Recommendations").click()
    page.locator("#cc-reg-paper input").click()
    page.get_by_role("option", name=re.compile(r"^Corporate Peer Challenge: Derbyshire County Council")).click()
    page.keyboard.press("Escape")
    page.wait_for_function(f"document.querySelectorAll({ITEMS!r}).length === 7", timeout=240_000)
    items = page.locator(ITEMS)
    first = items.first
    assert "Undertake more work on the Enterprising Council concept." in first.inner_text()
    assert "a. Further define its role and purpose" in first.inner_text()
    assert first.locator("a", has_text="page 2").get_attribute("href") == f"/documents/{PEER_2018}/file#page=2"
    follow = first.locator(".cc-reg-follow")
    assert "Possibly related in later papers" in follow.inner_text()
    assert "not a statement that it was done" in follow.inner_text()
    assert "Enterprising Council Phase 2" in follow.inner_text()
    assert "peer-review recommendation" in page.locator("#cc-register").inner_text().lower()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "recommendations.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("#cc-reg-export").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [r["number"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    assert rows[4]["recommendation"].startswith("Develop a more consistent and strategic approach")
    assert "Productivity Plan" in rows[4]["possibly_related_later_passages"]

    # The kind filter: decisions sought from the whole library, no peer reviews.
    page.locator("#cc-reg-paper input").click()
    page.keyboard.press("Backspace")
    page.keyboard.press("Escape")
    page.locator("#cc-reg-kind input").click()
    page.get_by_role("option", name="decision sought", exact=True).click()
    page.keyboard.press("Escape")
    page.locator("#cc-reg-show").click()
    page.wait_for_function(f"document.querySelectorAll({ITEMS!r}).length === 10", timeout=240_000)
    assert "peer-review recommendation" not in page.locator("#cc-register").inner_text().lower()
    assert page.dialogs == []


def test_register_html_escapes_everything() -> None:
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    doc = DocumentRecord(doc_id="evil-paper", title=evil, council=evil, date="2025-01-30", status="complete")
    rec = Recommendation(doc_id="evil-paper", ord=0, number="<b>1</b>", text=f"Approve {evil}", page=3,
                         section=evil, kind=Recommendation.DECISION_SOUGHT, chunk_id="c", start=0, end=7,
                         quote="Approve", lead_in=evil, also_on_pages=[9])
    link = FollowUp(doc_id="later\"paper", title=evil, council=evil, date="2025-03-13", page=2, section=evil,
                    chunk_id="d", quote=evil, strength=0.61)
    html = register_html([RegisterEntry(rec, doc, [link])])
    assert "<script" not in html and "<img" not in html and "<b>1" not in html
    assert "&lt;script&gt;" in html and "also printed on page 9" in html
    assert 'href="/documents/later%22paper/file#page=2"' in html
    assert 'href="/documents/evil-paper/file#page=3"' in html

    rec.text = "=HYPERLINK(\"http://example.invalid\")"
    with open(export_csv([RegisterEntry(rec, doc, [link])]), encoding="utf-8-sig") as handle:
        row = next(csv.DictReader(handle))
    assert row["recommendation"].startswith("'=") and row["page"] == "3"
    assert register_html([]).startswith('<p class="cc-reason">No recommendations')
