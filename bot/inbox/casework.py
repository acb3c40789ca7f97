"""What a lead does with a concern in the inbox: read, decide with reasons, act, link, export.

Every rule about who may see what lives here, not in the web layer:
- an account sees its own organisation's concerns only, and only as lead or deputy;
- a concern that names an account is hidden from it (by name in the record, or
  hidden by hand by another lead), and to that account it does not exist;
- every opening is a read in the ledger, written before anything is shown.
Keeping Children Safe in Education, Part one (record keeping): "All concerns,
discussions and decisions made, and the reasons for those decisions, should be
recorded in writing." A decision without reasons is refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import clock, directory
from bot.concerns import export
from bot.concerns.chain import utc
from bot.concerns.model import AlertChainRow, ConcernHiddenRow, ConcernRow
from bot.concerns.store import Concern, ConcernStore, NoSuchConcern
from bot.inbox import deadlines, hiding
from bot.inbox.accounts import Account, Accounts

DECISIONS = {
    "refer_social_care": "Refer to children's social care",
    "early_help": "Early help",
    "monitor": "Monitor in school or setting",
    "no_further_action": "No further action",
    "lado": "Refer to the LADO (concern about an adult who works with children)",
    "police": "Report to the police",
}
MAX_TEXT = 20_000          # as long as a worker's answer may be: reasons are never cut off
TRACKED = ("decision", "action", "outcome", "linked", "deadline_met")


class NotVisible(LookupError):
    """No such concern for this account: it does not exist, is another organisation's, or is hidden from them."""


class CaseworkError(ValueError):
    """A lead's entry that cannot be recorded; the message is safe to show."""


@dataclass(frozen=True)
class Summary:
    """One line of the inbox list: no content of the record, so no read is logged."""
    reference: str
    filed_at: datetime
    urgency: str
    status: str
    decision: str | None
    alerted: bool                   # leads were alerted about it (the profile lists someone reachable)
    acknowledged_by: str | None
    reminders: tuple[deadlines.Reminder, ...]

    @property
    def waiting(self) -> bool:
        """Alerted, and no lead has said they have seen it."""
        return self.alerted and self.acknowledged_by is None


@dataclass(frozen=True)
class Opened:
    concern: Concern
    reminders: list[deadlines.Reminder]
    linked: list[str]
    hidden_from: list[str]                  # names of accounts this concern is hidden from
    decision: str | None
    acknowledged_by: str | None
    alerted: bool
    others: list[Account] = field(default_factory=list)   # colleagues it could be hidden from


