"""Check a parsed YAML profile and build the `Organisation` the engine trusts.

Hand-written rather than pydantic so that (a) every message says file, field path and
problem in words an administrator understands, and (b) loading stays a few
milliseconds: pydantic alone costs ~50 ms to import on the who-to-call path.
"""
from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ProfileError
from .model import (AlertRecipient, Alerts, Area, Contact, DeadlineRule, Hours, Organisation, Retention,
                    RouteItem, WeeklyRule)
from .phones import is_uk_phone

TOPICS = ("concern", "immediate-danger", "allegation-staff", "allegation-head", "fgm", "radicalisation",
          "whistleblowing")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_TIME = re.compile(r"^(\d{2}):(\d{2})$")

CONTACT_KEYS = {"role", "name", "phone", "other_phones", "email", "url", "hours", "source", "missing_reason",
                "as_written", "why", "note"}
HOURS_KEYS = {"always", "weekly", "same_as", "when_closed", "bank_holidays", "bank_holidays_assumed", "assumed",
              "source", "note"}
RULE_KEYS = {"days", "open", "close"}
AREA_KEYS = {"id", "name", "aliases", "local_authority", "front_door", "out_of_hours", "lado", "advice", "url",
             "notes", "source"}
ROUTE_KEYS = {"ref", "why", "why_others", "why_front_door", "why_out_of_hours", "when_closed", "deadline", "note"}
ORG_KEYS = {"id", "name", "policy", "policy_date", "timezone", "telegram_records", "office_hours", "leads",
            "contacts", "areas", "default_area", "out_of_hours", "police", "national", "routes", "notes",
            "retention", "alerts", "deadlines"}
ALERTS_KEYS = {"recipients", "urgent_minutes", "standard_minutes", "note"}
RECIPIENT_KEYS = {"role", "name", "email", "telegram"}
DEADLINE_KEYS = {"id", "decision", "from", "hours", "working_days", "what", "source"}
DECISIONS = ("refer_social_care", "early_help", "monitor", "no_further_action", "lado", "police")
RETENTION_KEYS = {"years", "after", "source", "note"}
RETENTION_BASES = ("last_entry", "filed", "date_of_birth")
POLICE_KEYS = {"emergency", "non_emergency"}
HOURS_REFS = ("office_hours", "front_door")
DEADLINES = ("one_working_day",)


