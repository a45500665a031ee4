"""The built-in model back-end: the two-stage CRF as a span proposer over a whole document."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from pathlib import Path

from marsad.arabic.segment import sentences, token_spans
from marsad.ner import type_lexicon
from marsad.ner.candidates import Candidate
from marsad.ner.crf import MODEL_DIR, CrfTagger, candidate_tags, model_paths
from marsad.ner.features import FeatureMaker
from marsad.ner.lexicon import LexiconRecogniser
from marsad.ner.proposers import Proposal, decode_token_labels

TYPE_LEXICON = "type-lexicon.tsv.gz"
CONFIDENCE = 0.75


def load_tagger(model_dir: Path = MODEL_DIR, lexicon: LexiconRecogniser | None = None) -> CrfTagger:
    features = FeatureMaker(lexicon.gazetteer if lexicon else None,
                            type_lexicon=_type_lexicon(model_dir))
    first, second = model_paths(model_dir)
    return CrfTagger(first, second, features=features, lexicon=lexicon)


def _type_lexicon(model_dir: Path) -> dict[str, str]:
    path = model_dir / TYPE_LEXICON
    return type_lexicon.load(path) if path.is_file() else {}


class CrfProposer:
    name = "crf"

    def __init__(self, tagger: CrfTagger | None = None) -> None:
        self.tagger = tagger or load_tagger()

    def propose(self, text: str) -> list[Proposal]:
        return self.propose_with_known(text, None)

    def propose_with_known(self, text: str, known: Sequence[Candidate] | None,
                           all_tokens: Sequence[tuple[int, int]] | None = None,
                           surfaces: Sequence[str] | None = None) -> list[Proposal]:
        """Spans the model finds; ``known`` are the lexicon's candidates for the same text, given
        to the model as features (computed here when not given); ``all_tokens`` are the text's
        :func:`token_spans` and ``surfaces`` their texts, when the caller has them."""
        all_tokens = token_spans(text) if all_tokens is None else all_tokens
        spans: list[list[tuple[int, int]]] = []
        token_lists: list[list[str]] = []
        starts = [start for start, _ in all_tokens]
        k = 0  # tokens before k belong to earlier sentences (or lie between them)
        for sentence in sentences(text):
            first = bisect_left(starts, sentence.start, k)
            k = bisect_left(starts, sentence.end, k)
            if first < k:
                spans.append(list(all_tokens[first:k]))
                token_lists.append(list(surfaces[first:k]) if surfaces is not None
                                   else [text[a:b] for a, b in all_tokens[first:k]])
        if known is None:
            known = self.tagger.lexicon.candidates(text)
        tags = self.tagger.tag_document(token_lists, lex_tags=candidate_tags(spans, known))
        out: list[Proposal] = []
        for sentence, labels in zip(spans, tags, strict=True):
            out.extend(decode_token_labels(sentence, labels, CONFIDENCE))
        return out

