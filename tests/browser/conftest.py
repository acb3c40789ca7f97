"""The real stack (Rasa, actions, web app) and headless Chromium, once per test session.

Chromium and chromedriver are Debian's (`scripts/with-chromium` installs them for
`make test`); Selenium's Service is pointed at /usr/bin/chromedriver so Selenium
Manager never downloads a driver. axe-core comes from the npm registry: the pinned
tarball, checked against the integrity hash the registry publishes, cached in .cache/.
"""
from __future__ import annotations

import base64
import hashlib
import io
import shutil
import tarfile
import urllib.request

import pytest

from bot import serve
from browsing import CHROMEDRIVER, CHROMIUM, Widget, chromium, running_site


AXE_VERSION = "4.14.1"                       # npm: axe-core (MPL-2.0)
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
AXE_TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
CACHE = serve.ROOT / ".cache" / "axe-core"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    if not serve.MODEL.exists():
        pytest.fail(f"no trained model at {serve.MODEL}: run `make test`, which trains first")
    with running_site(tmp_path_factory.mktemp("browser")) as running:
        yield running


@pytest.fixture(scope="session")
def driver():
    for path in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(path):
            pytest.fail(f"{path} not found: `make test` installs Debian's chromium and chromium-driver "
                        "(scripts/with-chromium)")
    browser = chromium()
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js from the pinned npm tarball, verified against the registry's integrity hash."""
    tarball = CACHE / f"axe-core-{AXE_VERSION}.tgz"
    if not tarball.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with urllib.request.urlopen(AXE_TARBALL, timeout=60) as resp:
            data = resp.read()
        _check_integrity(data)
        tarball.write_bytes(data)
    data = tarball.read_bytes()
    _check_integrity(data)                     # the cache too: never run an unverified script
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return tar.extractfile("package/axe.min.js").read().decode()


def _check_integrity(data: bytes) -> None:
    algorithm, expected = AXE_INTEGRITY.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise AssertionError(f"axe-core {AXE_VERSION} tarball does not match its npm integrity hash; "
                             f"delete {CACHE} and retry")


@pytest.fixture
def widget(driver, site):
    driver.set_window_size(1280, 900)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return Widget(driver, site).visit()
