"""Screenshots of the chat widget for the README: docs/widget-desktop.png and docs/widget-phone.png.

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

from browsing import Widget, chromium, running_site  # noqa: E402

DOCS = ROOT / "docs"


def converse(widget: Widget) -> None:
    widget.visit("grange-primary").open()
    widget.say("a girl in my class just told me her stepdad hits her")
    widget.press("No, not now")
    widget.js("root.activeElement && root.activeElement.blur()")   # no focus ring in the picture


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
        finally:
            browser.quit()
    print(f"saved {DOCS / 'widget-desktop.png'} and {DOCS / 'widget-phone.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
