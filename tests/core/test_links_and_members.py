"""One-time form links and chat memberships, kept in the records database."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.concerns import default_store, links
from bot.members import ButtonPayloads, Members, user_key


def test_a_link_works_once(monkeypatch):
    monkeypatch.setenv("SAFEGUARD_PUBLIC_URL", "https://guide.example.org")
    store = default_store()
    url, _ = links.issue(store, "grange-primary", "telegram", "abc")
    assert url.startswith("https://guide.example.org/record/")
    token = url.rsplit("/", 1)[1]
    link = links.check(store, token)
    assert link.org == "grange-primary"
    assert links.spend(store, link, "SG-2026-000001") is True
    assert links.spend(store, link, "SG-2026-000002") is False
    with pytest.raises(links.LinkRefused, match="already been used .*SG-2026-000001"):
        links.check(store, token)


def test_an_expired_or_unknown_link_is_refused():
    store = default_store()
    url, _ = links.issue(store, "grange-primary", "telegram", "abc", lifetime=timedelta(seconds=-1))
    with pytest.raises(links.LinkRefused, match="expired"):
        links.check(store, url.rsplit("/", 1)[1])
    with pytest.raises(links.LinkRefused, match="isn't one I know"):
        links.check(store, "not-a-token")


def test_only_the_tokens_hash_is_stored(isolated_store):
    url, _ = links.issue(default_store(), "grange-primary", "telegram", "abc")
    assert url.rsplit("/", 1)[1].encode() not in isolated_store.read_bytes()


def test_membership_survives_a_new_store_and_can_change():
    key = user_key("telegram", 123456789, b"secret")
    Members(default_store(), "telegram").join(key, "grange-primary")
    default_store.cache_clear()
    members = Members(default_store(), "telegram")
    assert members.get(key).org == "grange-primary"
    members.join(key, "missing-link", "bath")
    assert (members.get(key).org, members.get(key).area) == ("missing-link", "bath")
    assert members.get(user_key("telegram", 1, b"secret")) is None


def test_user_key_is_stable_and_does_not_contain_the_id():
    assert user_key("telegram", 123456789, b"s") == user_key("telegram", 123456789, b"s")
    assert user_key("telegram", 123456789, b"s") != user_key("telegram", 123456789, b"t")
    assert "123456789" not in user_key("telegram", 123456789, b"s")


def test_long_button_payloads_fit_telegrams_64_bytes():
    payloads = ButtonPayloads(default_store())
    short = '/choose_org{"org_choice":"grange-primary"}'
    long = '/choose_area{"area_choice":"' + "bath-and-north-east-somerset-and-beyond" + '"}'
    assert payloads.encode(short) == short
    encoded = payloads.encode(long)
    assert len(encoded.encode()) <= 64 and payloads.decode(encoded) == long
    assert payloads.decode("#0000000000000000000a") is None
