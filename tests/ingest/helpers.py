"""Shared helpers: invented Arabic reports (never copied from real samples)."""

from __future__ import annotations

from pathlib import Path

from marsad.ingest import IngestOptions, Rejection, iter_documents
from marsad.records import Document

TITLE = "افتتاح مكتبة عامة في بلدة الينابيع"
PARAGRAPHS = (
    "افتتحت بلدية الينابيع صباح الأحد مكتبة عامة جديدة تضم أكثر من خمسة آلاف كتاب، "
    "في حفل حضره عشرات الطلاب وأولياء أمورهم.",
    "وقالت مديرة المكتبة إن القاعة ستفتح أبوابها يومياً من الثامنة صباحاً حتى السادسة مساءً، "
    "وإن الاستعارة مجانية لجميع سكان البلدة؟",
    "وأضافت أن المرحلة المقبلة تشمل تجهيز ركن للأطفال وآخر للمخطوطات القديمة؛ "
    "على أن يكتمل العمل قبل نهاية العام.",
)
BODY = "\n\n".join(PARAGRAPHS)
REPORT = f"{TITLE}\n\n{BODY}\n"


def read_all(paths: list[Path | str], **options: object) -> list[Document | Rejection]:
    return list(iter_documents([str(p) for p in paths], IngestOptions(**options)))  # type: ignore[arg-type]


def documents(items: list[Document | Rejection]) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def rejections(items: list[Document | Rejection]) -> list[Rejection]:
    return [item for item in items if isinstance(item, Rejection)]


def only_document(path: Path, **options: object) -> Document:
    items = read_all([path], **options)
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


def only_rejection(path: Path, **options: object) -> Rejection:
    items = read_all([path], **options)
    assert len(items) == 1 and isinstance(items[0], Rejection), items
    return items[0]
