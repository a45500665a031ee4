"""Which files a list of paths names: folders expanded recursively, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from marsad.ingest.options import Rejection

PathArg = str | os.PathLike[str] | Rejection


def discover(paths: Sequence[PathArg]) -> list[Path | Rejection]:
    """Files to read, in order: each argument in turn, folders expanded recursively and sorted.

    Hidden files and folders (name starting with '.') inside folders are skipped; a hidden
    file named explicitly is kept. Problems (a missing path, a broken symlink, an unreadable
    folder, a symlink loop) come back in place as Rejections, never as exceptions, so
    ``[p for p in discover(paths) if isinstance(p, Path)]`` is the list of files to read and
    ``iter_documents(paths)`` reports the same Rejections again.
    """
    return [Path(entry) if isinstance(entry, str) else entry for entry in expand_paths(paths)]


def expand_paths(paths: Sequence[PathArg]) -> Iterator[str | Rejection]:
    """Each file as a label (the path as given, joined with names below it) or a Rejection."""
    for arg in paths:
        if isinstance(arg, Rejection):
            yield arg  # lets callers feed `discover(...)` output straight back in
            continue
        label = os.fspath(arg)
        path = Path(label)
        if path.is_dir():
            yield from _walk(label, ancestors=frozenset())
        elif path.is_symlink() and not path.exists():
            yield Rejection(label, None, "broken symbolic link (its target does not exist)")
        elif not path.exists():
            yield Rejection(label, None, "no such file or folder")
        else:
            yield label


def _walk(folder: str, ancestors: frozenset[tuple[int, int]]) -> Iterator[str | Rejection]:
    try:
        info = os.stat(folder)
        identity = (info.st_dev, info.st_ino)
        if identity in ancestors:
            yield Rejection(folder, None, "folder loop (a symbolic link points back to a parent folder); skipped")
            return
        with os.scandir(folder) as scan:
            entries = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
    except PermissionError:
        yield Rejection(folder, None, "cannot list folder: permission denied")
        return
    except OSError as exc:
        yield Rejection(folder, None, f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        label = os.path.join(folder, entry.name)
        try:
            is_dir = entry.is_dir()  # follows symlinks; loops are caught through `ancestors`
        except OSError as exc:
            yield Rejection(label, None, f"cannot read: {exc.strerror or exc}")
            continue
        if is_dir:
            yield from _walk(label, ancestors | {identity})
        elif entry.is_symlink() and not os.path.exists(label):
            yield Rejection(label, None, "broken symbolic link (its target does not exist)")
        else:
            yield label
