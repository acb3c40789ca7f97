"""The first administrator starts from the command line: an account and its one-time set-up link."""
from __future__ import annotations

import os
import re
import subprocess
import sys

from bot.concerns import default_store
from bot.inbox.accounts import Accounts
from bot.serve import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "inbox", "add-account", *args], cwd=ROOT,
                          env={**os.environ, "SAFEGUARD_PUBLIC_URL": "https://guide.example.org"},
                          capture_output=True, text=True, timeout=60)


def test_add_account_prints_a_set_up_link_that_works():
    done = run("--org", "grange-primary", "--username", "head@grange.example", "--name", "Helen Head",
               "--role", "lead", "--role", "admin")
    assert done.returncode == 0, done.stderr
    token = re.search(r"https://guide\.example\.org/inbox/set-up/([A-Za-z0-9_-]+)", done.stdout).group(1)
    enrolment = Accounts(default_store()).enrolment(token)
    assert enrolment.account.name == "Helen Head" and enrolment.account.roles == {"lead", "admin"}


def test_add_account_refuses_an_unknown_organisation_or_a_taken_username():
    refused = run("--org", "nowhere", "--username", "a@b.example", "--name", "A B", "--role", "lead")
    assert refused.returncode == 2 and "unknown organisation 'nowhere'" in refused.stderr
    assert "Traceback" not in refused.stderr
    run("--org", "grange-primary", "--username", "a@b.example", "--name", "A B", "--role", "lead")
    again = run("--org", "grange-primary", "--username", "A@b.example", "--name", "A B", "--role", "deputy")
    assert again.returncode == 2 and "taken" in again.stderr
