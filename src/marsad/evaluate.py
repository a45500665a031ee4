"""Scoring extraction output against gold annotations (DESIGN.md §6).

A gold file holds, per report, the items of the output contract without offsets; each item's
``text`` (``trigger`` for events, ``text_start`` for quotes) is a verbatim substring of the report.
A predicted item matches a gold item when its span overlaps an occurrence of the gold text and
its key value agrees. Items are compared as distinct (surface, key) pairs on both sides, because
gold lists each surface once while a report may mention it many times.

Besides the F1 rows, each matched item is checked for its attributes (the rows named
"quantities: category right", "quantities: source right", "quantities: parent right",
"quotes: speaker right"; see ``category_right`` and ``same_source`` for how the free English of
gold is compared), and "quotes (span+speaker)" counts a quote as found only when its speaker is
right too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from marsad.records import Document

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
class ShareScore(FieldScore):
    """The share of matched items whose attribute (category, source, speaker, parent) is right.

    Shown as a row of the F1 table: precision, recall and F1 all equal the share, and
    predicted/gold both give the number of matched items it was measured on."""

    def as_dict(self) -> dict[str, Any]:
        share = round(self.tp_gold / self.gold, 4) if self.gold else None  # None: nothing to measure on
        return {**super().as_dict(), "share": share, "right": self.tp_gold, "matched": self.gold}

    def add(self, right: bool) -> None:
        self.gold += 1
        self.predicted += 1
        self.tp_gold += int(right)
        self.tp_pred += int(right)


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
        pred_list = predicted.get(spec.section) or []
        if spec.section == "events":  # gold codes only events asserted as having happened (seeds-gold README)
            pred_list = [e for e in pred_list if e.get("modality", "asserted") == "asserted"]
        pred_items = _distinct(pred_list, spec)
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
    _score_attributes(body, predicted, gold, report)


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


def gold_documents(gold_dir: Path, corpus: Path,
                   gold: dict[str, dict[str, Any]] | None = None) -> Iterator[tuple[str, Document, dict[str, Any]]]:
    """(gold key, document, gold annotations) for every report under ``corpus`` that has gold;
    a report without a publication date takes the one its gold gives."""
    import datetime as dt
    from dataclasses import replace

    from marsad.ingest import IngestOptions, Rejection, discover, iter_documents

    gold = load_gold(gold_dir) if gold is None else gold
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
            yield key, doc, gold_doc


def evaluate_corpus(gold_dir: Path, corpus: Path) -> Report:
    """Extract every report under ``corpus`` and score it against ``gold_dir``."""
    from marsad.pipeline import Pipeline
    from marsad.records import to_contract

    pipeline = Pipeline()
    report = Report()
    found: set[str] = set()
    gold = load_gold(gold_dir)
    for key, doc, gold_doc in gold_documents(gold_dir, corpus, gold):
        score_document(doc.body, to_contract(pipeline(doc)), gold_doc, report, key)
        report.documents += 1
        found.add(key)
    report.missing = sorted(set(gold) - found)
    return report


# ---------------------------------------------------------------------------------------------
# Attributes of matched items: category, source, speaker and parent
#
# Gold writes `what`, `source` and `speaker` as free English strings, so they are compared
# loosely but by rule, never by hand:
# - a predicted category is right when one of its English terms (CATEGORY_TERMS, or the
#   category name itself, e.g. a nationality "Iraqis") occurs in the head of the gold `what`:
#   the words before its first preposition or relative word ("ISIS members released so far"
#   → "isis members released"; "Iraqis among ISIS prisoners" → "iraqis");
# - a source or speaker is right when both are absent, when they are equal after folding, or
#   when they name the same thing: see ``same_source``. A predicted speaker still in Arabic is
#   read through the gold entity list (an entity whose text it contains stands for its canonical).

CATEGORY_TERMS: dict[str, tuple[str, ...]] = {
    "fighters": ("fighter", "militant", "member", "jihadist", "terrorist", "insurgent", "gunm", "attacker",
                 "leader", "extremist", "affiliate", "infiltrator", "isis", "operative"),
    "ISIS members": ("isis", "daesh", "member", "militant", "fighter", "leader", "jihadist", "terrorist",
                     "operative", "affiliate"),
    "foreign fighters": ("foreign fighter", "foreign militant", "foreign"),
    "detainees": ("detainee", "prisoner", "inmate", "held", "convict", "captive", "detained", "jailed"),
    "released": ("released", "freed", "release"),
    "arrested": ("arrested", "suspect", "wanted", "detained", "arrest", "captured"),
    "killed": ("killed", "dead", "death", "casualt", "toll", "fatalit", "martyr"),
    "wounded": ("wounded", "injured", "casualt"),
    "displaced": ("displaced", "refugee", "idp", "resident"),
    "returnees": ("returnee", "returned", "repatriat"),
    "families": ("famil", "household"),
    "persons": ("person", "people", "individual"),
    "civilians": ("civilian",),
    "women": ("women", "woman"),
    "men": ("men", "man"),
    "children": ("child", "boy", "girl", "minor"),
    "countries": ("countr", "nation", "state"),
    "nationalities": ("nationalit",),
    "cells": ("cell",),
    "strikes": ("strike", "sortie", "raid", "bombing"),
    "attacks": ("attack", "operation"),
    "operations": ("operation", "raid"),
    "troops": ("troop", "soldier", "officer", "personnel", "force", "army", "member", "peshmerga", "guard"),
    "police": ("police", "officer", "policem", "personnel"),
    "weapons": ("weapon", "ied", "missile", "rocket", "shell", "drone", "rifle", "explosive", "arms",
                "ammunition", "device"),
    "vehicles": ("vehicle", "car", "truck", "bus", "tanker"),
    "convoys": ("convoy", "batch"),
    "attempts": ("attempt",),
    "names": ("name",),
    "suspects": ("suspect", "wanted", "accused", "defendant"),
    "residents": ("resident", "inhabitant", "population"),
    "youths": ("youth", "young", "boy"),
    "recruited": ("recruit",),
    "seized": ("seized", "confiscated"),
    "camps": ("camp",),
    "prisons": ("prison", "jail", "facilit"),
    "units": ("brigade", "battalion", "unit", "regiment"),
    "distance": ("kilometre", "kilometer", "km", "distance", "length", "mile"),
    "money": ("dollar", "dinar", "money", "fund", "pound", "euro"),
}

_HEAD_CUT = frozenset("""in of among by from on at with for to into whose who which that according under
    near during after before since until over across via than per as""".split())
_WORD = regex.compile(r"[\p{L}\p{N}]+")


def what_head(what: str) -> str:
    """The head of a gold `what`: its words before the first preposition or relative word."""
    head: list[str] = []
    for word in _WORD.findall(what.split("(", 1)[0].lower()):
        if word in _HEAD_CUT and head:
            break
        head.append(word)
    return " ".join(head)


def category_right(predicted: str | None, gold_what: str | None) -> bool:
    if not predicted or not gold_what:
        return not predicted and not gold_what
    head = " " + what_head(gold_what) + " "
    terms = CATEGORY_TERMS.get(predicted, ()) + (predicted.lower().rstrip("s"),)
    # a term opens a word of the head, or (five letters or more) ends a compound ("airstrikes")
    return any(f" {term}" in head or (len(term) >= 5 and term in head) for term in terms if term)


# Kinds of source that are not an entity: an anonymous person, or a document
_PERSON_TYPES = frozenset("""source official officer spokesman spokesperson spokeswoman witness resident
    activist expert analyst diplomat medic doctor journalist commander member employee""".split())
_DOCUMENT_TYPES = frozenset("statement announcement report estimate statistic figure data".split())
# Words that qualify a source without saying which one it is
_SOURCE_STOP = frozenset("""the a an of in at on for to from and or with by close near senior high ranking
    level high-ranking informed local official's own its their his her""".split())
