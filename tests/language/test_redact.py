"""Redaction: no phone number, email, postcode or date of birth survives, in text or in logs."""
from __future__ import annotations

import logging
import re

import pytest

from bot.language.redact import RedactingFilter, redact

PHONES = ["07700 900123", "07700900123", "+44 7700 900123", "+447700900123", "0117 496 0000",
          "(0117) 496 0000", "020 7946 0958", "0044 20 7946 0958", "01632-960-001", "0808 800 5000"]
EMAILS = ["jo.bloggs@example.co.uk", "sam+test@mail.example.org", "o'neill@school.sch.uk"]
POSTCODES = ["BS1 4DJ", "bs14dj", "SW1A 1AA", "M1 1AE", "CR2 6XH", "DN55 1PT", "EC1A 1BB"]
DATES = ["12/04/2014", "1-2-15", "2014-04-12", "12.04.2014", "3rd March 2015", "12th of April 2014",
         "April 12th, 2014", "5 June", "June 2015"]


@pytest.mark.parametrize("phone", PHONES)
def test_no_phone_number_survives(phone):
    out = redact(f"mum's number is {phone} if you need it")
    assert "[phone]" in out
    assert not re.search(r"\d{3}", out), out


@pytest.mark.parametrize("email", EMAILS)
def test_no_email_survives(email):
    out = redact(f"email her at {email} please")
    assert out == "email her at [email] please"


@pytest.mark.parametrize("postcode", POSTCODES)
def test_no_postcode_survives(postcode):
    out = redact(f"she lives near {postcode} with her nan")
    assert "[postcode]" in out and postcode not in out


@pytest.mark.parametrize("date", DATES)
def test_no_date_survives(date):
    out = redact(f"the child's date of birth is {date} I think")
    assert "[date]" in out and date not in out, out


def test_dob_with_a_year_only():
    assert redact("DOB: 2014, year 5") == "DOB: [date], year 5"


def test_names_but_not_sentence_starts_or_the_allow_list():
    out = redact("I told the DSL on Monday that Jayden Smith said his dad hit him. She rang the LADO and NSPCC.")
    assert out == "I told the DSL on Monday that [name] said his dad hit him. She rang the LADO and NSPCC."


def test_a_name_first_in_a_sentence_is_caught_when_seen_elsewhere_or_with_a_surname():
    assert redact("Amira said it again. I believe Amira.") == "[name] said it again. I believe [name]."
    assert redact("Jake Smith is in year 4.") == "[name] is in year 4."
    assert redact("Her teacher Mrs Patel rang.") == "Her teacher Mrs [name] rang."
    assert redact("It was O'Neill-Jones again") == "It was [name] again"


def test_a_whole_record_line():
    text = ("Kayla Brown (DOB 03/07/2013) of 14 Acacia Road, BS5 6XX told me on 4th May. "
            "Mum: 07700 900123, kayla.mum@example.com.")
    out = redact(text)
    for secret in ["Kayla", "Brown", "03/07/2013", "Acacia", "BS5 6XX", "07700", "example.com"]:
        assert secret not in out, out
    assert "[name]" in out and "[postcode]" in out and "[phone]" in out and "[email]" in out


def test_plain_words_and_numbers_are_left_alone():
    assert redact("call 999 now, or 101 if it is not urgent") == "call 999 now, or 101 if it is not urgent"
    assert redact("she is 9 and in year 4") == "she is 9 and in year 4"
    assert redact("") == ""


def test_log_records_pass_through_the_filter_redacted(caplog):
    logger = logging.getLogger("test.redaction")
    handler_filter = RedactingFilter()
    logger.addFilter(handler_filter)
    try:
        with caplog.at_level(logging.INFO, logger="test.redaction"):
            logger.info("concern about %s (%s), ring %s", "Jayden Smith", "BS1 4DJ", "07700 900123")
            logger.info("email from jo@example.com about child born 12/04/2014")
    finally:
        logger.removeFilter(handler_filter)
    messages = [r.getMessage() for r in caplog.records]
    assert messages == ["concern about [name] ([postcode]), ring [phone]",
                        "email from [email] about child born [date]"]
    assert all(r.args == () for r in caplog.records)


def test_filter_never_drops_a_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "bad format %s %s", ("only one",), None)
    assert RedactingFilter().filter(record) is True
    assert "only one" in record.getMessage()
