"""Rasa SDK actions. Log handlers get the redacting filter, so no name or number reaches a log."""
import logging

from bot.language.redact import RedactingFilter

for _handler in logging.getLogger().handlers:
    _handler.addFilter(RedactingFilter())
