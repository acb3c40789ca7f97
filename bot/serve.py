"""Start the bot: Rasa server and action server together, stopped together on Ctrl-C.

Process supervision is honcho's: if one process dies, the others are stopped
too, so a half-running bot never looks healthy.
"""
from __future__ import annotations

import logging
import os
import socket
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from honcho.manager import Manager

from bot.concerns.crypto import load_keys
from bot.concerns.store import ConcernStore
from bot.web import cors_origins

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "safeguard.tar.gz"


@dataclass(frozen=True)
class Ports:
    host: str = "127.0.0.1"
    rasa: int = 5005
    actions: int = 5055
    web: int = 8000

    @classmethod
    def from_env(cls) -> "Ports":
        return cls(os.environ.get("SAFEGUARD_HOST", "127.0.0.1"), int(os.environ.get("RASA_PORT", 5005)),
                   int(os.environ.get("ACTION_PORT", 5055)), int(os.environ.get("WEB_PORT", 8000)))


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def commands(ports: Ports, model: Path = MODEL, telegram: bool = False) -> dict[str, list[str]]:
    """The processes that make up the bot, by name; the Telegram bridge only with a token."""
    procs = {
        "actions": [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(ports.actions)],
        "rasa": [_bin("rasa"), "run", "--model", str(model), "--port", str(ports.rasa), "--interface", ports.host,
                 "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(ROOT / "endpoints.yml"),
                 "--cors", *cors_origins()],
        "web": [sys.executable, "-m", "bot", "web", "--host", ports.host, "--port", str(ports.web)],
        "outbox": [sys.executable, "-m", "bot", "records", "flush", "--watch", "30"],
        "alerts": [sys.executable, "-m", "bot", "alerts", "run"],
    }
    if telegram:
        procs["telegram"] = [sys.executable, "-m", "bot", "telegram"]
    return procs


def environment(ports: Ports) -> dict[str, str]:
    env = dict(os.environ)
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{ports.actions}/webhook"
    env["RASA_URL"] = f"http://127.0.0.1:{ports.rasa}"   # for the Telegram bridge
    env.setdefault("SAFEGUARD_PUBLIC_URL", f"http://{ports.host}:{ports.web}")   # links to the web form
    env["SANIC_HOST"] = ports.host          # the action server listens where Rasa does
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env


def prepare() -> None:
    """Key and database ready before any worker can file a record."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    load_keys(create_if_missing=True)
    ConcernStore.from_env()


def _wait_for(url: str, procs: list[subprocess.Popen] = (), timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"{p.args[:3]} exited with {p.returncode} before it was ready")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> tuple[int, ...]:
    """Loopback ports free now and different from each other: all are held until all are picked, or
    the system may hand the same one out twice and one server of a stack finds its port taken."""
    with ExitStack() as held:
        sockets = [held.enter_context(socket.socket()) for _ in range(count)]
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return tuple(s.getsockname()[1] for s in sockets)


class Stack:
    """The bot's processes for a test or benchmark; one can be killed and started again."""

    def __init__(self, ports: Ports, env: dict[str, str], log_dir: Path):
        self.ports, self._env, self._log_dir = ports, env, log_dir
        self._cmds = commands(ports, telegram=bool(env.get("TELEGRAM_BOT_TOKEN")))
        self._procs: dict[str, subprocess.Popen] = {}

    @property
    def names(self) -> list[str]:
        return list(self._cmds)

    def start(self, name: str) -> None:
        log = open(self._log_dir / f"{name}.log", "a")
        self._procs[name] = subprocess.Popen(self._cmds[name], env=self._env, cwd=ROOT, stdout=log,
                                             stderr=subprocess.STDOUT)
        log.close()

    def wait_ready(self) -> None:
        procs = list(self._procs.values())
        _wait_for(f"http://127.0.0.1:{self.ports.actions}/health", procs)
        _wait_for(f"http://127.0.0.1:{self.ports.rasa}/", procs)
        _wait_for(f"http://127.0.0.1:{self.ports.web}/api/v1/health", procs)

    def kill(self, name: str) -> None:
        """As if the process died: SIGKILL, no clean shutdown."""
        proc = self._procs.pop(name)
        proc.kill()
        proc.wait(timeout=20)

    def restart(self, name: str) -> None:
        self.kill(name)
        self.start(name)
        self.wait_ready()

    def stop(self) -> None:
        for proc in self._procs.values():
            proc.terminate()
        for proc in self._procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self._procs.clear()


@contextmanager
def running(overrides: dict[str, str], log_dir: Path) -> Iterator[Stack]:
    """All the bot's servers on free loopback ports, for tests and benchmarks; stopped on exit."""
    ports = Ports("127.0.0.1", *free_ports(3))
    stack = Stack(ports, environment(ports) | overrides, log_dir)
    try:
        for name in stack.names:
            stack.start(name)
        stack.wait_ready()
        yield stack
    finally:
        stack.stop()


def serve(shell: bool = False) -> int:
    if not MODEL.exists():
        print(f"error: no trained model at {MODEL}; run `make run` (it trains first)", file=sys.stderr)
        return 1
    prepare()
    ports = Ports.from_env()
    env = environment(ports)
    telegram = bool(os.environ.get("TELEGRAM_BOT_TOKEN", "").strip())
    cmds = commands(ports, telegram=telegram and not shell)
    if shell:
        return _shell(cmds, env, ports)
    manager = Manager()
    for name, argv in cmds.items():
        manager.add_process(name, shlex.join(argv), env=env, cwd=str(ROOT))
    if not telegram:
        print("Telegram: TELEGRAM_BOT_TOKEN is not set, so the Telegram bridge is not started.")
    print(f"Rasa on http://{ports.host}:{ports.rasa} (REST: /webhooks/rest/webhook), "
          f"actions on :{ports.actions}, web app on http://{ports.host}:{ports.web}. Ctrl-C stops all.")
    manager.loop()
    return manager.returncode or 0


def _shell(cmds: dict[str, list[str]], env: dict[str, str], ports: Ports) -> int:
    """A terminal chat: the action server in the background, `rasa shell` in front."""
    actions = subprocess.Popen(cmds["actions"], env=env, cwd=ROOT)   # the web app isn't needed here

    def _stop(signum, frame):  # a closed terminal (SIGHUP) must not leave the action server behind
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGHUP, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        _wait_for(f"http://127.0.0.1:{ports.actions}/health", [actions])
        argv = [_bin("rasa"), "shell", "--model", str(MODEL), "--endpoints", str(ROOT / "endpoints.yml"),
                "--interface", ports.host, "--port", str(ports.rasa)]
        return subprocess.call(argv, env=env, cwd=ROOT)
    finally:
        actions.terminate()
        actions.wait(timeout=10)
