"""Every test runs with its own database and key, and a known clock unless it sets one."""
from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

TEST_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    from bot.concerns import store
    monkeypatch.setenv("SAFEGUARD_KEYS", TEST_KEY)
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{tmp_path / 'concerns.db'}")
    store.default_store.cache_clear()
    yield tmp_path / "concerns.db"
    store.default_store.cache_clear()
