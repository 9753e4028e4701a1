"""Follow-up links: later passages of the same council that may address a recommendation; the REST route.

The expectations come from reading the papers: the 2018 Derbyshire peer challenge asked for more work on the
Enterprising Council concept (recommendation 1), which the 2020 Enterprising Council Phase 2 Cabinet report
takes up, and for a more consistent and strategic approach to the budget and financial systems
(recommendation 5), which the 2024 Productivity Plan's financial passages (financial regulations, spending
controls, Thematic Area 3) and the 2020 report's refreshed Financial Regulations address.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from assistant.citations import verify
from assistant.register import FollowUp
from assistant.types import Citation
from common.types import Recommendation
from tests.web import LiveServer

PEER_2018 = "derbyshire-cc-corporate-peer-challenge-2018"
CABINET_2020 = "derbyshire-cc-cabinet-enterprising-council-phase-2-2020"
PLAN_2024 = "derbyshire-cc-productivity-plan-2024"


@pytest.fixture(scope="module")
def links_2018(demo_home, embedder):  # type: ignore[no-untyped-def]
    from tests.conftest import make_services

    services = make_services(demo_home, embedder)
    entries = services.register.entries(doc_ids=[PEER_2018])
    yield services, {e.recommendation.number: e.follow_ups for e in entries}
    services.close()


def test_enterprising_council_recommendation_links_to_the_2020_report(links_2018) -> None:  # type: ignore[no-untyped-def]
    _, links = links_2018
    first = [f for f in links["1"] if f.doc_id == CABINET_2020]
    assert first, links["1"]
    assert any("Enterprising Council" in f.quote or "enterprising council" in f.quote for f in first), first


def test_budget_recommendation_links_to_the_plans_financial_passages(links_2018) -> None:  # type: ignore[no-untyped-def]
    _, links = links_2018
    plan = [f for f in links["5"] if f.doc_id == PLAN_2024]
    assert plan, links["5"]
    assert any("financial" in f.quote.lower() for f in plan), plan
    assert any(f.doc_id == CABINET_2020 and "Financial Regulations" in f.quote for f in links["5"]), links["5"]


def test_links_are_later_same_council_verbatim_and_ranked(links_2018) -> None:  # type: ignore[no-untyped-def]
    services, links = links_2018
    register = services.register
    docs = {d.doc_id: d for d in services.sqlite.list_documents()}
    everything = [f for found in links.values() for f in found]
    assert len({f.doc_id for f in everything}) >= 2
    chunks = services.sqlite.get_chunks({f.chunk_id for f in everything})
    for found in links.values():
        assert len(found) <= register.per_recommendation
        assert [f.strength for f in found] == sorted((f.strength for f in found), reverse=True)
        for f in found:
            doc = docs[f.doc_id]
            assert f.doc_id != PEER_2018 and doc.date > "2018-10-25"
            named = "derbyshire county" in " ".join(chunks[f.chunk_id].text.split()).lower()
            assert doc.council == "Derbyshire County Council" or named
            assert register.min_strength <= f.strength <= 1
            # The quote is a verbatim sentence of its passage, on the page given.
            assert verify(Citation(1, f.chunk_id, f.doc_id, f.title, f.page, f.section, f.quote), chunks[f.chunk_id])


def test_links_of_another_council_only_where_it_is_named(demo_services) -> None:  # type: ignore[no-untyped-def]
    """Derby City's 2017 peer challenge: the later Derbyshire papers name Derby City only in passing, so only
    passages that name it may be offered."""
    register = demo_services.register
    records = register.find(council="Derby City Council")
    assert len(records) == 11
    for rec in records[:4]:
        for f in register.follow_ups(rec):
            chunk = demo_services.sqlite.get_chunks([f.chunk_id])[f.chunk_id]
            assert "derby city" in " ".join(chunk.text.split()).lower(), f


def test_links_are_cached_until_the_catalogue_changes(demo_services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    register = demo_services.register
    rec = register.find(doc_ids=[PEER_2018])[0]
    first = register.follow_ups(rec)
    assert register.follow_ups(rec) is first
    calls: list[Recommendation] = []
    real = register._links

    def counting(r: Recommendation) -> list[FollowUp]:
        calls.append(r)
        return real(r)

    monkeypatch.setattr(register, "_links", counting)
    register.follow_ups(rec)
    assert calls == []
    monkeypatch.setattr(register, "_catalogue_state", lambda: ("another", "catalogue"))
    again = register.follow_ups(rec)
    assert calls == [rec] and again is not first
    assert [f.to_json() for f in again] == [f.to_json() for f in first]


@pytest.fixture
def client(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=300) as c:
        yield c


def test_api_recommendations(client: httpx.Client) -> None:
    r = client.get("/api/recommendations", params={"doc": PEER_2018})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [e["number"] for e in body] == ["1", "2", "3", "4", "5", "6", "7"]
    first = body[0]
    assert first["text"].startswith("Undertake more work on the Enterprising Council concept.")
    assert first["url"] == f"/documents/{PEER_2018}/file#page=2" and first["page"] == 2
    assert first["kind"] == Recommendation.PEER_REVIEW and first["section"] == "2. Key recommendations"
    assert any(f["doc_id"] == CABINET_2020 for f in first["follow_ups"])
    assert all(f["url"].startswith(f"/documents/{f['doc_id']}/file#page=") for e in body for f in e["follow_ups"])

    r = client.get("/api/recommendations", params=[("council", "Derby City Council"),
                                                   ("council", "Derbyshire Dales District Council"),
                                                   ("follow_ups", "false")])
    body = r.json()
    assert r.status_code == 200 and len(body) == 14 and all(e["follow_ups"] == [] for e in body)

    body = client.get("/api/recommendations", params={"kind": "decision", "follow_ups": "false"}).json()
    assert len(body) == 10 and {e["kind"] for e in body} == {Recommendation.DECISION_SOUGHT}

    r = client.get("/api/recommendations", params={"kind": "<script>"})
    assert r.status_code == 422 and "Unknown kind" in r.text
    assert client.get("/api/recommendations", params={"doc": "x" * 400}).status_code == 422
    schema = client.get("/api/openapi.json").json()
    assert "/api/recommendations" in schema["paths"] and "RecommendationOut" in schema["components"]["schemas"]