def _text(value: str | None, what: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise CaseworkError(f"Write {what}: it is part of the record.")
    if len(text) > MAX_TEXT:
        raise CaseworkError(f"Keep {what} under {MAX_TEXT} characters, or add it in two parts.")
    return text


class Casework:
    def __init__(self, store: ConcernStore, accounts: Accounts):
        self.store = store
        self.accounts = accounts

    # ── who sees what ────────────────────────────────────────────────────────

    def hidden_from(self, org: str, reference: str | None = None,
                    staff: list[Account] | None = None) -> dict[str, set[int]]:
        """Per concern, the accounts it is hidden from: named in the record, or hidden by hand."""
        staff = self.accounts.list(org) if staff is None else staff
        out: dict[str, set[int]] = {}
        for ref, fields in self.store.scan_fields(org, reference).items():
            out[ref] = {a.id for a in staff if hiding.names(fields, a.name)}
        with Session(self.store.engine, future=True) as session:
            stmt = select(ConcernHiddenRow.reference, ConcernHiddenRow.account_id).where(ConcernHiddenRow.org == org)
            if reference is not None:
                stmt = stmt.where(ConcernHiddenRow.reference == reference)
            for ref, account_id in session.execute(stmt).all():
                out.setdefault(ref, set()).add(account_id)
        return out

    def _check(self, account: Account, reference: str, staff: list[Account] | None = None) -> set[int]:
        """Refuse unless this account may see the concern; the ids of accounts it is hidden from."""
        if not account.can_read_concerns:
            raise NotVisible(reference)
        with Session(self.store.engine, future=True) as session:
            exists = session.execute(select(ConcernRow.id).where(
                ConcernRow.org == account.org, ConcernRow.reference == reference)).scalar_one_or_none()
        hidden = self.hidden_from(account.org, reference, staff).get(reference, set()) if exists else set()
        if exists is None or account.id in hidden:
            raise NotVisible(reference)
        return hidden

    # ── the list ─────────────────────────────────────────────────────────────

    def listing(self, account: Account) -> list[Summary]:
        """The organisation's concerns this account may see, newest first, with what is due."""
        if not account.can_read_concerns:
            return []
        org = directory.load_org(account.org)
        hidden = self.hidden_from(account.org)
        work: dict[str, list[tuple[str, datetime, dict, str]]] = {}
        for ref, kind, at, payload in self.store.scan(account.org, TRACKED):
            work.setdefault(ref, []).append((kind, at, payload, ""))
        with Session(self.store.engine, future=True) as session:
            rows = session.execute(select(ConcernRow).where(ConcernRow.org == account.org)
                                   .order_by(ConcernRow.id.desc())).scalars().all()
            acks = dict(session.execute(select(AlertChainRow.reference, AlertChainRow.acknowledged_by)
                                        .where(AlertChainRow.org == account.org)).all())
        out = []
        for row in rows:
            if account.id in hidden.get(row.reference, set()):
                continue
            entries = work.get(row.reference, [])
            decisions = [p.get("decision") for k, _, p, _ in entries if k == "decision"]
            kinds = {k for k, *_ in entries}
            status = "outcome recorded" if "outcome" in kinds else "decided" if decisions else "no decision yet"
            out.append(Summary(row.reference, utc(row.filed_at), row.urgency, status,
                               DECISIONS.get(decisions[-1]) if decisions else None, row.reference in acks,
                               acks.get(row.reference),
                               tuple(deadlines.reminders(org, utc(row.filed_at), entries))))
        return out

    # ── one concern ──────────────────────────────────────────────────────────

    def open(self, account: Account, reference: str) -> Opened:
        """The record, its history and what is due; the read is in the ledger before this returns."""
        colleagues = self.accounts.list(account.org)
        hidden = self._check(account, reference, colleagues)
        concern = self.store.read(account.org, reference, reader=account.actor, via="inbox")
        org = directory.load_org(account.org)
        entries = [(h.kind, h.at, h.payload or {}, h.actor) for h in concern.history if h.kind in TRACKED]
        staff = {a.id: a for a in colleagues}
        with Session(self.store.engine, future=True) as session:
            chain = session.execute(select(AlertChainRow).where(
                AlertChainRow.org == account.org, AlertChainRow.reference == reference)).scalar_one_or_none()
        decisions = [p.get("decision") for kind, _, p, _ in entries if kind == "decision"]
        return Opened(concern, deadlines.reminders(org, concern.filed_at, entries), self._linked(concern),
                      sorted(staff[i].name for i in hidden if i in staff),
                      DECISIONS.get(decisions[-1]) if decisions else None,
                      chain.acknowledged_by if chain else None, chain is not None,
                      [a for a in staff.values() if a.id != account.id and a.id not in hidden and not a.disabled])

    def decide(self, account: Account, reference: str, decision: str, reasons: str) -> int:
        if decision not in DECISIONS:
            raise CaseworkError("Choose one of the decisions listed.")
        reasons = _text(reasons, "the reasons for this decision")
        return self._add(account, reference, "decision", {"decision": decision, "reasons": reasons})

    def note_action(self, account: Account, reference: str, text: str) -> int:
        return self._add(account, reference, "action", {"action": _text(text, "what was done")})

    def note_outcome(self, account: Account, reference: str, text: str) -> int:
        return self._add(account, reference, "outcome", {"outcome": _text(text, "the outcome")})

    def categorise(self, account: Account, reference: str, categories: list[str], reason: str) -> int:
        self._check(account, reference)
        try:
            return self.store.amend(account.org, reference, actor=account.actor, via="inbox",
                                    reason=_text(reason, "why these categories"), categories=categories)
        except ValueError as exc:
            raise CaseworkError(str(exc)) from exc

    def mark_done(self, account: Account, reference: str, rule_id: str, note: str) -> int:
        org = directory.load_org(account.org)
        if rule_id not in {r.id for r in org.deadlines}:
            raise CaseworkError("That reminder isn't one of this organisation's.")
        return self._add(account, reference, "deadline_met",
                         {"rule": rule_id, "note": _text(note, "what was done, and when", required=False)})

    def link(self, account: Account, reference: str, other: str, reason: str) -> None:
        """Join two concerns about the same child into one chronology (each gets the link)."""
        other = other.strip().upper()
        if other == reference:
            raise CaseworkError("A concern can't be linked to itself.")
        try:
            self._check(account, other)
        except NotVisible:
            raise CaseworkError(f"There is no concern {other} that you can see.") from None
        reason = _text(reason, "why these concerns belong together")
        self._add(account, reference, "linked", {"reference": other, "reason": reason})
        self._add(account, other, "linked", {"reference": reference, "reason": reason})

    def hide_from(self, account: Account, reference: str, other_id: int) -> None:
        """Hide a concern from a colleague it names in a way the automatic check missed."""
        self._check(account, reference)
        other = self.accounts.get(other_id)
        if other is None or other.org != account.org or other.id == account.id:
            raise CaseworkError("Choose a colleague in your organisation.")
        try:
            with Session(self.store.engine, future=True) as session, session.begin():
                if session.get(ConcernHiddenRow, (account.org, reference, other.id)) is not None:
                    return                  # hidden already: nothing more to record
                session.add(ConcernHiddenRow(org=account.org, reference=reference, account_id=other.id,
                                             hidden_at=clock.utcnow(), hidden_by=account.actor))
        except IntegrityError:
            return                          # a colleague hid it at the same moment
        self.store.add_casework(account.org, reference, "hidden", actor=account.actor, via="inbox",
                                details={"hidden_from": other.name})

    def chronology(self, account: Account, reference: str) -> list[Concern]:
        """Every concern linked to this one, directly or through others, oldest first; each is a logged read."""
        self._check(account, reference)
        seen, todo, out = set(), [reference], []
        while todo:
            ref = todo.pop()
            if ref in seen:
                continue
            seen.add(ref)
            try:
                self._check(account, ref)
            except NotVisible:
                continue            # hidden from this account: left out, never named
            concern = self.store.read(account.org, ref, reader=account.actor, via="inbox-chronology")
            out.append(concern)
            todo += self._linked(concern)
        return sorted(out, key=lambda c: c.filed_at)

    def export(self, account: Account, reference: str) -> dict[str, Any]:
        """The record for a referral: JSON with an integrity hash (render_html makes the printable page)."""
        self._check(account, reference)
        return export.build(self.store, account.org, reference, reader=account.actor)

    def _add(self, account: Account, reference: str, kind: str, details: dict[str, Any]) -> int:
        self._check(account, reference)
        try:
            return self.store.add_casework(account.org, reference, kind, actor=account.actor, via="inbox",
                                           details=details)
        except NoSuchConcern:
            raise NotVisible(reference) from None

    @staticmethod
    def _linked(concern: Concern) -> list[str]:
        refs = [(h.payload or {}).get("reference") for h in concern.history if h.kind == "linked"]
        return list(dict.fromkeys(r for r in refs if r))
