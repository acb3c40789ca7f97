"""Alerts that escalate until someone acknowledges.

When a concern is filed, the first deliverable recipient in the organisation's
`alerts` list is alerted (email and/or Telegram). If nobody acknowledges within
the window (urgent or standard minutes), the next is alerted, and so on; when the
list runs out, that is recorded. Every send, acknowledgement and escalation is a
ledger entry in the concern's history.

All state is in the records database, none in memory, so any number of workers,
restarted at any time, send each message once: a worker claims a message with an
UPDATE ... WHERE sent_at IS NULL AND unclaimed, and marks it sent in the same
transaction as its ledger entry. Escalating is a compare-and-set on the chain's
step. A failed send stays due and is retried with back-off.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import clock, directory
from bot.concerns import links
from bot.concerns.chain import utc
from bot.concerns.model import AlertChainRow, AlertSendRow, AlertTokenRow, ConcernRow
from bot.concerns.store import ConcernStore
from bot.directory.model import AlertRecipient, Organisation
from bot.inbox import hiding
from bot.notify import channels, leads

log = logging.getLogger("safeguard.alerts")

LEASE = timedelta(minutes=5)           # a claimed message another worker may retry after (the sender died)
RETRY_FIRST, RETRY_MAX = timedelta(seconds=30), timedelta(minutes=10)
ACTOR = "system:alerts"
WORKER = "the worker who filed it"     # the recipient of the last message, when nobody acknowledged


@dataclass
class Tick:
    """What one pass of the worker did (references and recipients only)."""
    sent: list[tuple[str, str, str]] = field(default_factory=list)        # reference, recipient, channel
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    escalated: list[tuple[str, str]] = field(default_factory=list)        # reference, new recipient
    exhausted: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Acknowledged:
    org: str
    reference: str
    by: str                 # the recipient who acknowledged first
    at: datetime
    now: bool               # False when someone had acknowledged already


@dataclass(frozen=True)
class AckState:
    """What an acknowledgement link points at, before anyone presses it."""
    org: str
    reference: str
    recipient: str
    acknowledged_by: str | None
    acknowledged_at: datetime | None


class AckRefused(LookupError):
    """The acknowledgement link is unknown."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _org(org_id: str) -> Organisation | None:
    try:
        return directory.load_org(org_id)
    except (directory.UnknownOrganisation, directory.ProfileError):
        return None


ACK_PREFIX = "ack:"            # callback data of the Telegram alert's button (47 bytes with the token)
ACK_BUTTON = "I've seen it: acknowledge"


