"""The inbox over real HTTP (the web app in its own process): sign-in with two factors, reading and
deciding, and the security properties a reviewer checks first."""
from __future__ import annotations

import re

import httpx
import pytest

from bot.concerns import default_store
from bot.inbox.accounts import MAX_FAILURES, Accounts
from tests.inbox.conftest import FIELDS, ORG, OTHER_ORG, PASSWORD, file, make_person
from tests.web_process import web_app


@pytest.fixture
def web(tmp_path, monkeypatch):
    monkeypatch.delenv("SAFEGUARD_NOW", raising=False)     # real time: the codes come from the real clock
    with web_app(tmp_path) as url:
        yield url


@pytest.fixture
def people():
    accounts = Accounts(default_store())
    return {"lead": make_person(accounts, ORG, "Lee Lead", {"lead"}),
            "deputy": make_person(accounts, ORG, "Dana Hughes", {"deputy"}),
            "admin": make_person(accounts, ORG, "Ada Admin", {"admin"}),
            "other": make_person(accounts, OTHER_ORG, "Gail Grange", {"lead"})}


def csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def browser(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, follow_redirects=True, timeout=30)


def sign_in(url: str, person, code: str | None = None) -> httpx.Client:
    client = browser(url)
    page = client.get("/inbox/sign-in").text
    page = client.post("/inbox/sign-in", data={"csrf": csrf(page), "username": person.username,
                                               "password": PASSWORD}).text
    assert "Enter your code" in page
    client.post("/inbox/code", data={"csrf": csrf(page), "code": code or person.code()})
    return client


def test_lead_signs_in_reads_and_records_a_decision(web, people):
    reference = file(default_store())
    client = sign_in(web, people["lead"])
    listing = client.get("/inbox/concerns")
    assert listing.status_code == 200 and reference in listing.text and "not acknowledged" not in listing.text
    assert FIELDS["child_words"] not in listing.text                 # the list shows no content...
    assert default_store().reads_of(ORG, reference) == []            # ...so it is no read
    page = client.get(f"/inbox/concerns/{reference}").text
    assert "my uncle keeps me at his flat" in page
    [(actor, via, _)] = default_store().reads_of(ORG, reference)
    assert actor == people["lead"].account.actor and via == "inbox"
    page = client.post(f"/inbox/concerns/{reference}/decision", data={
        "csrf": csrf(page), "decision": "refer_social_care", "reasons": "Kept at the flat, no phone: risk of CCE."}).text
    assert "Decision recorded." in page and "Kept at the flat, no phone" in page
    assert "Follow the referral up in writing" in page and "§ 9.9" in page        # the profile's deadline
    history = default_store().read(ORG, reference, reader="test", via="test").history
    assert [h.payload for h in history if h.kind == "decision"] == [
        {"decision": "refer_social_care", "reasons": "Kept at the flat, no phone: risk of CCE."}]


def test_a_decision_without_reasons_is_refused_and_says_why(web, people):
    reference = file(default_store())
    client = sign_in(web, people["lead"])
    page = client.get(f"/inbox/concerns/{reference}").text
    response = client.post(f"/inbox/concerns/{reference}/decision",
                           data={"csrf": csrf(page), "decision": "no_further_action", "reasons": " "})
    assert response.status_code == 400 and "Write the reasons for this decision" in response.text


def test_password_without_code_reaches_nothing(web, people):
    reference = file(default_store())
    client = browser(web)
    page = client.get("/inbox/sign-in").text
    client.post("/inbox/sign-in", data={"csrf": csrf(page), "username": people["lead"].username,
                                        "password": PASSWORD})
    for path in ("/inbox/concerns", f"/inbox/concerns/{reference}", "/inbox/accounts"):
        response = client.get(path)
        assert response.url.path == "/inbox/sign-in", path
    assert default_store().reads_of(ORG, reference) == []
    response = client.post(f"/inbox/concerns/{reference}/decision",
                           data={"csrf": "x", "decision": "monitor", "reasons": "r"})
    assert response.url.path == "/inbox/sign-in"


def test_a_wrong_code_is_refused(web, people):
    client = browser(web)
    page = client.get("/inbox/sign-in").text
    page = client.post("/inbox/sign-in", data={"csrf": csrf(page), "username": people["lead"].username,
                                               "password": PASSWORD}).text
    response = client.post("/inbox/code", data={"csrf": csrf(page), "code": "000000"})
    assert response.status_code == 401 and "code didn&#39;t match" in response.text
    assert client.get("/inbox/concerns").url.path == "/inbox/sign-in"


