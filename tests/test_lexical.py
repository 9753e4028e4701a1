"""The lexical index: words searched as written, phrases quoted, and words the papers only use in longer forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.types import Chunk, DocumentMetadata
from vectorstore.sqlite_index import SqliteIndex

TEXTS = [
    "Between 2019/20 and 2023/24, employee numbers decreased by 1,192 from 7,977 to 6,785.",
    "There is much to do: the Audit Committee needs more members with experience of audit.",
    "The council tax collection rate was ranked 16 out of 27 county councils.",
]


@pytest.fixture()
def sqlite(tmp_path: Path) -> SqliteIndex:
    index = SqliteIndex(tmp_path / "index.sqlite3")
    chunks = [Chunk(f"paper-{i:04d}", "paper", i, text, "1. Workforce", 1, 1, 0, len(text))
              for i, text in enumerate(TEXTS)]
    index.write_document(DocumentMetadata("paper", title="A paper"), chunks, [], [])
    index.mark_complete("paper")
    return index


def test_a_word_only_longer_words_start_is_found_in_them(sqlite: SqliteIndex) -> None:
    # "How many staff does Derbyshire employ?": the paper says "employee". The Porter stemmer reads the prefix
    # "employ" as "emploi", which starts no word of the index: the prefix searched is "emplo".
    assert sqlite.document_frequency("employ") == 1
    assert [cid for cid, _ in sqlite.search("employ", 5)] == ["paper-0000"]
    assert sqlite.document_frequency("cricket") == 0  # a word no paper uses is still missing
    assert sqlite.document_frequency("coun") == 0  # and a fragment is not a word's stem: "council" is not "coun"


def test_a_quoted_phrase_is_searched_with_its_small_words(sqlite: SqliteIndex) -> None:
    assert [cid for cid, _ in sqlite.search_phrases(["much to do"], 5)] == ["paper-0001"]
    assert sqlite.search("much to do", 5) == []  # searched as words, "much", "to" and "do" are no words at all
