"""The browser tests' page objects: the running site, and the widget as a worker uses it."""
from __future__ import annotations

import json
import os
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine

from bot import serve
from bot.concerns.conversations import ConversationVault
from bot.concerns.crypto import FieldCipher
from tests.conftest import TEST_KEY

CHROMIUM = os.environ.get("SAFEGUARD_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SAFEGUARD_CHROMEDRIVER", "/usr/bin/chromedriver")
FRIDAY_EVENING = "2026-11-20T18:00"          # out of hours for every organisation


def wait_for(predicate, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Site:
    """The running stack as the browser sees it."""

    def __init__(self, stack: serve.Stack, tmp: Path):
        self.stack = stack
        self.web = f"http://127.0.0.1:{stack.ports.web}"
        self.rasa = f"http://127.0.0.1:{stack.ports.rasa}"
        self.conversations_url = f"sqlite:///{tmp / 'conversations.db'}"
        self._vault: ConversationVault | None = None

    def demo(self, org: str = "grange-primary") -> str:
        return f"{self.web}/demo/{org}"

    def vault(self) -> ConversationVault:
        """The conversations Rasa keeps, read as the bot reads them."""
        if self._vault is None:
            self._vault = ConversationVault(create_engine(self.conversations_url, future=True),
                                            FieldCipher([TEST_KEY.encode()]))
        return self._vault

    def post(self, path: str, body: dict) -> list | dict:
        req = urllib.request.Request(f"{self.rasa}{path}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read())


@contextmanager
def running_site(tmp: Path) -> Iterator[Site]:
    """Rasa, actions and the web app on free ports; the web app's origin is the allowed CORS origin.

    Not `serve.running()`: it picks its ports inside, and Rasa's --cors (read from
    SAFEGUARD_CORS when the commands are built) must name the web app's port before start.
    """
    ports = serve.Ports("127.0.0.1", *serve.free_ports(3))
    web, rasa = f"http://127.0.0.1:{ports.web}", f"http://127.0.0.1:{ports.rasa}"
    overrides = {"SAFEGUARD_KEYS": TEST_KEY, "SAFEGUARD_DATABASE_URL": f"sqlite:///{tmp / 'concerns.db'}",
                 "SAFEGUARD_CONVERSATIONS_URL": f"sqlite:///{tmp / 'conversations.db'}",
                 "SAFEGUARD_NOW": FRIDAY_EVENING, "SAFEGUARD_CORS": web, "SAFEGUARD_RASA_URL": rasa}
    saved = os.environ.get("SAFEGUARD_CORS")
    os.environ["SAFEGUARD_CORS"] = web             # commands() reads it for Rasa's --cors
    try:
        stack = serve.Stack(ports, serve.environment(ports) | overrides, tmp)
    finally:
        if saved is None:
            del os.environ["SAFEGUARD_CORS"]
        else:
            os.environ["SAFEGUARD_CORS"] = saved
    try:
        for name in stack.names:
            stack.start(name)
        stack.wait_ready()
        yield Site(stack, tmp)
    finally:
        stack.stop()


def run_axe(driver, source: str) -> list[dict]:
    """axe-core's WCAG 2.x A/AA violations on the whole page (it looks inside shadow roots)."""
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(source)
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
        "nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))), e => done([{id: 'error', "
        "impact: 'critical', help: String(e), nodes: []}]));")


def chromium(width: int = 1280, height: int = 900):
    """Debian's headless Chromium through Debian's chromedriver: Selenium Manager never downloads."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}", "--disable-extensions", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--force-prefers-reduced-motion", "--hide-scrollbars"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    browser.set_script_timeout(60)
    return browser


class Widget:
    """The widget on a demo page, driven as a worker would (keyboard and clicks)."""

    def __init__(self, driver, site: Site):
        self.driver, self.site = driver, site

    def visit(self, org: str = "grange-primary", fresh: bool = True) -> "Widget":
        if fresh:                                   # as a new tab: nothing in sessionStorage
            self.driver.get(f"{self.site.web}/api/v1/health")   # same origin, no widget on it
            self.driver.execute_script("sessionStorage.clear()")
        self.driver.get(self.site.demo(org))
        wait_for(lambda: self.js("return !!root"), what="the widget")
        return self

    def js(self, body: str, *args):
        """Run `body` with `root` bound to the widget's shadow root."""
        return self.driver.execute_script(
            "const root = (document.querySelector('[data-safeguard-widget]') || {}).shadowRoot;\n" + body, *args)

    def find(self, css: str):
        return self.driver.find_element("css selector", "[data-safeguard-widget]").shadow_root.find_element(
            "css selector", css)

    def find_all(self, css: str):
        return self.driver.find_element("css selector", "[data-safeguard-widget]").shadow_root.find_elements(
            "css selector", css)

    def open(self) -> None:
        self.find(".launcher").click()
        wait_for(lambda: self.js("return !root.querySelector('.panel').hidden"), what="the panel to open")

    def messages(self) -> list[tuple[str, str]]:
        return [tuple(m) for m in self.js(
            "return [...root.querySelectorAll('.log > li')].map(li => "
            "[li.className.replace('msg ', ''), li.querySelector('.text').textContent]);")]

    def bot_count(self) -> int:
        return sum(1 for who, _ in self.messages() if who == "bot")

    def _answered(self, before: int, timeout: float = 60.0) -> list[str]:
        wait_for(lambda: self.bot_count() > before and not self.stored().get("pending"), timeout,
                 "the bot's answer")
        return [text for who, text in self.messages() if who == "bot"][before:]

    def say(self, text: str) -> list[str]:
        """Type a message and press Enter; the bot's new replies."""
        before = self.bot_count()
        box = self.find("textarea")
        box.send_keys(text)
        box.send_keys("\n")                          # Enter sends
        return self._answered(before)

    def press(self, title: str) -> list[str]:
        """Press the enabled choice button with this title; the bot's new replies."""
        before = self.bot_count()
        buttons = [b for b in self.find_all(".choices button") if b.text == title and b.is_enabled()]
        assert buttons, f"no enabled button {title!r}; have {[b.text for b in self.find_all('.choices button')]}"
        buttons[-1].click()
        return self._answered(before)

    def stored(self) -> dict:
        return self.driver.execute_script(
            "const k = Object.keys(sessionStorage).find(k => k.startsWith('safeguard-widget:'));"
            "return k ? JSON.parse(sessionStorage.getItem(k)) : {};")

    def active(self) -> str:
        """What has keyboard focus: 'launcher', a tag name inside the widget, or 'page'."""
        return self.js("const a = root.activeElement; if (!a) return 'page';"
                       "return a.classList.contains('launcher') ? 'launcher' : a.tagName.toLowerCase();")

    def axe(self, source: str) -> list[dict]:
        return run_axe(self.driver, source)
