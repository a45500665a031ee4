"""The optional model back-ends (CAMeL Tools, Hugging Face) as span proposers.

The label mapping and span decoding always run. The CAMeL and HF tests skip unless their
packages are installed; they build a tiny random BERT token classifier in tmp_path, so they need
no downloaded model (labels are random: they check structure, not which entities are found).
The test against CAMeL's real pre-trained model skips unless that model is installed locally.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from marsad.ner.proposers import (
    ENTITY_TYPES,
    BackendUnavailable,
    Proposal,
    SpanProposer,
    decode_token_labels,
    dedupe,
    locate_tokens,
    map_label,
)

TEXT = (
    "التقى الرئيس محمد بن سلمان في الرياض بوفد من الأمم المتحدة يوم الأحد.\n"
    "وقال المتحدث باسم وزارة الخارجية إن الاجتماع في بغداد كان مثمراً؛ "
    "وأضاف أن الوفد سيزور دمشق وبيروت الأسبوع المقبل."
)

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


# ---------------------------------------------------------------------------------------------
# always


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("PER", "PER"),
        ("PERS", "PER"),
        ("B-PERS", "PER"),
        ("I-PER", "PER"),
        ("E-PER", "PER"),
        ("S-PERS", "PER"),
        ("PERSON", "PER"),
        ("ORG", "ORG"),
        ("B-ORG", "ORG"),
        ("L-ORG", "ORG"),
        ("U-ORG", "ORG"),
        ("LOC", "LOC"),
        ("I-LOC", "LOC"),
        ("GPE", "LOC"),
        ("B-GPE", "LOC"),
        ("FAC", "LOC"),
        ("S-FAC", "LOC"),
        ("b-loc", "LOC"),
        ("B_PERS", "PER"),
        ("O", None),
        ("MISC", None),
        ("B-MISC", None),
        ("DATE", None),
        ("", None),
        ("X-PER", None),
    ],
)
def test_map_label(label, expected):
    assert map_label(label) == expected


def test_proposal_is_frozen_value():
    p = Proposal(0, 3, "PER", 0.5)
    assert p == Proposal(0, 3, "PER", 0.5)
    with pytest.raises(AttributeError):
        p.start = 1  # type: ignore[misc]


def test_locate_tokens_in_order_and_skips_missing():
    text = "في بغداد، وفي بغداد"
    spans = locate_tokens(text, ["في", "بغداد", "،", "XYZ", "وفي", "بغداد"])
    assert spans[3] is None
    found = [s for s in spans if s is not None]
    assert [text[a:b] for a, b in found] == ["في", "بغداد", "،", "وفي", "بغداد"]
    assert found[-1][0] > found[1][0]  # the second بغداد, not the first again


def test_decode_bio_and_bioes():
    spans = [(0, 2), (3, 6), (7, 10), (11, 14), (15, 18), (19, 22), (23, 26)]
    labels = ["O", "B-PERS", "I-PERS", "B-LOC", "I-ORG", "B-MISC", "S-GPE"]
    got = decode_token_labels(spans, labels, 0.7)
    assert got == [
        Proposal(3, 10, "PER", 0.7),
        Proposal(11, 14, "LOC", 0.7),
        Proposal(15, 18, "ORG", 0.7),  # an I- of another type starts a new entity
        Proposal(23, 26, "LOC", 0.7),
    ]
    # IO labels join neighbours; a token without a span ends the entity
    io_spans = [(0, 1), (2, 3), None, (6, 7)]
    assert decode_token_labels(io_spans, ["LOC", "LOC", "LOC", "LOC"], 1.0) == [
        Proposal(0, 3, "LOC", 1.0),
        Proposal(6, 7, "LOC", 1.0),
    ]
    # E-/L- close an entity, so the next I- starts a fresh one
    assert decode_token_labels([(0, 1), (2, 3), (4, 5)], ["B-ORG", "E-ORG", "I-ORG"], 1.0) == [
        Proposal(0, 3, "ORG", 1.0),
        Proposal(4, 5, "ORG", 1.0),
    ]


def test_dedupe_keeps_best_and_sorts():
    got = dedupe(
        [Proposal(5, 9, "LOC", 0.4), Proposal(0, 2, "PER", 0.9), Proposal(5, 9, "LOC", 0.8)]
    )
    assert got == [Proposal(0, 2, "PER", 0.9), Proposal(5, 9, "LOC", 0.8)]


def test_hf_backend_without_model_is_actionable(monkeypatch, tmp_path):
    hf_backend = pytest.importorskip("marsad.ner.hf_backend")
    monkeypatch.delenv("MARSAD_HF_NER_MODEL", raising=False)
    with pytest.raises(BackendUnavailable, match="pip install|MARSAD_HF_NER_MODEL"):
        hf_backend.HfProposer()
    with pytest.raises(BackendUnavailable, match="pip install|does not exist"):
        hf_backend.HfProposer(tmp_path / "nowhere")


def test_camel_backend_bad_model_dir_is_actionable(monkeypatch, tmp_path):
    from marsad.ner.camel_backend import CamelProposer

    monkeypatch.setenv("MARSAD_CAMEL_NER_MODEL", str(tmp_path))  # exists, but no config.json
    with pytest.raises(BackendUnavailable, match="pip install|config.json"):
        CamelProposer()


def _check_proposals(proposals: list[Proposal], text: str) -> None:
    assert isinstance(proposals, list)
    for p in proposals:
        assert isinstance(p, Proposal)
        assert 0 <= p.start < p.end <= len(text), p
        assert p.type in ENTITY_TYPES
        assert 0.0 <= p.confidence <= 1.0
        assert text[p.start:p.end] == text[p.start:p.end].strip()
    assert proposals == sorted(proposals, key=lambda p: (p.start, p.end, p.type))


# ---------------------------------------------------------------------------------------------
# a tiny random BERT token classifier, saved like a real model


def _tiny_bert(model_dir: Path) -> Path:
    transformers = pytest.importorskip("transformers")
    torch = pytest.importorskip("torch")

    words = sorted({w.strip("،؛.") for w in TEXT.split()} - {""})
    chars = sorted({c for c in TEXT if not c.isspace()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words, *chars]
    vocab += [f"##{c}" for c in chars]
    vocab = list(dict.fromkeys(vocab))
    model_dir.mkdir(parents=True, exist_ok=True)
    vocab_file = model_dir / "vocab.txt"
    vocab_file.write_text("\n".join(vocab) + "\n", encoding="utf-8")

    # a 64-token window for the HF pipeline; 256 positions because CAMeL pads every input to 256
    tokenizer = transformers.BertTokenizerFast(
        vocab_file=str(vocab_file), do_lower_case=False, model_max_length=64
    )
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=256,
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    torch.manual_seed(0)
    model = transformers.BertForTokenClassification(config)
    model.save_pretrained(model_dir)
    tokenizer.save_pretrained(model_dir)
    return model_dir


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    return _tiny_bert(tmp_path_factory.mktemp("tiny-bert-ner"))


# ---------------------------------------------------------------------------------------------
# Hugging Face


def test_hf_proposer_end_to_end(tiny_model, monkeypatch):
    pytest.importorskip("transformers")
    pytest.importorskip("torch")
    from marsad.ner.hf_backend import HfProposer

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("MARSAD_HF_NER_MODEL", str(tiny_model))
    proposer = HfProposer()
    assert isinstance(proposer, SpanProposer)
    assert proposer.name == "hf"
    got = proposer.propose(TEXT)
    _check_proposals(got, TEXT)
    assert proposer.propose("") == []

    # a sentence far longer than the model's 64-position window is read in windows, and the
    # spans still land inside the text (offsets are per sentence plus the sentence start)
    one_sentence = TEXT.replace("\n", " ").replace(".", "").replace("؛", "،")
    long_text = "مقدمة قصيرة. " + " ".join([one_sentence] * 10)
    assert len(proposer._pipe.tokenizer(long_text)["input_ids"]) > 4 * 64
    windowed = proposer.propose(long_text)
    _check_proposals(windowed, long_text)
    assert max(p.start for p in windowed) > len(long_text) // 2  # the end of the text is read too

    # the constructor argument wins over the environment
    monkeypatch.setenv("MARSAD_HF_NER_MODEL", "/nonexistent")
    assert HfProposer(tiny_model).propose(TEXT) == got


def test_hf_proposer_finds_planted_labels(tiny_model, monkeypatch, tmp_path):
    """Bias the classifier so every token is B-LOC: each word then becomes a LOC span."""
    pytest.importorskip("transformers")
    torch = pytest.importorskip("torch")
    import transformers

    from marsad.ner.hf_backend import HfProposer

    model = transformers.BertForTokenClassification.from_pretrained(
        tiny_model, local_files_only=True
    )
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        model.classifier.bias[LABELS.index("B-LOC")] = 10.0
    biased = tmp_path / "biased"
    model.save_pretrained(biased)
    tokenizer = transformers.AutoTokenizer.from_pretrained(tiny_model, local_files_only=True)
    tokenizer.save_pretrained(biased)

    text = "زار الوفد بغداد ثم دمشق."
    got = HfProposer(biased).propose(text)
    _check_proposals(got, text)
    assert {text[p.start:p.end] for p in got} >= {"بغداد", "دمشق"}
    assert {p.type for p in got} == {"LOC"}


# ---------------------------------------------------------------------------------------------
# CAMeL Tools


def test_camel_pretrained_model_if_installed(monkeypatch):
    """Runs CAMeL's own default NER model, when it is installed (``camel_data -i ner``).

    Kept before the tiny-model test, which may point CAMeL Tools at a stand-in catalogue.
    """
    pytest.importorskip("camel_tools")
    from marsad.ner.camel_backend import CamelProposer

    monkeypatch.delenv("MARSAD_CAMEL_NER_MODEL", raising=False)
    try:
        proposer = CamelProposer()
    except BackendUnavailable as exc:
        pytest.skip(f"no CAMeL Tools NER model installed locally: {exc}")
    text = "إمارة أبوظبي هي إحدى إمارات دولة الإمارات العربية المتحدة السبع."
    got = proposer.propose(text)
    _check_proposals(got, text)
    assert any(text[p.start:p.end] == "أبوظبي" and p.type == "LOC" for p in got)


def _camel_offline_catalogue(monkeypatch, tmp_path) -> None:
    """Give CAMeL Tools a catalogue file, so importing camel_tools.ner stays offline."""
    from marsad.ner.camel_backend import _has_catalogue, camel_data_dir

    if "camel_tools.data" in sys.modules or _has_catalogue(camel_data_dir()):
        return
    data = tmp_path / "camel_data"
    data.mkdir()
    (data / "catalogue.json").write_text(
        '{"version": "0", "packages": {}, "components": {"NamedEntityRecognition": '
        '{"default": "none", "datasets": {"none": {"path": "ner/none"}}}}}',
        encoding="utf-8",
    )
    monkeypatch.setenv("CAMELTOOLS_DATA", str(data))


def test_camel_proposer_with_tiny_model(tiny_model, monkeypatch, tmp_path):
    pytest.importorskip("camel_tools")
    _camel_offline_catalogue(monkeypatch, tmp_path)
    from marsad.ner.camel_backend import CamelProposer

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("MARSAD_CAMEL_NER_MODEL", str(tiny_model))
    proposer = CamelProposer()
    assert isinstance(proposer, SpanProposer)
    assert proposer.name == "camel"
    _check_proposals(proposer.propose(TEXT), TEXT)
    assert proposer.propose("   ") == []


class _FakeRecogniser:
    """Stands in for NERecognizer: a fixed label per token, O for the rest."""

    def __init__(self, labels: dict[str, str]):
        self.labels = labels

    def predict(self, sentences, batch_size=32):
        return [[self.labels.get(token, "O") for token in s] for s in sentences]


def test_camel_proposer_maps_token_labels_to_char_spans():
    pytest.importorskip("camel_tools")
    from marsad.ner.camel_backend import CamelProposer

    text = "زار  وفد الأمم المتحدة بغداد،\nثم دمشق. وفد"
    labels = {
        "وفد": "B-MISC",
        "الأمم": "B-ORG",
        "المتحدة": "I-ORG",
        "بغداد": "B-LOC",
        "دمشق": "B-LOC",
    }
    proposer = CamelProposer(recogniser=_FakeRecogniser(labels), confidence=0.6)
    got = proposer.propose(text)
    _check_proposals(got, text)
    assert [(text[p.start:p.end], p.type) for p in got] == [
        ("الأمم المتحدة", "ORG"),
        ("بغداد", "LOC"),
        ("دمشق", "LOC"),
    ]
    assert {p.confidence for p in got} == {0.6}
