"""The JSON API as the widget's quick-answer panel (or a poster printer) calls it."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.web_process import web_app


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    with web_app(tmp_path_factory.mktemp("api")) as url:
        yield url


def get(url: str, headers: dict | None = None) -> tuple[int, dict, dict]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read())


def test_friday_evening_independence_project_plan(api):
    status, _, doc = get(f"{api}/api/v1/orgs/independence-project/who-to-call?at=2026-11-20T18:00")
    assert status == 200
    assert {"org", "at", "area", "topic", "steps"} <= set(doc)
    open_now = {s["phone"] for s in doc["steps"] if s["open_now"]}
    assert "0345 606 1212" in open_now and "0345 603 7627" not in open_now


def test_area_and_topic_are_honoured(api):
    _, _, doc = get(f"{api}/api/v1/orgs/missing-link/who-to-call?topic=immediate-danger&area=Bath&at=2026-11-17T11:00")
    assert doc["steps"][0]["phone"] == "999"
    assert doc["area"] and "bath" in doc["area"]


def test_unknown_org_is_404_listing_the_ids(api):
    status, _, doc = get(f"{api}/api/v1/orgs/nowhere/who-to-call")
    assert status == 404 and "grange-primary" in doc["orgs"]


@pytest.mark.parametrize("query, word", [("topic=gossip", "topics"), ("at=yesterday", "ISO 8601")])
def test_bad_parameters_are_400_with_a_reason(api, query, word):
    status, _, doc = get(f"{api}/api/v1/orgs/grange-primary/who-to-call?{query}")
    assert status == 400 and word in json.dumps(doc)


def test_security_headers_and_cors_only_for_configured_origin(api):
    _, headers, _ = get(f"{api}/api/v1/orgs", {"Origin": "http://localhost:8000"})
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["Access-Control-Allow-Origin"] == "http://localhost:8000"
    _, headers, _ = get(f"{api}/api/v1/orgs", {"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers


def test_org_list_names_every_profile(api):
    _, _, doc = get(f"{api}/api/v1/orgs")
    assert [o["id"] for o in doc["orgs"]] == ["bucks-toolkit", "grange-primary", "independence-project",
                                              "missing-link", "west-kent"]