class AlertEngine:
    def __init__(self, store: ConcernStore, email: channels.EmailSender | None = None,
                 telegram: channels.TelegramSender | None = None, worker: str | None = None):
        self.store = store
        self.email = email or channels.EmailSender()
        self.telegram = telegram or channels.TelegramSender()
        self.worker = worker or uuid.uuid4().hex[:16]

    # ── who can be reached ───────────────────────────────────────────────────

    def channels_for(self, org: str, who: AlertRecipient) -> list[str]:
        out = []
        if who.email and channels.email_configured():
            out.append("email")
        if who.telegram and channels.telegram_configured() and leads.chat_of(self.store, org, who.name):
            out.append("telegram")
        return out

    def _next_deliverable(self, org: Organisation, after: int,
                          named: frozenset[str] = frozenset()) -> tuple[int, AlertRecipient, list[str]] | None:
        """The next recipient who can be reached, passing over anyone the record names."""
        for index, who in enumerate(org.alerts.recipients if org.alerts else ()):
            if index > after and who.name not in named:
                ways = self.channels_for(org.id, who)
                if ways:
                    return index, who, ways
        return None

    def _named(self, org: Organisation, reference: str) -> frozenset[str]:
        """Recipients the record names: a concern about a lead is never sent to that lead to acknowledge."""
        fields = self.store.scan_fields(org.id, reference).get(reference, {})
        named = frozenset(r.name for r in (org.alerts.recipients if org.alerts else ()) if hiding.names(fields, r.name))
        if named:
            log.info("alerts for %s pass over %d recipient(s) the record names", reference, len(named))
        return named

    def delivers_for(self, org_id: str) -> bool:
        """True when someone in the organisation's alerts list can really be told now."""
        org = _org(org_id)
        return org is not None and self._next_deliverable(org, -1) is not None

    # ── scheduling ───────────────────────────────────────────────────────────

    def schedule(self, org_id: str, reference: str, worker: WorkerContact | None = None) -> bool:
        """Plan the alerts for a newly filed concern; False when nobody can be alerted (or already planned).

        `worker`: where to tell the worker to ring someone themselves if no lead acknowledges.
        """
        org = _org(org_id)
        first = self._next_deliverable(org, -1, self._named(org, reference)) if org else None
        if first is None:
            return False
        index, who, ways = first
        now = clock.utcnow()
        try:
            with Session(self.store.engine, future=True) as session, session.begin():
                urgency = session.execute(select(ConcernRow.urgency).where(
                    ConcernRow.org == org_id, ConcernRow.reference == reference)).scalar_one()
                sealed = self.store.cipher.seal(worker.to_dict()) if worker and worker.telegram_chat else None
                chain = AlertChainRow(org=org_id, reference=reference, urgency=urgency, step=index, created_at=now,
                                      escalate_at=now + timedelta(minutes=org.alerts.window_minutes(urgency)),
                                      worker_sealed=sealed)
                session.add(chain)
                session.flush()
                self._add_sends(session, chain.id, index, who, ways, now)
        except IntegrityError:
            return False   # filed twice (a retried outbox flush): already planned
        log.info("alerts planned for %s (%s)", reference, org_id)
        return True

    @staticmethod
    def _add_sends(session: Session, chain_id: int, step: int, who: AlertRecipient, ways: list[str],
                   now: datetime) -> None:
        for way in ways:
            session.add(AlertSendRow(chain_id=chain_id, step=step, recipient=who.name, channel=way, due_at=now,
                                     attempts=0))

    # ── the worker ───────────────────────────────────────────────────────────

    def run_once(self) -> Tick:
        tick = Tick()
        self._escalate_due(tick)
        self._send_due(tick)
        return tick

    def run(self, every: float = 5.0, stop: threading.Event | None = None) -> None:
        """Escalate and send what is due every `every` seconds, until `stop` is set.

        A stop lets the pass in hand finish: a message that went out is then also
        marked sent, so a restart does not send it again. (Only a hard kill between
        sending and marking can repeat one.)
        """
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                tick = self.run_once()
                for ref, who, way in tick.sent:
                    log.info("alert sent: %s to %s by %s", ref, who, way)
            except Exception:   # a database hiccup must not stop alerting for good
                log.exception("alerts: pass failed; trying again")
            stop.wait(every)

    def _escalate_due(self, tick: Tick) -> None:
        now = clock.utcnow()
        with Session(self.store.engine, future=True) as session:
            due = session.execute(select(AlertChainRow.id, AlertChainRow.org, AlertChainRow.reference,
                                         AlertChainRow.step, AlertChainRow.urgency).where(
                AlertChainRow.acknowledged_at.is_(None), AlertChainRow.exhausted_at.is_(None),
                AlertChainRow.escalate_at <= now).order_by(AlertChainRow.id)).all()
        for chain_id, org_id, reference, step, urgency in due:
            try:
                self._escalate_one(chain_id, org_id, reference, step, urgency, now, tick)
            except Exception:   # one concern's trouble must not hold up the others' alerts
                log.exception("alerts: could not escalate %s (%s)", reference, org_id)

    def _escalate_one(self, chain_id: int, org_id: str, reference: str, step: int, urgency: str,
                      now: datetime, tick: Tick) -> None:
        org = _org(org_id)
        nxt = self._next_deliverable(org, step, self._named(org, reference)) if org else None
        previous = org.alerts.recipients[step] if org and org.alerts and step < len(org.alerts.recipients) else None
        was = previous.label if previous else f"recipient {step + 1}"
        minutes = org.alerts.window_minutes(urgency) if org and org.alerts else 0
        claim = (AlertChainRow.id == chain_id, AlertChainRow.step == step,
                 AlertChainRow.acknowledged_at.is_(None), AlertChainRow.exhausted_at.is_(None))
        if nxt is None:
            def exhaust(session: Session) -> bool:
                done = session.execute(update(AlertChainRow).where(*claim).values(exhausted_at=now)).rowcount == 1
                chain = session.get(AlertChainRow, chain_id) if done else None
                if chain is not None and chain.worker_sealed is not None:   # tell the worker to ring themselves
                    session.add(AlertSendRow(chain_id=chain_id, step=-1, recipient=WORKER, channel="telegram",
                                             due_at=now, attempts=0))
                return done

            if self.store.record_alert(org_id, reference, "alerts_exhausted", actor=ACTOR, via="alerts",
                                       details={"last": was, "after_minutes": minutes}, when=exhaust):
                tick.exhausted.append(reference)
                log.warning("alerts exhausted for %s (%s): nobody acknowledged", reference, org_id)
            return
        index, who, ways = nxt

        def escalate(session: Session) -> bool:
            moved = session.execute(update(AlertChainRow).where(*claim).values(
                step=index, escalate_at=now + timedelta(minutes=minutes))).rowcount == 1
            if moved:
                self._add_sends(session, chain_id, index, who, ways, now)
            return moved

        if self.store.record_alert(org_id, reference, "escalated", actor=ACTOR, via="alerts",
                                   details={"from": was, "to": who.label, "after_minutes": minutes},
                                   when=escalate):
            tick.escalated.append((reference, who.name))

    def _send_due(self, tick: Tick) -> None:
        now = clock.utcnow()
        with Session(self.store.engine, future=True) as session:
            due = session.execute(select(AlertSendRow.id).where(
                AlertSendRow.sent_at.is_(None), AlertSendRow.cancelled_at.is_(None), AlertSendRow.due_at <= now,
                or_(AlertSendRow.claimed_until.is_(None), AlertSendRow.claimed_until < now)
            ).order_by(AlertSendRow.id)).scalars().all()
        for send_id in due:
            try:
                self._send_one(send_id, tick)
            except Exception:   # e.g. the database blinked: this one stays due, the others still go
                log.exception("alerts: could not send alert %s", send_id)

    def _claim(self, send_id: int) -> bool:
        now = clock.utcnow()
        with Session(self.store.engine, future=True) as session, session.begin():
            return session.execute(update(AlertSendRow).where(
                AlertSendRow.id == send_id, AlertSendRow.sent_at.is_(None), AlertSendRow.cancelled_at.is_(None),
                or_(AlertSendRow.claimed_until.is_(None), AlertSendRow.claimed_until < now)
            ).values(claimed_until=now + LEASE, claimed_by=self.worker)).rowcount == 1

    def _send_one(self, send_id: int, tick: Tick) -> None:
        if not self._claim(send_id):
            return   # another worker has it, or it went meanwhile
        now = clock.utcnow()
        token = secrets.token_urlsafe(32)
        with Session(self.store.engine, future=True) as session, session.begin():
            send = session.get(AlertSendRow, send_id)
            chain = session.get(AlertChainRow, send.chain_id)
            concern = session.execute(select(ConcernRow).where(
                ConcernRow.org == chain.org, ConcernRow.reference == chain.reference)).scalar_one()
            if chain.acknowledged_at is not None:
                send.cancelled_at = now
                return
            if send.recipient != WORKER:   # the worker's message has nothing to acknowledge
                session.add(AlertTokenRow(token_hash=_digest(token), chain_id=chain.id, step=send.step,
                                          recipient=send.recipient, created_at=now))
            org_id, reference, step, name, way = chain.org, chain.reference, send.step, send.recipient, send.channel
            urgency, filed_at, via, attempts = chain.urgency, utc(concern.filed_at), concern.channel, send.attempts
            worker_sealed = chain.worker_sealed
        org = _org(org_id)
        if name == WORKER:
            self._tell_worker(send_id, org, reference, worker_sealed, attempts, tick)
            return
        who = next((r for r in (org.alerts.recipients if org and org.alerts else ()) if r.name == name), None)
        try:
            if who is None:
                raise channels.DeliveryFailed("recipient no longer in the profile")
            subject, text = compose(org, who, step, reference, urgency, filed_at, via, token,
                                    self._named(org, reference))
            if way == "email":
                if not who.email:
                    raise channels.DeliveryFailed("no email address in the profile")
                self.email.send(who.email, subject, text)
            else:
                chat = leads.chat_of(self.store, org_id, name)
                if chat is None:
                    raise channels.DeliveryFailed("no registered Telegram chat")
                self.telegram.send(chat, text, ((ACK_BUTTON, f"{ACK_PREFIX}{token}"),))
        except channels.DeliveryFailed as exc:
            retry = self._retry_later(send_id, attempts, exc)
            log.warning("alert to %s by %s for %s failed (%s); retrying in %ss", name, way, reference, exc,
                        int(retry.total_seconds()))
            tick.failed.append((reference, name, way))
            return
        if self.store.record_alert(org_id, reference, "alert", actor=ACTOR, via=way,
                                   details={"to": who.label, "channel": way, "urgency": urgency},
                                   when=_marks_sent(send_id, attempts)):
            tick.sent.append((reference, name, way))

    def _tell_worker(self, send_id: int, org: Organisation | None, reference: str, worker_sealed: bytes,
                     attempts: int, tick: Tick) -> None:
        """Nobody acknowledged: the worker rings the front door or out-of-hours team themselves."""
        worker = WorkerContact(**self.store.cipher.open(worker_sealed))
        try:
            if org is None:
                raise channels.DeliveryFailed("organisation no longer has a profile")
            self.telegram.send(worker.telegram_chat, worker_notice(org, reference, worker.area, clock.now()))
        except channels.DeliveryFailed as exc:
            self._retry_later(send_id, attempts, exc)
            tick.failed.append((reference, WORKER, "telegram"))
            return
        if self.store.record_alert(org.id, reference, "worker_told", actor=ACTOR, via="telegram",
                                   details={"to": "the worker who filed it"}, when=_marks_sent(send_id, attempts)):
            tick.sent.append((reference, WORKER, "telegram"))

    def _retry_later(self, send_id: int, attempts: int, exc: Exception) -> timedelta:
        """Release the claim and make the message due again after a back-off; returns the wait."""
        retry = min(RETRY_FIRST * (2 ** attempts), RETRY_MAX)
        with Session(self.store.engine, future=True) as session, session.begin():
            session.execute(update(AlertSendRow).where(AlertSendRow.id == send_id,
                                                       AlertSendRow.claimed_by == self.worker).values(
                claimed_until=None, claimed_by=None, attempts=attempts + 1, last_error=str(exc)[:128],
                due_at=clock.utcnow() + retry))
        return retry

    # ── acknowledging ────────────────────────────────────────────────────────

    def peek(self, token: str) -> AckState:
        """The link's concern and whether it is acknowledged; records nothing."""
        with Session(self.store.engine, future=True) as session:
            row = session.get(AlertTokenRow, _digest(token or ""))
            if row is None:
                raise AckRefused("This link isn't one I know.")
            chain = session.get(AlertChainRow, row.chain_id)
            return AckState(chain.org, chain.reference, row.recipient, chain.acknowledged_by,
                            utc(chain.acknowledged_at) if chain.acknowledged_at else None)

    def acknowledge(self, token: str, via: str = "ack-link") -> Acknowledged:
        """Record that the link's recipient has seen the alert: escalation stops. Repeats are harmless."""
        digest = _digest(token or "")
        with Session(self.store.engine, future=True) as session:
            row = session.get(AlertTokenRow, digest)
            if row is None:
                raise AckRefused("This link isn't one I know.")
            chain = session.get(AlertChainRow, row.chain_id)
            org_id, reference, name, chain_id = chain.org, chain.reference, row.recipient, chain.id
        org = _org(org_id)
        who = next((r for r in (org.alerts.recipients if org and org.alerts else ()) if r.name == name), None)
        return self._acknowledge(org_id, reference, chain_id, f"recipient:{name}", who.label if who else name,
                                 via, digest)

    def acknowledge_in_inbox(self, org_id: str, reference: str, actor: str, by: str) -> Acknowledged | None:
        """A lead signed in to the inbox has seen the concern: escalation stops. None if it was never alerted."""
        with Session(self.store.engine, future=True) as session:
            chain_id = session.execute(select(AlertChainRow.id).where(
                AlertChainRow.org == org_id, AlertChainRow.reference == reference)).scalar_one_or_none()
        if chain_id is None:
            return None
        return self._acknowledge(org_id, reference, chain_id, actor, by, "inbox", None)

    def _acknowledge(self, org_id: str, reference: str, chain_id: int, actor: str, by: str, via: str,
                     token_digest: str | None) -> Acknowledged:
        now = clock.utcnow()

        def ack(session: Session) -> bool:
            if token_digest is not None:
                session.execute(update(AlertTokenRow).where(AlertTokenRow.token_hash == token_digest,
                                                            AlertTokenRow.used_at.is_(None)).values(used_at=now))
            first = session.execute(update(AlertChainRow).where(
                AlertChainRow.id == chain_id, AlertChainRow.acknowledged_at.is_(None)).values(
                acknowledged_at=now, acknowledged_by=by)).rowcount == 1
            if first:
                session.execute(update(AlertSendRow).where(
                    AlertSendRow.chain_id == chain_id, AlertSendRow.sent_at.is_(None),
                    AlertSendRow.cancelled_at.is_(None),
                    or_(AlertSendRow.claimed_until.is_(None), AlertSendRow.claimed_until < now)
                ).values(cancelled_at=now))
            return first

        if self.store.record_alert(org_id, reference, "acknowledged", actor=actor, via=via,
                                   details={"by": by}, when=ack):
            log.info("alert acknowledged: %s via %s", reference, via)
            return Acknowledged(org_id, reference, by, now, True)
        with Session(self.store.engine, future=True) as session:
            chain = session.get(AlertChainRow, chain_id)
            return Acknowledged(org_id, reference, chain.acknowledged_by or by, utc(chain.acknowledged_at), False)

    def status(self, org_id: str, reference: str) -> dict | None:
        """The alerting state of one concern (for the CLI and tests): no content."""
        with Session(self.store.engine, future=True) as session:
            chain = session.execute(select(AlertChainRow).where(
                AlertChainRow.org == org_id, AlertChainRow.reference == reference)).scalar_one_or_none()
            if chain is None:
                return None
            sends = session.execute(select(AlertSendRow).where(AlertSendRow.chain_id == chain.id)
                                    .order_by(AlertSendRow.id)).scalars().all()
            return {"step": chain.step, "acknowledged_by": chain.acknowledged_by,
                    "exhausted": chain.exhausted_at is not None,
                    "sends": [(s.recipient, s.channel, s.sent_at is not None, s.attempts) for s in sends]}


