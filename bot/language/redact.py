"""Take identifying details out of text before it goes anywhere it does not need to be.

Concern records are special-category data about children; logs, analytics and bug
reports must never carry a child's name, a phone number or an address. Redaction is
deliberately greedy: a harmless capitalised word turned into [name] costs nothing,
a missed surname can cost a great deal. It cannot catch names typed in lower case.
"""
from __future__ import annotations

import logging
import re

_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# +44 or 0, then 9-10 more digits with the usual spaces, dashes and brackets.
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)(?:[\s\-.)(]{0,2}\d){9,10}(?!\d)")
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[A-Z]{2}\b", re.IGNORECASE)
DATE = re.compile(
    r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b"                          # 12/04/2014, 1-2-15
    r"|\b\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}\b"                           # 2014-04-12
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?(?:,?\s+\d{{2,4}})?\b"   # 12th of April 2014
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"              # April 12th, 2014
    rf"|\b(?:{_MONTHS})\.?\s+\d{{4}}\b",                                                  # April 2014
    re.IGNORECASE)
DOB = re.compile(r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\s*[:\-]?\s*(?:\d{4}\b)?", re.IGNORECASE)

ALLOWED = {
    "I", "A", "I'm", "I've", "I'll", "I'd", "Im", "Ive", "OK", "Ok",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Mon", "Tue", "Tues", "Wed", "Thu", "Thurs", "Fri", "Sat", "Sun",
    "DSL", "LADO", "NSPCC", "MASH", "FGM", "CSE", "CCE", "PE", "GP", "NHS", "A&E", "UK", "TV", "Childline",
    "Christmas", "Easter", "Mr", "Mrs", "Ms", "Miss", "Dr", "Police", "Prevent", "Year", "Yr",
    "English", "British", "Muslim", "Christian", "Jewish", "Sikh", "Hindu", "Ofsted", "WhatsApp",
    "Snapchat", "Instagram", "TikTok", "Facebook", "Discord", "Google", "Teams", "Zoom", "Mum", "Dad",
}
# A capitalised word (with O'Neill, Smith-Jones) or an initial.
NAME = re.compile(r"(?<![\w\[])[A-Z][a-z]*(?:['\-][A-Z]?[a-z]+)*(?![\w\]])|(?<![\w\[])[A-Z]\.(?=\s)")
SENTENCE_END = re.compile(r"(^|[.!?:;\n\"“(]\s*|\s-\s)$")


def _is_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or bool(SENTENCE_END.search(before[-3:] if len(before) >= 3 else before)) \
        or before[-1] in ".!?\n:;\"“("


def _redact_names(text: str) -> str:
    matches = [m for m in NAME.finditer(text) if m.group(0) not in ALLOWED and len(m.group(0)) > 1]
    # Words seen mid-sentence are names wherever they appear, even first in a sentence.
    known = {m.group(0) for m in matches if not _is_sentence_start(text, m.start())}
    out, last = [], 0
    for i, match in enumerate(matches):
        word = match.group(0)
        followed_by_name = i + 1 < len(matches) and text[match.end():matches[i + 1].start()] == " "
        if _is_sentence_start(text, match.start()) and word not in known and not followed_by_name \
                and not _after_title(text, match.start()):
            continue
        out.append(text[last:match.start()])
        out.append("[name]")
        last = match.end()
    out.append(text[last:])
    # "[name] [name]" (first name and surname) reads better as one.
    return re.sub(r"\[name\](?:\s+\[name\])+", "[name]", "".join(out))


def _after_title(text: str, start: int) -> bool:
    return bool(re.search(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+$", text[:start]))


def redact(text: str) -> str:
    """The same text with phone numbers, emails, postcodes, dates and name-like words replaced
    by [phone], [email], [postcode], [date] and [name]."""
    if not text:
        return text
    text = EMAIL.sub("[email]", text)
    text = DATE.sub("[date]", text)          # before phones: 12/04/2014 is not a number to ring
    text = PHONE.sub("[phone]", text)
    text = POSTCODE.sub("[postcode]", text)
    text = DOB.sub(lambda m: m.group(0) if not re.search(r"\d{4}", m.group(0)) else
                   re.sub(r"\d{4}", "[date]", m.group(0)), text)
    return _redact_names(text)


class RedactingFilter(logging.Filter):
    """Attach to a handler (or logger) so nothing identifying reaches the log file.

    The record's message is formatted first and its args cleared, so a name passed as an
    argument ("filed for %s") is redacted just like one written into the message.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:   # a malformed record is still logged, redacted as best we can
            message = " ".join(str(part) for part in (record.msg, *(record.args or ())))
        record.msg = redact(message)
        record.args = ()
        return True
