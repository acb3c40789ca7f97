"""One record and its history, for a referral or a transfer to another setting.

Two files: JSON for systems (with an integrity hash over its own content) and a
printable HTML page for people. Exporting is a read, so it is logged.
"""
from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path
from typing import Any

from bot import clock
from bot.concerns.form import FIELDS
from bot.concerns.store import ConcernStore

FORMAT = "safeguarding-guide/concern-export/1"


def integrity_hash(doc: dict[str, Any]) -> str:
    """SHA-256 of the document without its `integrity` field, keys sorted, compact."""
    body = {k: v for k, v in doc.items() if k != "integrity"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


def build(store: ConcernStore, org: str, reference: str, reader: str) -> dict[str, Any]:
    record = store.read(org, reference, reader=reader, via="export")
    doc: dict[str, Any] = {
        "format": FORMAT,
        "org": record.org,
        "reference": record.reference,
        "filed_at": record.filed_at.isoformat(),
        "urgency": record.urgency,
        "channel": record.channel,
        "fields": [{"field": f.slot, "label": f.label, "value": record.fields.get(f.slot, "")} for f in FIELDS],
        "history": [{"seq": h.seq, "kind": h.kind, "at": h.at.isoformat(), "actor": h.actor, "via": h.via,
                     "payload": h.payload, "ledger_hash": h.hash} for h in record.history],
        "exported_at": clock.utcnow().isoformat(),
        "exported_by": reader,
    }
    doc["integrity"] = {"algorithm": "sha256", "hash": integrity_hash(doc),
                        "covers": "this document without the integrity field, keys sorted, compact JSON"}
    return doc


def render_html(doc: dict[str, Any]) -> str:
    """A plain printable page; every value is escaped, so nothing in a record can run as HTML."""
    e = lambda v: html.escape(str(v if v is not None else ""))  # noqa: E731
    rows = "".join(f"<tr><th>{e(f['label'])}</th><td>{e(f['value']) or '(not given)'}</td></tr>" for f in doc["fields"])
    history = "".join(
        f"<li>{e(h['at'])}: {e(h['kind'])} by {e(h['actor'])} via {e(h['via'])}"
        + (f"<pre>{e(json.dumps(h['payload'], ensure_ascii=False, indent=1))}</pre>" if h["kind"] != "filed" else "")
        + "</li>" for h in doc["history"])
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Concern {e(doc['reference'])}</title>
<style>body{{font-family:sans-serif;max-width:48em;margin:2em auto}}th{{text-align:left;vertical-align:top;padding-right:1em}}
td{{white-space:pre-wrap}}.note{{color:#444;font-size:.9em}}</style></head><body>
<h1>Concern {e(doc['reference'])}</h1>
<p>CONFIDENTIAL: child protection record. {e(doc['org'])}; filed {e(doc['filed_at'])} (UTC); urgency {e(doc['urgency'])}.</p>
<table>{rows}</table>
<h2>History</h2><ol>{history}</ol>
<p class="note">Exported {e(doc['exported_at'])} by {e(doc['exported_by'])}. Integrity (SHA-256 of the JSON export):
{e(doc['integrity']['hash'])}</p>
</body></html>
"""


def write(store: ConcernStore, org: str, reference: str, reader: str, out_dir: Path) -> tuple[Path, Path]:
    doc = build(store, org, reference, reader)
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    json_path, html_path = out_dir / f"{reference}.json", out_dir / f"{reference}.html"
    for path, content in ((json_path, json.dumps(doc, ensure_ascii=False, indent=2)), (html_path, render_html(doc))):
        path.touch(mode=0o600)
        path.write_text(content, encoding="utf-8")
    return json_path, html_path
