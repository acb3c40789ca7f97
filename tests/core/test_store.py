"""Records: filed once, numbered per organisation, encrypted, audited, never lost."""
from __future__ import annotations

import os

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine

from bot.concerns.crypto import CipherKeyError, FieldCipher
from bot.concerns.store import ConcernStore, Draft, StoreUnavailable

WORDS = "Daddy hit me with the belt and said not to tell"


def draft(key="k1", org="grange-primary", words=WORDS) -> Draft:
    return Draft(org=org, fields={"child_ref": "JS, year 3", "child_words": words, "reporter": "Sam, TA"},
                 channel="rest", sender_id="user-1", key=key)


def store_at(path, keys) -> ConcernStore:
    s = ConcernStore(create_engine(f"sqlite:///{path}", future=True), FieldCipher(keys))
    s.create_schema()
    return s


@pytest.fixture
def key():
    return Fernet.generate_key()


def test_reference_format_and_per_org_numbering(tmp_path, key, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_NOW", "2026-11-20T18:00")
    s = store_at(tmp_path / "db", [key])
    assert s.file(draft("a")).reference == "SG-2026-000001"
    assert s.file(draft("b")).reference == "SG-2026-000002"
    assert s.file(draft("c", org="west-kent")).reference == "SG-2026-000001"


def test_filing_twice_with_same_key_makes_one_record(tmp_path, key):
    s = store_at(tmp_path / "db", [key])
    first, again = s.file(draft("same")), s.file(draft("same"))
    assert first.reference == again.reference and again.created is False
    assert s.count() == 1


def test_record_survives_restart_with_words_intact(tmp_path, key):
    ref = store_at(tmp_path / "db", [key]).file(draft()).reference
    reopened = store_at(tmp_path / "db", [key])
    assert reopened.read("grange-primary", ref, reader="lead", via="test").fields["child_words"] == WORDS


def test_raw_database_file_holds_none_of_the_childs_words(tmp_path, key):
    store_at(tmp_path / "db", [key]).file(draft())
    raw = (tmp_path / "db").read_bytes()
    for fragment in (b"belt", b"Daddy", b"JS, year 3", b"Sam, TA"):
        assert fragment not in raw


def test_every_read_is_logged(tmp_path, key):
    s = store_at(tmp_path / "db", [key])
    ref = s.file(draft()).reference
    s.read("grange-primary", ref, reader="lead:jane", via="inbox")
    s.read("grange-primary", ref, reader="deputy:tom", via="export")
    assert [(r, v) for r, v, _ in s.reads_of("grange-primary", ref)] == [("lead:jane", "inbox"), ("deputy:tom", "export")]


def test_old_records_readable_after_a_new_key_is_added(tmp_path, key):
    ref = store_at(tmp_path / "db", [key]).file(draft()).reference
    rotated = store_at(tmp_path / "db", [Fernet.generate_key(), key])
    assert rotated.read("grange-primary", ref, "lead", "test").fields["child_words"] == WORDS


def test_wrong_key_is_a_clear_error_not_garbage(tmp_path, key):
    ref = store_at(tmp_path / "db", [key]).file(draft()).reference
    with pytest.raises(CipherKeyError):
        store_at(tmp_path / "db", [Fernet.generate_key()]).read("grange-primary", ref, "lead", "test")


def test_database_down_raises_store_unavailable(tmp_path, key):
    missing_dir = tmp_path / "no" / "such" / "dir" / "db"
    s = ConcernStore(create_engine(f"sqlite:///{missing_dir}", future=True), FieldCipher([key]))
    with pytest.raises(StoreUnavailable):
        s.file(draft())
