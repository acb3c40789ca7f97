"""The chat widget in headless Chromium against the real bot: what a worker sees and does."""
from __future__ import annotations

import json
import urllib.request

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from browsing import wait_for

pytestmark = pytest.mark.e2e

DISCLOSURE = "a girl in my class just told me her stepdad hits her"
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> & "quotes"'


def test_keyboard_opens_and_closes_the_panel(widget):
    assert widget.find(".launcher").text == "Worried about a child?"
    assert widget.js("return root.querySelector('.launcher').getAttribute('aria-expanded')") == "false"
    widget.find(".launcher").send_keys(Keys.ENTER)           # keyboard, not a click
    wait_for(lambda: widget.find(".panel").is_displayed(), what="the panel")
    assert widget.active() == "textarea"                      # focus moved into the panel
    ActionChains(widget.driver).send_keys(Keys.ESCAPE).perform()
    wait_for(lambda: not widget.find(".panel").is_displayed(), what="the panel to close")
    assert widget.active() == "launcher"                      # and back to the launcher
    assert widget.js("return root.querySelector('.launcher').getAttribute('aria-expanded')") == "false"


def test_a_disclosure_with_buttons_and_free_text_survives_a_reload(widget, site):
    widget.open()
    first = widget.say(DISCLOSURE)
    assert "999" in first[0] and "still with the child" in first[0]
    assert [b.text for b in widget.find_all(".choices button")] == ["Yes, I'm with them", "No, not now"]

    advice = widget.press("No, not now")
    assert ("user", "No, not now") in widget.messages()       # the title is shown, not "/deny"
    assert not any(b.is_enabled() for b in widget.find_all(".log > li:nth-child(2) .choices button"))
    assert "Write it down now" in advice[0]

    assert "Who is the child" in widget.press("Write it down now")[0]
    assert "When did it happen" in widget.say("Amy, year 4")[0]
    before = widget.messages()
    sender = widget.stored()["sender"]

    widget.visit(fresh=False)                                 # reload mid-record
    wait_for(lambda: widget.messages() == before, what="the transcript after reload")
    assert widget.find(".panel").is_displayed()               # still open where the worker was
    assert widget.stored()["sender"] == sender
    assert "Where did it happen" in widget.say("today at 2pm")[0]

    texts = [t for _, t in widget.messages()]
    assert texts.count("Amy, year 4") == 1 and texts.count("today at 2pm") == 1   # nothing doubled
    assert widget.driver.execute_script("return localStorage.length") == 0        # shared computers


def test_several_replies_are_shown_in_order_with_a_live_region(widget):
    widget.open()
    replies = widget.say(DISCLOSURE)
    announced = widget.js("return root.querySelector('[aria-live]').textContent")
    assert all(r in announced for r in replies)
    shown = [t for who, t in widget.messages() if who == "bot"]
    assert shown == replies


def test_bot_replies_in_order_with_typing_indicator_and_hostile_bot_text_as_text(widget):
    """Rasa's replies stubbed in the page (fetch to the channel only): three at once, one hostile."""
    replies = [{"recipient_id": "x", "text": "First."},
               {"recipient_id": "x", "text": HOSTILE, "buttons": [{"title": "<b>bold?</b>", "payload": "/affirm"}]},
               {"recipient_id": "x", "text": "Third."}]
    widget.driver.execute_script("""
        const real = window.fetch, replies = arguments[0];
        window.fetch = (url, init) => String(url).endsWith('/webhooks/safeguard/webhook')
            ? new Promise(done => setTimeout(() => done(new Response(JSON.stringify(replies),
                  {headers: {'Content-Type': 'application/json'}})), 1500))
            : real(url, init);""", replies)
    widget.open()
    widget.find("textarea").send_keys("hello\n")
    wait_for(lambda: "The guide is typing" in widget.find(".status").text, what="the typing indicator")
    assert widget._answered(0) == ["First.", HOSTILE, "Third."]
    assert widget.find(".status").text == ""
    assert [b.text for b in widget.find_all(".choices button")] == ["<b>bold?</b>"]
    assert widget.js("return root.querySelectorAll('.log img, .log script, .log b').length") == 0
    assert widget.driver.execute_script("return window.__pwned") is None


