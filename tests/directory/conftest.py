"""Fixtures for the directory tests: scratch profile directories."""
from __future__ import annotations

from pathlib import Path

import pytest
from directory_helpers import MINIMAL


@pytest.fixture
def orgs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty profiles directory that the loader reads via SAFEGUARD_ORGS_DIR."""
    d = tmp_path / "orgs"
    d.mkdir()
    monkeypatch.setenv("SAFEGUARD_ORGS_DIR", str(d))
    return d


@pytest.fixture
def write_profile(orgs_dir: Path):
    """write_profile('x', text=None, replace=(old, new)) -> path of a profile in orgs_dir."""

    def write(org_id: str = "x", text: str | None = None, replace: tuple[str, str] | None = None) -> Path:
        body = text if text is not None else MINIMAL.format(id=org_id)
        if replace:
            assert replace[0] in body, replace[0]
            body = body.replace(*replace)
        path = orgs_dir / f"{org_id}.yml"
        path.write_text(body, encoding="utf-8")
        return path

    return write
