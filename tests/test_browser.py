"""The page in a real headless browser: streamed cited answers, sources, filters, escaping, offline."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PROJECT
from tests.web import LiveServer, app_page

pytestmark = pytest.mark.slow
ARTIFACTS = PROJECT / "test-artifacts"
FINISHED = "#cc-chat .cc-cites, #cc-chat .cc-refusal, #cc-chat .cc-message"


@pytest.fixture
def browser_page(live: LiveServer):  # type: ignore[no-untyped-def]
    with app_page(live) as page:
        yield page


def ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    before = page.locator(FINISHED).count()
    page.fill("#cc-question textarea", question)
    page.press("#cc-question textarea", "Enter")
    page.wait_for_function(f"document.querySelectorAll({FINISHED!r}).length > {before}", timeout=90_000)


def test_answer_streams_with_citation_and_sources(browser_page) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    # The chat's examples show on first load; they render after the textbox, so wait for them rather than count.
    page.get_by_text("What did the peer team say about Cotmanhay?").first.wait_for(timeout=30_000)
    ask(page, "What did the peer team say about Cotmanhay?")
    bubble = page.locator("#cc-chat .cc-cites").last
    assert "[1]" in page.locator("#cc-chat").inner_text()
    assert "page 7" in bubble.inner_text()
    sources = page.locator("#cc-sources")
    assert "page 7" in sources.inner_text()
    mark = sources.locator("mark").first
    assert "Cotmanhay" in mark.inner_text()
    href = sources.locator(".cc-cited a").first.get_attribute("href")
    assert href == "/documents/derbyshire-cc-corporate-peer-challenge-2018/file#page=7"
    assert page.locator("button", has_text="Export conversation").first.is_enabled()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "answered.png"), full_page=True)
    # Nothing left the machine: every request went to the app itself.
    hosts = {re.sub(r"^\w+://([^/]+).*", r"\1", u) for u in page.requested if "://" in u}
    assert hosts <= {live_host(page)}, hosts


def live_host(page) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"^\w+://([^/]+).*", r"\1", page.url)


def test_council_filter_restricts_sources(browser_page) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.get_by_text("Filters — apply to the next question").click()
    page.locator("#cc-council input").click()
    page.get_by_role("option", name="Derby City Council", exact=True).click()
    page.keyboard.press("Escape")
    ask(page, "What were the key recommendations of the peer challenge?")
    sources = page.locator("#cc-sources")
    assert "Searched only: council: Derby City Council" in sources.inner_text()
    metas = sources.locator(".cc-source-meta").all_text_contents()  # includes the collapsed ones
    assert metas, sources.inner_text()
    assert all(m.startswith("Derby City Council") for m in metas), metas


def test_script_in_question_is_shown_as_text(browser_page) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)> budget?"
    ask(page, evil)
    page.wait_for_timeout(500)
    assert evil in page.locator("#cc-chat").inner_text()
    assert page.locator("#cc-chat script").count() == 0 and page.locator("#cc-chat img[src=x]").count() == 0
    assert page.dialogs == []
