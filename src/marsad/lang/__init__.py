"""Language data shipped with Marsad (lexicons as TSV/YAML files under ``lang/<code>/``)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def read_rows(name: str, lang: str = "ar") -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated data file, skipping blank lines and ``#`` comments."""
    text = resources.files("marsad.lang").joinpath(lang, name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)
