"""Every test runs with its own database and key, and a known clock unless it sets one."""
from __future__ import annotations

import os
import uuid

import pytest
from cryptography.fernet import Fernet

TEST_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    from bot.concerns import conversations, outbox, store
    monkeypatch.setenv("SAFEGUARD_KEYS", TEST_KEY)
    monkeypatch.setenv("SAFEGUARD_PSEUDONYM_KEY", "test-pseudonym-secret")
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{tmp_path / 'concerns.db'}")
    monkeypatch.setenv("SAFEGUARD_CONVERSATIONS_URL", f"sqlite:///{tmp_path / 'conversations.db'}")
    caches = (store.default_store, outbox.default_outbox, conversations.default_vault)
    for cache in caches:
        cache.cache_clear()
    yield tmp_path / "concerns.db"
    for cache in caches:
        cache.cache_clear()


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database for one test, on the server make test started."""
    admin_url = os.environ.get("SAFEGUARD_TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip("PostgreSQL tests run under `make test`, which starts a private server")
    from sqlalchemy import create_engine, text
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin_url.replace("/postgres?", f"/{name}?")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
