"""Reading files into Documents: limits, decoding, dispatch to the format readers."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from marsad.ingest.decode import DecodeError, decode_bytes, declared_encoding
from marsad.ingest.discover import PathArg, expand_paths
from marsad.ingest.feeds import read_feed
from marsad.ingest.html import read_html
from marsad.ingest.jsonl import read_json, read_jsonl
from marsad.ingest.meta import clean_text
from marsad.ingest.options import IngestError, IngestOptions, Rejection, RejectedInput
from marsad.ingest.plain import read_plain
from marsad.records import Document

Item = Document | Rejection
Reader = Callable[[str, str, IngestOptions], Iterator[Item]]

READERS: dict[str, Reader] = {
    "text": read_plain, "html": read_html, "jsonl": read_jsonl, "json": read_json, "feed": read_feed,
}
EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
# Formats whose files may declare their own charset (<meta charset>, <?xml encoding=?>).
_SELF_DECLARING = (None, "html", "feed")


def iter_documents(paths: Sequence[PathArg], options: IngestOptions) -> Iterator[Item]:
    """Documents and Rejections for every file the paths name, in `discover` order.

    Never raises for a bad file: every problem becomes a Rejection and the run goes on.
    Raises IngestError at once (not on first iteration) when the options are not usable.
    """
    if not isinstance(options, IngestOptions):
        raise IngestError(f"options must be IngestOptions, got {type(options).__name__}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # a lone path is a common slip; a str would be iterated by character
    return _iter_items(list(paths), options)


def _iter_items(paths: list[PathArg], options: IngestOptions) -> Iterator[Item]:
    for entry in expand_paths(paths):
        if isinstance(entry, Rejection):
            yield entry
        else:
            yield from read_file(entry, options)


def read_file(label: str, options: IngestOptions) -> Iterator[Item]:
    """Everything one file holds; problems come out as Rejections, never exceptions."""
    try:
        data = _read_bytes(label, options.max_bytes)
        kind = EXTENSIONS.get(Path(label).suffix.lower())
        declared = declared_encoding(data) if kind in _SELF_DECLARING else None
        text = decode_bytes(data, forced=options.encoding, declared=declared).text
        if not clean_text(text).strip():
            raise RejectedInput("file contains only whitespace")
        yield from READERS[kind or sniff_format(text)](label, text, options)
    except (RejectedInput, DecodeError) as exc:
        yield Rejection(label, getattr(exc, "line", None), exc.reason)
    except PermissionError:
        yield Rejection(label, None, "cannot read: permission denied")
    except OSError as exc:
        yield Rejection(label, None, f"cannot read: {exc.strerror or exc}")
    except RecursionError:
        yield Rejection(label, None, "too deeply nested to parse")
    except Exception as exc:  # a reader bug must not abort a run over thousands of files
        yield Rejection(label, None, f"unexpected error while reading ({type(exc).__name__}: {exc}); please report it")


def sniff_format(text: str) -> str:
    """Format of a file whose extension says nothing: feed, HTML, JSON Lines or plain text."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    lowered = head.lower()
    if lowered.startswith("<?xml") or lowered.startswith(("<rss", "<feed", "<rdf:rdf")):
        return "html" if "<html" in lowered else "feed"
    if lowered.startswith(("<!doctype html", "<html")) or "<body" in lowered or "<html" in lowered:
        return "html"
    if head.startswith("{"):
        try:
            if isinstance(json.loads(head.split("\n", 1)[0]), dict):
                return "jsonl"
        except json.JSONDecodeError:
            pass
    if head.startswith(("{", "[")):
        try:
            json.loads(text)
            return "json"
        except json.JSONDecodeError:
            pass
    return "text"


def _read_bytes(label: str, max_bytes: int) -> bytes:
    info = os.stat(label)
    if not stat.S_ISREG(info.st_mode):
        raise RejectedInput("not a regular file (a device, pipe or socket)")
    if info.st_size == 0:
        raise RejectedInput("empty file (0 bytes)")
    if info.st_size > max_bytes:
        raise RejectedInput(_too_big(info.st_size, max_bytes))
    with open(label, "rb") as handle:
        data = handle.read(max_bytes + 1)  # the file may have grown since stat()
    if len(data) > max_bytes:
        raise RejectedInput(_too_big(len(data), max_bytes))
    if not data:
        raise RejectedInput("empty file (0 bytes)")
    return data


def _too_big(size: int, limit: int) -> str:
    suggestion = -(-size // (1024 * 1024)) * 1024 * 1024
    return (
        f"file is {_human(size)} ({size:,} bytes), over the {_human(limit)} limit "
        f"({limit:,} bytes); raise it with --max-bytes {suggestion}"
    )


def _human(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    scaled = float(size)
    for unit in ("KiB", "MiB", "GiB"):
        scaled /= 1024
        if scaled < 1024 or unit == "GiB":
            break
    return f"{scaled:.1f} {unit}"


__all__ = ["iter_documents", "read_file", "sniff_format"]
