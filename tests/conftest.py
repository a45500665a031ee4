import datetime as dt
from pathlib import Path

import pytest

from marsad.ids import document_id
from marsad.records import Document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples" / "reports"


def make_doc(body: str, published: dt.date | None = None, title: str = "تقرير") -> Document:
    return Document(id=document_id(body), title=title, body=body, source="test", published=published)


@pytest.fixture
def doc_factory():
    return make_doc


def needs_shared(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} not present (shared material beside the repository)")
