"""The per-word-type CRF scorer gives CRFsuite's own tags.

``CrfTagger.tag_document`` sums the models' weights per word type (``marsad.ner.crf_score``) and
decodes with its own Viterbi; ``tag_document_crfsuite`` builds the feature strings and asks
python-crfsuite. They must agree everywhere: on the small invented corpus, on the shipped model
over real reports, with the document memory and a running-corpus radius, and after the word
cache was cleared.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from marsad.ner import crf_score, crf_weights
from marsad.ner.crf import CrfTagger, candidate_tags, model_paths, train
from marsad.ner.crf_backend import load_tagger
from marsad.ner.crf_weights import ModelFormatError, read_model, viterbi
from marsad.ner.features import FeatureMaker
from marsad.ner.lexicon import LexiconRecogniser
from tests.ner.conftest import FAST, TEST, TRAIN, make_sentence

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def features() -> FeatureMaker:
    return FeatureMaker()


@pytest.fixture(scope="module")
def small_models(tmp_path_factory: pytest.TempPathFactory, features: FeatureMaker) -> Path:
    out = tmp_path_factory.mktemp("crf_score")
    train(TRAIN.sentences, out, FAST, features=features, folds=2)
    return out


@pytest.fixture(scope="module")
def shipped() -> CrfTagger:
    return load_tagger()


def test_weights_read_from_the_file_are_crfsuites(small_models: Path) -> None:
    for path in model_paths(small_models):
        weights = read_model(path)
        reference = pycrfsuite.Tagger()
        reference.open(str(path))
        info = reference.info()
        assert list(weights.labels) == reference.labels()
        assert set(weights.attributes) == set(info.attributes)
        for (attr, label), value in info.state_features.items():
            assert weights.state[weights.attributes[attr], weights.labels.index(label)] == pytest.approx(value, abs=1e-6)
        for (a, b), value in info.transitions.items():
            assert weights.transitions[weights.labels.index(a), weights.labels.index(b)] == pytest.approx(value, abs=1e-6)
        assert np.count_nonzero(weights.state) == len(info.state_features)


def test_not_a_model_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.crfsuite"
    bad.write_bytes(b"not a model at all, just some bytes here")
    with pytest.raises(ModelFormatError):
        read_model(bad)


def test_viterbi_by_hand() -> None:
    transitions = np.array([[0.0, -5.0], [-5.0, 0.0]])
    # label 1 wins the middle token alone, but switching twice costs more than it gains
    scores = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 0.0]])
    assert viterbi([scores], transitions) == [[0, 0, 0]]
    assert viterbi([scores[:2] * 10, np.zeros((0, 2)), scores[:1]], transitions) == [[0, 1], [], [0]]
    # ties go to the lowest label, as in CRFsuite
    assert viterbi([np.zeros((2, 2))], np.zeros((2, 2))) == [[0, 0]]


def test_small_model_same_tags_as_crfsuite(small_models: Path, features: FeatureMaker) -> None:
    lexicon = LexiconRecogniser(features.gazetteer)
    tagger = CrfTagger(*model_paths(small_models), features=features, lexicon=lexicon)
    sentences = [list(s.tokens) for s in TRAIN.sentences + TEST.sentences]
    sentences.append(list(make_sentence(0, ("جمال", "الصافي"), "كركوك", ("منظمة", "الأمل")).tokens))
    sentences.append("قال فراس المحمود إن الوضع في حماة هادئ .".split())
    sentences.append([])
    assert tagger.tag_document(sentences) == tagger.tag_document_crfsuite(sentences)
    assert tagger.tag_sentences(sentences, radius=2) == tagger.tag_document_crfsuite(sentences, radius=2)
    single = CrfTagger(model_paths(small_models)[0], None, features=features, lexicon=lexicon)
    assert single.tag_document(sentences) == single.tag_document_crfsuite(sentences)


def _report_sentences(tagger: CrfTagger) -> list[tuple[list[list[str]], list[list[str]]]]:
    from marsad.arabic.segment import sentences as split, tokens
    from marsad.ingest import IngestOptions, Rejection, iter_documents

    out = []
    docs = [d for d in iter_documents([ROOT / "examples" / "reports"], IngestOptions())
            if not isinstance(d, Rejection)]
    for doc in docs[:10]:
        text = doc.body
        toks = tokens(text)
        spans = [[(t.start, t.end) for t in toks if s.start <= t.start < s.end] for s in split(text)]
        spans = [s for s in spans if s]
        lex = candidate_tags(spans, tagger.lexicon.candidates(text))
        out.append(([[text[a:b] for a, b in s] for s in spans], lex))
    return out


def test_shipped_model_same_tags_on_reports(shipped: CrfTagger) -> None:
    docs = _report_sentences(shipped)
    assert docs
    for sentences, lex in docs:
        assert shipped.tag_document(sentences, lex_tags=lex) == shipped.tag_document_crfsuite(sentences, lex_tags=lex)


def test_word_rows_cached_or_fresh_give_the_same_tags(shipped: CrfTagger, monkeypatch) -> None:
    docs = _report_sentences(shipped)
    cached = [shipped.tag_document(s, lex_tags=lex) for s, lex in docs]
    monkeypatch.setattr(crf_score, "MAX_WORDS", 0)  # every document starts from an empty cache
    fresh = [shipped.tag_document(s, lex_tags=lex) for s, lex in docs]
    assert fresh == cached
    assert len(shipped._scorer._words) <= max(len({t for s in d for t in s}) for d, _ in docs)


def _random_sequences(seed: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Sentences of random scores over 7 labels; rounded so that ties happen often."""
    rng = np.random.default_rng(seed)
    transitions = np.round(rng.normal(size=(7, 7)), 1)
    wide = [np.round(rng.normal(size=(int(n), 14)), 1) for n in rng.integers(0, 40, 60)]
    return [s[:, :7] for s in wide], transitions  # column slices, as DocumentScorer.decode gives


