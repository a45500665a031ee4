"""CoNLL corpora, tag mapping, conlleval chunks and scores; the type lexicon learnt from them."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from marsad.ner import corpus, type_lexicon
from marsad.ner.corpus import CorpusError, Sentence, chunks, map_tag, read_conll, repair_iob, score


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- tags ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "mapped"), [
    ("O", "O"),
    ("B-PERS", "B-PER"),
    ("I-PERS", "I-PER"),
    ("B-PER", "B-PER"),
    ("B-ORG", "B-ORG"),
    ("I-LOC", "I-LOC"),
    ("B-GPE", "B-LOC"),
    ("I-FAC", "I-LOC"),
    ("B-pers", "B-PER"),  # the type is case-insensitive
    ("B-MISC", "O"),
    ("I-MIS", "O"),
    ("B-DATE", "O"),
    ("E-LOC", "O"),  # only IOB prefixes are understood
    ("PERS", "O"),  # no prefix
])
def test_map_tag(tag: str, mapped: str) -> None:
    assert map_tag(tag) == mapped


def test_repair_iob_turns_an_orphan_inside_tag_into_a_beginning() -> None:
    tags = ["I-PER", "I-PER", "O", "I-LOC", "I-LOC", "I-ORG", "B-ORG", "I-ORG", "B-PER"]
    assert repair_iob(tags) == ("B-PER", "I-PER", "O", "B-LOC", "I-LOC", "B-ORG", "B-ORG", "I-ORG",
                                "B-PER")
    assert repair_iob([]) == ()


# --- reading ---------------------------------------------------------------------------------------


def test_read_conll_space_separated_with_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt",
                 "\n\nقال O\nسليم B-PERS\nالحداد I-PERS\nفي O\nحلب B-LOC\n\n\n\n"
                 "أصدرت O\nمنظمة B-ORG\nالأمل I-ORG\nبيانا O\n\n")
    sentences = read_conll(path)
    assert sentences == [
        Sentence(("قال", "سليم", "الحداد", "في", "حلب"), ("O", "B-PER", "I-PER", "O", "B-LOC")),
        Sentence(("أصدرت", "منظمة", "الأمل", "بيانا"), ("O", "B-ORG", "I-ORG", "O")),
    ]


def test_read_conll_tab_separated(tmp_path: Path) -> None:
    # WikiANN style (a token may hold a space when tabs separate); CRLF line ends, no final newline
    path = write(tmp_path / "b.tsv",
                 "زار\tO\nالأمم المتحدة\tB-ORG\nمدينة\tO\nدهوك\tB-GPE\r\n\r\nنعم\tO")
    sentences = read_conll(path)
    assert [s.tokens for s in sentences] == [("زار", "الأمم المتحدة", "مدينة", "دهوك"), ("نعم",)]
    assert sentences[0].tags == ("O", "B-ORG", "O", "B-LOC")
    assert sentences[1].tags == ("O",)


def test_read_conll_maps_misc_and_repairs_what_follows(tmp_path: Path) -> None:
    # ANERcorp has I- after O, and MISC chunks that vanish in the mapping
    path = write(tmp_path / "c.txt", "في O\nالموصل I-LOC\nكأس B-MISC\nالعالم I-MISC\nجمال I-PERS\n")
    [sentence] = read_conll(path)
    assert sentence.tags == ("O", "B-LOC", "O", "O", "B-PER")


def test_read_conll_names_file_and_line_of_a_malformed_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.txt", "قال O\nسليم B-PERS\n\nكلمة\nأخرى O\n")
    with pytest.raises(CorpusError) as err:
        read_conll(path)
    assert f"{path}:4:" in str(err.value)
    assert "كلمة" in str(err.value)


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_read_conll_refuses_a_file_without_sentences(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "empty.txt", text)
    with pytest.raises(CorpusError, match="no sentences"):
        read_conll(path)


def test_read_conll_unreadable_files_are_corpus_errors(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="cannot read"):
        read_conll(tmp_path / "absent.txt")
    latin = tmp_path / "cp1256.txt"
    latin.write_bytes("قال O\n".encode("cp1256"))
    with pytest.raises(CorpusError, match="cannot read"):
        read_conll(latin)


def test_corpus_path_errors(tmp_path: Path) -> None:
    with pytest.raises(CorpusError) as err:
        corpus.corpus_path(tmp_path, "anercorp-dev")
    assert "unknown corpus 'anercorp-dev'" in str(err.value)
    assert "anercorp-train" in str(err.value)  # the choices are listed
    with pytest.raises(CorpusError, match="not found"):
        corpus.corpus_path(tmp_path, "anercorp-train")


def test_corpus_path_and_load_over_a_folder_laid_out_like_shared(tmp_path: Path) -> None:
    train = tmp_path / corpus.CORPORA["anercorp-train"]
    train.parent.mkdir(parents=True)
    write(train, "قال O\nسليم B-PERS\n\nفي O\nحلب B-LOC\n")
    wiki = tmp_path / corpus.CORPORA["wikiann-dev"]
    wiki.parent.mkdir(parents=True)
    write(wiki, "دهوك\tB-LOC\n")
    assert corpus.corpus_path(tmp_path, "anercorp-train") == train
    loaded = corpus.load(tmp_path, ["anercorp-train", "wikiann-dev"])
    assert [s.tokens for s in loaded] == [("قال", "سليم"), ("في", "حلب"), ("دهوك",)]


# --- chunks and scores --------------------------------------------------------------------------


def test_chunks_follow_conlleval() -> None:
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC", "B-ORG", "I-PER", "I-ORG"]
    assert chunks(tags) == {(0, 1, "PER"), (3, 4, "LOC"), (5, 5, "LOC"), (6, 6, "ORG"),
                            (7, 7, "PER"), (8, 8, "ORG")}
    assert chunks(["O", "O"]) == set()
    assert chunks([]) == set()
    assert chunks(["O", "B-ORG", "I-ORG"]) == {(1, 2, "ORG")}  # a chunk ending the sentence


def test_score_by_hand() -> None:
    gold = [
        Sentence(("a", "b", "c", "d"), ("B-PER", "I-PER", "O", "B-LOC")),
        Sentence(("e", "f", "g", "h"), ("B-ORG", "I-ORG", "O", "B-LOC")),
        Sentence(("i", "j"), ("O", "O")),
    ]
    predicted = [
        ["B-PER", "O", "O", "B-LOC"],  # PER boundary wrong (1 fp + 1 fn), LOC right
        ["B-ORG", "I-ORG", "O", "B-PER"],  # ORG right, LOC missed, a spurious PER
        ["B-LOC", "O"],  # a spurious LOC
    ]
    result = score(gold, predicted)
    # PER: tp 0, fp 2, fn 1; ORG: tp 1; LOC: tp 1, fp 1, fn 1; micro: tp 2, fp 3, fn 2
    assert result.prf("PER") == (0.0, 0.0, 0.0, 1)
    assert result.prf("ORG") == (1.0, 1.0, 1.0, 1)
    assert result.prf("LOC") == (0.5, 0.5, 0.5, 2)
    p, r, f, support = result.prf()
    assert (p, r, support) == (0.4, 0.5, 4)
    assert f == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    rows = {row["type"]: row for row in result.table()}
    assert list(rows) == ["PER", "ORG", "LOC", "micro"]
    assert rows["micro"] == {"type": "micro", "precision": 0.4, "recall": 0.5, "f1": 0.4444,
                             "support": 4}


def test_score_of_nothing_is_zero_not_an_error() -> None:
    result = score([Sentence(("a",), ("O",))], [["O"]])
    assert result.prf() == (0.0, 0.0, 0.0, 0)


def test_score_needs_one_prediction_per_sentence() -> None:
    with pytest.raises(ValueError, match="2 gold sentences but 1 predictions"):
        score([Sentence(("a",), ("O",))] * 2, [["O"]])


# --- type lexicon -------------------------------------------------------------------------------


def tagged(*pairs: tuple[str, str]) -> Sentence:
    return Sentence(tuple(t for t, _ in pairs), tuple(g for _, g in pairs))


LEXICON_CORPUS = [
    *[tagged(("قال", "O"), ("الحداد", "B-PER")) for _ in range(4)],  # حداد: PER 5/5 (with و below)
    tagged(("والحداد", "B-PER"), ("2024", "B-LOC"), (".", "O")),  # digits and punctuation skipped
    *[tagged(("نور", "B-PER"), ("قال", "O")) for _ in range(3)],  # نور: PER 3/5
    *[tagged(("نور", "O")) for _ in range(2)],
    *[tagged(("سلام", "B-LOC")) for _ in range(2)],  # سلام: LOC 2/7
    *[tagged(("سلام", "O")) for _ in range(5)],
    tagged(("بيت", "B-LOC"), ("بيت", "O"), ("بيت", "O"), ("بيت", "O"), ("بيت", "O")),  # LOC 1/5
    tagged(("جسر", "B-LOC"), ("جسر", "O")),  # LOC 1/2
    *[tagged(("في", "O")) for _ in range(5)],  # common, but under 3 × min_count
]


def test_type_lexicon_strengths() -> None:
    lexicon = type_lexicon.build(LEXICON_CORPUS)
    assert lexicon["حداد"] == "PER:hi"
    assert lexicon["نور"] == "PER:mid"
    assert lexicon["سلام"] == "LOC:lo"
    assert lexicon["قال"] == "O:hi"  # 7 uses, all O: a common word
    for absent in ("بيت", "جسر", "في", "2024", "."):
        assert absent not in lexicon
    assert "والحداد" not in lexicon and "الحداد" not in lexicon  # keyed by stem


def test_type_lexicon_min_count() -> None:
    lexicon = type_lexicon.build(LEXICON_CORPUS, min_count=1)
    assert lexicon["جسر"] == "LOC:mid"
    assert "بيت" not in lexicon  # 1 in 5 is under 25 %
    assert lexicon["في"] == "O:hi"  # 5 ≥ 3 × 1
    strict = type_lexicon.build(LEXICON_CORPUS, min_count=3)
    assert strict["نور"] == "PER:mid" and "سلام" not in strict


def test_type_lexicon_save_load_round_trip_is_deterministic(tmp_path: Path) -> None:
    lexicon = type_lexicon.build(LEXICON_CORPUS)
    path = tmp_path / "deep" / "type-lexicon.tsv.gz"
    type_lexicon.save(lexicon, path)
    first = path.read_bytes()
    assert type_lexicon.load(path) == lexicon
    type_lexicon.save(dict(reversed(lexicon.items())), path)  # insertion order does not matter
    assert path.read_bytes() == first
    other = tmp_path / "again" / "type-lexicon.tsv.gz"
    type_lexicon.save(lexicon, other)
    assert other.read_bytes() == first
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    assert lines == sorted(lines) and "حداد\tPER:hi" in lines


def test_type_lexicon_empty_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "empty.tsv.gz"
    type_lexicon.save({}, path)
    assert type_lexicon.load(path) == {}
