"""A small invented NER corpus, laid out on disk like ../shared/data/ner, and a CRF trained on it.

The sentences are generated from five templates over invented persons, organisations and real
city names, so each test knows exactly which chunks the gold holds. Training on it takes about a
second (a few dozen L-BFGS iterations), once per session.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from marsad.ner.corpus import CORPORA, Sentence
from marsad.ner.crf import TrainSettings

GIVEN = ("سليم", "مروان", "كريم", "هاني", "نادر", "رامي", "طارق", "عادل", "جمال", "سامي")
FAMILY = ("الحداد", "العطار", "النجار", "الخطيب", "الصافي", "الراوي", "الشمري", "الدليمي",
          "العبيدي", "الزبيدي")
PLACES = ("حلب", "الموصل", "كركوك", "البصرة", "حمص", "أربيل", "دهوك", "تكريت", "الرمادي", "درعا",
          "الرقة", "النجف")
ORGS = (("منظمة", "الأمل"), ("شركة", "الياسمين"), ("هيئة", "الرقابة"), ("جمعية", "النخيل"),
        ("نقابة", "المهندسين"), ("رابطة", "الصحفيين"))

# Each template is a list of (token or slot, tag); slots are P (person), L (place), O (org).
TEMPLATES: tuple[tuple[tuple[str, str], ...], ...] = (
    (("قال", "O"), ("P", ""), ("إن", "O"), ("الوضع", "O"), ("في", "O"), ("L", ""),
     ("هادئ", "O"), (".", "O")),
    (("زار", "O"), ("P", ""), ("مدينة", "O"), ("L", ""), ("يوم", "O"), ("الأحد", "O"), (".", "O")),
    (("أصدرت", "O"), ("O", ""), ("بيانا", "O"), ("عن", "O"), ("L", ""), (".", "O")),
    (("التقى", "O"), ("P", ""), ("ممثلين", "O"), ("عن", "O"), ("O", ""), ("في", "O"), ("L", ""),
     (".", "O")),
    (("أعلنت", "O"), ("O", ""), ("أن", "O"), ("P", ""), ("سيزور", "O"), ("L", ""), ("غدا", "O"),
     (".", "O")),
)


@dataclass(frozen=True)
class Corpus:
    sentences: list[Sentence]  # gold in Marsad's tags (PER/ORG/LOC, IOB2)
    conll: str  # the same, written with ANERcorp's tags (B-PERS …), space-separated

    def chunk_counts(self) -> Counter:
        """Number of gold chunks per type."""
        counts: Counter = Counter()
        for s in self.sentences:
            counts.update(t[2:] for t in s.tags if t.startswith("B-"))
        return counts


def make_sentence(template: int, person: tuple[str, str], place: str,
                  org: tuple[str, str]) -> Sentence:
    tokens: list[str] = []
    tags: list[str] = []
    for token, tag in TEMPLATES[template]:
        if token == "P":
            tokens += person
            tags += ["B-PER", "I-PER"]
        elif token == "L":
            tokens.append(place)
            tags.append("B-LOC")
        elif token == "O" and not tag:
            tokens += org
            tags += ["B-ORG", "I-ORG"]
        else:
            tokens.append(token)
            tags.append(tag)
    return Sentence(tuple(tokens), tuple(tags))


def make_corpus(n: int, offset: int = 0) -> Corpus:
    sentences = []
    for k in range(offset, offset + n):
        person = (GIVEN[(k * 3) % len(GIVEN)], FAMILY[(k * 7) % len(FAMILY)])
        sentences.append(make_sentence(k % len(TEMPLATES), person, PLACES[(k * 5) % len(PLACES)],
                                       ORGS[k % len(ORGS)]))
    return Corpus(sentences, to_conll(sentences))


def to_conll(sentences: list[Sentence], sep: str = " ") -> str:
    anercorp = {"PER": "PERS", "ORG": "ORG", "LOC": "LOC"}
    blocks = []
    for s in sentences:
        lines = [f"{tok}{sep}{tag if tag == 'O' else tag[:2] + anercorp[tag[2:]]}"
                 for tok, tag in zip(s.tokens, s.tags, strict=True)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


TRAIN = make_corpus(60)
TEST = make_corpus(10, offset=1000)
# A WikiANN-like lexicon corpus (tab-separated): the person and place words, each seen three times.
WIKIANN = "\n\n".join(
    f"{g}\tB-PER\n{f}\tI-PER\nمن\tO\n{p}\tB-LOC"
    for g, f, p in zip(GIVEN * 3, FAMILY * 3, PLACES * 3)) + "\n"
FAST = TrainSettings(max_iterations=40)


def write_fake_shared(root: Path) -> Path:
    """A folder laid out like ../shared/data/ner with the invented corpora."""
    files = {
        CORPORA["anercorp-train"]: TRAIN.conll,
        CORPORA["anercorp-test-repaired"]: TEST.conll,
        CORPORA["anercorp-test"]: TEST.conll,
        CORPORA["wikiann-train"]: WIKIANN,
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def fake_shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fake_shared(tmp_path_factory.mktemp("shared_ner"))


@pytest.fixture(scope="session")
def trained_model(fake_shared: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """(model folder, manifest) of ``train_model`` over the fake corpus folder."""
    from marsad.ner.training import train_model

    out = tmp_path_factory.mktemp("model")
    manifest = train_model(fake_shared, out, train_on=("anercorp-train",),
                           lexicon_from=("wikiann-train",), settings=FAST)
    return out, manifest