def test_viterbi_c_extension_equals_numpy() -> None:
    decode = pytest.importorskip("marsad.ner._viterbi").decode
    for seed in range(5):
        scores, transitions = _random_sequences(seed)
        expected = crf_weights.viterbi_numpy(scores, transitions)
        assert [decode(s, transitions) for s in scores] == expected
        assert crf_weights.viterbi(scores, transitions) == expected
        assert [decode(np.ascontiguousarray(s), transitions.T.copy().T) for s in scores] == expected


def test_viterbi_c_extension_refuses_bad_input() -> None:
    decode = pytest.importorskip("marsad.ner._viterbi").decode
    with pytest.raises(TypeError):
        decode(np.zeros((3, 2), dtype=np.float32), np.zeros((2, 2)))
    with pytest.raises(ValueError):
        decode(np.zeros((3, 2)), np.zeros((3, 3)))
    assert decode(np.zeros((0, 2)), np.zeros((2, 2))) == []


def test_viterbi_without_the_extension_gives_the_same_tags(monkeypatch: pytest.MonkeyPatch) -> None:
    scores, transitions = _random_sequences(11)
    with_extension = crf_weights.viterbi(scores, transitions)
    monkeypatch.setattr(crf_weights, "_decode_one", None)
    assert crf_weights.viterbi(scores, transitions) == with_extension


def test_bigram_rows_cached_per_pair_are_the_feature_strings(shipped: CrfTagger) -> None:
    """The bigram slots of the index are the rows of the "bg-"/"bg+" strings of FeatureMaker.base."""
    scorer = shipped._scorer
    sentences = [["قال", "وزير", "الداخلية", "العراقي", "إن", "القوات"], ["قال", "وزير"], ["و"]]
    lex = [["O"] * len(s) for s in sentences]
    idx = scorer.index(sentences, lex)
    expected_before, expected_after = [], []
    for tokens in sentences:
        for feats in shipped.features.base(tokens, None):
            before = [f for f in feats if f.startswith("bg-=")]
            after = [f for f in feats if f.startswith("bg+=")]
            expected_before.append(scorer._attr.get(before[0], 0) if before else 0)
            expected_after.append(scorer._attr.get(after[0], 0) if after else 0)
    assert idx[:, 8].tolist() == expected_before
    assert idx[:, 9].tolist() == expected_after


def test_document_scores_and_memory_rows_are_the_per_sentence_ones(shipped: CrfTagger) -> None:
    """total_scores adds the slots one by one as .sum(axis=1) does (the same floats), and the
    memory rows of a whole document are those of memory_index sentence by sentence."""
    scorer = shipped._scorer
    for sentences, lex in _report_sentences(shipped)[:3]:
        index = scorer.index(sentences, lex)
        assert np.array_equal(scorer.total_scores(index), np.take(scorer._table, index, axis=0).sum(axis=1))
        memory = {scorer._words[t].stem: "PER" for s in sentences for t in s[::5]}
        memories = [memory, {}, *[memory] * (len(sentences) - 2)][: len(sentences)]
        rows, fired = scorer.document_memory_index(sentences, memories)
        offset = 0
        for tokens, mem, hit in zip(sentences, memories, fired, strict=True):
            one = scorer.memory_index(tokens, mem) if mem else None
            assert hit == (one is not None)
            part = rows[offset: offset + len(tokens)]
            assert np.array_equal(part, one if one is not None else np.zeros_like(part))
            offset += len(tokens)
        assert any(fired)
        shared = [memory] * len(sentences)  # one memory for all: the shortcut by stem ids
        assert np.array_equal(scorer.document_memory_index(sentences, shared, scorer.last_owns)[0],
                              scorer.document_memory_index(sentences, shared)[0])
        assert scorer.document_memory_index(sentences, shared, scorer.last_owns)[1] == \
            scorer.document_memory_index(sentences, shared)[1]


def test_bigram_rows_of_new_and_known_pairs_are_the_pair_rows(shipped: CrfTagger) -> None:
    scorer = shipped._scorer
    tokens = ["قال", "وزير", "الداخلية", "العراقي", "إن", "القوات", "قال", "وزير", "و"]
    owns = np.array([scorer._word(t).own for t in tokens], dtype=np.intp)
    for _ in range(2):  # first the pairs are new, then known
        expected = [scorer._pair(scorer._word(a), scorer._word(b)) for a, b in zip(tokens, tokens[1:])]
        assert scorer._bigram_rows(owns).tolist() == [list(r) for r in expected]
    assert np.all(np.diff(scorer._pair_codes) > 0)
