"""The hash chain over ledger entries: how an entry's hash is made, and how a chain is checked.

Each entry's hash covers its own fields, a digest of its encrypted payload and
the previous entry's hash, so changing, removing or reordering any entry breaks
every hash after it. The chain head records the newest entry, so removing the
newest entries shows too.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

GENESIS = "0" * 64


@dataclass(frozen=True)
class Link:
    org: str
    seq: int
    reference: str
    kind: str
    at: datetime
    actor: str
    via: str
    sealed: bytes | None
    prev_hash: str
    hash: str = ""
    sealed_digest: str | None = None   # kept when a payload is erased under retention

    @property
    def digest(self) -> str | None:
        return self.sealed_digest if self.sealed_digest is not None else payload_digest(self.sealed)


def payload_digest(sealed: bytes | None) -> str | None:
    return hashlib.sha256(sealed).hexdigest() if sealed is not None else None


def utc(moment: datetime) -> datetime:
    """SQLite drops tzinfo; stored values are UTC by contract."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def entry_hash(link: Link) -> str:
    body = {
        "org": link.org, "seq": link.seq, "reference": link.reference, "kind": link.kind,
        "at": utc(link.at).isoformat(timespec="microseconds"), "actor": link.actor, "via": link.via,
        "sealed": link.digest,
        "prev": link.prev_hash,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def check(org: str, links: Iterable[Link], head: tuple[int, str] | None) -> list[str]:
    """Everything wrong with one organisation's chain, in plain words; empty when intact."""
    problems: list[str] = []
    expected_prev, expected_seq = GENESIS, 1
    last: Link | None = None
    for link in links:
        where = f"{org}: entry {link.seq} ({link.reference}, {link.kind})"
        if link.seq != expected_seq:
            problems.append(f"{org}: entries {expected_seq} to {link.seq - 1} are missing (deleted)")
        elif link.prev_hash != expected_prev:
            problems.append(f"{where} does not follow the entry before it (an earlier entry was changed or replaced)")
        if entry_hash(link) != link.hash:
            problems.append(f"{where} has been changed since it was written")
        elif link.sealed is not None and payload_digest(link.sealed) != link.digest:
            problems.append(f"{where} has been changed since it was written (its content was replaced)")
        expected_prev, expected_seq, last = link.hash, link.seq + 1, link
    if head is not None:
        head_seq, head_hash = head
        if last is None or last.seq < head_seq:
            problems.append(f"{org}: the newest entries (up to {head_seq}) are missing (deleted)")
        elif last.seq > head_seq or last.hash != head_hash:
            problems.append(f"{org}: the chain head does not match the newest entry (entries added or changed outside the application)")
    elif last is not None:
        problems.append(f"{org}: entries exist but the chain head is missing")
    return problems
