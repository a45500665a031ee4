"""Language data shipped with Marsad (lexicons as TSV/YAML files under ``lang/<code>/``).

The one loader of those files: each is read once and cached. Every file starts with ``#``
comment lines saying what it holds (see ``lang/ar/README.md``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def read_text(name: str, lang: str = "ar") -> str:
    return resources.files("marsad.lang").joinpath(lang, name).read_text(encoding="utf-8")


@cache
def read_rows(name: str, lang: str = "ar") -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated data file, without comment and blank lines, fields stripped."""
    rows = []
    for line in read_text(name, lang).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


@cache
def read_yaml(name: str, lang: str = "ar") -> Any:
    return yaml.safe_load(read_text(name, lang))
