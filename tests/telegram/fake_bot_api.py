"""A local stand-in for Telegram's Bot API, at the network edge: the real
python-telegram-bot talks HTTP to it exactly as it would to api.telegram.org.

It keeps users' pending updates (confirmed by getUpdates' offset, as Telegram
does), records everything the bot sends, and can be told to fail.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Safeguarding guide", "username": "safeguard_test_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


@dataclass
class Sent:
    method: str
    params: dict[str, Any]
    message_id: int | None = None
    at: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        return self.params.get("text", "")

    @property
    def buttons(self) -> list[tuple[str, str]]:
        markup = self.params.get("reply_markup") or {}
        return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


class FakeBotAPI:
    def __init__(self, token: str = "123456:TEST-TOKEN"):
        self.token = token
        self.calls: list[Sent] = []
        self._updates: list[dict] = []
        self._next_update = 1000
        self._next_message = 1
        self._messages: dict[int, dict] = {}      # the bot's messages, as a chat client would see them
        self._cond = threading.Condition()
        self._failures: dict[str, int] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ── lifecycle ──────────────────────────────────────────────────────────

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def start(self) -> "FakeBotAPI":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ── what a user does ───────────────────────────────────────────────────

    def user_sends(self, user_id: int, text: str, first_name: str = "Sam") -> int:
        message: dict[str, Any] = {"message_id": self._new_message_id(), "date": int(time.time()),
                                   "chat": {"id": user_id, "type": "private", "first_name": first_name},
                                   "from": {"id": user_id, "is_bot": False, "first_name": first_name},
                                   "text": text}
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._push({"message": message})

    def user_presses(self, user_id: int, title: str, in_message: Sent | None = None) -> int:
        """Press the button with this title on the bot's latest message that has it."""
        sent = in_message or self.latest_with_button(user_id, title)
        data = dict(sent.buttons)[title]
        message = self._messages[sent.message_id]
        return self._push({"callback_query": {
            "id": f"cq{self._next_update}", "chat_instance": f"ci{user_id}", "data": data, "message": message,
            "from": {"id": user_id, "is_bot": False, "first_name": "Sam"}}})

    def _push(self, body: dict) -> int:
        with self._cond:
            self._next_update += 1
            update_id = self._next_update
            self._updates.append({"update_id": update_id, **body})
            self._cond.notify_all()
        return update_id

    def _new_message_id(self) -> int:
        with self._cond:
            self._next_message += 1
            return self._next_message

    # ── what the test reads ────────────────────────────────────────────────

    def sent_to(self, chat_id: int, method: str = "sendMessage") -> list[Sent]:
        return [c for c in self.calls if c.method == method and int(c.params.get("chat_id", 0)) == chat_id]

    def latest_with_button(self, chat_id: int, title: str) -> Sent:
        for sent in reversed(self.sent_to(chat_id)):
            if title in dict(sent.buttons):
                return sent
        raise AssertionError(f"no message to {chat_id} has a button {title!r}; "
                             f"sent: {[s.text[:60] for s in self.sent_to(chat_id)]}")

    def wait_for(self, chat_id: int, count: int, timeout: float = 60.0, contains: str | None = None) -> list[Sent]:
        """Wait until at least `count` messages have reached this chat (or one containing `contains`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sent = self.sent_to(chat_id)
            if len(sent) >= count and (contains is None or any(contains in s.text for s in sent)):
                time.sleep(0.3)   # let the rest of a burst arrive
                return self.sent_to(chat_id)
            time.sleep(0.05)
        raise AssertionError(f"waited {timeout:.0f}s for {count} messages to {chat_id}"
                             f"{' containing ' + repr(contains) if contains else ''}; got "
                             f"{[s.text[:80] for s in self.sent_to(chat_id)]}")

    def pending(self) -> int:
        with self._cond:
            return len(self._updates)

    def fail(self, method: str, times: int) -> None:
        """The next `times` calls of `method` get a 502, as when Telegram is unreachable."""
        self._failures[method] = times

    # ── the API ────────────────────────────────────────────────────────────

    def _call(self, method: str, params: dict[str, Any]) -> tuple[int, dict]:
        if self._failures.get(method):
            self._failures[method] -= 1
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        record = Sent(method, params)
        result: Any = True
        if method == "getMe":
            result = BOT_USER
        elif method == "sendMessage":
            record.message_id = self._new_message_id()
            result = {"message_id": record.message_id, "date": int(time.time()), "from": BOT_USER,
                      "chat": {"id": int(params["chat_id"]), "type": "private"}, "text": params.get("text", "")}
            if params.get("reply_markup"):
                result["reply_markup"] = params["reply_markup"]
            self._messages[record.message_id] = result
        elif method == "editMessageReplyMarkup":
            message = dict(self._messages.get(int(params.get("message_id", 0)), {}))
            message["reply_markup"] = params.get("reply_markup")
            result = message or True
        self.calls.append(record)
        return 200, {"ok": True, "result": result}

    def _get_updates(self, params: dict[str, Any]) -> list[dict]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 5.0)
        deadline = time.monotonic() + timeout
        with self._cond:
            if offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]   # confirmed
            while not self._updates and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            return list(self._updates[:100])

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    return self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                status, body = api._call(self.path[len(prefix):], _params(raw, self.headers.get("Content-Type", "")))
                self._reply(status, body)

            do_GET = do_POST

            def _reply(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except BrokenPipeError:
                    pass   # the client gave up waiting (a long poll being cancelled)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def _params(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        return json.loads(raw)
    params: dict[str, Any] = {}
    for key, value in urllib.parse.parse_qsl(raw, keep_blank_values=True):
        try:
            params[key] = json.loads(value) if value[:1] in "[{" else value
        except ValueError:
            params[key] = value
    return params
