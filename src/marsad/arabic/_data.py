"""Loading the Arabic language data files of ``marsad/lang/ar`` (read once, cached).

Language knowledge lives in data files, not in code (see ``lang/ar/README.md``); this module only
knows how to read them. Every file starts with ``#`` comment lines saying what it holds.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

_FOLDER = ("lang", "ar")


@cache
def read_text(name: str) -> str:
    return resources.files("marsad").joinpath(*_FOLDER, name).read_text(encoding="utf-8")


@cache
def tsv_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a TSV data file, without comment and blank lines, fields stripped."""
    rows: list[tuple[str, ...]] = []
    for line in read_text(name).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(tuple(field.strip() for field in line.split("\t")))
    return tuple(rows)


@cache
def yaml_data(name: str) -> Any:
    return yaml.safe_load(read_text(name))
