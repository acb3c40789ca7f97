"""The Telegram bridge: long polling (or a webhook) to Rasa, on python-telegram-bot."""
