"""Every number in data/orgs is traceable: its digits appear in the policy file its source cites."""
from __future__ import annotations

import re

import pytest
import yaml
from directory_helpers import ORGS_DIR, policies_dir

from bot.directory.phones import digits

POLICIES = policies_dir()
pytestmark = pytest.mark.skipif(POLICIES is None, reason="policy texts not found (set SAFEGUARD_POLICIES_DIR)")
POLICY_FILES = {"independence-project.txt", "grange-primary.txt", "bucks-toolkit.txt", "missing-link.txt",
                "west-kent.txt"}


def contacts(node, path=""):
    """Yield (path, contact dict) for every mapping with a phone or other_phones key."""
    if isinstance(node, dict):
        if "phone" in node and "source" in node:
            yield path, node
        for k, v in node.items():
            yield from contacts(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from contacts(v, f"{path}[{i}]")


def numbers_in(text: str) -> set[str]:
    """Digits of every phone-like run in a policy (spaces, brackets, hyphens, line breaks allowed)."""
    return {re.sub(r"\D", "", m) for m in re.findall(r"\d[\d ()\-\n]*\d", text)}


CASES = []
for path in sorted(ORGS_DIR.glob("*.yml")):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for where, contact in contacts(data):
        for phone in [contact.get("phone"), *(contact.get("other_phones") or [])]:
            if phone:
                CASES.append(pytest.param(path.name, where, phone, contact, id=f"{path.stem}:{where}:{phone}"))


@pytest.mark.parametrize("file,where,phone,contact", CASES)
def test_number_is_in_the_cited_policy(file, where, phone, contact):
    cited = contact["source"].split("§")[0].strip()
    assert cited in POLICY_FILES, f"{file}: {where}: source must start with a policy file name"
    text = (POLICIES / cited).read_text(encoding="utf-8")
    found = numbers_in(text)
    d = digits(phone)
    if d in found or any(d in run for run in found if len(d) >= 8):
        return
    # numbers the policy abbreviates, e.g. '(01375) 652535/652921', carry the exact text in as_written
    written = contact.get("as_written")
    assert written and " ".join(written.split()) in " ".join(text.split()), \
        f"{file}: {where}: {phone} does not appear in {cited}"
    assert d[-6:] in re.sub(r"\D", "", written) and d[:5] in re.sub(r"\D", "", written)


def test_every_contact_and_hours_has_a_source():
    for path in sorted(ORGS_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, contact in contacts(data):
            assert contact["source"].strip(), f"{path.name}: {where}"
            hours = contact.get("hours")
            if isinstance(hours, dict):
                assert hours.get("source"), f"{path.name}: {where}.hours"


def test_names_are_copied_exactly():
    checks = {
        "independence-project.txt": ["Andrew Denny"],
        "grange-primary.txt": ["Mrs Maggie Efenich", "Mrs Helen Wiseall", "Mrs Rachael Hunter", "Mrs Diane Brown"],
        "missing-link.txt": ["Ana Romero", "Dawn Harding", "Lally Mergler", "Alexa Murray", "Sarah O’Leary"],
    }
    for file, names in checks.items():
        text = (POLICIES / file).read_text(encoding="utf-8")
        for name in names:
            assert name in text, name


DEADLINE_CASES = [pytest.param(path.name, i, rule, id=f"{path.stem}:{rule['id']}")
                  for path in sorted(ORGS_DIR.glob("*.yml"))
                  for i, rule in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")).get("deadlines") or [])]


@pytest.mark.parametrize("file,i,rule", DEADLINE_CASES)
def test_every_deadline_quotes_its_policy_word_for_word(file, i, rule):
    """A deadline is a legal or policy duty: its quoted words (between '...' gaps) are in the cited policy."""
    cited = rule["source"].split("§")[0].strip()
    text = " ".join((POLICIES / cited).read_text(encoding="utf-8").replace("**", "").split())
    quote = rule["source"].split("'", 1)[1].rsplit("'", 1)[0]
    for part in (p.strip() for p in quote.split("...")):
        assert part in text, f"{file}: deadlines[{i}]: {part!r} is not in {cited}"
    amount = f"{rule['hours']} hours" if "hours" in rule else "one working day"
    assert amount in quote, f"{file}: deadlines[{i}]: the quote does not state {amount}"
