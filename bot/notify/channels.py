"""How an alert reaches a lead: email by SMTP (standard library) and Telegram direct message.

Both take a finished text that holds the reference, urgency, organisation, time and
an acknowledgement link, and never the child's name or words. A failure raises
DeliveryFailed, and the alert stays due to be tried again.
"""
from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage

import httpx

SMTP_HOST = "SAFEGUARD_SMTP_HOST"
SMTP_PORT = "SAFEGUARD_SMTP_PORT"
SMTP_FROM = "SAFEGUARD_SMTP_FROM"
SMTP_USER = "SAFEGUARD_SMTP_USER"
SMTP_PASSWORD = "SAFEGUARD_SMTP_PASSWORD"
SMTP_STARTTLS = "SAFEGUARD_SMTP_STARTTLS"
DEFAULT_API = "https://api.telegram.org/bot"
TIMEOUT = 20.0


class DeliveryFailed(RuntimeError):
    """The message did not go; `reason` is short and holds no content (it is stored)."""


def email_configured() -> bool:
    return bool(os.environ.get(SMTP_HOST, "").strip())


def telegram_configured() -> bool:
    return bool(os.environ.get("TELEGRAM_BOT_TOKEN", "").strip())


class EmailSender:
    """SMTP settings from the environment, read when a message is sent."""

    def send(self, to: str, subject: str, body: str) -> None:
        host = os.environ.get(SMTP_HOST, "").strip()
        if not host:
            raise DeliveryFailed("SMTP not configured")
        port = int(os.environ.get(SMTP_PORT) or 25)
        message = EmailMessage()
        message["From"] = os.environ.get(SMTP_FROM) or "safeguarding-alerts@localhost"
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        try:
            with smtplib.SMTP(host, port, timeout=TIMEOUT) as smtp:
                if os.environ.get(SMTP_STARTTLS, "").strip() == "1":
                    smtp.starttls(context=ssl.create_default_context())
                user = os.environ.get(SMTP_USER, "")
                if user:
                    smtp.login(user, os.environ.get(SMTP_PASSWORD, ""))
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"email: {type(exc).__name__}") from exc


class TelegramSender:
    """A direct message through the Bot API (the same bot the workers use)."""

    def send(self, chat_id: int | str, text: str, buttons: tuple[tuple[str, str], ...] = ()) -> None:
        """`buttons`: (title, callback data) rows, handled by the Telegram bridge."""
        token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise DeliveryFailed("Telegram not configured")
        base = os.environ.get("TELEGRAM_API_URL") or DEFAULT_API
        try:
            answer = httpx.post(f"{base}{token}/sendMessage", timeout=TIMEOUT,
                                json={"chat_id": chat_id, "text": text, "disable_web_page_preview": True,
                                      **({"reply_markup": {"inline_keyboard": [[{"text": t, "callback_data": d}]
                                                                               for t, d in buttons]}}
                                         if buttons else {})})
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"telegram: {type(exc).__name__}") from exc
        try:
            ok = answer.status_code == 200 and answer.json().get("ok") is True
        except ValueError:
            ok = False
        if not ok:
            raise DeliveryFailed(f"telegram: HTTP {answer.status_code}")