def test_changing_the_reference_in_the_url_reaches_no_other_organisation(web, people):
    store = default_store()
    file(store, org=OTHER_ORG, key="o1")
    theirs = file(store, org=OTHER_ORG, key="o2")                   # SG-...-000002 exists only at Grange
    mine = file(store)
    client = sign_in(web, people["lead"])
    page = client.get(f"/inbox/concerns/{mine}").text
    for method, path in (("GET", f"/inbox/concerns/{theirs}"), ("GET", f"/inbox/concerns/{theirs}/chronology"),
                         ("POST", f"/inbox/concerns/{theirs}/decision"), ("POST", f"/inbox/concerns/{theirs}/export")):
        response = client.request(method, path, data={"csrf": csrf(page), "decision": "monitor", "reasons": "x",
                                                      "format": "json"} if method == "POST" else None)
        assert response.status_code == 404, path
        assert "my uncle" not in response.text
    assert store.reads_of(OTHER_ORG, theirs) == []
    history = store.read(OTHER_ORG, theirs, reader="test", via="test").history
    assert [h.kind for h in history] == ["filed"]


def test_a_concern_naming_a_deputy_does_not_exist_for_them(web, people):
    reference = file(default_store(), observed="Dana Hughes grabbed his arm")
    client = sign_in(web, people["deputy"])
    assert reference not in client.get("/inbox/concerns").text
    assert client.get(f"/inbox/concerns/{reference}").status_code == 404


def test_an_administrator_manages_accounts_but_reads_no_concerns(web, people):
    reference = file(default_store())
    client = sign_in(web, people["admin"])
    assert client.get(f"/inbox/concerns/{reference}").status_code == 404
    page = client.get("/inbox/accounts").text
    assert "Lee Lead" in page and "Gail Grange" not in page
    page = client.post("/inbox/accounts", data={"csrf": csrf(page), "name": "Nia New", "username": "nia@example.org",
                                                "role": ["deputy"]}).text
    link = re.search(r"(http://[^<\s]+/inbox/set-up/[A-Za-z0-9_-]+)", page).group(1)
    assert "Account added for Nia New" in page
    lead_client = sign_in(web, people["lead"])
    assert lead_client.get("/inbox/accounts").status_code == 403            # leads don't manage accounts
    assert browser(web).get(link.replace(link.split("/inbox")[0], "")).status_code == 200


