"""The project's web app in its own process, as in production: for tests that speak real HTTP to it."""
from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bot.serve import ROOT, _wait_for, free_port


@contextmanager
def web_app(log_dir: Path, port: int | None = None, **env: str) -> Iterator[str]:
    """`python -m bot web` on a free port, with this process's environment plus `env`; its base URL."""
    port = port or free_port()
    log = open(log_dir / f"web-{port}.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "bot", "web", "--port", str(port)], cwd=ROOT,
                            env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    try:
        _wait_for(f"http://127.0.0.1:{port}/api/v1/health", [proc], timeout=90)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