class _Checker:
    """Carries the file name so every helper can raise a precise ProfileError."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, problem: str) -> None:
        raise ProfileError(self.file, path, problem)

    # -- primitives -------------------------------------------------------------------------
    def mapping(self, value: Any, path: str, allowed: set[str], required: tuple[str, ...] = ()) -> dict:
        if not isinstance(value, dict):
            self.fail(path or "(top level)", f"expected a mapping of keys, got {type(value).__name__}")
        for key in value:
            if isinstance(key, bool):   # YAML 1.1 reads a bare on/off/yes/no key as true/false
                self.fail(_join(path, str(key).lower()), "YAML reads a bare on, off, yes or no as true or "
                          f"false; this key is not one of {', '.join(sorted(allowed))}")
            if key not in allowed:
                import difflib  # only on the error path

                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(sorted(allowed))})"
                self.fail(_join(path, str(key)), f"unknown key {key!r}{hint}")
        for key in required:
            if value.get(key) in (None, "", [], {}):
                self.fail(_join(path, key), "is required but missing")
        return value

    def text(self, value: Any, path: str, required: bool = False) -> str | None:
        if value is None:
            if required:
                self.fail(path, "is required but missing")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"must be a non-empty text, got {value!r}")
        return value.strip()

    def flag(self, value: Any, path: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(path, f"must be true or false, got {value!r}")
        return value

    def phone(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            self.fail(path, f"{value!r} must be written in quotes, exactly as the policy writes it")
        if not is_uk_phone(value):
            self.fail(path, f"{value!r} is not a UK phone number")
        return value.strip()

    def minutes(self, value: Any, path: str) -> int:
        if not isinstance(value, str):
            self.fail(path, f"{value!r} must be a quoted \"HH:MM\" time (unquoted 17:30 is read by YAML as a number)")
        m = _TIME.match(value.strip())
        if not m:
            self.fail(path, f"{value!r} is not a \"HH:MM\" time")
        h, mi = int(m.group(1)), int(m.group(2))
        if h > 24 or mi > 59 or (h == 24 and mi):
            self.fail(path, f"{value!r} is not a real time of day")
        return h * 60 + mi

    def days(self, value: Any, path: str) -> tuple[int, ...]:
        items = value if isinstance(value, list) else [value]
        out: list[int] = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.fail(f"{path}[{i}]", f"{item!r} is not a weekday (use mon, tue, ... or a range like mon-fri)")
            word = item.strip().lower()
            ends = word.split("-")
            if len(ends) > 2 or any(e not in WEEKDAYS for e in ends):
                self.fail(path if len(items) == 1 else f"{path}[{i}]",
                          f"{item!r} is not a weekday (use mon, tue, ... or a range like mon-fri)")
            a, b = WEEKDAYS.index(ends[0]), WEEKDAYS.index(ends[-1])
            if b < a:
                self.fail(path, f"{item!r}: the range runs backwards")
            out.extend(range(a, b + 1))
        if len(set(out)) != len(out):
            self.fail(path, "a day is listed twice")
        return tuple(sorted(out))

    # -- building blocks ---------------------------------------------------------------------
    def hours(self, value: Any, path: str) -> Hours | None:
        if value is None:
            return None
        if value in ("24 hours", "always"):
            value = {"always": True, "source": "stated as 24 hours"}
        v = self.mapping(value, path, HOURS_KEYS, required=("source",))
        kinds = [k for k in ("always", "weekly", "same_as", "when_closed") if v.get(k) not in (None, False)]
        if len(kinds) != 1:
            self.fail(path, "give exactly one of always, weekly, same_as, when_closed")
        kind = kinds[0]
        common = dict(source=self.text(v["source"], _join(path, "source"), True),
                      assumed=self.flag(v.get("assumed"), _join(path, "assumed")),
                      note=self.text(v.get("note"), _join(path, "note")))
        bh = v.get("bank_holidays", "closed")
        if bh not in ("closed", "open"):
            self.fail(_join(path, "bank_holidays"), f"{bh!r} must be 'closed' or 'open'")
        if kind == "always":
            if v["always"] is not True:
                self.fail(_join(path, "always"), "must be true")
            return Hours("always", **common)
        if kind in ("same_as", "when_closed"):
            ref = v[kind]
            if ref not in HOURS_REFS:
                self.fail(_join(path, kind), f"{ref!r} must be one of {', '.join(HOURS_REFS)}")
            return Hours(kind, ref=ref, **common)
        rules_raw = v["weekly"]
        if not isinstance(rules_raw, list) or not rules_raw:
            self.fail(_join(path, "weekly"), "must be a list of {days, open, close}")
        rules = []
        for i, raw in enumerate(rules_raw):
            rp = f"{_join(path, 'weekly')}[{i}]"
            r = self.mapping(raw, rp, RULE_KEYS, required=("days", "open", "close"))
            days = self.days(r["days"], _join(rp, "days"))
            o, c = self.minutes(r["open"], _join(rp, "open")), self.minutes(r["close"], _join(rp, "close"))
            if c <= o:
                self.fail(rp, f"closes ({r['close']}) before it opens ({r['open']}); "
                              "describe overnight cover as an out-of-hours line with when_closed")
            rules.append(WeeklyRule(days, o, c))
        for i, a in enumerate(rules):
            for j in range(i + 1, len(rules)):
                b = rules[j]
                shared = set(a.days) & set(b.days)
                if shared and a.open_min < b.close_min and b.open_min < a.close_min:
                    self.fail(f"{_join(path, 'weekly')}[{j}]",
                              f"overlaps weekly[{i}] on {', '.join(WEEKDAYS[d] for d in sorted(shared))}")
        return Hours("weekly", rules=tuple(rules), bank_holidays=bh,
                     bank_holidays_assumed=self.flag(v.get("bank_holidays_assumed"),
                                                     _join(path, "bank_holidays_assumed")), **common)

    def contact(self, value: Any, path: str) -> Contact:
        v = self.mapping(value, path, CONTACT_KEYS, required=("role", "source"))
        phone = None if v.get("phone") is None else self.phone(v["phone"], _join(path, "phone"))
        others = v.get("other_phones") or []
        if not isinstance(others, list):
            self.fail(_join(path, "other_phones"), "must be a list")
        other_phones = tuple(self.phone(p, f"{_join(path, 'other_phones')}[{i}]") for i, p in enumerate(others))
        missing = self.text(v.get("missing_reason"), _join(path, "missing_reason"))
        if phone is None and not missing:
            self.fail(_join(path, "phone"), "is empty: give the number, or say why it is missing in missing_reason")
        email = self.text(v.get("email"), _join(path, "email"))
        if email and not _EMAIL.match(email):
            self.fail(_join(path, "email"), f"{email!r} is not an email address")
        return Contact(
            key=path, role=self.text(v["role"], _join(path, "role"), True), source=self.text(v["source"], _join(path, "source"), True),
            name=self.text(v.get("name"), _join(path, "name")), phone=phone, other_phones=other_phones,
            email=email, url=self.text(v.get("url"), _join(path, "url")),
            hours=self.hours(v.get("hours"), _join(path, "hours")), missing_reason=missing,
            as_written=self.text(v.get("as_written"), _join(path, "as_written")),
            why=self.text(v.get("why"), _join(path, "why")), note=self.text(v.get("note"), _join(path, "note")))

    def optional_contact(self, value: Any, path: str) -> Contact | None:
        return None if value is None else self.contact(value, path)

    def area(self, value: Any, path: str) -> Area:
        v = self.mapping(value, path, AREA_KEYS, required=("id", "name", "source"))
        area_id = self.text(v["id"], _join(path, "id"), True)
        if not _ID.match(area_id):
            self.fail(_join(path, "id"), f"{area_id!r} must be lower-case words joined by hyphens")
        aliases = v.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            self.fail(_join(path, "aliases"), "must be a list of names")
        notes = v.get("notes") or []
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            self.fail(_join(path, "notes"), "must be a list of sentences")
        advice = v.get("advice") or []
        if not isinstance(advice, list):
            self.fail(_join(path, "advice"), "must be a list of contacts")
        return Area(
            id=area_id, name=self.text(v["name"], _join(path, "name"), True), aliases=tuple(a.strip() for a in aliases),
            source=self.text(v["source"], _join(path, "source"), True),
            local_authority=self.text(v.get("local_authority"), _join(path, "local_authority")),
            front_door=self.optional_contact(v.get("front_door"), _join(path, "front_door")),
            out_of_hours=self.optional_contact(v.get("out_of_hours"), _join(path, "out_of_hours")),
            lado=self.optional_contact(v.get("lado"), _join(path, "lado")),
            advice=tuple(self.contact(c, f"{_join(path, 'advice')}[{i}]") for i, c in enumerate(advice)),
            url=self.text(v.get("url"), _join(path, "url")), notes=tuple(notes))

    def route(self, value: Any, path: str) -> tuple[RouteItem, ...]:
        if not isinstance(value, list) or not value:
            self.fail(path, "must be a non-empty list of steps")
        items = []
        for i, raw in enumerate(value):
            ip = f"{path}[{i}]"
            if isinstance(raw, str):
                raw = {"ref": raw}
            r = self.mapping(raw, ip, ROUTE_KEYS)
            if (r.get("ref") is None) == (r.get("note") is None):
                self.fail(ip, "give either ref (whom to ring) or note (what to tell the worker)")
            if r.get("deadline") is not None and r["deadline"] not in DEADLINES:
                self.fail(_join(ip, "deadline"), f"{r['deadline']!r} must be one of {', '.join(DEADLINES)}")
            items.append(RouteItem(**{k: self.text(r.get(k), _join(ip, k)) for k in ROUTE_KEYS}))
        return tuple(items)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_REF = re.compile(r"^(emergency|police|leads|local_authority|area\.(front_door|out_of_hours|lado|advice)"
                  r"|contacts\.[a-z0-9_]+|national\.[a-z0-9_]+)$")


def build_organisation(data: Any, file: str, expected_id: str) -> Organisation:
    """Validate `data` (parsed YAML of `file`) and return the Organisation; raise ProfileError."""
    c = _Checker(file)
    v = c.mapping(data, "", ORG_KEYS, required=("id", "name", "policy", "office_hours", "leads", "areas", "police"))
    org_id = c.text(v["id"], "id", True)
    if org_id != expected_id:
        c.fail("id", f"{org_id!r} must match the file name ({expected_id!r})")
    tz_name = c.text(v.get("timezone"), "timezone") or "Europe/London"
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        c.fail("timezone", f"{tz_name!r} is not a known time zone (e.g. Europe/London)")
    records = v.get("telegram_records", "chat")
    if records not in ("chat", "web_form"):
        c.fail("telegram_records", f"{records!r} must be 'chat' or 'web_form'")
    office = c.hours(v["office_hours"], "office_hours")
    if office is None or office.kind not in ("weekly", "always"):
        c.fail("office_hours", "must be weekly rules (or always)")
    leads_raw = v["leads"]
    if not isinstance(leads_raw, list):
        c.fail("leads", "must be a list: the lead first, then deputies")
    leads = tuple(c.contact(x, f"leads[{i}]") for i, x in enumerate(leads_raw))
    areas_raw = v["areas"]
    if not isinstance(areas_raw, list):
        c.fail("areas", "must be a list of areas")
    areas = tuple(c.area(x, f"areas[{i}]") for i, x in enumerate(areas_raw))
    seen: dict[str, str] = {}
    for i, a in enumerate(areas):
        for word in (a.id, a.name, *a.aliases):
            key = word.casefold()
            if key in seen and seen[key] != a.id:
                c.fail(f"areas[{i}]", f"{word!r} is already used by area {seen[key]!r}")
            seen[key] = a.id
    police = c.mapping(v["police"], "police", POLICE_KEYS, required=("emergency",))
    contacts_raw = v.get("contacts") or {}
    national_raw = v.get("national") or {}
    for name, raw in (("contacts", contacts_raw), ("national", national_raw)):
        if not isinstance(raw, dict):
            c.fail(name, "must be a mapping of id: contact")
        for key in raw:
            if not re.match(r"^[a-z0-9_]+$", str(key)):
                c.fail(f"{name}.{key}", "ids use lower-case letters, digits and underscores")
    contacts = {k: c.contact(x, f"contacts.{k}") for k, x in contacts_raw.items()}
    national = {k: c.contact(x, f"national.{k}") for k, x in national_raw.items()}
    routes_raw = v.get("routes") or {}
    if not isinstance(routes_raw, dict):
        c.fail("routes", "must map topic: list of steps")
    routes = {}
    for topic, raw in routes_raw.items():
        if topic not in TOPICS:
            c.fail(f"routes.{topic}", f"unknown topic {topic!r} (topics: {', '.join(TOPICS)})")
        routes[topic] = c.route(raw, f"routes.{topic}")
        for i, item in enumerate(routes[topic]):
            for field in ("ref", "when_closed"):
                ref = getattr(item, field)
                if ref is None:
                    continue
                if not _REF.match(ref):
                    c.fail(f"routes.{topic}[{i}].{field}", f"{ref!r} is not a known reference")
                kind, _, key = ref.partition(".")
                if kind == "contacts" and key not in contacts:
                    c.fail(f"routes.{topic}[{i}].{field}", f"no contact {key!r} under contacts")
                if kind == "national" and key not in national:
                    c.fail(f"routes.{topic}[{i}].{field}", f"no line {key!r} under national")
    default_area = c.text(v.get("default_area"), "default_area")
    if default_area and default_area not in {a.id for a in areas}:
        c.fail("default_area", f"{default_area!r} is not one of the areas")
    notes = v.get("notes") or []
    if not isinstance(notes, list):
        c.fail("notes", "must be a list of sentences")
    retention = None
    if v.get("retention") is not None:
        r = c.mapping(v["retention"], "retention", RETENTION_KEYS, required=("years", "after", "source"))
        if not isinstance(r["years"], int) or isinstance(r["years"], bool) or not 1 <= r["years"] <= 100:
            c.fail("retention.years", f"{r['years']!r} must be a whole number of years from 1 to 100")
        if r["after"] not in RETENTION_BASES:
            c.fail("retention.after", f"{r['after']!r} must be one of {', '.join(RETENTION_BASES)}")
        retention = Retention(r["years"], r["after"], c.text(r["source"], "retention.source", True),
                              c.text(r.get("note"), "retention.note"))
    alerts = None
    if v.get("alerts") is not None:
        a = c.mapping(v["alerts"], "alerts", ALERTS_KEYS, required=("recipients",))
        if not isinstance(a["recipients"], list):
            c.fail("alerts.recipients", "must be a list: the lead first, then whoever is alerted next")
        recipients = []
        for i, raw in enumerate(a["recipients"]):
            rp = f"alerts.recipients[{i}]"
            r = c.mapping(raw, rp, RECIPIENT_KEYS, required=("role", "name"))
            email = c.text(r.get("email"), _join(rp, "email"))
            if email and not _EMAIL.match(email):
                c.fail(_join(rp, "email"), f"{email!r} is not an email address")
            recipients.append(AlertRecipient(c.text(r["role"], _join(rp, "role"), True),
                                             c.text(r["name"], _join(rp, "name"), True), email,
                                             c.flag(r.get("telegram"), _join(rp, "telegram"))))
        names = [r.name.casefold() for r in recipients]
        for i, name in enumerate(names):
            if name in names[:i]:
                c.fail(f"alerts.recipients[{i}].name", f"{recipients[i].name!r} is listed twice")
        windows = {}
        for key, default in (("urgent_minutes", 15), ("standard_minutes", 240)):
            value = a.get(key, default)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10080:
                c.fail(f"alerts.{key}", f"{value!r} must be a whole number of minutes from 1 to 10080 (a week)")
            windows[key] = value
        alerts = Alerts(tuple(recipients), note=c.text(a.get("note"), "alerts.note"), **windows)
    deadlines = _deadlines(c, v.get("deadlines"))
    emergency = c.contact(police["emergency"], "police.emergency")
    if emergency.phone != "999":
        c.fail("police.emergency.phone", "must be \"999\"")
    return Organisation(
        id=org_id, name=c.text(v["name"], "name", True), policy=c.text(v["policy"], "policy", True), path=file,
        timezone=tz, office_hours=office, leads=leads, areas=areas, police_emergency=emergency,
        police_non_emergency=c.optional_contact(police.get("non_emergency"), "police.non_emergency"),
        out_of_hours=c.optional_contact(v.get("out_of_hours"), "out_of_hours"), contacts=contacts,
        national=national, routes=routes, default_area=default_area, telegram_records=records,
        policy_date=c.text(v.get("policy_date"), "policy_date"), notes=tuple(notes), retention=retention,
        alerts=alerts, deadlines=deadlines)


def _deadlines(c: _Checker, raw: Any) -> tuple[DeadlineRule, ...]:
    """The policy's time limits after a decision; each needs its words quoted in `source`."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        c.fail("deadlines", "must be a list of rules")
    rules: list[DeadlineRule] = []
    for i, item in enumerate(raw):
        p = f"deadlines[{i}]"
        d = c.mapping(item, p, DEADLINE_KEYS, required=("id", "decision", "what", "source"))
        rule_id = c.text(d["id"], f"{p}.id", True)
        if rule_id in {r.id for r in rules}:
            c.fail(f"{p}.id", f"{rule_id!r} is used twice")
        if d["decision"] not in DECISIONS:
            c.fail(f"{p}.decision", f"{d['decision']!r} must be one of {', '.join(DECISIONS)}")
        start = d.get("from", "decision")
        if start not in ("filed", "decision"):
            c.fail(f"{p}.from", f"{start!r} must be filed or decision")
        given = [k for k in ("hours", "working_days") if d.get(k) is not None]
        if len(given) != 1:
            c.fail(p, "give exactly one of hours or working_days")
        amount = d[given[0]]
        if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= 720:
            c.fail(f"{p}.{given[0]}", f"{amount!r} must be a whole number from 1 to 720")
        rules.append(DeadlineRule(rule_id, d["decision"], start, c.text(d["what"], f"{p}.what", True),
                                  c.text(d["source"], f"{p}.source", True),
                                  hours=d.get("hours"), working_days=d.get("working_days")))
    return tuple(rules)
