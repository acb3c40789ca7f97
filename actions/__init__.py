"""Rasa SDK actions. Log handlers get the redacting filter, so no name or number reaches a log."""
import logging

from bot.language.redact import RedactingFilter
from bot.language.text import nlp

for _handler in logging.getLogger().handlers:
    _handler.addFilter(RedactingFilter())

nlp()   # load spaCy at start-up, not during a worker's first answer
