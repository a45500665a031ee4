"""UI strings in Arabic (default) and English, from ``i18n/strings.yaml``.

Pages call ``t("key", name=value)``; values of the data (event types, claim categories,
TLP levels …) go through ``t.label("event", "ARREST")``, which falls back to the value itself
when the file has no translation for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("ar", "en")
DEFAULT_LANGUAGE = "ar"
DIRECTION = {"ar": "rtl", "en": "ltr"}
STRINGS_FILE = Path(__file__).parent / "i18n" / "strings.yaml"


class StringsError(ValueError):
    """The strings file is missing, malformed, or lacks a language for a key."""


@lru_cache(maxsize=1)
def load_strings(path: Path = STRINGS_FILE) -> dict[str, dict[str, str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StringsError(f"{path}: cannot read UI strings ({exc})") from exc
    if not isinstance(data, dict):
        raise StringsError(f"{path}: expected a mapping of key -> {{ar, en}}")
    for key, value in data.items():
        if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) for lang in LANGUAGES):
            raise StringsError(f"{path}: key {key!r} needs a string for each of {', '.join(LANGUAGES)}")
    return data


@dataclass(frozen=True, slots=True)
class Translator:
    lang: str

    @property
    def dir(self) -> str:
        return DIRECTION[self.lang]

    def __call__(self, key: str, **values: Any) -> str:
        entry = load_strings().get(key)
        if entry is None:
            return key  # visible in the page, and caught by tests/web (every key used exists)
        text = entry[self.lang]
        return text.format(**values) if values else text

    def label(self, group: str, value: Any) -> str:
        """The translation of a data value (``event.ARREST``), or the value as stored."""
        if value is None or value == "":
            return ""
        entry = load_strings().get(f"{group}.{value}")
        return entry[self.lang] if entry else str(value)


def pick_language(query_value: str | None, cookie_value: str | None) -> str:
    for value in (query_value, cookie_value):
        if value in LANGUAGES:
            return value
    return DEFAULT_LANGUAGE
