"""One exception hierarchy; the CLI turns each into one line and an exit code."""

from __future__ import annotations


class TermalignError(Exception):
    """Base of every error termalign reports to a user."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(TermalignError):
    """A file a user gave cannot be read as input (encoding, size, format)."""

    exit_code = 2


class StoreError(TermalignError):
    """The termbase store is missing, foreign, newer than the code, or locked."""

    exit_code = 3


class ConflictError(TermalignError):
    """A concept changed since it was read (optimistic versioning)."""

    exit_code = 4


class ModelError(TermalignError):
    """A translation model directory is missing, malformed or cannot serve a request."""

    exit_code = 5


class FormatError(TermalignError):
    """An import file (TBX, CSV, TSV, gold) is malformed or hostile."""

    exit_code = 2