def compose(org: Organisation, who: AlertRecipient, step: int, reference: str, urgency: str,
            filed_at: datetime, via: str, token: str, named: frozenset[str] = frozenset()) -> tuple[str, str]:
    """Subject and text of an alert: reference, urgency, organisation, time, link; never the child.

    Recipients the record names are left out of "before you" and "next", as they are out of the alerts.
    """
    local = filed_at.astimezone(clock.LONDON)
    urgent = urgency == "urgent"
    window = org.alerts.window_minutes(urgency)
    before = [r for r in org.alerts.recipients[:step] if r.name not in named]
    after = [r for r in org.alerts.recipients[step + 1:] if r.name not in named]
    lines = [f"{'URGENT: ' if urgent else ''}New safeguarding concern {reference} for {org.name}.",
             f"Filed {local:%H:%M on %a %d %b %Y} (UK time), through {via.replace('_', ' ')}.",
             f"You are alerted as {who.role}."]
    if before:
        lines.append(f"Nobody before you in the alert order has acknowledged it yet ({', '.join(r.name for r in before)}).")
    if after:
        lines.append(f"If nobody acknowledges within {_minutes(window)}, {after[0].label} is alerted next.")
    base = links.public_base_url()
    lines += ["", f"Acknowledge you have seen it: {base}/ack/{token}",
              f"Read it and record your decision in the inbox (sign-in needed): {base}/inbox/concerns/{reference}", "",
              "This alert holds no details of the child. In danger now, call 999."]
    subject = f"{'URGENT ' if urgent else ''}safeguarding concern {reference} ({org.name})"
    return subject, "\n".join(lines)


