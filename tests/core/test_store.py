"""Records: filed once, numbered per organisation, encrypted, audited, tamper-evident, never lost."""
from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

from bot.concerns.crypto import CipherKeyError, FieldCipher
from bot.concerns.store import ConcernStore, Draft, NoSuchConcern, StoreUnavailable

WORDS = "Daddy hit me with the belt and said not to tell"


def draft(key="k1", org="grange-primary", words=WORDS) -> Draft:
    return Draft(org=org, fields={"child_ref": "JS, year 3", "child_words": words, "reporter": "Sam, TA"},
                 channel="rest", sender_id="user-1", key=key)


def store_at(url: str, keys) -> ConcernStore:
    s = ConcernStore(create_engine(url, future=True), FieldCipher(keys))
    s.create_schema()
    return s


@pytest.fixture
def key():
    return Fernet.generate_key()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(tmp_path, request):
    """Every store test runs on SQLite and on the real PostgreSQL server make test starts."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.db'}"
    return request.getfixturevalue("postgres_url")


def test_reference_format_and_per_org_numbering(url, key, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_NOW", "2026-11-20T18:00")
    s = store_at(url, [key])
    assert s.file(draft("a")).reference == "SG-2026-000001"
    assert s.file(draft("b")).reference == "SG-2026-000002"
    assert s.file(draft("c", org="west-kent")).reference == "SG-2026-000001"


def test_filing_twice_with_same_key_makes_one_record(url, key):
    s = store_at(url, [key])
    first, again = s.file(draft("same")), s.file(draft("same"))
    assert first.reference == again.reference and again.created is False
    assert s.count() == 1


def test_record_survives_restart_with_words_intact(url, key):
    ref = store_at(url, [key]).file(draft()).reference
    reopened = store_at(url, [key])
    assert reopened.read("grange-primary", ref, reader="lead", via="test").fields["child_words"] == WORDS


def test_raw_database_file_holds_none_of_the_childs_words(tmp_path, key):
    store_at(f"sqlite:///{tmp_path / 'raw.db'}", [key]).file(draft())
    raw = (tmp_path / "raw.db").read_bytes()
    for fragment in (b"belt", b"Daddy", b"JS, year 3", b"Sam, TA"):
        assert fragment not in raw


def test_every_read_is_logged_in_the_chain(url, key):
    s = store_at(url, [key])
    ref = s.file(draft()).reference
    s.read("grange-primary", ref, reader="lead:jane", via="inbox")
    s.read("grange-primary", ref, reader="deputy:tom", via="export")
    assert [(r, v) for r, v, _ in s.reads_of("grange-primary", ref)] == [("lead:jane", "inbox"), ("deputy:tom", "export")]
    assert s.verify() == []


def test_correction_is_a_new_entry_and_history_shows_both(url, key):
    s = store_at(url, [key])
    ref = s.file(draft()).reference
    s.amend("grange-primary", ref, actor="reporter:sam", via="chat", reason="typed the wrong year",
            changes={"child_ref": "JS, year 4"})
    s.amend("grange-primary", ref, actor="lead:jane", via="inbox", reason="spoke to mum", note="Mum says he fell")
    record = s.read("grange-primary", ref, reader="lead:jane", via="inbox")
    assert record.fields["child_ref"] == "JS, year 4"
    assert [h.kind for h in record.history] == ["filed", "correction", "addition"]
    assert record.history[0].payload["child_ref"] == "JS, year 3"          # the original stays
    assert record.history[1].payload == {"reason": "typed the wrong year", "changes": {"child_ref": "JS, year 4"}}
    assert record.history[1].actor == "reporter:sam"


def test_amend_refuses_unknown_fields_missing_reason_and_unknown_records(url, key):
    s = store_at(url, [key])
    ref = s.file(draft()).reference
    with pytest.raises(ValueError, match="reason"):
        s.amend("grange-primary", ref, actor="a", via="b", reason=" ", changes={"child_ref": "x"})
    with pytest.raises(ValueError, match="not fields"):
        s.amend("grange-primary", ref, actor="a", via="b", reason="r", changes={"org": "west-kent"})
    with pytest.raises(NoSuchConcern):
        s.amend("grange-primary", "SG-2026-999999", actor="a", via="b", reason="r", note="n")


def tampered(url: str, key, sql: str) -> list[str]:
    s = store_at(url, [key])
    for k in ("a", "b", "c"):
        ref = s.file(draft(k)).reference
    s.read("grange-primary", ref, reader="lead", via="inbox")
    assert s.verify() == []
    with create_engine(url, future=True).begin() as conn:
        conn.execute(text(sql))
    return s.verify()


def test_verify_reports_a_changed_entry(url, key):
    problems = tampered(url, key, "UPDATE entries SET actor = 'someone-else' WHERE seq = 2")
    assert any("entry 2" in p and "changed" in p for p in problems)


def test_verify_reports_a_swapped_payload(url, key):
    problems = tampered(url, key, "UPDATE entries SET sealed = (SELECT sealed FROM entries WHERE seq = 1) WHERE seq = 3")
    assert any("entry 3" in p for p in problems)


def test_verify_reports_a_deleted_entry(url, key):
    problems = tampered(url, key, "DELETE FROM entries WHERE seq = 2")
    assert any("missing" in p for p in problems)


def test_verify_reports_deleted_newest_entries(url, key):
    problems = tampered(url, key, "DELETE FROM entries WHERE seq = 4")
    assert any("newest entries" in p for p in problems)


def test_verify_reports_a_record_removed_from_the_index(url, key):
    problems = tampered(url, key, "DELETE FROM concerns WHERE reference = 'SG-2026-000002'")
    assert any("missing from the index" in p for p in problems)


def test_old_records_readable_after_a_new_key_is_added(url, key):
    ref = store_at(url, [key]).file(draft()).reference
    rotated = store_at(url, [Fernet.generate_key(), key])
    assert rotated.read("grange-primary", ref, "lead", "test").fields["child_words"] == WORDS


def test_wrong_key_is_a_clear_error_not_garbage(url, key):
    ref = store_at(url, [key]).file(draft()).reference
    with pytest.raises(CipherKeyError):
        store_at(url, [Fernet.generate_key()]).read("grange-primary", ref, "lead", "test")


def test_database_down_raises_store_unavailable(tmp_path, key):
    missing_dir = tmp_path / "no" / "such" / "dir" / "db"
    s = ConcernStore(create_engine(f"sqlite:///{missing_dir}", future=True), FieldCipher([key]))
    with pytest.raises(StoreUnavailable):
        s.file(draft())


def test_migrations_match_the_model(url, key):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.concerns.model import metadata
    store_at(url, [key])
    with create_engine(url, future=True).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_postgres_table_holds_none_of_the_childs_words(postgres_url, key):
    store_at(postgres_url, [key]).file(draft())
    with create_engine(postgres_url, future=True).connect() as conn:
        dump = " ".join(str(row) for table in ("concerns", "entries", "chain_heads")
                        for row in conn.execute(text(f"SELECT * FROM {table}")))
        dump += " ".join(bytes(r[0]).decode("latin-1") for r in conn.execute(text("SELECT sealed FROM entries")))
    for fragment in ("belt", "Daddy", "JS, year 3", "Sam, TA"):
        assert fragment not in dump


def test_categories_several_allowed_latest_wins_and_unknown_refused(url, key):
    s = store_at(url, [key])
    ref = s.file(draft()).reference
    s.amend("grange-primary", ref, actor="lead:jane", via="inbox", reason="triage", categories=["physical abuse"])
    s.amend("grange-primary", ref, actor="lead:jane", via="inbox", reason="after call",
            categories=["physical abuse", "domestic abuse"])
    record = s.read("grange-primary", ref, reader="lead:jane", via="inbox")
    assert record.categories == ("physical abuse", "domestic abuse") and record.status == "categorised"
    assert [h.kind for h in record.history] == ["filed", "categorised", "categorised"]
    with pytest.raises(ValueError, match="categories must be"):
        s.amend("grange-primary", ref, actor="a", via="b", reason="r", categories=["being naughty"])


def test_alert_entries_join_the_history_keep_the_chain_and_leave_the_record_new(url, key):
    s = store_at(url, [key])
    ref = s.file(draft()).reference
    assert s.record_alert("grange-primary", ref, "alert", actor="system:alerts", via="email",
                          details={"to": "A Lead", "channel": "email"}) == 2
    assert s.record_alert("grange-primary", ref, "escalated", actor="system:alerts", via="alerts",
                          details={"to": "A Deputy"}, when=lambda session: False) is None   # claim lost: nothing
    s.record_alert("grange-primary", ref, "acknowledged", actor="recipient:A Lead", via="ack-link", details={})
    record = s.read("grange-primary", ref, reader="lead:jane", via="inbox")
    assert [h.kind for h in record.history] == ["filed", "alert", "acknowledged"]
    assert record.history[1].payload == {"to": "A Lead", "channel": "email"} and record.status == "new"
    assert s.verify() == []
    with pytest.raises(ValueError, match="alert entries"):
        s.record_alert("grange-primary", ref, "correction", actor="a", via="b", details={})
    with pytest.raises(NoSuchConcern):
        s.record_alert("grange-primary", "SG-2026-999999", "alert", actor="a", via="b", details={})
