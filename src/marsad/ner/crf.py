"""The built-in statistical NER model: a linear-chain CRF (CRFsuite) over Marsad's token features.

``marsad ner train`` fits it on the ANERcorp training split (plus any corpora named) and writes
``ner/models/crf-ar.crfsuite``; ``CrfTagger.load()`` reads it back (well under a second). The
lexicon back-end's matches are features of the model, so known names, places and titled
persons steer it without overriding what the data taught it.
"""

from __future__ import annotations

import tempfile
import threading
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import numpy as np
import pycrfsuite

from marsad.ner.candidates import Candidate
from marsad.ner.corpus import Sentence
from marsad.ner.crf_score import DocumentScorer
from marsad.ner.crf_weights import read_model
from marsad.ner.features import FeatureMaker
from marsad.ner.lexicon import LexiconRecogniser

MODEL_DIR = Path(__file__).resolve().parent / "models"
CORPUS_RADIUS = 15  # sentences around one in a running corpus that count as its document


class ModelMissing(FileNotFoundError):
    pass


@dataclass(frozen=True, slots=True)
class TrainSettings:
    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 100
    min_freq: int = 1


def lexicon_tags(tokens: Sequence[str], recogniser: LexiconRecogniser) -> list[str]:
    """IOB2 tags the lexicon back-end gives to a pre-tokenised sentence."""
    text, starts = join_tokens(tokens)
    spans = [(start, start + len(token)) for start, token in zip(starts, tokens, strict=True)]
    return candidate_tags([spans], recogniser.candidates(text))[0]


def candidate_tags(spans: Sequence[Sequence[tuple[int, int]]], known: Sequence[Candidate]) -> list[list[str]]:
    """IOB2 tags of the lexicon's candidates over tokens given as (start, end) per sentence."""
    tags = [["O"] * len(sentence) for sentence in spans]
    starts = [a for sentence in spans for a, _ in sentence]  # all tokens, sentence after sentence
    ends = [b for sentence in spans for _, b in sentence]
    offsets = list(accumulate((len(sentence) for sentence in spans), initial=0))  # first token of each
    k = 0
    for cand in sorted(known, key=lambda c: c.start):
        k = bisect_right(ends, cand.start, k)  # past the tokens that end before the candidate
        j, first = k, True
        while j < len(starts) and starts[j] < cand.end:
            s = bisect_right(offsets, j) - 1
            tags[s][j - offsets[s]] = f"{'B' if first else 'I'}-{cand.type}"
            first = False
            j += 1
    return tags


def join_tokens(tokens: Sequence[str]) -> tuple[str, list[int]]:
    starts: list[int] = []
    pos = 0
    for token in tokens:
        starts.append(pos)
        pos += len(token) + 1
    return " ".join(tokens), starts


def sentence_entities(features: FeatureMaker, tokens: Sequence[str], tags: Sequence[str]) -> Counter:
    """(stem, type) of each name word a tagging found, for the document memory."""
    found: Counter = Counter()
    if tags.count("O") == len(tags) == len(tokens):
        return found  # most sentences: nothing found (and a quick C-level count says so)
    for token, tag in zip(tokens, tags, strict=True):
        if tag != "O" and len(token) > 2 and token[:1].isalpha():
            found[(features.stem(token), tag[2:])] += 1
    return found


def memories(per_sentence: Sequence[Counter], radius: int | None) -> list[dict[str, str]]:
    """For each sentence, stem → the type most often given to it in the sentences around it
    (the whole document when ``radius`` is None)."""
    def majority(counts: Counter) -> dict[str, str]:
        best: dict[str, tuple[int, str]] = {}
        for (stem, kind), n in counts.items():
            if n > best.get(stem, (0, ""))[0]:
                best[stem] = (n, kind)
        return {stem: kind for stem, (_, kind) in best.items()}

    if radius is None:
        # what sum(per_sentence, Counter()) gives (counts are positive, keys in the same order)
        # without a new Counter per sentence
        total: Counter = Counter()
        for counts in per_sentence:
            total.update(counts)
        whole = majority(total)
        return [whole] * len(per_sentence)
    window: Counter = Counter()
    out: list[dict[str, str]] = []
    n = len(per_sentence)
    for k in range(min(radius + 1, n)):
        window.update(per_sentence[k])
    for i in range(n):
        out.append(majority(+window))
        if i - radius >= 0:
            window.subtract(per_sentence[i - radius])
        if i + radius + 1 < n:
            window.update(per_sentence[i + radius + 1])
    return out


