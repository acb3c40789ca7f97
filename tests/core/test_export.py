"""Exporting a record for a referral: complete, checkable, safe to open in a browser."""
from __future__ import annotations

import json

from bot.concerns.export import build, integrity_hash, write
from bot.concerns.store import ConcernStore, Draft

WORDS = 'she said "<script>alert(1)</script> he hurts me" & cried'


def filed(store: ConcernStore) -> str:
    ref = store.file(Draft("missing-link", {"child_ref": "KL, 12", "child_words": WORDS}, "rest", "u", "k")).reference
    store.amend("missing-link", ref, actor="lead:ana", via="inbox", reason="referred", note="Rang Bristol First Response")
    return ref


def test_export_has_fields_history_and_a_hash_that_checks(isolated_store):
    store = ConcernStore.from_env()
    ref = filed(store)
    doc = build(store, "missing-link", ref, reader="lead:ana")
    values = {f["field"]: f["value"] for f in doc["fields"]}
    assert values["child_words"] == WORDS
    assert [h["kind"] for h in doc["history"]] == ["filed", "addition"]
    assert doc["integrity"]["hash"] == integrity_hash(doc)
    doc["fields"][0]["value"] = "changed"
    assert integrity_hash(doc) != doc["integrity"]["hash"]


def test_export_is_logged_as_a_read_and_chain_still_verifies(isolated_store):
    store = ConcernStore.from_env()
    ref = filed(store)
    build(store, "missing-link", ref, reader="lead:ana")
    assert store.reads_of("missing-link", ref)[-1][:2] == ("lead:ana", "export")
    assert store.verify() == []


def test_html_shows_the_childs_words_as_text_never_as_markup(isolated_store, tmp_path):
    store = ConcernStore.from_env()
    ref = filed(store)
    json_path, html_path = write(store, "missing-link", ref, "lead:ana", tmp_path / "out")
    page = html_path.read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert json.loads(json_path.read_text())["reference"] == ref
    assert oct(html_path.stat().st_mode & 0o777) == "0o600"
