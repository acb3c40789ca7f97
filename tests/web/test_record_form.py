"""The secure web form a Telegram chat hands over to: one use, escaped, filed like the chat files."""
from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from bot.concerns import default_store, links
from bot.serve import free_port
from tests.web_process import web_app

FIELDS = {"child_ref": "M.K., year 2", "incident_when": "today 10am", "incident_where": "reading corner",
          "child_words": '<img src=x onerror="alert(1)"> daddy puts me in the cupboard', "reporter": "Lee, TA"}


@pytest.fixture
def web(isolated_store, tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_NOW", "2026-11-20T18:00")   # the server's clock and ours agree
    port = free_port()
    monkeypatch.setenv("SAFEGUARD_PUBLIC_URL", f"http://127.0.0.1:{port}")   # the links we make point at it
    with web_app(tmp_path, port) as url:
        yield url


def fetch(url: str, data: dict | None = None) -> tuple[int, str, dict]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=30) as resp:
            return resp.status, resp.read().decode(), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


def test_form_files_once_and_escapes_everything(web):
    url, _ = links.issue(default_store(), "grange-primary", "telegram", "reporter-hash")
    status, page, headers = fetch(url)
    assert status == 200 and "Grange Primary School" in page and "Call 999" in page
    assert "script-src" not in headers["Content-Security-Policy"] and "form-action 'self'" in headers["Content-Security-Policy"]

    status, page, _ = fetch(url, FIELDS)
    assert status == 200
    reference = re.search(r"SG-2026-\d{6}", page).group(0)
    assert "<img" not in page
    assert "0345 606 1212" in page                                  # Friday 18:00: Essex out of hours
    record = default_store().read("grange-primary", reference, reader="test", via="test")
    assert record.fields["child_words"] == FIELDS["child_words"]
    assert record.channel == "web_form"

    status, page, _ = fetch(url, FIELDS)
    assert status == 410 and reference in page
    assert len(default_store().references("grange-primary")) == 1


def test_missing_answers_are_asked_for_and_what_was_typed_is_kept(web):
    url, _ = links.issue(default_store(), "grange-primary", "telegram", "reporter-hash")
    status, page, _ = fetch(url, {**FIELDS, "reporter": ""})
    assert status == 422 and "Please fill in: Your name and role." in page
    assert "daddy puts me in the cupboard" in page and "<img src=x" not in page   # kept, escaped
    assert fetch(url, FIELDS)[0] == 200                              # the link still works


def test_unknown_and_expired_links_are_refused(web):
    from datetime import timedelta
    assert fetch(f"{web}/record/nonsense")[0] == 410
    url, _ = links.issue(default_store(), "grange-primary", "telegram", "r", lifetime=timedelta(seconds=-5))
    status, page, _ = fetch(url)
    assert status == 410 and "expired" in page
