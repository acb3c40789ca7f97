"""Command line: `python -m bot <command> ...`.

Subcommands live in a small registry so other parts of the product (records, notify)
can add theirs with one decorated function, without touching the ones here. Each
command imports what it needs inside its handler, keeping start-up fast for all.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable

# name -> (help, add_arguments, handler returning an exit code)
Command = tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, arguments: Callable[[argparse.ArgumentParser], None] = lambda p: None):
    """Register `handler` as `python -m bot <name>` (name may be two words: 'orgs validate')."""

    def register(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = (help, arguments, handler)
        return handler

    return register


class UsageError(Exception):
    """A bad argument value: one line on stderr, exit 2, no traceback."""


def _who_to_call_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", required=True, help="organisation id, e.g. independence-project")
    p.add_argument("--area", help="area id, name or alias, e.g. Bath")
    p.add_argument("--topic", default="concern", help="concern, immediate-danger, allegation-staff, ...")
    p.add_argument("--at", help="ISO 8601 moment (naive = organisation's local time); default: now")
    p.add_argument("--json", action="store_true", help="print the plan as JSON")
    p.add_argument("--max-steps", type=int, help="show at most this many steps")


@command("who-to-call", "whom to ring, for a topic, at a moment", _who_to_call_args)
def who_to_call_cmd(args: argparse.Namespace) -> int:
    from .clock import ClockError, parse_moment
    from .directory import ProfileError, UnknownOrganisation, UnknownTopic, format_plan, who_to_call

    try:
        at = parse_moment(args.at) if args.at else None
        plan = who_to_call(args.org, topic=args.topic, area=args.area, at=at)
    except (ClockError, UnknownOrganisation, UnknownTopic, ProfileError) as exc:
        raise UsageError(str(exc)) from exc
    if args.json:
        import json

        print(json.dumps(plan.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_plan(plan, max_steps=args.max_steps))
    return 0


@command("orgs validate", "check every organisation profile in data/orgs")
def orgs_validate_cmd(args: argparse.Namespace) -> int:
    from .directory import ProfileError, load_org, org_ids

    ids = org_ids()
    if not ids:
        print("no organisation profiles found", file=sys.stderr)
        return 1
    failed = 0
    for org_id in ids:
        try:
            org = load_org(org_id)
        except ProfileError as exc:
            print(f"FAIL {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"ok   {org_id}: {org.name} – {len(org.leads)} lead(s), "
              f"{len(org.areas)} area(s): {', '.join(a.name for a in org.areas)}")
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Safeguarding guide tools.")
    subs = parser.add_subparsers(dest="command", metavar="command")
    groups: dict[str, argparse._SubParsersAction] = {}
    for name, (help_text, add_args, handler) in COMMANDS.items():
        words = name.split()
        if len(words) == 1:
            p = subs.add_parser(name, help=help_text)
        else:  # two-word commands share a group parser: `orgs validate`, `records list`
            group, leaf = words
            if group not in groups:
                gp = subs.add_parser(group, help=f"{group} commands")
                groups[group] = gp.add_subparsers(dest="subcommand", metavar="subcommand", required=True)
            p = groups[group].add_parser(leaf, help=help_text)
        add_args(p)
        p.set_defaults(handler=handler)
    return parser


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--shell", action="store_true", help="chat in this terminal instead of serving channels")


@command("serve", "run the bot: Rasa server and action server together (make run)", _serve_args)
def serve_cmd(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(shell=args.shell)


def _org_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", help="organisation id (default: all)")


@command("records verify", "check the records ledger for changes made outside the application", _org_arg)
def records_verify_cmd(args: argparse.Namespace) -> int:
    from .concerns.store import ConcernStore

    problems = ConcernStore.from_env().verify(args.org)
    for problem in problems:
        print(f"TAMPERED {problem}")
    if not problems:
        print("ok: every ledger entry is intact and chained")
    return 1 if problems else 0


@command("records list", "references of filed concerns (no content, so no read is logged)",
         lambda p: p.add_argument("--org", required=True))
def records_list_cmd(args: argparse.Namespace) -> int:
    from .concerns.store import ConcernStore

    for reference, filed_at, urgency in ConcernStore.from_env().references(args.org):
        print(f"{reference}  {filed_at:%Y-%m-%d %H:%M} UTC  {urgency}")
    return 0


def _show_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", required=True)
    p.add_argument("--ref", required=True, help="e.g. SG-2026-000001")
    p.add_argument("--reader", required=True, help="who is reading, for the audit log (e.g. lead:jane)")


@command("records show", "open one record and its history (the read is logged)", _show_args)
def records_show_cmd(args: argparse.Namespace) -> int:
    from .concerns.form import FIELDS
    from .concerns.store import ConcernStore, NoSuchConcern

    try:
        record = ConcernStore.from_env().read(args.org, args.ref, reader=args.reader, via="cli")
    except NoSuchConcern as exc:
        raise UsageError(str(exc)) from exc
    print(f"{record.reference} ({record.org}), filed {record.filed_at:%Y-%m-%d %H:%M} UTC, {record.urgency}")
    for f in FIELDS:
        print(f"{f.label}: {record.fields.get(f.slot) or '(not given)'}")
    for h in record.history[1:]:
        print(f"-- {h.kind} {h.at:%Y-%m-%d %H:%M} by {h.actor} via {h.via}: {h.payload}")
    return 0


def _flush_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--watch", type=float, metavar="SECONDS", help="keep going, trying every SECONDS")


@command("records flush", "file records kept while the records database was unreachable", _flush_args)
def records_flush_cmd(args: argparse.Namespace) -> int:
    import logging
    import time

    from .concerns.outbox import Outbox
    from .concerns.store import ConcernStore, StoreUnavailable

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    outbox = Outbox.from_env()
    while True:
        try:
            filed = outbox.flush(ConcernStore.from_env()) if outbox.pending() else []
        except StoreUnavailable:
            filed = []
        for f in filed:
            print(f"filed {f.reference} for {f.org}")
        if not args.watch:
            waiting = outbox.pending()
            print(f"{waiting} record(s) still waiting" if waiting else "outbox empty")
            return 1 if waiting else 0
        time.sleep(args.watch)


def _export_args(p: argparse.ArgumentParser) -> None:
    _show_args(p)
    p.add_argument("--out", required=True, help="folder for <ref>.json and <ref>.html")


@command("records export", "one record and its history as JSON (with integrity hash) and HTML", _export_args)
def records_export_cmd(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .concerns.export import write
    from .concerns.store import ConcernStore, NoSuchConcern

    try:
        paths = write(ConcernStore.from_env(), args.org, args.ref, args.reader, Path(args.out))
    except NoSuchConcern as exc:
        raise UsageError(str(exc)) from exc
    for path in paths:
        print(f"wrote {path}")
    return 0


def _retention_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", required=True)
    p.add_argument("--erase", action="store_true", help="erase the records that are due (needs --yes)")
    p.add_argument("--yes", action="store_true", help="confirm erasure")
    p.add_argument("--actor", default="admin:cli", help="who is erasing, for the tombstone")


@command("records retention", "list records past their retention date; erase them only with --erase --yes",
         _retention_args)
def records_retention_cmd(args: argparse.Namespace) -> int:
    from .clock import now
    from .concerns.retention import erase_due, review
    from .concerns.store import ConcernStore

    store = ConcernStore.from_env()
    rule, reviews = review(store, args.org, now())
    print(f"rule: {rule.years} years after the {rule.after.replace('_', ' ')} ({rule.source})" if rule
          else "rule: none in this organisation's profile, so nothing is ever due")
    for r in reviews:
        due = f"due {r.due:%Y-%m-%d}" if r.due else ""
        print(f"{r.reference}  {r.status:11} {due:14} {r.why}")
    if args.erase:
        if not args.yes:
            raise UsageError("erasing needs --yes as well: erased content cannot be recovered")
        for ref in erase_due(store, args.org, now(), args.actor):
            print(f"erased {ref} (tombstone left in the ledger)")
    return 0


@command("records migrate", "bring the records database to the newest schema")
def records_migrate_cmd(args: argparse.Namespace) -> int:
    from .concerns.store import ConcernStore

    ConcernStore.from_env()
    print("ok: records database is at the newest schema")
    return 0


def _web_args(p: argparse.ArgumentParser) -> None:
    import os

    p.add_argument("--host", default=os.environ.get("SAFEGUARD_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", 8000)))


@command("web", "run the project's web app (JSON API) alone", _web_args)
def web_cmd(args: argparse.Namespace) -> int:
    from .web.app import run

    run(args.host, args.port)
    return 0


def _telegram_args(p: argparse.ArgumentParser) -> None:
    import os

    p.add_argument("--webhook", metavar="URL", default=os.environ.get("TELEGRAM_WEBHOOK_URL"),
                   help="receive updates at this public HTTPS URL instead of long polling")
    p.add_argument("--listen", default=os.environ.get("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1:8443"),
                   help="host:port the webhook server binds, behind your HTTPS proxy")


@command("telegram", "run the Telegram bridge (needs TELEGRAM_BOT_TOKEN; make run starts it)", _telegram_args)
def telegram_cmd(args: argparse.Namespace) -> int:
    from .telegram.main import run

    return run(webhook=args.webhook, listen=args.listen)


def _alerts_run_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--once", action="store_true", help="one pass (send and escalate what is due), then exit")
    p.add_argument("--every", type=float, default=5.0, metavar="SECONDS", help="how often to look (default 5)")


@command("alerts run", "send alerts to leads and escalate unacknowledged ones (make run starts it)",
         _alerts_run_args)
def alerts_run_cmd(args: argparse.Namespace) -> int:
    import logging
    import time

    from .concerns.store import ConcernStore
    from .notify.engine import AlertEngine

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    while True:
        try:
            engine = AlertEngine(ConcernStore.from_env())
            break
        except Exception as exc:   # database down, or another process is migrating it: wait, as the outbox does
            if args.once:
                raise
            logging.getLogger("safeguard.alerts").warning("records database not ready (%s); waiting",
                                                         type(exc).__name__)
            time.sleep(args.every)
    if not args.once:
        import signal
        import threading

        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):   # finish the pass in hand, then exit
            signal.signal(sig, lambda *_: stop.set())
        engine.run(args.every, stop)
        logging.getLogger("safeguard.alerts").info("alerts worker stopped")
        return 0
    tick = engine.run_once()
    for ref, who, way in tick.sent:
        print(f"sent {ref} to {who} by {way}")
    for ref, who, way in tick.failed:
        print(f"failed {ref} to {who} by {way}: will retry")
    for ref, who in tick.escalated:
        print(f"escalated {ref} to {who}")
    for ref in tick.exhausted:
        print(f"exhausted {ref}: nobody acknowledged")
    return 0


def _register_code_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", required=True)
    p.add_argument("--recipient", required=True, type=int, metavar="N",
                   help="1 = the first in the profile's alerts recipients, 2 = the next, ...")


@command("alerts register-code", "a one-time code for a lead to register their Telegram chat (/lead <code>)",
         _register_code_args)
def alerts_register_code_cmd(args: argparse.Namespace) -> int:
    from .directory import UnknownOrganisation
    from .notify.leads import NotARecipient, issue_code, recipient

    try:
        code = issue_code(args.org, args.recipient)
        who = recipient(args.org, args.recipient)
    except (NotARecipient, UnknownOrganisation) as exc:
        raise UsageError(str(exc)) from exc
    print(code)
    print(f"for {who.label}: send /lead {code} to the bot in Telegram within 48 hours; it works once",
          file=sys.stderr)
    return 0


def _inbox_account_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", required=True, help="organisation id, e.g. grange-primary")
    p.add_argument("--username", required=True, help="their work email, used to sign in")
    p.add_argument("--name", required=True, help="their full name, as colleagues know them")
    p.add_argument("--role", action="append", required=True, choices=("lead", "deputy", "admin"),
                   help="lead, deputy or admin; repeat for several")


@command("inbox add-account", "an inbox account and its one-time set-up link (the first administrator starts here)",
         _inbox_account_args)
def inbox_add_account_cmd(args: argparse.Namespace) -> int:
    from .concerns.links import public_base_url
    from .concerns.store import ConcernStore
    from .directory import UnknownOrganisation, load_org
    from .inbox.accounts import ENROL_HOURS, AccountError, Accounts

    try:
        load_org(args.org)
        account, token = Accounts(ConcernStore.from_env(create_key=True)).create(
            args.org, args.username, args.name, set(args.role), by="admin:cli")
    except (UnknownOrganisation, AccountError) as exc:
        raise UsageError(str(exc)) from exc
    print(f"Account {account.id} for {account.name} ({account.role_label}) in {account.org}.")
    print(f"Give them this set-up link in person; it works once, for {ENROL_HOURS} hours:")
    print(f"{public_base_url()}/inbox/set-up/{token}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return handler(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`: not an error worth a traceback
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