class CrfTagger:
    """Two CRFs: the first tags each sentence alone; the second sees, besides the same
    features, what the first found for the same words elsewhere in the document."""

    def __init__(self, first: Path, second: Path | None = None, features: FeatureMaker | None = None,
                 lexicon: LexiconRecogniser | None = None) -> None:
        for path in (first, second):
            if path is not None and not path.is_file():
                raise ModelMissing(f"{path}: NER model not found; build it with `marsad ner train`")
        self.features = features or FeatureMaker()
        self.lexicon = lexicon or LexiconRecogniser(self.features.gazetteer)
        self._first = _open_tagger(first)
        self._second = _open_tagger(second) if second is not None else None
        models = [read_model(p) for p in (first, second) if p is not None]
        self._scorer = DocumentScorer(self.features, models)
        self._lock = threading.Lock()  # the scorer's word rows grow as documents come

    def tag_document(self, sentences: Sequence[Sequence[str]], radius: int | None = None,
                     lex_tags: Sequence[Sequence[str]] | None = None) -> list[list[str]]:
        """Tags for the sentences of one document (or a running corpus, with ``radius``):
        the models' weights summed per word type (:mod:`marsad.ner.crf_score`), the same tags
        as :meth:`tag_document_crfsuite` in a fraction of the time."""
        if lex_tags is None:
            lex_tags = [lexicon_tags(tokens, self.lexicon) for tokens in sentences]
        with self._lock:
            return self._tag_document(sentences, radius, lex_tags)

    def _tag_document(self, sentences: Sequence[Sequence[str]], radius: int | None,
                      lex_tags: Sequence[Sequence[str]]) -> list[list[str]]:
        scorer = self._scorer
        if not sentences:
            return []
        total = scorer.total_scores(scorer.index(sentences, lex_tags))
        owns = scorer.last_owns  # (under the lock: no other document indexed meanwhile)
        bounds = np.cumsum([len(s) for s in sentences])[:-1]
        first_cols = scorer.columns(0)
        first = scorer.decode(0, np.split(total[:, first_cols], bounds))
        if self._second is None:
            return first
        found = [sentence_entities(self.features, tokens, tags) for tokens, tags in zip(sentences, first, strict=True)]
        rows, fired = scorer.document_memory_index(sentences, memories(found, radius), owns)
        # a sentence where no memory feature fires keeps its tags: the second model would see
        # what the first saw. The others get the second model's scores (the memory rows added
        # for the whole document at once: the same sums, sentence by sentence).
        todo = [k for k, hit in enumerate(fired) if hit]
        if todo:
            second = np.split(total[:, scorer.columns(1)] + scorer.extra_scores(1, rows), bounds)
            for k, tags in zip(todo, scorer.decode(1, [second[k] for k in todo]), strict=True):
                first[k] = tags
        return first

    def tag_document_crfsuite(self, sentences: Sequence[Sequence[str]], radius: int | None = None,
                              lex_tags: Sequence[Sequence[str]] | None = None) -> list[list[str]]:
        """The same tags through python-crfsuite and feature strings: the reference the fast
        path is tested against."""
        if lex_tags is None:
            lex_tags = [lexicon_tags(tokens, self.lexicon) for tokens in sentences]
        base = [self.features.base(tokens, lex) for tokens, lex in zip(sentences, lex_tags, strict=True)]
        first = [_tag(self._first, x) for x in base]
        if self._second is None:
            return first
        found = [sentence_entities(self.features, tokens, tags) for tokens, tags in zip(sentences, first, strict=True)]
        out: list[list[str]] = []
        for tokens, x, tags, memory in zip(sentences, base, first, memories(found, radius), strict=True):
            stacked = self.features.with_memory(tokens, x, memory) if memory else x
            # no memory feature fires: the second model would see what the first saw
            out.append(tags if stacked is x else _tag(self._second, stacked))
        return out

    def tag_sentences(self, sentences: Sequence[Sequence[str]], radius: int = CORPUS_RADIUS) -> list[list[str]]:
        """Tags for a running corpus of sentences (the memory looks ``radius`` sentences around)."""
        return self.tag_document(sentences, radius=radius)



def _tag(tagger: pycrfsuite.Tagger, features: list[list[str]]) -> list[str]:
    return list(tagger.tag(features)) if features else []


def _open_tagger(path: Path) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def _fit(items: Sequence[tuple[list[list[str]], list[str]]], out: Path, settings: TrainSettings) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in items:
        trainer.append(xseq, yseq)
    trainer.set_params({
        "c1": settings.c1, "c2": settings.c2, "max_iterations": settings.max_iterations,
        "feature.possible_transitions": True, "feature.minfreq": settings.min_freq,
    })
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def train(sentences: Sequence[Sentence], out_dir: Path, settings: TrainSettings = TrainSettings(),
          features: FeatureMaker | None = None, folds: int = 4,
          on_progress: Callable[[str], None] | None = None) -> dict[str, float]:
    """Fit both CRFs on ``sentences``; the second learns from first-pass tags made by models
    that did not see the sentence (``folds``-fold jackknife), as it will meet them at run time."""
    features = features or FeatureMaker()
    lexicon = LexiconRecogniser(features.gazetteer)
    say = on_progress or (lambda _message: None)
    started = time.perf_counter()
    lex = [lexicon_tags(s.tokens, lexicon) for s in sentences]
    gold = [list(s.tags) for s in sentences]
    plain = [features.sentence(s.tokens, tags) for s, tags in zip(sentences, lex, strict=True)]
    say(f"features for {len(sentences):,} sentences")
    first_pass: list[list[str]] = [[] for _ in sentences]
    size = -(-len(sentences) // folds)
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            lo, hi = k * size, min((k + 1) * size, len(sentences))
            path = Path(tmp) / f"fold{k}.crfsuite"
            _fit([(plain[i], gold[i]) for i in range(len(sentences)) if not lo <= i < hi], path, settings)
            tagger = _open_tagger(path)
            for i in range(lo, hi):
                first_pass[i] = list(tagger.tag(plain[i])) if plain[i] else []
            say(f"first pass, fold {k + 1}/{folds}")
    first_model, second_model = model_paths(out_dir)
    _fit(list(zip(plain, gold, strict=True)), first_model, settings)
    say("first model")
    found = [sentence_entities(features, s.tokens, tags) for s, tags in zip(sentences, first_pass, strict=True)]
    stacked = [features.sentence(s.tokens, tags, memory) for s, tags, memory
               in zip(sentences, lex, memories(found, CORPUS_RADIUS), strict=True)]
    _fit(list(zip(stacked, gold, strict=True)), second_model, settings)
    say("second model")
    return {"seconds": time.perf_counter() - started,
            "bytes": first_model.stat().st_size + second_model.stat().st_size}


def model_paths(out_dir: Path) -> tuple[Path, Path]:
    return out_dir / "crf-ar.1.crfsuite", out_dir / "crf-ar.2.crfsuite"
