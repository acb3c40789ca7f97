"""Rasa SDK actions. Log handlers get the redacting filter, so no name or number reaches a log."""
import logging

from bot.guidance import classifier
from bot.language.redact import RedactingFilter
from bot.language.text import nlp

for _handler in logging.getLogger().handlers:
    _handler.addFilter(RedactingFilter())

nlp()   # load spaCy at start-up, not during a worker's first answer
classifier.ready()   # and train the guidance topic classifier (about a second)