_NATIONALITY = regex.compile(r"^(?:iraqi|syrian|jordanian|turkish|iranian|russian|american|us|kurdish|"
                             r"tunisian|british|french|german|lebanese|saudi|egyptian|european|arab)$")


def _source_tokens(text: str) -> tuple[set[str], set[str]]:
    """(type words, content words) of a source or speaker, lower-cased, plurals folded."""
    types: set[str] = set()
    content: set[str] = set()
    for word in _WORD.findall(text.lower().replace("al-", " ")):
        if word in _SOURCE_STOP:
            continue
        singular = word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        if singular in _PERSON_TYPES or singular in _DOCUMENT_TYPES:
            types.add(singular)
        elif singular == "official" or word == "officials":
            types.add("official")
        else:
            content.add(singular)
    return types, content


def same_source(predicted: str | None, gold: str | None) -> bool:
    """Whether a predicted source/speaker names the gold one.

    Both absent, or equal after folding; otherwise by kind and content words:
    - both anonymous (a person type such as source/official/officer): the types must share a
      word ("security sources" ~ "Iraqi security sources", not ~ "security officer") and the
      content words must not disagree (one set within the other, or sharing a non-nationality word);
    - a named source (no person type) against a named or document source ("Iraqi Army" ~
      "Iraqi Army announcement"): the content words of one lie within the other's, and they share
      a word that is not a nationality;
    - an entity is never right for an anonymous person in it ("Ministry of Migration" is not
      "official in the Ministry of Migration"), nor the reverse.
    """
    if not predicted or not gold:
        return not predicted and not gold
    if _fold(predicted) == _fold(gold):
        return True
    pt, pc = _source_tokens(predicted)
    gt, gc = _source_tokens(gold)
    p_person, g_person = pt & _PERSON_TYPES, gt & _PERSON_TYPES
    if p_person or g_person:
        if not (p_person & g_person):
            return False
        return not pc or not gc or pc <= gc or gc <= pc or bool(_distinctive(pc & gc))
    small, large = (pc, gc) if len(pc) <= len(gc) else (gc, pc)
    return bool(small) and small <= large and bool(_distinctive(small))


