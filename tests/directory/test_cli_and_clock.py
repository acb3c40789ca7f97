"""The command line (as a subprocess) and the shared clock."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime

from directory_helpers import REPO, step_with

from bot.directory import who_to_call


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEGUARD_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=REPO, capture_output=True, text=True,
                          env=full_env, timeout=60)


def test_json_shape():
    out = run("who-to-call", "--org", "independence-project", "--at", "2026-11-20T18:00", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"org", "at", "area", "topic", "steps", "notes", "needs_area"} <= set(data)
    assert data["org"] == "independence-project" and data["at"] == "2026-11-20T18:00:00+00:00"
    ooh = next(s for s in data["steps"] if s["phone"] == "0345 606 1212")
    assert ooh["open_now"] is True
    assert set(ooh) >= {"order", "role", "name", "phone", "email", "open_now", "why", "source", "hours_assumed",
                        "opens"}


def test_human_output_with_area_and_topic():
    out = run("who-to-call", "--org", "missing-link", "--area", "Bath", "--topic", "allegation-staff",
              "--at", "2026-11-18T10:00")
    assert out.returncode == 0 and "01225 396810" in out.stdout and "Bath and North East Somerset" in out.stdout


def test_unknown_org_exits_2_listing_ids():
    out = run("who-to-call", "--org", "nope")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    for org_id in ("bucks-toolkit", "grange-primary", "independence-project", "missing-link", "west-kent"):
        assert org_id in out.stderr


def test_bad_time_and_topic_exit_2():
    for args in (["--at", "tomorrow"], ["--topic", "gossip"]):
        out = run("who-to-call", "--org", "grange-primary", *args)
        assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.startswith("error:")


def test_orgs_validate():
    out = run("orgs", "validate")
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.strip().splitlines()) == 5


def test_orgs_validate_reports_broken_profile(tmp_path):
    (tmp_path / "bad.yml").write_text("id: bad\nname: [unclosed\n")
    out = run("orgs", "validate", env={"SAFEGUARD_ORGS_DIR": str(tmp_path)})
    assert out.returncode == 1 and "bad.yml" in out.stderr and "not valid YAML" in out.stderr


def test_safeguard_now_freezes_the_clock(monkeypatch):
    monkeypatch.setenv("SAFEGUARD_NOW", "2026-11-20T18:00")
    plan = who_to_call("independence-project")
    assert plan.at == datetime.fromisoformat("2026-11-20T18:00+00:00")
    assert step_with(plan, "0345 606 1212").open_now is True
    out = run("who-to-call", "--org", "independence-project", "--json", env={"SAFEGUARD_NOW": "2026-11-18T10:00"})
    assert json.loads(out.stdout)["at"] == "2026-11-18T10:00:00+00:00"


def test_naive_at_is_london_time():
    plan = who_to_call("grange-primary", at=datetime(2026, 7, 1, 8, 45))
    assert plan.at.isoformat() == "2026-07-01T08:45:00+01:00"
    assert step_with(plan, "0345 603 7627").open_now is True