def test_the_999_strip_is_always_there(widget):
    strip = widget.find(".danger a")
    assert not strip.is_displayed()                           # panel closed: the launcher only
    widget.open()
    assert strip.is_displayed() and strip.text == "In danger now? Call 999"
    assert strip.get_attribute("href") == "tel:999"


def test_who_do_i_call_shows_the_contacts_without_the_chat(widget):
    widget.open()
    widget.find(".tools button").click()
    wait_for(lambda: widget.find_all(".steps li"), what="the contacts")
    panel = widget.find(".contacts")
    assert widget.active() == "section"                       # focus moved to the contacts
    assert "Mrs Maggie Efenich" in panel.text and "Designated Safeguarding Lead" in panel.text
    links = {a.get_attribute("href"): a.text for a in widget.find_all(".contacts a")}
    assert links["tel:03456061212"] == "0345 606 1212"         # Essex out-of-hours
    assert "Open now" in panel.text and "Closed now" in panel.text   # Friday 18:00
    assert widget.messages() == []                            # nothing went through the chat


def test_who_do_i_call_asks_for_the_area_and_remembers_it(widget):
    widget.visit("missing-link").open()
    widget.find(".tools button").click()
    select = wait_for(lambda: widget.find_all("#sg-area"), what="the area choice")[0]
    assert "Where does the child live?" in widget.find(".contacts").text
    from selenium.webdriver.support.select import Select
    Select(select).select_by_visible_text("Bath and North East Somerset")
    wait_for(lambda: "Bath and North East Somerset" in widget.find(".plan-for").text, what="Bath's contacts")
    assert widget.stored()["area"] == "bath-ne-somerset"
    assert any(a.get_attribute("href").startswith("tel:") for a in widget.find_all(".steps a"))


def test_a_hostile_message_is_shown_as_text(widget):
    widget.open()
    widget.say(HOSTILE)
    assert ("user", HOSTILE) in widget.messages()
    assert widget.js("return root.querySelectorAll('.log img, .log script').length") == 0
    assert widget.driver.execute_script("return window.__pwned") is None
    assert widget.driver.execute_script("return document.querySelectorAll('img').length") == 0


def test_clear_this_conversation_ends_it_here_and_on_the_server(widget, site):
    widget.open()
    widget.say(DISCLOSURE)
    old = widget.stored()["sender"]
    assert site.vault().get(old) is not None
    clear = [b for b in widget.find_all(".tools button") if b.text == "Clear this conversation"][0]
    clear.click()
    wait_for(lambda: widget.messages() == [], what="the transcript to go")
    assert widget.stored()["sender"] != old and widget.stored()["log"] == []
    wait_for(lambda: site.vault().get(old) is None, what="the server to forget it")
    assert "Thank you for telling me" in widget.say(DISCLOSURE)[0]   # a new conversation starts


