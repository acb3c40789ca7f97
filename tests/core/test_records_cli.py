"""`python -m bot records …` as an administrator would run it."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from bot.concerns.store import ConcernStore, Draft


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "records", *args], capture_output=True, text=True,
                          env=dict(os.environ))


def test_verify_list_show_and_tamper(isolated_store):
    store = ConcernStore.from_env()
    ref = store.file(Draft("west-kent", {"child_ref": "AB", "child_words": "he hurt me"}, "rest", "u1", "k1")).reference
    assert cli("verify").returncode == 0
    listed = cli("list", "--org", "west-kent").stdout
    assert ref in listed and "he hurt me" not in listed
    shown = cli("show", "--org", "west-kent", "--ref", ref, "--reader", "lead:jo")
    assert "he hurt me" in shown.stdout
    assert [r for r, _, _ in store.reads_of("west-kent", ref)] == ["lead:jo"]
    with sqlite3.connect(isolated_store) as conn:
        conn.execute("UPDATE entries SET via = 'forged' WHERE seq = 1")
    result = cli("verify")
    assert result.returncode == 1 and "has been changed" in result.stdout


def test_show_unknown_reference_is_a_clear_error(isolated_store):
    ConcernStore.from_env()
    result = cli("show", "--org", "west-kent", "--ref", "SG-2026-000099", "--reader", "lead:jo")
    assert result.returncode == 2 and "no concern SG-2026-000099" in result.stderr and "Traceback" not in result.stderr


def test_flush_files_what_waited_in_the_outbox(isolated_store):
    from bot.concerns.outbox import Outbox
    Outbox.from_env().put(Draft("grange-primary", {"child_ref": "EF", "child_words": "waited"}, "rest", "u2", "k-wait"))
    result = cli("flush")
    assert result.returncode == 0 and "filed SG-" in result.stdout and "outbox empty" in result.stdout
    assert ConcernStore.from_env().count("grange-primary") == 1


def test_no_record_content_in_logs_at_any_level(isolated_store, caplog):
    import logging
    caplog.set_level(logging.DEBUG)
    store = ConcernStore.from_env()
    words = "uncle Tom made me touch him"
    ref = store.file(Draft("west-kent", {"child_ref": "GH, 9", "child_words": words}, "rest", "u3", "k-log")).reference
    store.read("west-kent", ref, reader="lead:x", via="test")
    store.amend("west-kent", ref, actor="lead:x", via="test", reason="fix", changes={"child_ref": "GH, aged 9"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert ref in logged
    for fragment in ("uncle Tom", "touch him", "GH, 9", "GH, aged 9"):
        assert fragment not in logged
