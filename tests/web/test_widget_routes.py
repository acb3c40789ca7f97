"""The widget's routes on the web app, without a browser: files, demo pages, CSP, CORS, forget."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from sqlalchemy import create_engine

from bot.concerns.conversations import ConversationVault
from bot.concerns.crypto import FieldCipher
from bot.serve import ROOT, _wait_for, free_port
from bot.web.widget import STATIC
from tests.conftest import TEST_KEY

ALLOWED = "http://intranet.example"
RASA = "http://bot.example:5005"


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("widget-web")
    port = free_port()
    env = dict(os.environ, SAFEGUARD_KEYS=TEST_KEY, SAFEGUARD_CORS=f"{ALLOWED},http://localhost:{port}",
               SAFEGUARD_RASA_URL=RASA, SAFEGUARD_CONVERSATIONS_URL=f"sqlite:///{tmp / 'conversations.db'}",
               SAFEGUARD_DATABASE_URL=f"sqlite:///{tmp / 'concerns.db'}")
    proc = subprocess.Popen([sys.executable, "-m", "bot", "web", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        _wait_for(f"http://127.0.0.1:{port}/api/v1/health", [proc], timeout=60)
        vault = ConversationVault(create_engine(env["SAFEGUARD_CONVERSATIONS_URL"], future=True),
                                  FieldCipher([TEST_KEY.encode()]))
        yield f"http://127.0.0.1:{port}", vault
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def call(url: str, method: str = "GET", body: dict | None = None, headers: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode()


def test_the_widget_never_renders_text_as_html_nor_keeps_it_in_local_storage():
    source = (STATIC / "widget.js").read_text()
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)      # the code, not its comments
    source = re.sub(r"(^|\s)//[^\n]*", "", source)
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert risky not in source, risky
    assert not re.search(r"localStorage\s*[.\[]", source)
    assert "sessionStorage.setItem" in source


@pytest.mark.parametrize("path, kind", [("/widget.js", "text/javascript"), ("/widget.css", "text/css"),
                                        ("/demo.css", "text/css")])
def test_static_files_are_served_with_their_types(web, path, kind):
    status, headers, body = call(web[0] + path)
    assert status == 200 and headers["Content-Type"].startswith(kind) and body
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_demo_page_embeds_the_widget_under_its_own_policy(web):
    status, headers, body = call(web[0] + "/demo/grange-primary")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert f'<script src="/widget.js" data-org="grange-primary" data-server="{RASA}" defer></script>' in body
    assert "Grange Primary School" in body
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and f"connect-src 'self' {RASA};" in csp
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "unsafe" not in csp
    assert "not in SAFEGUARD_CORS" in body          # opened as 127.0.0.1, which is not allowed here


def test_demo_page_at_an_allowed_address_has_no_warning(web):
    port = web[0].rsplit(":", 1)[1]
    _, _, body = call(web[0] + "/demo/west-kent", headers={"Host": f"localhost:{port}"})
    assert "not in SAFEGUARD_CORS" not in body


def test_demo_index_lists_every_organisation_and_unknown_is_404(web):
    _, _, body = call(web[0] + "/demo")
    assert all(f'href="/demo/{org}"' in body for org in ("grange-primary", "missing-link", "west-kent"))
    status, _, body = call(web[0] + "/demo/nowhere<script>")
    assert status == 404 and "<script>" not in body.replace("\\u003c", "<").split('"orgs"')[1]


def test_the_api_keeps_the_strict_policy(web):
    _, headers, _ = call(web[0] + "/api/v1/orgs")
    assert headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_forget_deletes_the_conversation(web):
    url, vault = web
    vault.put("tab-1", {"events": [{"event": "user", "text": "worried about a child"}]})
    vault.put("tab-2", {"events": []})
    status, _, body = call(url + "/api/v1/conversations/forget", "POST", {"sender": "tab-1"})
    assert status == 200 and json.loads(body) == {"forgotten": True}
    assert vault.get("tab-1") is None and vault.get("tab-2") is not None
    status, _, body = call(url + "/api/v1/conversations/forget", "POST", {"sender": "tab-1"})
    assert status == 200 and json.loads(body) == {"forgotten": False}


@pytest.mark.parametrize("body", [{}, {"sender": ""}, {"sender": 7}, {"sender": "x" * 129}])
def test_forget_refuses_a_bad_sender(web, body):
    status, _, text = call(web[0] + "/api/v1/conversations/forget", "POST", body)
    assert status == 400 and "sender" in text


def test_forget_allows_configured_origins_only(web):
    preflight = {"Origin": ALLOWED, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    status, headers, _ = call(web[0] + "/api/v1/conversations/forget", "OPTIONS", headers=preflight)
    assert status == 204 and headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in headers["Access-Control-Allow-Methods"]
    _, headers, _ = call(web[0] + "/api/v1/conversations/forget", "OPTIONS",
                         headers={**preflight, "Origin": "http://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers
