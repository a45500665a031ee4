from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.helpers import REPORT


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path
