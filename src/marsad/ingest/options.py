"""Options, rejections and errors shared by every ingest reader."""

from __future__ import annotations

import codecs
import datetime as dt
from dataclasses import dataclass

from marsad.ingest.meta import normalise_tlp, parse_published

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class IngestError(Exception):
    """Bad ingest options (raised at once, before any file is read)."""


class RejectedInput(Exception):
    """Raised inside a reader for a whole-file problem; turned into a `Rejection`."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not become a Document, with a reason a user can act on."""

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.reason}"
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass(slots=True)
class IngestOptions:
    """What the user told us on the command line; file metadata takes precedence (see package doc).

    ``published`` accepts a ``date``, a ``datetime`` or an ISO string; ``tlp`` is
    case-insensitive ("amber+strict", "TLP:GREEN" and the TLP 1.0 "WHITE" are accepted);
    ``encoding`` forces one codec for every file instead of detecting it.
    """

    outlet: str | None = None
    published: dt.date | None = None
    tlp: str = "CLEAR"
    owner: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    encoding: str | None = None

    def __post_init__(self) -> None:
        try:
            self.tlp = normalise_tlp(self.tlp)
        except ValueError as exc:
            raise IngestError(f"--tlp: {exc}") from None
        if self.published is not None:
            try:
                self.published = parse_published(self.published)
            except ValueError as exc:
                raise IngestError(f"--published: {exc}") from None
        if isinstance(self.max_bytes, bool) or not isinstance(self.max_bytes, int) or self.max_bytes <= 0:
            raise IngestError(f"--max-bytes must be a positive number of bytes, got {self.max_bytes!r}")
        if self.encoding is not None:
            try:
                self.encoding = codecs.lookup(self.encoding).name
            except LookupError:
                raise IngestError(
                    f"--encoding: unknown encoding {self.encoding!r} "
                    "(try utf-8, utf-16, windows-1256)"
                ) from None
        self.outlet = self.outlet.strip() or None if self.outlet else None
        self.owner = self.owner.strip() or None if self.owner else None
