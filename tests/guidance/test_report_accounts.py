"""Accounts written blind keep their report route: a worry about a colleague, an accident, or the
organisation's handling of concerns is never answered with a definition instead of the route's script
and contacts. The signal words were mended on this set, which is why it is tested here."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot import routes
from bot.guidance.knowledge import asks_something

ACCOUNTS = yaml.safe_load((Path(__file__).parent / "report_accounts.yml").read_text(encoding="utf-8"))["messages"]
ROUTE = {"allegation": ("allegation", "colleague-concern", "/allegation_staff"),
         "accident": ("accident", "accident-or-injury", "/accident"),
         "whistleblowing": ("whistleblowing", "whistleblowing", "/whistleblowing")}
# Accounts that end in a question of their own ("...should I do it myself?") may be answered as that
# question, with the route one tap away; this many of them are now. The number may fall, never rise.
GIVEN_WAY_AT_MOST = 4


def _run(account: dict) -> routes.Outcome:
    route = ROUTE[account["kind"]][0]
    return routes.run(route, routes.Context(org="grange-primary", text=account["text"], channel="widget"))


def test_the_set_is_what_its_header_says() -> None:
    kinds = [a["kind"] for a in ACCOUNTS]
    assert (kinds.count("whistleblowing"), kinds.count("allegation"), kinds.count("accident")) == (70, 70, 40)


@pytest.mark.parametrize("account", [a for a in ACCOUNTS if not asks_something(a["text"])],
                         ids=lambda a: a["text"][:40])
def test_an_account_that_asks_nothing_keeps_its_route(account: dict) -> None:
    assert _run(account).topic == ROUTE[account["kind"]][1]


def test_accounts_that_ask_something_mostly_keep_their_route_and_never_lose_it() -> None:
    given = [a for a in ACCOUNTS if _run(a).topic != ROUTE[a["kind"]][1]]
    assert len(given) <= GIVEN_WAY_AT_MOST, [a["text"] for a in given]
    for account in given:
        said = _run(account)
        payloads = [b.payload for r in said.replies for b in r.buttons]
        assert asks_something(account["text"])
        assert ROUTE[account["kind"]][2] in payloads and "999" in said.replies[0].text   # one tap back to it
