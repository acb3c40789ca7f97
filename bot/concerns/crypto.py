"""Encryption of concern narratives at rest (Fernet, with key rotation).

Keys come from SAFEGUARD_KEYS (comma-separated, newest first) or a key file
outside the repository's tracked files. Several keys let old records stay
readable after a new key is added: encrypt with the first, decrypt with any.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

log = logging.getLogger(__name__)

KEYS_ENV = "SAFEGUARD_KEYS"
KEY_FILE_ENV = "SAFEGUARD_KEY_FILE"
DEFAULT_KEY_FILE = Path("var/keys/concerns.key")


class CipherKeyError(RuntimeError):
    """No usable key: records cannot be written or read."""


def _keys_from_file(path: Path) -> list[bytes]:
    return [line.strip().encode() for line in path.read_text().splitlines() if line.strip()]


def load_keys(create_if_missing: bool = False) -> list[bytes]:
    env = os.environ.get(KEYS_ENV, "").strip()
    if env:
        return [k.strip().encode() for k in env.split(",") if k.strip()]
    path = Path(os.environ.get(KEY_FILE_ENV, DEFAULT_KEY_FILE))
    if path.exists():
        return _keys_from_file(path)
    if not create_if_missing:
        raise CipherKeyError(f"no encryption key: set {KEYS_ENV} or create {path} (make run creates one)")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.parent.chmod(0o700)
    path.touch(mode=0o600)
    path.write_text(Fernet.generate_key().decode() + "\n")
    log.warning("Created a new local encryption key at %s. Back it up: without it, records "
                "cannot be read. In production set %s instead.", path, KEYS_ENV)
    return _keys_from_file(path)


class FieldCipher:
    """Encrypts a record's narrative fields as one token."""

    def __init__(self, keys: list[bytes]):
        try:
            self._fernet = MultiFernet([Fernet(k) for k in keys])
        except (ValueError, TypeError) as exc:
            raise CipherKeyError(f"an encryption key is not a valid Fernet key: {exc}") from exc

    def seal(self, fields: dict[str, str]) -> bytes:
        return self._fernet.encrypt(json.dumps(fields, ensure_ascii=False).encode("utf-8"))

    def open(self, token: bytes) -> dict[str, str]:
        try:
            return json.loads(self._fernet.decrypt(token).decode("utf-8"))
        except InvalidToken as exc:
            raise CipherKeyError("this record was encrypted with a key that is not configured") from exc


PSEUDONYM_ENV = "SAFEGUARD_PSEUDONYM_KEY"
DEFAULT_PSEUDONYM_FILE = Path("var/keys/pseudonym.key")


def pseudonym_secret() -> bytes:
    """The secret behind chat users' pseudonyms; separate from record keys, which rotate.

    Changing it forgets which organisation each chat user joined, so it is created
    once and kept.
    """
    env = os.environ.get(PSEUDONYM_ENV, "").strip()
    if env:
        return env.encode()
    path = DEFAULT_PSEUDONYM_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.touch(mode=0o600)
        path.write_text(os.urandom(32).hex() + "\n")
        log.warning("Created %s: back it up with the records key.", path)
    return path.read_text().strip().encode()