def test_a_dropped_connection_is_retried_without_losing_or_repeating(widget):
    widget.open()
    before = widget.bot_count()
    driver = widget.driver
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                           {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    try:
        box = widget.find("textarea")
        box.send_keys(DISCLOSURE + "\n")
        wait_for(lambda: "Reconnecting" in widget.find(".status").text, what="reconnecting…")
        assert widget.stored()["pending"]["message"] == DISCLOSURE   # kept, to send again
    finally:
        driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                               {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    replies = widget._answered(before)
    assert len(replies) == 1 and "still with the child" in replies[0]
    assert widget.find(".status").text == ""


def test_an_answer_lost_on_the_way_is_not_handled_twice(widget, site):
    """The bot heard the message but the page went before the answer came: the resend is answered
    from the conversation (same message_id), so the record form does not move on twice."""
    widget.open()
    widget.say(DISCLOSURE)
    widget.press("No, not now")
    widget.press("Write it down now")
    state = widget.stored()
    pending = {"id": "lost-answer-1", "message": "Amy, year 4"}
    body = {"sender": state["sender"], "message": pending["message"], "message_id": pending["id"],
            "metadata": {"org": "grange-primary"}, "input_channel": "widget"}
    heard = site.post("/webhooks/safeguard/webhook", body)           # handled once, answer "lost"
    assert "When did it happen" in heard[0]["text"]
    state["log"].append({"from": "user", "text": pending["message"]})
    state["pending"] = pending
    widget.driver.execute_script("sessionStorage.setItem(arguments[0], arguments[1])",
                                 "safeguard-widget:grange-primary", json.dumps(state))
    before = widget.bot_count()
    widget.visit(fresh=False)                                          # the page comes back
    replies = widget._answered(before)
    assert replies == [heard[0]["text"]]                               # the same answer, once
    assert "Where did it happen" in widget.say("today at 2pm")[0]       # not asked "when" again


@pytest.mark.parametrize("width, height", [(320, 640), (640, 450)], ids=["320px", "200pc-zoom"])
def test_small_screens_and_zoom_keep_everything_reachable(widget, width, height):
    """320 CSS px wide (a small phone) and 1280x900 at 200% zoom (640x450 CSS px)."""
    widget.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    widget.driver.refresh()
    widget.open()
    widget.say(DISCLOSURE)
    fits = widget.js("""
        const p = root.querySelector('.panel').getBoundingClientRect();
        const wide = [...root.querySelectorAll('.panel *')].filter(e => e.scrollWidth > e.clientWidth + 1
            && getComputedStyle(e).overflowX !== 'visible' && !e.matches('textarea, .sr-only'));
        return {left: p.left, right: p.right, vw: innerWidth, wide: wide.map(e => e.className || e.tagName)};""")
    assert fits["left"] >= 0 and fits["right"] <= fits["vw"] and fits["wide"] == [], fits
    for css in (".danger a", "textarea", ".compose button", ".close", ".choices button"):
        element = widget.find(css)
        widget.js("arguments[0].scrollIntoView({block: 'center'})", element)
        assert element.is_displayed(), css
    assert "Where did it happen" not in widget.press("No, not now")[0]  # the buttons work here too


def test_on_a_phone_tab_stays_inside_the_panel_that_covers_the_page(widget):
    widget.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                  {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True})
    widget.driver.refresh()
    widget.open()
    widget.find(".compose button").send_keys(Keys.TAB)          # from Send, the last control
    assert widget.js("return root.activeElement.className") == "close"
    ActionChains(widget.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert widget.js("return root.activeElement.textContent") == "Send"


def test_no_serious_accessibility_violations(widget, axe_source):
    widget.open()
    widget.say(DISCLOSURE)
    widget.find(".tools button").click()
    wait_for(lambda: widget.find_all(".steps li"), what="the contacts")
    found = widget.axe(axe_source)
    widget.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                  {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True})
    widget.driver.refresh()
    wait_for(lambda: widget.bot_count(), what="the transcript after reload")
    found += widget.axe(axe_source)
    print("axe-core violations:", json.dumps(found, indent=1))
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_the_page_keeps_to_its_content_security_policy_and_origins(widget, site):
    widget.driver.get_log("browser")                          # earlier tests' messages
    widget.driver.refresh()
    widget.open()
    widget.say(DISCLOSURE)
    widget.find(".tools button").click()
    wait_for(lambda: widget.find_all(".steps li"), what="the contacts")
    urls = widget.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert urls and all(u.startswith((site.web + "/", site.rasa + "/")) for u in urls), urls
    problems = [entry["message"] for entry in widget.driver.get_log("browser")
                if ("Content Security Policy" in entry["message"] or entry["level"] == "SEVERE")
                and "/favicon.ico" not in entry["message"]]           # the browser's own request
    assert problems == []
    with urllib.request.urlopen(site.demo(), timeout=10) as resp:
        csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and f"connect-src 'self' {site.rasa}" in csp and "unsafe" not in csp
