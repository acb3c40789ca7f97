"""Find, read and cache organisation profiles (data/orgs/<id>.yml).

The directory comes from an argument, else SAFEGUARD_ORGS_DIR, else the repository's
data/orgs, so tests and other deployments can point elsewhere without code changes.
Profiles are cached per file and re-read when the file changes on disk, so an
administrator's correction takes effect without restarting the bot.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import ProfileError, UnknownOrganisation
from .model import Organisation
from .schema import build_organisation

ENV_VAR = "SAFEGUARD_ORGS_DIR"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO_ROOT / "data" / "orgs"

_cache: dict[Path, tuple[tuple[int, int], Organisation]] = {}


def orgs_dir(directory: str | os.PathLike | None = None) -> Path:
    if directory is not None:
        return Path(directory)
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else DEFAULT_DIR


def _display(path: Path) -> str:
    """Paths inside the repository are shown relative to it (data/orgs/x.yml)."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def org_ids(directory: str | os.PathLike | None = None) -> list[str]:
    """Sorted ids of the profiles in the directory."""
    base = orgs_dir(directory)
    if not base.is_dir():
        return []
    return sorted(p.stem for p in base.glob("*.yml") if not p.name.startswith("."))


def _read_yaml(path: Path, shown: str) -> object:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(shown, "", f"cannot be read ({exc})") from exc
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ProfileError(shown, "", f"is not valid YAML{where}: {problem}") from exc


def load_org(org_id: str, directory: str | os.PathLike | None = None) -> Organisation:
    """The validated profile; UnknownOrganisation if there is no such file."""
    base = orgs_dir(directory)
    clean = str(org_id).strip().lower()
    path = base / f"{clean}.yml"
    if not clean or "/" in clean or "\\" in clean or clean.startswith(".") or not path.is_file():
        raise UnknownOrganisation(str(org_id), org_ids(base))
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    shown = _display(path)
    org = build_organisation(_read_yaml(path, shown), shown, clean)
    _cache[path] = (stamp, org)
    return org


def load_all(directory: str | os.PathLike | None = None) -> dict[str, Organisation]:
    """Every profile, validated; the first broken one raises ProfileError."""
    return {org_id: load_org(org_id, directory) for org_id in org_ids(directory)}
