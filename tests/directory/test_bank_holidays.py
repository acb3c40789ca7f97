"""The bank-holiday snapshot must match the `holidays` package it was taken from."""
from __future__ import annotations

from datetime import date

import holidays

from bot.directory import bank_holiday_dates as snap
from bot.directory.bank_holidays import bank_holiday_name, next_working_day


def test_snapshot_matches_the_package():
    for year in range(snap.FIRST_YEAR, snap.LAST_YEAR + 1):
        expected = {d.isoformat(): n for d, n in holidays.UK(subdiv="ENG", years=year).items()}
        got = {k: v for k, v in snap.ENGLAND_AND_WALES.items() if k.startswith(str(year))}
        assert got == expected, f"regenerate with: python -m bot.directory.bank_holidays ({year})"


def test_named_days_and_years_outside_the_snapshot():
    assert bank_holiday_name(date(2026, 5, 25)) == "Spring Bank Holiday"
    assert bank_holiday_name(date(2026, 12, 25)) == "Christmas Day"
    assert bank_holiday_name(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert bank_holiday_name(date(2026, 5, 26)) is None
    assert bank_holiday_name(date(2040, 12, 25)) == "Christmas Day"  # asked of the package


def test_next_working_day():
    assert next_working_day(date(2026, 11, 20)) == date(2026, 11, 23)
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert next_working_day(date(2026, 5, 22)) == date(2026, 5, 26)
