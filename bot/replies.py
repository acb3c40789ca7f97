"""What the bot says, independent of channel: text plus optional buttons.

Channels turn buttons into inline keyboards (Telegram) or HTML buttons (widget);
the core never knows which.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        out: dict = {"text": self.text}
        if self.buttons:
            out["buttons"] = [{"title": b.title, "payload": b.payload} for b in self.buttons]
        return out
