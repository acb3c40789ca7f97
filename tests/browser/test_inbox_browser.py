"""The inbox's main path in headless Chromium, as a new lead meets it: the set-up link, the
authenticator code, the list, one concern, a decision with reasons, signing out. Keyboard-usable
form controls and no axe-core violations, on a desktop and a 360 px phone."""
from __future__ import annotations

import json
from datetime import timedelta

import pyotp
import pytest
from selenium.webdriver.common.by import By

from bot import clock
from bot.concerns import default_store
from bot.inbox.accounts import Accounts
from bot.serve import free_port
from browsing import run_axe, wait_for
from tests.inbox.conftest import file
from tests.web_process import web_app

PASSWORD = "a long sentence nobody guesses"


@pytest.fixture
def web(tmp_path, monkeypatch):
    monkeypatch.delenv("SAFEGUARD_NOW", raising=False)      # real time: the codes come from the real clock
    port = free_port()
    with web_app(tmp_path, port, SAFEGUARD_PUBLIC_URL=f"http://127.0.0.1:{port}") as url:
        yield url


def fill(driver, field_id: str, text: str) -> None:
    box = driver.find_element(By.ID, field_id)
    box.clear()
    box.send_keys(text)


def submit(driver, label: str) -> None:
    before = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.XPATH, f"//button[normalize-space()='{label}']").click()
    wait_for(lambda: not _alive(before), what=f"the page after '{label}'")


def _alive(element) -> bool:
    try:
        element.tag_name
        return True
    except Exception:   # noqa: BLE001 - stale: the next page has loaded
        return False


def heading(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def test_a_new_lead_sets_up_signs_in_reads_and_decides(driver, web, axe_source):
    driver.set_window_size(1280, 900)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    store = default_store()
    reference = file(store, org="grange-primary", child_words="<b>mummy</b> said don't tell")
    _, token = Accounts(store).create("grange-primary", "head@grange.example", "Helen Head", {"lead"}, by="test")
    violations: list[dict] = []

    driver.get(f"{web}/inbox/set-up/{token}")
    assert heading(driver) == "Set up your inbox account"
    assert driver.find_element(By.CSS_SELECTOR, ".qr svg").is_displayed()
    secret = driver.find_element(By.CSS_SELECTOR, "code.secret").text   # what a person types into the app
    violations += run_axe(driver, axe_source)
    fill(driver, "password", PASSWORD)
    fill(driver, "confirm", PASSWORD)
    fill(driver, "code", pyotp.TOTP(secret).at(clock.utcnow()))      # this step's; the server allows one step of drift,
    submit(driver, "Finish setting up")                                  # so a boundary passing mid-test does no harm
    assert heading(driver) == "Your account is ready"

    driver.find_element(By.LINK_TEXT, "Sign in").click()
    wait_for(lambda: heading(driver) == "Sign in", what="the sign-in page")
    violations += run_axe(driver, axe_source)
    fill(driver, "username", "head@grange.example")
    fill(driver, "password", PASSWORD)
    submit(driver, "Continue")
    assert heading(driver) == "Enter your code"
    fill(driver, "code", pyotp.TOTP(secret).at(clock.utcnow() + timedelta(seconds=30)))   # the next step's: a code works once
    submit(driver, "Sign in")
    assert heading(driver) == "Concerns"
    assert reference in driver.find_element(By.TAG_NAME, "table").text
    violations += run_axe(driver, axe_source)

    driver.find_element(By.LINK_TEXT, reference).click()
    wait_for(lambda: heading(driver) == f"Concern {reference}", what="the concern")
    record = driver.find_element(By.CSS_SELECTOR, "dl.record").text
    assert "<b>mummy</b> said don't tell" in record                     # shown as typed, never run as HTML
    violations += run_axe(driver, axe_source)
    driver.find_element(By.CSS_SELECTOR, "input[name=decision][value=lado]").click()
    fill(driver, "reasons", "Concern about a lunchtime supervisor's conduct.")
    submit(driver, "Record decision")
    assert "Decision recorded." in driver.find_element(By.CSS_SELECTOR, ".notice").text
    due = driver.find_element(By.CSS_SELECTOR, ".reminders").text
    assert "03330 139 797" in due and "§ 10" in due                       # Grange's LADO deadline, with its source
    assert "Refer to the LADO" in driver.find_element(By.CSS_SELECTOR, ".history").text

    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True})
    driver.refresh()
    wait_for(lambda: heading(driver) == f"Concern {reference}", what="the concern on a phone")
    wide = driver.execute_script(
        "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)"
        ".map(e => e.tagName + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)")
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 360, wide
    violations += run_axe(driver, axe_source)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    submit(driver, "Sign out Helen Head")
    assert heading(driver) == "Sign in"
    driver.get(f"{web}/inbox/concerns/{reference}")
    assert heading(driver) == "Sign in"                                  # the session is gone
    print("axe-core violations:", json.dumps(violations, indent=1))
    assert violations == []
    reads = [actor for actor, via, _ in store.reads_of("grange-primary", reference) if via == "inbox"]
    assert reads and all("Helen Head" in r for r in reads)
