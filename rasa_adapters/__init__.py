"""Adapters that run inside the Rasa server (they may import Rasa; bot/ may not).

Importing this package (Rasa does, to load the tracker store) puts the redacting
filter on Rasa's log handlers, so no name or number reaches its logs.
"""
import logging

from bot.language.redact import RedactingFilter

for _handler in logging.getLogger().handlers:
    _handler.addFilter(RedactingFilter())
