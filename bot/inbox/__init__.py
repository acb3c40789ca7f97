"""The leads' side of a concern: accounts and sign-in, what each account may see, decisions and deadlines.

No HTTP here (bot.web.inbox serves it) and no Rasa: the rules are testable on their own.
"""
