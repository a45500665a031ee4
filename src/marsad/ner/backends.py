"""Model back-ends in the NER registry: a span proposer plus the lexicon, through :func:`assemble`.

``crf`` is built in (the model ships with the package); ``camel`` and ``hf`` are used when their
packages and a local model are installed (docs/ner-backends.md) and fail with an actionable
message otherwise.
"""

from __future__ import annotations

from marsad.document_words import document_words
from marsad.ner.assemble import assemble
from marsad.ner.lexicon import LexiconRecogniser
from marsad.ner.proposers import SpanProposer
from marsad.records import Analysis, Mention
from marsad.registry import ner_backends


class ModelRecogniser:
    def __init__(self, proposer: SpanProposer, lexicon: LexiconRecogniser) -> None:
        self.proposer = proposer
        self.lexicon = lexicon

    def __call__(self, analysis: Analysis) -> list[Mention]:
        return self.recognise_text(analysis.doc.body)

    def recognise_text(self, text: str) -> list[Mention]:
        tokenised = document_words(text)  # tokenised once, for the lexicon's words and the model
        ws = tokenised.ner
        known = self.lexicon.candidates(text, ws)
        propose = getattr(self.proposer, "propose_with_known", None)
        proposals = (propose(text, known, tokenised.spans, surfaces=tokenised.surfaces) if propose
                     else self.proposer.propose(text))
        return assemble(text, proposals, self.lexicon, known=known, ws=ws)


@ner_backends.register("crf")
def _crf_backend() -> ModelRecogniser:
    from marsad.ner.crf_backend import CrfProposer, load_tagger

    lexicon = LexiconRecogniser()
    return ModelRecogniser(CrfProposer(load_tagger(lexicon=lexicon)), lexicon)


@ner_backends.register("camel")
def _camel_backend() -> ModelRecogniser:
    from marsad.ner.camel_backend import CamelProposer

    return ModelRecogniser(CamelProposer(), LexiconRecogniser())


@ner_backends.register("hf")
def _hf_backend() -> ModelRecogniser:
    from marsad.ner.hf_backend import HfProposer

    return ModelRecogniser(HfProposer(), LexiconRecogniser())