def _distinctive(words: set[str]) -> set[str]:
    return {w for w in words if not _NATIONALITY.match(w)}


def _fold(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("al-", " ")))


def _english_reading(predicted: str | None, gold_entities: Sequence[Item],
                     pred_entities: Sequence[Item] = ()) -> list[str | None]:
    """The predicted source itself, plus the gold canonical of the same entity: when it is
    Arabic, of the gold entities it contains; when it is a predicted entity's canonical, of the
    gold entities written like that entity (so that a speaker is judged on who it is, not on
    how NER spelled the name in English, which the entity scores measure)."""
    if not predicted:
        return [predicted]
    from marsad.arabic.normalise import match_key

    readings: list[str | None] = [predicted]
    if regex.search(r"\p{Arabic}", predicted):
        keys = [match_key(predicted)]
        contained = True
    else:
        keys = [match_key(e["text"]) for e in pred_entities
                if e.get("canonical") == predicted and e.get("type") in ("PER", "ORG") and e.get("text")]
        contained = False
    for entity in gold_entities:
        surface, canonical = entity.get("text"), entity.get("canonical")
        if not (surface and canonical and entity.get("type") in ("PER", "ORG")):
            continue
        gold_key = match_key(surface)
        if any((gold_key in key) if contained else (gold_key == key or _strip_clitic(key) == gold_key) for key in keys):
            readings.append(canonical)
    return readings


def _strip_clitic(key: str) -> str:
    return key[1:] if len(key) > 3 and key[0] in "وفبل" else key


def source_right(predicted: str | None, gold: str | None, gold_entities: Sequence[Item] = (),
                 pred_entities: Sequence[Item] = ()) -> bool:
    return any(same_source(reading, gold) for reading in _english_reading(predicted, gold_entities, pred_entities))


def _best_match(gold_spans: list[tuple[int, int]], candidates: Sequence[Item]) -> Item | None:
    """The candidate whose span overlaps the gold spans most (first on ties)."""
    best, best_overlap = None, 0
    for item in candidates:
        if "start" not in item or "end" not in item:
            continue
        a, b = int(item["start"]), int(item["end"])
        overlap = max((min(b, e) - max(a, s) for s, e in gold_spans), default=0)
        if overlap > best_overlap:
            best, best_overlap = item, overlap
    return best


ATTRIBUTE_FIELDS = ("quantities: category right", "quantities: source right", "quantities: parent right",
                    "quotes: speaker right")


def _score_attributes(body: str, predicted: dict[str, Any], gold: dict[str, Any], report: Report) -> None:
    shares = {name: report.fields.setdefault(name, ShareScore(name)) for name in ATTRIBUTE_FIELDS}
    entities = gold.get("entities") or []
    pred_entities = predicted.get("entities") or []
    pred_quantities = predicted.get("quantities") or []
    for item in gold.get("quantities") or []:
        spans = occurrences(body, item.get("text") or "")
        value = _value(item)
        match = _best_match(spans, [p for p in pred_quantities
                                    if _value(p) == value or value in (_value({"value": p.get("low")}),
                                                                        _value({"value": p.get("high")}))])
        if match is None:
            continue
        shares["quantities: category right"].add(category_right(match.get("what"), item.get("what")))
        shares["quantities: source right"].add(source_right(match.get("source"), item.get("source"), entities, pred_entities))
        if "parent_text" in item:
            shares["quantities: parent right"].add(_parent_right(body, match, pred_quantities, item["parent_text"]))
    pred_quotes = predicted.get("quotes") or []
    spoken = report.fields.setdefault("quotes (span+speaker)", FieldScore("quotes (span+speaker)"))
    right_preds: set[int] = set()
    for item in gold.get("quotes") or []:
        spans = occurrences(body, item.get("text_start") or item.get("text") or "")
        overlapping = [(n, p) for n, p in enumerate(pred_quotes)
                       if "start" in p and _overlaps((int(p["start"]), int(p["end"])), spans)]
        right = [n for n, p in overlapping if source_right(p.get("speaker"), item.get("speaker"), entities, pred_entities)]
        right_preds.update(right)
        spoken.gold += 1
        spoken.tp_gold += int(bool(right))
        match = _best_match(spans, [p for _, p in overlapping])
        if match is not None:
            shares["quotes: speaker right"].add(source_right(match.get("speaker"), item.get("speaker"), entities, pred_entities))
    spoken.predicted += len(pred_quotes)
    spoken.tp_pred += len(right_preds)


def _parent_right(body: str, match: Item, pred_quantities: Sequence[Item], parent_text: str | None) -> bool:
    parent = match.get("parent")
    if not parent_text:
        return parent is None
    if parent is None or not 0 <= int(parent) < len(pred_quantities):
        return False
    target = pred_quantities[int(parent)]
    return _overlaps((int(target["start"]), int(target["end"])), occurrences(body, parent_text))
