"""CRF token features, the two-stage CRF trained on a small invented corpus, and training/eval.

The corpus (tests/ner/conftest.py) is generated from five sentence templates over invented
persons and organisations and real city names; a few dozen L-BFGS iterations learn it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from marsad.ner import type_lexicon
from marsad.ner.corpus import CorpusError
from marsad.ner.crf import (
    MODEL_DIR,
    CrfTagger,
    ModelMissing,
    lexicon_tags,
    memories,
    model_paths,
    train,
)
from marsad.ner.crf_backend import TYPE_LEXICON, load_tagger
from marsad.ner.features import FeatureMaker, shape
from marsad.ner.lexicon import LexiconRecogniser
from marsad.ner.training import MANIFEST, TrainingError, check_no_leak, evaluate_model, train_model
from tests.ner.conftest import FAST, TEST, TRAIN, make_sentence


@pytest.fixture(scope="module")
def features() -> FeatureMaker:
    return FeatureMaker()


@pytest.fixture(scope="module")
def lexicon(features: FeatureMaker) -> LexiconRecogniser:
    return LexiconRecogniser(features.gazetteer)


def own(features: FeatureMaker, token: str) -> list[str]:
    """Features of a token standing alone (its own, plus the boundary markers)."""
    return features.sentence([token])[0]


# --- features ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("token", "kind"), [
    ("بغداد", "ar"), ("2024", "num"), ("3,5", "num"), ("12.000", "num"), ("Baghdad", "Lat"),
    ("baghdad", "lat"), ("،", "p"), ("«", "p"), ("-", "p"), ("F16", "mix"), ("ISIS-K", "mix"),
])
def test_shape(token: str, kind: str) -> None:
    assert shape(token) == kind


@pytest.mark.parametrize(("token", "kind"), [(".", "p"), (",", "p"), ("...", "p"), ("٢٠٢٤", "num"),
                                             ("٣٠", "num")])
def test_shape_of_full_stops_and_arabic_indic_digits(token: str, kind: str) -> None:
    assert shape(token) == kind


def test_stem_features_strip_proclitics(features: FeatureMaker) -> None:
    feats = own(features, "وبغداد")
    assert {"w=وبغداد", "s=بغداد", "pc=و"} <= set(feats)
    # the stem is a gazetteer place, the whole word is not
    assert "gzs" in feats and "gzbigs" in feats and "gz" not in feats
    assert features.stem("وبغداد") == "بغداد"
    assert "s=دمشق" in own(features, "لدمشق")
    article = own(features, "الموصل")
    assert {"s=موصل", "pc=ال", "def"} <= set(article)


def test_gazetteer_flags_for_a_known_city(features: FeatureMaker) -> None:
    feats = own(features, "الموصل")
    assert {"gz", "gzbig", "gzs", "gzbigs"} <= set(feats)
    assert not any(f.startswith("gz") for f in own(features, "الوضع"))


def test_title_alias_and_nisba_flags(features: FeatureMaker) -> None:
    assert "title=office" in own(features, "وزير")
    assert "title=office" in own(features, "رئيس")
    # with a conjunction attached only the stem is a title
    assert "titles=office" in own(features, "ووزير") and "title=office" not in own(features, "ووزير")
    assert "alias=ORG" in own(features, "داعش")
    assert "nisba" in own(features, "العراقي")
    assert not any(f.startswith(("title", "alias", "nisba")) for f in own(features, "الوضع"))


def test_numbers_and_punctuation_have_few_features(features: FeatureMaker) -> None:
    assert own(features, "2024") == ["b", "sh=num", "-2BOUND", "-1BOUND", "1BOUND", "2BOUND"]
    assert own(features, "،") == ["b", "w=،", "sh=p", "-2BOUND", "-1BOUND", "1BOUND", "2BOUND"]


def test_type_lexicon_flags(features: FeatureMaker) -> None:
    typed = FeatureMaker(features.gazetteer, type_lexicon={"حداد": "PER:hi"})
    assert {"tl=PER:hi", "tl=PER"} <= set(own(typed, "الحداد"))  # looked up by stem
    assert "tl=?" in own(typed, "حلب")
    assert "tl=?" not in own(typed, "الحداد")
    assert not any(f.startswith("tl=") for f in own(features, "الحداد"))  # no lexicon, no flag


def test_context_window_and_boundaries(features: FeatureMaker) -> None:
    tokens = ["قال", "سليم", "الحداد", "في", "حلب"]
    rows = features.sentence(tokens)
    assert len(rows) == 5 and all(row[0] == "b" for row in rows)
    first, middle, last = rows[0], rows[2], rows[4]
    assert {"-2BOUND", "-1BOUND", "1w=سليم", "2w=الحداد"} <= set(first)
    assert not any(f.endswith("BOUND") for f in middle)
    assert {"-2w=قال", "-1w=سليم", "-1s=سليم", "1w=في", "2w=حلب", "2gz"} <= set(middle)
    assert {"-2w=الحداد", "-1w=في", "1BOUND", "2BOUND"} <= set(last)
    assert "1BOUND" not in first and "-1BOUND" not in last
    # no memory asked for, none given
    assert not any("mem=" in f for row in rows for f in row)


def test_lexicon_tags_become_features(features: FeatureMaker) -> None:
    rows = features.sentence(["في", "حلب", "اليوم"], lex_tags=["O", "B-LOC", "O"])
    assert "lex=B-LOC" in rows[1]
    assert "1lex=B-LOC" in rows[0] and "-1lex=B-LOC" in rows[2]
    assert not any(f.startswith("lex=") for f in rows[0] + rows[2])


def test_memory_features(features: FeatureMaker) -> None:
    tokens = ["وصل", "الحداد", "إلى", "حلب"]
    rows = features.sentence(tokens, memory={"حداد": "PER"})
    assert "0mem=PER" in rows[1]
    assert "1mem=PER" in rows[0] and "-1mem=PER" in rows[2]
    assert not any("mem=" in f for f in rows[3])
    # a proclitic does not hide the word from the memory (it is keyed by stem)
    assert "0mem=PER" in features.sentence(["والحداد"], memory={"حداد": "PER"})[0]


# --- the lexicon as tags, the document memory -----------------------------------------------


def test_lexicon_tags_align_candidates_to_tokens(lexicon: LexiconRecogniser) -> None:
    tokens = "أعلن تنظيم داعش مسؤوليته عن هجوم قرب دير الزور ثم في وبغداد .".split()
    tags = dict(zip(tokens, lexicon_tags(tokens, lexicon), strict=True))
    assert (tags["تنظيم"], tags["داعش"]) == ("B-ORG", "I-ORG")
    assert (tags["دير"], tags["الزور"]) == ("B-LOC", "I-LOC")
    assert tags["وبغداد"] == "B-LOC"  # a candidate after a proclitic still tags its token
    assert {tags[t] for t in ("أعلن", "مسؤوليته", "هجوم", "قرب", ".")} == {"O"}
    assert lexicon_tags([], lexicon) == []


def test_memories_sliding_window() -> None:
    per = [Counter({("حداد", "PER"): 1}), Counter(), Counter(),
           Counter({("حداد", "LOC"): 2, ("حلب", "LOC"): 1})]
    assert memories(per, 1) == [{"حداد": "PER"}, {"حداد": "PER"},
                                {"حداد": "LOC", "حلب": "LOC"}, {"حداد": "LOC", "حلب": "LOC"}]
    assert memories(per, 0) == [{"حداد": "PER"}, {}, {}, {"حداد": "LOC", "حلب": "LOC"}]
    # the whole document: LOC wins for حداد (2 against 1)
    assert memories(per, None) == [{"حداد": "LOC", "حلب": "LOC"}] * 4
    assert memories(per, 10) == memories(per, None)
    assert memories([], 3) == [] and memories([], None) == []


def test_memories_majority_within_the_window() -> None:
    per = [Counter({("نور", "PER"): 2}), Counter({("نور", "LOC"): 1}), Counter({("نور", "LOC"): 2}),
           Counter({("نور", "LOC"): 1})]
    assert [m["نور"] for m in memories(per, 1)] == ["PER", "LOC", "LOC", "LOC"]
    # a count that left the window no longer counts
    assert memories([Counter({("نور", "PER"): 1}), Counter(), Counter(), Counter()], 1)[3] == {}


# --- training and tagging ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def crf_dir(tmp_path_factory: pytest.TempPathFactory, features: FeatureMaker) -> tuple[Path, dict, list]:
    out = tmp_path_factory.mktemp("crf")
    said: list[str] = []
    facts = train(TRAIN.sentences, out, FAST, features=features, folds=2, on_progress=said.append)
    return out, facts, said


@pytest.fixture(scope="module")
def tagger(crf_dir, features: FeatureMaker, lexicon: LexiconRecogniser) -> CrfTagger:
    return CrfTagger(*model_paths(crf_dir[0]), features=features, lexicon=lexicon)


def test_train_writes_both_models(crf_dir) -> None:
    out, facts, said = crf_dir
    first, second = model_paths(out)
    assert first.is_file() and second.is_file()
    assert facts["bytes"] == first.stat().st_size + second.stat().st_size
    assert "first pass, fold 2/2" in said and said[-1] == "second model"
    assert not list(out.glob("fold*"))  # the jackknife models are temporary


def test_tagger_tags_a_training_sentence(tagger: CrfTagger) -> None:
    for sentence in TRAIN.sentences[:5]:  # one of each template
        assert tagger.tag_document([sentence.tokens]) == [list(sentence.tags)]


def test_tagger_generalises_to_the_same_pattern(tagger: CrfTagger) -> None:
    # a person and a place never seen together in training
    unseen = make_sentence(0, ("جمال", "الصافي"), "كركوك", ("منظمة", "الأمل"))
    assert unseen.tokens not in {s.tokens for s in TRAIN.sentences}
    assert tagger.tag_document([unseen.tokens]) == [list(unseen.tags)]
    # names never seen at all, a city never seen in training (but in the gazetteer)
    tokens = "قال فراس المحمود إن الوضع في حماة هادئ .".split()
    [tags] = tagger.tag_document([tokens])
    assert tags[1:3] == ["B-PER", "I-PER"] and tags[6] == "B-LOC"
    assert tags[0] == tags[3] == tags[7] == tags[8] == "O"


def test_first_stage_alone_and_running_corpus(tagger: CrfTagger, crf_dir, features, lexicon) -> None:
    single = CrfTagger(model_paths(crf_dir[0])[0], None, features=features, lexicon=lexicon)
    sentences = [s.tokens for s in TEST.sentences]
    assert single.tag_document(sentences[:3]) == [list(s.tags) for s in TEST.sentences[:3]]
    tagged = tagger.tag_sentences(sentences, radius=2)
    assert [len(t) for t in tagged] == [len(s) for s in sentences]
    assert tagger.tag_document([[]]) == [[]]


def test_missing_model_is_actionable(tmp_path: Path, crf_dir) -> None:
    with pytest.raises(ModelMissing) as err:
        CrfTagger(tmp_path / "crf-ar.1.crfsuite")
    assert "crf-ar.1.crfsuite" in str(err.value) and "marsad ner train" in str(err.value)
    assert isinstance(err.value, FileNotFoundError)
    with pytest.raises(ModelMissing, match="crf-ar.2.crfsuite"):  # the second model checked too
        CrfTagger(model_paths(crf_dir[0])[0], tmp_path / "crf-ar.2.crfsuite")
    with pytest.raises(ModelMissing, match="marsad ner train"):
        load_tagger(tmp_path)


def test_shipped_model_matches_its_manifest() -> None:
    manifest = json.loads((MODEL_DIR / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {TYPE_LEXICON, *(p.name for p in model_paths(MODEL_DIR))}
    for name, facts in manifest["files"].items():
        data = (MODEL_DIR / name).read_bytes()
        assert len(data) == facts["bytes"], name
        assert hashlib.sha256(data).hexdigest() == facts["sha256"], name


# --- training.py ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["anercorp-test", "anercorp-test-repaired", "newsfane", "wikiann-test"])
def test_check_no_leak_refuses_test_text(name: str) -> None:
    with pytest.raises(TrainingError, match=f"refusing to train on {name}"):
        check_no_leak(["anercorp-train", name], ["anercorp-test"])


def test_check_no_leak_accepts_training_corpora() -> None:
    check_no_leak(["anercorp-train", "wikiann-train", "wikiann-dev", "aqmar-train"],
                  ["anercorp-test-repaired", "wikiann-test"])


def test_train_model_refuses_before_writing(fake_shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "model"
    with pytest.raises(TrainingError, match="refusing"):
        train_model(fake_shared, out, train_on=("anercorp-train",), lexicon_from=("anercorp-test",))
    assert not out.exists()


def test_train_model_writes_a_traceable_model(trained_model) -> None:
    out, manifest = trained_model
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8")) == manifest
    assert set(manifest["files"]) == {TYPE_LEXICON, "crf-ar.1.crfsuite", "crf-ar.2.crfsuite"}
    for name, facts in manifest["files"].items():
        data = (out / name).read_bytes()
        assert facts == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert manifest["train"] == ["anercorp-train"]
    assert manifest["type_lexicon_from"] == ["wikiann-train"]
    assert manifest["sentences"] == len(TRAIN.sentences)
    assert manifest["tokens"] == sum(len(s.tokens) for s in TRAIN.sentences)
    assert manifest["settings"]["max_iterations"] == FAST.max_iterations
    assert "--lexicon-from wikiann-train" in manifest["command"]
    assert f"--iterations {FAST.max_iterations}" in manifest["command"]
    # the type lexicon was learnt from the WikiANN-like file
    learnt = type_lexicon.load(out / TYPE_LEXICON)
    assert learnt["حداد"] == "PER:hi" and learnt["حلب"] == "LOC:hi" and learnt["من"] == "O:hi"


def test_evaluate_model_on_the_fake_test(trained_model, fake_shared: Path) -> None:
    out, _ = trained_model
    [result] = evaluate_model(fake_shared, ["anercorp-test-repaired"], load_tagger(out))
    assert result.corpus == "anercorp-test-repaired"
    assert result.sentences == len(TEST.sentences)
    assert result.tokens == sum(len(s.tokens) for s in TEST.sentences)
    rows = {row["type"]: row for row in result.rows}
    counts = TEST.chunk_counts()
    for kind in ("PER", "ORG", "LOC"):
        assert rows[kind]["support"] == counts[kind]
    assert rows["micro"]["support"] == sum(counts.values())
    assert 0.0 <= result.micro_f1 <= 1.0
    assert result.micro_f1 >= 0.9  # the test sentences follow the training templates
    assert result.tokens_per_second > 0


def test_evaluate_model_unknown_corpus(trained_model, fake_shared: Path) -> None:
    with pytest.raises(CorpusError, match="unknown corpus"):
        evaluate_model(fake_shared, ["nope"], load_tagger(trained_model[0]))

