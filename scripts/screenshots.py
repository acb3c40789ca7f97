"""Screenshots for the README: the chat widget (docs/widget-desktop.png, docs/widget-phone.png) and
the leads' inbox with a concern open (docs/inbox-concern.png).

Starts the real bot (Rasa, actions, web app) on free ports and Debian's headless Chromium,
as the browser tests do, has a short conversation on the Grange Primary demo page, and
saves the page at 1280x800 and at a 360 px phone width. Run: .venv/bin/python scripts/screenshots.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from browsing import Widget, chromium, running_site, wait_for  # noqa: E402
from datetime import timedelta  # noqa: E402

DOCS = ROOT / "docs"


def converse(widget: Widget) -> None:
    widget.visit("grange-primary").open()
    widget.say("a girl in my class just told me her stepdad hits her")
    widget.press("No, not now")
    widget.js("root.activeElement && root.activeElement.blur()")   # no focus ring in the picture


def inbox(browser, tmp: Path) -> None:
    """A made-up concern at Missing Link, opened by a lead who has just recorded a referral."""
    import os

    import pyotp
    from cryptography.fernet import Fernet

    from bot import clock
    from bot.concerns import default_store
    from bot.concerns.store import Draft
    from bot.inbox.accounts import Accounts
    from bot.inbox.casework import Casework
    from tests.web_process import web_app

    os.environ.update(SAFEGUARD_KEYS=Fernet.generate_key().decode(), SAFEGUARD_DATABASE_URL=f"sqlite:///{tmp}/inbox.db")
    os.environ.pop("SAFEGUARD_NOW", None)
    store = default_store()
    reference = store.file(Draft("missing-link", {
        "child_ref": "J.B., 14", "incident_when": "Friday about 4pm", "incident_where": "the drop-in",
        "child_words": "my uncle makes me carry bags to the flats and says he'll hurt my mum if I stop",
        "observed": "Tired, same clothes as Monday, a new phone he wouldn't let go of", "worker_said": "Thank you "
        "for telling me. I have to pass this on to keep you safe.", "reporter": "Sam Okafor, youth worker"},
        "telegram", "shot", "shot")).reference
    accounts = Accounts(store)
    account, token = accounts.create("missing-link", "lee@missinglink.example", "Lee Lead", {"lead"}, by="docs")
    totp = pyotp.TOTP(accounts.enrolment(token).secret)
    accounts.enrol(token, "a long docs password", "a long docs password", totp.at(clock.utcnow()))
    Casework(store, accounts).decide(accounts.get(account.id), reference, "refer_social_care",
                                     "Carrying for an adult under threat: criminal exploitation. Rang First Response.")
    with web_app(tmp) as url:
        browser.get(f"{url}/inbox/sign-in")
        browser.find_element("id", "username").send_keys("lee@missinglink.example")
        browser.find_element("id", "password").send_keys("a long docs password\n")
        browser.find_element("id", "code").send_keys(totp.at(clock.utcnow() + timedelta(seconds=30)) + "\n")
        wait_for(lambda: browser.find_element("tag name", "h1").text == "Concerns", what="the list")
        browser.get(f"{url}/inbox/concerns/{reference}")
        wait_for(lambda: browser.find_element("tag name", "h1").text == f"Concern {reference}", what="the concern")
        browser.set_window_size(1280, 1000)
        browser.save_screenshot(str(DOCS / "inbox-concern.png"))


def main() -> int:
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_site(Path(tmp)) as site:
        browser = chromium()
        try:
            widget = Widget(browser, site)
            browser.set_window_size(1280, 800)
            converse(widget)
            browser.save_screenshot(str(DOCS / "widget-desktop.png"))
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})
            converse(widget)
            browser.save_screenshot(str(DOCS / "widget-phone.png"))
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            inbox(browser, Path(tmp))
        finally:
            browser.quit()
    print(f"saved {DOCS / 'widget-desktop.png'}, {DOCS / 'widget-phone.png'} and {DOCS / 'inbox-concern.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
