"""What the Telegram commands say, decided in the core."""
from __future__ import annotations

from bot import directory
from bot.clock import parse_moment
from bot.telegram import commands

FRIDAY_EVENING = parse_moment("2026-11-20T18:00")
TUESDAY_MORNING = parse_moment("2026-11-17T10:00")


def test_join_by_id_or_name():
    assert commands.join("grange-primary")[0] == "grange-primary"
    assert commands.join("Grange Primary School")[0] == "grange-primary"


def test_unknown_org_names_it_and_lists_every_choice():
    org, replies = commands.join("narnia-academy")
    assert org is None
    assert "narnia-academy" in replies[0].text and "999" in replies[0].text
    assert len(replies[0].buttons) == 5 and all(b.payload.startswith("join:") for b in replies[0].buttons)


def test_call_changes_with_the_hour():
    evening = commands.call("grange-primary", None, FRIDAY_EVENING)[0].text
    morning = commands.call("grange-primary", None, TUESDAY_MORNING)[0].text
    assert "0345 606 1212 (open now" in evening            # Essex out-of-hours team
    assert "0345 603 7627 (open now" in morning            # the Children and Families Hub


def test_danger_puts_999_first_even_without_an_organisation():
    assert commands.danger(None, None, FRIDAY_EVENING)[0].text.startswith("Call 999 now")
    replies = commands.danger("independence-project", None, FRIDAY_EVENING)
    lead = directory.load_org("independence-project").leads[0]
    assert replies[0].text.startswith("Call 999 now")
    assert "1. Police / emergency services: 999" in replies[1].text and lead.name in replies[1].text


def test_help_lists_the_commands_and_999():
    text = commands.help_text("missing-link")[0].text
    assert all(f"/{name}" in text for name, _ in commands.COMMANDS) and "999" in text
    assert "automated" in text
