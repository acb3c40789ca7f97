"""The Telegram bridge: python-telegram-bot in front, Rasa's `safeguard` channel behind.

Long polling needs nothing but a token (no public HTTPS). Updates are confirmed
to Telegram only after they have been answered, so a crash or a Rasa outage
loses nothing: the update comes back, and Rasa recognises a message it has
already handled by its id (`tg-<update_id>`) and repeats its answer instead of
hearing it twice. Each chat's updates are handled in order; chats run side by side.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (AIORateLimiter, Application, CallbackQueryHandler, CommandHandler, ContextTypes,
                          MessageHandler, filters)

from bot import clock, directory
from bot.concerns import ConcernStore
from bot.concerns.crypto import pseudonym_secret
from bot.notify import engine, leads
from bot.members import ButtonPayloads, Members, Membership, user_key
from bot.replies import Reply
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.telegram import commands, render

log = logging.getLogger(__name__)
CHANNEL = "telegram"
API_URL_ENV = "TELEGRAM_API_URL"      # a local fake Bot API server in tests
NOOP = "noop"
SEND_WAITS = (1.0, 2.0, 4.0, 8.0)     # back-off when Telegram can't be reached


@dataclass(frozen=True)
class Settings:
    token: str
    api_url: str = "https://api.telegram.org/bot"
    poll_timeout: int = 25
    retry_pause: float = 5.0          # after a batch that couldn't be answered, before trying again

    @classmethod
    def from_env(cls) -> "Settings":
        token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise SystemExit("TELEGRAM_BOT_TOKEN is not set: see the README, 'Telegram'")
        return cls(token, os.environ.get(API_URL_ENV) or cls.api_url,
                   int(os.environ.get("TELEGRAM_POLL_TIMEOUT", cls.poll_timeout)),
                   float(os.environ.get("TELEGRAM_RETRY_PAUSE", cls.retry_pause)))


class Bridge:
    def __init__(self, settings: Settings, store: ConcernStore, rasa: RasaClient | None = None):
        self.settings = settings
        self.rasa = rasa or RasaClient()
        self.store = store
        self.members = Members(store, CHANNEL)
        self.payloads = ButtonPayloads(store)
        self._secret = pseudonym_secret()
        self._failed: set[int] = set()                       # couldn't be answered: not confirmed
        self._warned: set[int] = set()                       # told the worker we're having trouble
        self._done: OrderedDict[int, None] = OrderedDict()   # answered, in case the batch comes back
        self._chat_locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._stopping = asyncio.Event()
        self.app = (Application.builder().token(settings.token).base_url(settings.api_url)
                    .base_file_url(settings.api_url.replace("/bot", "/file/bot"))
                    .updater(None).rate_limiter(AIORateLimiter(max_retries=3))
                    .get_updates_read_timeout(settings.poll_timeout + 10).build())
        self._add_handlers()

    # ── wiring ──────────────────────────────────────────────────────────────

    def _add_handlers(self) -> None:
        app = self.app
        app.add_handler(CommandHandler("start", self.on_start))
        app.add_handler(CommandHandler("org", self.on_org))
        app.add_handler(CommandHandler("call", self.on_call))
        app.add_handler(CommandHandler("danger", self.on_danger))
        app.add_handler(CommandHandler("new", self.on_new))
        app.add_handler(CommandHandler("help", self.on_help))
        app.add_handler(CommandHandler("lead", self.on_lead))   # not in the menu: leads only, with a code
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.on_text))
        app.add_handler(MessageHandler(filters.ALL & ~filters.COMMAND, self.on_other))
        app.add_error_handler(self.on_error)

    async def start(self) -> None:
        await self.app.initialize()
        await self.app.start()
        await self._telegram(self.app.bot.set_my_commands,
                             [BotCommand(name, what) for name, what in commands.COMMANDS])

    async def stop(self) -> None:
        self._stopping.set()
        await self.app.stop()
        await self.app.shutdown()
        await self.rasa.aclose()

    # ── long polling ────────────────────────────────────────────────────────

    async def start_when_reachable(self) -> None:
        """Telegram down at start-up must not stop the bot's other channels: keep trying."""
        wait = 1.0
        while True:
            try:
                await self.start()
                return
            except (NetworkError, TimedOut) as exc:
                log.warning("Telegram unreachable at start-up (%s); retrying in %.0fs", type(exc).__name__, wait)
                await asyncio.sleep(wait)
                wait = min(wait * 2, 60.0)

    async def run_polling(self) -> None:
        await self.start_when_reachable()
        await self._telegram(self.app.bot.delete_webhook)
        log.info("Telegram bridge polling as @%s", self.app.bot.username)
        offset: int | None = None
        wait = 1.0
        try:
            while not self._stopping.is_set():
                try:
                    updates = await self.app.bot.get_updates(offset=offset, timeout=self.settings.poll_timeout,
                                                             allowed_updates=["message", "callback_query"])
                    wait = 1.0
                except (NetworkError, TimedOut) as exc:
                    log.warning("Telegram unreachable (%s); retrying in %.0fs", type(exc).__name__, wait)
                    await asyncio.sleep(wait)
                    wait = min(wait * 2, 60.0)
                    continue
                if updates:
                    offset, complete = await self.handle_batch(list(updates))
                    if not complete:
                        await asyncio.sleep(self.settings.retry_pause)
        finally:
            await self.stop()

    async def handle_batch(self, updates: list[Update]) -> tuple[int, bool]:
        """Answer a batch, each chat in order; (offset to confirm up to, whether all were answered)."""
        by_chat: dict[Any, list[Update]] = defaultdict(list)
        for update in updates:
            chat = update.effective_chat.id if update.effective_chat else f"u{update.update_id}"
            by_chat[chat].append(update)
        firsts_failed = await asyncio.gather(*(self._handle_chat(us) for us in by_chat.values()))
        failed = [uid for uid in firsts_failed if uid is not None]
        if failed:
            return min(failed), False
        return updates[-1].update_id + 1, True

    async def _handle_chat(self, updates: list[Update]) -> int | None:
        for update in updates:
            if update.update_id in self._done:
                continue
            await self.process(update)
            if update.update_id in self._failed:
                self._failed.discard(update.update_id)
                return update.update_id          # later messages wait, to keep their order
            self._done[update.update_id] = None
            while len(self._done) > 10_000:
                self._done.popitem(last=False)
        return None

    async def process(self, update: Update) -> None:
        chat = update.effective_chat.id if update.effective_chat else 0
        async with self._chat_locks[chat]:
            await self.app.process_update(update)

    # ── handlers ────────────────────────────────────────────────────────────

    def _key(self, update: Update) -> str:
        return user_key(CHANNEL, update.effective_user.id, self._secret)

    def _member(self, update: Update) -> Membership | None:
        return self.members.get(self._key(update))

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        argument = context.args[0] if context.args else None
        member = self._member(update)
        if argument is None and member is not None:
            await self._say(update, commands.joined(member.org))
            return
        await self._join(update, argument)

    async def on_org(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.args:
            await self._join(update, " ".join(context.args))
            return
        member = self._member(update)
        intro = "Which organisation are you with?"
        if member:
            intro = f"You're set up for {directory.load_org(member.org).name}. To change, choose:"
        await self._say(update, [commands.choose_org(intro)])

    async def _join(self, update: Update, argument: str | None) -> None:
        org, replies = commands.join(argument)
        if org:
            self.members.join(self._key(update), org)
        await self._say(update, replies)

    async def on_call(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        member = self._member(update)
        await self._say(update, commands.call(member and member.org, member and member.area, clock.now()))

    async def on_danger(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """999 at once, from the core; then Rasa is told quietly, so a record started next is marked urgent."""
        member = self._member(update)
        await self._say(update, commands.danger(member and member.org, member and member.area, clock.now()))
        if member:
            try:
                await self.rasa.send(self._key(update), "/immediate_danger", f"tg-{update.update_id}",
                                     {"org": member.org}, CHANNEL)
            except (RasaUnavailable, ValueError):
                pass   # the worker already has 999 and the numbers

    async def on_new(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._converse(update, "/start_concern")

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        member = self._member(update)
        await self._say(update, commands.help_text(member and member.org))

    async def on_lead(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A safeguarding lead registers this chat for alerts with the one-time code they were given."""
        code = " ".join(context.args or ())
        if not code:
            await self._say(update, [Reply("To get alerts here, send /lead followed by the code your "
                                           "administrator gave you, e.g. /lead ABCDE-FGHJK.")])
            return
        await self._say(update, [Reply(leads.register_lead(code, update.effective_chat.id, self.store))])

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._converse(update, update.effective_message.text or "")

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message:
            await self._say(update, [Reply(
                "I can only read text messages. Please type what's happened; please don't send photos of a "
                "child or their injuries here. If anyone is in danger right now, call 999.")])

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await self._telegram(query.answer)
        data = query.data or ""
        if data == NOOP:
            return
        title = _title_of(query.message, data) if query.message else None
        if data.startswith(engine.ACK_PREFIX):
            await self._acknowledge(update, query, data.removeprefix(engine.ACK_PREFIX))
            return
        if data.startswith(commands.JOIN_PREFIX):
            await self._mark(query, title)
            await self._join(update, data.removeprefix(commands.JOIN_PREFIX))
            return
        payload = self.payloads.decode(data)
        if payload is None:
            await self._say(update, [Reply("That button has expired. Please type what you need, "
                                                    "or use /help. If anyone is in danger, call 999.")])
            return
        await self._mark(query, title)
        self._remember_choice(update, payload)
        await self._converse(update, payload)

    async def _acknowledge(self, update: Update, query: Any, token: str) -> None:
        """A lead's one tap on an alert: escalation stops, and the concern's history says who and when."""
        try:
            done = engine.AlertEngine(self.store).acknowledge(token, via="telegram")
        except engine.AckRefused as exc:
            await self._say(update, [Reply(str(exc))])
            return
        await self._mark(query, "Acknowledged")
        who = "You acknowledged" if done.now else f"Already acknowledged by {done.by}"
        await self._say(update, [Reply(f"{who} {done.reference}. Nobody else will be alerted about it.")])

    def _remember_choice(self, update: Update, payload: str) -> None:
        """An organisation or area chosen in the conversation is this user's from now on."""
        name, _, raw = payload.partition("{")
        if name not in ("/choose_org", "/choose_area") or not raw:
            return
        try:
            value = json.loads("{" + raw)
        except ValueError:
            return
        key = self._key(update)
        if name == "/choose_org" and isinstance(value.get("org_choice"), str):
            org, _ = commands.join(value["org_choice"])
            if org:
                self.members.join(key, org)
        elif name == "/choose_area" and isinstance(value.get("area_choice"), str):
            self.members.set_area(key, value["area_choice"])

    async def _mark(self, query: Any, title: str | None) -> None:
        """Replace the keyboard with the choice made, so it can't be pressed twice."""
        marked = InlineKeyboardMarkup([[InlineKeyboardButton(f"✓ {title or 'Chosen'}", callback_data=NOOP)]])
        try:
            await self._telegram(query.edit_message_reply_markup, reply_markup=marked)
        except BadRequest:
            pass   # too old to edit, or already marked

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("Telegram update failed: %s", type(context.error).__name__)   # never the message
        if not (isinstance(update, Update) and update.effective_chat):
            return
        kept = isinstance(context.error, SQLAlchemyError)   # the database is down: keep the update, try later
        if kept:
            self._failed.add(update.update_id)
            if update.update_id in self._warned:
                return
            self._warned.add(update.update_id)
        then = "Your message isn't lost: I'll answer it when I can." if kept else "Please send that again."
        await self._say(update, [Reply(f"Sorry, something went wrong on my side. {then} "
                                       "If anyone is in danger right now, call 999, then your safeguarding lead.")])

    # ── talking to Rasa and to Telegram ─────────────────────────────────────

    async def _converse(self, update: Update, text: str) -> None:
        member = self._member(update)
        metadata: dict[str, Any] = {"telegram_chat": str(update.effective_chat.id)}   # to tell the worker later
        if member:
            metadata["org"] = member.org
        typing = asyncio.create_task(self._typing(update.effective_chat.id))
        try:
            replies = await self.rasa.send(self._key(update), text, f"tg-{update.update_id}", metadata, CHANNEL)
        except RasaUnavailable:
            self._failed.add(update.update_id)
            await self._offline(update, member)
            return
        except ValueError:
            replies = [{"text": "That message is too long for me. Please send it in two parts."}]
        finally:
            typing.cancel()
        await self._send(update.effective_chat.id, render.from_rasa(replies))

    async def _offline(self, update: Update, member: Membership | None) -> None:
        if update.update_id in self._warned:
            return
        self._warned.add(update.update_id)
        notice = Reply("I can't reach my conversation server just now. Your message isn't lost: "
                                "I'll answer it as soon as I can. If anyone is in danger right now, call 999.")
        await self._say(update, [notice, *commands.call(member and member.org, member and member.area, clock.now())])

    async def _typing(self, chat_id: int) -> None:
        """Telegram shows 'typing…' for about 5 seconds; repeat until the answer is ready."""
        try:
            while True:
                await self._telegram(self.app.bot.send_chat_action, chat_id, ChatAction.TYPING)
                await asyncio.sleep(4)
        except (TelegramError, asyncio.CancelledError):
            return

    async def _say(self, update: Update, replies: list) -> None:
        await self._send(update.effective_chat.id, render.from_core(replies))

    async def _send(self, chat_id: int, messages: list[render.Outgoing]) -> None:
        for message in messages:
            markup = None
            if message.buttons:
                markup = InlineKeyboardMarkup([[InlineKeyboardButton(title[:64], callback_data=self.payloads.encode(p))]
                                               for title, p in message.buttons])
            try:
                await self._telegram(self.app.bot.send_message, chat_id, message.text, reply_markup=markup)
            except Forbidden:
                log.info("a Telegram user has blocked the bot; reply dropped")
                return

    async def _telegram(self, call: Any, *args: Any, **kwargs: Any) -> Any:
        """A Bot API call, retried with back-off while Telegram can't be reached."""
        for wait in (*SEND_WAITS, None):
            try:
                return await call(*args, **kwargs)
            except RetryAfter as exc:          # the rate limiter's own retries ran out
                if wait is None:
                    raise
                await asyncio.sleep(float(getattr(exc.retry_after, "total_seconds", lambda: exc.retry_after)()))
            except (NetworkError, TimedOut) as exc:
                if wait is None or isinstance(exc, BadRequest):
                    raise
                log.warning("Telegram call failed (%s); retrying in %.0fs", type(exc).__name__, wait)
                await asyncio.sleep(wait)


def _title_of(message: Any, data: str) -> str | None:
    markup = getattr(message, "reply_markup", None)
    for row in getattr(markup, "inline_keyboard", ()) or ():
        for button in row:
            if button.callback_data == data:
                return button.text
    return None
