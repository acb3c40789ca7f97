"""Retention: per organisation, never automatic, leaves a verifiable tombstone."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from bot.concerns.retention import erase_due, review
from bot.concerns.store import ConcernStore, Draft, RecordErased

WORDS = "she said her brother locks her in the shed"


def file_at(monkeypatch, store: ConcernStore, org: str, when: str, key: str) -> str:
    monkeypatch.setenv("SAFEGUARD_NOW", when)
    return store.file(Draft(org, {"child_ref": "MN", "child_words": WORDS}, "rest", "u", key)).reference


def test_missing_link_six_years_after_last_entry(isolated_store, monkeypatch):
    store = ConcernStore.from_env()
    old = file_at(monkeypatch, store, "missing-link", "2019-03-01T10:00", "old")
    recent = file_at(monkeypatch, store, "missing-link", "2024-06-01T10:00", "recent")
    now = datetime(2026, 11, 22, tzinfo=timezone.utc)
    rule, reviews = review(store, "missing-link", now)
    assert rule.years == 6
    assert {r.reference: r.status for r in reviews} == {old: "due", recent: "kept"}
    assert erase_due(store, "missing-link", now, actor="admin:jo") == [old]
    with pytest.raises(RecordErased):
        store.read("missing-link", old, reader="lead", via="test")
    assert store.read("missing-link", recent, reader="lead", via="test").fields["child_words"] == WORDS
    assert store.verify() == []                       # the chain still checks after erasure
    assert b"locks her" not in open(isolated_store, "rb").read()


def test_a_later_entry_restarts_the_clock(isolated_store, monkeypatch):
    store = ConcernStore.from_env()
    ref = file_at(monkeypatch, store, "missing-link", "2019-03-01T10:00", "k")
    monkeypatch.setenv("SAFEGUARD_NOW", "2024-01-10T10:00")
    store.amend("missing-link", ref, actor="lead", via="inbox", reason="new contact", note="family seen again")
    _, reviews = review(store, "missing-link", datetime(2026, 11, 22, tzinfo=timezone.utc))
    assert reviews[0].status == "kept"


def test_schools_rule_from_date_of_birth_never_erases_what_it_cannot_date(isolated_store, monkeypatch):
    store = ConcernStore.from_env()
    file_at(monkeypatch, store, "grange-primary", "1990-01-01T10:00", "k")
    now = datetime(2026, 11, 22, tzinfo=timezone.utc)
    assert review(store, "grange-primary", now)[1][0].status == "cannot tell"
    assert erase_due(store, "grange-primary", now, actor="admin") == []


def test_no_rule_means_nothing_is_ever_due(isolated_store, monkeypatch):
    store = ConcernStore.from_env()
    file_at(monkeypatch, store, "west-kent", "2000-01-01T10:00", "k")
    rule, reviews = review(store, "west-kent", datetime(2026, 11, 22, tzinfo=timezone.utc))
    assert rule is None and reviews[0].status == "kept"


def test_command_lists_and_erases_only_with_yes(isolated_store, monkeypatch):
    store = ConcernStore.from_env()
    ref = file_at(monkeypatch, store, "missing-link", "2019-03-01T10:00", "k")
    monkeypatch.setenv("SAFEGUARD_NOW", "2026-11-22T10:00")
    run = lambda *a: subprocess.run([sys.executable, "-m", "bot", "records", "retention", "--org", "missing-link", *a],
                                    capture_output=True, text=True, env=dict(os.environ))
    listed = run()
    assert f"{ref}  due" in listed.stdout and "15.7.2" in listed.stdout
    refused = run("--erase")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert store.read("missing-link", ref, reader="lead", via="test")
    erased = run("--erase", "--yes", "--actor", "admin:jo")
    assert f"erased {ref}" in erased.stdout


@pytest.mark.parametrize("bad, field", [("years: six", "retention.years"), ("after: last_visit", "retention.after"),
                                        ("yeers: 6", "retention")])
def test_bad_retention_rule_fails_naming_file_and_field(tmp_path, bad, field):
    from pathlib import Path

    from bot import directory
    text = Path("data/orgs/missing-link.yml").read_text()
    key = bad.split(":")[0]
    original = "  years: 6\n" if key in ("years", "yeers") else "  after: last_entry\n"
    (tmp_path / "missing-link.yml").write_text(text.replace(original, f"  {bad}\n"))
    with pytest.raises(directory.ProfileError) as err:
        directory.load_org("missing-link", tmp_path)
    assert "missing-link.yml" in str(err.value) and field in str(err.value)
