"""The Arabic core's names for the shared language-data loader of :mod:`marsad.lang`."""

from __future__ import annotations

from marsad.lang import read_rows as tsv_rows
from marsad.lang import read_text
from marsad.lang import read_yaml as yaml_data

__all__ = ["read_text", "tsv_rows", "yaml_data"]
