"""Errors the directory raises, so callers can tell a bad profile from a bad request."""
from __future__ import annotations


class ProfileError(ValueError):
    """An organisation profile cannot be trusted: wrong key, missing fact, bad number or hours.

    The message names the file, the field path and the problem, because the person
    fixing it is an administrator with a text editor, not a developer with a debugger.
    """

    def __init__(self, file: str, field: str, problem: str) -> None:
        self.file, self.field, self.problem = file, field, problem
        where = f"{file}: {field}: " if field else f"{file}: "
        super().__init__(where + problem)


class UnknownOrganisation(LookupError):
    """No profile with that id; the message lists the ids that do exist."""

    def __init__(self, org_id: str, valid: list[str]) -> None:
        self.org_id, self.valid = org_id, valid
        super().__init__(f"unknown organisation {org_id!r}; valid ids: {', '.join(valid) or '(none)'}")

    def __str__(self) -> str:  # LookupError would otherwise quote the whole message
        return self.args[0]


class UnknownTopic(ValueError):
    """The topic is not one the directory answers; the message lists the topics."""
