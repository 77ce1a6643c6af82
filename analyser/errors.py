"""Exception types whose messages name the file, line or entry at fault."""

from __future__ import annotations


class CasechronError(Exception):
    """Base class for errors the CLI reports without a traceback."""


class LexiconError(CasechronError):
    """A lexicon, policy or mapping file is malformed: names the file and the entry."""

    def __init__(self, file: str, message: str, entry: str | None = None) -> None:
        where = f"{file}" + (f" [{entry}]" if entry else "")
        super().__init__(f"{where}: {message}")
        self.file = file
        self.entry = entry


class InputError(CasechronError):
    """The input path itself cannot be used (missing, unreadable)."""