def _marks_sent(send_id: int, attempts: int):
    """The claim that a message went, written with its ledger entry; False if it was marked already."""
    def mark(session: Session) -> bool:
        return session.execute(update(AlertSendRow).where(
            AlertSendRow.id == send_id, AlertSendRow.sent_at.is_(None)).values(
            sent_at=clock.utcnow(), attempts=attempts + 1, last_error=None)).rowcount == 1
    return mark


@dataclass(frozen=True)
class WorkerContact:
    """Where the worker who filed a concern can be reached, kept encrypted with the alert chain."""
    telegram_chat: str | None = None
    area: str | None = None

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("telegram_chat", self.telegram_chat), ("area", self.area)) if v}


def worker_notice(org: Organisation, reference: str, area: str | None, at: datetime) -> str:
    """Whom the worker rings now that no lead has answered: everyone in the plan but the leads."""
    plan = directory.who_to_call(org.id, "concern", area=area, at=at)
    leads_ = {(c.name, c.role) for c in org.leads}
    others = [s for s in plan.steps if (s.name, s.role) not in leads_] or list(plan.steps)
    brief = directory.format_brief(dataclasses.replace(plan, steps=others), max_steps=3)
    return (f"None of your safeguarding leads has acknowledged the alert about {reference} yet. "
            f"Please don't wait: ring now.\n{brief}\nIf anyone is in danger right now, call 999.")


def _minutes(n: int) -> str:
    if n % 60 == 0:
        hours = n // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{n} minute{'s' if n != 1 else ''}"


__all__ = ["AlertEngine", "Acknowledged", "AckState", "AckRefused", "Tick", "compose"]
