"""Scoring extraction output against gold annotations (DESIGN.md §6).

A gold file holds, per report, the items of the output contract without offsets; each item's
``text`` (``trigger`` for events, ``text_start`` for quotes) is a verbatim substring of the report.
A predicted item matches a gold item when its span overlaps an occurrence of the gold text and
its key value agrees. Items are compared as distinct (surface, key) pairs on both sides, because
gold lists each surface once while a report may mention it many times.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Item = dict[str, Any]


@dataclass
class FieldScore:
    name: str
    tp_pred: int = 0
    predicted: int = 0
    tp_gold: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp_pred / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp_gold / self.gold if self.gold else (1.0 if not self.predicted else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.name, "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "predicted": self.predicted, "gold": self.gold}


@dataclass
class FieldSpec:
    """How one field is compared: where its items live, their surface text and their key."""

    name: str
    section: str
    surface: Callable[[Item], str | None]
    key: Callable[[Item], Any]


def _value(item: Item) -> Any:
    value = item.get("value")
    return None if value is None else float(value)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("entities", "entities", lambda i: i.get("text"), lambda i: i.get("type")),
    FieldSpec("entities (span only)", "entities", lambda i: i.get("text"), lambda i: True),
    FieldSpec("quantities (value)", "quantities", lambda i: i.get("text"), _value),
    FieldSpec("quantities (value+qualifier)", "quantities", lambda i: i.get("text"),
              lambda i: (_value(i), i.get("qualifier"))),
    FieldSpec("dates", "dates", lambda i: i.get("text"), lambda i: i.get("normalized")),
    FieldSpec("dates (span only)", "dates", lambda i: i.get("text"), lambda i: True),
    FieldSpec("events (type+trigger)", "events", lambda i: i.get("trigger"), lambda i: i.get("type")),
    FieldSpec("quotes", "quotes", lambda i: i.get("text_start") or i.get("text"), lambda i: True),
)


@dataclass
class Report:
    fields: dict[str, FieldScore] = field(default_factory=dict)
    documents: int = 0
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "fields": [f.as_dict() for f in self.fields.values()],
                "missing": self.missing, "warnings": self.warnings}


def occurrences(body: str, needle: str) -> list[tuple[int, int]]:
    spans, start = [], body.find(needle)
    while needle and start != -1:
        spans.append((start, start + len(needle)))
        start = body.find(needle, start + 1)
    return spans


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _predicted_span(item: Item, body: str, spec: FieldSpec) -> list[tuple[int, int]]:
    if "start" in item and "end" in item:
        return [(int(item["start"]), int(item["end"]))]
    surface = spec.surface(item)
    return occurrences(body, surface) if surface else []


def score_document(body: str, predicted: dict[str, Any], gold: dict[str, Any], report: Report, doc_name: str) -> None:
    for spec in FIELDS:
        score = report.fields.setdefault(spec.name, FieldScore(spec.name))
        gold_items = _distinct(gold.get(spec.section) or [], spec)
        pred_items = _distinct(predicted.get(spec.section) or [], spec)
        gold_spans = []
        for surface, key, items in gold_items:
            spans = occurrences(body, surface)
            if not spans and spec.name == spec.section:
                report.warnings.append(f"{doc_name}: gold {spec.section} text not in report: {surface!r}")
            gold_spans.append((key, spans))
        pred_spans = [(key, [s for item in items for s in _predicted_span(item, body, spec)]) for _, key, items in pred_items]
        score.gold += len(gold_spans)
        score.predicted += len(pred_spans)
        score.tp_gold += sum(1 for key, spans in gold_spans
                             if any(pk == key and any(_overlaps(p, spans) for p in ps) for pk, ps in pred_spans))
        score.tp_pred += sum(1 for key, ps in pred_spans
                             if any(gk == key and any(_overlaps(p, spans) for p in ps) for gk, spans in gold_spans))


def _distinct(items: Sequence[Item], spec: FieldSpec) -> list[tuple[str, Any, list[Item]]]:
    grouped: dict[tuple[str, Any], list[Item]] = {}
    for item in items:
        surface = spec.surface(item)
        if not surface:
            continue
        key = spec.key(item)
        grouped.setdefault((surface, json.dumps(key, sort_keys=True, default=str)), []).append(item)
    return [(surface, json.loads(key_json), items) for (surface, key_json), items in grouped.items()]


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted(gold_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and any(k in data for k in ("entities", "quantities", "dates", "events", "quotes")):
            gold[path.stem] = data
    return gold


def document_key(source: str, index_in_file: int, items_in_file: int) -> str:
    """The gold file stem for a document: ``<file stem>``, or ``<stem>__<n>`` for multi-item files."""
    stem = Path(source.split("#", 1)[0]).stem
    return f"{stem}__{index_in_file}" if items_in_file > 1 or "#" in source else stem


def evaluate_corpus(gold_dir: Path, corpus: Path) -> Report:
    """Extract every report under ``corpus`` and score it against ``gold_dir``."""
    import datetime as dt
    from dataclasses import replace

    from marsad.ingest import IngestOptions, Rejection, discover, iter_documents
    from marsad.pipeline import Pipeline
    from marsad.records import to_contract

    gold = load_gold(gold_dir)
    pipeline = Pipeline()
    report = Report()
    found: set[str] = set()
    for path in discover([corpus]):
        if not isinstance(path, Path):
            continue
        docs = [d for d in iter_documents([path], IngestOptions()) if not isinstance(d, Rejection)]
        for n, doc in enumerate(docs, start=1):
            key = document_key(doc.source, n, len(docs))
            if key not in gold:
                continue
            gold_doc = gold[key]
            if doc.published is None and gold_doc.get("published"):
                doc = replace(doc, published=dt.date.fromisoformat(gold_doc["published"]))
            score_document(doc.body, to_contract(pipeline(doc)), gold_doc, report, key)
            report.documents += 1
            found.add(key)
    report.missing = sorted(set(gold) - found)
    return report
