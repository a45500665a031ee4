"""Annotated NER corpora (CoNLL-style ``token TAG`` lines) and entity-level scoring.

Tags are mapped to Marsad's three types: PERS→PER, GPE/FAC→LOC; MISC/MIS and everything else
become O. Chunks are read the seqeval/conlleval way: a chunk starts at ``B-X`` or at an ``I-X``
whose previous tag is not of type X, so the ``I-`` after ``O`` found in ANERcorp still counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from marsad.ner.proposers import map_label

TYPES = ("PER", "ORG", "LOC")

# Named files under ../shared/data/ner/ (see its README.md and PROVENANCE.md files).
CORPORA: dict[str, str] = {
    "anercorp-train": "anercorp/derived/ANERCorp_CamelLab_train.reconstructed.txt",
    "anercorp-test": "anercorp/ANERCorp_CamelLab_test.txt",
    "anercorp-test-repaired": "anercorp/derived/ANERCorp_CamelLab_test.repaired.txt",
    "wikiann-train": "wikiann_ar/train-ar.tsv",
    "wikiann-dev": "wikiann_ar/dev-ar.tsv",
    "wikiann-test": "wikiann_ar/test-ar.tsv",
    "aqmar-train": "aqmar/liu2019_split/train.txt",
    "aqmar-dev": "aqmar/liu2019_split/dev.txt",
    "aqmar-test": "aqmar/liu2019_split/test.txt",
}
# Corpora that hold ANERcorp text: none of them may be trained on when ANERcorp is the test.
ANERCORP_TEXT = frozenset({"anercorp-test", "anercorp-test-repaired", "newsfane"})


class CorpusError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]


def map_tag(tag: str) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, _, kind = tag.partition("-")
    mapped = map_label(kind)
    if mapped is None or prefix not in ("B", "I"):
        return "O"
    return f"{prefix}-{mapped}"


def repair_iob(tags: Sequence[str]) -> tuple[str, ...]:
    """IOB2: an ``I-X`` that does not continue an X chunk becomes ``B-X``."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return tuple(out)


def read_conll(path: Path) -> list[Sentence]:
    """Sentences of a ``token<space|tab>TAG`` file, tags mapped to PER/ORG/LOC and IOB2."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read ({exc})") from exc
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            if tokens:
                sentences.append(Sentence(tuple(tokens), repair_iob(tags)))
                tokens, tags = [], []
            continue
        token, sep, tag = line.rpartition("\t") if "\t" in line else line.rpartition(" ")
        if not sep or not token.strip():
            raise CorpusError(f"{path}:{number}: expected 'token TAG', got {line[:60]!r}")
        tokens.append(token.strip())
        tags.append(map_tag(tag.strip()))
    if tokens:
        sentences.append(Sentence(tuple(tokens), repair_iob(tags)))
    if not sentences:
        raise CorpusError(f"{path}: no sentences found")
    return sentences


def corpus_path(shared_ner: Path, name: str) -> Path:
    if name not in CORPORA:
        raise CorpusError(f"unknown corpus {name!r}; choose one of: {', '.join(CORPORA)}")
    path = shared_ner / CORPORA[name]
    if not path.is_file():
        raise CorpusError(f"{path}: corpus file not found (is ../shared/data/ner present?)")
    return path


def load(shared_ner: Path, names: Iterable[str]) -> list[Sentence]:
    out: list[Sentence] = []
    for name in names:
        out.extend(read_conll(corpus_path(shared_ner, name)))
    return out


def chunks(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """(first, last, type) of each entity chunk, conlleval rules."""
    found: set[tuple[int, int, str]] = set()
    start = -1
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        t_kind = tag[2:] if tag != "O" else ""
        begins = tag.startswith("B-") or (tag.startswith("I-") and t_kind != kind)
        if kind and (tag == "O" or begins):
            found.add((start, i - 1, kind))
            kind = ""
        if begins:
            start, kind = i, t_kind
    return found


@dataclass(slots=True)
class Score:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def add(self, gold: Sequence[str], predicted: Sequence[str]) -> None:
        g, p = chunks(gold), chunks(predicted)
        for _, _, kind in g & p:
            self.tp[kind] += 1
        for _, _, kind in p - g:
            self.fp[kind] += 1
        for _, _, kind in g - p:
            self.fn[kind] += 1

    def prf(self, kind: str | None = None) -> tuple[float, float, float, int]:
        kinds = TYPES if kind is None else (kind,)
        tp = sum(self.tp[k] for k in kinds)
        fp = sum(self.fp[k] for k in kinds)
        fn = sum(self.fn[k] for k in kinds)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f, tp + fn

    def table(self) -> list[dict[str, float | int | str]]:
        rows = []
        for kind in (*TYPES, None):
            p, r, f, support = self.prf(kind)
            rows.append({"type": kind or "micro", "precision": round(p, 4), "recall": round(r, 4),
                         "f1": round(f, 4), "support": support})
        return rows


def score(gold: Sequence[Sentence], predicted: Sequence[Sequence[str]]) -> Score:
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predictions")
    result = Score()
    for sentence, tags in zip(gold, predicted, strict=True):
        result.add(sentence.tags, tags)
    return result
