"""Train and evaluate the built-in NER model (``marsad ner train`` / ``marsad ner eval``).

Training writes three files into the model folder: the type lexicon learnt from the lexicon
corpora, the two CRFs, and ``model.json`` (what was trained on, with which settings, sizes and
checksums), so a model can always be traced to the command that made it.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from marsad.ner import corpus, type_lexicon
from marsad.ner.crf import MODEL_DIR, CORPUS_RADIUS, CrfTagger, TrainSettings, model_paths, train
from marsad.ner.crf_backend import TYPE_LEXICON, load_tagger
from marsad.ner.features import FeatureMaker

DEFAULT_TRAIN = ("anercorp-train",)
DEFAULT_LEXICON = ("wikiann-train", "wikiann-dev", "aqmar-train", "aqmar-dev")
DEFAULT_TESTS = ("anercorp-test-repaired", "anercorp-test", "wikiann-test")
MANIFEST = "model.json"


class TrainingError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class TestResult:
    corpus: str
    sentences: int
    tokens: int
    seconds: float
    rows: list[dict[str, float | int | str]]

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0

    @property
    def micro_f1(self) -> float:
        return float(self.rows[-1]["f1"])


def check_no_leak(train_on: Sequence[str], tests: Sequence[str]) -> None:
    """ANERcorp test text must never be trained on (NewsFANEGold holds the same text)."""
    leaked = [name for name in train_on if name in corpus.ANERCORP_TEXT or name.endswith("-test")]
    if leaked:
        raise TrainingError(f"refusing to train on {', '.join(leaked)}: it holds test text")
    if any(t.startswith("anercorp") for t in tests) and "newsfane" in train_on:
        raise TrainingError("NewsFANEGold is ANERcorp text: never train on it and test on ANERcorp")


def train_model(shared_ner: Path, out_dir: Path = MODEL_DIR, train_on: Sequence[str] = DEFAULT_TRAIN,
                lexicon_from: Sequence[str] = DEFAULT_LEXICON, settings: TrainSettings = TrainSettings(),
                on_progress: Callable[[str], None] | None = None) -> dict:
    check_no_leak([*train_on, *lexicon_from], DEFAULT_TESTS)
    say = on_progress or (lambda _message: None)
    started = time.perf_counter()
    lexicon = type_lexicon.build(corpus.load(shared_ner, lexicon_from)) if lexicon_from else {}
    out_dir.mkdir(parents=True, exist_ok=True)
    type_lexicon.save(lexicon, out_dir / TYPE_LEXICON)
    say(f"type lexicon: {len(lexicon):,} stems from {', '.join(lexicon_from) or 'nothing'}")
    sentences = corpus.load(shared_ner, train_on)
    say(f"training on {len(sentences):,} sentences from {', '.join(train_on)}")
    train(sentences, out_dir, settings, features=FeatureMaker(type_lexicon=lexicon), on_progress=say)
    files = [out_dir / TYPE_LEXICON, *model_paths(out_dir)]
    manifest = {
        "model": "marsad two-stage CRF (python-crfsuite)",
        "train": list(train_on), "type_lexicon_from": list(lexicon_from),
        "settings": asdict(settings), "corpus_radius": CORPUS_RADIUS,
        "sentences": len(sentences), "tokens": sum(len(s.tokens) for s in sentences),
        "seconds": round(time.perf_counter() - started, 1),
        "files": {f.name: {"bytes": f.stat().st_size, "sha256": _sha256(f)} for f in files},
        "command": "marsad ner train" + _command_flags(train_on, lexicon_from, settings),
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def evaluate_model(shared_ner: Path, tests: Sequence[str] = DEFAULT_TESTS,
                   tagger: CrfTagger | None = None) -> list[TestResult]:
    tagger = tagger or load_tagger()
    results = []
    for name in tests:
        gold = corpus.load(shared_ner, [name])
        started = time.perf_counter()
        predicted = tagger.tag_sentences([s.tokens for s in gold])
        seconds = time.perf_counter() - started
        score = corpus.score(gold, predicted)
        results.append(TestResult(name, len(gold), sum(len(s.tokens) for s in gold), seconds, score.table()))
    return results


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _command_flags(train_on: Sequence[str], lexicon_from: Sequence[str], settings: TrainSettings) -> str:
    flags = ""
    if tuple(train_on) != DEFAULT_TRAIN:
        flags += f" --train {shlex.quote(','.join(train_on))}"
    if tuple(lexicon_from) != DEFAULT_LEXICON:
        flags += f" --lexicon-from {shlex.quote(','.join(lexicon_from))}"
    if settings != TrainSettings():
        flags += f" --c1 {settings.c1} --c2 {settings.c2} --iterations {settings.max_iterations}"
    return flags