def test_every_form_needs_its_csrf_token(web, people):
    reference = file(default_store())
    client = sign_in(web, people["lead"])
    page = client.get(f"/inbox/concerns/{reference}").text
    every = {f"/inbox/concerns/{reference}/{kind}" for kind in (
        "decision", "action", "outcome", "categories", "link", "done", "hide", "acknowledge", "export")}
    every |= {"/inbox/sign-out", "/inbox/accounts"} | {f"/inbox/accounts/{people['lead'].account.id}/{a}"
                                                      for a in ("unlock", "reset", "disable")}
    on_page = set(re.findall(r'<form method="post" action="([^"]+)"', page))
    assert len(on_page) == 8 and on_page <= every
    for action in sorted(every):
        response = client.post(action, data={"decision": "monitor", "reasons": "r", "text": "t", "other": reference,
                                             "reason": "r", "category": "neglect", "format": "json"})
        assert response.status_code == 403 and "form had expired" in response.text, action
        response = client.post(action, data={"csrf": "wrong", "text": "t"})
        assert response.status_code == 403, action
    kinds = [h.kind for h in default_store().read(ORG, reference, reader="t", via="t").history]
    assert kinds == ["filed"]                                     # nothing was recorded by any of them
    assert client.get("/inbox/concerns").status_code == 200          # and the session still works
    # a right token from another site's page is refused too
    response = client.post(f"/inbox/concerns/{reference}/action", data={"csrf": csrf(page), "text": "t"},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    # the sign-in form needs its token before any password is checked
    response = browser(web).post("/inbox/sign-in", data={"username": people["lead"].username, "password": PASSWORD})
    assert response.status_code == 403


def test_session_cookie_is_httponly_samesite_and_limited_to_the_inbox(web, people):
    client = browser(web)
    page = client.get("/inbox/sign-in")
    response = client.post("/inbox/sign-in", data={"csrf": csrf(page.text), "username": people["lead"].username,
                                                   "password": PASSWORD}, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "sg_inbox=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/inbox" in cookie
    assert "Secure" not in cookie                                  # plain HTTP here: a Secure cookie would be lost


def test_cookies_are_secure_when_served_over_https(tmp_path, people, monkeypatch):
    monkeypatch.delenv("SAFEGUARD_NOW", raising=False)
    with web_app(tmp_path, SAFEGUARD_PUBLIC_URL="https://inbox.example.org") as url:
        response = browser(url).get("/inbox/sign-in")
        assert "Secure" in response.headers["set-cookie"] and "HttpOnly" in response.headers["set-cookie"]


def test_lock_out_over_http(web, people):
    client = browser(web)
    for _ in range(MAX_FAILURES):
        page = client.get("/inbox/sign-in").text
        response = client.post("/inbox/sign-in", data={"csrf": csrf(page), "username": people["lead"].username,
                                                       "password": "wrong guess"})
        assert response.status_code == 401
    page = client.get("/inbox/sign-in").text
    response = client.post("/inbox/sign-in", data={"csrf": csrf(page), "username": people["lead"].username,
                                                   "password": PASSWORD})
    assert response.status_code == 401 and "locked after 5 failed attempts" in response.text


def test_pages_allow_no_script_and_escape_what_the_record_holds(web, people):
    reference = file(default_store(), child_words='<script>alert("x")</script> he hit me')
    client = sign_in(web, people["lead"])
    response = client.get(f"/inbox/concerns/{reference}")
    assert "&lt;script&gt;alert" in response.text and "<script>" not in response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["cache-control"] == "no-store"


def test_acknowledging_in_the_inbox_and_signing_out(web, people, monkeypatch):
    from bot.notify.engine import AlertEngine
    store = default_store()
    reference = file(store)
    engine = AlertEngine(store)
    # no alert chain: nothing to acknowledge, and the page says nothing about alerts
    client = sign_in(web, people["lead"])
    page = client.get(f"/inbox/concerns/{reference}").text
    assert "stop the alerts" not in page
    assert engine.acknowledge_in_inbox(ORG, reference, "x", "y") is None
    page = client.post("/inbox/sign-out", data={"csrf": csrf(page)}).text
    assert "Sign in" in page and client.get("/inbox/concerns").url.path == "/inbox/sign-in"


def test_what_a_lead_typed_is_kept_when_a_form_is_refused_and_long_reasons_are_kept_whole(web, people):
    reference = file(default_store())
    client = sign_in(web, people["lead"])
    page = client.get(f"/inbox/concerns/{reference}").text
    reasons = "<b>Spoke to mum.</b> " + "Long reasoning. " * 700            # over 11,000 characters
    response = client.post(f"/inbox/concerns/{reference}/decision", data={"csrf": csrf(page), "reasons": reasons})
    assert response.status_code == 400 and "Choose one of the decisions" in response.text
    assert "&lt;b&gt;Spoke to mum.&lt;/b&gt; Long reasoning." in response.text      # refilled, escaped
    page = client.post(f"/inbox/concerns/{reference}/decision", data={
        "csrf": csrf(response.text), "decision": "monitor", "reasons": reasons}).text
    assert "Decision recorded." in page and "<b>Spoke" not in page
    history = default_store().read(ORG, reference, reader="t", via="t").history
    assert [h.payload["reasons"] for h in history if h.kind == "decision"] == [reasons.strip()]


def test_a_database_that_is_down_gets_a_calm_page_not_a_crash(tmp_path, people, monkeypatch):
    monkeypatch.delenv("SAFEGUARD_NOW", raising=False)
    with web_app(tmp_path, SAFEGUARD_DATABASE_URL="postgresql+psycopg2://nobody@127.0.0.1:9/records") as url:
        client = browser(url)
        page = client.get("/inbox/sign-in")
        assert page.status_code == 200
        response = client.post("/inbox/sign-in", data={"csrf": csrf(page.text), "username": "a", "password": "b"})
        assert response.status_code == 503 and "can&#39;t be reached" in response.text and "999" in response.text
        assert "Traceback" not in (tmp_path / f"web-{url.rsplit(':', 1)[1]}.log").read_text()
