"""Core of the safeguarding guide: plain Python, no Rasa, no Telegram, no HTTP."""
